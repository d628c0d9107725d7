package service

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Monitoring runs the monitoring of measures: the plan, the rounds, the units' self-assessments and the
// RPCT's second-level checks on all measures or a reproducible sample.
type Monitoring struct {
	store *store.Store
	authz *authz.Authorizer
}

// NewMonitoring builds the monitoring service.
func NewMonitoring(s *store.Store, az *authz.Authorizer) *Monitoring {
	return &Monitoring{store: s, authz: az}
}

func (m *Monitoring) can(actor domain.Actor, obj authz.Object, act authz.Action, units ...string) error {
	if !m.authz.Can(actor, obj, act, units...) {
		return domain.Forbidden("forbidden", "your role does not allow this in the monitoring")
	}
	return nil
}

// SetPlan sets the cycle's monitoring plan (the RPCT).
func (m *Monitoring) SetPlan(ctx context.Context, actor domain.Actor, cycleCode string, p store.MonitoringPlan) (store.MonitoringPlan, error) {
	if err := m.can(actor, authz.ObjCycle, authz.ActManage); err != nil {
		return p, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return p, err
	}
	var problems []domain.FieldError
	if strings.TrimSpace(p.Frequency) == "" {
		problems = append(problems, domain.FieldError{Field: "frequency", Code: "required", Message: "e.g. semestrale"})
	}
	for i, d := range p.ReferenceDates {
		if !domain.IsDate(d) {
			problems = append(problems, domain.FieldError{Field: "reference_dates[" + strconv.Itoa(i) + "]", Code: "date_invalid", Message: "a date as YYYY-MM-DD"})
		}
	}
	if p.SamplePercent < 0 || p.SamplePercent > 100 {
		problems = append(problems, domain.FieldError{Field: "sample_percent", Code: "out_of_range", Message: "between 0 and 100"})
	}
	if len(problems) > 0 {
		return p, &domain.ValidationError{Code: "monitoring_plan_invalid", Problems: problems}
	}
	if p.ReferenceDates == nil {
		p.ReferenceDates = []string{}
	}
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.SetMonitoringPlan(ctx, actor.EnteID, cycle.ID, p); err != nil {
			return err
		}
		return record(ctx, tx, actor, "monitoring_plan", cycle.Code, "set", nil, p)
	})
	return p, err
}

// Plan returns the cycle's monitoring plan.
func (m *Monitoring) Plan(ctx context.Context, actor domain.Actor, cycleCode string) (store.MonitoringPlan, error) {
	if err := m.can(actor, authz.ObjMeasure, authz.ActRead); err != nil {
		return store.MonitoringPlan{}, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return store.MonitoringPlan{}, err
	}
	return m.store.MonitoringPlanOf(ctx, actor.EnteID, cycle.ID)
}

