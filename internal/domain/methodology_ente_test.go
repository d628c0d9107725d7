package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/domain"
)

// fourLevelProfile is an ente's own profile: two likelihood and two impact indicators on 4-level scales,
// likelihood by mode, impact by max, a monotone 4×4 matrix into three levels.
func fourLevelProfile() domain.Profile {
	scale := func(prefix string) []domain.ScaleLevel {
		return []domain.ScaleLevel{{Value: 1, Label: prefix + " minima"}, {Value: 2, Label: prefix + " bassa"},
			{Value: 3, Label: prefix + " media"}, {Value: 4, Label: prefix + " alta"}}
	}
	ind := func(code string) domain.Indicator {
		return domain.Indicator{Code: code, Name: "Indicatore " + code, Question: "Domanda " + code + "?", Levels: scale("risposta")}
	}
	return domain.Profile{
		Code: "ente-4x4", Name: "Profilo dell'ente 4×4", Kind: domain.ProfileKindQualitative,
		LikelihoodIndicators:  []domain.Indicator{ind("P-A"), ind("P-B"), ind("P-C")},
		ImpactIndicators:      []domain.Indicator{ind("I-A"), ind("I-B")},
		LikelihoodAggregation: domain.AggregationMode, ImpactAggregation: domain.AggregationMax,
		LikelihoodScale: scale("probabilità"), ImpactScale: scale("gravità"),
		RiskLevels: []domain.RiskLevel{{Code: "basso", Label: "Basso", Rank: 1}, {Code: "medio", Label: "Medio", Rank: 2}, {Code: "alto", Label: "Alto", Rank: 3}},
		Matrix: [][]string{
			{"basso", "basso", "basso", "medio"},
			{"basso", "basso", "medio", "medio"},
			{"basso", "medio", "medio", "alto"},
			{"medio", "medio", "alto", "alto"},
		},
		IndicatorReasonRequired: true,
	}
}

func problemFields(t *testing.T, err error) map[string]string {
	t.Helper()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %T %v", err, err)
	}
	out := map[string]string{}
	for _, p := range ve.Problems {
		out[p.Field] = p.Code
	}
	return out
}

func TestValidateEnteProfileAcceptsAWellFormedProfile(t *testing.T) {
	if err := domain.ValidateEnteProfile(fourLevelProfile()); err != nil {
		t.Fatalf("valid profile refused: %v", err)
	}
	numeric := domain.PNA2013Allegato5(domain.AggregationMax)
	numeric.Code = "ente-numerico"
	numeric.Bands = []domain.Band{{Min: 0, Max: 5, Level: "basso"}, {Min: 5, Max: 10, Level: "medio"}, {Min: 10, Max: 25, Level: "alto"}}
	if err := domain.ValidateEnteProfile(numeric); err != nil {
		t.Fatalf("valid numeric profile refused: %v", err)
	}
}

func TestValidateEnteProfileNamesEachProblem(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(p *domain.Profile)
		field string
		code  string
	}{
		{"matrix not monotone along likelihood", func(p *domain.Profile) { p.Matrix[3][0] = "basso"; p.Matrix[2][0] = "medio" }, "matrix[3][0]", "matrix_not_monotone"},
		{"matrix not monotone along impact", func(p *domain.Profile) { p.Matrix[0][3] = "basso"; p.Matrix[0][2] = "medio" }, "matrix[0][3]", "matrix_not_monotone"},
		{"matrix row missing", func(p *domain.Profile) { p.Matrix = p.Matrix[:3] }, "matrix", "matrix_size"},
		{"matrix cell short", func(p *domain.Profile) { p.Matrix[1] = p.Matrix[1][:3] }, "matrix[1]", "matrix_size"},
		{"matrix cell unknown", func(p *domain.Profile) { p.Matrix[1][1] = "critico" }, "matrix[1][1]", "level_unknown"},
		{"indicator value off its scale", func(p *domain.Profile) { p.ImpactIndicators[1].Levels[3].Value = 7 }, "impact_indicators[1].levels[3].value", "value_out_of_scale"},
		{"duplicate indicator code across axes", func(p *domain.Profile) { p.ImpactIndicators[0].Code = "P-B" }, "impact_indicators[0].code", "indicator_duplicate"},
		{"duplicate risk level", func(p *domain.Profile) { p.RiskLevels[2].Code = "medio" }, "risk_levels[2].code", "level_duplicate"},
		{"scale not 1..n", func(p *domain.Profile) { p.LikelihoodScale[2].Value = 5 }, "likelihood_scale[2].value", "scale_invalid"},
		{"aggregation unknown", func(p *domain.Profile) { p.ImpactAggregation = "median" }, "impact_aggregation", "aggregation_invalid"},
		{"code of a shipped profile", func(p *domain.Profile) { p.Code = domain.ProfilePNA2019 }, "code", "code_reserved"},
		{"code not a slug", func(p *domain.Profile) { p.Code = "Profilo Ente" }, "code", "code_invalid"},
		{"label missing", func(p *domain.Profile) { p.LikelihoodIndicators[0].Levels[1].Label = " " }, "likelihood_indicators[0].levels[1].label", "required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := fourLevelProfile()
			tc.edit(&p)
			got := problemFields(t, domain.ValidateEnteProfile(p))
			if got[tc.field] != tc.code {
				t.Fatalf("want %s at %s, got %v", tc.code, tc.field, got)
			}
		})
	}
}

