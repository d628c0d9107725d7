package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file holds the risk-assessment methodologies ("profili di valutazione"): the PNA 2019 qualitative
// scheme (Allegato 1, the default) and the legacy PNA 2013 Allegato 5 numeric scheme. A Profile is plain
// data (stored as JSON per ente); Profile.Score turns an assessor's Judgement into a risk level.

// ScaleLevel is one step of an ordinal scale, or one allowed answer of an indicator.
type ScaleLevel struct {
	Value       int    `json:"value"`
	Label       string `json:"label"`
	Description string `json:"description"`
}

// Indicator is one question the assessor answers: a PNA 2019 key risk indicator or a PNA 2013 index.
// Levels lists the allowed answers; the answer's Value is the indicator's value.
type Indicator struct {
	Code     string       `json:"code"`
	Name     string       `json:"name"`
	Question string       `json:"question"`
	Levels   []ScaleLevel `json:"levels"`
}

// Aggregation says how indicator values combine into likelihood or impact.
type Aggregation string

const (
	// AggregationMax takes the highest value (PNA 2019 "prudenziale", the default).
	AggregationMax Aggregation = "max"
	// AggregationMean takes the arithmetic mean; qualitative profiles round it half up to a scale value.
	AggregationMean Aggregation = "mean"
	// AggregationMode takes the most frequent value; ties go to the higher value ("in dubio pro peior").
	AggregationMode Aggregation = "mode"
	// AggregationManual takes the value the assessor chooses, with a written reason.
	AggregationManual Aggregation = "manual"
)

// Profile kinds.
const (
	ProfileKindQualitative = "qualitative"
	ProfileKindNumeric     = "numeric"
)

// Codes of the shipped profiles.
const (
	ProfilePNA2019           = "pna2019"
	ProfilePNA2019FiveLevels = "pna2019-5"
	ProfilePNA2013Mean       = "pna2013-mean"
	ProfilePNA2013Max        = "pna2013-max"
)

// Codes of the shipped risk levels.
const (
	RiskMoltoBasso = "molto_basso"
	RiskBasso      = "basso"
	RiskMedio      = "medio"
	RiskAlto       = "alto"
	RiskMoltoAlto  = "molto_alto"
)

// MinReasonLength is the minimum length, in characters after trimming, of the motivazione of the overall
// judgement, of an override and of a manual aggregation.
const MinReasonLength = 20

// maxProfileProblems caps the problems one validation collects.
const maxProfileProblems = 100

// RiskLevel is one level of the profile's risk scale. Rank 1 is the lowest.
type RiskLevel struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Rank  int    `json:"rank"`
}

// Band maps a range of the numeric P×I product (0..25) to a risk level.
//
// Semantics: Min is inclusive and Max is exclusive, except for the last band (the one whose Max is 25),
// which also includes 25. Bands are listed in ascending order, the first starts at 0, each next band
// starts exactly where the previous one ends, and the last one ends at 25: so every product in 0..25 falls
// in exactly one band. Example: basso [0, 6), medio [6, 12), alto [12, 25].
type Band struct {
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Level string  `json:"level"`
}

// Profile is a risk-assessment methodology.
//
// Qualitative profiles aggregate the indicator values (each a value of the corresponding scale) into a
// likelihood and an impact value of LikelihoodScale and ImpactScale, whose values are 1..n in order, and
// read the risk level in Matrix[likelihood-1][impact-1].
//
// Numeric profiles (PNA 2013 Allegato 5) take P as the mean of the likelihood answers, I as the mean or
// the maximum of the impact answers, and read the level of P×I in Bands. Their LikelihoodScale and
// ImpactScale hold the Allegato 5 labels of the values 0..5, used to label P and I rounded half up.
type Profile struct {
	Code                    string       `json:"code"`
	Name                    string       `json:"name"`
	Kind                    string       `json:"kind"`
	LikelihoodIndicators    []Indicator  `json:"likelihood_indicators"`
	ImpactIndicators        []Indicator  `json:"impact_indicators"`
	LikelihoodAggregation   Aggregation  `json:"likelihood_aggregation"`
	ImpactAggregation       Aggregation  `json:"impact_aggregation"`
	LikelihoodScale         []ScaleLevel `json:"likelihood_scale"`
	ImpactScale             []ScaleLevel `json:"impact_scale"`
	RiskLevels              []RiskLevel  `json:"risk_levels"`
	Matrix                  [][]string   `json:"matrix,omitempty"`
	Bands                   []Band       `json:"bands,omitempty"`
	IndicatorReasonRequired bool         `json:"indicator_reason_required"`
	// ProfileVersion is the version of an ente-defined profile (1, 2, ...); 0 for a shipped profile.
	ProfileVersion int `json:"profile_version,omitempty"`
}

// IndicatorValue is the assessor's answer to one indicator.
type IndicatorValue struct {
	Code   string `json:"code"`
	Value  int    `json:"value"`
	Reason string `json:"reason"`
}

// Override is the assessor's reasoned choice of a level other than the computed one.
type Override struct {
	Level  string `json:"level"`
	Reason string `json:"reason"`
}

