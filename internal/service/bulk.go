package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Bulk tools of the campaign: copy one leaf's assessment to other leaves, and link one measure to the risks of
// many leaves. Both first answer a preview (dry run) listing, per target, what would be created or overwritten
// and what is skipped and why; applying writes every eligible target in one transaction, with one audit record
// per target, through the same validation and storage as a save.

// MaxBulkTargets bounds the leaves one bulk request may touch.
const MaxBulkTargets = 300

// Measure modes of a copy.
const (
	CopyMeasuresLink = "link" // the targets' risks are treated by the source's measures themselves
	CopyMeasuresCopy = "copy" // each target gets its own copy of the source's measures
)

// CopyRequest copies a leaf's assessment to other leaves.
type CopyRequest struct {
	Targets  []string `json:"targets"`
	Measures string   `json:"measures"`
	DryRun   bool     `json:"dry_run"`
}

// LinkRequest links a measure to every risk of the target leaves.
type LinkRequest struct {
	Targets []string `json:"targets"`
	DryRun  bool     `json:"dry_run"`
}

// BulkTarget is what a bulk tool does, or would do, to one leaf.
type BulkTarget struct {
	Node string `json:"node"`
	// Action is create (the leaf has no assessment yet), overwrite (its content is replaced), link (the
	// measure is added to its risks) or skip.
	Action string `json:"action"`
	// Code and Message say why a target is skipped: not_found, not_leaf, same_as_source, duplicate,
	// forbidden (not one of the caller's units), not_editable (submitted or approved), no_risks,
	// already_linked, own_measure.
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// What the target has now and loses (overwrite), and what it gets.
	State            string `json:"state,omitempty"`
	RisksReplaced    int    `json:"risks_replaced"`
	MeasuresReplaced int    `json:"measures_replaced"`
	RisksCreated     int    `json:"risks_created"`
	MeasuresCreated  int    `json:"measures_created"`
	MeasuresLinked   int    `json:"measures_linked"`
	// Version is the target's version after applying.
	Version int64 `json:"version,omitempty"`
}

// BulkOutcome is the preview or the result of a bulk tool.
type BulkOutcome struct {
	DryRun  bool         `json:"dry_run"`
	Applied int          `json:"applied"` // targets written (0 in a preview)
	Skipped int          `json:"skipped"`
	Targets []BulkTarget `json:"targets"`
}

func bulkInvalid(field, code, msg string) error {
	return &domain.ValidationError{Code: "bulk_invalid", Problems: []domain.FieldError{{Field: field, Code: code, Message: msg}}}
}

func checkTargets(targets []string) error {
	if len(targets) == 0 {
		return bulkInvalid("targets", "required", "list at least one target leaf")
	}
	if len(targets) > MaxBulkTargets {
		return bulkInvalid("targets", "too_many", fmt.Sprintf("at most %d target leaves at once", MaxBulkTargets))
	}
	for i, t := range targets {
		if strings.TrimSpace(t) == "" || len(t) > 100 {
			return bulkInvalid(fmt.Sprintf("targets[%d]", i), "invalid", "a leaf code of 1 to 100 characters")
		}
	}
	return nil
}

// eligible is a target that passed the checks, with what it holds now.
type eligible struct {
	idx     int
	node    domain.Node
	current *domain.Assessment // nil when none yet
}

