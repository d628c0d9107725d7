package domain

import (
	"fmt"
	"strings"
	"time"
)

// ProgrammeMeasure is a general measure planned once for the whole ente in a cycle (PNA 2019 All. 1 §5:
// phases, timing, responsibility, indicators and targets), with the processes and risk areas it covers. A
// leaf's assessment links it (Measure.ProgrammeMeasure) instead of copying it.
type ProgrammeMeasure struct {
	ID          string             `json:"id,omitempty"`
	Code        string             `json:"code"`         // unique in the cycle, e.g. MG09
	GeneralCode string             `json:"general_code"` // MG01..MG15 of the ente's catalogue, or '' for one of its own
	Type        string             `json:"type"`         // ANAC type T01..T11
	Title       string             `json:"title"`
	Description string             `json:"description"`
	LegalBasis  string             `json:"legal_basis"`
	Unit        string             `json:"unit"` // responsible office
	Owner       string             `json:"owner"`
	Start       string             `json:"start"`
	End         string             `json:"end"`
	Phases      []Phase            `json:"phases"`
	Indicators  []MeasureIndicator `json:"indicators"`
	Areas       []string           `json:"areas"`     // risk-area codes it covers
	Processes   []string           `json:"processes"` // map node codes it covers
	// CostNote is the measure's cost and its economic and organisational sustainability (PNA 2019 All. 1 §5.1).
	CostNote string `json:"cost_note"`
	// EnablingFactors are the codes of the fattori abilitanti of the ente's catalogue the measure addresses.
	EnablingFactors []string      `json:"enabling_factors"`
	Status          MeasureStatus `json:"status"`
	Version         int64         `json:"version"`
	DerivedFrom     string        `json:"derived_from,omitempty"`
	Links           int           `json:"links"`             // computed: assessments' measures linking it
	Missing         []string      `json:"missing,omitempty"` // computed: what adoption still needs
	UpdatedAt       *time.Time    `json:"updated_at,omitempty"`
	UpdatedBy       string        `json:"updated_by,omitempty"`
}

// Bounds of a programme measure, so one request cannot store an unbounded document.
const (
	MaxProgrammeText     = 4000
	MaxProgrammeItems    = 50
	MaxProgrammeScope    = 2000
	MaxProgrammeMeasures = 200
)

// ProgrammeRefs are what a programme measure may refer to.
type ProgrammeRefs struct {
	MeasureTypes    map[string]bool
	GeneralMeasures map[string]bool
	Units           map[string]bool
	RiskAreas       map[string]bool
	Nodes           map[string]bool
	EnablingFactors map[string]bool
}

// AsMeasure is the programme measure as the measure of the adopted-plan checks.
func (p ProgrammeMeasure) AsMeasure() Measure {
	return Measure{Nature: "general", GeneralCode: p.GeneralCode, Type: p.Type, Title: p.Title, Description: p.Description,
		Unit: p.Unit, Owner: p.Owner, Start: p.Start, End: p.End, Phases: p.Phases, Indicators: p.Indicators, Status: p.Status,
		CostNote: p.CostNote, EnablingFactors: p.EnablingFactors}
}

