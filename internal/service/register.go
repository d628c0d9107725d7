package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/pagecursor"
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
	chosen, handOff, err := r.store.LeadUnitChoiceAndHandOff(ctx, actor.EnteID, cycle.ID, node.ID)
	if err != nil {
		return nil, err
	}
	a.LeadUnit, a.HandedOff = domain.LeadUnit(node.Units, chosen), handOff
	return a, nil
}

// score fills the scores of an assessment read from storage: they are recomputed from the stored judgements,
// so what is shown is what the cycle's methodology gives.
func score(p domain.Profile, a *domain.Assessment) {
	if sc, err := p.Scorer(); err == nil {
		scoreWith(sc, a)
	}
}

// scoreWith is score with the profile validated once, for a reader that scores many assessments.
func scoreWith(sc domain.Scorer, a *domain.Assessment) {
	for i := range a.Risks {
		if s, err := sc.Score(a.Risks[i].Inherent); err == nil {
			a.Risks[i].InherentScore = &s
		}
		if a.Risks[i].Residual != nil {
			if s, err := sc.Score(*a.Risks[i].Residual); err == nil {
				a.Risks[i].ResidualScore = &s
			}
		}
	}
}

// savedAssessment is the audit record of a save: the head it leaves (state, version, level), what it changed
// field by field (risks and measures added in full, removed by name, changed with each field's value before
// and after), and which measures it removed: retired (kept, withdrawn, because monitoring or another
// assessment refers to them) or deleted. The record's "before" is the head the save replaced (absent when the
// save created the assessment): the trail shows every change without copying the whole content twice.
type savedAssessment struct {
	store.AssessmentHead
	Changes         store.AssessmentChanges `json:"changes"`
	RetiredMeasures []store.RetiredMeasure  `json:"retired_measures"`
	DeletedMeasures []string                `json:"deleted_measures"`
}

// refCodes are the codes an assessment's content names, to be checked against the catalogues and the cycle.
func refCodes(a *domain.Assessment) store.RefCodes {
	var c store.RefCodes
	keys := map[string]bool{}
	for i, m := range a.Measures {
		key := strings.TrimSpace(m.Key)
		if key == "" {
			key = fmt.Sprintf("m%d", i+1) // as Evaluate names a measure without key
		}
		keys[key] = true
		if m.Type != "" {
			c.MeasureTypes = append(c.MeasureTypes, m.Type)
		}
		if m.GeneralCode != "" {
			c.GeneralMeasures = append(c.GeneralMeasures, m.GeneralCode)
		}
		if m.Unit != "" {
			c.Units = append(c.Units, m.Unit)
		}
		if m.StrategicObjective != "" {
			c.Objectives = append(c.Objectives, m.StrategicObjective)
		}
		// Checked in the same lookup as the risks' factors: no statement more.
		c.EnablingFactors = append(c.EnablingFactors, m.EnablingFactors...)
	}
	for _, r := range a.Risks {
		if code := strings.TrimSpace(r.EventCode); code != "" {
			c.Events = append(c.Events, code)
		}
		c.EnablingFactors = append(c.EnablingFactors, r.EnablingFactors...)
		for _, k := range r.Measures {
			if !keys[k] {
				c.Measures = append(c.Measures, k)
			}
		}
	}
	return c
}

