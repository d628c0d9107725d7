package store

import (
	"context"
	"time"

	"github.com/argine-pa/argine/internal/domain"
)

// MoveCycle changes a cycle's state from the expected one, with the extra columns given; a cycle no longer in
// that state is a conflict.
func (s *Store) MoveCycle(ctx context.Context, enteID, cycleID string, from, to domain.CycleState, extra map[string]any) error {
	changes := map[string]any{"state": string(to), "updated_at": now()}
	for k, v := range extra {
		changes[k] = v
	}
	res := s.q(ctx).Table("cycles").Where("ente_id = ? AND id = ? AND state = ?", enteID, cycleID, string(from)).Updates(changes)
	if res.Error != nil {
		return wrap(res.Error, "move cycle")
	}
	if res.RowsAffected != 1 {
		return domain.Conflict("cycle_state_changed", "the cycle is no longer %s", from)
	}
	return nil
}

// Exclusion is a leaf excluded from a cycle's campaign.
type Exclusion struct {
	Node   string `json:"node"`
	Reason string `json:"reason"`
}

// AddExclusion excludes a leaf (again: the reason is replaced).
func (s *Store) AddExclusion(ctx context.Context, enteID, cycleID, nodeID, reason, by string) error {
	if err := s.q(ctx).Exec("DELETE FROM cycle_exclusions WHERE ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).Error; err != nil {
		return wrap(err, "replace exclusion")
	}
	return wrap(s.q(ctx).Table("cycle_exclusions").Create(map[string]any{"cycle_id": cycleID, "ente_id": enteID,
		"node_id": nodeID, "reason": reason, "created_by": by, "created_at": now()}).Error, "add exclusion")
}

// Exclusions lists a cycle's excluded leaves in map order.
func (s *Store) Exclusions(ctx context.Context, enteID, cycleID string) ([]Exclusion, error) {
	out := []Exclusion{}
	err := s.q(ctx).Table("cycle_exclusions x").Select("n.code AS node, x.reason").
		Joins("JOIN process_nodes n ON n.id = x.node_id").Where("x.ente_id = ? AND x.cycle_id = ?", enteID, cycleID).
		Order("n.position").Scan(&out).Error
	return out, wrap(err, "list exclusions")
}

// Unconsolidated lists the leaves that are neither approved nor excluded, in map order.
func (s *Store) Unconsolidated(ctx context.Context, enteID, cycleID string) ([]string, error) {
	var codes []string
	err := s.q(ctx).Table("process_nodes n").
		Joins("LEFT JOIN assessments a ON a.node_id = n.id AND a.ente_id = n.ente_id").
		Joins("LEFT JOIN cycle_exclusions x ON x.node_id = n.id AND x.cycle_id = n.cycle_id").
		Where("n.ente_id = ? AND n.cycle_id = ? AND n.is_leaf = ? AND x.node_id IS NULL AND (a.state IS NULL OR a.state <> ?)",
			enteID, cycleID, true, string(domain.StateApproved)).
		Order("n.position").Pluck("n.code", &codes).Error
	return codes, wrap(err, "list unconsolidated leaves")
}

// AssessedLeaves lists the codes of a cycle's assessed leaves in map order.
func (s *Store) AssessedLeaves(ctx context.Context, enteID, cycleID string) ([]domain.Node, error) {
	rows, err := scanNodes(s.q(ctx).Table("process_nodes").
		Where("ente_id = ? AND cycle_id = ? AND id IN (SELECT node_id FROM assessments WHERE ente_id = ? AND cycle_id = ?)",
			enteID, cycleID, enteID, cycleID).Order("position"))
	if err != nil {
		return nil, wrap(err, "list assessed leaves")
	}
	return toNodes(rows), nil
}

// Snapshot is the frozen register of an adopted cycle.
type Snapshot struct {
	Content       string
	ContentHash   string
	AuditHeadSeq  int64
	AuditHeadHash string
	CreatedAt     time.Time
}

// SaveSnapshot stores the snapshot of a cycle (once).
func (s *Store) SaveSnapshot(ctx context.Context, enteID, cycleID string, snap Snapshot) error {
	return wrap(s.q(ctx).Table("cycle_snapshots").Create(map[string]any{"cycle_id": cycleID, "ente_id": enteID,
		"content": snap.Content, "content_hash": snap.ContentHash, "audit_head_seq": snap.AuditHeadSeq,
		"audit_head_hash": snap.AuditHeadHash, "created_at": now()}).Error, "save snapshot")
}

// CycleSnapshot loads the snapshot of a cycle; none is domain.ErrNotFound.
func (s *Store) CycleSnapshot(ctx context.Context, enteID, cycleID string) (Snapshot, error) {
	var out []Snapshot
	err := s.q(ctx).Table("cycle_snapshots").Select("content, content_hash, audit_head_seq, audit_head_hash, created_at").
		Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Scan(&out).Error
	if err != nil {
		return Snapshot{}, wrap(err, "load snapshot")
	}
	if len(out) == 0 {
		return Snapshot{}, domain.NotFound("snapshot_not_found", "the cycle has not been adopted")
	}
	return out[0], nil
}

// UpperNodes lists the macro-processes, processes and sub-processes of a cycle (not the actions): what exports
// keep in memory to title the rows.
func (s *Store) UpperNodes(ctx context.Context, enteID, cycleID string) ([]domain.Node, error) {
	rows, err := scanNodes(s.q(ctx).Table("process_nodes").
		Where("ente_id = ? AND cycle_id = ? AND level <> ?", enteID, cycleID, string(domain.LevelAction)).Order("position"))
	if err != nil {
		return nil, wrap(err, "list upper nodes")
	}
	return toNodes(rows), nil
}

// AssessedLeavesWithLists lists the assessed leaves with their units, objectives and areas and parent codes.
func (s *Store) AssessedLeavesWithLists(ctx context.Context, enteID, cycleID string) ([]domain.Node, error) {
	nodes, err := s.AssessedLeaves(ctx, enteID, cycleID)
	if err != nil {
		return nil, err
	}
	return nodes, s.attachLists(ctx, enteID, cycleID, nodes, true)
}

// AddSnapshotItem stores one assessment of a snapshot.
func (s *Store) AddSnapshotItem(ctx context.Context, enteID, cycleID string, seq int, node, content string) error {
	return wrap(s.q(ctx).Table("cycle_snapshot_items").Create(map[string]any{"cycle_id": cycleID, "ente_id": enteID,
		"seq": seq, "node": node, "content": content}).Error, "save snapshot item")
}

// StreamSnapshotItems calls fn with each stored assessment of a snapshot, in order, row by row.
func (s *Store) StreamSnapshotItems(ctx context.Context, enteID, cycleID string, fn func(content string) error) error {
	rows, err := s.q(ctx).Table("cycle_snapshot_items").Select("content").
		Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("seq").Rows()
	if err != nil {
		return wrap(err, "read snapshot items")
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return wrap(err, "scan snapshot item")
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "read snapshot items")
}
