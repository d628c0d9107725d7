package domain

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const methodologyReason = "Motivazione del giudizio complessivo basata su evidenze."

func methIntPtr(v int) *int { return &v }

// qualJudgement values KRI-1..KRI-6 and IMP-1..IMP-4 of the PNA 2019 profiles, in that order.
func qualJudgement(l [6]int, i [4]int) Judgement {
	j := Judgement{Reason: methodologyReason}
	for k, v := range l {
		j.Values = append(j.Values, IndicatorValue{Code: "KRI-" + string(rune('1'+k)), Value: v, Reason: "evidenza documentale"})
	}
	for k, v := range i {
		j.Values = append(j.Values, IndicatorValue{Code: "IMP-" + string(rune('1'+k)), Value: v, Reason: "evidenza documentale"})
	}
	return j
}

// numJudgement values P1..P6 and I1..I4 of the PNA 2013 profiles, in that order, without indicator reasons.
func numJudgement(p [6]int, i [4]int) Judgement {
	j := Judgement{Reason: methodologyReason}
	for k, v := range p {
		j.Values = append(j.Values, IndicatorValue{Code: "P" + string(rune('1'+k)), Value: v})
	}
	for k, v := range i {
		j.Values = append(j.Values, IndicatorValue{Code: "I" + string(rune('1'+k)), Value: v})
	}
	return j
}

// methProblemsOf asserts err is a *ValidationError with the given code and returns its problems.
func methProblemsOf(t *testing.T, err error, code string) []FieldError {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError %s, got %v", code, err)
	}
	if ve.Code != code || CodeOf(err) != code || !errors.Is(err, ErrInvalid) {
		t.Fatalf("want code %s wrapping ErrInvalid, got %s: %v", code, ve.Code, err)
	}
	return ve.Problems
}

func methHasProblem(problems []FieldError, field, code string) bool {
	for _, p := range problems {
		if p.Field == field && p.Code == code {
			return true
		}
	}
	return false
}

func TestShippedProfilesValidate(t *testing.T) {
	var codes []string
	for _, p := range ShippedProfiles() {
		codes = append(codes, p.Code)
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.Code, err)
		}
		got, ok := ProfileByCode(p.Code)
		if !ok || !reflect.DeepEqual(got, p) {
			t.Errorf("ProfileByCode(%s) = %v", p.Code, ok)
		}
	}
	if want := []string{"pna2019", "pna2019-5", "pna2013-mean", "pna2013-max"}; !reflect.DeepEqual(codes, want) {
		t.Fatalf("codes %v, want %v", codes, want)
	}
	if _, ok := ProfileByCode("pna2025"); ok {
		t.Error("unknown code found")
	}
	// Fresh values: changing one copy leaves the next untouched.
	a, _ := ProfileByCode(ProfilePNA2019)
	a.Matrix[0][0] = RiskAlto
	a.LikelihoodIndicators[0].Levels[0].Label = "x"
	if b := PNA2019Qualitative(); b.Matrix[0][0] != RiskBasso || b.LikelihoodIndicators[0].Levels[0].Label != "Basso" {
		t.Error("shipped profiles share state")
	}
	if err := PNA2013Allegato5(AggregationMode).Validate(); err == nil {
		t.Error("pna2013 with mode impact accepted")
	}
}

