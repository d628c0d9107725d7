package domain

import "testing"

func TestLeadUnit(t *testing.T) {
	for _, c := range []struct {
		units        []string
		chosen, want string
	}{
		{[]string{"SG", "AD1"}, "", "SG"},
		{[]string{"SG", "AD1"}, "AD1", "AD1"},
		{nil, "", ""},
	} {
		if got := LeadUnit(c.units, c.chosen); got != c.want {
			t.Errorf("LeadUnit(%v, %q) = %q, want %q", c.units, c.chosen, got, c.want)
		}
	}
}

func TestDuplicateEventWarnings(t *testing.T) {
	a := Assessment{Risks: []RiskEntry{
		{EventCode: "ER-1"}, {EventDescription: "Il funzionario  Favorisce"}, {EventCode: " ER-1 "},
		{EventDescription: "il funzionario favorisce"}, {}, {}, {EventCode: "ER-2"},
	}}
	w := a.DuplicateEventWarnings()
	if len(w) != 2 || w[0].Field != "risks[2].event_code" || w[1].Field != "risks[3].event_description" || w[0].Code != "duplicate_event" {
		t.Fatalf("warnings: %+v", w)
	}
}