// OpenRound opens a round at a reference date (the RPCT).
func (m *Monitoring) OpenRound(ctx context.Context, actor domain.Actor, cycleCode, date string) (*RoundView, error) {
	if err := m.can(actor, authz.ObjCycle, authz.ActManage); err != nil {
		return nil, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if !domain.IsDate(date) {
		return nil, &domain.ValidationError{Code: "round_invalid", Problems: []domain.FieldError{{Field: "reference_date", Code: "date_invalid", Message: "a date as YYYY-MM-DD"}}}
	}
	if !monitoredCycle(cycle) {
		return nil, domain.Conflict("cycle_not_adopted", "cycle %s is %s: its measures are monitored once it is consolidated or adopted", cycle.Code, cycle.State)
	}
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		if _, err := tx.OpenRound(ctx, actor.EnteID, cycle.ID, date); err != nil {
			return err
		}
		measures, err := tx.CycleMeasures(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		var units []string
		for _, cm := range measures {
			if monitored(cycle, cm) && cm.Unit != "" {
				units = append(units, cm.Unit)
			}
		}
		if err := notifyRoundOpened(ctx, tx, actor, cycle, date, units); err != nil {
			return err
		}
		return record(ctx, tx, actor, "monitoring_round", cycle.Code+"/"+date, "open", nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return m.Round(ctx, actor, cycleCode, date)
}

// RoundView is a round with every measure's entry and the per-unit overview.
type RoundView struct {
	Round    store.Round          `json:"round"`
	Measures []RoundMeasure       `json:"measures"`
	Units    map[string]*UnitTodo `json:"units"`
}

// monitoredCycle: only the measures of a consolidated (or adopted, or published) register are monitored; an
// open cycle's are still proposals.
func monitoredCycle(c *domain.Cycle) bool {
	return c.State == domain.CycleConsolidated || c.State == domain.CycleAdopted || c.State == domain.CyclePublished
}

// monitored reports whether a measure takes part in the rounds: one of an approved assessment of a
// consolidated or adopted cycle, not withdrawn. Drafts, submitted or returned assessments' measures never do.
func monitored(c *domain.Cycle, cm store.CycleMeasure) bool {
	return monitoredCycle(c) && cm.AssessmentState == domain.StateApproved && cm.WithdrawnAt == nil
}

// highRisk: the measure treats a risk of the top levels of the shipped scales (alto, molto alto).
func highRisk(cm store.CycleMeasure) bool {
	return cm.RiskLevel == domain.RiskAlto || cm.RiskLevel == domain.RiskMoltoAlto
}

// RoundMeasure is a measure and its entry in a round (nil when not self-assessed yet).
type RoundMeasure struct {
	store.CycleMeasure
	Entry   *store.MonitoringEntry `json:"entry"`
	Sampled bool                   `json:"sampled"`
	// SampleReason says why the measure was drawn (high_risk, overdue, random; '' when not drawn), and
	// SampleStratum the unit and area of a random draw.
	SampleReason  string           `json:"sample_reason"`
	SampleStratum string           `json:"sample_stratum,omitempty"`
	Overdue       bool             `json:"overdue"`  // due by the reference date and not implemented
	Evidence      []store.Evidence `json:"evidence"` // the files attached in the round, oldest first (never their bytes)
}

// UnitTodo counts what a unit still owes in a round.
type UnitTodo struct {
	Measures            int `json:"measures"`
	MissingSelfAssessed int `json:"missing_self_assessments"`
	Overdue             int `json:"overdue"`
}

// Round returns a round with its measures and what each unit still owes.
func (m *Monitoring) Round(ctx context.Context, actor domain.Actor, cycleCode, date string) (*RoundView, error) {
	if err := m.can(actor, authz.ObjMeasure, authz.ActRead); err != nil {
		return nil, err
	}
	cycle, round, err := cycleAndRound(ctx, m.store, actor.EnteID, cycleCode, date)
	if err != nil {
		return nil, err
	}
	measures, err := m.store.CycleMeasures(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	entries, err := m.store.MonitoringEntries(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	evidence, err := m.store.EvidenceOfRound(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	byMeasure := map[string]*store.MonitoringEntry{}
	for i := range entries {
		byMeasure[entries[i].MeasureID] = &entries[i]
	}
	sampled := map[string]bool{}
	for _, id := range round.Sample {
		sampled[id] = true
	}
	view := &RoundView{Round: round, Measures: []RoundMeasure{}, Units: map[string]*UnitTodo{}}
	for _, cm := range measures {
		rm := RoundMeasure{CycleMeasure: cm, Entry: byMeasure[cm.ID], Sampled: sampled[cm.ID], Evidence: evidence[cm.ID]}
		if r, ok := round.SampleReasons[cm.ID]; ok && rm.Sampled {
			rm.SampleReason, rm.SampleStratum = r.Reason, r.Stratum
		} else if rm.Sampled {
			rm.SampleReason = domain.SampleReasonRandom // drawn before the reasons were recorded: by the share alone
		}
		if !monitored(cycle, cm) {
			// A withdrawn measure, or one whose assessment was reopened, owes nothing; it stays in the rounds
			// that recorded something about it. A draft's measure never appears.
			if rm.Entry != nil || len(rm.Evidence) > 0 {
				if rm.Evidence == nil {
					rm.Evidence = []store.Evidence{}
				}
				view.Measures = append(view.Measures, rm)
			}
			continue
		}
		if rm.Evidence == nil {
			rm.Evidence = []store.Evidence{}
		}
		implemented := rm.Entry != nil && (rm.Entry.Status == domain.StatusImplemented || rm.Entry.Status == domain.StatusNoLongerRelevant)
		rm.Overdue = cm.End != "" && cm.End <= date && !implemented
		u := view.Units[cm.Unit]
		if u == nil {
			u = &UnitTodo{}
			view.Units[cm.Unit] = u
		}
		u.Measures++
		if rm.Entry == nil {
			u.MissingSelfAssessed++
		}
		if rm.Overdue {
			u.Overdue++
		}
		view.Measures = append(view.Measures, rm)
	}
	return view, nil
}

// Rounds lists the cycle's rounds, newest first, with how many measures were self-assessed and checked.
func (m *Monitoring) Rounds(ctx context.Context, actor domain.Actor, cycleCode string) ([]store.RoundSummary, error) {
	if err := m.can(actor, authz.ObjMeasure, authz.ActRead); err != nil {
		return nil, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	return m.store.RoundsOf(ctx, actor.EnteID, cycle.ID)
}

// openRound locks the cycle's round of date in tx for a change: measures' monitoring, the programme's and the
// evidence all change only while it is open.
func openRound(ctx context.Context, tx *store.Store, enteID string, cycle *domain.Cycle, date string) (store.Round, error) {
	round, err := tx.RoundByDate(ctx, enteID, cycle.ID, date, true)
	if err != nil {
		return round, err
	}
	if round.State != "open" {
		return round, domain.Conflict("round_closed", "the round of %s is closed: it can no longer change", date)
	}
	return round, nil
}

func (m *Monitoring) measure(ctx context.Context, actor domain.Actor, cycle *domain.Cycle, id string) (store.CycleMeasure, error) {
	measures, err := m.store.CycleMeasures(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return store.CycleMeasure{}, err
	}
	for _, cm := range measures {
		if cm.ID == id {
			if cm.WithdrawnAt != nil {
				return cm, domain.Conflict("measure_withdrawn", "measure %s was withdrawn on %s: its monitoring is closed",
					id, cm.WithdrawnAt.Format("2006-01-02"))
			}
			if !monitored(cycle, cm) {
				return cm, domain.NotFound("measure_not_found", "no measure %s among the approved measures of the cycle", id)
			}
			return cm, nil
		}
	}
	return store.CycleMeasure{}, domain.NotFound("measure_not_found", "no measure %s in the cycle", id)
}

// statusProblems checks a self-assessment's status and the reason any status but attuata needs (measures'
// monitoring and the programme's alike).
func statusProblems(status domain.ImplementationStatus, reason string) []domain.FieldError {
	if !status.Valid() {
		return []domain.FieldError{{Field: "status", Code: "status_invalid",
			Message: "one of non_avviata, in_corso_nei_tempi, in_ritardo, attuata, parzialmente_attuata, non_attuata, non_piu_applicabile"}}
	}
	if status.NeedsReason() && len([]rune(strings.TrimSpace(reason))) < domain.MinCommentLength {
		return []domain.FieldError{{Field: "reason", Code: "required", Message: "explain any status other than attuata"}}
	}
	return nil
}

// cycleAndRound loads the cycle and its round of date for reading (404 for either that the ente lacks).
func cycleAndRound(ctx context.Context, st *store.Store, enteID, cycleCode, date string) (*domain.Cycle, store.Round, error) {
	cycle, err := st.CycleByCode(ctx, enteID, cycleCode)
	if err != nil {
		return nil, store.Round{}, err
	}
	round, err := st.RoundByDate(ctx, enteID, cycle.ID, date, false)
	return cycle, round, err
}

// SelfAssess records the responsible unit's first-level assessment of a measure.
func (m *Monitoring) SelfAssess(ctx context.Context, actor domain.Actor, cycleCode, date, measureID string, e store.MonitoringEntry) (*RoundView, error) {
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	cm, err := m.measure(ctx, actor, cycle, measureID)
	if err != nil {
		return nil, err
	}
	if err := m.can(actor, authz.ObjMeasure, authz.ActWrite, cm.Unit); err != nil {
		return nil, err
	}
	if problems := statusProblems(e.Status, e.Reason); len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "self_assessment_invalid", Problems: problems}
	}
	if e.IndicatorValues == nil {
		e.IndicatorValues = []store.IndicatorValue{}
	}
	e.MeasureID, e.AssessedBy = measureID, actor.UserID
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := openRound(ctx, tx, actor.EnteID, cycle, date)
		if err != nil {
			return err
		}
		if err := tx.SaveSelfAssessment(ctx, actor.EnteID, round.ID, e); err != nil {
			return err
		}
		return record(ctx, tx, actor, "monitoring_entry", cycle.Code+"/"+date+"/"+measureID, "self_assess", nil, e)
	})
	if err != nil {
		return nil, err
	}
	return m.Round(ctx, actor, cycleCode, date)
}

// DrawSample draws the measures the RPCT checks at the second level, reproducibly: the seed is recorded (a
// given seed re-draws the same sample).
func (m *Monitoring) DrawSample(ctx context.Context, actor domain.Actor, cycleCode, date string, seed uint64) (*RoundView, error) {
	if err := m.can(actor, authz.ObjCycle, authz.ActManage); err != nil {
		return nil, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	plan, err := m.store.MonitoringPlanOf(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	if seed > math.MaxInt64 {
		return nil, &domain.ValidationError{Code: "sample_invalid", Problems: []domain.FieldError{{Field: "seed", Code: "out_of_range",
			Message: "a whole number from 1 to 9223372036854775807 (or none for a random one)"}}}
	}
	if seed == 0 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		seed = binary.BigEndian.Uint64(b[:]) >> 1 // stays a positive int64 in the database
	}
	criteria := domain.SampleCriteria{HighRisk: plan.SampleHighRisk, Overdue: plan.SampleOverdue, Percent: plan.SamplePercent}
	var sample []string
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := openRound(ctx, tx, actor.EnteID, cycle, date)
		if err != nil {
			return err
		}
		measures, err := tx.CycleMeasures(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		entries, err := tx.MonitoringEntries(ctx, actor.EnteID, round.ID)
		if err != nil {
			return err
		}
		done := map[string]bool{}
		for _, e := range entries {
			done[e.MeasureID] = e.Status == domain.StatusImplemented || e.Status == domain.StatusNoLongerRelevant
		}
		cands := make([]domain.SampleCandidate, 0, len(measures))
		for _, cm := range measures {
			if monitored(cycle, cm) {
				cands = append(cands, domain.SampleCandidate{ID: cm.ID, Unit: cm.Unit, Area: cm.Area, HighRisk: highRisk(cm),
					Overdue: cm.End != "" && cm.End <= date && !done[cm.ID]})
			}
		}
		var reasons map[string]domain.SampleReason
		sample, reasons = domain.SampleByCriteria(cands, criteria, seed)
		if err := tx.UpdateRound(ctx, round.ID, map[string]any{"sample_seed": int64(seed), "sample": auditJSON(sample),
			"sample_criteria": auditJSON(criteria), "sample_reasons": auditJSON(reasons)}); err != nil {
			return err
		}
		return record(ctx, tx, actor, "monitoring_round", cycle.Code+"/"+date, "draw_sample", nil,
			map[string]any{"seed": strconv.FormatUint(seed, 10), "criteria": criteria, "sample": sample, "reasons": reasons})
	})
	if err != nil {
		return nil, err
	}
	return m.Round(ctx, actor, cycleCode, date)
}

// Check records the RPCT's second-level check and suitability judgement of a measure.
func (m *Monitoring) Check(ctx context.Context, actor domain.Actor, cycleCode, date, measureID string, e store.MonitoringEntry) (*RoundView, error) {
	if err := m.can(actor, authz.ObjAssessment, authz.ActReview); err != nil {
		return nil, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	cm, err := m.measure(ctx, actor, cycle, measureID)
	if err != nil {
		return nil, err
	}
	if err := checkerIndependent(actor, cm); err != nil {
		return nil, err
	}
	var problems []domain.FieldError
	if !domain.CheckOutcome(e.CheckOutcome).Valid() {
		problems = append(problems, domain.FieldError{Field: "check_outcome", Code: "outcome_invalid", Message: "confermato, non_confermato or integrazioni_richieste"})
	}
	if !domain.Suitability(e.Suitability).Valid() {
		problems = append(problems, domain.FieldError{Field: "suitability", Code: "suitability_invalid", Message: "idonea, parzialmente_idonea or non_idonea"})
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "check_invalid", Problems: problems}
	}
	e.MeasureID, e.CheckedBy = measureID, actor.UserID
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := openRound(ctx, tx, actor.EnteID, cycle, date)
		if err != nil {
			return err
		}
		if err := selfAssessedBy(ctx, tx, actor, round.ID, measureID); err != nil {
			return err
		}
		if err := tx.SaveCheck(ctx, actor.EnteID, round.ID, e); err != nil {
			return err
		}
		if e.CheckOutcome == string(domain.CheckMoreNeeded) {
			if err := notifyIntegration(ctx, tx, actor, cycle, date, cm, e.CheckNotes); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, "monitoring_entry", cycle.Code+"/"+date+"/"+measureID, "check", nil, e)
	})
	if err != nil {
		return nil, err
	}
	return m.Round(ctx, actor, cycleCode, date)
}

// A measure's "owner" column is free text (a name or a title, as the plan was written), so it cannot be
// matched to an account. What can be enforced is who answers for the measure in the application: the unit
// the measure is assigned to (its unit_code) and the person who recorded the round's self-assessment. The
// second-level check must come from neither: not from a user holding a director or referente grant on the
// measure's unit (say an RPCT who is also the unit's director), and not from whoever self-assessed it.

// checkerIndependent refuses the check of a measure of a unit where the checker is director or referente.
func checkerIndependent(actor domain.Actor, cm store.CycleMeasure) error {
	for _, g := range actor.Grants {
		if g.Role.UnitScoped() && g.UnitCode == cm.Unit {
			return domain.Forbidden("four_eyes_measure", "you answer for unit %s, which owns this measure: another RPCT-role user must check it", cm.Unit)
		}
	}
	return nil
}

// selfAssessedBy refuses the check by the person who recorded the measure's self-assessment in the round.
func selfAssessedBy(ctx context.Context, tx *store.Store, actor domain.Actor, roundID, measureID string) error {
	entries, err := tx.MonitoringEntries(ctx, actor.EnteID, roundID)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.MeasureID == measureID && e.AssessedBy == actor.UserID {
			return domain.Forbidden("four_eyes_measure", "you recorded this measure's self-assessment: another RPCT-role user must check it")
		}
	}
	return nil
}

