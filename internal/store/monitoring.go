package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/domain"
)

// MonitoringPlan is a cycle's monitoring plan.
type MonitoringPlan struct {
	Frequency        string   `json:"frequency"`
	ReferenceDates   []string `json:"reference_dates"`
	SamplingCriteria string   `json:"sampling_criteria"` // the criteria in words, as the plan states them
	SamplePercent    int      `json:"sample_percent"`    // the share drawn at random from each stratum of the rest
	// SampleHighRisk and SampleOverdue put every measure of a high-level risk and every overdue measure in the
	// sample whatever the random share.
	SampleHighRisk bool `json:"sample_high_risk"`
	SampleOverdue  bool `json:"sample_overdue"`
}

// SetMonitoringPlan stores (replaces) a cycle's plan.
func (s *Store) SetMonitoringPlan(ctx context.Context, enteID, cycleID string, p MonitoringPlan) error {
	dates, _ := json.Marshal(p.ReferenceDates)
	row := map[string]any{"cycle_id": cycleID, "ente_id": enteID, "frequency": p.Frequency, "reference_dates": string(dates),
		"sampling_criteria": p.SamplingCriteria, "sample_percent": p.SamplePercent, "sample_high_risk": p.SampleHighRisk,
		"sample_overdue": p.SampleOverdue, "updated_at": now()}
	return wrap(s.q(ctx).Table("monitoring_plans").Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "cycle_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"frequency", "reference_dates", "sampling_criteria", "sample_percent",
			"sample_high_risk", "sample_overdue", "updated_at"})}).
		Create(row).Error, "store monitoring plan")
}

// MonitoringPlanOf loads a cycle's plan; none is domain.ErrNotFound.
func (s *Store) MonitoringPlanOf(ctx context.Context, enteID, cycleID string) (MonitoringPlan, error) {
	var rows []struct {
		Frequency, ReferenceDates, SamplingCriteria string
		SamplePercent                               int
		SampleHighRisk, SampleOverdue               bool
	}
	if err := s.q(ctx).Table("monitoring_plans").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Scan(&rows).Error; err != nil {
		return MonitoringPlan{}, wrap(err, "load monitoring plan")
	}
	if len(rows) == 0 {
		return MonitoringPlan{}, domain.NotFound("monitoring_plan_not_found", "the cycle has no monitoring plan")
	}
	p := MonitoringPlan{Frequency: rows[0].Frequency, SamplingCriteria: rows[0].SamplingCriteria, SamplePercent: rows[0].SamplePercent,
		SampleHighRisk: rows[0].SampleHighRisk, SampleOverdue: rows[0].SampleOverdue}
	_ = json.Unmarshal([]byte(rows[0].ReferenceDates), &p.ReferenceDates)
	return p, nil
}

// Round is a monitoring round.
type Round struct {
	ID            string   `json:"-"`
	ReferenceDate string   `json:"reference_date"`
	State         string   `json:"state"`
	SampleSeed    int64    `json:"sample_seed,string"` // a string: JavaScript numbers lose digits past 2^53; "0" before any draw
	Sample        []string `json:"sample"`
	// SampleCriteria are the criteria the last draw applied (nil before any draw); SampleReasons says, per
	// measure drawn, why.
	SampleCriteria *domain.SampleCriteria         `json:"sample_criteria"`
	SampleReasons  map[string]domain.SampleReason `json:"sample_reasons"`
	OpenedAt       time.Time                      `json:"opened_at"`
	ClosedAt       *time.Time                     `json:"closed_at"`
}

type roundRow struct {
	ID, EnteID, CycleID, ReferenceDate, State, Sample string
	SampleCriteria, SampleReasons                     string
	SampleSeed                                        int64
	OpenedAt                                          time.Time
	ClosedAt                                          *time.Time
}

func (roundRow) TableName() string { return "monitoring_rounds" }

