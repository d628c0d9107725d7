package service

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

// ExportSource gives the register of a cycle to the exports: the adopted snapshot when the cycle was adopted,
// otherwise the live register, marked as a draft.
func (c *Cycles) ExportSource(ctx context.Context, actor domain.Actor, cycleCode string) (export.Source, error) {
	if err := c.reg.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	meta := export.Meta{Ente: actor.EnteCode, Cycle: cycle.Code}
	if cycle.State == domain.CycleAdopted || cycle.State == domain.CyclePublished {
		snap, err := c.store.CycleSnapshot(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return nil, err
		}
		content := &SnapshotContent{}
		if err := json.Unmarshal([]byte(snap.Content), content); err != nil {
			return nil, err
		}
		meta.Adopted, meta.SnapshotHash, meta.Methodology = true, snap.ContentHash, content.Methodology
		meta.AuditHeadSeq, meta.AuditHeadHash = snap.AuditHeadSeq, snap.AuditHeadHash
		meta.Deliberation = fmt.Sprintf("deliberazione n. %s del %s", cycle.DeliberationNumber, cycle.DeliberationDate)
		return &snapshotSource{c: c, enteID: actor.EnteID, cycleID: cycle.ID, meta: meta, nodes: content.Map.Nodes}, nil
	}
	meth, err := c.reg.meths.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return nil, err
	}
	meta.Methodology = meth.Profile
	return &liveSource{c: c, actor: actor, cycle: cycle, meta: meta, profile: meth.Profile}, nil
}

// snapshotSource reads an adopted register from its snapshot, one assessment at a time.
type snapshotSource struct {
	c               *Cycles
	enteID, cycleID string
	meta            export.Meta
	nodes           []domain.MapNode
}

func (s *snapshotSource) Meta() export.Meta { return s.meta }

func (s *snapshotSource) Each(fn func(export.Leaf) error) error {
	byCode := make(map[string]domain.MapNode, len(s.nodes))
	for _, n := range s.nodes {
		byCode[n.Code] = n
	}
	return s.c.snapshotItems(context.Background(), s.enteID, s.cycleID, func(a *domain.Assessment) error {
		leaf := export.Leaf{Node: byCode[a.Node], Assessment: a}
		for p := byCode[leaf.Node.ParentCode]; p.Code != ""; p = byCode[p.ParentCode] {
			switch p.Level {
			case domain.LevelMacro:
				leaf.Macro = p
			case domain.LevelProcess:
				leaf.Process = p
			}
		}
		return fn(leaf)
	})
}

// exportPage is how many leaves the live register is read at a time: each page costs a fixed handful of
// statements (store.AssessmentsOfNodes), so a register of up to exportPage leaves is read in a constant number
// of statements and a larger one in a few more, while an export holds at most one page of assessments in memory.
const exportPage = 500

// liveSource reads the live register a page of leaves at a time (plus the macro-processes and processes, for
// their titles), never one leaf at a time: TestExportStatementsConstant pins the count.
type liveSource struct {
	c       *Cycles
	actor   domain.Actor
	cycle   *domain.Cycle
	meta    export.Meta
	profile domain.Profile
	// whole keeps the leaves of a register that fits in one page (kept set) once a pass has read them: a writer
	// reads its source more than once (registro.xlsx: export.measureLinks, then the rows), and the page read
	// and scored the first time is the same register, held in the memory one pass takes anyway. A larger
	// register is read again page by page, so memory still does not grow with it.
	whole []export.Leaf
	kept  bool
}

func (l *liveSource) Meta() export.Meta { return l.meta }

func (l *liveSource) Each(fn func(export.Leaf) error) error {
	if l.kept {
		return eachLeaf(l.whole, fn)
	}
	ctx := context.Background()
	s, enteID := l.c.store, l.actor.EnteID
	upper, err := s.UpperNodes(ctx, enteID, l.cycle.ID)
	if err != nil {
		return err
	}
	byCode := map[string]domain.MapNode{}
	for _, n := range upper {
		byCode[n.Code] = n.MapNode
	}
	leaves, err := s.AssessedLeavesWithLists(ctx, enteID, l.cycle.ID)
	if err != nil {
		return err
	}
	// An invalid profile scores nothing (as score does), and is validated once, not for every risk.
	scorer, scorerErr := l.profile.Scorer()
	var out []export.Leaf
	for start := 0; start < len(leaves); start += exportPage {
		page := leaves[start:min(start+exportPage, len(leaves))]
		ids := make([]string, len(page))
		for i, n := range page {
			ids[i] = n.ID
		}
		byNode, err := s.AssessmentsOfNodes(ctx, enteID, l.cycle.ID, ids)
		if err != nil {
			return err
		}
		out = out[:0]
		for _, n := range page {
			a, ok := byNode[n.ID]
			if !ok {
				// Gone between the two reads (none is ever deleted today): nothing to export for it.
				continue
			}
			delete(byNode, n.ID)
			a.Node, a.Cycle = n.Code, l.cycle.Code
			if scorerErr == nil {
				scoreWith(scorer, a)
			}
			leaf := export.Leaf{Node: n.MapNode, Assessment: a}
			for p := byCode[n.ParentCode]; p.Code != ""; p = byCode[p.ParentCode] {
				switch p.Level {
				case domain.LevelMacro:
					leaf.Macro = p
				case domain.LevelProcess:
					leaf.Process = p
				}
			}
			out = append(out, leaf)
		}
		if len(leaves) <= exportPage {
			l.whole, l.kept = out, true
		}
		if err := eachLeaf(out, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachLeaf(leaves []export.Leaf, fn func(export.Leaf) error) error {
	for _, l := range leaves {
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}