// Judgement is what the assessor submits for one risk event: every indicator valued, the manual
// aggregates when the profile asks for them, an optional override, and the motivazione of the whole.
type Judgement struct {
	Values           []IndicatorValue `json:"values"`
	LikelihoodManual *int             `json:"likelihood_manual,omitempty"`
	ImpactManual     *int             `json:"impact_manual,omitempty"`
	ManualReason     string           `json:"manual_reason,omitempty"`
	Override         *Override        `json:"override,omitempty"`
	Reason           string           `json:"reason"`
	// SupportingData are the ids of the cycle's context items the reason cites ("dati a supporto").
	SupportingData []string `json:"supporting_data,omitempty"`
}

// Score is the outcome of a judgement.
type Score struct {
	Likelihood      float64 `json:"likelihood"` // qualitative: the aggregated scale value; numeric: mean of the P answers
	LikelihoodLabel string  `json:"likelihood_label"`
	Impact          float64 `json:"impact"`
	ImpactLabel     string  `json:"impact_label"`
	Product         float64 `json:"product"` // numeric only: Likelihood × Impact (0..25)
	ComputedLevel   string  `json:"computed_level"`
	Level           string  `json:"level"` // the override's level when overridden, else ComputedLevel
	Rank            int     `json:"rank"`  // rank of Level
	Overridden      bool    `json:"overridden"`
	// Cell is the heat-map cell: qualitative (likelihood value, impact value); numeric (P, I) rounded half
	// up and clamped to 0..5.
	Cell [2]int `json:"cell"`
}

// methodologyProblems collects field errors up to a cap.
type methodologyProblems struct {
	list      []FieldError
	truncated bool
}

