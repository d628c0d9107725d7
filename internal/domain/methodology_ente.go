package domain

import (
	"fmt"
	"regexp"
	"strings"
)

// This file holds the rules of the methodology profiles an ente defines itself (issue 17 part 5): the stricter
// validation a new definition passes (on top of Profile.Validate), the check that a wording correction leaves
// the rules alone, and the preview of a definition on example values.

// enteProfileCodePattern is the shape of the code of an ente-defined profile: lower-case slug.
var enteProfileCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,31}$`)

// Bounds of an ente-defined profile, so one request cannot store an unbounded document.
const (
	MaxProfileIndicators = 30
	MaxProfileLevels     = 10
	MaxProfileText       = 2000
)

// ValidateEnteProfile checks a profile an ente defines: everything Profile.Validate checks (unique codes,
// every indicator on its axis's scale, complete matrix, contiguous bands), plus a code that is a slug and
// not one of the shipped profiles', bounded sizes, a monotone matrix (a higher likelihood or impact never
// gives a lower level) and monotone bands (a higher P×I never gives a lower level). Problems come as one
// *ValidationError "profile_invalid" naming each field path.
func ValidateEnteProfile(p Profile) error {
	var pr methodologyProblems
	if err := p.Validate(); err != nil {
		ve, ok := err.(*ValidationError)
		if !ok {
			return err
		}
		pr.list = append(pr.list, ve.Problems...)
		pr.truncated = ve.Truncated
	}
	switch {
	case strings.TrimSpace(p.Code) == "":
		// already reported by Validate
	case !enteProfileCodePattern.MatchString(p.Code):
		pr.add("code", "code_invalid", "the code must be 2 to 32 characters among a-z, 0-9 and '-', starting with a letter or digit")
	default:
		if _, shipped := ProfileByCode(p.Code); shipped {
			pr.add("code", "code_reserved", "%s is the code of a profile Argine ships: choose another code", p.Code)
		}
	}
	if len([]rune(p.Name)) > MaxProfileText {
		pr.add("name", "too_long", "the name is longer than %d characters", MaxProfileText)
	}
	for _, g := range []struct {
		field string
		inds  []Indicator
	}{{"likelihood_indicators", p.LikelihoodIndicators}, {"impact_indicators", p.ImpactIndicators}} {
		if len(g.inds) > MaxProfileIndicators {
			pr.add(g.field, "too_many", "at most %d indicators per axis, got %d", MaxProfileIndicators, len(g.inds))
		}
		for i, ind := range g.inds {
			if len(ind.Levels) > MaxProfileLevels {
				pr.add(fmt.Sprintf("%s[%d].levels", g.field, i), "too_many", "at most %d levels per indicator, got %d", MaxProfileLevels, len(ind.Levels))
			}
			if len([]rune(ind.Question)) > MaxProfileText {
				pr.add(fmt.Sprintf("%s[%d].question", g.field, i), "too_long", "the question is longer than %d characters", MaxProfileText)
			}
		}
	}
	for _, s := range []struct {
		field string
		scale []ScaleLevel
	}{{"likelihood_scale", p.LikelihoodScale}, {"impact_scale", p.ImpactScale}} {
		if len(s.scale) > MaxProfileLevels+1 {
			pr.add(s.field, "too_many", "at most %d levels per scale, got %d", MaxProfileLevels+1, len(s.scale))
		}
	}
	if len(p.RiskLevels) > MaxProfileLevels {
		pr.add("risk_levels", "too_many", "at most %d risk levels, got %d", MaxProfileLevels, len(p.RiskLevels))
	}

	// Monotonicity, only where the shape is sound (Validate reported the rest).
	rank := func(code string) (int, bool) {
		l, ok := p.LevelByCode(code)
		return l.Rank, ok
	}
	if p.Kind == ProfileKindQualitative {
		for i, row := range p.Matrix {
			for j, c := range row {
				r, ok := rank(c)
				if !ok {
					continue
				}
				if i+1 < len(p.Matrix) && j < len(p.Matrix[i+1]) {
					if below, ok := rank(p.Matrix[i+1][j]); ok && below < r {
						pr.add(fmt.Sprintf("matrix[%d][%d]", i+1, j), "matrix_not_monotone",
							"likelihood %d gives %s, lower than %s at likelihood %d with the same impact: a higher likelihood must never lower the level",
							i+2, p.Matrix[i+1][j], c, i+1)
					}
				}
				if j+1 < len(row) {
					if right, ok := rank(row[j+1]); ok && right < r {
						pr.add(fmt.Sprintf("matrix[%d][%d]", i, j+1), "matrix_not_monotone",
							"impact %d gives %s, lower than %s at impact %d with the same likelihood: a higher impact must never lower the level",
							j+2, row[j+1], c, j+1)
					}
				}
			}
		}
	}
	if p.Kind == ProfileKindNumeric {
		for i := 1; i < len(p.Bands); i++ {
			prev, ok1 := rank(p.Bands[i-1].Level)
			cur, ok2 := rank(p.Bands[i].Level)
			if ok1 && ok2 && cur < prev {
				pr.add(fmt.Sprintf("bands[%d].level", i), "bands_not_monotone",
					"band %d gives %s, lower than %s of band %d: a higher P×I must never lower the level", i, p.Bands[i].Level, p.Bands[i-1].Level, i-1)
			}
		}
	}
	return pr.err("profile_invalid")
}

// SameRules reports, as a *ValidationError "wording_only", every place where next differs from current in
// anything but wording. Wording is the profile's name, the labels, questions and descriptions of indicators,
// scale levels and indicator levels, and the labels of risk levels; everything else (codes, kinds, values,
// ranks, aggregation, matrix, bands, the reason requirement, the profile version) is a rule.
func SameRules(current, next Profile) error {
	var pr methodologyProblems
	diff := func(field string, a, b any) {
		pr.add(field, "rule_changed", "%s is a rule, not wording: it was %v and would become %v", field, a, b)
	}
	if current.Code != next.Code {
		diff("code", current.Code, next.Code)
	}
	if current.Kind != next.Kind {
		diff("kind", current.Kind, next.Kind)
	}
	if current.ProfileVersion != next.ProfileVersion {
		diff("profile_version", current.ProfileVersion, next.ProfileVersion)
	}
	if current.LikelihoodAggregation != next.LikelihoodAggregation {
		diff("likelihood_aggregation", current.LikelihoodAggregation, next.LikelihoodAggregation)
	}
	if current.ImpactAggregation != next.ImpactAggregation {
		diff("impact_aggregation", current.ImpactAggregation, next.ImpactAggregation)
	}
	if current.IndicatorReasonRequired != next.IndicatorReasonRequired {
		diff("indicator_reason_required", current.IndicatorReasonRequired, next.IndicatorReasonRequired)
	}
	scales := func(field string, a, b []ScaleLevel) {
		if len(a) != len(b) {
			diff(field, fmt.Sprintf("%d levels", len(a)), fmt.Sprintf("%d levels", len(b)))
			return
		}
		for i := range a {
			if a[i].Value != b[i].Value {
				diff(fmt.Sprintf("%s[%d].value", field, i), a[i].Value, b[i].Value)
			}
		}
	}
	scales("likelihood_scale", current.LikelihoodScale, next.LikelihoodScale)
	scales("impact_scale", current.ImpactScale, next.ImpactScale)
	indicators := func(field string, a, b []Indicator) {
		if len(a) != len(b) {
			diff(field, fmt.Sprintf("%d indicators", len(a)), fmt.Sprintf("%d indicators", len(b)))
			return
		}
		for i := range a {
			path := fmt.Sprintf("%s[%d]", field, i)
			if a[i].Code != b[i].Code {
				diff(path+".code", a[i].Code, b[i].Code)
			}
			scales(path+".levels", a[i].Levels, b[i].Levels)
		}
	}
	indicators("likelihood_indicators", current.LikelihoodIndicators, next.LikelihoodIndicators)
	indicators("impact_indicators", current.ImpactIndicators, next.ImpactIndicators)
	if len(current.RiskLevels) != len(next.RiskLevels) {
		diff("risk_levels", fmt.Sprintf("%d levels", len(current.RiskLevels)), fmt.Sprintf("%d levels", len(next.RiskLevels)))
	} else {
		for i := range current.RiskLevels {
			a, b := current.RiskLevels[i], next.RiskLevels[i]
			if a.Code != b.Code {
				diff(fmt.Sprintf("risk_levels[%d].code", i), a.Code, b.Code)
			}
			if a.Rank != b.Rank {
				diff(fmt.Sprintf("risk_levels[%d].rank", i), a.Rank, b.Rank)
			}
		}
	}
	if fmt.Sprint(current.Matrix) != fmt.Sprint(next.Matrix) {
		diff("matrix", current.Matrix, next.Matrix)
	}
	if fmt.Sprint(current.Bands) != fmt.Sprint(next.Bands) {
		diff("bands", current.Bands, next.Bands)
	}
	return pr.err("wording_only")
}

// ProfileExample is one set of example values to preview a profile on: a value per indicator code, and the
// assessor's choices when the profile aggregates an axis manually.
type ProfileExample struct {
	Values           map[string]int `json:"values"`
	LikelihoodManual *int           `json:"likelihood_manual,omitempty"`
	ImpactManual     *int           `json:"impact_manual,omitempty"`
}

// previewReason stands in for the motivazioni a preview has no use for: the preview shows the level the
// rules give, and the reasons never change it.
const previewReason = "anteprima della metodologia su valori di esempio"

// Preview computes the level the profile gives for an example, with the same engine as a real judgement
// (Profile.Score). Problems of the example come as a *ValidationError "judgement_invalid" whose paths name
// the indicator ("values.KRI-1").
func (p Profile) Preview(ex ProfileExample) (Score, error) {
	j := Judgement{Reason: previewReason, LikelihoodManual: ex.LikelihoodManual, ImpactManual: ex.ImpactManual}
	if ex.LikelihoodManual != nil || ex.ImpactManual != nil {
		j.ManualReason = previewReason
	}
	var order []string
	for _, group := range [][]Indicator{p.LikelihoodIndicators, p.ImpactIndicators} {
		for _, ind := range group {
			if v, ok := ex.Values[ind.Code]; ok {
				j.Values = append(j.Values, IndicatorValue{Code: ind.Code, Value: v, Reason: previewReason})
				order = append(order, ind.Code)
			}
		}
	}
	known := map[string]bool{}
	for _, c := range order {
		known[c] = true
	}
	var unknown []FieldError
	for code := range ex.Values {
		if !known[code] {
			unknown = append(unknown, FieldError{Field: "values." + code, Code: "indicator_unknown",
				Message: fmt.Sprintf("indicator %q is not part of the profile", code)})
		}
	}
	s, err := p.Score(j)
	if ve, ok := err.(*ValidationError); ok && ve.Code == "judgement_invalid" {
		// Re-address "values[i]" to the indicator's code, which is what the example is keyed by.
		for i := range ve.Problems {
			f := ve.Problems[i].Field
			var idx int
			var rest string
			if n, _ := fmt.Sscanf(f, "values[%d]%s", &idx, &rest); n >= 1 && idx < len(order) {
				ve.Problems[i].Field = "values." + order[idx]
			}
		}
		ve.Problems = append(ve.Problems, unknown...)
		return Score{}, ve
	}
	if err == nil && len(unknown) > 0 {
		return Score{}, &ValidationError{Code: "judgement_invalid", Problems: unknown}
	}
	return s, err
}
