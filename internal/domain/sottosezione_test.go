package domain

import (
	"strings"
	"testing"
)

func f(v float64) *float64 { return &v }

func TestContextAnalysisValidation(t *testing.T) {
	a := ContextAnalysis{
		External: ContextScope{Items: []ContextItem{
			{Category: "economia", Label: "Imprese registrate", Value: f(100), Year: 2024},
			{Category: "economia", Label: "imprese registrate", Value: f(90), Year: 2025},
			{Category: "economia", Label: "Imprese registrate", Value: f(80), Year: 2023},
		}},
		Internal: ContextScope{Items: []ContextItem{{Category: "personale", Label: "Dipendenti", OrgUnit: "AD1", Value: f(5), Year: 2025}}},
	}
	if err := a.Validate([]string{"AD1"}); err != nil {
		t.Fatal(err)
	}
	if a.External.Items[0].ID == "" || len(a.ItemIDs()) != 4 {
		t.Fatalf("ids: %+v", a)
	}
	tr := a.Trends()
	if len(tr) != 2 || len(tr[0].Points) != 3 || tr[0].Points[0].Year != 2023 || tr[0].Change == nil || *tr[0].Change != -10 {
		t.Fatalf("trends: %+v", tr)
	}
	bad := ContextAnalysis{External: ContextScope{Items: []ContextItem{
		{Category: "personale", Label: "x"},            // an internal category outside
		{Category: "economia", Label: "", Value: f(1)}, // no label, a value without a year
		{ID: a.External.Items[0].ID, Category: "economia", Label: "y"},
		{ID: a.External.Items[0].ID, Category: "economia", Label: "z", SourceDate: "31/12/2025"},
	}}}
	err := bad.Validate(nil)
	want := []string{"external.items[0].category", "external.items[1].label", "external.items[1].year", "external.items[3].id", "external.items[3].source_date"}
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("want a validation error, got %v", err)
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Field)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("problems %v, want %v", got, want)
	}
}

func TestSettingsAndSelfCheck(t *testing.T) {
	n := 49
	if err := (&SottosezioneSettings{Simplified: true, Headcount: &n, HeadcountDate: "2025-12-31"}).Validate(); err != nil {
		t.Fatal(err)
	}
	n = 50
	if err := (&SottosezioneSettings{Simplified: true, Headcount: &n, HeadcountDate: "2025-12-31"}).Validate(); err == nil {
		t.Fatal("50 employees are not under the threshold")
	}
	sc := DefaultSelfCheck()
	if len(sc.Questions) != 12 {
		t.Fatalf("%d questions", len(sc.Questions))
	}
	themes := map[string]bool{}
	for _, q := range sc.Questions {
		themes[q.Theme] = true
	}
	if len(themes) != len(SelfCheckThemes) {
		t.Fatalf("the questions cover %d of the %d themes", len(themes), len(SelfCheckThemes))
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	sc.Questions[0].Evidence = []string{"/registro", "https://ente.example/x", "ftp://x"}
	if err := sc.Validate(); err == nil {
		t.Fatal("an ftp link is not evidence")
	}
}
