package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

// RegisterRiskIDs returns the ids of the risk entries the register filter keeps (no pagination): the
// exports use them to write what the register screen shows.
func (s *Store) RegisterRiskIDs(ctx context.Context, enteID, cycleID string, f RegisterFilter) ([]string, error) {
	var ids []string
	if err := s.registerScope(ctx, enteID, cycleID, f).Pluck("r.id", &ids).Error; err != nil {
		return nil, wrap(err, "read register ids")
	}
	return ids, nil
}

type importMappingRow struct {
	EnteID    string `gorm:"primaryKey"`
	Mapping   string
	Version   int64
	UpdatedAt time.Time
	UpdatedBy string
}

func (importMappingRow) TableName() string { return "register_import_mappings" }

// ImportMapping is an ente's saved column mapping for the register import.
type ImportMapping struct {
	Columns   map[string]string `json:"columns"` // layout column key -> header in the file
	Version   int64             `json:"version"` // 0: none saved
	UpdatedAt *time.Time        `json:"updated_at,omitempty"`
}

// RegisterImportMapping returns the ente's saved mapping (an empty one at version 0 when none).
func (s *Store) RegisterImportMapping(ctx context.Context, enteID string) (ImportMapping, error) {
	var row importMappingRow
	res := s.q(ctx).Where("ente_id = ?", enteID).Limit(1).Find(&row)
	if res.Error != nil {
		return ImportMapping{}, wrap(res.Error, "load import mapping")
	}
	out := ImportMapping{Columns: map[string]string{}}
	if res.RowsAffected == 0 {
		return out, nil
	}
	if err := json.Unmarshal([]byte(row.Mapping), &out.Columns); err != nil {
		return out, wrap(err, "decode import mapping")
	}
	out.Version, out.UpdatedAt = row.Version, &row.UpdatedAt
	return out, nil
}

// SaveRegisterImportMapping writes the ente's mapping at the version the caller read (0: none yet).
func (s *Store) SaveRegisterImportMapping(ctx context.Context, enteID string, columns map[string]string, expect int64, by string) (int64, error) {
	data, _ := json.Marshal(columns)
	stale := func(current int64) error {
		return &domain.ConflictError{Code: "version_conflict", CurrentVersion: current,
			Message: "the import mapping was changed by someone else: reload it"}
	}
	current, err := s.RegisterImportMapping(ctx, enteID)
	if err != nil {
		return 0, err
	}
	if current.Version != expect {
		return 0, stale(current.Version)
	}
	if expect == 0 {
		err := s.q(ctx).Create(&importMappingRow{EnteID: enteID, Mapping: string(data), Version: 1, UpdatedAt: now(), UpdatedBy: by}).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return 0, stale(1)
		}
		return 1, wrap(err, "save import mapping")
	}
	res := s.q(ctx).Model(&importMappingRow{}).Where("ente_id = ? AND version = ?", enteID, expect).
		Updates(map[string]any{"mapping": string(data), "version": expect + 1, "updated_at": now(), "updated_by": by})
	if res.Error != nil {
		return 0, wrap(res.Error, "save import mapping")
	}
	if res.RowsAffected != 1 {
		return 0, stale(expect + 1)
	}
	return expect + 1, nil
}

// importChunk bounds the ids one IN (...) of the bulk read carries.
const importChunk = 500

