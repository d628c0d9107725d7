package store

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/domain"
)

// decodeJudgement gives what json.Unmarshal gives, error or value, for what json.Marshal writes (the fast
// reading) and for every other text (left to json.Unmarshal): judgements built at random, then variants of
// their JSON that leave the common shape.
func TestDecodeJudgementMatchesUnmarshal(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 2))
	texts := []string{"", "perché", `con "virgolette"`, "a capo\nqui", "<b>&</b>", "tab\tqui", "\u2028", "ok"}
	text := func() string { return texts[rng.IntN(len(texts))] }
	intPtr := func() *int {
		if rng.IntN(2) == 0 {
			return nil
		}
		n := rng.IntN(11) - 5
		return &n
	}
	var inputs []string
	for range 400 {
		j := domain.Judgement{Reason: text(), LikelihoodManual: intPtr(), ImpactManual: intPtr(), ManualReason: text()}
		if n := rng.IntN(4); n > 0 {
			j.Values = make([]domain.IndicatorValue, n-1) // sometimes empty
			for i := range j.Values {
				j.Values[i] = domain.IndicatorValue{Code: "P" + text(), Value: rng.IntN(2000) - 1000, Reason: text()}
			}
		}
		if rng.IntN(3) == 0 {
			j.Override = &domain.Override{Level: text(), Reason: text()}
		}
		if n := rng.IntN(3); n > 0 {
			j.SupportingData = make([]string, n-1)
			for i := range j.SupportingData {
				j.SupportingData[i] = text()
			}
		}
		b, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(b))
		// Without escapes, the fast reading takes it (otherwise it would only be slower).
		if !strings.Contains(string(b), `\`) {
			var fast domain.Judgement
			if !(&jsonReader{s: string(b)}).judgement(&fast) {
				t.Fatalf("the fast reading refuses %s", b)
			}
		}
	}
	inputs = append(inputs, `{}`, ` {}`, `{} `, `{"values":null}`, `{"values":[{"code":"P1","value":3.0}]}`,
		`{"values":[{"code":"P1","value":01}]}`, `{"values":[{"code":"P1","value":-0}]}`, `{"values":[{"code":"P1","value":99999999999999999999}]}`,
		`{"values":[{"code":"P1","value":1e2}]}`, `{"reason":"a","reason":"b"}`, `{"Reason":"a"}`, `{"other":1}`,
		`{"values":[{"code":"P1","Value":2}]}`, `{"override":null}`, `{"override":{"level":"alto","extra":1}}`,
		`{"reason":"a\u00e8"}`, "{\"reason\":\"\xff\"}", "{\"reason\":\"a\x01\"}", `{"reason": "a"}`, `{"reason":"a"`,
		`{"reason":"a",}`, `{"values":[],"supporting_data":[]}`, `{"supporting_data":["a",1]}`, `{"likelihood_manual":-}`,
		`{"likelihood_manual":2,"impact_manual":null}`, `[]`, `null`, ``)
	for _, in := range inputs {
		var want, got domain.Judgement
		wantErr := json.Unmarshal([]byte(in), &want)
		gotErr := decodeJudgement(in, &got)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(want, got) {
			t.Fatalf("%s:\njson.Unmarshal %+v %v\ndecodeJudgement %+v %v", in, want, wantErr, got, gotErr)
		}
		// Also once cut short, anywhere.
		if cut := len(in) / 2; cut > 0 && strings.HasPrefix(in, "{") {
			var want, got domain.Judgement
			if (json.Unmarshal([]byte(in[:cut]), &want) == nil) != (decodeJudgement(in[:cut], &got) == nil) || !reflect.DeepEqual(want, got) {
				t.Fatalf("%s: differs", in[:cut])
			}
		}
	}
}

// decodePhases and decodeIndicators give what json.Unmarshal gives, for what json.Marshal writes and for texts
// of another shape.
func TestDecodeMeasureListsMatchUnmarshal(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 3))
	texts := []string{"", "Adozione del regolamento", "2027-06-30", `"citato"`, "a capo\nqui", "<&>", "perché"}
	text := func() string { return texts[rng.IntN(len(texts))] }
	inputs := []string{`null`, `[]`, ` []`, `[] `, `[null]`, `[{}]`, `[{"title":"a","title":"b"}]`, `[{"Title":"a"}]`,
		`[{"title":1}]`, `[{"title":"a"},]`, `[{"title":"a"}`, `{}`, ``, "[{\"title\":\"\xff\"}]", `[{"name":"a","extra":"b"}]`,
		`[{"title":"a","start":"2027-01-01","deadline":"2027-06-30"}]`, `[{"name":"n","baseline":"0","target":"1"}]`}
	for range 300 {
		ph := make([]domain.Phase, rng.IntN(4))
		for i := range ph {
			ph[i] = domain.Phase{Title: text(), Start: text(), Deadline: text()}
		}
		in := make([]domain.MeasureIndicator, rng.IntN(4))
		for i := range in {
			in[i] = domain.MeasureIndicator{Name: text(), Baseline: text(), Target: text()}
		}
		if rng.IntN(5) == 0 {
			ph, in = nil, nil
		}
		a, _ := json.Marshal(ph)
		b, _ := json.Marshal(in)
		inputs = append(inputs, string(a), string(b))
		if !strings.Contains(string(a), `\`) {
			var fast []domain.Phase
			if r := (&jsonReader{s: string(a)}); !readList(r, func() bool { return r.object(func(string) bool { _, ok := r.str(); return ok }) }, &fast) {
				t.Fatalf("the fast reading refuses %s", a)
			}
		}
	}
	for _, s := range inputs {
		var wantP, gotP []domain.Phase
		wantErr, gotErr := json.Unmarshal([]byte(s), &wantP), decodePhases(s, &gotP)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(wantP, gotP) {
			t.Fatalf("phases %s:\njson.Unmarshal %#v %v\ndecodePhases %#v %v", s, wantP, wantErr, gotP, gotErr)
		}
		var wantI, gotI []domain.MeasureIndicator
		wantErr, gotErr = json.Unmarshal([]byte(s), &wantI), decodeIndicators(s, &gotI)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(wantI, gotI) {
			t.Fatalf("indicators %s:\njson.Unmarshal %#v %v\ndecodeIndicators %#v %v", s, wantI, wantErr, gotI, gotErr)
		}
	}
}
