package service

import (
	"context"
	"errors"
	"strings"

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

// Authorizer is the policy the register checks: a seeder (the demo) builds the workflow and lifecycle services
// on the same one.
func (r *Register) Authorizer() *authz.Authorizer { return r.authz }

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
		a = &domain.Assessment{State: domain.StateDraft, Risks: []domain.RiskEntry{}, Measures: []domain.Measure{}, Withdrawn: []domain.Measure{}}
	} else if err != nil {
		return nil, err
	}
	a.Node, a.Cycle = node.Code, cycle.Code
	var profile domain.Profile // only risks need the methodology
	if len(a.Risks) > 0 {
		meth, err := r.meths.load(ctx, actor.EnteID, cycle)
		if err != nil {
			return nil, err
		}
		profile = meth.Profile
		score(profile, a)
	}
	a.Completeness = a.CheckCompleteness(profile)
	a.Warnings = a.DuplicateEventWarnings()
	if a.LeadUnit, err = leadUnit(ctx, r.store, actor.EnteID, cycle, node); err != nil {
		return nil, err
	}
	if a.HandedOff, err = r.store.HandOffOf(ctx, actor.EnteID, cycle.ID, node.ID); err != nil {
		return nil, err
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

// savedAssessment is the audit record of a save: the content written, and which measures it removed: retired
// (kept, withdrawn, because monitoring or another assessment refers to them) or deleted.
type savedAssessment struct {
	domain.Assessment
	RetiredMeasures []store.RetiredMeasure `json:"retired_measures"`
	DeletedMeasures []string               `json:"deleted_measures"`
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
	if err := checkSupportingData(ctx, r.store, actor.EnteID, cycle.ID, &in); err != nil {
		return nil, err
	}
	// The server sets where a new measure comes from (roll-forward): a client cannot claim a lineage.
	for i := range in.Measures {
		in.Measures[i].DerivedFrom = ""
	}
	err = r.store.WithTx(ctx, func(tx *store.Store) error {
		// Lock first, then read: the state checked and the content recorded as "before" are those the save
		// replaces, even when a submission races with it (on SQLite the transaction already holds the write lock).
		if ref, err := tx.LockAssessment(ctx, actor.EnteID, cycle.ID, node.ID); err == nil && !ref.State.Editable() {
			return domain.Conflict("assessment_not_editable", "the assessment is %s: it cannot be edited now", ref.State)
		} else if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		current, err := tx.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return err
		}
		saved, err := tx.SaveAssessment(ctx, actor.EnteID, cycle.ID, node.ID, &in, in.Version, actor.UserID)
		if err != nil {
			return err
		}
		if err := linkProgramme(ctx, tx, actor.EnteID, cycle.ID, node.ID, in.Measures); err != nil {
			return err
		}
		// Kept with the content, so the lists of leaves show what is left without loading it.
		if err := tx.SetCompleteness(ctx, actor.EnteID, cycle.ID, node.ID, len(in.Completeness.Missing)); err != nil {
			return err
		}
		var before any
		if current != nil {
			before = current
		}
		in.Node, in.Cycle, in.Version, in.State = node.Code, cycle.Code, saved.Version, domain.StateDraft
		in.Withdrawn = []domain.Measure{} // the request's reasons are recorded below, per retired measure
		after := savedAssessment{Assessment: in, RetiredMeasures: saved.Retired, DeletedMeasures: saved.Deleted}
		if after.RetiredMeasures == nil {
			after.RetiredMeasures = []store.RetiredMeasure{}
		}
		if after.DeletedMeasures == nil {
			after.DeletedMeasures = []string{}
		}
		return record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, "save", before, after)
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
	programme, err := r.store.ProgrammeMeasures(ctx, enteID, cycleID)
	if err != nil {
		return refs, err
	}
	refs.ProgrammeMeasures = make(map[string]domain.ProgrammeMeasure, len(programme))
	for _, p := range programme {
		refs.ProgrammeMeasures[p.ID] = p
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
	nf := domain.NodeFilter{Page: f.Page, PageSize: f.PageSize, Text: f.Text}
	if err := nf.Normalize(); err != nil {
		return err
	}
	f.Page, f.PageSize = nf.Page, nf.PageSize
	return nil
}

// checkRegisterFilter refuses filter values outside their enumerations, naming the parameter: a typo such
// as measure_status=bogus would otherwise answer an empty register, which reads as "no risks". Risk levels
// are the cycle's methodology's, measure types the ente's catalogue's; those are loaded only when asked for.
func (r *Register) checkRegisterFilter(ctx context.Context, enteID string, cycle *domain.Cycle, f store.RegisterFilter) error {
	var problems []domain.FieldError
	bad := func(field, code, msg string) {
		problems = append(problems, domain.FieldError{Field: field, Code: code, Message: msg})
	}
	if fe := domain.CheckSearchText("q", f.Text); fe != nil {
		problems = append(problems, *fe)
	}
	refProblems, err := checkRefFilters(ctx, r.store, enteID, cycle.ID, f.Unit, "", f.RiskArea)
	if err != nil {
		return err
	}
	problems = append(problems, refProblems...)
	switch domain.MeasureStatus(f.MeasureStatus) {
	case "", domain.MeasureNew, domain.MeasureConfirmed, domain.MeasureModified, domain.MeasureDropped:
	default:
		bad("measure_status", "value_unknown", "measure_status must be new, existing_confirmed, modified or dropped")
	}
	switch domain.AssessmentState(f.State) {
	case "", domain.StateDraft, domain.StateSubmitted, domain.StateApproved, domain.StateReturned:
	default:
		bad("state", "value_unknown", "state must be draft, submitted, approved or returned")
	}
	if f.Level != "" {
		meth, err := r.meths.load(ctx, enteID, cycle)
		if err != nil {
			return err
		}
		if _, ok := meth.Profile.LevelByCode(f.Level); !ok {
			codes := make([]string, len(meth.Profile.RiskLevels))
			for i, l := range meth.Profile.RiskLevels {
				codes[i] = l.Code
			}
			bad("level", "value_unknown", "level must be one of the cycle's risk levels: "+strings.Join(codes, ", "))
		}
	}
	if f.MeasureType != "" {
		types, err := r.store.MeasureTypes(ctx, enteID)
		if err != nil {
			return err
		}
		known := false
		for _, t := range types {
			known = known || t.Code == f.MeasureType
		}
		if !known {
			bad("measure_type", "value_unknown", "measure_type must be the code of one of the ente's measure types")
		}
	}
	if len(problems) > 0 {
		return &domain.ValidationError{Code: "filter_invalid", Problems: problems}
	}
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
	if err := r.checkRegisterFilter(ctx, actor.EnteID, cycle, f); err != nil {
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
	if err := r.checkRegisterFilter(ctx, actor.EnteID, cycle, f); err != nil {
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