func TestShippedProfilesContent(t *testing.T) {
	p := PNA2019Qualitative()
	if p.Name != "PNA 2019 – valutazione qualitativa (Allegato 1)" || p.Kind != ProfileKindQualitative ||
		p.LikelihoodAggregation != AggregationMax || p.ImpactAggregation != AggregationMax || !p.IndicatorReasonRequired {
		t.Errorf("pna2019 header: %+v", p)
	}
	var codes []string
	for _, ind := range append(p.LikelihoodIndicators, p.ImpactIndicators...) {
		codes = append(codes, ind.Code)
		if len(ind.Levels) != 3 || ind.Question == "" {
			t.Errorf("%s: %d levels", ind.Code, len(ind.Levels))
		}
		for _, l := range ind.Levels {
			if l.Description == "" {
				t.Errorf("%s level %d has no description", ind.Code, l.Value)
			}
		}
	}
	if want := "KRI-1 KRI-2 KRI-3 KRI-4 KRI-5 KRI-6 IMP-1 IMP-2 IMP-3 IMP-4"; strings.Join(codes, " ") != want {
		t.Errorf("indicators %v", codes)
	}

	n := PNA2013Allegato5(AggregationMean)
	answers := map[string][]int{}
	for _, ind := range append(n.LikelihoodIndicators, n.ImpactIndicators...) {
		for _, l := range ind.Levels {
			answers[ind.Code] = append(answers[ind.Code], l.Value)
			if l.Label == "" || l.Description == "" {
				t.Errorf("%s answer %d lacks label or text", ind.Code, l.Value)
			}
		}
	}
	want := map[string][]int{
		"P1": {1, 2, 3, 4, 5}, "P2": {2, 5}, "P3": {1, 3, 5}, "P4": {1, 3, 5}, "P5": {1, 5}, "P6": {1, 2, 3, 4, 5},
		"I1": {1, 2, 3, 4, 5}, "I2": {1, 5}, "I3": {0, 1, 2, 3, 4, 5}, "I4": {1, 2, 3, 4, 5},
	}
	if !reflect.DeepEqual(answers, want) {
		t.Errorf("answers %v", answers)
	}
	if n.LikelihoodScale[0].Label != "Nessuna probabilità" || n.ImpactScale[3].Label != "Soglia" {
		t.Errorf("allegato 5 labels %v %v", n.LikelihoodScale, n.ImpactScale)
	}
}

