package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Workflow moves assessments through review: submit, approve, return, reopen; comments; progress.
type Workflow struct {
	store *store.Store
	authz *authz.Authorizer
	reg   *Register
	now   func() time.Time
}

// NewWorkflow builds the workflow service.
func NewWorkflow(s *store.Store, az *authz.Authorizer, reg *Register) *Workflow {
	return &Workflow{store: s, authz: az, reg: reg, now: time.Now}
}

// SetClock replaces the clock (tests of deadlines).
func (w *Workflow) SetClock(now func() time.Time) { w.now = now }

// TransitionResult is the outcome of one transition.
type TransitionResult struct {
	Node    string                 `json:"node"`
	OK      bool                   `json:"ok"`
	State   domain.AssessmentState `json:"state,omitempty"`
	Version int64                  `json:"version,omitempty"`
	Code    string                 `json:"code,omitempty"`  // why it failed
	Error   string                 `json:"error,omitempty"` // in English
}

func (w *Workflow) mayTransition(actor domain.Actor, t domain.Transition, units []string) error {
	act := authz.ActReview
	if t == domain.TransitionSubmit {
		act = authz.ActSubmit
	}
	if !w.authz.Can(actor, authz.ObjAssessment, act, units...) {
		if t == domain.TransitionSubmit {
			return domain.Forbidden("forbidden", "only a director of one of the leaf's units may submit its assessment")
		}
		return domain.Forbidden("forbidden", "only the RPCT may %s an assessment", t)
	}
	return nil
}

// transition applies t to one leaf inside tx.
func (w *Workflow) transition(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, node domain.Node, t domain.Transition, comment string) (TransitionResult, error) {
	res := TransitionResult{Node: node.Code}
	if cycle.State != domain.CycleOpen {
		return res, domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
	}
	if err := w.mayTransition(actor, t, node.Units); err != nil {
		return res, err
	}
	if t == domain.TransitionSubmit {
		// A leaf owned by several units is submitted by its lead unit only (see campaign.go).
		lead, err := leadUnit(ctx, tx, actor.EnteID, cycle, node)
		if err != nil {
			return res, err
		}
		if err := mayLead(w.authz, actor, node, lead); err != nil {
			return res, err
		}
	}
	ref, err := tx.LockAssessment(ctx, actor.EnteID, cycle.ID, node.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return res, &domain.TransitionError{From: domain.StateDraft, Transition: t}
	}
	if err != nil {
		return res, err
	}
	next, err := ref.State.Apply(t, comment)
	if err != nil {
		return res, err
	}
	if err := domain.FourEyes(t, ref.SubmittedBy, actor.UserID); err != nil {
		return res, err
	}
	var submitted *domain.Assessment
	if t == domain.TransitionSubmit {
		// A draft is saved as it is; only what is submitted must be complete. Read after LockAssessment, so
		// the content checked is the content submitted.
		if submitted, err = w.checkComplete(ctx, tx, actor, cycle, node); err != nil {
			return res, err
		}
	}
	if t == domain.TransitionApprove {
		// Read after LockAssessment: a save of this assessment waits for the lock, so none slips in between.
		editors, err := tx.ContentEditorsSinceApproval(ctx, actor.EnteID, cycle.Code+"/"+node.Code)
		if err != nil {
			return res, err
		}
		if err := domain.FourEyesContent(t, editors, actor.UserID); err != nil {
			return res, err
		}
	}
	version, err := tx.MoveAssessment(ctx, ref, next, t, actor.UserID)
	if err != nil {
		return res, err
	}
	if t == domain.TransitionSubmit {
		// Signed: it no longer waits in the "da firmare" list, nor after a return.
		if _, err := tx.ClearHandOff(ctx, actor.EnteID, ref.ID); err != nil {
			return res, err
		}
	}
	if strings.TrimSpace(comment) != "" {
		if _, err := tx.AddComment(ctx, actor.EnteID, ref.ID, string(t), actor.UserID, actor.Username, strings.TrimSpace(comment)); err != nil {
			return res, err
		}
	}
	if next == domain.StateApproved {
		// The approved content is kept, so a later reopening never loses what was approved.
		current, err := tx.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
		if err != nil {
			return res, err
		}
		content, _ := json.Marshal(current)
		if err := tx.AddHistory(ctx, actor.EnteID, ref.ID, version, next, string(content)); err != nil {
			return res, err
		}
	}
	if err := notifyTransition(ctx, tx, actor, cycle, node, t, strings.TrimSpace(comment)); err != nil {
		return res, err
	}
	after := map[string]any{"state": next, "version": version, "comment": strings.TrimSpace(comment)}
	if submitted != nil {
		// The content submitted, scored: saves record only what they change, so the review compares a
		// submission with the previous one through these (issue 19).
		after["content"] = submitted
	}
	if err := record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, string(t),
		map[string]any{"state": ref.State, "version": ref.Version}, after); err != nil {
		return res, err
	}
	res.OK, res.State, res.Version = true, next, version
	return res, nil
}

