package domain_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/argine-pa/argine/internal/domain"
)

// TestSampleByCriteria: the criteria take their measures whole, the rest is drawn per stratum (every stratum
// represented), the same seed re-draws the same sample and reasons, and a stratum's draw does not depend on
// another's measures.
func TestSampleByCriteria(t *testing.T) {
	var cands []domain.SampleCandidate
	for i := range 40 {
		cands = append(cands, domain.SampleCandidate{ID: fmt.Sprintf("m%02d", i), Unit: []string{"AD1", "AD2"}[i%2],
			Area: []string{"A", "B"}[i/20], HighRisk: i == 3, Overdue: i == 3 || i == 8})
	}
	c := domain.SampleCriteria{HighRisk: true, Overdue: true, Percent: 20}
	ids, reasons := domain.SampleByCriteria(cands, c, 42)
	if reasons["m03"].Reason != domain.SampleReasonHighRisk || reasons["m08"].Reason != domain.SampleReasonOverdue {
		t.Fatalf("criteria not applied: %+v %+v", reasons["m03"], reasons["m08"])
	}
	perStratum := map[string]int{}
	for _, id := range ids {
		if r := reasons[id]; r.Reason == domain.SampleReasonRandom {
			perStratum[r.Stratum]++
		}
	}
	// AD1/A holds 10 measures less m08 (overdue) = 9 → 2; AD2/A 10 less m03 = 9 → 2; the B strata 10 → 2.
	want := map[string]int{"AD1 / A": 2, "AD2 / A": 2, "AD1 / B": 2, "AD2 / B": 2}
	if !reflect.DeepEqual(perStratum, want) || len(ids) != 10 {
		t.Fatalf("per stratum %v (%d drawn)", perStratum, len(ids))
	}
	again, reasons2 := domain.SampleByCriteria(cands, c, 42)
	if !reflect.DeepEqual(again, ids) || !reflect.DeepEqual(reasons2, reasons) {
		t.Fatal("the same seed drew another sample")
	}
	other, _ := domain.SampleByCriteria(cands, c, 43)
	if reflect.DeepEqual(other, ids) {
		t.Fatal("another seed drew the same sample (possible, but not with these seeds)")
	}
	// A measure added to AD2/B leaves the draw of AD1/A as it was.
	more, moreReasons := domain.SampleByCriteria(append(cands, domain.SampleCandidate{ID: "m99", Unit: "AD2", Area: "B"}), c, 42)
	for _, id := range ids {
		if reasons[id].Stratum == "AD1 / A" && moreReasons[id].Stratum != "AD1 / A" {
			t.Fatalf("adding to another stratum changed AD1 / A: %v vs %v", ids, more)
		}
	}
	// Without criteria and percent nothing is drawn; with the criteria alone only their measures.
	if none, _ := domain.SampleByCriteria(cands, domain.SampleCriteria{}, 1); len(none) != 0 {
		t.Fatalf("nothing asked, %v drawn", none)
	}
	if only, _ := domain.SampleByCriteria(cands, domain.SampleCriteria{Overdue: true}, 1); !reflect.DeepEqual(only, []string{"m03", "m08"}) {
		t.Fatalf("overdue only: %v", only)
	}
}