func (r roundRow) domain() Round {
	out := Round{ID: r.ID, ReferenceDate: r.ReferenceDate, State: r.State, SampleSeed: r.SampleSeed, OpenedAt: r.OpenedAt,
		ClosedAt: r.ClosedAt, Sample: []string{}, SampleReasons: map[string]domain.SampleReason{}}
	if r.Sample != "" {
		_ = json.Unmarshal([]byte(r.Sample), &out.Sample)
	}
	if r.SampleCriteria != "" {
		out.SampleCriteria = &domain.SampleCriteria{}
		_ = json.Unmarshal([]byte(r.SampleCriteria), out.SampleCriteria)
	}
	if r.SampleReasons != "" {
		_ = json.Unmarshal([]byte(r.SampleReasons), &out.SampleReasons)
	}
	return out
}

// OpenRound creates a round; an existing one for the date is a conflict.
func (s *Store) OpenRound(ctx context.Context, enteID, cycleID, date string) (Round, error) {
	r := roundRow{ID: newID(), EnteID: enteID, CycleID: cycleID, ReferenceDate: date, State: "open", OpenedAt: now()}
	err := s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Round{}, domain.Conflict("round_exists", "a round for %s already exists", date)
	}
	return r.domain(), wrap(err, "open round")
}

// RoundByDate loads a round (locked on PostgreSQL when lock is true).
func (s *Store) RoundByDate(ctx context.Context, enteID, cycleID, date string, lock bool) (Round, error) {
	q := s.q(ctx)
	if lock {
		q = s.forUpdate(q)
	}
	var r roundRow
	res := q.Where("ente_id = ? AND cycle_id = ? AND reference_date = ?", enteID, cycleID, date).Limit(1).Find(&r)
	if res.Error != nil {
		return Round{}, wrap(res.Error, "load round")
	}
	if res.RowsAffected == 0 {
		return Round{}, domain.NotFound("round_not_found", "no monitoring round on %s", date)
	}
	return r.domain(), nil
}

// LatestClosedRound returns the cycle's most recent closed round.
func (s *Store) LatestClosedRound(ctx context.Context, enteID, cycleID string) (Round, error) {
	var r roundRow
	res := s.q(ctx).Where("ente_id = ? AND cycle_id = ? AND state = 'closed'", enteID, cycleID).Order("reference_date DESC").Limit(1).Find(&r)
	if res.Error != nil {
		return Round{}, wrap(res.Error, "load latest round")
	}
	if res.RowsAffected == 0 {
		return Round{}, domain.NotFound("round_not_found", "no closed round")
	}
	return r.domain(), nil
}

// RoundSummary is a round in the list of a cycle's rounds, with its progress.
type RoundSummary struct {
	Round
	Measures     int `json:"measures"`      // the cycle's measures
	SelfAssessed int `json:"self_assessed"` // measures with a self-assessment in the round
	Checked      int `json:"checked"`       // self-assessments the RPCT has checked
	// OutdatedChecks counts the checks whose self-assessment changed after them.
	OutdatedChecks int `json:"outdated_checks"`
	// ProgrammeMeasures, ProgrammeSelfAssessed and ProgrammeChecked are the same counts for the ente's
	// programme of general measures (dropped measures owe nothing and are not counted).
	ProgrammeMeasures     int `json:"programme_measures"`
	ProgrammeSelfAssessed int `json:"programme_self_assessed"`
	ProgrammeChecked      int `json:"programme_checked"`
}

