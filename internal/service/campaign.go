package service

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// The campaign's shared work on the leaves: the lists of leaves with their completeness, the lead unit of a
// leaf owned by several units, and the hand-off of a draft from a referente to the director.
//
// Who does what on a leaf owned by several units: the lead unit (capofila, domain.LeadUnit) is the RPCT's
// choice for the cycle or else the first unit the map lists. Only a director of the lead unit submits. The
// directors and referenti of every owning unit read the assessment, save the shared draft (their own measures,
// proposed changes: every save is version-checked and audited with its author), comment on it and hand it off
// for signature; the campaign's progress counts each leaf once, under its lead unit.

// leadUnit returns a leaf's lead unit, read through st (a transaction's store, when inside one).
func leadUnit(ctx context.Context, st *store.Store, enteID string, cycle *domain.Cycle, node domain.Node) (string, error) {
	chosen, err := st.LeadUnitChoice(ctx, enteID, cycle.ID, node.ID)
	if err != nil {
		return "", err
	}
	return domain.LeadUnit(node.Units, chosen), nil
}

// mayLead refuses a submission by someone who may submit for one of the leaf's units but not for its lead
// unit (not_lead_unit), or for none of them (forbidden).
func mayLead(az *authz.Authorizer, actor domain.Actor, node domain.Node, lead string) error {
	if lead != "" && az.Can(actor, authz.ObjAssessment, authz.ActSubmit, lead) {
		return nil
	}
	if az.Can(actor, authz.ObjAssessment, authz.ActSubmit, node.Units...) {
		return domain.Forbidden("not_lead_unit", "%s is led by unit %s: only a director of the lead unit submits its assessment; the other units contribute to the draft and comment", node.Code, lead)
	}
	return domain.Forbidden("forbidden", "only a director of the leaf's lead unit may submit its assessment")
}

// LeavesQuery selects a list of leaves.
type LeavesQuery struct {
	Unit  string // leaves owned by this unit
	State string // none, draft, returned, submitted, approved
	Mine  bool   // leaves owned by the caller's units
	// ToSign keeps the drafts handed off for signature whose lead unit is one where the caller submits.
	ToSign         bool
	Page, PageSize int
}

// LeavesPage is one page of leaves.
type LeavesPage struct {
	Items    []domain.LeafStatus `json:"items"`
	Total    int64               `json:"total"`
	Page     int                 `json:"page"`
	PageSize int                 `json:"page_size"`
}