// SaveAssessment replaces the content of a leaf's assessment, at the version the caller read. Only a
// director or referente of one of the leaf's units writes it, and only while it is a draft or was returned.
//
// It runs a fixed number of statements whatever the size of the register and of the catalogues (issue 19,
// TestSaveStatementsConstant): the cycle, then the node with its units, the assessment's head and the codes
// the content names (store.SaveTarget), the methodology; in the transaction the version moves (the
// optimistic lock), the current rows are read, only what changed is written, and the audit record keeps the
// field-level changes. The answer is built from what was written, as a read would show it
// (TestSaveAnswerIsWhatAReadShows), instead of reading it back.
func (r *Register) SaveAssessment(ctx context.Context, actor domain.Actor, cycleCode, code string, in domain.Assessment) (*domain.Assessment, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	codes := refCodes(&in)
	var programme []domain.ProgrammeMeasure
	for _, m := range in.Measures {
		if m.ProgrammeMeasure != "" {
			// Only a save that links the programme reads it; a linked measure takes the programme measure's
			// content (Evaluate), whose codes are checked too.
			if programme, err = r.store.ProgrammeMeasures(ctx, actor.EnteID, cycle.ID); err != nil {
				return nil, err
			}
			for _, p := range programme {
				codes.MeasureTypes = append(codes.MeasureTypes, p.Type)
				codes.GeneralMeasures = append(codes.GeneralMeasures, p.GeneralCode)
				codes.Units = append(codes.Units, p.Unit)
			}
			break
		}
	}
	target, err := r.store.SaveTarget(ctx, actor.EnteID, cycle.ID, code, codes)
	if err != nil {
		return nil, err
	}
	if !target.IsLeaf {
		return nil, domain.Conflict("node_not_leaf", "%s has sub-nodes: assessments attach to the leaves of the map", code)
	}
	node := domain.Node{ID: target.NodeID, MapNode: domain.MapNode{Code: code, Level: target.Level, Units: target.Units}}
	if !r.authz.Can(actor, authz.ObjAssessment, authz.ActWrite, node.Units...) {
		return nil, domain.Forbidden("forbidden", "only a director or referente of %v may write the assessment of %s", node.Units, code)
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s: its register can no longer change", cycle.Code, cycle.State)
	}
	// The methodology came with the target (one statement fewer than loading it apart).
	meth, err := methodologyOf(cycle, target.Methodology)
	if err != nil {
		return nil, err
	}
	// The save lands only while the methodology is still the one it scored with (store.SaveOptions.Methodology).
	var methodologyVersion int64
	if target.Methodology != nil {
		methodologyVersion = target.Methodology.Version
	}
	refs := target.Refs
	for _, p := range programme {
		refs.ProgrammeMeasures[p.ID] = p
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
	missing := len(in.Completeness.Missing)
	var saved store.SaveResult
	err = r.store.WithTx(ctx, func(tx *store.Store) error {
		var err error
		saved, err = tx.SaveAssessmentWith(ctx, actor.EnteID, cycle.ID, node.ID, &in, in.Version, actor.UserID,
			store.SaveOptions{Head: &target.Head, MissingCount: &missing, Programme: true, Methodology: &methodologyVersion})
		if err != nil {
			return err
		}
		after := savedAssessment{AssessmentHead: store.AssessmentHead{State: string(domain.StateDraft), Version: saved.Version, Level: in.Level},
			Changes: saved.Changes, RetiredMeasures: saved.Retired, DeletedMeasures: saved.Deleted}
		if after.RetiredMeasures == nil {
			after.RetiredMeasures = []store.RetiredMeasure{}
		}
		if after.DeletedMeasures == nil {
			after.DeletedMeasures = []string{}
		}
		var before any
		if saved.Before != nil {
			before = saved.Before
		}
		return record(ctx, tx, actor, "assessment", cycle.Code+"/"+code, "save", before, after)
	})
	if err != nil {
		return nil, err
	}
	out, err := savedAnswer(in, saved, meth.Profile)
	if err != nil {
		return nil, err
	}
	out.Node, out.Cycle = code, cycle.Code
	out.LeadUnit = domain.LeadUnit(node.Units, target.LeadChoice)
	if target.Head.HandedOff {
		// A save leaves the hand-off as it was; only a draft handed off reads who did it.
		if out.HandedOff, err = r.store.HandOffOf(ctx, actor.EnteID, cycle.ID, node.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// savedAnswer is the assessment a save wrote, as Register.Assessment reads it: measures keyed by id, the
// risks' measure lists as sorted ids, the versions and the retired measures as stored.
func savedAnswer(in domain.Assessment, saved store.SaveResult, p domain.Profile) (*domain.Assessment, error) {
	if len(saved.Risks) != len(in.Risks) || len(saved.Measures) != len(in.Measures) {
		return nil, errors.New("service: the save's rows do not match the content")
	}
	out := in
	at := saved.UpdatedAt
	out.State, out.Version, out.UpdatedAt = domain.StateDraft, saved.Version, &at
	idOf := map[string]string{}
	out.Measures = make([]domain.Measure, len(in.Measures))
	for i, m := range in.Measures {
		idOf[m.Key] = saved.Measures[i].ID
		m.ID, m.Key, m.Version, m.DerivedFrom = saved.Measures[i].ID, saved.Measures[i].ID, saved.Measures[i].Version, saved.Measures[i].DerivedFrom
		m.WithdrawnAt, m.WithdrawnReason, m.TreatedRisks = nil, "", nil
		m.Missing = m.MissingForAdoption()
		out.Measures[i] = m
	}
	out.Risks = make([]domain.RiskEntry, len(in.Risks))
	for i, r := range in.Risks {
		r.ID, r.Version = saved.Risks[i].ID, saved.Risks[i].Version
		ids := make([]string, 0, len(r.Measures))
		for _, k := range r.Measures {
			if id, own := idOf[k]; own {
				ids = append(ids, id)
			} else {
				ids = append(ids, k)
			}
		}
		slices.Sort(ids)
		r.Measures = slices.Compact(ids)
		out.Risks[i] = r
	}
	out.Withdrawn = saved.Withdrawn
	var profile domain.Profile // as Assessment reads it: only risks need the methodology
	if len(out.Risks) > 0 {
		profile = p
	}
	out.Completeness = out.CheckCompleteness(profile)
	out.Warnings = out.DuplicateEventWarnings()
	return &out, nil
}

// measureCatalogueCodes adds the ente's measure types and general measures to the sets a validation checks
// codes against (an assessment's measures, the programme's).
func measureCatalogueCodes(ctx context.Context, st *store.Store, enteID string, types, generals map[string]bool) error {
	ts, err := st.MeasureTypes(ctx, enteID)
	if err != nil {
		return err
	}
	for _, t := range ts {
		types[t.Code] = true
	}
	gs, err := st.GeneralMeasures(ctx, enteID)
	if err != nil {
		return err
	}
	for _, g := range gs {
		generals[g.Code] = true
	}
	return nil
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
	if err := measureCatalogueCodes(ctx, r.store, enteID, refs.MeasureTypes, refs.GeneralMeasures); err != nil {
		return refs, err
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

// RegisterPage is one page of the register. Total is the number of rows the filter keeps, given only when
// asked (with_total): counting costs a pass over the whole register, which a page no longer needs (issue 19).
// HasMore says whether another page follows; NextCursor, when it does, reads it (keyset pagination: the next
// page reads only its own rows, however deep in the register). Page is 0 for a page read by cursor.
type RegisterPage struct {
	Items      []store.RegisterRow `json:"items"`
	Total      *int64              `json:"total,omitempty"`
	HasMore    bool                `json:"has_more"`
	NextCursor string              `json:"next_cursor,omitempty"`
	Page       int                 `json:"page"`
	PageSize   int                 `json:"page_size"`
}

// registerCursorScope names the list a register cursor belongs to: the ente, the cycle, the order and every
// filter (not the page size, which may change from page to page). A cursor of another list is refused.
func registerCursorScope(enteID, cycleID string, f store.RegisterFilter) string {
	cell := func(c *store.Cell) string {
		if c == nil {
			return ""
		}
		return fmt.Sprintf("%d-%d", c[0], c[1])
	}
	return fmt.Sprintf("register|map-order|%s|%s|%q|%q|%q|%q|%q|%q|%q|%q|%s|%s", enteID, cycleID, f.Unit, f.RiskArea,
		f.Level, f.MeasureType, f.MeasureStatus, f.State, f.Marker, strings.Join(strings.Fields(f.Text), " "),
		cell(f.InherentCell), cell(f.ResidualCell))
}

func cursorProblem(code, msg string) error {
	return &domain.ValidationError{Code: "filter_invalid", Problems: []domain.FieldError{{Field: "cursor", Code: code, Message: msg}}}
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
	return r.ListFrom(ctx, actor, cycleCode, f, "")
}

// ListFrom is List reading the page that follows a cursor (a previous page's next_cursor) when cursor is not
// empty: the same rows as the next page by number, read without walking the pages before it. A cursor that is
// not one, or another list's (another ente, cycle or filter), is a 422 naming cursor; so is a cursor with a
// page number other than 1.
func (r *Register) ListFrom(ctx context.Context, actor domain.Actor, cycleCode string, f store.RegisterFilter, cursor string) (*RegisterPage, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	if cursor != "" && f.Page > 1 {
		return nil, cursorProblem("cursor_with_page", "cursor reads the page after the cursor's: leave page out")
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
	scope := registerCursorScope(actor.EnteID, cycle.ID, f)
	if cursor != "" {
		var after store.RegisterKey
		switch err := pagecursor.Decode(cursor, scope, &after); {
		case errors.Is(err, pagecursor.ErrForeign):
			return nil, cursorProblem("cursor_foreign", "cursor belongs to another list (another cycle or other filters): start again from the first page")
		case err != nil:
			return nil, cursorProblem("cursor_malformed", "cursor is not a cursor of this register: use the next_cursor of a page")
		}
		f.After, f.Page = &after, 0
	}
	items, total, more, err := r.store.Register(ctx, actor.EnteID, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	page := &RegisterPage{Items: items, HasMore: more, Page: f.Page, PageSize: f.PageSize}
	if f.WithTotal {
		page.Total = &total
	}
	if more && len(items) > 0 {
		if page.NextCursor, err = pagecursor.Encode(scope, items[len(items)-1].Key()); err != nil {
			return nil, err
		}
	}
	return page, nil
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