// screen checks each target: a leaf of the cycle, not the source, listed once, of the caller's units, not
// submitted or approved. read through st; the checks are repeated under lock when applying.
func (r *Register) screen(ctx context.Context, st *store.Store, actor domain.Actor, cycle *domain.Cycle, source string, targets []string, out []BulkTarget) ([]eligible, error) {
	var ok []eligible
	seen := map[string]bool{}
	for i, code := range targets {
		out[i] = BulkTarget{Node: code, Action: "skip"}
		skip := func(c, format string, args ...any) { out[i].Code, out[i].Message = c, fmt.Sprintf(format, args...) }
		switch {
		case code == source:
			skip("same_as_source", "the target is the source itself")
			continue
		case seen[code]:
			skip("duplicate", "listed twice")
			continue
		}
		seen[code] = true
		node, err := st.NodeByCode(ctx, actor.EnteID, cycle.ID, code)
		if errors.Is(err, domain.ErrNotFound) {
			skip("not_found", "no node %s in this cycle", code)
			continue
		}
		if err != nil {
			return nil, err
		}
		if !node.IsLeaf {
			skip("not_leaf", "%s has sub-nodes: assessments attach to leaves", code)
			continue
		}
		if !r.authz.Can(actor, authz.ObjAssessment, authz.ActWrite, node.Units...) {
			skip("forbidden", "%s belongs to %s, not to one of your units", code, strings.Join(node.Units, ", "))
			continue
		}
		current, err := st.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
		if errors.Is(err, domain.ErrNotFound) {
			current = nil
		} else if err != nil {
			return nil, err
		}
		if current != nil {
			out[i].State = string(current.State)
			if !current.State.Editable() {
				skip("not_editable", "the assessment of %s is %s", code, current.State)
				continue
			}
		}
		ok = append(ok, eligible{idx: i, node: node, current: current})
	}
	return ok, nil
}

// writeContent saves content prepared by a bulk tool into a target, under lock and at the version just read,
// keeping the stored completeness; the checks of screen are repeated. It answers what the caller's audit record
// holds: the content replaced (before) and the content written (after, with note's entries).
func (r *Register) writeContent(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, node domain.Node, in *domain.Assessment, note map[string]any) (version int64, before any, after map[string]any, err error) {
	ref, err := tx.LockAssessment(ctx, actor.EnteID, cycle.ID, node.ID)
	if err == nil && !ref.State.Editable() {
		return 0, nil, nil, domain.Conflict("assessment_not_editable", "the assessment of %s is %s: it cannot be edited now", node.Code, ref.State)
	} else if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return 0, nil, nil, err
	}
	current, err := tx.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return 0, nil, nil, err
	}
	var expect int64
	if current != nil {
		expect, before = current.Version, current
	}
	saved, err := tx.SaveAssessment(ctx, actor.EnteID, cycle.ID, node.ID, in, expect, actor.UserID)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s: %w", node.Code, err)
	}
	// As a save: the measures keep (or, copied, get) their link to the programme's general measures.
	if err := linkProgramme(ctx, tx, actor.EnteID, cycle.ID, node.ID, in.Measures); err != nil {
		return 0, nil, nil, err
	}
	if err := tx.SetCompleteness(ctx, actor.EnteID, cycle.ID, node.ID, len(in.Completeness.Missing)); err != nil {
		return 0, nil, nil, err
	}
	after = map[string]any{"content": in, "version": saved.Version, "retired_measures": saved.Retired, "deleted_measures": saved.Deleted}
	for k, v := range note {
		after[k] = v
	}
	return saved.Version, before, after, nil
}

// copyContent builds a target's new content from the source's: the risks with their judgements and reasons;
// the measures copied (new ones, same content) or linked (the source's own measures treat the target's risks).
// The target's current measures are removed: retired, with a reason naming the source, when something refers
// to them.
func copyContent(src *domain.Assessment, current *domain.Assessment, mode, source string) domain.Assessment {
	out := domain.Assessment{Risks: []domain.RiskEntry{}, Measures: []domain.Measure{}, Withdrawn: []domain.Measure{}}
	own := map[string]bool{}
	for _, m := range src.Measures {
		own[m.Key] = true
		if mode == CopyMeasuresCopy {
			c := m
			c.ID, c.Version, c.DerivedFrom, c.Missing = "", 0, "", nil
			c.Phases = append([]domain.Phase{}, m.Phases...)
			c.Indicators = append([]domain.MeasureIndicator{}, m.Indicators...)
			c.EnablingFactors = append([]string{}, m.EnablingFactors...)
			out.Measures = append(out.Measures, c)
		}
	}
	for _, r := range src.Risks {
		c := r
		c.ID, c.Version, c.InherentScore, c.ResidualScore = "", 0, nil, nil
		c.EnablingFactors = append([]string{}, r.EnablingFactors...)
		c.Inherent.Values = append([]domain.IndicatorValue{}, r.Inherent.Values...)
		if r.Residual != nil {
			res := *r.Residual
			res.Values = append([]domain.IndicatorValue{}, r.Residual.Values...)
			c.Residual = &res
		}
		c.Measures = []string{}
		for _, k := range r.Measures {
			// Own measures are referred to by key: in a copy the key names the copied measure; in a link it is
			// the source measure's id (keys read from storage are ids), a measure of the cycle. Measures of
			// other leaves are referred to by id in both modes.
			_ = own[k]
			c.Measures = append(c.Measures, k)
		}
		out.Risks = append(out.Risks, c)
	}
	if current != nil {
		for _, m := range current.Measures {
			out.Withdrawn = append(out.Withdrawn, domain.Measure{ID: m.ID, WithdrawnReason: "sostituita copiando la valutazione di " + source})
		}
	}
	return out
}