// Leaves lists a cycle's leaves with their assessment state, completeness, lead unit, hand-off and exclusion,
// in map order. Completeness not stored yet (assessments written before it was kept) is computed once here.
func (r *Register) Leaves(ctx context.Context, actor domain.Actor, cycleCode string, q LeavesQuery) (*LeavesPage, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	nf := domain.NodeFilter{Page: q.Page, PageSize: q.PageSize}
	if err := nf.Normalize(); err != nil {
		return nil, err
	}
	switch q.State {
	case "", "none", string(domain.StateDraft), string(domain.StateReturned), string(domain.StateSubmitted), string(domain.StateApproved):
	default:
		return nil, &domain.ValidationError{Code: "filter_invalid", Problems: []domain.FieldError{{Field: "state", Code: "value_unknown",
			Message: "state must be none, draft, returned, submitted or approved"}}}
	}
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if q.Unit != "" {
		problems, err := checkRefFilters(ctx, r.store, actor.EnteID, cycle.ID, q.Unit, "", "")
		if err != nil {
			return nil, err
		}
		if len(problems) > 0 {
			return nil, &domain.ValidationError{Code: "filter_invalid", Problems: problems}
		}
	}
	f := store.LeafFilter{State: q.State, Page: nf.Page, PageSize: nf.PageSize}
	if q.Unit != "" {
		f.Units = []string{q.Unit}
	}
	if q.Mine || q.ToSign {
		mine, signs := []string{}, []string{}
		for _, g := range actor.Grants {
			if g.UnitCode == "" {
				continue
			}
			mine = append(mine, g.UnitCode)
			if r.authz.Can(actor, authz.ObjAssessment, authz.ActSubmit, g.UnitCode) && !slices.Contains(signs, g.UnitCode) {
				signs = append(signs, g.UnitCode)
			}
		}
		if q.Mine {
			// With a unit too, that unit if it is the caller's (and nothing otherwise).
			if q.Unit != "" {
				mine = slices.DeleteFunc(mine, func(u string) bool { return u != q.Unit })
			}
			if len(mine) == 0 {
				return &LeavesPage{Items: []domain.LeafStatus{}, Page: nf.Page, PageSize: nf.PageSize}, nil
			}
			f.Units = mine
		}
		if q.ToSign {
			f.ToSignFor = signs
		}
	}
	if err := r.backfillCompleteness(ctx, actor.EnteID, cycle); err != nil {
		return nil, err
	}
	items, total, err := r.store.Leaves(ctx, actor.EnteID, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	return &LeavesPage{Items: items, Total: total, Page: nf.Page, PageSize: nf.PageSize}, nil
}

// backfillCompleteness computes and stores the completeness of the cycle's assessments that have none yet.
func (r *Register) backfillCompleteness(ctx context.Context, enteID string, cycle *domain.Cycle) error {
	ids, err := r.store.UncomputedCompleteness(ctx, enteID, cycle.ID)
	if err != nil || len(ids) == 0 {
		return err
	}
	meth, err := r.meths.load(ctx, enteID, cycle)
	if err != nil {
		return err
	}
	return r.store.WithTx(ctx, func(tx *store.Store) error {
		for _, id := range ids {
			a, err := tx.Assessment(ctx, enteID, cycle.ID, id)
			if err != nil {
				return err
			}
			c := a.CheckCompleteness(meth.Profile)
			if err := tx.BackfillCompleteness(ctx, enteID, cycle.ID, id, len(c.Missing)); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetLeadUnit chooses, for the cycle, the lead unit of a leaf among the units the map gives it; an empty unit
// goes back to the default (the map's first unit). Only the RPCT, while the cycle is open.
func (r *Register) SetLeadUnit(ctx context.Context, actor domain.Actor, cycleCode, code, unit string) (*domain.LeafStatus, error) {
	if !r.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return nil, domain.Forbidden("forbidden", "only the RPCT chooses the lead unit of a leaf")
	}
	cycle, node, err := r.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return nil, err
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
	}
	unit = strings.TrimSpace(unit)
	if unit != "" && !slices.Contains(node.Units, unit) {
		return nil, &domain.ValidationError{Code: "lead_unit_invalid", Problems: []domain.FieldError{{Field: "unit", Code: "not_owner",
			Message: "the lead unit must be one of the leaf's units: " + strings.Join(node.Units, ", ")}}}
	}
	err = r.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := leadUnit(ctx, tx, actor.EnteID, cycle, node)
		if err != nil {
			return err
		}
		if err := tx.SetLeadUnit(ctx, actor.EnteID, cycle.ID, node.ID, unit, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, "set_lead_unit",
			map[string]string{"lead_unit": before}, map[string]any{"lead_unit": domain.LeadUnit(node.Units, unit), "chosen": unit != ""})
	})
	if err != nil {
		return nil, err
	}
	return r.leafStatus(ctx, actor, cycle, node.Code)
}

func (r *Register) leafStatus(ctx context.Context, actor domain.Actor, cycle *domain.Cycle, code string) (*domain.LeafStatus, error) {
	items, _, err := r.store.Leaves(ctx, actor.EnteID, cycle.ID, store.LeafFilter{Codes: []string{code}, Page: 1, PageSize: 1})
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, domain.NotFound("node_not_found", "node %q not found", code)
	}
	return &items[0], nil
}

// HandOff marks a leaf's draft "pronto per la firma": a director or referente of one of its units says the
// draft is ready for the lead unit's director to complete and submit. The content and its version do not
// change, so an editor open elsewhere keeps saving; later saves keep the mark (autosave would otherwise undo a
// hand-off made a second before), and the submission clears it. The trail records it as assessment/hand_off.
func (r *Register) HandOff(ctx context.Context, actor domain.Actor, cycleCode, code string) (*domain.LeafStatus, error) {
	return r.handOff(ctx, actor, cycleCode, code, true)
}

// WithdrawHandOff removes the "pronto per la firma" mark (the referente has more to do).
func (r *Register) WithdrawHandOff(ctx context.Context, actor domain.Actor, cycleCode, code string) (*domain.LeafStatus, error) {
	return r.handOff(ctx, actor, cycleCode, code, false)
}

