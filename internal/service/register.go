package service

import (
	"context"
	"errors"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Register reads and writes the assessments of the map's leaves, and the register and heat map built on them.
type Register struct {
	store *store.Store
	authz *authz.Authorizer
	meths *Methodologies
}

// NewRegister builds the register service.
func NewRegister(s *store.Store, az *authz.Authorizer, meths *Methodologies) *Register {
	return &Register{store: s, authz: az, meths: meths}
}

func (r *Register) canRead(actor domain.Actor) error {
	if !r.authz.Can(actor, authz.ObjAssessment, authz.ActRead) {
		return domain.Forbidden("forbidden", "your role does not allow reading the register")
	}
	return nil
}

func (r *Register) leaf(ctx context.Context, actor domain.Actor, cycleCode, code string) (*domain.Cycle, domain.Node, error) {
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, domain.Node{}, err
	}
	node, err := r.store.NodeByCode(ctx, actor.EnteID, cycle.ID, code)
	if err != nil {
		return nil, domain.Node{}, err
	}
	if !node.IsLeaf {
		return nil, domain.Node{}, domain.Conflict("node_not_leaf", "%s has sub-nodes: assessments attach to the leaves of the map", code)
	}
	return cycle, node, nil
}

// Assessment returns the assessment of a leaf; a leaf not assessed yet answers an empty draft at version 0.
func (r *Register) Assessment(ctx context.Context, actor domain.Actor, cycleCode, code string) (*domain.Assessment, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	cycle, node, err := r.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return nil, err
	}
	a, err := r.store.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
	if errors.Is(err, domain.ErrNotFound) {
		a = &domain.Assessment{State: domain.StateDraft, Risks: []domain.RiskEntry{}, Measures: []domain.Measure{}}
	} else if err != nil {
		return nil, err
	}
	a.Node, a.Cycle = node.Code, cycle.Code
	if len(a.Risks) > 0 {
		meth, err := r.meths.load(ctx, actor.EnteID, cycle)
		if err != nil {
			return nil, err
		}
		score(meth.Profile, a)
	}
	return a, nil
}

// score fills the scores of an assessment read from storage: they are recomputed from the stored judgements,
// so what is shown is what the cycle's methodology gives.
func score(p domain.Profile, a *domain.Assessment) {
	for i := range a.Risks {
		if s, err := p.Score(a.Risks[i].Inherent); err == nil {
			a.Risks[i].InherentScore = &s
		}
		if a.Risks[i].Residual != nil {
			if s, err := p.Score(*a.Risks[i].Residual); err == nil {
				a.Risks[i].ResidualScore = &s
			}
		}
	}
}

// SaveAssessment replaces the content of a leaf's assessment, at the version the caller read. Only a
// director or referente of one of the leaf's units writes it, and only while it is a draft or was returned.
func (r *Register) SaveAssessment(ctx context.Context, actor domain.Actor, cycleCode, code string, in domain.Assessment) (*domain.Assessment, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	cycle, node, err := r.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return nil, err
	}
	if !r.authz.Can(actor, authz.ObjAssessment, authz.ActWrite, node.Units...) {
		return nil, domain.Forbidden("forbidden", "only a director or referente of %v may write the assessment of %s", node.Units, code)
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s: its register can no longer change", cycle.Code, cycle.State)
	}
	meth, err := r.meths.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return nil, err
	}
	refs, err := r.refs(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	if err := in.Evaluate(meth.Profile, refs); err != nil {
		return nil, err
	}
	err = r.store.WithTx(ctx, func(tx *store.Store) error {
		current, err := tx.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
		if err == nil && !current.State.Editable() {
			return domain.Conflict("assessment_not_editable", "the assessment is %s: it cannot be edited now", current.State)
		}
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		version, err := tx.SaveAssessment(ctx, actor.EnteID, cycle.ID, node.ID, &in, in.Version, actor.UserID)
		if err != nil {
			return err
		}
		var before any
		if current != nil {
			before = current
		}
		in.Node, in.Cycle, in.Version, in.State = node.Code, cycle.Code, version, domain.StateDraft
		return record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, "save", before, in)
	})
	if err != nil {
		return nil, err
	}
	return r.Assessment(ctx, actor, cycleCode, code)
}

