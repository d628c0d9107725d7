package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// AssessmentState is where an assessment stands in the review workflow.
type AssessmentState string

const (
	StateDraft     AssessmentState = "draft"
	StateSubmitted AssessmentState = "submitted"
	StateApproved  AssessmentState = "approved"
	StateReturned  AssessmentState = "returned"
)

// Editable reports whether the assessor may change the assessment in this state.
func (s AssessmentState) Editable() bool { return s == StateDraft || s == StateReturned || s == "" }

// Decision is the ponderazione: what to do about a risk.
type Decision string

const (
	DecisionTreat   Decision = "treat_new_measures"
	DecisionKeep    Decision = "keep_existing_measures"
	DecisionAnalyse Decision = "analyse_further"
)

// MeasureStatus is the programming status of a measure in the cycle.
type MeasureStatus string

const (
	MeasureNew       MeasureStatus = "new"
	MeasureConfirmed MeasureStatus = "existing_confirmed"
	MeasureModified  MeasureStatus = "modified"
	MeasureDropped   MeasureStatus = "dropped"
)

// RiskEntry is one risk event judged on a leaf.
type RiskEntry struct {
	ID               string     `json:"id,omitempty"`
	EventCode        string     `json:"event_code"`        // from the catalogue, or empty for an event of the leaf's own
	EventDescription string     `json:"event_description"` // the catalogue text, or the leaf's own event
	Context          string     `json:"context"`           // how the event could happen in this leaf
	EnablingFactors  []string   `json:"enabling_factors"`
	Inherent         Judgement  `json:"inherent"`
	InherentScore    *Score     `json:"inherent_score,omitempty"` // computed
	Decision         Decision   `json:"decision"`
	Priority         int        `json:"priority"`
	Measures         []string   `json:"measures"` // keys of the assessment's measures, or ids of other leaves' measures, that treat this risk
	Residual         *Judgement `json:"residual"` // expected once the measures work
	ResidualScore    *Score     `json:"residual_score,omitempty"`
	// Version counts the changes of this risk entry (read-only: a save that leaves it unchanged keeps it).
	Version int64 `json:"version,omitempty"`
}

// Phase is a step of a measure's implementation.
type Phase struct {
	Title string `json:"title"`
	// Start is when the phase begins (YYYY-MM-DD), optional: phases written before it existed have none, and
	// leaving it out keeps their JSON (and the adopted snapshots' hashes) as they were.
	Start    string `json:"start,omitempty"`
	Deadline string `json:"deadline"` // YYYY-MM-DD, when the phase ends
}

// phaseDateProblems checks a phase's dates against each other and against its measure's (start, end; the
// OK flags say which of those are set and valid): each problem as the field ("start" or "deadline"), code and
// message.
func phaseDateProblems(ph Phase, start, end time.Time, startOK, endOK bool) [][3]string {
	var out [][3]string
	outside := func(d time.Time) bool { return (startOK && d.Before(start)) || (endOK && d.After(end)) }
	show := func(t time.Time, ok bool) string {
		if !ok {
			return "…"
		}
		return t.Format(dateLayout)
	}
	var from, to time.Time
	fromOK, toOK := false, false
	if ph.Start != "" {
		d, err := time.Parse(dateLayout, ph.Start)
		switch {
		case err != nil:
			out = append(out, [3]string{"start", "date_invalid", "start must be a date as YYYY-MM-DD"})
		case outside(d):
			out = append(out, [3]string{"start", "phase_outside_measure", fmt.Sprintf("the phase starts on %s, outside the measure's dates %s – %s",
				ph.Start, show(start, startOK), show(end, endOK))})
		default:
			from, fromOK = d, true
		}
	}
	if ph.Deadline != "" {
		d, err := time.Parse(dateLayout, ph.Deadline)
		switch {
		case err != nil:
			out = append(out, [3]string{"deadline", "date_invalid", "deadline must be a date as YYYY-MM-DD"})
		case outside(d):
			out = append(out, [3]string{"deadline", "phase_outside_measure", fmt.Sprintf("the phase deadline %s falls outside the measure's dates %s – %s",
				ph.Deadline, show(start, startOK), show(end, endOK))})
		default:
			to, toOK = d, true
		}
	}
	if fromOK && toOK && to.Before(from) {
		out = append(out, [3]string{"deadline", "phase_end_before_start", fmt.Sprintf("the phase ends (%s) before it starts (%s)", ph.Deadline, ph.Start)})
	}
	return out
}