// Validate checks a programme measure and normalises it; every problem is returned at once with its field.
func (p *ProgrammeMeasure) Validate(refs ProgrammeRefs) error {
	var problems []FieldError
	add := func(field, code, format string, args ...any) {
		problems = append(problems, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	p.Code, p.Title = strings.TrimSpace(p.Code), strings.TrimSpace(p.Title)
	if p.Code == "" {
		add("code", "required", "a code, unique in the cycle (e.g. MG09)")
	} else if len(p.Code) > 32 || strings.ContainsAny(p.Code, " /\\?#%") {
		add("code", "code_invalid", "at most 32 characters, no spaces or / \\ ? # %%")
	}
	if p.Title == "" {
		add("title", "required", "the measure's title")
	}
	for field, v := range map[string]string{"title": p.Title, "description": p.Description, "legal_basis": p.LegalBasis, "owner": p.Owner} {
		if len([]rune(v)) > MaxProgrammeText {
			add(field, "too_long", "at most %d characters", MaxProgrammeText)
		}
	}
	if len([]rune(p.CostNote)) > MaxCostNote {
		add("cost_note", "too_long", "at most %d characters", MaxCostNote)
	}
	p.EnablingFactors = dedupe(p.EnablingFactors)
	for i, f := range p.EnablingFactors {
		if !refs.EnablingFactors[f] {
			add(fmt.Sprintf("enabling_factors[%d]", i), "enabling_factor_unknown", "unknown enabling factor %q", f)
		}
	}
	if p.GeneralCode != "" && !refs.GeneralMeasures[p.GeneralCode] {
		add("general_code", "general_measure_unknown", "unknown general measure %q", p.GeneralCode)
	}
	if p.Type != "" && !refs.MeasureTypes[p.Type] {
		add("type", "measure_type_unknown", "unknown measure type %q", p.Type)
	}
	if p.Unit != "" && !refs.Units[p.Unit] {
		add("unit", "unit_unknown", "unknown organisational unit %q", p.Unit)
	}
	switch p.Status {
	case MeasureNew, MeasureConfirmed, MeasureModified, MeasureDropped:
	case "":
		p.Status = MeasureNew
	default:
		add("status", "status_invalid", "status must be new, existing_confirmed, modified or dropped")
	}
	var start, end time.Time
	var startOK, endOK bool
	if p.Start != "" {
		if t, err := time.Parse(dateLayout, p.Start); err != nil {
			add("start", "date_invalid", "start must be a date as YYYY-MM-DD")
		} else {
			start, startOK = t, true
		}
	}
	if p.End != "" {
		if t, err := time.Parse(dateLayout, p.End); err != nil {
			add("end", "date_invalid", "end must be a date as YYYY-MM-DD")
		} else {
			end, endOK = t, true
		}
	}
	if startOK && endOK && end.Before(start) {
		add("end", "end_before_start", "the measure ends (%s) before it starts (%s)", p.End, p.Start)
	}
	if p.Phases == nil {
		p.Phases = []Phase{}
	}
	if len(p.Phases) > MaxProgrammeItems {
		add("phases", "too_many", "at most %d phases", MaxProgrammeItems)
	}
	for i, ph := range p.Phases {
		path := fmt.Sprintf("phases[%d].", i)
		if strings.TrimSpace(ph.Title) == "" {
			add(path+"title", "required", "what the phase does")
		}
		for _, pr := range phaseDateProblems(ph, start, end, startOK, endOK) {
			add(path+pr[0], pr[1], "%s", pr[2])
		}
	}
	if p.Indicators == nil {
		p.Indicators = []MeasureIndicator{}
	}
	if len(p.Indicators) > MaxProgrammeItems {
		add("indicators", "too_many", "at most %d indicators", MaxProgrammeItems)
	}
	for i, ind := range p.Indicators {
		if strings.TrimSpace(ind.Name) == "" {
			add(fmt.Sprintf("indicators[%d].name", i), "required", "the indicator's name")
		}
	}
	p.Areas, p.Processes = dedupe(p.Areas), dedupe(p.Processes)
	if len(p.Areas)+len(p.Processes) > MaxProgrammeScope {
		add("processes", "too_many", "at most %d areas and processes", MaxProgrammeScope)
	}
	for i, a := range p.Areas {
		if !refs.RiskAreas[a] {
			add(fmt.Sprintf("areas[%d]", i), "risk_area_unknown", "unknown risk area %q", a)
		}
	}
	for i, n := range p.Processes {
		if !refs.Nodes[n] {
			add(fmt.Sprintf("processes[%d]", i), "node_unknown", "no node %q in the cycle's map", n)
		}
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "programme_measure_invalid", Problems: problems}
	}
	p.Missing = p.AsMeasure().MissingForAdoption()
	return nil
}

// dedupe trims, drops empty and repeated codes, keeping the first order.
func dedupe(codes []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