// RoundsOf lists a cycle's rounds, newest reference date first, with their counts (specific measures and the
// programme's general measures), in five statements whatever the number of rounds.
func (s *Store) RoundsOf(ctx context.Context, enteID, cycleID string) ([]RoundSummary, error) {
	var rows []roundRow
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("reference_date DESC").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list rounds")
	}
	out := make([]RoundSummary, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	var measures int64
	// The measures monitored: of approved assessments, not withdrawn (rounds only exist in a consolidated cycle).
	if err := s.q(ctx).Table("measures m").Joins("JOIN assessments a ON a.id = m.assessment_id").
		Where("m.ente_id = ? AND m.cycle_id = ? AND m.withdrawn_at IS NULL AND a.state = ?", enteID, cycleID, domain.StateApproved).
		Count(&measures).Error; err != nil {
		return nil, wrap(err, "count measures of the cycle")
	}
	var counts []struct {
		RoundID                  string
		Assessed, Done, Outdated int
	}
	if err := s.q(ctx).Table("monitoring_entries e").
		Select("e.round_id, COUNT(*) AS assessed, SUM(CASE WHEN e.check_outcome <> '' THEN 1 ELSE 0 END) AS done, "+
			"SUM(CASE WHEN e.check_outcome <> '' AND e.checked_self_version <> e.self_version THEN 1 ELSE 0 END) AS outdated").
		Joins("JOIN monitoring_rounds r ON r.id = e.round_id").
		Where("e.ente_id = ? AND r.cycle_id = ?", enteID, cycleID).Group("e.round_id").Scan(&counts).Error; err != nil {
		return nil, wrap(err, "count monitoring entries")
	}
	byRound := map[string]int{}
	for i, c := range counts {
		byRound[c.RoundID] = i
	}
	var programme int64
	if err := s.q(ctx).Table("programme_measures").Where("ente_id = ? AND cycle_id = ? AND status <> ?", enteID, cycleID, domain.MeasureDropped).
		Count(&programme).Error; err != nil {
		return nil, wrap(err, "count programme measures of the cycle")
	}
	var pcounts []struct {
		RoundID        string
		Assessed, Done int
	}
	if err := s.q(ctx).Table("programme_monitoring_entries e").
		Select("e.round_id, COUNT(*) AS assessed, SUM(CASE WHEN e.check_outcome <> '' THEN 1 ELSE 0 END) AS done").
		Joins("JOIN monitoring_rounds r ON r.id = e.round_id").
		Where("e.ente_id = ? AND r.cycle_id = ?", enteID, cycleID).Group("e.round_id").Scan(&pcounts).Error; err != nil {
		return nil, wrap(err, "count programme monitoring entries")
	}
	pByRound := map[string]int{}
	for i, c := range pcounts {
		pByRound[c.RoundID] = i
	}
	for i, r := range rows {
		out[i] = RoundSummary{Round: r.domain(), Measures: int(measures), ProgrammeMeasures: int(programme)}
		if j, ok := byRound[r.ID]; ok {
			out[i].SelfAssessed, out[i].Checked, out[i].OutdatedChecks = counts[j].Assessed, counts[j].Done, counts[j].Outdated
		}
		if j, ok := pByRound[r.ID]; ok {
			out[i].ProgrammeSelfAssessed, out[i].ProgrammeChecked = pcounts[j].Assessed, pcounts[j].Done
		}
	}
	return out, nil
}

// UpdateRound sets the state, sample or closing time of a round.
func (s *Store) UpdateRound(ctx context.Context, roundID string, changes map[string]any) error {
	return wrap(s.q(ctx).Table("monitoring_rounds").Where("id = ?", roundID).Updates(changes).Error, "update round")
}

// CycleMeasure is a measure of a cycle with what monitoring needs.
type CycleMeasure struct {
	ID    string `json:"id"`
	Leaf  string `json:"leaf"`
	Title string `json:"title"`
	Type  string `json:"type"`
	Unit  string `json:"unit"`
	// UnitTitle is the responsible unit's name ('' when none or unknown): people read names, codes come second.
	UnitTitle string `json:"unit_title"`
	End       string `json:"end"`
	// Area is the macro-process (the top of the map) the measure's leaf belongs to: with the unit, the
	// stratum of a random draw.
	Area string `json:"area"`
	// AssessmentState is the state of the assessment that plans the measure: only an approved one's measures
	// are monitored.
	AssessmentState domain.AssessmentState `json:"assessment_state"`
	// RiskLevel is the highest inherent level among the risks the measure treats ('' when it treats none).
	RiskLevel string `json:"risk_level"`
	RiskRank  int    `json:"-"`
	// WithdrawnAt is set on a measure retired from its assessment: its past monitoring stays visible, but
	// it takes no new self-assessment or check.
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnReason string     `json:"withdrawn_reason,omitempty"`
}