func TestValidateEnteProfileBandsMustBeMonotone(t *testing.T) {
	p := domain.PNA2013Allegato5(domain.AggregationMean)
	p.Code = "ente-fasce"
	p.Bands = []domain.Band{{Min: 0, Max: 6, Level: "medio"}, {Min: 6, Max: 12, Level: "basso"}, {Min: 12, Max: 25, Level: "alto"}}
	got := problemFields(t, domain.ValidateEnteProfile(p))
	if got["bands[1].level"] != "bands_not_monotone" {
		t.Fatalf("non-monotone bands: %v", got)
	}
	// Profile.Validate alone (what scoring a stored cycle runs) does not judge monotonicity: stored cycles keep
	// scoring as they did.
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestSameRulesAcceptsWordingOnly(t *testing.T) {
	cur := domain.PNA2019Qualitative()
	next := domain.PNA2019Qualitative()
	next.Name = "PNA 2019 – metodologia dell'ente"
	next.LikelihoodIndicators[0].Name = "Interesse esterno"
	next.LikelihoodIndicators[0].Question = "Il processo attribuisce vantaggi a terzi?"
	next.LikelihoodIndicators[0].Levels[2].Description = "Vantaggi economici rilevanti"
	next.ImpactScale[1].Label = "Moderato"
	next.RiskLevels[2].Label = "Elevato"
	if err := domain.SameRules(cur, next); err != nil {
		t.Fatalf("wording refused: %v", err)
	}
	rules := []struct {
		edit  func(p *domain.Profile)
		field string
	}{
		{func(p *domain.Profile) { p.LikelihoodAggregation = domain.AggregationMean }, "likelihood_aggregation"},
		{func(p *domain.Profile) { p.Matrix[0][0] = domain.RiskMedio }, "matrix"},
		{func(p *domain.Profile) { p.LikelihoodIndicators[2].Code = "KRI-9" }, "likelihood_indicators[2].code"},
		{func(p *domain.Profile) { p.ImpactIndicators[1].Levels[0].Value = 0 }, "impact_indicators[1].levels[0].value"},
		{func(p *domain.Profile) { p.ImpactIndicators = p.ImpactIndicators[:3] }, "impact_indicators"},
		{func(p *domain.Profile) { p.RiskLevels[0].Code = "minimo" }, "risk_levels[0].code"},
		{func(p *domain.Profile) { p.IndicatorReasonRequired = false }, "indicator_reason_required"},
	}
	for _, r := range rules {
		p := domain.PNA2019Qualitative()
		r.edit(&p)
		if got := problemFields(t, domain.SameRules(cur, p)); got[r.field] != "rule_changed" {
			t.Errorf("%s: want rule_changed, got %v", r.field, got)
		}
	}
}

func TestPreviewComputesTheLevelOfEachExample(t *testing.T) {
	p := fourLevelProfile()
	cases := []struct {
		values map[string]int
		l, i   float64
		level  string
	}{
		// likelihood: mode of 1,1,4 → 1; impact: max of 2,4 → 4; matrix[0][3] = medio
		{map[string]int{"P-A": 1, "P-B": 1, "P-C": 4, "I-A": 2, "I-B": 4}, 1, 4, "medio"},
		// mode with a three-way tie goes to the highest: 2,3,4 → 4; impact 3 → alto
		{map[string]int{"P-A": 2, "P-B": 3, "P-C": 4, "I-A": 3, "I-B": 1}, 4, 3, "alto"},
		{map[string]int{"P-A": 1, "P-B": 1, "P-C": 1, "I-A": 1, "I-B": 1}, 1, 1, "basso"},
	}
	for _, c := range cases {
		s, err := p.Preview(domain.ProfileExample{Values: c.values})
		if err != nil {
			t.Fatalf("%v: %v", c.values, err)
		}
		if s.Likelihood != c.l || s.Impact != c.i || s.Level != c.level {
			t.Errorf("%v: got L=%v I=%v %s, want L=%v I=%v %s", c.values, s.Likelihood, s.Impact, s.Level, c.l, c.i, c.level)
		}
	}
	_, err := p.Preview(domain.ProfileExample{Values: map[string]int{"P-A": 9, "P-B": 1, "P-C": 1, "I-A": 1, "X": 2}})
	got := problemFields(t, err)
	if got["values.P-A"] != "value_out_of_scale" || got["values.X"] != "indicator_unknown" || got["values"] != "indicator_missing" {
		t.Fatalf("example problems: %v", got)
	}
	if !strings.Contains(err.Error(), "problem") {
		t.Fatalf("error text: %v", err)
	}
}
