package domain

import (
	"slices"
	"testing"
)

// TestMissingInJudgement: every item a judgement lacks is named by path, indicators by code; a complete
// judgement lacks nothing; an empty one lacks every value and reason.
func TestMissingInJudgement(t *testing.T) {
	p := PNA2019Qualitative()
	if got := p.MissingInJudgement(qualJudgement([6]int{1, 2, 3, 1, 2, 3}, [4]int{1, 2, 3, 1})); len(got) != 0 {
		t.Fatalf("a complete judgement lacks %v", got)
	}
	empty := p.MissingInJudgement(Judgement{})
	if len(empty) != 2*10+1 || empty[0] != "indicators.KRI-1.value" || empty[1] != "indicators.KRI-1.reason" || empty[len(empty)-1] != "reason" {
		t.Fatalf("empty judgement: %v", empty)
	}
	manual := PNA2019Qualitative()
	manual.LikelihoodAggregation, manual.ImpactAggregation = AggregationManual, AggregationManual
	j := qualJudgement([6]int{1, 2, 3, 1, 2, 3}, [4]int{1, 2, 3, 1})
	j.Values[3].Reason = " "
	j.Override = &Override{}
	got := manual.MissingInJudgement(j)
	want := []string{"indicators.KRI-4.reason", "likelihood_manual", "impact_manual", "manual_reason", "override.level", "override.reason"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestInvalidOnly: of a judgement's problems, a draft keeps only the values present and wrong.
func TestInvalidOnly(t *testing.T) {
	p := PNA2019Qualitative()
	j := Judgement{Values: []IndicatorValue{{Code: "KRI-1", Value: 9}, {Code: "KRI-2", Value: 2}, {Code: "KRI-77", Value: 1}}, Override: &Override{}}
	_, err := p.Score(j)
	ve, ok := invalidOnly(err, j).(*ValidationError)
	if !ok {
		t.Fatalf("want the invalid values kept, got %v", err)
	}
	var got []string
	for _, pr := range ve.Problems {
		got = append(got, pr.Field+":"+pr.Code)
	}
	if !slices.Equal(got, []string{"values[0].value:value_out_of_scale", "values[2].code:indicator_unknown"}) {
		t.Fatalf("kept %v", got)
	}
	j = Judgement{Values: []IndicatorValue{{Code: "KRI-1", Value: 2}}}
	if _, err := p.Score(j); err == nil || invalidOnly(err, j) != nil {
		t.Fatalf("an incomplete but valid judgement: %v / %v", err, invalidOnly(err, j))
	}
}
