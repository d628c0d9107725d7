package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

// cycleGranularity reads the level a cycle assesses; InsertMap derives process_nodes.is_leaf from it.
func (s *Store) cycleGranularity(ctx context.Context, enteID, cycleID string) (domain.Granularity, error) {
	var g string
	err := s.q(ctx).Table("cycles").Select("assessment_granularity").Where("ente_id = ? AND id = ?", enteID, cycleID).
		Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", domain.NotFound("cycle_not_found", "cycle not found")
	}
	return domain.Granularity(g), wrap(err, "load cycle granularity")
}

// SetCycleGranularity changes the level a cycle assesses, if the cycle is still at version `version`, and
// recomputes which of its nodes are leaves (domain.ProcessMap.LeavesAt). The caller checks that nothing is
// attached to the current leaves yet.
func (s *Store) SetCycleGranularity(ctx context.Context, enteID, cycleID string, g domain.Granularity, version int) error {
	res := s.q(ctx).Table("cycles").Where("ente_id = ? AND id = ? AND version = ?", enteID, cycleID, version).
		Updates(map[string]any{"assessment_granularity": string(g), "updated_at": now(), "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return wrap(res.Error, "update cycle granularity")
	}
	if res.RowsAffected != 1 {
		return domain.Conflict("version_conflict", "the cycle was changed meanwhile: reload it")
	}
	return s.recomputeLeaves(ctx, enteID, cycleID, g)
}

func (s *Store) recomputeLeaves(ctx context.Context, enteID, cycleID string, g domain.Granularity) error {
	rows, err := s.q(ctx).Raw(`SELECT n.code, n.level, COALESCE(p.code, '') FROM process_nodes n
		LEFT JOIN process_nodes p ON p.id = n.parent_id
		WHERE n.ente_id = ? AND n.cycle_id = ? ORDER BY n.position`, enteID, cycleID).Rows()
	if err != nil {
		return wrap(err, "load map structure")
	}
	defer rows.Close()
	var m domain.ProcessMap
	for rows.Next() {
		var n domain.MapNode
		if err := rows.Scan(&n.Code, &n.Level, &n.ParentCode); err != nil {
			return wrap(err, "scan map structure")
		}
		m.Nodes = append(m.Nodes, n)
	}
	if err := rows.Err(); err != nil {
		return wrap(err, "read map structure")
	}
	var leaves []string
	for code, leaf := range m.LeavesAt(g) {
		if leaf {
			leaves = append(leaves, code)
		}
	}
	if err := s.q(ctx).Exec("UPDATE process_nodes SET is_leaf = ? WHERE ente_id = ? AND cycle_id = ?", false, enteID, cycleID).Error; err != nil {
		return wrap(err, "reset leaves")
	}
	for start := 0; start < len(leaves); start += batchSize {
		batch := leaves[start:min(start+batchSize, len(leaves))]
		if err := s.q(ctx).Exec("UPDATE process_nodes SET is_leaf = ? WHERE ente_id = ? AND cycle_id = ? AND code IN ?",
			true, enteID, cycleID, batch).Error; err != nil {
			return wrap(err, "mark leaves")
		}
	}
	return nil
}

// CycleHasLeafData reports whether anything hangs off the cycle's current leaves (an assessment, an
// exclusion or a roll-forward review still to decide): while it does, the granularity may not change.
func (s *Store) CycleHasLeafData(ctx context.Context, enteID, cycleID string) (bool, error) {
	for _, q := range []string{
		"SELECT COUNT(*) FROM assessments WHERE ente_id = ? AND cycle_id = ?",
		"SELECT COUNT(*) FROM cycle_exclusions WHERE ente_id = ? AND cycle_id = ?",
		"SELECT COUNT(*) FROM roll_forward_reviews WHERE ente_id = ? AND cycle_id = ? AND decision = ''",
	} {
		var n int64
		if err := s.q(ctx).Raw(q, enteID, cycleID).Scan(&n).Error; err != nil {
			return false, wrap(err, "check leaf data")
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// RollForwardReview is an adopted assessment a roll-forward did not carry over by itself (see migration 00033).
type RollForwardReview struct {
	ID         string     `json:"id"`
	FromCycle  string     `json:"from_cycle"`
	NodeCode   string     `json:"node_code"`
	OldTitle   string     `json:"old_title"`
	NewTitle   string     `json:"new_title"`
	Reason     string     `json:"reason"`
	Assessment string     `json:"-"`
	Decision   string     `json:"decision"`
	TargetCode string     `json:"target_code"`
	DecidedBy  string     `json:"decided_by"`
	DecidedAt  *time.Time `json:"decided_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

type reviewRow struct {
	RollForwardReview
	EnteID  string
	CycleID string
}

func (reviewRow) TableName() string { return "roll_forward_reviews" }

// AddRollForwardReviews stores the assessments a roll-forward left for the RPCT to decide.
func (s *Store) AddRollForwardReviews(ctx context.Context, enteID, cycleID string, items []RollForwardReview) error {
	if len(items) == 0 {
		return nil
	}
	rows := make([]reviewRow, len(items))
	t := now()
	for i, it := range items {
		it.ID, it.CreatedAt = newID(), t
		rows[i] = reviewRow{RollForwardReview: it, EnteID: enteID, CycleID: cycleID}
	}
	return wrap(s.q(ctx).CreateInBatches(rows, batchSize).Error, "add roll-forward reviews")
}

// RollForwardReviews lists a cycle's reviews in the adopted register's code order, undecided first.
func (s *Store) RollForwardReviews(ctx context.Context, enteID, cycleID string) ([]RollForwardReview, error) {
	var rows []reviewRow
	err := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).
		Order("CASE WHEN decision = '' THEN 0 ELSE 1 END, node_code").Find(&rows).Error
	out := make([]RollForwardReview, len(rows))
	for i, r := range rows {
		out[i] = r.RollForwardReview
	}
	return out, wrap(err, "list roll-forward reviews")
}

// DecideRollForwardReview records the RPCT's decision on an undecided review; a review decided meanwhile is
// a conflict.
func (s *Store) DecideRollForwardReview(ctx context.Context, enteID, cycleID, id, decision, target, by string) error {
	res := s.q(ctx).Table("roll_forward_reviews").Where("ente_id = ? AND cycle_id = ? AND id = ? AND decision = ''", enteID, cycleID, id).
		Updates(map[string]any{"decision": decision, "target_code": target, "decided_by": by, "decided_at": now()})
	if res.Error != nil {
		return wrap(res.Error, "decide roll-forward review")
	}
	if res.RowsAffected != 1 {
		return domain.Conflict("review_already_decided", "the review was decided meanwhile")
	}
	return nil
}
