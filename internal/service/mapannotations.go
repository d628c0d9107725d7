package service

import (
	"context"
	"slices"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Reannotate brings an open cycle's stored map up to date with a map that differs from it only in the nodes'
// markers and notes (a correction of the curated dataset, such as the sub-process markers of issue 17), in place:
// node identities, and the register attached to them, are kept. Any other difference is left to Import, which
// refuses to replace a map that has register data. It returns how many nodes changed.
func (p *ProcessMaps) Reannotate(ctx context.Context, t Tenant, cycleCode string, m *domain.ProcessMap) (int, error) {
	cycle, err := p.store.CycleByCode(ctx, t.EnteID, cycleCode)
	if err != nil || cycle.MapHash == m.Hash() || cycle.State != domain.CycleOpen {
		return 0, ignoreNotFound(err)
	}
	stored, err := p.Export(ctx, t, cycleCode)
	if err != nil {
		return 0, err
	}
	if !sameButAnnotations(stored, m) {
		return 0, nil
	}
	changed := 0
	err = p.store.WithTx(ctx, func(tx *store.Store) error {
		var codes []string
		for i, n := range m.Nodes {
			old := stored.Nodes[i]
			if old.Marker == n.Marker && old.Note == n.Note {
				continue
			}
			if err := tx.SetNodeAnnotation(ctx, t.EnteID, cycle.ID, n.Code, n.Marker, n.Note); err != nil {
				return err
			}
			codes = append(codes, n.Code)
		}
		changed = len(codes)
		if err := tx.SetCycleMapHash(ctx, t.EnteID, cycle.ID, m.Hash()); err != nil {
			return err
		}
		return record(ctx, tx, operator(t.EnteID), "process_map", cycle.Code, "reannotated",
			map[string]any{"map_hash": cycle.MapHash}, map[string]any{"map_hash": m.Hash(), "nodes": codes})
	})
	return changed, err
}

func ignoreNotFound(err error) error {
	if domain.CodeOf(err) == "cycle_not_found" {
		return nil
	}
	return err
}

// sameButAnnotations reports whether two maps have the same reference tables and nodes, in the same order, except
// for the nodes' markers and notes.
func sameButAnnotations(a, b *domain.ProcessMap) bool {
	if !slices.Equal(a.Units, b.Units) || !slices.Equal(a.StrategicObjectives, b.StrategicObjectives) ||
		!slices.Equal(a.RiskAreas, b.RiskAreas) || len(a.Nodes) != len(b.Nodes) {
		return false
	}
	for i := range a.Nodes {
		x, y := a.Nodes[i], b.Nodes[i]
		if x.Level != y.Level || x.Code != y.Code || x.ParentCode != y.ParentCode || x.Title != y.Title || x.Function != y.Function ||
			!slices.Equal(x.Units, y.Units) || !slices.Equal(x.StrategicObjectives, y.StrategicObjectives) || !slices.Equal(x.RiskAreas, y.RiskAreas) {
			return false
		}
	}
	return true
}
