package service

import (
	"context"

	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// MeasureMonitoring is the monitoring page of one measure: the measure as planned (phases with their dates,
// indicators with their targets, owner, responsible unit) and its history, round by round.
type MeasureMonitoring struct {
	Cycle     string         `json:"cycle"`
	Measure   domain.Measure `json:"measure"`
	Leaf      string         `json:"leaf"`
	LeafTitle string         `json:"leaf_title"`
	UnitTitle string         `json:"unit_title"` // the responsible unit's name ('' when none or unknown)
	RiskLevel string         `json:"risk_level"` // the highest inherent level of the risks it treats
	// Monitored: the measure takes part in the rounds (approved assessment of a consolidated or adopted cycle).
	Monitored bool `json:"monitored"`
	// Rounds holds every round of the cycle, newest first, then those of the cycles it was rolled forward from
	// (through derived_from), so a measure's history follows it year over year.
	Rounds []MeasureRoundHistory `json:"rounds"`
}

// MeasureRoundHistory is the measure in one round.
type MeasureRoundHistory struct {
	Cycle         string                 `json:"cycle"`
	MeasureID     string                 `json:"measure_id"` // the id the measure had in that cycle
	ReferenceDate string                 `json:"reference_date"`
	State         string                 `json:"state"`
	Entry         *store.MonitoringEntry `json:"entry"`
	AssessedBy    string                 `json:"assessed_by_name"` // full names of who self-assessed and checked
	CheckedBy     string                 `json:"checked_by_name"`
	Sampled       bool                   `json:"sampled"`
	SampleReason  string                 `json:"sample_reason"`
	SampleStratum string                 `json:"sample_stratum,omitempty"`
	Overdue       bool                   `json:"overdue"`
	Evidence      int                    `json:"evidence"` // files attached in the round
}

// maxDerivedHops bounds how many earlier cycles a measure's history goes back through.
const maxDerivedHops = 10

// Measure returns the monitoring page of a measure of the cycle. A measure that is not monitored (its
// assessment is not approved, or the cycle still open) and has no history is not found: drafts never show.
func (m *Monitoring) Measure(ctx context.Context, actor domain.Actor, cycleCode, measureID string) (*MeasureMonitoring, error) {
	if err := m.can(actor, authz.ObjMeasure, authz.ActRead); err != nil {
		return nil, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	notFound := domain.NotFound("measure_not_found", "no measure %s among the monitored measures of the cycle", measureID)
	if _, err := uuid.Parse(measureID); err != nil {
		return nil, notFound
	}
	mm, err := m.store.MeasureByID(ctx, actor.EnteID, measureID)
	if err != nil {
		return nil, err
	}
	if mm.CycleID != cycle.ID {
		return nil, notFound
	}
	measures, err := m.store.CycleMeasures(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	var cm store.CycleMeasure
	for _, x := range measures {
		if x.ID == measureID {
			cm = x
		}
	}
	view := &MeasureMonitoring{Cycle: cycle.Code, Measure: mm.Measure, Leaf: mm.Leaf, LeafTitle: mm.LeafTitle, UnitTitle: mm.UnitTitle,
		RiskLevel: cm.RiskLevel, Monitored: monitored(cycle, cm), Rounds: []MeasureRoundHistory{}}
	// This cycle's rounds, then the earlier cycles' through derived_from.
	code, id, cycleID := cycle.Code, measureID, cycle.ID
	end := mm.Measure.End
	var people []string
	for hop := 0; hop <= maxDerivedHops; hop++ {
		rounds, err := m.store.MeasureRounds(ctx, actor.EnteID, cycleID, id)
		if err != nil {
			return nil, err
		}
		for i := len(rounds) - 1; i >= 0; i-- {
			r := rounds[i]
			h := MeasureRoundHistory{Cycle: code, MeasureID: id, ReferenceDate: r.Round.ReferenceDate, State: r.Round.State, Entry: r.Entry,
				Evidence: r.Evidence}
			for _, s := range r.Round.Sample {
				if s == id {
					h.Sampled, h.SampleReason = true, domain.SampleReasonRandom
				}
			}
			if why, ok := r.Round.SampleReasons[id]; ok && h.Sampled {
				h.SampleReason, h.SampleStratum = why.Reason, why.Stratum
			}
			implemented := r.Entry != nil && (r.Entry.Status == domain.StatusImplemented || r.Entry.Status == domain.StatusNoLongerRelevant)
			h.Overdue = end != "" && end <= r.Round.ReferenceDate && !implemented
			if r.Entry != nil {
				people = append(people, r.Entry.AssessedBy, r.Entry.CheckedBy)
			}
			// A round of this cycle in which the measure is not monitored and recorded nothing is not its history.
			if hop == 0 && !view.Monitored && r.Entry == nil && r.Evidence == 0 {
				continue
			}
			view.Rounds = append(view.Rounds, h)
		}
		if hop == 0 && !view.Monitored && len(view.Rounds) == 0 {
			return nil, notFound
		}
		prev := mm.Measure.DerivedFrom
		if prev == "" {
			break
		}
		if _, err := uuid.Parse(prev); err != nil {
			break
		}
		if mm, err = m.store.MeasureByID(ctx, actor.EnteID, prev); err != nil {
			break // the earlier measure is gone: the history stops there
		}
		if code, err = m.store.CycleCodeByID(ctx, actor.EnteID, mm.CycleID); err != nil {
			break
		}
		id, cycleID, end = prev, mm.CycleID, mm.Measure.End
	}
	names, err := m.store.UserNames(ctx, actor.EnteID, people)
	if err != nil {
		return nil, err
	}
	for i := range view.Rounds {
		if e := view.Rounds[i].Entry; e != nil {
			view.Rounds[i].AssessedBy, view.Rounds[i].CheckedBy = names[e.AssessedBy], names[e.CheckedBy]
		}
	}
	return view, nil
}