// MeasureIndicator is a monitoring indicator with its baseline and target (valore atteso).
type MeasureIndicator struct {
	Name     string `json:"name"`
	Baseline string `json:"baseline"`
	Target   string `json:"target"`
}

// Measure is a mitigation measure planned by an assessment.
type Measure struct {
	ID          string `json:"id,omitempty"`
	Key         string `json:"key"`    // how the assessment's risks refer to it
	Nature      string `json:"nature"` // general | specific
	GeneralCode string `json:"general_code"`
	// ProgrammeMeasure is the id of the ente's programme measure a general measure links: its content is the
	// programme's (see ProgrammeMeasure), mirrored here when saved.
	ProgrammeMeasure   string             `json:"programme_measure,omitempty"`
	Type               string             `json:"type"` // T01..T11
	Title              string             `json:"title"`
	Description        string             `json:"description"`
	Unit               string             `json:"unit"`
	Owner              string             `json:"owner"`
	Start              string             `json:"start"` // YYYY-MM-DD
	End                string             `json:"end"`
	Phases             []Phase            `json:"phases"`
	Indicators         []MeasureIndicator `json:"indicators"`
	StrategicObjective string             `json:"strategic_objective"`
	// CostNote is the measure's cost and its economic and organisational sustainability (PNA 2019 All. 1 §5.1).
	CostNote string `json:"cost_note"`
	// EnablingFactors are the codes of the fattori abilitanti of the ente's catalogue the measure addresses
	// (PNA 2019 All. 1 §5.1: a measure is chosen for its capacity to neutralise them).
	EnablingFactors []string      `json:"enabling_factors"`
	Status          MeasureStatus `json:"status"`
	Missing         []string      `json:"missing,omitempty"` // computed: what adoption still needs
	// Version counts the changes of this measure (read-only: a save that leaves it unchanged keeps it).
	Version int64 `json:"version,omitempty"`
	// DerivedFrom is the id of the adopted measure this one was copied from by a roll-forward or revision
	// (read-only), so monitoring can be followed year over year.
	DerivedFrom string `json:"derived_from,omitempty"`
	// WithdrawnAt and WithdrawnReason are set on a retired measure: one removed from its assessment while
	// monitoring history, evidence or other assessments referred to it, so it is kept, read-only.
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnReason string     `json:"withdrawn_reason,omitempty"`
	// TreatedRisks are the ids of this assessment's risks a retired measure treated when it was withdrawn.
	TreatedRisks []string `json:"treated_risks,omitempty"`
}

// DefaultWithdrawnReason is recorded when a measure with history is removed without a reason.
const DefaultWithdrawnReason = "rimossa dalla valutazione"

// MaxCostNote bounds a measure's cost and sustainability note, in characters.
const MaxCostNote = 4000

// MaxWithdrawnReason bounds the reason given for retiring a measure, in characters.
const MaxWithdrawnReason = 2000