// checkComplete refuses, with a 422 listing every missing item by field path, to submit an incomplete
// assessment, and otherwise returns the content submitted, scored.
func (w *Workflow) checkComplete(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, node domain.Node) (*domain.Assessment, error) {
	current, err := tx.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
	if err != nil {
		return nil, err
	}
	var profile domain.Profile
	if len(current.Risks) > 0 {
		meth, err := loadMethodology(ctx, tx, actor.EnteID, cycle)
		if err != nil {
			return nil, err
		}
		profile = meth.Profile
		score(profile, current)
	}
	current.Node, current.Cycle = node.Code, cycle.Code
	return current, current.CheckCompleteness(profile).IncompleteError()
}

// recordRefusal keeps a refused four-eyes approval on the trail, in its own transaction (the refused change
// itself is not written).
func (w *Workflow) recordRefusal(ctx context.Context, actor domain.Actor, cycle *domain.Cycle, node domain.Node, err error) {
	if code := domain.CodeOf(err); code != "four_eyes" && code != "four_eyes_editor" {
		return
	}
	_ = w.store.WithTx(ctx, func(tx *store.Store) error {
		return record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, "approve_refused_four_eyes", nil, nil)
	})
}

func validAction(t domain.Transition) error {
	switch t {
	case domain.TransitionSubmit, domain.TransitionApprove, domain.TransitionReturn, domain.TransitionReopen:
		return nil
	}
	return &domain.ValidationError{Code: "transition_invalid", Problems: []domain.FieldError{{Field: "action",
		Code: "transition_unknown", Message: "action must be submit, approve, return or reopen"}}}
}

// Transition applies one transition to the assessment of a leaf.
func (w *Workflow) Transition(ctx context.Context, actor domain.Actor, cycleCode, code string, t domain.Transition, comment string) (TransitionResult, error) {
	if err := w.reg.canRead(actor); err != nil {
		return TransitionResult{}, err
	}
	cycle, node, err := w.reg.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return TransitionResult{}, err
	}
	if err := validAction(t); err != nil {
		return TransitionResult{}, err
	}
	var res TransitionResult
	err = w.store.WithTx(ctx, func(tx *store.Store) (err error) {
		res, err = w.transition(ctx, tx, actor, cycle, node, t, comment)
		return err
	})
	if err != nil {
		w.recordRefusal(ctx, actor, cycle, node, err)
	}
	return res, err
}

// BulkTransition applies one action to several leaves: the listed ones, or (to submit) every draft of a
// unit. Each leaf gets its own result; with AllOrNothing one failure rolls back every leaf.
type BulkTransition struct {
	Action       domain.Transition `json:"action"`
	Nodes        []string          `json:"nodes"`
	Unit         string            `json:"unit"`
	Comment      string            `json:"comment"`
	AllOrNothing bool              `json:"all_or_nothing"`
}

// BulkResult reports a bulk transition.
type BulkResult struct {
	Results    []TransitionResult `json:"results"`
	Succeeded  int                `json:"succeeded"`
	Failed     int                `json:"failed"`
	RolledBack bool               `json:"rolled_back"`
}