// CopyAssessment copies the assessment of a leaf to other leaves (a preview with DryRun), see the package
// comment of bulk.go. The caller must be able to write every target; targets that are not eligible are skipped
// and listed with the reason.
func (r *Register) CopyAssessment(ctx context.Context, actor domain.Actor, cycleCode, source string, in CopyRequest) (*BulkOutcome, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	if in.Measures == "" {
		in.Measures = CopyMeasuresLink
	}
	if in.Measures != CopyMeasuresLink && in.Measures != CopyMeasuresCopy {
		return nil, bulkInvalid("measures", "value_unknown", "measures must be link or copy")
	}
	if err := checkTargets(in.Targets); err != nil {
		return nil, err
	}
	cycle, node, err := r.leaf(ctx, actor, cycleCode, source)
	if err != nil {
		return nil, err
	}
	if !r.authz.Can(actor, authz.ObjAssessment, authz.ActWrite) && !r.authz.Can(actor, authz.ObjAssessment, authz.ActWrite, grantUnits(actor)...) {
		return nil, domain.Forbidden("forbidden", "only directors and referenti copy assessments")
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s: its register can no longer change", cycle.Code, cycle.State)
	}
	src, err := r.store.Assessment(ctx, actor.EnteID, cycle.ID, node.ID)
	if errors.Is(err, domain.ErrNotFound) || (err == nil && len(src.Risks) == 0) {
		return nil, domain.Conflict("source_empty", "the assessment of %s has no risks to copy", source)
	}
	if err != nil {
		return nil, err
	}
	meth, err := r.meths.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return nil, err
	}
	refs, err := r.refs(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	out := &BulkOutcome{DryRun: in.DryRun, Targets: make([]BulkTarget, len(in.Targets))}
	describe := func(t *BulkTarget, current *domain.Assessment) {
		t.Action = "create"
		if current != nil {
			t.Action, t.RisksReplaced, t.MeasuresReplaced = "overwrite", len(current.Risks), len(current.Measures)
		}
		t.RisksCreated = len(src.Risks)
		if in.Measures == CopyMeasuresCopy {
			t.MeasuresCreated = len(src.Measures)
		} else {
			t.MeasuresLinked = len(src.Measures)
		}
	}
	apply := func(tx *store.Store) error {
		ok, err := r.screen(ctx, tx, actor, cycle, source, in.Targets, out.Targets)
		if err != nil {
			return err
		}
		for _, e := range ok {
			t := &out.Targets[e.idx]
			describe(t, e.current)
			if in.DryRun {
				continue
			}
			content := copyContent(src, e.current, in.Measures, source)
			if err := content.Evaluate(meth.Profile, refs); err != nil {
				return fmt.Errorf("%s: %w", e.node.Code, err)
			}
			version, before, after, err := r.writeContent(ctx, tx, actor, cycle, e.node, &content, map[string]any{"copied_from": source, "measures": in.Measures})
			if err != nil {
				return err
			}
			if err := record(ctx, tx, actor, "assessment", cycle.Code+"/"+e.node.Code, "copy", before, after); err != nil {
				return err
			}
			t.Version = version
			out.Applied++
		}
		return nil
	}
	if in.DryRun {
		err = apply(r.store)
	} else {
		err = r.store.WithTx(ctx, apply)
	}
	if err != nil {
		return nil, err
	}
	if !in.DryRun {
		analyzeAfter(ctx, r.store, out.Applied, store.RegisterTables)
	}
	for _, t := range out.Targets {
		if t.Action == "skip" {
			out.Skipped++
		}
	}
	return out, nil
}