func (r *Register) refs(ctx context.Context, enteID, cycleID string) (domain.AssessmentRefs, error) {
	refs := domain.AssessmentRefs{Events: map[string]domain.RiskEvent{}, EnablingFactors: map[string]bool{},
		MeasureTypes: map[string]bool{}, GeneralMeasures: map[string]bool{}, Units: map[string]bool{}, Objectives: map[string]bool{}}
	events, err := r.store.RiskEvents(ctx, enteID, store.RiskEventFilter{})
	if err != nil {
		return refs, err
	}
	for _, e := range events {
		refs.Events[e.Code] = e
	}
	factors, err := r.store.EnablingFactors(ctx, enteID)
	if err != nil {
		return refs, err
	}
	for _, f := range factors {
		refs.EnablingFactors[f.Code] = true
	}
	types, err := r.store.MeasureTypes(ctx, enteID)
	if err != nil {
		return refs, err
	}
	for _, t := range types {
		refs.MeasureTypes[t.Code] = true
	}
	generals, err := r.store.GeneralMeasures(ctx, enteID)
	if err != nil {
		return refs, err
	}
	for _, g := range generals {
		refs.GeneralMeasures[g.Code] = true
	}
	units, objectives, _, err := r.store.Refs(ctx, enteID, cycleID)
	if err != nil {
		return refs, err
	}
	for _, u := range units {
		refs.Units[u.Code] = true
	}
	for _, o := range objectives {
		refs.Objectives[o.Code] = true
	}
	ids, err := r.store.MeasureIDs(ctx, enteID, cycleID)
	if err != nil {
		return refs, err
	}
	refs.CycleMeasures = make(map[string]bool, len(ids))
	for _, id := range ids {
		refs.CycleMeasures[id] = true
	}
	return refs, nil
}

// RegisterPage is one page of the register.
type RegisterPage struct {
	Items    []store.RegisterRow `json:"items"`
	Total    int64               `json:"total"`
	Page     int                 `json:"page"`
	PageSize int                 `json:"page_size"`
}

func normalizeRegisterFilter(f *store.RegisterFilter) error {
	nf := domain.NodeFilter{Page: f.Page, PageSize: f.PageSize}
	if err := nf.Normalize(); err != nil {
		return err
	}
	f.Page, f.PageSize = nf.Page, nf.PageSize
	return nil
}

// List returns the register of a cycle, filtered and paginated, in map order.
func (r *Register) List(ctx context.Context, actor domain.Actor, cycleCode string, f store.RegisterFilter) (*RegisterPage, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	if err := normalizeRegisterFilter(&f); err != nil {
		return nil, err
	}
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	items, total, err := r.store.Register(ctx, actor.EnteID, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	return &RegisterPage{Items: items, Total: total, Page: f.Page, PageSize: f.PageSize}, nil
}

// Heatmap is the count of risks per likelihood × impact cell, with the axes of the cycle's methodology.
type Heatmap struct {
	Methodology string              `json:"methodology"`
	Likelihood  []domain.ScaleLevel `json:"likelihood_axis"`
	Impact      []domain.ScaleLevel `json:"impact_axis"`
	Inherent    []store.HeatCell    `json:"inherent"`
	Residual    []store.HeatCell    `json:"residual"`
}

// Heatmap counts the cycle's risks per cell, inherent and residual, with the register's filters.
func (r *Register) Heatmap(ctx context.Context, actor domain.Actor, cycleCode string, f store.RegisterFilter) (*Heatmap, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	meth, err := r.meths.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return nil, err
	}
	inherent, residual, err := r.store.Heatmap(ctx, actor.EnteID, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	return &Heatmap{Methodology: meth.Profile.Code, Likelihood: meth.Profile.LikelihoodScale, Impact: meth.Profile.ImpactScale,
		Inherent: inherent, Residual: residual}, nil
}
