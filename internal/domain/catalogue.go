package domain

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// RiskEvent is one entry of the "registro (o catalogo) degli eventi rischiosi" (PNA 2019 All. 1 §4.1): a
// behaviour through which corruption, in the broad sense of maladministration, may occur.
type RiskEvent struct {
	Code string `json:"code"`
	// Description is written as a behaviour ("Il dipendente ..."), never as a bare crime label.
	Description string   `json:"description"`
	RiskAreas   []string `json:"risk_areas"` // area codes, e.g. "B", "B-bis"
	// Source tells where the event comes from, e.g. "PNA2013_ALL3", "PNA2022_CONTRATTI", "ARGINE_SEED", "ENTE".
	Source     string `json:"source"`
	ToValidate bool   `json:"to_validate"` // a draft the RPCT still has to validate
	Active     bool   `json:"active"`
	Version    int64  `json:"version"` // optimistic locking of the stored entry; 0 outside the store
}

// EnablingFactor is a "fattore abilitante" (PNA 2019 All. 1 §4.2), FA-a..FA-h, extensible by the ente.
type EnablingFactor struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Source      string `json:"source"`
}

// MeasureType is one of the eleven "tipologie di misure" (PNA 2019 All. 1 §5.1), T01..T11, with the example
// monitoring indicator of Tab. 5.
type MeasureType struct {
	Code             string `json:"code"`
	Name             string `json:"name"`
	ExampleIndicator string `json:"example_indicator"`
}

// GeneralMeasure is a "misura generale" (MG01..MG15) with its main legal basis and its most fitting type.
type GeneralMeasure struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	LegalBasis  string `json:"legal_basis"`
	MeasureType string `json:"measure_type"` // a MeasureType code, T01..T11
	// EnablingFactors are the codes of the fattori abilitanti the measure addresses (PNA 2019 All. 1 §5: a
	// measure is chosen for its capacity to neutralise them).
	EnablingFactors []string `json:"enabling_factors"`
	// Version counts the RPCT's edits of the factor links (1: as shipped), for concurrent edits.
	Version int64 `json:"version,omitempty"`
}

// Catalogue gathers the master data an ente draws on when filling its register.
type Catalogue struct {
	RiskEvents      []RiskEvent      `json:"risk_events"`
	EnablingFactors []EnablingFactor `json:"enabling_factors"`
	MeasureTypes    []MeasureType    `json:"measure_types"`
	GeneralMeasures []GeneralMeasure `json:"general_measures"`
}

// catalogueCodePattern is the shape of a catalogue entry's code: "ER-A-01", "ER-BBIS-01", "FA-A" ...
var catalogueCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._-]{1,31}$`)

// enablingFactorCodePattern also admits the lower-case letter of ANAC's own codes, FA-a..FA-h.
var enablingFactorCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$`)

// Minimum description lengths, in characters.
const (
	MinRiskEventDescription      = 15
	MinEnablingFactorDescription = 10
)

// ValidateRiskEvent checks a risk event's shape. knownAreas holds the ente's area codes; when nil, area
// codes are not checked against a list.
func ValidateRiskEvent(e RiskEvent, knownAreas map[string]bool) error {
	var problems []FieldError
	add := func(field, code, msg string) {
		problems = append(problems, FieldError{Field: field, Code: code, Message: msg})
	}
	switch code := strings.TrimSpace(e.Code); {
	case code == "":
		add("code", "required", "the code is required")
	case !catalogueCodePattern.MatchString(e.Code):
		add("code", "code_invalid", "the code must be 2 to 32 characters among A-Z, 0-9, '.', '_', '-', starting with a letter or digit")
	}
	if !utf8.ValidString(e.Description) {
		add("description", "not_utf8", "the description is not valid UTF-8")
	} else if utf8.RuneCountInString(strings.TrimSpace(e.Description)) < MinRiskEventDescription {
		add("description", "too_short", "describe the behaviour in at least 15 characters")
	}
	if len(e.RiskAreas) == 0 {
		add("risk_areas", "required", "name at least one risk area")
	}
	seen := map[string]bool{}
	var unknown, dup []string
	blank := false
	for _, a := range e.RiskAreas {
		switch {
		case strings.TrimSpace(a) == "":
			blank = true
		case seen[a]:
			dup = append(dup, a)
		case knownAreas != nil && !knownAreas[a]:
			unknown = append(unknown, a)
		}
		seen[a] = true
	}
	if blank {
		add("risk_areas", "required", "a risk area code is empty")
	}
	if len(dup) > 0 {
		add("risk_areas", "list_duplicate", "risk areas listed twice: "+strings.Join(dup, ", "))
	}
	if len(unknown) > 0 {
		add("risk_areas", "reference_unknown", "unknown risk areas: "+strings.Join(unknown, ", ")+
			" (known: "+strings.Join(sortedKeys(knownAreas), ", ")+")")
	}
	if strings.TrimSpace(e.Source) == "" {
		add("source", "required", "the source is required (e.g. ENTE)")
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "risk_event_invalid", Problems: problems}
	}
	return nil
}

// ValidateEnablingFactor checks an enabling factor's shape.
func ValidateEnablingFactor(f EnablingFactor) error {
	var problems []FieldError
	add := func(field, code, msg string) {
		problems = append(problems, FieldError{Field: field, Code: code, Message: msg})
	}
	switch code := strings.TrimSpace(f.Code); {
	case code == "":
		add("code", "required", "the code is required")
	case !enablingFactorCodePattern.MatchString(f.Code):
		add("code", "code_invalid", "the code must be 2 to 32 characters among letters, digits, '.', '_', '-', starting with a letter or digit")
	}
	if !utf8.ValidString(f.Description) {
		add("description", "not_utf8", "the description is not valid UTF-8")
	} else if utf8.RuneCountInString(strings.TrimSpace(f.Description)) < MinEnablingFactorDescription {
		add("description", "too_short", "describe the factor in at least 10 characters")
	}
	if strings.TrimSpace(f.Source) == "" {
		add("source", "required", "the source is required (e.g. ENTE)")
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "enabling_factor_invalid", Problems: problems}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k, ok := range m {
		if ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