func grantUnits(actor domain.Actor) []string {
	var units []string
	for _, g := range actor.Grants {
		if g.UnitCode != "" && !slices.Contains(units, g.UnitCode) {
			units = append(units, g.UnitCode)
		}
	}
	return units
}

// LinkMeasure makes one measure treat every risk of the target leaves (one measure serving several actions):
// each target's risks get a link to it, through the same save as the editor's. Targets without risks, or
// whose risks all have it already, are skipped; so is the leaf that plans it.
func (r *Register) LinkMeasure(ctx context.Context, actor domain.Actor, cycleCode, measureID string, in LinkRequest) (*BulkOutcome, error) {
	if err := r.canRead(actor); err != nil {
		return nil, err
	}
	if err := checkTargets(in.Targets); err != nil {
		return nil, err
	}
	if !r.authz.Can(actor, authz.ObjAssessment, authz.ActWrite, grantUnits(actor)...) {
		return nil, domain.Forbidden("forbidden", "only directors and referenti link measures to actions")
	}
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if !validID(measureID) {
		return nil, domain.NotFound("measure_not_found", "no measure %s in this cycle", measureID)
	}
	owner, err := r.store.MeasureOwnerOf(ctx, actor.EnteID, cycle.ID, measureID)
	if err != nil {
		return nil, err
	}
	if owner.Withdrawn {
		return nil, domain.Conflict("measure_withdrawn", "measure %s was withdrawn: it no longer treats risks", measureID)
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
	out := &BulkOutcome{DryRun: in.DryRun, Targets: make([]BulkTarget, len(in.Targets))}
	apply := func(tx *store.Store) error {
		ok, err := r.screen(ctx, tx, actor, cycle, owner.NodeCode, in.Targets, out.Targets)
		if err != nil {
			return err
		}
		for i := range out.Targets {
			if out.Targets[i].Code == "same_as_source" {
				out.Targets[i].Code, out.Targets[i].Message = "own_measure", "the measure is planned by this leaf's own assessment"
			}
		}
		for _, e := range ok {
			t := &out.Targets[e.idx]
			if e.current == nil || len(e.current.Risks) == 0 {
				t.Code, t.Message = "no_risks", "the leaf has no risks yet: the measure would treat nothing"
				continue
			}
			content := *e.current
			content.Risks = append([]domain.RiskEntry{}, e.current.Risks...)
			added := 0
			for j := range content.Risks {
				if !slices.Contains(content.Risks[j].Measures, measureID) {
					content.Risks[j].Measures = append(append([]string{}, content.Risks[j].Measures...), measureID)
					added++
				}
			}
			if added == 0 {
				t.Code, t.Message = "already_linked", "every risk of the leaf is already treated by the measure"
				continue
			}
			t.Action, t.MeasuresLinked = "link", added
			if in.DryRun {
				continue
			}
			content.Withdrawn = []domain.Measure{}
			if err := content.Evaluate(meth.Profile, refs); err != nil {
				return fmt.Errorf("%s: %w", e.node.Code, err)
			}
			version, before, after, err := r.writeContent(ctx, tx, actor, cycle, e.node, &content,
				map[string]any{"measure": measureID, "measure_of": owner.NodeCode, "risks_linked": added})
			if err != nil {
				return err
			}
			if err := record(ctx, tx, actor, "assessment", cycle.Code+"/"+e.node.Code, "link_measure", before, after); err != nil {
				return err
			}
			t.Version = version
			out.Applied++
		}
		return nil
	}
	if in.DryRun {
		err = apply(r.store)
	} else {
		err = r.store.WithTx(ctx, apply)
	}
	if err != nil {
		return nil, err
	}
	if !in.DryRun {
		analyzeAfter(ctx, r.store, out.Applied, store.RegisterTables)
	}
	for _, t := range out.Targets {
		if t.Action == "skip" {
			out.Skipped++
		}
	}
	return out, nil
}