func TestProfileJSONRoundTrip(t *testing.T) {
	for _, p := range ShippedProfiles() {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"likelihood_indicators"`, `"impact_aggregation"`, `"risk_levels"`, `"indicator_reason_required"`} {
			if !strings.Contains(string(b), key) {
				t.Errorf("%s: JSON lacks %s", p.Code, key)
			}
		}
		var back Profile
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, p) {
			t.Errorf("%s: round trip differs", p.Code)
		}
	}
	var j Judgement
	in := `{"values":[{"code":"KRI-1","value":2,"reason":"r"}],"likelihood_manual":2,"manual_reason":"m","override":{"level":"alto","reason":"o"},"reason":"x"}`
	if err := json.Unmarshal([]byte(in), &j); err != nil {
		t.Fatal(err)
	}
	if j.Values[0].Value != 2 || *j.LikelihoodManual != 2 || j.Override.Level != "alto" || j.ManualReason != "m" {
		t.Errorf("judgement decode: %+v", j)
	}
}

func TestProfileValidateBroken(t *testing.T) {
	q := PNA2019Qualitative
	n := func() Profile { return PNA2013Allegato5(AggregationMean) }
	cases := []struct {
		name   string
		base   func() Profile
		mutate func(*Profile)
		field  string
		code   string
	}{
		{"matrix too few rows", q, func(p *Profile) { p.Matrix = p.Matrix[:2] }, "matrix", "matrix_size"},
		{"matrix short row", q, func(p *Profile) { p.Matrix[1] = []string{RiskBasso, RiskMedio} }, "matrix[1]", "matrix_size"},
		{"matrix unknown level", q, func(p *Profile) { p.Matrix[2][2] = RiskMoltoAlto }, "matrix[2][2]", "level_unknown"},
		{"matrix empty cell", q, func(p *Profile) { p.Matrix[0][1] = "" }, "matrix[0][1]", "level_unknown"},
		{"duplicate indicator across axes", q, func(p *Profile) { p.ImpactIndicators[0].Code = "KRI-1" }, "impact_indicators[0].code", "indicator_duplicate"},
		{"duplicate indicator same axis", q, func(p *Profile) { p.LikelihoodIndicators[5].Code = "KRI-2" }, "likelihood_indicators[5].code", "indicator_duplicate"},
		{"indicator without code", q, func(p *Profile) { p.LikelihoodIndicators[1].Code = " " }, "likelihood_indicators[1].code", "required"},
		{"one level", q, func(p *Profile) { p.LikelihoodIndicators[3].Levels = p.LikelihoodIndicators[3].Levels[:1] }, "likelihood_indicators[3].levels", "levels_too_few"},
		{"duplicate level value", q, func(p *Profile) { p.LikelihoodIndicators[0].Levels[1].Value = 1 }, "likelihood_indicators[0].levels[1].value", "level_value_duplicate"},
		{"level outside scale", q, func(p *Profile) { p.ImpactIndicators[2].Levels[2].Value = 4 }, "impact_indicators[2].levels[2].value", "value_out_of_scale"},
		{"no impact indicators", q, func(p *Profile) { p.ImpactIndicators = nil }, "impact_indicators", "indicators_missing"},
		{"bad qualitative aggregation", q, func(p *Profile) { p.LikelihoodAggregation = "median" }, "likelihood_aggregation", "aggregation_invalid"},
		{"scale not 1..n", q, func(p *Profile) { p.LikelihoodScale[0].Value = 0 }, "likelihood_scale[0].value", "scale_invalid"},
		{"bands in qualitative", q, func(p *Profile) { p.Bands = n().Bands }, "bands", "bands_not_allowed"},
		{"duplicate risk level", q, func(p *Profile) { p.RiskLevels[2].Code = RiskMedio }, "risk_levels[2].code", "level_duplicate"},
		{"ranks out of order", q, func(p *Profile) { p.RiskLevels[0].Rank = 2 }, "risk_levels[0].rank", "rank_invalid"},
		{"bad kind", q, func(p *Profile) { p.Kind = "mixed" }, "kind", "kind_invalid"},
		{"no code", q, func(p *Profile) { p.Code = "" }, "code", "required"},
		{"numeric likelihood max", n, func(p *Profile) { p.LikelihoodAggregation = AggregationMax }, "likelihood_aggregation", "aggregation_invalid"},
		{"numeric impact mode", n, func(p *Profile) { p.ImpactAggregation = AggregationMode }, "impact_aggregation", "aggregation_invalid"},
		{"numeric answer above 5", n, func(p *Profile) { p.LikelihoodIndicators[0].Levels[4].Value = 6 }, "likelihood_indicators[0].levels[4].value", "value_out_of_scale"},
		{"numeric scale not 0..5", n, func(p *Profile) { p.ImpactScale = p.ImpactScale[:5] }, "impact_scale", "scale_invalid"},
		{"band gap", n, func(p *Profile) { p.Bands[1].Min = 7 }, "bands[1].min", "band_gap"},
		{"band overlap", n, func(p *Profile) { p.Bands[2].Min = 11 }, "bands[2].min", "band_overlap"},
		{"bands start above 0", n, func(p *Profile) { p.Bands[0].Min = 1 }, "bands[0].min", "bands_incomplete"},
		{"bands end below 25", n, func(p *Profile) { p.Bands[2].Max = 20 }, "bands[2].max", "bands_incomplete"},
		{"empty band", n, func(p *Profile) { p.Bands[1].Max = 6; p.Bands[2].Min = 6 }, "bands[1]", "band_range"},
		{"band unknown level", n, func(p *Profile) { p.Bands[2].Level = "critico" }, "bands[2].level", "level_unknown"},
		{"no bands", n, func(p *Profile) { p.Bands = nil }, "bands", "bands_incomplete"},
		{"matrix in numeric", n, func(p *Profile) { p.Matrix = q().Matrix }, "matrix", "matrix_not_allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.base()
			c.mutate(&p)
			problems := methProblemsOf(t, p.Validate(), "profile_invalid")
			if !methHasProblem(problems, c.field, c.code) {
				t.Fatalf("want %s %s, got %v", c.field, c.code, problems)
			}
			for _, pr := range problems {
				if pr.Message == "" {
					t.Errorf("problem without message: %+v", pr)
				}
			}
			// Scoring with a broken profile reports the profile, not the judgement.
			_, err := p.Score(qualJudgement([6]int{1, 1, 1, 1, 1, 1}, [4]int{1, 1, 1, 1}))
			methProblemsOf(t, err, "profile_invalid")
		})
	}
}

func TestScoreQualitativeAggregation(t *testing.T) {
	cases := []struct {
		name         string
		lAgg, iAgg   Aggregation
		l            [6]int
		i            [4]int
		lMan, iMan   *int
		wantL, wantI int
		wantLevel    string
	}{
		{"max", AggregationMax, AggregationMax, [6]int{1, 1, 1, 1, 1, 2}, [4]int{1, 1, 1, 1}, nil, nil, 2, 1, RiskBasso},
		{"max high", AggregationMax, AggregationMax, [6]int{1, 3, 1, 1, 1, 1}, [4]int{2, 1, 1, 1}, nil, nil, 3, 2, RiskAlto},
		{"mean 1.5 rounds up", AggregationMean, AggregationMean, [6]int{1, 1, 1, 2, 2, 2}, [4]int{1, 1, 2, 2}, nil, nil, 2, 2, RiskMedio},
		{"mean 1.33 and 1.25 round down", AggregationMean, AggregationMean, [6]int{1, 1, 1, 1, 2, 2}, [4]int{1, 1, 1, 2}, nil, nil, 1, 1, RiskBasso},
		{"mean 2.67 and 2.5 round up", AggregationMean, AggregationMean, [6]int{2, 3, 3, 3, 3, 2}, [4]int{3, 3, 2, 2}, nil, nil, 3, 3, RiskAlto},
		{"mean 2.17", AggregationMean, AggregationMean, [6]int{1, 1, 2, 3, 3, 3}, [4]int{1, 1, 1, 3}, nil, nil, 2, 2, RiskMedio},
		{"mean 2.83", AggregationMean, AggregationMean, [6]int{3, 3, 3, 3, 3, 2}, [4]int{1, 1, 1, 1}, nil, nil, 3, 1, RiskMedio},
		{"mode clear", AggregationMode, AggregationMode, [6]int{1, 1, 1, 2, 2, 3}, [4]int{3, 3, 1, 2}, nil, nil, 1, 3, RiskMedio},
		{"mode three-way tie takes highest", AggregationMode, AggregationMode, [6]int{1, 1, 2, 2, 3, 3}, [4]int{1, 1, 2, 2}, nil, nil, 3, 2, RiskAlto},
		{"mode tie 1/3 takes 3", AggregationMode, AggregationMode, [6]int{1, 1, 1, 3, 3, 3}, [4]int{1, 2, 3, 1}, nil, nil, 3, 1, RiskMedio},
		{"mode tie 1/2 takes 2", AggregationMode, AggregationMode, [6]int{2, 1, 2, 1, 2, 1}, [4]int{1, 2, 3, 3}, nil, nil, 2, 3, RiskAlto},
		{"mode beats max", AggregationMode, AggregationMode, [6]int{3, 2, 2, 2, 1, 1}, [4]int{1, 2, 3, 2}, nil, nil, 2, 2, RiskMedio},
		{"manual both", AggregationManual, AggregationManual, [6]int{3, 3, 3, 3, 3, 3}, [4]int{3, 3, 3, 3}, methIntPtr(1), methIntPtr(2), 1, 2, RiskBasso},
		{"manual likelihood, max impact", AggregationManual, AggregationMax, [6]int{1, 1, 1, 1, 1, 1}, [4]int{1, 1, 1, 2}, methIntPtr(3), nil, 3, 2, RiskAlto},
	}
	labels := map[int]string{1: "Basso", 2: "Medio", 3: "Alto"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := PNA2019Qualitative()
			p.LikelihoodAggregation, p.ImpactAggregation = c.lAgg, c.iAgg
			j := qualJudgement(c.l, c.i)
			j.LikelihoodManual, j.ImpactManual = c.lMan, c.iMan
			if c.lMan != nil || c.iMan != nil {
				j.ManualReason = "Scelta manuale motivata dal RPCT."
			}
			s, err := p.Score(j)
			if err != nil {
				t.Fatal(err)
			}
			want := Score{
				Likelihood: float64(c.wantL), LikelihoodLabel: labels[c.wantL],
				Impact: float64(c.wantI), ImpactLabel: labels[c.wantI],
				ComputedLevel: c.wantLevel, Level: c.wantLevel, Rank: map[string]int{RiskBasso: 1, RiskMedio: 2, RiskAlto: 3}[c.wantLevel],
				Cell: [2]int{c.wantL, c.wantI},
			}
			if s != want {
				t.Fatalf("got %+v\nwant %+v", s, want)
			}
		})
	}
}

func TestScoreQualitativeMatrix(t *testing.T) {
	three := [3][3]string{
		{RiskBasso, RiskBasso, RiskMedio},
		{RiskBasso, RiskMedio, RiskAlto},
		{RiskMedio, RiskAlto, RiskAlto},
	}
	five := [3][3]string{
		{RiskMoltoBasso, RiskBasso, RiskMedio},
		{RiskBasso, RiskMedio, RiskAlto},
		{RiskMedio, RiskAlto, RiskMoltoAlto},
	}
	for _, c := range []struct {
		p    Profile
		want [3][3]string
	}{{PNA2019Qualitative(), three}, {PNA2019FiveLevels(), five}} {
		for l := 1; l <= 3; l++ {
			for i := 1; i <= 3; i++ {
				s, err := c.p.Score(qualJudgement([6]int{l, l, l, l, l, l}, [4]int{i, i, i, i}))
				if err != nil {
					t.Fatal(err)
				}
				want := c.want[l-1][i-1]
				rl, _ := c.p.LevelByCode(want)
				if s.Level != want || s.ComputedLevel != want || s.Rank != rl.Rank || s.Cell != [2]int{l, i} || s.Overridden {
					t.Errorf("%s L%d I%d: got %+v, want %s", c.p.Code, l, i, s, want)
				}
			}
		}
	}
}

func TestScoreOverride(t *testing.T) {
	cases := []struct {
		name           string
		p              Profile
		j              Judgement
		override       string
		wantComputed   string
		wantLevel      string
		wantRank       int
		wantOverridden bool
	}{
		{"raise basso to alto", PNA2019Qualitative(), qualJudgement([6]int{1, 1, 1, 1, 1, 1}, [4]int{1, 1, 1, 1}), RiskAlto, RiskBasso, RiskAlto, 3, true},
		{"lower alto to medio", PNA2019Qualitative(), qualJudgement([6]int{3, 1, 1, 1, 1, 1}, [4]int{3, 1, 1, 1}), RiskMedio, RiskAlto, RiskMedio, 2, true},
		{"confirming the computed level is no override", PNA2019Qualitative(), qualJudgement([6]int{2, 1, 1, 1, 1, 1}, [4]int{2, 1, 1, 1}), RiskMedio, RiskMedio, RiskMedio, 2, false},
		{"five levels to molto alto", PNA2019FiveLevels(), qualJudgement([6]int{1, 1, 1, 1, 1, 1}, [4]int{1, 1, 1, 1}), RiskMoltoAlto, RiskMoltoBasso, RiskMoltoAlto, 5, true},
		{"numeric basso to medio", PNA2013Allegato5(AggregationMean), numJudgement([6]int{1, 2, 1, 1, 1, 1}, [4]int{1, 1, 0, 1}), RiskMedio, RiskBasso, RiskMedio, 2, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.j.Override = &Override{Level: c.override, Reason: "Ponderazione del RPCT su dati di contesto."}
			s, err := c.p.Score(c.j)
			if err != nil {
				t.Fatal(err)
			}
			if s.ComputedLevel != c.wantComputed || s.Level != c.wantLevel || s.Rank != c.wantRank || s.Overridden != c.wantOverridden {
				t.Fatalf("got %+v", s)
			}
		})
	}
}

func TestScoreJudgementErrors(t *testing.T) {
	base := func() Judgement { return qualJudgement([6]int{1, 2, 3, 1, 2, 3}, [4]int{1, 2, 3, 1}) }
	manual := func() Profile {
		p := PNA2019Qualitative()
		p.LikelihoodAggregation, p.ImpactAggregation = AggregationManual, AggregationManual
		return p
	}
	manualJ := func() Judgement {
		j := base()
		j.LikelihoodManual, j.ImpactManual, j.ManualReason = methIntPtr(2), methIntPtr(2), "Scelta manuale motivata dal RPCT."
		return j
	}
	cases := []struct {
		name    string
		p       Profile
		j       Judgement
		field   string
		code    string
		message string // a substring of the message, when it matters
	}{
		{"unknown indicator", PNA2019Qualitative(), func() Judgement {
			j := base()
			j.Values = append(j.Values, IndicatorValue{Code: "KRI-9", Value: 1, Reason: "x"})
			return j
		}(), "values[10].code", "indicator_unknown", "KRI-9"},
		{"duplicate indicator", PNA2019Qualitative(), func() Judgement {
			j := base()
			j.Values = append(j.Values, IndicatorValue{Code: "KRI-1", Value: 1, Reason: "x"})
			return j
		}(), "values[10].code", "indicator_duplicate", "values[0]"},
		{"missing indicator", PNA2019Qualitative(), func() Judgement { j := base(); j.Values = j.Values[:9]; return j }(), "values", "indicator_missing", "IMP-4"},
		{"no values at all", PNA2019Qualitative(), Judgement{Reason: methodologyReason}, "values", "indicator_missing", "KRI-1"},
		{"value above scale", PNA2019Qualitative(), func() Judgement { j := base(); j.Values[2].Value = 4; return j }(), "values[2].value", "value_out_of_scale", "1, 2, 3"},
		{"value zero", PNA2019Qualitative(), func() Judgement { j := base(); j.Values[7].Value = 0; return j }(), "values[7].value", "value_out_of_scale", "IMP-2"},
		{"indicator reason blank", PNA2019Qualitative(), func() Judgement { j := base(); j.Values[3].Reason = "  "; return j }(), "values[3].reason", "reason_required", "KRI-4"},
		{"manual likelihood missing", manual(), func() Judgement { j := manualJ(); j.LikelihoodManual = nil; return j }(), "likelihood_manual", "manual_required", ""},
		{"manual impact missing", manual(), func() Judgement { j := manualJ(); j.ImpactManual = nil; return j }(), "impact_manual", "manual_required", ""},
		{"manual value out of scale", manual(), func() Judgement { j := manualJ(); j.LikelihoodManual = methIntPtr(4); return j }(), "likelihood_manual", "value_out_of_scale", ""},
		{"manual reason missing", manual(), func() Judgement { j := manualJ(); j.ManualReason = ""; return j }(), "manual_reason", "reason_required", ""},
		{"manual reason short", manual(), func() Judgement { j := manualJ(); j.ManualReason = "troppo breve"; return j }(), "manual_reason", "reason_required", ""},
		{"manual value on computed profile", PNA2019Qualitative(), func() Judgement { j := base(); j.ImpactManual = methIntPtr(2); return j }(), "impact_manual", "manual_not_allowed", ""},
		{"override unknown level", PNA2019Qualitative(), func() Judgement {
			j := base()
			j.Override = &Override{Level: RiskMoltoAlto, Reason: "Ponderazione del RPCT su dati di contesto."}
			return j
		}(), "override.level", "level_unknown", "molto_alto"},
		{"override short reason", PNA2019Qualitative(), func() Judgement {
			j := base()
			j.Override = &Override{Level: RiskAlto, Reason: "perché sì"}
			return j
		}(), "override.reason", "reason_required", ""},
		{"overall reason missing", PNA2019Qualitative(), func() Judgement { j := base(); j.Reason = " \t "; return j }(), "reason", "reason_required", ""},
		{"overall reason 19 characters", PNA2019Qualitative(), func() Judgement { j := base(); j.Reason = strings.Repeat("à", 19); return j }(), "reason", "reason_required", ""},
		{"numeric P2=3 not an answer", PNA2013Allegato5(AggregationMean), numJudgement([6]int{1, 3, 1, 1, 1, 1}, [4]int{1, 1, 0, 1}), "values[1].value", "value_out_of_scale", "2, 5"},
		{"numeric I1=0 not an answer", PNA2013Allegato5(AggregationMax), numJudgement([6]int{1, 2, 1, 1, 1, 1}, [4]int{0, 1, 0, 1}), "values[6].value", "value_out_of_scale", "I1"},
		{"numeric manual not allowed", PNA2013Allegato5(AggregationMean), func() Judgement {
			j := numJudgement([6]int{1, 2, 1, 1, 1, 1}, [4]int{1, 1, 0, 1})
			j.LikelihoodManual = methIntPtr(3)
			return j
		}(), "likelihood_manual", "manual_not_allowed", ""},
		{"numeric reason still required", PNA2013Allegato5(AggregationMean), func() Judgement {
			j := numJudgement([6]int{1, 2, 1, 1, 1, 1}, [4]int{1, 1, 0, 1})
			j.Reason = ""
			return j
		}(), "reason", "reason_required", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := c.p.Score(c.j)
			if s != (Score{}) {
				t.Errorf("score returned with an error: %+v", s)
			}
			problems := methProblemsOf(t, err, "judgement_invalid")
			for _, pr := range problems {
				if pr.Field == c.field && pr.Code == c.code {
					if !strings.Contains(pr.Message, c.message) {
						t.Errorf("message %q lacks %q", pr.Message, c.message)
					}
					return
				}
			}
			t.Fatalf("want %s %s, got %v", c.field, c.code, problems)
		})
	}
}

func TestScoreCollectsEveryProblem(t *testing.T) {
	j := qualJudgement([6]int{1, 2, 3, 1, 2, 3}, [4]int{1, 2, 3, 1})
	j.Values[0].Value = 9
	j.Values[4].Reason = ""
	j.Values = j.Values[:9] // IMP-4 missing
	j.Override = &Override{Level: "critico"}
	j.Reason = "breve"
	_, err := PNA2019Qualitative().Score(j)
	problems := methProblemsOf(t, err, "judgement_invalid")
	want := []struct{ field, code string }{
		{"values[0].value", "value_out_of_scale"},
		{"values[4].reason", "reason_required"},
		{"values", "indicator_missing"},
		{"override.level", "level_unknown"},
		{"override.reason", "reason_required"},
		{"reason", "reason_required"},
	}
	if len(problems) != len(want) {
		t.Fatalf("got %d problems: %v", len(problems), problems)
	}
	for k, w := range want {
		if problems[k].Field != w.field || problems[k].Code != w.code {
			t.Errorf("problem %d: got %s %s, want %s %s", k, problems[k].Field, problems[k].Code, w.field, w.code)
		}
	}
}

func TestScoreReasonLengthCountsCharacters(t *testing.T) {
	j := qualJudgement([6]int{1, 1, 1, 1, 1, 1}, [4]int{1, 1, 1, 1})
	j.Reason = "  " + strings.Repeat("è", 20) + "  " // 20 characters, 40 bytes
	if _, err := PNA2019Qualitative().Score(j); err != nil {
		t.Fatal(err)
	}
}

func TestScoreNumeric(t *testing.T) {
	mean, maxI := PNA2013Allegato5(AggregationMean), PNA2013Allegato5(AggregationMax)
	cases := []struct {
		name       string
		p          Profile
		pAns       [6]int
		iAns       [4]int
		wantP      float64
		wantI      float64
		wantProd   float64
		wantLevel  string
		wantCell   [2]int
		wantPLabel string
		wantILabel string
	}{
		{"all minimum, mean", mean, [6]int{1, 2, 1, 1, 1, 1}, [4]int{1, 1, 0, 1}, 7.0 / 6, 0.75, 0.875, RiskBasso, [2]int{1, 1}, "Improbabile", "Marginale"},
		{"all minimum, max", maxI, [6]int{1, 2, 1, 1, 1, 1}, [4]int{1, 1, 0, 1}, 7.0 / 6, 1, 7.0 / 6, RiskBasso, [2]int{1, 1}, "Improbabile", "Marginale"},
		{"all maximum, mean", mean, [6]int{5, 5, 5, 5, 5, 5}, [4]int{5, 5, 5, 5}, 5, 5, 25, RiskAlto, [2]int{5, 5}, "Altamente probabile", "Superiore"},
		{"all maximum, max", maxI, [6]int{5, 5, 5, 5, 5, 5}, [4]int{5, 5, 5, 5}, 5, 5, 25, RiskAlto, [2]int{5, 5}, "Altamente probabile", "Superiore"},
		{"P1=P2=5 others minimum, mean", mean, [6]int{5, 5, 1, 1, 1, 1}, [4]int{1, 1, 0, 1}, 14.0 / 6, 0.75, 1.75, RiskBasso, [2]int{2, 1}, "Poco probabile", "Marginale"},
		{"P1=P2=5 others minimum, max", maxI, [6]int{5, 5, 1, 1, 1, 1}, [4]int{1, 1, 0, 1}, 14.0 / 6, 1, 14.0 / 6, RiskBasso, [2]int{2, 1}, "Poco probabile", "Marginale"},
		{"P 2 × mean I 1.75 → basso", mean, [6]int{1, 5, 1, 1, 1, 3}, [4]int{5, 1, 0, 1}, 2, 1.75, 3.5, RiskBasso, [2]int{2, 2}, "Poco probabile", "Minore"},
		{"P 2 × max I 5 → medio", maxI, [6]int{1, 5, 1, 1, 1, 3}, [4]int{5, 1, 0, 1}, 2, 5, 10, RiskMedio, [2]int{2, 5}, "Poco probabile", "Superiore"},
		{"P 3 × mean I 1.5 → basso", mean, [6]int{5, 5, 3, 3, 1, 1}, [4]int{4, 1, 0, 1}, 3, 1.5, 4.5, RiskBasso, [2]int{3, 2}, "Probabile", "Minore"},
		{"P 3 × max I 4 → alto", maxI, [6]int{5, 5, 3, 3, 1, 1}, [4]int{4, 1, 0, 1}, 3, 4, 12, RiskAlto, [2]int{3, 4}, "Probabile", "Serio"},
		{"exactly 6: P 2 × I 3", mean, [6]int{1, 5, 1, 1, 1, 3}, [4]int{3, 5, 1, 3}, 2, 3, 6, RiskMedio, [2]int{2, 3}, "Poco probabile", "Soglia"},
		{"exactly 6: P 16/6 × I 9/4", mean, [6]int{5, 5, 1, 1, 1, 3}, [4]int{5, 1, 2, 1}, 16.0 / 6, 2.25, 6, RiskMedio, [2]int{3, 2}, "Probabile", "Minore"},
		{"exactly 6: P 1.5 × max I 4", maxI, [6]int{1, 2, 1, 1, 1, 3}, [4]int{4, 1, 0, 1}, 1.5, 4, 6, RiskMedio, [2]int{2, 4}, "Poco probabile", "Serio"},
		{"just below 6: 143/24", mean, [6]int{1, 2, 1, 1, 1, 5}, [4]int{5, 5, 2, 1}, 11.0 / 6, 3.25, 143.0 / 24, RiskBasso, [2]int{2, 3}, "Poco probabile", "Soglia"},
		{"exactly 12: P 3 × I 4", mean, [6]int{5, 5, 3, 3, 1, 1}, [4]int{4, 5, 3, 4}, 3, 4, 12, RiskAlto, [2]int{3, 4}, "Probabile", "Serio"},
		{"just below 12: 285/24", mean, [6]int{5, 5, 1, 1, 1, 2}, [4]int{5, 5, 4, 5}, 2.5, 4.75, 11.875, RiskMedio, [2]int{3, 5}, "Probabile", "Superiore"},
		{"halves round up: P 1.5, I 2.5", mean, [6]int{1, 2, 1, 1, 1, 3}, [4]int{3, 5, 1, 1}, 1.5, 2.5, 3.75, RiskBasso, [2]int{2, 3}, "Poco probabile", "Soglia"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := c.p.Score(numJudgement(c.pAns, c.iAns))
			if err != nil {
				t.Fatal(err)
			}
			rl, _ := c.p.LevelByCode(c.wantLevel)
			want := Score{
				Likelihood: c.wantP, LikelihoodLabel: c.wantPLabel, Impact: c.wantI, ImpactLabel: c.wantILabel,
				Product: c.wantProd, ComputedLevel: c.wantLevel, Level: c.wantLevel, Rank: rl.Rank, Cell: c.wantCell,
			}
			if s != want {
				t.Fatalf("got %+v\nwant %+v", s, want)
			}
		})
	}
}

func TestBandBoundaries(t *testing.T) {
	p := PNA2013Allegato5(AggregationMean)
	for _, c := range []struct {
		x    float64
		want string
	}{{0, RiskBasso}, {5.999, RiskBasso}, {6, RiskMedio}, {11.999, RiskMedio}, {12, RiskAlto}, {25, RiskAlto}, {25.001, ""}, {-0.1, ""}} {
		if got := p.bandLevel(c.x); got != c.want {
			t.Errorf("%g: got %q, want %q", c.x, got, c.want)
		}
	}
}

func TestWorst(t *testing.T) {
	three, five := PNA2019Qualitative(), PNA2019FiveLevels()
	cases := []struct {
		p      Profile
		levels []string
		want   string
		ok     bool
	}{
		{three, nil, "", false},
		{three, []string{"critico"}, "", false},
		{three, []string{RiskBasso}, RiskBasso, true},
		{three, []string{RiskBasso, RiskAlto, RiskMedio}, RiskAlto, true},
		{three, []string{RiskMedio, RiskBasso, RiskMedio}, RiskMedio, true},
		{three, []string{"critico", RiskBasso}, RiskBasso, true},
		{three, []string{RiskMoltoAlto, RiskMedio}, RiskMedio, true}, // molto_alto is not a level of the 3-level profile
		{five, []string{RiskAlto, RiskMoltoBasso, RiskMoltoAlto, RiskMedio}, RiskMoltoAlto, true},
		{five, []string{RiskMoltoBasso, RiskBasso}, RiskBasso, true},
	}
	for _, c := range cases {
		got, ok := c.p.Worst(c.levels)
		if ok != c.ok || got.Code != c.want {
			t.Errorf("%s %v: got %+v %v, want %s %v", c.p.Code, c.levels, got, ok, c.want, c.ok)
		}
	}
}
