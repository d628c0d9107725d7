package service

import (
	"context"
	"encoding/json"

	"github.com/argine-pa/argine/internal/authz"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// ProcessMaps reads and loads the process map of a cycle.
type ProcessMaps struct {
	store *store.Store
	authz *authz.Authorizer
}

// NewProcessMaps builds the process-map service.
func NewProcessMaps(s *store.Store, az *authz.Authorizer) *ProcessMaps {
	return &ProcessMaps{store: s, authz: az}
}

// canRead checks the map is readable by the actor: the map is ente-level configuration, the same for all
// its units.
func (p *ProcessMaps) canRead(actor domain.Actor) error {
	if !p.authz.Can(actor, authz.ObjProcessMap, authz.ActRead) {
		return domain.Forbidden("forbidden", "your role does not allow reading the process map")
	}
	return nil
}

// ImportOutcome says what an import did.
type ImportOutcome string

const (
	ImportCreated   ImportOutcome = "created"   // the cycle had no map
	ImportReplaced  ImportOutcome = "replaced"  // a different map without register data was replaced
	ImportUnchanged ImportOutcome = "unchanged" // the same map was already there: nothing written
)

// ImportResult reports an import.
type ImportResult struct {
	Outcome ImportOutcome
	Cycle   domain.Cycle
	Counts  domain.Counts
	Hash    string
}

// Import loads a validated map into the cycle of an ente, creating the cycle if needed. It is one transaction:
// either the whole map is in place or nothing changed.
func (p *ProcessMaps) Import(ctx context.Context, t Tenant, cycleCode string, m *domain.ProcessMap) (ImportResult, error) {
	start, end, err := domain.ParseCycleCode(cycleCode)
	if err != nil {
		return ImportResult{}, err
	}
	if len(m.Nodes) == 0 {
		return ImportResult{}, domain.Invalid("processmap_empty", "the map has no nodes")
	}
	res := ImportResult{Hash: m.Hash(), Counts: m.Count()}
	err = p.store.WithTx(ctx, func(tx *store.Store) error {
		// Creating the cycle is part of the import: a failed import leaves no empty cycle behind.
		if err := tx.EnsureCycle(ctx, t.EnteID, cycleCode, start, end); err != nil {
			return err
		}
		cycle, err := tx.LockCycle(ctx, t.EnteID, cycleCode)
		if err != nil {
			return err
		}
		if cycle.MapHash == res.Hash {
			res.Outcome, res.Cycle = ImportUnchanged, *cycle
			return nil
		}
		if cycle.State != domain.CycleOpen {
			return domain.Conflict("cycle_not_open", "cycle %s is %s: its map can no longer change", cycle.Code, cycle.State)
		}
		hasMap, err := tx.CycleHasMap(ctx, t.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		res.Outcome = ImportCreated
		if hasMap {
			hasRegister, err := tx.CycleHasRegisterData(ctx, t.EnteID, cycle.ID)
			if err != nil {
				return err
			}
			if hasRegister {
				return domain.Conflict("processmap_has_register_data",
					"cycle %s already has register data attached to its map: import the changed map into a new cycle instead", cycle.Code)
			}
			// The RPCT's lead-unit choices go with the old map, explicitly and on the record (the foreign keys
			// refuse a silent cascade).
			cleared, err := tx.DeleteLeadUnits(ctx, t.EnteID, cycle.ID)
			if err != nil {
				return err
			}
			for _, c := range cleared {
				if err := record(ctx, tx, operator(t.EnteID), "assessment", cycle.Code+"/"+c.NodeCode, "set_lead_unit",
					map[string]string{"lead_unit": c.UnitCode, "set_by": c.SetBy},
					map[string]any{"chosen": false, "reason": "process_map_replaced"}); err != nil {
					return err
				}
			}
			if err := tx.DeleteMap(ctx, t.EnteID, cycle.ID); err != nil {
				return err
			}
			res.Outcome = ImportReplaced
		}
		if err := tx.InsertMap(ctx, t.EnteID, cycle.ID, m); err != nil {
			return err
		}
		if err := tx.SetCycleMapHash(ctx, t.EnteID, cycle.ID, res.Hash); err != nil {
			return err
		}
		if err := record(ctx, tx, operator(t.EnteID), "process_map", cycle.Code, string(res.Outcome),
			map[string]any{"map_hash": cycle.MapHash}, map[string]any{"map_hash": res.Hash, "counts": res.Counts}); err != nil {
			return err
		}
		updated, err := tx.CycleByCode(ctx, t.EnteID, cycleCode)
		if err != nil {
			return err
		}
		res.Cycle = *updated
		return nil
	})
	if err == nil && res.Outcome != ImportUnchanged {
		analyzeAfter(ctx, p.store, len(m.Nodes), store.MapTables)
	}
	return res, err
}

// Export returns the map of a cycle in the import format's terms: exporting then importing is a no-op.
func (p *ProcessMaps) Export(ctx context.Context, t Tenant, cycleCode string) (*domain.ProcessMap, error) {
	cycle, err := p.store.CycleByCode(ctx, t.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if cycle.State == domain.CycleAdopted || cycle.State == domain.CyclePublished {
		// An adopted cycle is exported from its snapshot, the register as the Giunta adopted it.
		snap, err := p.store.CycleSnapshot(ctx, t.EnteID, cycle.ID)
		if err != nil {
			return nil, err
		}
		var content SnapshotContent
		if err := json.Unmarshal([]byte(snap.Content), &content); err != nil {
			return nil, err
		}
		return &domain.ProcessMap{Units: content.Map.Units, StrategicObjectives: content.Map.StrategicObjectives,
			RiskAreas: content.Map.RiskAreas, Nodes: content.Map.Nodes}, nil
	}
	units, objectives, areas, err := p.store.Refs(ctx, t.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	nodes, err := p.store.Nodes(ctx, t.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	m := &domain.ProcessMap{Units: units, StrategicObjectives: objectives, RiskAreas: areas,
		Nodes: make([]domain.MapNode, len(nodes))}
	for i, n := range nodes {
		m.Nodes[i] = n.MapNode
	}
	return m, nil
}

// Cycles lists the actor's cycles.
func (p *ProcessMaps) Cycles(ctx context.Context, actor domain.Actor) ([]domain.Cycle, error) {
	if err := p.canRead(actor); err != nil {
		return nil, err
	}
	return p.store.Cycles(ctx, actor.EnteID)
}

// TreeNode is a node with its children, for the tree view.
type TreeNode struct {
	domain.Node
	Children []*TreeNode `json:"children"`
}

// Tree is a cycle's whole map with its reference tables.
type Tree struct {
	Cycle               domain.Cycle     `json:"cycle"`
	Counts              domain.Counts    `json:"counts"`
	Units               []domain.RefItem `json:"units"`
	StrategicObjectives []domain.RefItem `json:"strategic_objectives"`
	RiskAreas           []domain.RefItem `json:"risk_areas"`
	Nodes               []*TreeNode      `json:"nodes"`
}

// Tree returns the cycle's map as a tree, in map order, with a constant number of queries.
func (p *ProcessMaps) Tree(ctx context.Context, actor domain.Actor, cycleCode string) (*Tree, error) {
	if err := p.canRead(actor); err != nil {
		return nil, err
	}
	t := actor.EnteID
	cycle, err := p.store.CycleByCode(ctx, t, cycleCode)
	if err != nil {
		return nil, err
	}
	tree := &Tree{Cycle: *cycle, Nodes: []*TreeNode{}}
	if tree.Units, tree.StrategicObjectives, tree.RiskAreas, err = p.store.Refs(ctx, t, cycle.ID); err != nil {
		return nil, err
	}
	nodes, err := p.store.Nodes(ctx, t, cycle.ID)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*TreeNode, len(nodes))
	for i := range nodes {
		tn := &TreeNode{Node: nodes[i], Children: []*TreeNode{}}
		byID[tn.ID] = tn
		switch tn.Level {
		case domain.LevelMacro:
			tree.Counts.Macro++
		case domain.LevelProcess:
			tree.Counts.Process++
		case domain.LevelSubprocess:
			tree.Counts.Subprocess++
		case domain.LevelAction:
			tree.Counts.Action++
		}
		if tn.IsLeaf {
			tree.Counts.Leaves++
		}
	}
	for i := range nodes { // nodes come in map order, so children keep it too
		tn := byID[nodes[i].ID]
		if parent, ok := byID[tn.ParentID]; ok {
			parent.Children = append(parent.Children, tn)
		} else {
			tree.Nodes = append(tree.Nodes, tn)
		}
	}
	if p.authz.Can(actor, authz.ObjAssessment, authz.ActRead) {
		levels, err := p.store.AssessedLevels(ctx, t, cycle.ID)
		if err != nil {
			return nil, err
		}
		rank := map[string]int{}
		for _, l := range levels {
			byID[l.NodeID].RiskLevel, rank[l.NodeID] = l.Level, l.Rank
		}
		// A process's level is the worst of its leaves': walk up from every assessed leaf.
		for _, l := range levels {
			for n := byID[l.NodeID]; n != nil; n = byID[n.ParentID] {
				if rank[n.ID] < l.Rank {
					n.RiskLevel, rank[n.ID] = l.Level, l.Rank
				}
			}
		}
	}
	return tree, nil
}

// NodeDetail is one node with its ancestors (root first) and children.
type NodeDetail struct {
	Node      domain.Node   `json:"node"`
	Ancestors []domain.Node `json:"ancestors"`
	Children  []domain.Node `json:"children"`
}

// Node returns one node of the cycle by code.
func (p *ProcessMaps) Node(ctx context.Context, actor domain.Actor, cycleCode, code string) (*NodeDetail, error) {
	if err := p.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := p.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	n, anc, kids, err := p.store.NodeWithFamily(ctx, actor.EnteID, cycle.ID, code)
	if err != nil {
		return nil, err
	}
	if p.authz.Can(actor, authz.ObjAssessment, authz.ActRead) {
		ids := []string{n.ID}
		for _, k := range kids {
			ids = append(ids, k.ID)
		}
		levels, err := p.store.WorstLevelsUnder(ctx, actor.EnteID, cycle.ID, ids)
		if err != nil {
			return nil, err
		}
		n.RiskLevel = levels[n.ID].Level
		for i := range kids {
			kids[i].RiskLevel = levels[kids[i].ID].Level
		}
	}
	return &NodeDetail{Node: n, Ancestors: anc, Children: kids}, nil
}

// NodePage is one page of a search.
type NodePage struct {
	Items    []domain.Node `json:"items"`
	Total    int64         `json:"total"`
	Page     int           `json:"page"`
	PageSize int           `json:"page_size"`
}

// Search filters the cycle's nodes.
func (p *ProcessMaps) Search(ctx context.Context, actor domain.Actor, cycleCode string, f domain.NodeFilter) (*NodePage, error) {
	if err := p.canRead(actor); err != nil {
		return nil, err
	}
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	cycle, err := p.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if problems, err := checkRefFilters(ctx, p.store, actor.EnteID, cycle.ID, f.Unit, f.Objective, f.RiskArea); err != nil {
		return nil, err
	} else if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "filter_invalid", Problems: problems}
	}
	items, total, err := p.store.SearchNodes(ctx, actor.EnteID, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	return &NodePage{Items: items, Total: total, Page: f.Page, PageSize: f.PageSize}, nil
}
