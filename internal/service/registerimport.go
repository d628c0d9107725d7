package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/registerimport"
	"github.com/argine-pa/argine/internal/store"
)

// ImportOptions says how to run a register import.
type ImportOptions struct {
	DryRun bool
	// Confirmed are the codes of the leaves whose title mismatch the user confirmed: only those are attached.
	Confirmed []string
	// Mapping, when not nil, is the column mapping to use; nil uses the ente's saved one.
	Mapping map[string]string
}

// ImportReport is the preview, or the outcome, of a register import.
type ImportReport struct {
	registerimport.Result
	DryRun    bool `json:"dry_run"`
	Committed bool `json:"committed"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Skipped   int  `json:"skipped"`
}

// Reasons a leaf of an import is skipped.
const (
	SkipNotEditable = "assessment_not_editable"
	SkipUnconfirmed = "title_mismatch_unconfirmed"
	SkipHasProblems = "leaf_has_problems"
	ActionCreate    = "create"
	ActionUpdate    = "update"
	ActionUnchanged = "unchanged"
	ActionSkipped   = "skipped"
)

func (r *Register) canImport(actor domain.Actor) error {
	if !r.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return domain.Forbidden("forbidden", "only the RPCT may import a register")
	}
	return nil
}

// ImportRegister reads a register spreadsheet into the drafts of a cycle. A dry run reports, per leaf, what
// would be created or updated and what is skipped and why, and every problem of the file with its place; a
// commit writes all the leaves in one transaction, or nothing when the file has problems. It never writes
// over a submitted or approved assessment, attaches a leaf whose title differs from the map's only when
// confirmed, and leaves untouched a leaf whose content is already what the file says: importing the same
// file again changes nothing and records nothing.
func (r *Register) ImportRegister(ctx context.Context, actor domain.Actor, cycleCode, fileName string, data []byte, opt ImportOptions) (*ImportReport, error) {
	if err := r.canImport(actor); err != nil {
		return nil, err
	}
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s: its register can no longer change", cycle.Code, cycle.State)
	}
	wb, err := registerimport.Read(fileName, data)
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
	nodes, err := r.store.Nodes(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	mapping := opt.Mapping
	if mapping == nil {
		saved, err := r.store.RegisterImportMapping(ctx, actor.EnteID)
		if err != nil {
			return nil, err
		}
		mapping = saved.Columns
	}
	in := registerimport.Input{Profile: meth.Profile, Refs: refs, Mapping: mapping, Confirmed: map[string]bool{}}
	for _, c := range opt.Confirmed {
		in.Confirmed[strings.TrimSpace(c)] = true
	}
	ids := map[string]string{}
	for _, n := range nodes {
		in.Nodes = append(in.Nodes, registerimport.MapLeaf{Code: n.Code, Title: n.Title, IsLeaf: n.IsLeaf})
		ids[n.Code] = n.ID
	}
	res := registerimport.Parse(wb, in)
	rep := &ImportReport{Result: *res, DryRun: opt.DryRun}
	problemLeaves := res.ProblemLeaves
	// A row may refer to another leaf's measure ("A1.1.1.2#M1"): one the file does not plan must be stored.
	refOf, err := r.store.MeasureRefs(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	idOf := make(map[string]string, len(refOf))
	for id, ref := range refOf {
		idOf[ref] = id
	}
	for _, plan := range rep.Leaves {
		for _, l := range plan.Links {
			if !l.InFile && idOf[l.Ref] == "" {
				problemLeaves[plan.Code] = true
				rep.Problems = append(rep.Problems, domain.FieldError{File: l.Sheet, Line: l.Line, Column: l.Column, Field: export.ColMeasureKey,
					Code: "linked_measure_unknown", Message: fmt.Sprintf("%s: %s has no measure %s, in the file or in the register", l.Ref, l.Owner, l.Key)})
			}
		}
	}
	type write struct {
		plan    *registerimport.LeafPlan
		nodeID  string
		current *domain.Assessment
	}
	currents, err := r.currentAssessments(ctx, actor.EnteID, cycle.ID, rep.Leaves, ids)
	if err != nil {
		return nil, err
	}
	var writes []write
	for i, plan := range rep.Leaves {
		current := currents[i]
		switch {
		case plan.Assessment == nil || problemLeaves[plan.Code]:
			plan.Action, plan.Reason = ActionSkipped, SkipHasProblems
		case current != nil && registerimport.Canonical(registerimport.WithLinkRefs(current, refOf)) == registerimport.Canonical(plan.Assessment):
			plan.Action = ActionUnchanged // whatever its state: there is nothing to write
		case current != nil && !current.State.Editable():
			plan.Action, plan.Reason = ActionSkipped, SkipNotEditable
		case plan.NeedsConfirmation && !plan.Confirmed:
			plan.Action, plan.Reason = ActionSkipped, SkipUnconfirmed
		case current == nil:
			plan.Action = ActionCreate
		default:
			plan.Action = ActionUpdate
		}
		switch plan.Action {
		case ActionCreate:
			rep.Created++
		case ActionUpdate:
			rep.Updated++
		case ActionUnchanged:
			rep.Unchanged++
		default:
			rep.Skipped++
		}
		if plan.Action == ActionCreate || plan.Action == ActionUpdate {
			writes = append(writes, write{plan, ids[plan.Code], current})
		}
	}
	if opt.DryRun {
		return rep, nil
	}
	if len(rep.Problems) > 0 {
		return nil, &domain.ValidationError{Code: "import_invalid", Problems: rep.Problems}
	}
	if len(writes) == 0 {
		rep.Committed = true
		return rep, nil
	}
	err = r.store.WithTx(ctx, func(tx *store.Store) error {
		// A leaf linking another leaf's measure is saved after that leaf, its references then read as ids.
		pending := map[string]bool{}
		for _, w := range writes {
			pending[w.plan.Code] = true
		}
		ready := func(w write) bool {
			for _, l := range w.plan.Links {
				if pending[l.Owner] && l.Owner != w.plan.Code {
					return false
				}
			}
			return true
		}
		for len(writes) > 0 {
			i := slices.IndexFunc(writes, ready)
			if i < 0 {
				return domain.Conflict("linked_measure_cycle", "the actions %s link each other's measures: import one of them first without the link", writes[0].plan.Code)
			}
			w := writes[i]
			writes = slices.Delete(writes, i, i+1)
			delete(pending, w.plan.Code)
			a := w.plan.Assessment
			for _, l := range w.plan.Links {
				id := idOf[l.Ref]
				if id == "" {
					return domain.Conflict("linked_measure_unknown", "%s: %s has no measure %s", w.plan.Code, l.Owner, l.Key)
				}
				for ri := range a.Risks {
					for mi, k := range a.Risks[ri].Measures {
						if k == l.Ref {
							a.Risks[ri].Measures[mi] = id
						}
					}
				}
			}
			var version int64
			if w.current != nil {
				version = w.current.Version
				// Risks and measures keep their identities where they stand at the same place.
				for i := range a.Risks {
					if i < len(w.current.Risks) {
						a.Risks[i].ID = w.current.Risks[i].ID
					}
				}
				for i := range a.Measures {
					if i < len(w.current.Measures) {
						// The link to the ente's programme measure is not in the spreadsheet: it stays as it was.
						a.Measures[i].ID, a.Measures[i].ProgrammeMeasure = w.current.Measures[i].ID, w.current.Measures[i].ProgrammeMeasure
					}
				}
			}
			if ref, err := tx.LockAssessment(ctx, actor.EnteID, cycle.ID, w.nodeID); err == nil && !ref.State.Editable() {
				return domain.Conflict("assessment_not_editable", "the assessment of %s is %s: it cannot be imported over", w.plan.Code, ref.State)
			} else if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return err
			}
			saved, err := tx.SaveAssessment(ctx, actor.EnteID, cycle.ID, w.nodeID, a, version, actor.UserID)
			if err != nil {
				return fmt.Errorf("%s: %w", w.plan.Code, err)
			}
			for i, m := range saved.Measures {
				idOf[export.MeasureRef(w.plan.Code, i+1)] = m.ID
			}
			after := *a
			after.Node, after.Cycle, after.Version, after.State = w.plan.Code, cycle.Code, saved.Version, domain.StateDraft
			var before any
			if w.current != nil {
				before = w.current
			}
			if err := record(ctx, tx, actor, "assessment", cycle.Code+"/"+w.plan.Code, "import", before, after); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, "register_import", cycle.Code, "import", nil, map[string]any{
			"file": fileName, "format": res.Format, "created": rep.Created, "updated": rep.Updated,
			"unchanged": rep.Unchanged, "skipped": rep.Skipped})
	})
	if err != nil {
		return nil, err
	}
	analyzeAfter(ctx, r.store, rep.Created+rep.Updated, store.RegisterTables)
	rep.Committed = true
	return rep, nil
}

// ImportMapping returns the ente's saved column mapping for the register import, with the layout's columns.
func (r *Register) ImportMapping(ctx context.Context, actor domain.Actor) (*store.ImportMapping, error) {
	if err := r.canImport(actor); err != nil {
		return nil, err
	}
	m, err := r.store.RegisterImportMapping(ctx, actor.EnteID)
	return &m, err
}

// maxMappingHeader bounds a header in a saved mapping, in characters.
const maxMappingHeader = 200

// SaveImportMapping saves the ente's column mapping at the version read. Keys must be columns of the
// register layout (indicator columns of any methodology are accepted by their shape).
func (r *Register) SaveImportMapping(ctx context.Context, actor domain.Actor, columns map[string]string, version int64) (*store.ImportMapping, error) {
	if err := r.canImport(actor); err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, c := range export.RegisterLayout(domain.Profile{}) {
		known[c.Key] = true
	}
	var problems []domain.FieldError
	clean := map[string]string{}
	if len(columns) > 200 {
		problems = append(problems, domain.FieldError{Field: "columns", Code: "too_many", Message: "at most 200 columns"})
	}
	for k, h := range columns {
		indicator := strings.HasPrefix(strings.TrimPrefix(k, export.ResidualPrefix), "ind:") && strings.Count(k, ":") >= 2
		switch {
		case !known[k] && !indicator:
			problems = append(problems, domain.FieldError{Field: "columns." + k, Code: "column_unknown", Message: "not a column of the register layout"})
		case len([]rune(h)) > maxMappingHeader:
			problems = append(problems, domain.FieldError{Field: "columns." + k, Code: "too_long", Message: "at most 200 characters"})
		case strings.TrimSpace(h) != "":
			clean[k] = strings.TrimSpace(h)
		}
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "mapping_invalid", Problems: problems}
	}
	err := r.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := tx.RegisterImportMapping(ctx, actor.EnteID)
		if err != nil {
			return err
		}
		v, err := tx.SaveRegisterImportMapping(ctx, actor.EnteID, clean, version, actor.UserID)
		if err != nil {
			return err
		}
		// before has the shape of after, so the audit screen compares them field by field; before the first
		// save there is no mapping: an empty before shows both fields as added.
		prev := map[string]any{}
		if before.Version > 0 {
			prev["columns"] = before.Columns
			prev["version"] = before.Version
		}
		return record(ctx, tx, actor, "register_import_mapping", actor.EnteCode, "save", prev, map[string]any{"columns": clean, "version": v})
	})
	if err != nil {
		return nil, err
	}
	return r.ImportMapping(ctx, actor)
}

// FilteredExportSource is ExportSource keeping only the register rows the filter keeps (the register
// screen's filters), so "Esporta" writes what is on screen. An empty filter keeps everything.
func (c *Cycles) FilteredExportSource(ctx context.Context, actor domain.Actor, cycleCode string, f store.RegisterFilter) (export.Source, error) {
	src, err := c.ExportSource(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	if src, err = c.withMonitoring(ctx, actor, cycleCode, src); err != nil {
		return nil, err
	}
	f.Page, f.PageSize = 0, 0
	if f == (store.RegisterFilter{}) {
		return src, nil
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if err := c.reg.checkRegisterFilter(ctx, actor.EnteID, cycle, f); err != nil {
		return nil, err
	}
	ids, err := c.store.RegisterRiskIDs(ctx, actor.EnteID, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	keep := make(map[string]bool, len(ids))
	for _, id := range ids {
		keep[id] = true
	}
	return export.Filtered(src, func(id string) bool { return keep[id] }), nil
}

// ImportTemplate writes registro-modello.xlsx for a cycle: its methodology's indicator columns and the
// drop-down lists of the ente's catalogues and the cycle's map.
func (r *Register) ImportTemplate(ctx context.Context, actor domain.Actor, cycleCode string, w io.Writer) error {
	if err := r.canImport(actor); err != nil {
		return err
	}
	cycle, err := r.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return err
	}
	meth, err := r.meths.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return err
	}
	var lists export.TemplateLists
	if lists.Units, lists.Objectives, lists.Areas, err = r.store.Refs(ctx, actor.EnteID, cycle.ID); err != nil {
		return err
	}
	types, err := r.store.MeasureTypes(ctx, actor.EnteID)
	if err != nil {
		return err
	}
	for _, t := range types {
		lists.MeasureTypes = append(lists.MeasureTypes, domain.RefItem{Code: t.Code, Title: t.Name})
	}
	generals, err := r.store.GeneralMeasures(ctx, actor.EnteID)
	if err != nil {
		return err
	}
	for _, g := range generals {
		lists.GeneralMeasures = append(lists.GeneralMeasures, domain.RefItem{Code: g.Code, Title: g.Name})
	}
	events, err := r.store.RiskEvents(ctx, actor.EnteID, store.RiskEventFilter{})
	if err != nil {
		return err
	}
	for _, e := range events {
		lists.Events = append(lists.Events, domain.RefItem{Code: e.Code, Title: e.Description})
	}
	return export.WriteImportTemplate(w, meth.Profile, lists)
}

// CommandLineActor is whoever runs the command line, acting for the ente as its RPCT (the register import):
// the operator already holds the database; the audit trail names the command line.
func CommandLineActor(t Tenant) domain.Actor {
	a := operator(t.EnteID)
	a.EnteCode, a.Grants, a.GrantsVersion = t.EnteCode, []domain.Grant{{Role: domain.RoleRPCT}}, 1
	return a
}

// monitoredSource adds the measures' latest monitoring outcome to a source's metadata.
type monitoredSource struct {
	export.Source
	meta export.Meta
}

func (m monitoredSource) Meta() export.Meta { return m.meta }

// withMonitoring gives the register spreadsheet its "Stato del monitoraggio" column: the outcome of each
// measure in the latest closed monitoring round ("attuata (rilevazione al 30/06/2026)").
func (c *Cycles) withMonitoring(ctx context.Context, actor domain.Actor, cycleCode string, src export.Source) (export.Source, error) {
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	round, err := c.store.LatestClosedRound(ctx, actor.EnteID, cycle.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return src, nil
	}
	if err != nil {
		return nil, err
	}
	entries, err := c.store.MonitoringEntries(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	meta := src.Meta()
	meta.MeasureMonitoring = make(map[string]string, len(entries))
	for _, e := range entries {
		if e.Status == "" {
			continue
		}
		words := strings.ReplaceAll(strings.ReplaceAll(string(e.Status), "_", " "), "non piu ", "non più ")
		meta.MeasureMonitoring[e.MeasureID] = words + " (rilevazione al " + export.ShortDate(round.ReferenceDate) + ")"
	}
	return monitoredSource{Source: src, meta: meta}, nil
}

// currentAssessments reads the stored assessment of each leaf of the import (nil where none yet), in order,
// in a few statements for the whole file.
func (r *Register) currentAssessments(ctx context.Context, enteID, cycleID string, leaves []*registerimport.LeafPlan, ids map[string]string) ([]*domain.Assessment, error) {
	nodeIDs := make([]string, len(leaves))
	for i, l := range leaves {
		nodeIDs[i] = ids[l.Code]
	}
	byNode, err := r.store.AssessmentsOfNodes(ctx, enteID, cycleID, nodeIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Assessment, len(leaves))
	for i, id := range nodeIDs {
		out[i] = byNode[id]
	}
	return out, nil
}
