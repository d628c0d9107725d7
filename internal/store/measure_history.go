package store

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/domain"
)

// MonitoredMeasure is one measure as planned (phases, indicators, owner, unit) with where it sits: its cycle,
// its leaf and the state of the assessment that plans it.
type MonitoredMeasure struct {
	Measure         domain.Measure
	CycleID         string
	Leaf            string
	LeafTitle       string
	UnitTitle       string
	AssessmentState domain.AssessmentState
}

// MeasureByID loads a measure of the ente with its leaf and unit names; none is measure_not_found.
func (s *Store) MeasureByID(ctx context.Context, enteID, id string) (MonitoredMeasure, error) {
	var row measureRow
	res := s.q(ctx).Where("ente_id = ? AND id = ?", enteID, id).Limit(1).Find(&row)
	if res.Error != nil {
		return MonitoredMeasure{}, wrap(res.Error, "load measure")
	}
	if res.RowsAffected == 0 {
		return MonitoredMeasure{}, domain.NotFound("measure_not_found", "no measure %s", id)
	}
	var where []struct{ Leaf, LeafTitle, UnitTitle, AssessmentState string }
	if err := s.q(ctx).Table("assessments a").Select("n.code AS leaf, n.title AS leaf_title, a.state AS assessment_state, "+
		"COALESCE((SELECT u.title FROM org_units u WHERE u.cycle_id = a.cycle_id AND u.code = ?), '') AS unit_title", row.UnitCode).
		Joins("JOIN process_nodes n ON n.id = a.node_id").Where("a.ente_id = ? AND a.id = ?", enteID, row.AssessmentID).
		Scan(&where).Error; err != nil {
		return MonitoredMeasure{}, wrap(err, "load the measure's leaf")
	}
	m, err := row.domain()
	if err != nil {
		return MonitoredMeasure{}, err
	}
	out := MonitoredMeasure{Measure: m, CycleID: row.CycleID}
	if len(where) > 0 {
		w := where[0]
		out.Leaf, out.LeafTitle, out.UnitTitle, out.AssessmentState = w.Leaf, w.LeafTitle, w.UnitTitle, domain.AssessmentState(w.AssessmentState)
	}
	return out, nil
}

// MeasureRound is a measure in one round of its cycle: the round, the measure's entry (nil when the unit
// recorded nothing) and how many files it has there.
type MeasureRound struct {
	Round    Round
	Entry    *MonitoringEntry
	Evidence int
}

// MeasureRounds lists every round of the measure's cycle, oldest first, with the measure's entry and number of
// evidence files in each: three statements whatever the number of rounds.
func (s *Store) MeasureRounds(ctx context.Context, enteID, cycleID, measureID string) ([]MeasureRound, error) {
	var rounds []roundRow
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("reference_date").Find(&rounds).Error; err != nil {
		return nil, wrap(err, "list rounds")
	}
	var entries []struct {
		RoundID, Status, Reason, IndicatorValues, Notes, AssessedBy, CheckOutcome, CheckNotes, Suitability, SuitabilityReason, CheckedBy string
		SelfVersion, CheckedSelfVersion                                                                                                  int64
	}
	if err := s.q(ctx).Table("monitoring_entries").Where("ente_id = ? AND measure_id = ?", enteID, measureID).Scan(&entries).Error; err != nil {
		return nil, wrap(err, "list the measure's entries")
	}
	var files []struct {
		RoundID string
		N       int
	}
	if err := s.q(ctx).Table("evidence_files").Select("round_id, COUNT(*) AS n").Where("ente_id = ? AND measure_id = ?", enteID, measureID).
		Group("round_id").Scan(&files).Error; err != nil {
		return nil, wrap(err, "count the measure's evidence")
	}
	out := make([]MeasureRound, len(rounds))
	for i, r := range rounds {
		out[i] = MeasureRound{Round: r.domain()}
		for _, e := range entries {
			if e.RoundID == r.ID {
				me := MonitoringEntry{MeasureID: measureID, Status: domain.ImplementationStatus(e.Status), Reason: e.Reason, Notes: e.Notes,
					AssessedBy: e.AssessedBy, CheckOutcome: e.CheckOutcome, CheckNotes: e.CheckNotes, Suitability: e.Suitability,
					SuitabilityReason: e.SuitabilityReason, CheckedBy: e.CheckedBy, IndicatorValues: []IndicatorValue{},
					SelfVersion: e.SelfVersion, CheckedVersion: e.CheckedSelfVersion,
					CheckOutdated: e.CheckOutcome != "" && e.CheckedSelfVersion != e.SelfVersion}
				_ = json.Unmarshal([]byte(e.IndicatorValues), &me.IndicatorValues)
				out[i].Entry = &me
			}
		}
		for _, f := range files {
			if f.RoundID == r.ID {
				out[i].Evidence = f.N
			}
		}
	}
	return out, nil
}

// CycleCodeByID returns the code of one of the ente's cycles.
func (s *Store) CycleCodeByID(ctx context.Context, enteID, cycleID string) (string, error) {
	var codes []string
	if err := s.q(ctx).Table("cycles").Where("ente_id = ? AND id = ?", enteID, cycleID).Limit(1).Pluck("code", &codes).Error; err != nil {
		return "", wrap(err, "load cycle")
	}
	if len(codes) == 0 {
		return "", domain.NotFound("cycle_not_found", "no such cycle")
	}
	return codes[0], nil
}

// UserNames maps user ids of the ente to their full names (the username when the full name is empty); ids
// that are not users (the operator, a deleted account) are left out.
func (s *Store) UserNames(ctx context.Context, enteID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, err := uuid.Parse(id); err == nil { // PostgreSQL refuses a non-uuid literal
			valid = append(valid, id)
		}
	}
	ids = valid
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct{ ID, Username, FullName string }
	if err := s.q(ctx).Table("users").Select("id, username, full_name").Where("ente_id = ? AND id IN ?", enteID, ids).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "load user names")
	}
	for _, r := range rows {
		out[r.ID] = r.FullName
		if r.FullName == "" {
			out[r.ID] = r.Username
		}
	}
	return out, nil
}