// Assessment is the register content of one leaf in one cycle.
type Assessment struct {
	Node     string          `json:"node"`
	Cycle    string          `json:"cycle"`
	State    AssessmentState `json:"state"`
	Version  int64           `json:"version"` // 0 until first saved
	Level    string          `json:"level"`   // computed: worst inherent level of the risks
	Risks    []RiskEntry     `json:"risks"`
	Measures []Measure       `json:"measures"`
	// Withdrawn are the retired measures, read-only. On a save, an entry naming (by id) a measure that the
	// save removes gives the reason it is withdrawn; entries for measures already withdrawn are ignored.
	Withdrawn []Measure  `json:"withdrawn_measures"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	// Completeness is computed (read-only): what the draft still lacks before it can be submitted.
	Completeness *Completeness `json:"completeness,omitempty"`
	// Warnings are computed (read-only): what is allowed but probably a mistake, such as the same risk event
	// entered twice (code duplicate_event, with the field path of the repetition). They never block a save.
	Warnings []FieldError `json:"warnings,omitempty"`
	// LeadUnit is the unit whose director submits (read-only; see LeadUnit); HandedOff is set while a
	// referente's draft waits for the director's signature (read-only).
	LeadUnit  string   `json:"lead_unit,omitempty"`
	HandedOff *HandOff `json:"handed_off,omitempty"`
}

// Completeness tells what a draft still lacks. A draft is saved as it is, so an interrupted assessor loses
// nothing; only submission needs it complete. Missing are field paths as the 422s use them; an indicator is
// named by code (risks[0].inherent.indicators.KRI-1.value), since a missing value has no index in values.
type Completeness struct {
	Complete bool     `json:"complete"`
	Missing  []string `json:"missing"`
}

const dateLayout = "2006-01-02"

// IsDate reports whether s is a calendar date written as YYYY-MM-DD.
func IsDate(s string) bool { _, err := time.Parse(dateLayout, s); return err == nil }

// MissingForAdoption lists what a measure meant for adoption still lacks: phases (or a description of the
// modality), dates, a responsible unit, an indicator with a target.
func (m Measure) MissingForAdoption() []string {
	var missing []string
	if len(m.Phases) == 0 && strings.TrimSpace(m.Description) == "" {
		missing = append(missing, "phases")
	}
	if m.Start == "" || m.End == "" {
		missing = append(missing, "dates")
	}
	if m.Unit == "" {
		missing = append(missing, "unit")
	}
	hasTarget := false
	for _, i := range m.Indicators {
		hasTarget = hasTarget || strings.TrimSpace(i.Target) != ""
	}
	if !hasTarget {
		missing = append(missing, "indicator_target")
	}
	return missing
}

// AssessmentRefs are the codes an assessment may refer to, from the cycle and the ente's catalogues.
type AssessmentRefs struct {
	Events          map[string]RiskEvent
	EnablingFactors map[string]bool
	MeasureTypes    map[string]bool
	GeneralMeasures map[string]bool
	Units           map[string]bool
	Objectives      map[string]bool
	// CycleMeasures are the ids of the cycle's measures: a risk may also be treated by a measure that another
	// leaf's assessment plans (one measure serving several actions).
	CycleMeasures map[string]bool
	// ProgrammeMeasures are the cycle's programme of general measures, by id, that a general measure may link.
	ProgrammeMeasures map[string]ProgrammeMeasure
}

func prefixed(err error, prefix string, into *[]FieldError) {
	if ve, ok := err.(*ValidationError); ok {
		for _, p := range ve.Problems {
			if p.Field == "" {
				p.Field = strings.TrimSuffix(prefix, ".")
			} else {
				p.Field = prefix + p.Field
			}
			*into = append(*into, p)
		}
	}
}

// Evaluate validates an assessment against the methodology and references, computes every score and the
// leaf's level, and fills the catalogue descriptions. All problems are returned at once, with field paths.
func (a *Assessment) Evaluate(p Profile, refs AssessmentRefs) error {
	var problems []FieldError
	add := func(field, code, format string, args ...any) {
		problems = append(problems, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	keys := map[string]bool{}
	for i := range a.Measures {
		m := &a.Measures[i]
		path := fmt.Sprintf("measures[%d].", i)
		m.Key = strings.TrimSpace(m.Key)
		if m.Key == "" {
			m.Key = fmt.Sprintf("m%d", i+1)
		}
		if keys[m.Key] {
			add(path+"key", "duplicate", "measure key %q used twice", m.Key)
		}
		keys[m.Key] = true
		if m.ProgrammeMeasure != "" {
			// A link to the programme: its content is the programme measure's, whatever the client sent.
			if pm, ok := refs.ProgrammeMeasures[m.ProgrammeMeasure]; !ok {
				add(path+"programme_measure", "programme_measure_unknown", "no general measure %s in the cycle's programme", m.ProgrammeMeasure)
			} else {
				m.Nature, m.GeneralCode, m.Type, m.Title, m.Description = "general", pm.GeneralCode, pm.Type, pm.Title, pm.Description
				m.Unit, m.Owner, m.Start, m.End, m.Status = pm.Unit, pm.Owner, pm.Start, pm.End, pm.Status
				m.Phases, m.Indicators = append([]Phase{}, pm.Phases...), append([]MeasureIndicator{}, pm.Indicators...)
			}
		}
		// What is missing (title, type, ...) is not a problem of a draft: CheckCompleteness lists it. The nature
		// is the exception: the store keeps only general or specific, and the form always has one.
		switch m.Nature {
		case "specific":
			if m.GeneralCode != "" {
				add(path+"general_code", "not_allowed", "a specific measure has no general-measure code")
			}
		case "general":
			if m.GeneralCode != "" && !refs.GeneralMeasures[m.GeneralCode] {
				add(path+"general_code", "general_measure_unknown", "unknown general measure %q", m.GeneralCode)
			}
		default:
			add(path+"nature", "nature_invalid", "nature must be general or specific")
		}
		if m.Type != "" && !refs.MeasureTypes[m.Type] {
			add(path+"type", "measure_type_unknown", "unknown measure type %q", m.Type)
		}
		if m.Unit != "" && !refs.Units[m.Unit] {
			add(path+"unit", "unit_unknown", "unknown organisational unit %q", m.Unit)
		}
		if m.StrategicObjective != "" && !refs.Objectives[m.StrategicObjective] {
			add(path+"strategic_objective", "objective_unknown", "unknown strategic objective %q", m.StrategicObjective)
		}
		if utf8.RuneCountInString(m.CostNote) > MaxCostNote {
			add(path+"cost_note", "too_long", "at most %d characters", MaxCostNote)
		}
		m.EnablingFactors = dedupe(m.EnablingFactors)
		for j, f := range m.EnablingFactors {
			if !refs.EnablingFactors[f] {
				add(fmt.Sprintf("%senabling_factors[%d]", path, j), "enabling_factor_unknown", "unknown enabling factor %q", f)
			}
		}
		switch m.Status {
		case MeasureNew, MeasureConfirmed, MeasureModified, MeasureDropped:
		case "":
			m.Status = MeasureNew
		default:
			add(path+"status", "status_invalid", "status must be new, existing_confirmed, modified or dropped")
		}
		var start, end time.Time
		var startOK, endOK bool
		if m.Start != "" {
			var err error
			if start, err = time.Parse(dateLayout, m.Start); err != nil {
				add(path+"start", "date_invalid", "start must be a date as YYYY-MM-DD")
			} else {
				startOK = true
			}
		}
		if m.End != "" {
			var err error
			if end, err = time.Parse(dateLayout, m.End); err != nil {
				add(path+"end", "date_invalid", "end must be a date as YYYY-MM-DD")
			} else {
				endOK = true
			}
		}
		if startOK && endOK && end.Before(start) {
			add(path+"end", "end_before_start", "the measure ends (%s) before it starts (%s)", m.End, m.Start)
		}
		if m.Phases == nil {
			m.Phases = []Phase{}
		}
		for j, ph := range m.Phases {
			for _, pr := range phaseDateProblems(ph, start, end, startOK, endOK) {
				add(fmt.Sprintf("%sphases[%d].%s", path, j, pr[0]), pr[1], "%s", pr[2])
			}
		}
		if m.Indicators == nil {
			m.Indicators = []MeasureIndicator{}
		}
		m.Missing = m.MissingForAdoption()
	}
	worst, worstRank, allScored := "", 0, true
	for i := range a.Risks {
		r := &a.Risks[i]
		path := fmt.Sprintf("risks[%d].", i)
		r.EventCode = strings.TrimSpace(r.EventCode)
		if r.EventCode != "" {
			ev, ok := refs.Events[r.EventCode]
			if !ok {
				add(path+"event_code", "event_unknown", "unknown risk event %q", r.EventCode)
			} else {
				r.EventDescription = ev.Description
			}
		}
		if r.EnablingFactors == nil {
			r.EnablingFactors = []string{}
		}
		for j, f := range r.EnablingFactors {
			if !refs.EnablingFactors[f] {
				add(fmt.Sprintf("%senabling_factors[%d]", path, j), "enabling_factor_unknown", "unknown enabling factor %q", f)
			}
		}
		switch r.Decision {
		case DecisionTreat, DecisionKeep, DecisionAnalyse, "":
		default:
			add(path+"decision", "decision_invalid", "decision must be treat_new_measures, keep_existing_measures or analyse_further")
		}
		if r.Priority < 0 {
			add(path+"priority", "out_of_range", "priority is 1 (highest) or more, or 0 when not set")
		}
		if r.Measures == nil {
			r.Measures = []string{}
		}
		for j, k := range r.Measures {
			if !keys[k] && !refs.CycleMeasures[k] {
				add(fmt.Sprintf("%smeasures[%d]", path, j), "measure_unknown", "no measure with key %q in this assessment, nor with that id in the cycle", k)
			}
		}
		r.InherentScore, r.ResidualScore = nil, nil
		if s, err := p.Score(r.Inherent); err != nil {
			prefixed(invalidOnly(err, r.Inherent), path+"inherent.", &problems)
			allScored = false
		} else {
			r.InherentScore = &s
			if s.Rank > worstRank {
				worst, worstRank = s.Level, s.Rank
			}
		}
		if r.Residual != nil {
			if s, err := p.Score(*r.Residual); err != nil {
				prefixed(invalidOnly(err, *r.Residual), path+"residual.", &problems)
			} else {
				r.ResidualScore = &s
			}
		}
	}
	if !allScored {
		// The leaf's level is the worst of its risks: while one is not fully judged it is not known.
		worst = ""
	}
	if a.Risks == nil {
		a.Risks = []RiskEntry{}
	}
	if a.Measures == nil {
		a.Measures = []Measure{}
	}
	if a.Withdrawn == nil {
		a.Withdrawn = []Measure{}
	}
	for i, w := range a.Withdrawn {
		if len([]rune(w.WithdrawnReason)) > MaxWithdrawnReason {
			add(fmt.Sprintf("withdrawn_measures[%d].withdrawn_reason", i), "too_long", "at most %d characters", MaxWithdrawnReason)
		}
	}
	a.Level = worst
	if len(problems) > 0 {
		return &ValidationError{Code: "assessment_invalid", Problems: problems}
	}
	a.Completeness = a.CheckCompleteness(p)
	return nil
}

// incompleteCodes are the judgement problems that only say something is not there yet: a draft may have them.
var incompleteCodes = map[string]bool{"indicator_missing": true, "reason_required": true, "manual_required": true}

// invalidOnly keeps, of a judgement's problems, those about values that are present but wrong (out of
// scale, unknown code, ...): what is merely missing is listed by Missing instead.
func invalidOnly(err error, j Judgement) error {
	ve, ok := err.(*ValidationError)
	if !ok || ve.Code != "judgement_invalid" {
		return err
	}
	var keep []FieldError
	for _, p := range ve.Problems {
		if incompleteCodes[p.Code] || (p.Field == "override.level" && j.Override != nil && j.Override.Level == "") {
			continue
		}
		keep = append(keep, p)
	}
	if len(keep) == 0 {
		return nil
	}
	return &ValidationError{Code: ve.Code, Problems: keep}
}

// MissingInJudgement lists what a judgement still lacks, with paths relative to it: each indicator not
// valued (indicators.CODE.value, and indicators.CODE.reason when the profile asks for one), the manual
// aggregates, the reasons shorter than MinReasonLength.
func (p Profile) MissingInJudgement(j Judgement) []string {
	var missing []string
	valued := map[string]IndicatorValue{}
	for _, v := range j.Values {
		if _, dup := valued[v.Code]; !dup {
			valued[v.Code] = v
		}
	}
	for _, group := range [][]Indicator{p.LikelihoodIndicators, p.ImpactIndicators} {
		for _, ind := range group {
			v, ok := valued[ind.Code]
			if !ok {
				missing = append(missing, "indicators."+ind.Code+".value")
			}
			if p.IndicatorReasonRequired && strings.TrimSpace(v.Reason) == "" {
				missing = append(missing, "indicators."+ind.Code+".reason")
			}
		}
	}
	if p.LikelihoodAggregation == AggregationManual && j.LikelihoodManual == nil {
		missing = append(missing, "likelihood_manual")
	}
	if p.ImpactAggregation == AggregationManual && j.ImpactManual == nil {
		missing = append(missing, "impact_manual")
	}
	if (p.LikelihoodAggregation == AggregationManual || p.ImpactAggregation == AggregationManual) && !reasonLongEnough(j.ManualReason) {
		missing = append(missing, "manual_reason")
	}
	if o := j.Override; o != nil {
		if o.Level == "" {
			missing = append(missing, "override.level")
		}
		if !reasonLongEnough(o.Reason) {
			missing = append(missing, "override.reason")
		}
	}
	if !reasonLongEnough(j.Reason) {
		missing = append(missing, "reason")
	}
	return missing
}

// MinOwnEventLength is how long, in characters, the description of an event of the leaf's own must be.
const MinOwnEventLength = 15

// CheckCompleteness lists, by field path, everything the assessment lacks before it can be submitted: the
// event of each risk, every indicator value and reason, the reasons of the judgements, the decision and its
// measures; each measure's title, general-measure code, type, and its phases' and indicators' names
// and deadlines. The measure dates, unit and indicator targets are not needed to submit (they are needed to
// adopt the plan: see Measure.MissingForAdoption). A residual judgement is optional, but once begun it must
// be finished.
func (a *Assessment) CheckCompleteness(p Profile) *Completeness {
	missing := []string{}
	for i, r := range a.Risks {
		path := fmt.Sprintf("risks[%d].", i)
		if strings.TrimSpace(r.EventCode) == "" && utf8.RuneCountInString(strings.TrimSpace(r.EventDescription)) < MinOwnEventLength {
			missing = append(missing, path+"event_description")
		}
		for _, m := range p.MissingInJudgement(r.Inherent) {
			missing = append(missing, path+"inherent."+m)
		}
		if r.Decision == "" {
			missing = append(missing, path+"decision")
		}
		if r.Decision == DecisionTreat && len(r.Measures) == 0 {
			missing = append(missing, path+"measures")
		}
		if r.Residual != nil {
			for _, m := range p.MissingInJudgement(*r.Residual) {
				missing = append(missing, path+"residual."+m)
			}
		}
	}
	for i, m := range a.Measures {
		path := fmt.Sprintf("measures[%d].", i)
		if strings.TrimSpace(m.Title) == "" {
			missing = append(missing, path+"title")
		}
		if m.Nature == "general" && m.GeneralCode == "" {
			missing = append(missing, path+"general_code")
		}
		if m.Type == "" {
			missing = append(missing, path+"type")
		}
		for j, ph := range m.Phases {
			if strings.TrimSpace(ph.Title) == "" {
				missing = append(missing, fmt.Sprintf("%sphases[%d].title", path, j))
			}
			if ph.Deadline == "" {
				missing = append(missing, fmt.Sprintf("%sphases[%d].deadline", path, j))
			}
		}
		for j, ind := range m.Indicators {
			if strings.TrimSpace(ind.Name) == "" {
				missing = append(missing, fmt.Sprintf("%sindicators[%d].name", path, j))
			}
		}
	}
	return &Completeness{Complete: len(missing) == 0, Missing: missing}
}

// IncompleteError is the 422 of a submission of an incomplete assessment: one problem per missing item.
func (c *Completeness) IncompleteError() error {
	if c.Complete {
		return nil
	}
	problems := make([]FieldError, len(c.Missing))
	for i, m := range c.Missing {
		problems[i] = FieldError{Field: m, Code: "required", Message: "needed before the assessment can be submitted"}
	}
	return &ValidationError{Code: "assessment_incomplete", Problems: problems}
}