// Bulk applies a transition to many leaves.
func (w *Workflow) Bulk(ctx context.Context, actor domain.Actor, cycleCode string, in BulkTransition) (*BulkResult, error) {
	if err := w.reg.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := w.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if err := validAction(in.Action); err != nil {
		return nil, err
	}
	nodes := in.Nodes
	if in.Unit != "" {
		if in.Action != domain.TransitionSubmit || len(in.Nodes) > 0 {
			return nil, &domain.ValidationError{Code: "bulk_invalid", Problems: []domain.FieldError{{Field: "unit", Code: "not_allowed",
				Message: "unit selects the drafts of a unit to submit; list nodes for the other actions"}}}
		}
		if nodes, err = w.store.DraftLeavesOfUnit(ctx, actor.EnteID, cycle.ID, in.Unit); err != nil {
			return nil, err
		}
	}
	if len(nodes) == 0 {
		return &BulkResult{Results: []TransitionResult{}}, nil
	}
	if len(nodes) > 2000 {
		return nil, &domain.ValidationError{Code: "bulk_invalid", Problems: []domain.FieldError{{Field: "nodes", Code: "too_many", Message: "at most 2000 leaves at once"}}}
	}
	out := &BulkResult{Results: make([]TransitionResult, len(nodes))}
	one := func(tx *store.Store, i int, code string) error {
		out.Results[i] = TransitionResult{Node: code}
		node, err := tx.NodeByCode(ctx, actor.EnteID, cycle.ID, code)
		if err == nil && !node.IsLeaf {
			err = domain.Conflict("node_not_leaf", "%s is not a leaf", code)
		}
		if err == nil {
			out.Results[i], err = w.transition(ctx, tx, actor, cycle, node, in.Action, in.Comment)
		}
		if err != nil {
			out.Results[i].OK, out.Results[i].Code, out.Results[i].Error = false, domain.CodeOf(err), err.Error()
			if te := (*domain.TransitionError)(nil); errors.As(err, &te) {
				out.Results[i].State = te.From
			}
		}
		return err
	}
	if in.AllOrNothing {
		failed := errors.New("bulk failed")
		err := w.store.WithTx(ctx, func(tx *store.Store) error {
			bad := false
			for i, code := range nodes {
				if one(tx, i, code) != nil {
					bad = true
				}
			}
			if bad {
				return failed
			}
			return nil
		})
		if err != nil && !errors.Is(err, failed) {
			return nil, err
		}
		out.RolledBack = err != nil
	} else {
		for i, code := range nodes {
			_ = w.store.WithTx(ctx, func(tx *store.Store) error { return one(tx, i, code) })
		}
	}
	for i := range out.Results {
		if out.Results[i].OK && !out.RolledBack {
			out.Succeeded++
		} else {
			if out.RolledBack && out.Results[i].OK {
				out.Results[i].OK, out.Results[i].Code = false, "rolled_back"
			}
			out.Failed++
		}
	}
	return out, nil
}

// Comments returns the review thread of a leaf's assessment.
func (w *Workflow) Comments(ctx context.Context, actor domain.Actor, cycleCode, code string) ([]store.Comment, error) {
	if err := w.reg.canRead(actor); err != nil {
		return nil, err
	}
	cycle, node, err := w.reg.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return nil, err
	}
	ref, err := w.store.LockAssessment(ctx, actor.EnteID, cycle.ID, node.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return []store.Comment{}, nil
	}
	if err != nil {
		return nil, err
	}
	thread, err := w.store.Comments(ctx, actor.EnteID, ref.ID)
	if err != nil {
		return nil, err
	}
	return thread, w.withFullNames(ctx, actor.EnteID, thread)
}

// withFullNames sets each comment's author's current full name (people are shown by full name; the comment
// stores the username it was written under), in one query for the whole thread.
func (w *Workflow) withFullNames(ctx context.Context, enteID string, thread []store.Comment) error {
	ids := make([]string, len(thread))
	for i, c := range thread {
		ids[i] = c.AuthorID
	}
	names, err := w.store.UserNames(ctx, enteID, ids)
	if err != nil {
		return err
	}
	for i := range thread {
		thread[i].AuthorFullName = names[thread[i].AuthorID]
	}
	return nil
}