// CloseRound freezes a round (the RPCT).
func (m *Monitoring) CloseRound(ctx context.Context, actor domain.Actor, cycleCode, date string) (*RoundView, error) {
	if err := m.can(actor, authz.ObjCycle, authz.ActManage); err != nil {
		return nil, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := openRound(ctx, tx, actor.EnteID, cycle, date)
		if err != nil {
			return err
		}
		if err := tx.UpdateRound(ctx, round.ID, map[string]any{"state": "closed", "closed_at": time.Now().UTC()}); err != nil {
			return err
		}
		return record(ctx, tx, actor, "monitoring_round", cycle.Code+"/"+date, "close", nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return m.Round(ctx, actor, cycleCode, date)
}

// Suggestion proposes a value for the indicator "grado di attuazione delle misure" of a leaf.
type Suggestion struct {
	Leaf  string `json:"leaf"`
	Value int    `json:"value"` // 1 basso, 2 medio, 3 alto
	Round string `json:"round"`
}

// Suggestions proposes, for each leaf with measures, the "grado di attuazione delle misure" value from the
// latest closed round of the cycle (or of the cycle it was rolled forward from).
func (m *Monitoring) Suggestions(ctx context.Context, actor domain.Actor, cycleCode string) ([]Suggestion, error) {
	if err := m.can(actor, authz.ObjAssessment, authz.ActRead); err != nil {
		return nil, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	source := cycle
	round, err := m.store.LatestClosedRound(ctx, actor.EnteID, cycle.ID)
	if errors.Is(err, domain.ErrNotFound) && cycle.DerivedFrom != "" {
		if source, err = m.store.CycleByCode(ctx, actor.EnteID, cycle.DerivedFrom); err == nil {
			round, err = m.store.LatestClosedRound(ctx, actor.EnteID, source.ID)
		}
	}
	if errors.Is(err, domain.ErrNotFound) {
		return []Suggestion{}, nil
	}
	if err != nil {
		return nil, err
	}
	measures, err := m.store.CycleMeasures(ctx, actor.EnteID, source.ID)
	if err != nil {
		return nil, err
	}
	entries, err := m.store.MonitoringEntries(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	status := map[string]domain.ImplementationStatus{}
	for _, e := range entries {
		status[e.MeasureID] = e.Status
	}
	byLeaf := map[string][]domain.ImplementationStatus{}
	for _, cm := range measures {
		s, ok := status[cm.ID]
		if !ok {
			if !monitored(source, cm) {
				continue // withdrawn, or never monitored, and not assessed in that round: it does not speak for the leaf
			}
			s = domain.StatusNotStarted // not self-assessed: the prudent reading
		}
		byLeaf[cm.Leaf] = append(byLeaf[cm.Leaf], s)
	}
	out := []Suggestion{}
	for leaf, st := range byLeaf {
		out = append(out, Suggestion{Leaf: leaf, Value: domain.SuggestedImplementationValue(st), Round: source.Code + "/" + round.ReferenceDate})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Leaf < out[j].Leaf })
	return out, nil
}

// LatestStatusCounts counts the measures per implementation status in the cycle's latest closed round (empty
// when none): the annual report's monitoring figures.
func (m *Monitoring) LatestStatusCounts(ctx context.Context, actor domain.Actor, cycleCode string) (map[string]int, error) {
	out := map[string]int{}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	round, err := m.store.LatestClosedRound(ctx, actor.EnteID, cycle.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	entries, err := m.store.MonitoringEntries(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		out[string(e.Status)]++
	}
	return out, nil
}