// CycleMeasures lists the measures of a cycle, in map order, withdrawn ones and those of assessments not
// approved included (the caller decides what it monitors), with their leaf's area and the highest level of
// the risks they treat: three statements whatever the number of measures.
func (s *Store) CycleMeasures(ctx context.Context, enteID, cycleID string) ([]CycleMeasure, error) {
	var out []CycleMeasure
	err := s.q(ctx).Table("measures m").Select("m.id, n.code AS leaf, m.title, m.measure_type AS type, m.unit_code AS unit, m.end_date AS end, "+
		"a.state AS assessment_state, m.withdrawn_at, m.withdrawn_reason, "+
		"COALESCE((SELECT u.title FROM org_units u WHERE u.cycle_id = m.cycle_id AND u.code = m.unit_code), '') AS unit_title").
		Joins("JOIN assessments a ON a.id = m.assessment_id").Joins("JOIN process_nodes n ON n.id = a.node_id").
		Where("m.ente_id = ? AND m.cycle_id = ?", enteID, cycleID).Order("n.position, m.position").Scan(&out).Error
	if err != nil {
		return nil, wrap(err, "list measures of the cycle")
	}
	var risks []struct {
		MeasureID, InherentLevel string
		InherentRank             int
	}
	if err := s.q(ctx).Table("measure_risks mr").Select("mr.measure_id, r.inherent_level, r.inherent_rank").
		Joins("JOIN risk_entries r ON r.id = mr.risk_entry_id").
		Where("mr.ente_id = ? AND r.cycle_id = ?", enteID, cycleID).Scan(&risks).Error; err != nil {
		return nil, wrap(err, "list the risks of the cycle's measures")
	}
	var nodes []struct {
		ID, Code string
		ParentID *string
	}
	if err := s.q(ctx).Table("process_nodes").Select("id, parent_id, code").
		Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Scan(&nodes).Error; err != nil {
		return nil, wrap(err, "load the map's areas")
	}
	byID, byCode := map[string]int{}, map[string]int{}
	for i, n := range nodes {
		byID[n.ID], byCode[n.Code] = i, i
	}
	area := func(code string) string {
		i, ok := byCode[code]
		for hops := 0; ok && nodes[i].ParentID != nil && hops < len(nodes); hops++ {
			i, ok = byID[*nodes[i].ParentID]
		}
		if !ok {
			return ""
		}
		return nodes[i].Code
	}
	worst := map[string]int{}
	for i, r := range risks {
		if j, ok := worst[r.MeasureID]; !ok || r.InherentRank > risks[j].InherentRank {
			worst[r.MeasureID] = i
		}
	}
	for i := range out {
		out[i].Area = area(out[i].Leaf)
		if j, ok := worst[out[i].ID]; ok {
			out[i].RiskLevel, out[i].RiskRank = risks[j].InherentLevel, risks[j].InherentRank
		}
	}
	return out, nil
}

// IndicatorValue is a measured value of a measure's indicator.
type IndicatorValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// MonitoringEntry is a measure's self-assessment and check in a round.
type MonitoringEntry struct {
	MeasureID         string                      `json:"measure_id"`
	Status            domain.ImplementationStatus `json:"status"`
	Reason            string                      `json:"reason"`
	IndicatorValues   []IndicatorValue            `json:"indicator_values"`
	Notes             string                      `json:"notes"`
	AssessedBy        string                      `json:"assessed_by"`
	CheckOutcome      string                      `json:"check_outcome"`
	CheckNotes        string                      `json:"check_notes"`
	Suitability       string                      `json:"suitability"`
	SuitabilityReason string                      `json:"suitability_reason"`
	CheckedBy         string                      `json:"checked_by"`
	// SelfVersion counts the changes of the self-assessment; CheckedVersion is the one the check looked at.
	// CheckOutdated: the self-assessment changed after the check, which must be looked at again.
	SelfVersion    int64 `json:"self_version"`
	CheckedVersion int64 `json:"checked_version"`
	CheckOutdated  bool  `json:"check_outdated"`
}