// AddComment posts to the thread: the RPCT, and the directors and referenti of the leaf's units.
func (w *Workflow) AddComment(ctx context.Context, actor domain.Actor, cycleCode, code, body string) (store.Comment, error) {
	if err := w.reg.canRead(actor); err != nil {
		return store.Comment{}, err
	}
	cycle, node, err := w.reg.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return store.Comment{}, err
	}
	if !w.authz.Can(actor, authz.ObjAssessment, authz.ActReview, node.Units...) &&
		!w.authz.Can(actor, authz.ObjAssessment, authz.ActWrite, node.Units...) {
		return store.Comment{}, domain.Forbidden("forbidden", "only the RPCT and the leaf's directors and referenti comment")
	}
	body = strings.TrimSpace(body)
	if body == "" || len(body) > 10000 {
		return store.Comment{}, &domain.ValidationError{Code: "comment_invalid", Problems: []domain.FieldError{
			{Field: "body", Code: "required", Message: "a comment of 1 to 10000 characters"}}}
	}
	var out store.Comment
	err = w.store.WithTx(ctx, func(tx *store.Store) error {
		ref, err := tx.LockAssessment(ctx, actor.EnteID, cycle.ID, node.ID)
		if err != nil {
			return err
		}
		thread, err := tx.Comments(ctx, actor.EnteID, ref.ID)
		if err != nil {
			return err
		}
		if out, err = tx.AddComment(ctx, actor.EnteID, ref.ID, "comment", actor.UserID, actor.Username, body); err != nil {
			return err
		}
		if err := notifyComment(ctx, tx, actor, cycle, node, thread, body); err != nil {
			return err
		}
		return record(ctx, tx, actor, "assessment", cycle.Code+"/"+node.Code, "comment", nil, out)
	})
	if err != nil {
		return out, err
	}
	one := []store.Comment{out}
	err = w.withFullNames(ctx, actor.EnteID, one)
	return one[0], err
}

// Progress is the state of the campaign per unit.
type Progress struct {
	Cycle    string               `json:"cycle"`
	Deadline string               `json:"deadline"`
	Overdue  bool                 `json:"overdue"` // the deadline has passed
	Units    []store.UnitProgress `json:"units"`
	// Total counts each leaf once, whatever the number of its units (the per-unit figures count a leaf of
	// several units under each); shown to who sees every unit.
	Total *store.UnitProgress `json:"total,omitempty"`
}

// Progress counts, per unit, the leaves in each state and the overdue ones; a director sees their units.
func (w *Workflow) Progress(ctx context.Context, actor domain.Actor, cycleCode string) (*Progress, error) {
	if err := w.reg.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := w.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	return w.progress(ctx, actor, cycle)
}

// progress is Progress for a cycle already read (the dashboard reads it once for all its figures).
func (w *Workflow) progress(ctx context.Context, actor domain.Actor, cycle *domain.Cycle) (*Progress, error) {
	units, err := w.store.Progress(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	deadline, err := w.store.CampaignDeadline(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	p := &Progress{Cycle: cycle.Code, Deadline: deadline, Units: []store.UnitProgress{}}
	if deadline != "" {
		if d, err := time.Parse("2006-01-02", deadline); err == nil && w.now().After(d.Add(24*time.Hour)) {
			p.Overdue = true
		}
	}
	allUnits := w.authz.Can(actor, authz.ObjAssessment, authz.ActReview) || w.authz.Can(actor, authz.ObjAudit, authz.ActRead)
	mine := map[string]bool{}
	for _, g := range actor.Grants {
		mine[g.UnitCode] = true
	}
	for _, u := range units {
		if !allUnits && !mine[u.Unit] {
			continue
		}
		if p.Overdue {
			u.Overdue = u.States["not_started"] + u.States[string(domain.StateDraft)] + u.States[string(domain.StateReturned)]
		}
		p.Units = append(p.Units, u)
	}
	if allUnits {
		total, err := w.store.ProgressTotals(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return nil, err
		}
		if p.Overdue {
			total.Overdue = total.States["not_started"] + total.States[string(domain.StateDraft)] + total.States[string(domain.StateReturned)]
		}
		total.Unit = ""
		p.Total = &total
	}
	return p, nil
}

// SetDeadline sets the campaign deadline of an open cycle (the RPCT).
func (w *Workflow) SetDeadline(ctx context.Context, actor domain.Actor, cycleCode, deadline string) (*Progress, error) {
	if !w.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return nil, domain.Forbidden("forbidden", "only the RPCT manages the cycle")
	}
	cycle, err := w.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if !domain.IsDate(deadline) {
		return nil, &domain.ValidationError{Code: "deadline_invalid", Problems: []domain.FieldError{
			{Field: "deadline", Code: "date_invalid", Message: "deadline must be a date as YYYY-MM-DD"}}}
	}
	before, _ := w.store.CampaignDeadline(ctx, actor.EnteID, cycle.ID)
	err = w.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.SetCampaignDeadline(ctx, actor.EnteID, cycle.ID, deadline); err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", cycle.Code, "set_deadline", map[string]string{"deadline": before}, map[string]string{"deadline": deadline})
	})
	if err != nil {
		return nil, err
	}
	return w.Progress(ctx, actor, cycleCode)
}
