package store

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

// SetCompleteness stores how many items a leaf's assessment still lacks (see domain.Assessment.CheckCompleteness),
// so the lists of leaves read it without loading the content. Call it in the transaction of the save.
func (s *Store) SetCompleteness(ctx context.Context, enteID, cycleID, nodeID string, missing int) error {
	return wrap(s.q(ctx).Table("assessments").Where("ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).
		Update("missing_count", missing).Error, "store completeness")
}

// UncomputedCompleteness lists the nodes whose assessment has no stored completeness yet: written before the
// column existed, or by a roll-forward.
func (s *Store) UncomputedCompleteness(ctx context.Context, enteID, cycleID string) ([]string, error) {
	var ids []string
	err := s.q(ctx).Table("assessments").Where("ente_id = ? AND cycle_id = ? AND missing_count IS NULL", enteID, cycleID).
		Order("node_id").Pluck("node_id", &ids).Error
	return ids, wrap(err, "list assessments without completeness")
}

// HandOff marks a draft "pronto per la firma" by userID; it does not change the content or its version.
func (s *Store) HandOff(ctx context.Context, enteID, assessmentID, userID string) (time.Time, error) {
	t := now()
	err := s.q(ctx).Table("assessments").Where("ente_id = ? AND id = ?", enteID, assessmentID).
		Updates(map[string]any{"handed_off_by": userID, "handed_off_at": t}).Error
	return t, wrap(err, "hand off assessment")
}

// ClearHandOff removes the "pronto per la firma" mark, reporting whether there was one.
func (s *Store) ClearHandOff(ctx context.Context, enteID, assessmentID string) (bool, error) {
	res := s.q(ctx).Table("assessments").Where("ente_id = ? AND id = ? AND handed_off_at IS NOT NULL", enteID, assessmentID).
		Updates(map[string]any{"handed_off_by": "", "handed_off_at": nil})
	return res.RowsAffected > 0, wrap(res.Error, "clear hand-off")
}

// HandOffOf returns the hand-off of an assessment, nil when none.
func (s *Store) HandOffOf(ctx context.Context, enteID, cycleID, nodeID string) (*domain.HandOff, error) {
	var row struct {
		By   string
		At   *time.Time
		Name sql.NullString
	}
	res := s.q(ctx).Table("assessments a").Select("a.handed_off_by AS by, a.handed_off_at AS at, u.full_name AS name").
		Joins("LEFT JOIN users u ON u.ente_id = a.ente_id AND CAST(u.id AS TEXT) = a.handed_off_by").
		Where("a.ente_id = ? AND a.cycle_id = ? AND a.node_id = ? AND a.handed_off_at IS NOT NULL", enteID, cycleID, nodeID).
		Limit(1).Scan(&row)
	if res.Error != nil || res.RowsAffected == 0 || row.At == nil {
		return nil, wrap(res.Error, "load hand-off")
	}
	return &domain.HandOff{By: row.By, ByName: row.Name.String, At: row.At.UTC()}, nil
}

// LeadUnitChoiceAndHandOff is LeadUnitChoice and HandOffOf in one statement, for the read of an assessment.
func (s *Store) LeadUnitChoiceAndHandOff(ctx context.Context, enteID, cycleID, nodeID string) (string, *domain.HandOff, error) {
	rows, err := s.q(ctx).Raw(`SELECT COALESCE(lu.unit_code, ''), COALESCE(a.handed_off_by, ''), a.handed_off_at, COALESCE(u.full_name, '')
		FROM (SELECT 1 AS one) one
		LEFT JOIN node_lead_units lu ON lu.ente_id = ? AND lu.cycle_id = ? AND lu.node_id = ?
		LEFT JOIN assessments a ON a.ente_id = ? AND a.cycle_id = ? AND a.node_id = ? AND a.handed_off_at IS NOT NULL
		LEFT JOIN users u ON u.ente_id = a.ente_id AND CAST(u.id AS TEXT) = a.handed_off_by
		LIMIT 1`, enteID, cycleID, nodeID, enteID, cycleID, nodeID).Rows()
	if err != nil {
		return "", nil, wrap(err, "load lead unit and hand-off")
	}
	defer rows.Close()
	var chosen, by, name string
	var at sql.NullTime
	if rows.Next() {
		if err := rows.Scan(&chosen, &by, &at, &name); err != nil {
			return "", nil, wrap(err, "scan lead unit and hand-off")
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, wrap(err, "load lead unit and hand-off")
	}
	if !at.Valid {
		return chosen, nil, nil
	}
	return chosen, &domain.HandOff{By: by, ByName: name, At: at.Time.UTC()}, nil
}

// LeadUnitChoice returns the lead unit the RPCT chose for a node, "" when none (the map's first unit leads).
func (s *Store) LeadUnitChoice(ctx context.Context, enteID, cycleID, nodeID string) (string, error) {
	var codes []string
	err := s.q(ctx).Table("node_lead_units").Where("ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).
		Pluck("unit_code", &codes).Error
	if err != nil || len(codes) == 0 {
		return "", wrap(err, "load lead unit")
	}
	return codes[0], nil
}

// SetLeadUnit records the RPCT's choice of lead unit for a node; "" removes it (back to the map's first unit).
func (s *Store) SetLeadUnit(ctx context.Context, enteID, cycleID, nodeID, unit, by string) error {
	if err := s.q(ctx).Exec("DELETE FROM node_lead_units WHERE ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).Error; err != nil {
		return wrap(err, "replace lead unit")
	}
	if unit == "" {
		return nil
	}
	return wrap(s.q(ctx).Table("node_lead_units").Create(map[string]any{"node_id": nodeID, "ente_id": enteID, "cycle_id": cycleID,
		"unit_code": unit, "set_by": by, "set_at": now()}).Error, "set lead unit")
}

// ClearedLeadUnit is a lead-unit choice removed with its node.
type ClearedLeadUnit struct {
	NodeCode, UnitCode, SetBy string
}

// DeleteLeadUnits removes every lead-unit choice of a cycle and returns them (by node code) for the audit: the
// foreign keys refuse to let a node or a cycle take its choices with it (migration 00028).
func (s *Store) DeleteLeadUnits(ctx context.Context, enteID, cycleID string) ([]ClearedLeadUnit, error) {
	var out []ClearedLeadUnit
	err := s.q(ctx).Table("node_lead_units lu").Select("n.code AS node_code, lu.unit_code, lu.set_by").
		Joins("JOIN process_nodes n ON n.id = lu.node_id AND n.ente_id = lu.ente_id").
		Where("lu.ente_id = ? AND lu.cycle_id = ?", enteID, cycleID).Order("n.code").Scan(&out).Error
	if err != nil {
		return nil, wrap(err, "load lead units")
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, wrap(s.q(ctx).Exec("DELETE FROM node_lead_units WHERE ente_id = ? AND cycle_id = ?", enteID, cycleID).Error, "delete lead units")
}

// LeafFilter selects the leaves of a list; empty fields do not filter.
type LeafFilter struct {
	// Units keeps the leaves owned by any of these units.
	Units []string
	// State keeps the leaves whose assessment is in this state ("none": no assessment yet).
	State string
	// ToSignFor keeps the drafts handed off for signature whose lead unit is one of these units.
	ToSignFor []string
	// Codes keeps only these leaves.
	Codes          []string
	Page, PageSize int
}

// leadUnitSQL is a node's lead unit: the RPCT's choice, else the first unit the map lists.
const leadUnitSQL = `COALESCE(lu.unit_code, (SELECT u1.code FROM process_node_units l1 JOIN org_units u1 ON u1.id = l1.unit_id
	WHERE l1.node_id = n.id AND l1.ente_id = n.ente_id ORDER BY l1.position LIMIT 1), '')`

// Leaves returns one page of a cycle's leaves in map order with their assessment's state, completeness,
// hand-off, lead unit and exclusion, and the total: a fixed number of statements whatever the page size.
func (s *Store) Leaves(ctx context.Context, enteID, cycleID string, f LeafFilter) ([]domain.LeafStatus, int64, error) {
	q := s.q(ctx).Table("process_nodes n").
		Joins("LEFT JOIN assessments a ON a.node_id = n.id AND a.ente_id = n.ente_id").
		Joins("LEFT JOIN node_lead_units lu ON lu.node_id = n.id AND lu.ente_id = n.ente_id").
		Joins("LEFT JOIN cycle_exclusions x ON x.node_id = n.id AND x.cycle_id = n.cycle_id").
		Where("n.ente_id = ? AND n.cycle_id = ? AND n.is_leaf = ?", enteID, cycleID, true)
	if len(f.Units) > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM process_node_units l JOIN org_units u ON u.id = l.unit_id WHERE l.node_id = n.id AND l.ente_id = ? AND u.code IN ?)", enteID, f.Units)
	}
	if f.State != "" {
		q = q.Where("COALESCE(a.state, 'none') = ?", f.State)
	}
	if f.ToSignFor != nil {
		if len(f.ToSignFor) == 0 {
			return []domain.LeafStatus{}, 0, nil
		}
		q = q.Where("a.handed_off_at IS NOT NULL AND a.state IN ? AND "+leadUnitSQL+" IN ?", editableStates, f.ToSignFor)
	}
	if len(f.Codes) > 0 {
		q = q.Where("n.code IN ?", f.Codes)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, wrap(err, "count leaves")
	}
	out := []domain.LeafStatus{}
	if total == 0 {
		return out, 0, nil
	}
	rows, err := q.Joins("LEFT JOIN users hu ON CAST(hu.id AS TEXT) = a.handed_off_by").
		Joins("LEFT JOIN process_nodes p ON p.id = n.parent_id").
		Select("n.id, n.code, n.title, COALESCE(p.code, ''), COALESCE(a.state, 'none'), COALESCE(a.version, 0), COALESCE(a.level, ''), a.missing_count, " +
			"COALESCE(a.handed_off_by, ''), a.handed_off_at, COALESCE(hu.full_name, ''), COALESCE(lu.unit_code, ''), " + leadUnitSQL + ", " +
			"x.reason, a.updated_at").
		Order("n.position").Offset((f.Page - 1) * f.PageSize).Limit(f.PageSize).Rows()
	if err != nil {
		return nil, 0, wrap(err, "read leaves")
	}
	defer rows.Close()
	var nodes []domain.Node
	for rows.Next() {
		var l domain.LeafStatus
		var id, by, byName, chosen string
		var missing sql.NullInt64
		var at, updated sql.NullTime
		var reason sql.NullString
		if err := rows.Scan(&id, &l.Code, &l.Title, &l.Parent, &l.State, &l.Version, &l.Level, &missing, &by, &at, &byName, &chosen,
			&l.LeadUnit, &reason, &updated); err != nil {
			return nil, 0, wrap(err, "scan leaves")
		}
		l.LeadUnitChosen = chosen != ""
		if missing.Valid {
			l.MissingCount = int(missing.Int64)
			l.Complete = missing.Int64 == 0 && l.State != "none"
		}
		if at.Valid {
			l.HandedOff = &domain.HandOff{By: by, ByName: byName, At: at.Time.UTC()}
		}
		if reason.Valid {
			l.Excluded, l.ExclusionReason = true, reason.String
		}
		if updated.Valid {
			u := updated.Time.UTC()
			l.UpdatedAt = &u
		}
		out = append(out, l)
		nodes = append(nodes, domain.Node{ID: id, MapNode: domain.MapNode{Units: []string{}, StrategicObjectives: []string{}, RiskAreas: []string{}}})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap(err, "read leaves")
	}
	rows.Close()
	if err := s.attachLists(ctx, enteID, cycleID, nodes, true); err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Units = nodes[i].Units
	}
	return out, total, nil
}

// RemoveExclusion brings an excluded leaf back into the campaign, returning the reason it had; a leaf that
// was not excluded is domain.ErrNotFound.
func (s *Store) RemoveExclusion(ctx context.Context, enteID, cycleID, nodeID string) (string, error) {
	var reasons []string
	if err := s.q(ctx).Table("cycle_exclusions").Where("ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).
		Pluck("reason", &reasons).Error; err != nil {
		return "", wrap(err, "load exclusion")
	}
	if len(reasons) == 0 {
		return "", domain.NotFound("exclusion_not_found", "the leaf is not excluded")
	}
	err := s.q(ctx).Exec("DELETE FROM cycle_exclusions WHERE ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).Error
	return reasons[0], wrap(err, "remove exclusion")
}

// BackfillCompleteness stores a completeness computed on read, unless a save stored one meanwhile.
func (s *Store) BackfillCompleteness(ctx context.Context, enteID, cycleID, nodeID string, missing int) error {
	return wrap(s.q(ctx).Table("assessments").Where("ente_id = ? AND cycle_id = ? AND node_id = ? AND missing_count IS NULL", enteID, cycleID, nodeID).
		Update("missing_count", missing).Error, "backfill completeness")
}

// ProgressTotals counts the cycle's leaves per assessment state, each leaf once whatever the number of its
// units ("not_started" for leaves without an assessment, ProgressExcluded for excluded ones).
func (s *Store) ProgressTotals(ctx context.Context, enteID, cycleID string) (UnitProgress, error) {
	out := UnitProgress{States: map[string]int64{}}
	rows, err := s.q(ctx).Raw(`SELECT `+progressState+`, COUNT(*)
		FROM process_nodes n
		LEFT JOIN assessments a ON a.node_id = n.id AND a.ente_id = n.ente_id AND a.cycle_id = n.cycle_id
		LEFT JOIN cycle_exclusions x ON x.node_id = n.id AND x.cycle_id = n.cycle_id
		WHERE n.ente_id = ? AND n.cycle_id = ? AND n.is_leaf = ?
		GROUP BY `+progressState, enteID, cycleID, true).Rows()
	if err != nil {
		return out, wrap(err, "count progress totals")
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return out, wrap(err, "scan progress totals")
		}
		out.States[state] += n
		out.Leaves += n
	}
	return out, rows.Err()
}

// MeasureOwner is the leaf whose assessment plans a measure.
type MeasureOwner struct {
	NodeID, NodeCode, Title string
	Withdrawn               bool
}

// MeasureOwnerOf finds the leaf planning a measure of the cycle; none is domain.ErrNotFound.
func (s *Store) MeasureOwnerOf(ctx context.Context, enteID, cycleID, measureID string) (MeasureOwner, error) {
	var row struct {
		NodeID, NodeCode, Title string
		WithdrawnAt             *time.Time
	}
	res := s.q(ctx).Table("measures m").Select("n.id AS node_id, n.code AS node_code, m.title, m.withdrawn_at").
		Joins("JOIN assessments a ON a.id = m.assessment_id").Joins("JOIN process_nodes n ON n.id = a.node_id").
		Where("m.ente_id = ? AND m.cycle_id = ? AND m.id = ?", enteID, cycleID, measureID).Limit(1).Scan(&row)
	if res.Error != nil {
		return MeasureOwner{}, wrap(res.Error, "load measure")
	}
	if res.RowsAffected == 0 {
		return MeasureOwner{}, domain.NotFound("measure_not_found", "no measure %s in this cycle", measureID)
	}
	return MeasureOwner{NodeID: row.NodeID, NodeCode: row.NodeCode, Title: row.Title, Withdrawn: row.WithdrawnAt != nil}, nil
}