// AssessmentsOfNodes reads the assessments of many leaves of a cycle at once, by node id (a leaf without one
// is absent from the map): the same content as Assessment gives for each, in a handful of statements instead
// of several per leaf, so a register import compares a large file with the stored register quickly.
// TestAssessmentsOfNodesMatchesAssessment holds the two readings together.
func (s *Store) AssessmentsOfNodes(ctx context.Context, enteID, cycleID string, nodeIDs []string) (map[string]*domain.Assessment, error) {
	// Each statement names the columns the assessment is built from and scans them into the row structs
	// itself: the exports read the whole register this way, and gorm's scanning by reflection cost more than
	// the database's answer.
	out := map[string]*domain.Assessment{}
	var rows []assessmentRow
	for start := 0; start < len(nodeIDs); start += importChunk {
		q := s.q(ctx).Table("assessments").Select("id, node_id, state, level, version, updated_at").
			Where("ente_id = ? AND cycle_id = ? AND node_id IN ?", enteID, cycleID, nodeIDs[start:min(start+importChunk, len(nodeIDs))])
		err := scanRows(q, func(r scanner) error {
			var a assessmentRow
			if err := r.Scan(&a.ID, &a.NodeID, &a.State, &a.Level, &a.Version, &a.UpdatedAt); err != nil {
				return err
			}
			rows = append(rows, a)
			return nil
		})
		if err != nil {
			return nil, wrap(err, "load assessments")
		}
	}
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	risks := map[string][]riskEntryRow{}
	measures := map[string][]measureRow{}
	type link struct {
		MeasureID, RiskEntryID, AssessmentID string
	}
	links := map[string][]link{}
	for start := 0; start < len(ids); start += importChunk {
		chunk := ids[start:min(start+importChunk, len(ids))]
		q := s.q(ctx).Table("risk_entries").Select("id, assessment_id, event_code, event_description, context, enabling_factors, "+
			"inherent, decision, priority, residual, version").Where("ente_id = ? AND assessment_id IN ?", enteID, chunk).Order("assessment_id, position")
		err := scanRows(q, func(rs scanner) error {
			var r riskEntryRow
			if err := rs.Scan(&r.ID, &r.AssessmentID, &r.EventCode, &r.EventDescription, &r.Context, &r.EnablingFactors,
				&r.Inherent, &r.Decision, &r.Priority, &r.Residual, &r.Version); err != nil {
				return err
			}
			risks[r.AssessmentID] = append(risks[r.AssessmentID], r)
			return nil
		})
		if err != nil {
			return nil, wrap(err, "load risk entries")
		}
		q = s.q(ctx).Table("measures").Select("id, assessment_id, nature, general_code, measure_type, title, description, unit_code, "+
			"owner, start_date, end_date, phases, indicators, strategic_objective, cost_note, enabling_factors, status, version, "+
			"withdrawn_at, withdrawn_reason, derived_from").Where("ente_id = ? AND assessment_id IN ?", enteID, chunk).Order("assessment_id, position")
		err = scanRows(q, func(rs scanner) error {
			var m measureRow
			if err := rs.Scan(&m.ID, &m.AssessmentID, &m.Nature, &m.GeneralCode, &m.MeasureType, &m.Title, &m.Description, &m.UnitCode,
				&m.Owner, &m.StartDate, &m.EndDate, &m.Phases, &m.Indicators, &m.StrategicObjective, &m.CostNote, &m.EnablingFactors,
				&m.Status, &m.Version, &m.WithdrawnAt, &m.WithdrawnReason, &m.DerivedFrom); err != nil {
				return err
			}
			measures[m.AssessmentID] = append(measures[m.AssessmentID], m)
			return nil
		})
		if err != nil {
			return nil, wrap(err, "load measures")
		}
		q = s.q(ctx).Table("measure_risks mr").Select("mr.measure_id, mr.risk_entry_id, r.assessment_id").
			Joins("JOIN risk_entries r ON r.id = mr.risk_entry_id").Where("mr.ente_id = ? AND r.assessment_id IN ?", enteID, chunk).
			Order("mr.measure_id")
		err = scanRows(q, func(rs scanner) error {
			var l link
			if err := rs.Scan(&l.MeasureID, &l.RiskEntryID, &l.AssessmentID); err != nil {
				return err
			}
			links[l.AssessmentID] = append(links[l.AssessmentID], l)
			return nil
		})
		if err != nil {
			return nil, wrap(err, "load measure links")
		}
	}
	var measureIDs []string
	for _, a := range rows {
		dom := &domain.Assessment{State: domain.AssessmentState(a.State), Version: a.Version, Level: a.Level,
			Risks: make([]domain.RiskEntry, len(risks[a.ID])), Measures: []domain.Measure{}, Withdrawn: []domain.Measure{}}
		updated := a.UpdatedAt
		dom.UpdatedAt = &updated
		keyOf := map[string]string{}
		withdrawn := map[string]int{}
		for _, m := range measures[a.ID] {
			dm, err := m.domain()
			if err != nil {
				return nil, err
			}
			measureIDs = append(measureIDs, m.ID)
			if dm.WithdrawnAt != nil {
				dm.TreatedRisks = []string{}
				withdrawn[m.ID] = len(dom.Withdrawn)
				dom.Withdrawn = append(dom.Withdrawn, dm)
				continue
			}
			keyOf[m.ID] = dm.Key
			dom.Measures = append(dom.Measures, dm)
		}
		byRisk := map[string][]string{}
		for _, l := range links[a.ID] {
			if i, ok := withdrawn[l.MeasureID]; ok {
				dom.Withdrawn[i].TreatedRisks = append(dom.Withdrawn[i].TreatedRisks, l.RiskEntryID)
				continue
			}
			ref, own := keyOf[l.MeasureID]
			if !own {
				ref = l.MeasureID
			}
			byRisk[l.RiskEntryID] = append(byRisk[l.RiskEntryID], ref)
		}
		for i, r := range risks[a.ID] {
			dr := domain.RiskEntry{ID: r.ID, EventCode: r.EventCode, EventDescription: r.EventDescription, Context: r.Context,
				EnablingFactors: splitCodes(r.EnablingFactors), Decision: domain.Decision(r.Decision), Priority: r.Priority,
				Measures: byRisk[r.ID], Version: r.Version}
			if dr.Measures == nil {
				dr.Measures = []string{}
			}
			if err := decodeJudgement(r.Inherent, &dr.Inherent); err != nil {
				return nil, wrap(err, "decode judgement")
			}
			if r.Residual != "" {
				dr.Residual = &domain.Judgement{}
				if err := decodeJudgement(r.Residual, dr.Residual); err != nil {
					return nil, wrap(err, "decode judgement")
				}
			}
			dom.Risks[i] = dr
		}
		out[a.NodeID] = dom
	}
	// The links to the ente's programme measures, as Assessment fills them.
	programme := map[string]string{}
	for start := 0; start < len(measureIDs); start += importChunk {
		part, err := s.ProgrammeLinks(ctx, enteID, measureIDs[start:min(start+importChunk, len(measureIDs))])
		if err != nil {
			return nil, err
		}
		for k, v := range part {
			programme[k] = v
		}
	}
	if len(programme) > 0 {
		for _, a := range out {
			for i := range a.Measures {
				a.Measures[i].ProgrammeMeasure = programme[a.Measures[i].ID]
			}
			for i := range a.Withdrawn {
				a.Withdrawn[i].ProgrammeMeasure = programme[a.Withdrawn[i].ID]
			}
		}
	}
	return out, nil
}

// MeasureRefs names every measure in force of a cycle as the register spreadsheet refers to it from another
// leaf: by id, "<leaf code>#M<n>", n its place among its assessment's measures in force (the "Chiave misura"
// of its own rows). One statement whatever the register's size.
func (s *Store) MeasureRefs(ctx context.Context, enteID, cycleID string) (map[string]string, error) {
	var rows []struct{ ID, Code string }
	err := s.q(ctx).Table("measures m").Select("m.id, n.code").
		Joins("JOIN assessments a ON a.id = m.assessment_id").Joins("JOIN process_nodes n ON n.id = a.node_id").
		Where("m.ente_id = ? AND m.cycle_id = ? AND m.withdrawn_at IS NULL", enteID, cycleID).
		Order("n.code, m.position, m.id").Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "list the references of the cycle's measures")
	}
	out := make(map[string]string, len(rows))
	n, last := 0, ""
	for _, r := range rows {
		if r.Code != last {
			n, last = 0, r.Code
		}
		n++
		out[r.ID] = r.Code + "#M" + strconv.Itoa(n)
	}
	return out, nil
}
