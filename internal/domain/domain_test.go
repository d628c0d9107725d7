package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseCycleCode(t *testing.T) {
	if s, e, err := ParseCycleCode("2026-2028"); err != nil || s != 2026 || e != 2028 {
		t.Fatalf("%d %d %v", s, e, err)
	}
	for _, bad := range []string{"2026-2027", "2026", "26-28", "2026-2028x", "2028-2026", ""} {
		if _, _, err := ParseCycleCode(bad); !errors.Is(err, ErrInvalid) || CodeOf(err) != "cycle_code_invalid" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestValidateEnteCode(t *testing.T) {
	for _, ok := range []string{"cciaa-basilicata", "ab", "ente-2"} {
		if err := ValidateEnteCode(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a", "CCIAA", "-x", "a b", "a_b"} {
		if err := ValidateEnteCode(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFoldSearch(t *testing.T) {
	if got := FoldSearch("ATTIVITÀ Società Perché"); got != "attivita societa perche" {
		t.Fatal(got)
	}
}

func TestHashSeesEveryField(t *testing.T) {
	base := func() *ProcessMap {
		return &ProcessMap{
			Units: []RefItem{{"SG", "Segretario"}}, StrategicObjectives: []RefItem{{"OS1", "x"}}, RiskAreas: []RefItem{{"M", "y"}},
			Nodes: []MapNode{{Level: LevelMacro, Code: "A1", Title: "t", Function: "f", Units: []string{"SG"},
				StrategicObjectives: []string{"OS1"}, RiskAreas: []string{"M"}, Marker: "*", Note: "n"}},
		}
	}
	h := base().Hash()
	mutations := []func(*ProcessMap){
		func(m *ProcessMap) { m.Units[0].Title = "z" },
		func(m *ProcessMap) { m.StrategicObjectives[0].Code = "OS2" },
		func(m *ProcessMap) { m.RiskAreas = nil },
		func(m *ProcessMap) { m.Nodes[0].Title = "u" },
		func(m *ProcessMap) { m.Nodes[0].Function = "g" },
		func(m *ProcessMap) { m.Nodes[0].Units = []string{"SG", "AD1"} },
		func(m *ProcessMap) { m.Nodes[0].StrategicObjectives = nil },
		func(m *ProcessMap) { m.Nodes[0].RiskAreas = []string{"A"} },
		func(m *ProcessMap) { m.Nodes[0].Marker = "**" },
		func(m *ProcessMap) { m.Nodes[0].Note = "" },
		func(m *ProcessMap) { m.Nodes[0].Code = "A2" },
	}
	for i, mutate := range mutations {
		m := base()
		mutate(m)
		if m.Hash() == h {
			t.Errorf("mutation %d does not change the hash", i)
		}
	}
	if base().Hash() != h {
		t.Fatal("hash is not deterministic")
	}
}

func TestLevels(t *testing.T) {
	if LevelMacro.Depth() != 1 || LevelAction.Depth() != 4 || Level("x").Valid() {
		t.Fatal("levels")
	}
	if !ExtendsParent("A1.1", "A1") || ExtendsParent("A1", "A1") || ExtendsParent("B1.1", "A1") {
		t.Fatal("ExtendsParent")
	}
}

func TestAssessmentTransitions(t *testing.T) {
	long := "una motivazione sufficiente"
	cases := []struct {
		from    AssessmentState
		t       Transition
		comment string
		to      AssessmentState
		err     string // "", "conflict", "invalid"
	}{
		{StateDraft, TransitionSubmit, "", StateSubmitted, ""},
		{StateReturned, TransitionSubmit, "", StateSubmitted, ""},
		{StateSubmitted, TransitionSubmit, "", StateSubmitted, "conflict"},
		{StateApproved, TransitionSubmit, "", StateApproved, "conflict"},
		{StateSubmitted, TransitionApprove, "", StateApproved, ""},
		{StateDraft, TransitionApprove, "", StateDraft, "conflict"},
		{StateReturned, TransitionApprove, "", StateReturned, "conflict"},
		{StateApproved, TransitionApprove, "", StateApproved, "conflict"},
		{StateSubmitted, TransitionReturn, long, StateReturned, ""},
		{StateSubmitted, TransitionReturn, "breve", StateReturned, "invalid"},
		{StateDraft, TransitionReturn, long, StateDraft, "conflict"},
		{StateApproved, TransitionReopen, long, StateDraft, ""},
		{StateApproved, TransitionReopen, "", StateDraft, "invalid"},
		{StateSubmitted, TransitionReopen, long, StateSubmitted, "conflict"},
		{StateDraft, "publish", "", StateDraft, "invalid"},
	}
	for _, c := range cases {
		to, err := c.from.Apply(c.t, c.comment)
		var te *TransitionError
		switch c.err {
		case "":
			if err != nil || to != c.to {
				t.Errorf("%s %s: %s %v", c.from, c.t, to, err)
			}
		case "conflict":
			if !errors.As(err, &te) || te.From != c.from || !errors.Is(err, ErrConflict) {
				t.Errorf("%s %s: want a transition error, got %v", c.from, c.t, err)
			}
		case "invalid":
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s %s: want invalid, got %v", c.from, c.t, err)
			}
		}
	}
	if FourEyes(TransitionApprove, "u1", "u1") == nil || FourEyes(TransitionApprove, "u1", "u2") != nil || FourEyes(TransitionReturn, "u1", "u1") != nil {
		t.Fatal("four eyes")
	}
}

func TestSampleIsReproducible(t *testing.T) {
	ids := []string{"m5", "m1", "m3", "m2", "m4", "m6", "m7", "m8", "m9", "m10"}
	a, b := Sample(ids, 30, 42), Sample(append([]string(nil), ids...), 30, 42)
	if len(a) != 3 || strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("samples %v / %v", a, b)
	}
	if c := Sample(ids, 30, 43); strings.Join(c, ",") == strings.Join(a, ",") && strings.Join(Sample(ids, 30, 44), ",") == strings.Join(a, ",") {
		t.Fatal("the seed does not change the sample")
	}
	if len(Sample(ids, 1, 1)) != 1 || len(Sample(ids, 100, 1)) != 10 || len(Sample(ids, 0, 1)) != 0 {
		t.Fatal("sample sizes")
	}
}

func TestSuggestedImplementationValue(t *testing.T) {
	cases := map[int][]ImplementationStatus{
		0: nil,
		1: {StatusImplemented, StatusNoLongerRelevant},
		2: {StatusImplemented, StatusOnTime},
		3: {StatusImplemented, StatusLate},
	}
	for want, statuses := range cases {
		if got := SuggestedImplementationValue(statuses); got != want {
			t.Errorf("%v: %d, want %d", statuses, got, want)
		}
	}
}

func TestIsDate(t *testing.T) {
	for s, want := range map[string]bool{"2026-03-31": true, "2028-02-29": true, "2026-02-29": false, "2026-13-01": false, "31/03/2026": false, "": false, "2026-03-31T00:00:00Z": false} {
		if got := IsDate(s); got != want {
			t.Errorf("IsDate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestBlocked(t *testing.T) {
	var codes []string
	for i := range 60 {
		codes = append(codes, fmt.Sprintf("L%02d", i))
	}
	err := Blocked("consolidation_blocked", codes, "%d leaves block", len(codes))
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) || CodeOf(err) != "consolidation_blocked" || err.Error() != "60 leaves block" ||
		ce.Pending != 60 || len(ce.Blockers) != MaxBlockers || ce.Blockers[0] != "L00" || ce.Blockers[49] != "L49" {
		t.Fatalf("%v %+v", err, ce)
	}
	codes[0] = "changed"
	if ce.Blockers[0] != "L00" {
		t.Fatal("the blockers alias the caller's slice")
	}
	if err := Blocked("x", codes[:2], "two"); !errors.As(err, &ce) || ce.Pending != 2 || len(ce.Blockers) != 2 {
		t.Fatalf("%+v", ce)
	}
}