func (m *methodologyProblems) add(field, code, format string, args ...any) {
	if len(m.list) >= maxProfileProblems {
		m.truncated = true
		return
	}
	m.list = append(m.list, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (m *methodologyProblems) err(code string) error {
	if len(m.list) == 0 {
		return nil
	}
	return &ValidationError{Code: code, Problems: m.list, Truncated: m.truncated}
}

// LevelByCode returns the risk level with the given code.
func (p Profile) LevelByCode(code string) (RiskLevel, bool) {
	for _, l := range p.RiskLevels {
		if l.Code == code {
			return l, true
		}
	}
	return RiskLevel{}, false
}

// Worst returns the highest-ranked level among codes (the roll-up of events to their process, and the
// "in dubio pro peior" choice between conflicting assessments). Unknown codes are ignored; ok is false
// when no code is known.
func (p Profile) Worst(levels []string) (RiskLevel, bool) {
	var worst RiskLevel
	found := false
	for _, c := range levels {
		l, ok := p.LevelByCode(c)
		if ok && (!found || l.Rank > worst.Rank) {
			worst, found = l, true
		}
	}
	return worst, found
}

// Validate checks the profile itself; problems come as a *ValidationError with code "profile_invalid".
func (p Profile) Validate() error {
	var pr methodologyProblems
	if strings.TrimSpace(p.Code) == "" {
		pr.add("code", "required", "the profile needs a code")
	}
	if strings.TrimSpace(p.Name) == "" {
		pr.add("name", "required", "the profile needs a name")
	}
	qualitative := p.Kind == ProfileKindQualitative
	numeric := p.Kind == ProfileKindNumeric
	if !qualitative && !numeric {
		pr.add("kind", "kind_invalid", "kind must be %q or %q, not %q", ProfileKindQualitative, ProfileKindNumeric, p.Kind)
	}

	// Aggregations.
	switch {
	case qualitative:
		for _, a := range []struct {
			field string
			agg   Aggregation
		}{{"likelihood_aggregation", p.LikelihoodAggregation}, {"impact_aggregation", p.ImpactAggregation}} {
			switch a.agg {
			case AggregationMax, AggregationMean, AggregationMode, AggregationManual:
			default:
				pr.add(a.field, "aggregation_invalid", "a qualitative profile aggregates by max, mean, mode or manual, not %q", a.agg)
			}
		}
	case numeric:
		if p.LikelihoodAggregation != AggregationMean {
			pr.add("likelihood_aggregation", "aggregation_invalid", "a numeric profile aggregates likelihood by mean, not %q", p.LikelihoodAggregation)
		}
		if p.ImpactAggregation != AggregationMean && p.ImpactAggregation != AggregationMax {
			pr.add("impact_aggregation", "aggregation_invalid", "a numeric profile aggregates impact by mean or max, not %q", p.ImpactAggregation)
		}
	}

	// Scales.
	checkScale := func(field string, scale []ScaleLevel, first, last int) {
		if len(scale) < 2 {
			pr.add(field, "scale_invalid", "the scale needs at least 2 levels")
			return
		}
		for i, l := range scale {
			want := first + i
			if l.Value != want {
				pr.add(fmt.Sprintf("%s[%d].value", field, i), "scale_invalid", "scale values must be %d, %d, ... in order: expected %d, got %d", first, first+1, want, l.Value)
			}
			if strings.TrimSpace(l.Label) == "" {
				pr.add(fmt.Sprintf("%s[%d].label", field, i), "required", "every scale level needs a label")
			}
		}
		if last >= 0 && len(scale) != last-first+1 {
			pr.add(field, "scale_invalid", "the scale must list the values %d..%d", first, last)
		}
	}
	switch {
	case qualitative:
		checkScale("likelihood_scale", p.LikelihoodScale, 1, -1)
		checkScale("impact_scale", p.ImpactScale, 1, -1)
	case numeric:
		checkScale("likelihood_scale", p.LikelihoodScale, 0, 5)
		checkScale("impact_scale", p.ImpactScale, 0, 5)
	}

	// Indicators.
	seen := map[string]string{}
	checkIndicators := func(field string, inds []Indicator, scale []ScaleLevel) {
		if len(inds) == 0 {
			pr.add(field, "indicators_missing", "the profile needs at least one indicator here")
		}
		for i, ind := range inds {
			path := fmt.Sprintf("%s[%d]", field, i)
			switch {
			case strings.TrimSpace(ind.Code) == "":
				pr.add(path+".code", "required", "every indicator needs a code")
			case seen[ind.Code] != "":
				pr.add(path+".code", "indicator_duplicate", "indicator %s is already defined at %s", ind.Code, seen[ind.Code])
			default:
				seen[ind.Code] = path
			}
			if strings.TrimSpace(ind.Name) == "" {
				pr.add(path+".name", "required", "every indicator needs a name")
			}
			if len(ind.Levels) < 2 {
				pr.add(path+".levels", "levels_too_few", "indicator %s needs at least 2 levels, it has %d", ind.Code, len(ind.Levels))
			}
			values := map[int]bool{}
			for j, l := range ind.Levels {
				lpath := fmt.Sprintf("%s.levels[%d]", path, j)
				if values[l.Value] {
					pr.add(lpath+".value", "level_value_duplicate", "indicator %s lists value %d twice", ind.Code, l.Value)
				}
				values[l.Value] = true
				switch {
				case qualitative && !scaleHas(scale, l.Value):
					pr.add(lpath+".value", "value_out_of_scale", "indicator %s: value %d is not a value of the scale", ind.Code, l.Value)
				case numeric && (l.Value < 0 || l.Value > 5):
					pr.add(lpath+".value", "value_out_of_scale", "indicator %s: value %d is outside 0..5", ind.Code, l.Value)
				}
				if strings.TrimSpace(l.Label) == "" {
					pr.add(lpath+".label", "required", "every level needs a label")
				}
			}
		}
	}
	checkIndicators("likelihood_indicators", p.LikelihoodIndicators, p.LikelihoodScale)
	checkIndicators("impact_indicators", p.ImpactIndicators, p.ImpactScale)

	// Risk levels.
	if len(p.RiskLevels) < 2 {
		pr.add("risk_levels", "levels_too_few", "the profile needs at least 2 risk levels")
	}
	levelCodes := map[string]bool{}
	for i, l := range p.RiskLevels {
		path := fmt.Sprintf("risk_levels[%d]", i)
		switch {
		case strings.TrimSpace(l.Code) == "":
			pr.add(path+".code", "required", "every risk level needs a code")
		case levelCodes[l.Code]:
			pr.add(path+".code", "level_duplicate", "risk level %s is listed twice", l.Code)
		}
		levelCodes[l.Code] = true
		if strings.TrimSpace(l.Label) == "" {
			pr.add(path+".label", "required", "every risk level needs a label")
		}
		if l.Rank != i+1 {
			pr.add(path+".rank", "rank_invalid", "risk levels are listed from the lowest, with ranks 1, 2, ...: expected %d, got %d", i+1, l.Rank)
		}
	}

	// Matrix (qualitative) or bands (numeric).
	switch {
	case qualitative:
		if len(p.Bands) > 0 {
			pr.add("bands", "bands_not_allowed", "a qualitative profile reads the level in its matrix, not in bands")
		}
		if len(p.Matrix) != len(p.LikelihoodScale) {
			pr.add("matrix", "matrix_size", "the matrix needs one row per likelihood level (%d), it has %d", len(p.LikelihoodScale), len(p.Matrix))
		}
		for i, row := range p.Matrix {
			if len(row) != len(p.ImpactScale) {
				pr.add(fmt.Sprintf("matrix[%d]", i), "matrix_size", "each matrix row needs one cell per impact level (%d), row %d has %d", len(p.ImpactScale), i, len(row))
			}
			for j, c := range row {
				if !levelCodes[c] || c == "" {
					pr.add(fmt.Sprintf("matrix[%d][%d]", i, j), "level_unknown", "matrix cell uses %q, which is not a risk level of the profile", c)
				}
			}
		}
	case numeric:
		if len(p.Matrix) > 0 {
			pr.add("matrix", "matrix_not_allowed", "a numeric profile reads the level in its bands, not in a matrix")
		}
		if len(p.Bands) == 0 {
			pr.add("bands", "bands_incomplete", "a numeric profile needs bands covering 0..25")
		}
		for i, b := range p.Bands {
			path := fmt.Sprintf("bands[%d]", i)
			if !levelCodes[b.Level] || b.Level == "" {
				pr.add(path+".level", "level_unknown", "band uses %q, which is not a risk level of the profile", b.Level)
			}
			if !(b.Min < b.Max) {
				pr.add(path, "band_range", "a band needs min < max, got [%g, %g]", b.Min, b.Max)
			}
			if i == 0 {
				if b.Min != 0 {
					pr.add(path+".min", "bands_incomplete", "the first band must start at 0, it starts at %g", b.Min)
				}
				continue
			}
			prev := p.Bands[i-1].Max
			switch {
			case b.Min > prev:
				pr.add(path+".min", "band_gap", "gap between %g and %g: band %d must start where band %d ends", prev, b.Min, i, i-1)
			case b.Min < prev:
				pr.add(path+".min", "band_overlap", "bands %d and %d overlap: band %d must start at %g, not %g", i-1, i, i, prev, b.Min)
			}
		}
		if n := len(p.Bands); n > 0 && p.Bands[n-1].Max != 25 {
			pr.add(fmt.Sprintf("bands[%d].max", n-1), "bands_incomplete", "the last band must end at 25, it ends at %g", p.Bands[n-1].Max)
		}
	}
	return pr.err("profile_invalid")
}

func scaleHas(scale []ScaleLevel, v int) bool {
	_, ok := scaleLevel(scale, v)
	return ok
}

func scaleLevel(scale []ScaleLevel, v int) (ScaleLevel, bool) {
	for _, l := range scale {
		if l.Value == v {
			return l, true
		}
	}
	return ScaleLevel{}, false
}

func reasonLongEnough(s string) bool {
	return utf8.RuneCountInString(strings.TrimSpace(s)) >= MinReasonLength
}

// roundHalfUp returns num/den rounded half up, for num >= 0 and den > 0, in exact integer arithmetic.
func roundHalfUp(num, den int) int {
	return (2*num + den) / (2 * den)
}

func clampInt(v, lo, hi int) int {
	return max(lo, min(hi, v))
}

// Score validates the judgement against the profile and computes the risk level. An invalid profile
// returns its "profile_invalid" error; an invalid judgement returns a *ValidationError with code
// "judgement_invalid" listing every problem, with field paths relative to the judgement
// (e.g. "values[2].value").
func (p Profile) Score(j Judgement) (Score, error) {
	if err := p.Validate(); err != nil {
		return Score{}, err
	}
	return p.scoreValid(p.indicatorIndex(), j)
}

// Scorer scores judgements against a profile validated once: an export scores thousands of risks with the
// same profile, and validating it for each (as Score does) cost more than the scoring itself; the index of its
// indicators is built once too.
type Scorer struct {
	p          Profile
	indicators map[string]indicatorRef
}

// Scorer validates the profile and returns its scorer; an invalid profile returns Score's error.
func (p Profile) Scorer() (Scorer, error) {
	if err := p.Validate(); err != nil {
		return Scorer{}, err
	}
	return Scorer{p: p, indicators: p.indicatorIndex()}, nil
}

// Score is Profile.Score without validating the profile again.
func (s Scorer) Score(j Judgement) (Score, error) { return s.p.scoreValid(s.indicators, j) }

// indicatorRef is an indicator of a profile and whether it measures likelihood (else impact).
type indicatorRef struct {
	ind        Indicator
	likelihood bool
}

// indicatorIndex is the profile's indicators by code.
func (p Profile) indicatorIndex() map[string]indicatorRef {
	indicators := make(map[string]indicatorRef, len(p.LikelihoodIndicators)+len(p.ImpactIndicators))
	for _, ind := range p.LikelihoodIndicators {
		indicators[ind.Code] = indicatorRef{ind, true}
	}
	for _, ind := range p.ImpactIndicators {
		indicators[ind.Code] = indicatorRef{ind, false}
	}
	return indicators
}

// valuedAt is the index in values of the first value of indicator code (-1: none). A judgement values a
// handful of indicators: a scan costs less than a map built for each of the thousands an export scores.
func valuedAt(values []IndicatorValue, code string) int {
	for i, v := range values {
		if v.Code == code {
			return i
		}
	}
	return -1
}

func (p Profile) scoreValid(indicators map[string]indicatorRef, j Judgement) (Score, error) {
	var pr methodologyProblems

	// Indicator values. The field path of a problem is written only when there is one.
	var lValues, iValues []int
	for i, v := range j.Values {
		ref, known := indicators[v.Code]
		if !known {
			pr.add(fmt.Sprintf("values[%d].code", i), "indicator_unknown", "indicator %q is not part of profile %s", v.Code, p.Code)
			continue
		}
		if first := valuedAt(j.Values[:i], v.Code); first >= 0 {
			pr.add(fmt.Sprintf("values[%d].code", i), "indicator_duplicate", "indicator %s is already valued at values[%d]", v.Code, first)
			continue
		}
		if !scaleHas(ref.ind.Levels, v.Value) {
			allowed := make([]string, len(ref.ind.Levels))
			for k, l := range ref.ind.Levels {
				allowed[k] = fmt.Sprint(l.Value)
			}
			pr.add(fmt.Sprintf("values[%d].value", i), "value_out_of_scale", "indicator %s: %d is not an allowed value (%s)", v.Code, v.Value, strings.Join(allowed, ", "))
		} else if ref.likelihood {
			lValues = append(lValues, v.Value)
		} else {
			iValues = append(iValues, v.Value)
		}
		if p.IndicatorReasonRequired && strings.TrimSpace(v.Reason) == "" {
			pr.add(fmt.Sprintf("values[%d].reason", i), "reason_required", "indicator %s needs a motivazione", v.Code)
		}
	}
	for _, group := range [][]Indicator{p.LikelihoodIndicators, p.ImpactIndicators} {
		for _, ind := range group {
			if valuedAt(j.Values, ind.Code) < 0 {
				pr.add("values", "indicator_missing", "indicator %s (%s) is not valued", ind.Code, ind.Name)
			}
		}
	}

	// Manual aggregates.
	manual := false
	for _, m := range []struct {
		field string
		agg   Aggregation
		value *int
		scale []ScaleLevel
	}{
		{"likelihood_manual", p.LikelihoodAggregation, j.LikelihoodManual, p.LikelihoodScale},
		{"impact_manual", p.ImpactAggregation, j.ImpactManual, p.ImpactScale},
	} {
		switch {
		case m.agg != AggregationManual && m.value != nil:
			pr.add(m.field, "manual_not_allowed", "profile %s computes this value (%s): leave %s empty", p.Code, m.agg, m.field)
		case m.agg == AggregationManual && m.value == nil:
			pr.add(m.field, "manual_required", "profile %s asks the assessor to choose this value", p.Code)
		case m.agg == AggregationManual && !scaleHas(m.scale, *m.value):
			pr.add(m.field, "value_out_of_scale", "%d is not a value of the scale", *m.value)
		}
		if m.agg == AggregationManual {
			manual = true
		}
	}
	if manual && !reasonLongEnough(j.ManualReason) {
		pr.add("manual_reason", "reason_required", "the manual choice needs a motivazione of at least %d characters", MinReasonLength)
	}

	// Override and overall reason.
	if o := j.Override; o != nil {
		if _, ok := p.LevelByCode(o.Level); !ok {
			pr.add("override.level", "level_unknown", "%q is not a risk level of profile %s", o.Level, p.Code)
		}
		if !reasonLongEnough(o.Reason) {
			pr.add("override.reason", "reason_required", "the override needs a motivazione of at least %d characters", MinReasonLength)
		}
	}
	if !reasonLongEnough(j.Reason) {
		pr.add("reason", "reason_required", "the overall judgement needs a motivazione of at least %d characters", MinReasonLength)
	}
	if err := pr.err("judgement_invalid"); err != nil {
		return Score{}, err
	}

	var s Score
	if p.Kind == ProfileKindQualitative {
		l := aggregateQualitative(p.LikelihoodAggregation, lValues, j.LikelihoodManual)
		i := aggregateQualitative(p.ImpactAggregation, iValues, j.ImpactManual)
		ll, _ := scaleLevel(p.LikelihoodScale, l)
		il, _ := scaleLevel(p.ImpactScale, i)
		s = Score{Likelihood: float64(l), LikelihoodLabel: ll.Label, Impact: float64(i), ImpactLabel: il.Label,
			ComputedLevel: p.Matrix[l-1][i-1], Cell: [2]int{l, i}}
	} else {
		// Exact rational arithmetic, one division per result: when the true product is a band boundary
		// such as 6 or 12, the float is exactly that boundary, and rounding is monotone, so comparing with
		// the band limits needs no epsilon.
		sumP := 0
		for _, v := range lValues {
			sumP += v
		}
		nP := len(lValues)
		iNum, iDen := 0, 1
		if p.ImpactAggregation == AggregationMax {
			for _, v := range iValues {
				iNum = max(iNum, v)
			}
		} else {
			for _, v := range iValues {
				iNum += v
			}
			iDen = len(iValues)
		}
		pCell, iCell := clampInt(roundHalfUp(sumP, nP), 0, 5), clampInt(roundHalfUp(iNum, iDen), 0, 5)
		pl, _ := scaleLevel(p.LikelihoodScale, pCell)
		il, _ := scaleLevel(p.ImpactScale, iCell)
		s = Score{
			Likelihood: float64(sumP) / float64(nP), LikelihoodLabel: pl.Label,
			Impact: float64(iNum) / float64(iDen), ImpactLabel: il.Label,
			Product: float64(sumP*iNum) / float64(nP*iDen),
			Cell:    [2]int{pCell, iCell},
		}
		s.ComputedLevel = p.bandLevel(s.Product)
	}
	s.Level = s.ComputedLevel
	if j.Override != nil && j.Override.Level != s.ComputedLevel {
		s.Level, s.Overridden = j.Override.Level, true
	}
	lvl, _ := p.LevelByCode(s.Level)
	s.Rank = lvl.Rank
	return s, nil
}

// bandLevel returns the level of the band holding x (see Band for the semantics).
func (p Profile) bandLevel(x float64) string {
	last := len(p.Bands) - 1
	for i, b := range p.Bands {
		if x >= b.Min && (x < b.Max || (i == last && x <= b.Max)) {
			return b.Level
		}
	}
	return ""
}

// aggregateQualitative combines values (all on a 1..n scale) by the given strategy.
func aggregateQualitative(agg Aggregation, values []int, manual *int) int {
	switch agg {
	case AggregationManual:
		return *manual
	case AggregationMean:
		sum := 0
		for _, v := range values {
			sum += v
		}
		// Values are 1..n, so the mean rounded half up is already the nearest scale value (ties upward).
		return roundHalfUp(sum, len(values))
	case AggregationMode:
		counts := map[int]int{}
		best, bestCount := 0, 0
		for _, v := range values {
			counts[v]++
		}
		for v, c := range counts {
			if c > bestCount || (c == bestCount && v > best) {
				best, bestCount = v, c
			}
		}
		return best
	default: // AggregationMax
		best := values[0]
		for _, v := range values[1:] {
			best = max(best, v)
		}
		return best
	}
}

// ProfileByCode returns a fresh copy of the shipped profile with the given code.
func ProfileByCode(code string) (Profile, bool) {
	for _, p := range ShippedProfiles() {
		if p.Code == code {
			return p, true
		}
	}
	return Profile{}, false
}

// ShippedProfiles lists the profiles Argine ships, default first: pna2019, pna2019-5, pna2013-mean,
// pna2013-max.
func ShippedProfiles() []Profile {
	return []Profile{PNA2019Qualitative(), PNA2019FiveLevels(), PNA2013Allegato5(AggregationMean), PNA2013Allegato5(AggregationMax)}
}

func threeLevels(basso, medio, alto string) []ScaleLevel {
	return []ScaleLevel{{1, "Basso", basso}, {2, "Medio", medio}, {3, "Alto", alto}}
}

func pna2019Likelihood() []Indicator {
	return []Indicator{
		{Code: "KRI-1", Name: "Livello di interesse «esterno»",
			Question: "Il processo comporta la presenza di interessi, anche economici, rilevanti e di benefici per i destinatari?",
			Levels: threeLevels(
				"Destinatari interni all'amministrazione o vantaggio trascurabile",
				"Destinatari esterni, vantaggio moderato o di natura non economica",
				"Vantaggio economico significativo per terzi (contributi, affidamenti, sanzioni evitate)")},
		{Code: "KRI-2", Name: "Grado di discrezionalità del decisore interno alla PA",
			Question: "Quanto è discrezionale la decisione assunta nel processo?",
			Levels: threeLevels(
				"Attività del tutto vincolata da leggi o regolamenti",
				"Criteri predeterminati, ma con margini di valutazione",
				"Ampia discrezionalità, criteri non predeterminati")},
		{Code: "KRI-3", Name: "Manifestazione di eventi corruttivi in passato nel processo/attività esaminata",
			Question: "Negli ultimi 5 anni si sono verificati eventi corruttivi nel processo, nell'ente o in enti analoghi?",
			Levels: threeLevels(
				"Nessun evento nell'ente né in enti analoghi",
				"Segnalazioni o contenziosi non accertati, oppure eventi in enti analoghi",
				"Eventi accertati nell'ente")},
		{Code: "KRI-4", Name: "Opacità del processo decisionale",
			Question: "Il processo è trasparente in modo sostanziale, e non solo formale?",
			Levels: threeLevels(
				"Pubblicazione completa e tempestiva e tracciabilità digitale dell'intero processo",
				"Trasparenza solo formale",
				"Fasi non tracciate o non pubblicate")},
		{Code: "KRI-5", Name: "Livello di collaborazione del responsabile del processo o dell'attività nella costruzione, aggiornamento e monitoraggio del piano",
			Question: "Il responsabile del processo collabora alla costruzione, all'aggiornamento e al monitoraggio del piano?",
			Levels: threeLevels(
				"Collaborazione piena e tempestiva",
				"Collaborazione parziale o tardiva",
				"Collaborazione assente o scarsa")},
		{Code: "KRI-6", Name: "Grado di attuazione delle misure di trattamento",
			Question: "Le misure di trattamento previste per il processo sono state attuate?",
			Levels: threeLevels(
				"Tutte le misure attuate nei tempi previsti",
				"Misure attuate in parte o in ritardo",
				"Misure non attuate")},
	}
}

func pna2019Impact() []Indicator {
	return []Indicator{
		{Code: "IMP-1", Name: "Impatto reputazionale",
			Question: "Quale danno all'immagine dell'ente deriverebbe dal verificarsi dell'evento?",
			Levels: threeLevels(
				"Risonanza nulla o limitata all'interno dell'ente",
				"Risonanza sulla stampa locale o di settore",
				"Risonanza sulla stampa nazionale o ampia diffusione sui media")},
		{Code: "IMP-2", Name: "Impatto organizzativo",
			Question: "Quali effetti avrebbe l'evento sul funzionamento degli uffici e sull'erogazione dei servizi?",
			Levels: threeLevels(
				"Effetti trascurabili, assorbibili nell'attività ordinaria",
				"Rallentamenti o disservizi temporanei per uno o più uffici",
				"Interruzione di servizi o compromissione della funzionalità dell'ente")},
		{Code: "IMP-3", Name: "Impatto economico",
			Question: "Quale danno economico o patrimoniale deriverebbe dall'evento per l'ente?",
			Levels: threeLevels(
				"Danno economico nullo o trascurabile",
				"Danno economico contenuto e recuperabile",
				"Danno economico rilevante (es. risarcimenti, danno erariale accertato dalla Corte dei conti)")},
		{Code: "IMP-4", Name: "Impatto legale",
			Question: "Quali conseguenze giudiziarie o sanzionatorie potrebbero derivare dall'evento?",
			Levels: threeLevels(
				"Nessuna conseguenza legale o contestazioni di lieve entità",
				"Contenzioso amministrativo o civile, procedimenti disciplinari",
				"Procedimenti penali o per responsabilità amministrativo-contabile")},
	}
}

// PNA2019Qualitative is the default profile: PNA 2019 Allegato 1, the six example key risk indicators
// (KRI-1..KRI-6) for likelihood, four impact dimensions (IMP-1..IMP-4), basso/medio/alto on every scale,
// prudential aggregation (max) on both axes, and a 3×3 matrix into basso/medio/alto. Every indicator value
// needs a motivazione.
func PNA2019Qualitative() Profile {
	return Profile{
		Code:                  ProfilePNA2019,
		Name:                  "PNA 2019 – valutazione qualitativa (Allegato 1)",
		Kind:                  ProfileKindQualitative,
		LikelihoodIndicators:  pna2019Likelihood(),
		ImpactIndicators:      pna2019Impact(),
		LikelihoodAggregation: AggregationMax,
		ImpactAggregation:     AggregationMax,
		LikelihoodScale: threeLevels(
			"Probabilità bassa che l'evento si verifichi",
			"Probabilità media che l'evento si verifichi",
			"Probabilità alta che l'evento si verifichi"),
		ImpactScale: threeLevels(
			"Conseguenze lievi per l'ente",
			"Conseguenze apprezzabili per l'ente",
			"Conseguenze gravi per l'ente"),
		RiskLevels: []RiskLevel{{RiskBasso, "Basso", 1}, {RiskMedio, "Medio", 2}, {RiskAlto, "Alto", 3}},
		// Rows: likelihood basso, medio, alto; columns: impact basso, medio, alto.
		Matrix: [][]string{
			{RiskBasso, RiskBasso, RiskMedio},
			{RiskBasso, RiskMedio, RiskAlto},
			{RiskMedio, RiskAlto, RiskAlto},
		},
		IndicatorReasonRequired: true,
	}
}

// PNA2019FiveLevels is PNA2019Qualitative with a five-level risk scale (molto basso … molto alto): the
// same indicators and 3-level likelihood and impact, crossed by a 3×3 matrix into five classes so that
// only the two extreme cells reach the extreme levels:
//
//	L \ I   basso        medio   alto
//	basso   molto_basso  basso   medio
//	medio   basso        medio   alto
//	alto    medio        alto    molto_alto
func PNA2019FiveLevels() Profile {
	p := PNA2019Qualitative()
	p.Code = ProfilePNA2019FiveLevels
	p.Name = "PNA 2019 – valutazione qualitativa (Allegato 1), scala a cinque livelli"
	p.RiskLevels = []RiskLevel{
		{RiskMoltoBasso, "Molto basso", 1}, {RiskBasso, "Basso", 2}, {RiskMedio, "Medio", 3},
		{RiskAlto, "Alto", 4}, {RiskMoltoAlto, "Molto alto", 5},
	}
	p.Matrix = [][]string{
		{RiskMoltoBasso, RiskBasso, RiskMedio},
		{RiskBasso, RiskMedio, RiskAlto},
		{RiskMedio, RiskAlto, RiskMoltoAlto},
	}
	return p
}

// PNA2013Allegato5 is the legacy numeric profile of PNA 2013 Allegato 5: P is the mean of the answers to
// P1..P6, I the mean (AggregationMean, code "pna2013-mean") or the maximum (AggregationMax, code
// "pna2013-max") of the answers to I1..I4, and the level of P×I (0..25) comes from the bands basso [0, 6),
// medio [6, 12), alto [12, 25]. ANAC fixes no banding: these bands are a default. Any other impact
// aggregation yields a profile that fails Validate.
func PNA2013Allegato5(impact Aggregation) Profile {
	return Profile{
		Code: "pna2013-" + string(impact),
		Name: fmt.Sprintf("PNA 2013 – Allegato 5, valutazione numerica (impatto: %s)", map[Aggregation]string{
			AggregationMean: "media", AggregationMax: "massimo"}[impact]),
		Kind: ProfileKindNumeric,
		LikelihoodIndicators: []Indicator{
			{Code: "P1", Name: "Discrezionalità", Question: "Il processo è discrezionale?", Levels: []ScaleLevel{
				{1, "Del tutto vincolato", "No, è del tutto vincolato"},
				{2, "Vincolato da legge e atti amministrativi", "È parzialmente vincolato dalla legge e da atti amministrativi (regolamenti, direttive, circolari)"},
				{3, "Vincolato solo dalla legge", "È parzialmente vincolato solo dalla legge"},
				{4, "Vincolato solo da atti amministrativi", "È parzialmente vincolato solo da atti amministrativi (regolamenti, direttive, circolari)"},
				{5, "Altamente discrezionale", "È altamente discrezionale"},
			}},
			{Code: "P2", Name: "Rilevanza esterna", Question: "Il processo produce effetti diretti all'esterno dell'amministrazione di riferimento?", Levels: []ScaleLevel{
				{2, "No", "No, ha come destinatario finale un ufficio interno"},
				{5, "Sì", "Sì, il risultato del processo è rivolto direttamente ad utenti esterni alla p.a. di riferimento"},
			}},
			{Code: "P3", Name: "Complessità del processo", Question: "Si tratta di un processo complesso che comporta il coinvolgimento di più amministrazioni (esclusi i controlli) in fasi successive per il conseguimento del risultato?", Levels: []ScaleLevel{
				{1, "No", "No, il processo coinvolge una sola p.a."},
				{3, "Più di 3 amministrazioni", "Sì, il processo coinvolge più di 3 amministrazioni"},
				{5, "Più di 5 amministrazioni", "Sì, il processo coinvolge più di 5 amministrazioni"},
			}},
			{Code: "P4", Name: "Valore economico", Question: "Qual è l'impatto economico del processo?", Levels: []ScaleLevel{
				{1, "Rilevanza interna", "Ha rilevanza esclusivamente interna"},
				{3, "Vantaggi esterni non rilevanti", "Comporta l'attribuzione di vantaggi a soggetti esterni, ma di non particolare rilievo economico (es.: concessione di borsa di studio per studenti)"},
				{5, "Vantaggi esterni considerevoli", "Comporta l'attribuzione di considerevoli vantaggi a soggetti esterni (es.: affidamento di appalto)"},
			}},
			{Code: "P5", Name: "Frazionabilità del processo", Question: "Il risultato finale del processo può essere raggiunto anche effettuando una pluralità di operazioni di entità economica ridotta che, considerate complessivamente, alla fine assicurano lo stesso risultato (es.: pluralità di affidamenti ridotti)?", Levels: []ScaleLevel{
				{1, "No", "No"},
				{5, "Sì", "Sì"},
			}},
			{Code: "P6", Name: "Controlli", Question: "Anche sulla base dell'esperienza pregressa, il tipo di controllo applicato sul processo è adeguato a neutralizzare il rischio?", Levels: []ScaleLevel{
				{1, "Efficace strumento di neutralizzazione", "Sì, costituisce un efficace strumento di neutralizzazione"},
				{2, "Molto efficace", "Sì, è molto efficace"},
				{3, "Efficace per circa il 50%", "Sì, per una percentuale approssimativa del 50%"},
				{4, "Efficace in minima parte", "Sì, ma in minima parte"},
				{5, "Non adeguato", "No, il rischio rimane indifferente"},
			}},
		},
		ImpactIndicators: []Indicator{
			{Code: "I1", Name: "Impatto organizzativo", Question: "Rispetto al totale del personale impiegato nel singolo servizio (unità organizzativa semplice) competente a svolgere il processo (o la fase di processo di competenza della p.a.) nell'ambito della singola p.a., quale percentuale di personale è impiegata nel processo? (se il processo coinvolge l'attività di più servizi nell'ambito della stessa p.a. occorre riferire la percentuale al personale impiegato nei servizi coinvolti)", Levels: []ScaleLevel{
				{1, "Fino a circa il 20%", "Fino a circa il 20%"},
				{2, "Fino a circa il 40%", "Fino a circa il 40%"},
				{3, "Fino a circa il 60%", "Fino a circa il 60%"},
				{4, "Fino a circa l'80%", "Fino a circa l'80%"},
				{5, "Fino a circa il 100%", "Fino a circa il 100%"},
			}},
			{Code: "I2", Name: "Impatto economico", Question: "Nel corso degli ultimi 5 anni sono state pronunciate sentenze della Corte dei conti a carico di dipendenti (dirigenti e dipendenti) della p.a. di riferimento o sono state pronunciate sentenze di risarcimento del danno nei confronti della p.a. di riferimento per la medesima tipologia di evento o di tipologie analoghe?", Levels: []ScaleLevel{
				{1, "No", "No"},
				{5, "Sì", "Sì"},
			}},
			{Code: "I3", Name: "Impatto reputazionale", Question: "Nel corso degli ultimi 5 anni sono stati pubblicati su giornali o riviste articoli aventi ad oggetto il medesimo evento o eventi analoghi?", Levels: []ScaleLevel{
				{0, "No", "No"},
				{1, "Non ne abbiamo memoria", "Non ne abbiamo memoria"},
				{2, "Stampa locale", "Sì, sulla stampa locale"},
				{3, "Stampa nazionale", "Sì, sulla stampa nazionale"},
				{4, "Stampa locale e nazionale", "Sì, sulla stampa locale e nazionale"},
				{5, "Stampa locale, nazionale e internazionale", "Sì, sulla stampa locale, nazionale e internazionale"},
			}},
			{Code: "I4", Name: "Impatto organizzativo, economico e sull'immagine", Question: "A quale livello può collocarsi il rischio dell'evento (livello apicale, livello intermedio o livello basso) ovvero la posizione/il ruolo che l'eventuale soggetto riveste nell'organizzazione è elevata, media o bassa?", Levels: []ScaleLevel{
				{1, "Addetto", "A livello di addetto"},
				{2, "Collaboratore o funzionario", "A livello di collaboratore o funzionario"},
				{3, "Dirigente di ufficio non generale", "A livello di dirigente di ufficio non generale ovvero di posizione apicale o di posizione organizzativa"},
				{4, "Dirigente di ufficio generale", "A livello di dirigente di ufficio generale"},
				{5, "Capo dipartimento/segretario generale", "A livello di capo dipartimento/segretario generale"},
			}},
		},
		LikelihoodAggregation: AggregationMean,
		ImpactAggregation:     impact,
		LikelihoodScale: []ScaleLevel{
			{0, "Nessuna probabilità", ""}, {1, "Improbabile", ""}, {2, "Poco probabile", ""},
			{3, "Probabile", ""}, {4, "Molto probabile", ""}, {5, "Altamente probabile", ""},
		},
		ImpactScale: []ScaleLevel{
			{0, "Nessun impatto", ""}, {1, "Marginale", ""}, {2, "Minore", ""},
			{3, "Soglia", ""}, {4, "Serio", ""}, {5, "Superiore", ""},
		},
		RiskLevels: []RiskLevel{{RiskBasso, "Basso", 1}, {RiskMedio, "Medio", 2}, {RiskAlto, "Alto", 3}},
		Bands: []Band{
			{Min: 0, Max: 6, Level: RiskBasso},
			{Min: 6, Max: 12, Level: RiskMedio},
			{Min: 12, Max: 25, Level: RiskAlto},
		},
	}
}