// SaveSelfAssessment records (or replaces) a measure's self-assessment in a round. A change of its content
// bumps self_version, so a check made before it shows as outdated; re-sending the same content does not.
func (s *Store) SaveSelfAssessment(ctx context.Context, enteID, roundID string, e MonitoringEntry) error {
	vals, _ := json.Marshal(e.IndicatorValues)
	row := map[string]any{"id": newID(), "ente_id": enteID, "round_id": roundID, "measure_id": e.MeasureID, "status": string(e.Status),
		"reason": e.Reason, "indicator_values": string(vals), "notes": e.Notes, "assessed_by": e.AssessedBy, "assessed_at": now(),
		"self_version": 1}
	// In an upsert's SET every right-hand side reads the row as it was, on both databases.
	set := append(clause.AssignmentColumns([]string{"status", "reason", "indicator_values", "notes", "assessed_by", "assessed_at"}),
		clause.Assignment{Column: clause.Column{Name: "self_version"}, Value: gorm.Expr(`CASE WHEN monitoring_entries.status <> excluded.status
			OR monitoring_entries.reason <> excluded.reason OR monitoring_entries.indicator_values <> excluded.indicator_values
			OR monitoring_entries.notes <> excluded.notes THEN monitoring_entries.self_version + 1 ELSE monitoring_entries.self_version END`)})
	return wrap(s.q(ctx).Table("monitoring_entries").Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "round_id"}, {Name: "measure_id"}},
		DoUpdates: set}).Create(row).Error, "save self-assessment")
}

// SaveCheck records the RPCT's check of a self-assessment, with the version of the self-assessment it looked
// at; none to check is a self_assessment_missing conflict. When e.SelfVersion is set (the version the checker
// read) and the unit changed the self-assessment since, the check is refused (self_assessment_changed).
func (s *Store) SaveCheck(ctx context.Context, enteID, roundID string, e MonitoringEntry) error {
	q := s.q(ctx).Table("monitoring_entries").Where("ente_id = ? AND round_id = ? AND measure_id = ?", enteID, roundID, e.MeasureID)
	if e.SelfVersion > 0 {
		q = q.Where("self_version = ?", e.SelfVersion)
	}
	res := q.
		Updates(map[string]any{"check_outcome": e.CheckOutcome, "check_notes": e.CheckNotes, "suitability": e.Suitability,
			"suitability_reason": e.SuitabilityReason, "checked_by": e.CheckedBy, "version": gorm.Expr("version + 1"),
			"checked_self_version": gorm.Expr("self_version")}) // the self-assessment this check looked at
	if res.Error != nil {
		return wrap(res.Error, "save check")
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := s.q(ctx).Table("monitoring_entries").Where("ente_id = ? AND round_id = ? AND measure_id = ?", enteID, roundID, e.MeasureID).
			Count(&n).Error; err != nil {
			return wrap(err, "find self-assessment")
		}
		if n > 0 {
			return domain.Conflict("self_assessment_changed", "the unit changed its self-assessment after you read it: reload and check it again")
		}
		return domain.Conflict("self_assessment_missing", "the unit has not assessed this measure yet")
	}
	return nil
}

// MonitoringEntries lists a round's entries.
func (s *Store) MonitoringEntries(ctx context.Context, enteID, roundID string) ([]MonitoringEntry, error) {
	var rows []struct {
		MeasureID, Status, Reason, IndicatorValues, Notes, AssessedBy, CheckOutcome, CheckNotes, Suitability, SuitabilityReason, CheckedBy string
		SelfVersion, CheckedSelfVersion                                                                                                    int64
	}
	if err := s.q(ctx).Table("monitoring_entries").Where("ente_id = ? AND round_id = ?", enteID, roundID).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "list monitoring entries")
	}
	out := make([]MonitoringEntry, len(rows))
	for i, r := range rows {
		out[i] = MonitoringEntry{MeasureID: r.MeasureID, Status: domain.ImplementationStatus(r.Status), Reason: r.Reason, Notes: r.Notes,
			AssessedBy: r.AssessedBy, CheckOutcome: r.CheckOutcome, CheckNotes: r.CheckNotes, Suitability: r.Suitability,
			SuitabilityReason: r.SuitabilityReason, CheckedBy: r.CheckedBy, IndicatorValues: []IndicatorValue{},
			SelfVersion: r.SelfVersion, CheckedVersion: r.CheckedSelfVersion,
			CheckOutdated: r.CheckOutcome != "" && r.CheckedSelfVersion != r.SelfVersion}
		_ = json.Unmarshal([]byte(r.IndicatorValues), &out[i].IndicatorValues)
	}
	return out, nil
}