func (r *Register) handOff(ctx context.Context, actor domain.Actor, cycleCode, code string, on bool) (*domain.LeafStatus, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	cycle, node, err := r.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return nil, err
	}
	if !r.authz.Can(actor, authz.ObjAssessment, authz.ActWrite, node.Units...) {
		return nil, domain.Forbidden("forbidden", "only a director or referente of %v may hand off the assessment of %s", node.Units, code)
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
	}
	err = r.store.WithTx(ctx, func(tx *store.Store) error {
		ref, err := tx.LockAssessment(ctx, actor.EnteID, cycle.ID, node.ID)
		if errors.Is(err, domain.ErrNotFound) {
			return domain.Conflict("assessment_empty", "save a draft of %s before handing it off", code)
		}
		if err != nil {
			return err
		}
		if !ref.State.Editable() {
			return domain.Conflict("assessment_not_editable", "the assessment is %s: there is nothing to sign", ref.State)
		}
		lead, err := leadUnit(ctx, tx, actor.EnteID, cycle, node)
		if err != nil {
			return err
		}
		if !on {
			had, err := tx.ClearHandOff(ctx, actor.EnteID, ref.ID)
			if err != nil || !had {
				if err == nil {
					err = domain.Conflict("not_handed_off", "the assessment of %s is not waiting for a signature", code)
				}
				return err
			}
			return record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, "withdraw_hand_off", nil, map[string]any{"lead_unit": lead})
		}
		at, err := tx.HandOff(ctx, actor.EnteID, ref.ID, actor.UserID)
		if err != nil {
			return err
		}
		if err := notifyHandOff(ctx, tx, actor, cycle, node, lead); err != nil {
			return err
		}
		return record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, "hand_off", nil,
			map[string]any{"lead_unit": lead, "version": ref.Version, "state": ref.State, "at": at})
	})
	if err != nil {
		return nil, err
	}
	return r.leafStatus(ctx, actor, cycle, node.Code)
}

// MaxExclusions bounds the leaves excluded in one request.
const MaxExclusions = 2000

// ExcludeMany takes several leaves out of the cycle's campaign with one reason, all or none: a code that is
// not a leaf of the cycle refuses the whole request, naming it. Each leaf gets its own audit record, as when
// excluded one by one.
func (c *Cycles) ExcludeMany(ctx context.Context, actor domain.Actor, cycleCode string, codes []string, reason string) ([]store.Exclusion, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, bulkInvalid("nodes", "required", "list at least one leaf")
	}
	if len(codes) > MaxExclusions {
		return nil, bulkInvalid("nodes", "too_many", "at most 2000 leaves at once")
	}
	if err := reasonRequired("reason", reason); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
	}
	reason = strings.TrimSpace(reason)
	var problems []domain.FieldError
	nodes := make([]domain.Node, 0, len(codes))
	seen := map[string]bool{}
	for i, code := range codes {
		if seen[code] {
			continue
		}
		seen[code] = true
		node, err := c.store.NodeByCode(ctx, actor.EnteID, cycle.ID, code)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			problems = append(problems, domain.FieldError{Field: "nodes[" + itoa(i) + "]", Code: "node_not_found", Message: "no node " + code + " in this cycle"})
		case err != nil:
			return nil, err
		case !node.IsLeaf:
			problems = append(problems, domain.FieldError{Field: "nodes[" + itoa(i) + "]", Code: "node_not_leaf", Message: code + " has sub-nodes: only leaves are excluded"})
		default:
			nodes = append(nodes, node)
		}
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "exclusion_invalid", Problems: problems}
	}
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		for _, node := range nodes {
			if err := tx.AddExclusion(ctx, actor.EnteID, cycle.ID, node.ID, reason, actor.UserID); err != nil {
				return err
			}
			if err := record(ctx, tx, actor, "cycle", cycle.Code, "exclude", nil, map[string]string{"node": node.Code, "reason": reason}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.store.Exclusions(ctx, actor.EnteID, cycle.ID)
}

// Include undoes the exclusion of a leaf: it is back in the campaign (and must be approved before the cycle
// is consolidated). The trail keeps the reason it had.
func (c *Cycles) Include(ctx context.Context, actor domain.Actor, cycleCode, code string) ([]store.Exclusion, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	cycle, node, err := c.reg.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return nil, err
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
	}
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		reason, err := tx.RemoveExclusion(ctx, actor.EnteID, cycle.ID, node.ID)
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", cycle.Code, "include", map[string]string{"node": code, "reason": reason}, map[string]string{"node": code})
	})
	if err != nil {
		return nil, err
	}
	return c.store.Exclusions(ctx, actor.EnteID, cycle.ID)
}

func itoa(i int) string { return strconv.Itoa(i) }
