package service_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func targetOf(t *testing.T, out *service.BulkOutcome, node string) service.BulkTarget {
	t.Helper()
	for _, x := range out.Targets {
		if x.Node == node {
			return x
		}
	}
	t.Fatalf("target %s not reported: %+v", node, out.Targets)
	return service.BulkTarget{}
}

// TestCopyAssessment: the preview lists per target what is created or overwritten and what is skipped, and
// writes nothing; applying copies risks with their judgements and reasons, and the measures as links or as
// copies, in one transaction with an audit record per target.
func TestCopyAssessment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		dirBoth := actorWith(x.tn, "dirboth", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"}, domain.Grant{Role: domain.RoleDirector, UnitCode: "SG"})
		src, err := x.reg.SaveAssessment(ctx, dirBoth, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		// A1.1.1.1 (SG, AD1) already has a draft of one risk; B2.2.1.1 belongs to AD2.
		one := sampleAssessment(0)
		one.Risks, one.Measures = one.Risks[1:], one.Measures[1:]
		if _, err := x.reg.SaveAssessment(ctx, dirBoth, "2026-2028", "A1.1.1.1", one); err != nil {
			t.Fatal(err)
		}
		targets := []string{"A1.1.1.1", "B2.2.1.1", "A1.1.1", "A1.1.1.2", "Z9", "A1.1.1.1"}
		preview, err := x.reg.CopyAssessment(ctx, dirBoth, "2026-2028", "A1.1.1.2", service.CopyRequest{Targets: targets, Measures: "copy", DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := targetOf(t, preview, "A1.1.1.1"); got.Action != "overwrite" || got.RisksReplaced != 1 || got.MeasuresReplaced != 1 ||
			got.RisksCreated != 2 || got.MeasuresCreated != 2 {
			t.Fatalf("preview of A1.1.1.1: %+v", got)
		}
		wantSkip := map[int]string{1: "forbidden", 2: "not_leaf", 3: "same_as_source", 4: "not_found", 5: "duplicate"}
		for i, code := range wantSkip {
			if preview.Targets[i].Action != "skip" || preview.Targets[i].Code != code {
				t.Errorf("target %d: %+v, want skip %s", i, preview.Targets[i], code)
			}
		}
		if preview.Applied != 0 || preview.Skipped != 5 {
			t.Fatalf("preview counts: %+v", preview)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1"); len(a.Risks) != 1 {
			t.Fatalf("the preview wrote: %+v", a.Risks)
		}

		// Apply with copies: new measures, same content, the target's old measure removed.
		done, err := x.reg.CopyAssessment(ctx, dirBoth, "2026-2028", "A1.1.1.2", service.CopyRequest{Targets: targets, Measures: "copy"})
		if err != nil || done.Applied != 1 {
			t.Fatalf("copy: %+v %v", done, err)
		}
		copied, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1")
		if len(copied.Risks) != 2 || len(copied.Measures) != 2 || copied.Level != src.Level ||
			copied.Risks[0].Inherent.Reason != src.Risks[0].Inherent.Reason || copied.Risks[0].Inherent.Values[0].Reason != src.Risks[0].Inherent.Values[0].Reason ||
			copied.Measures[0].ID == src.Measures[0].ID || copied.Measures[0].Title != src.Measures[0].Title ||
			copied.Risks[0].Measures[0] != copied.Measures[0].Key || copied.Version != done.Targets[0].Version {
			t.Fatalf("copied content: %+v", copied)
		}
		audit := service.NewAudit(x.store, x.authz)
		recs, err := audit.List(ctx, x.rpct, store.AuditFilter{Entity: "assessment", EntityID: "2026-2028/A1.1.1.1", Action: "copy"}, 1, 10)
		if err != nil || recs.Total != 1 {
			t.Fatalf("copy audit: %+v %v", recs, err)
		}

		// Apply with links: the target's risks are treated by the source's own measures; it plans none.
		linked, err := x.reg.CopyAssessment(ctx, dirBoth, "2026-2028", "A1.1.1.2", service.CopyRequest{Targets: []string{"A1.1.1.1"}, Measures: "link"})
		if err != nil || linked.Applied != 1 || linked.Targets[0].MeasuresLinked != 2 {
			t.Fatalf("link copy: %+v %v", linked, err)
		}
		got, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1")
		if len(got.Measures) != 0 || len(got.Risks) != 2 || got.Risks[0].Measures[0] != src.Measures[0].ID {
			t.Fatalf("linked content: measures %+v, risk measures %v", got.Measures, got.Risks[0].Measures)
		}

		// A submitted target is skipped, and nothing is written when nothing is eligible.
		if _, err := wf.Transition(ctx, dirBoth, "2026-2028", "A1.1.1.1", domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		blocked, err := x.reg.CopyAssessment(ctx, dirBoth, "2026-2028", "A1.1.1.2", service.CopyRequest{Targets: []string{"A1.1.1.1"}})
		if err != nil || blocked.Applied != 0 || blocked.Targets[0].Code != "not_editable" {
			t.Fatalf("copy to a submitted leaf: %+v %v", blocked, err)
		}
		if _, err := x.reg.CopyAssessment(ctx, dirBoth, "2026-2028", "A1.1.1.2", service.CopyRequest{Targets: []string{"A1.1.1.1"}, Measures: "move"}); domain.CodeOf(err) != "bulk_invalid" {
			t.Fatalf("unknown measure mode: %v", err)
		}
		if _, err := x.reg.CopyAssessment(ctx, dirBoth, "2026-2028", "B2.2.1.1", service.CopyRequest{Targets: []string{"A1.1.1.1"}}); domain.CodeOf(err) != "source_empty" {
			t.Fatalf("copy of an empty source: %v", err)
		}
		if _, err := x.reg.CopyAssessment(ctx, x.rpct, "2026-2028", "A1.1.1.2", service.CopyRequest{Targets: []string{"A1.1.1.1"}}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the RPCT copies: %v", err)
		}
	})
}

// TestLinkMeasureToManyLeaves: one measure is linked to every risk of several leaves in one step; leaves
// without risks, already linked, of other units, or the measure's own leaf are skipped.
func TestLinkMeasureToManyLeaves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		src, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		measure := src.Measures[0].ID
		target := sampleAssessment(0)
		target.Measures = target.Measures[1:]
		target.Risks[0].Measures = []string{"m2"}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", target); err != nil {
			t.Fatal(err)
		}
		targets := []string{"A1.1.1.1", "A1.1.1.2", "B2.2.1.1"}
		preview, err := x.reg.LinkMeasure(ctx, x.dir1, "2026-2028", measure, service.LinkRequest{Targets: targets, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if p := preview.Targets; p[0].Action != "link" || p[0].MeasuresLinked != 2 || p[1].Code != "own_measure" || p[2].Code != "forbidden" {
			t.Fatalf("preview: %+v", p)
		}
		done, err := x.reg.LinkMeasure(ctx, x.dir1, "2026-2028", measure, service.LinkRequest{Targets: targets})
		if err != nil || done.Applied != 1 {
			t.Fatalf("link: %+v %v", done, err)
		}
		got, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1")
		for i, r := range got.Risks {
			if !slices.Contains(r.Measures, measure) {
				t.Fatalf("risk %d not linked: %v", i, r.Measures)
			}
		}
		again, err := x.reg.LinkMeasure(ctx, x.dir1, "2026-2028", measure, service.LinkRequest{Targets: []string{"A1.1.1.1"}})
		if err != nil || again.Applied != 0 || again.Targets[0].Code != "already_linked" {
			t.Fatalf("second link: %+v %v", again, err)
		}
		if _, err := x.reg.LinkMeasure(ctx, x.dir1, "2026-2028", "not-an-id", service.LinkRequest{Targets: targets}); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("unknown measure: %v", err)
		}
		if _, err := x.reg.LinkMeasure(ctx, x.dir1, "2026-2028", measure, service.LinkRequest{}); domain.CodeOf(err) != "bulk_invalid" {
			t.Fatalf("no targets: %v", err)
		}
	})
}

// TestExcludeManyAndUndo: the RPCT excludes several leaves with one reason (all or none) and brings one back.
func TestExcludeManyAndUndo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		reason := "Azione non più svolta dall'ente dal 2026"
		if _, err := cycles.ExcludeMany(ctx, x.rpct, "2026-2028", []string{"A1.1.1.1", "A1.1.1"}, reason); domain.CodeOf(err) != "exclusion_invalid" {
			t.Fatalf("a non-leaf among many: %v", err)
		}
		if _, err := cycles.ExcludeMany(ctx, x.rpct, "2026-2028", []string{"A1.1.1.1"}, "breve"); domain.CodeOf(err) != "reason_required" {
			t.Fatalf("short reason: %v", err)
		}
		if _, err := cycles.ExcludeMany(ctx, x.dir1, "2026-2028", []string{"A1.1.1.1"}, reason); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director excludes: %v", err)
		}
		items, err := cycles.ExcludeMany(ctx, x.rpct, "2026-2028", []string{"A1.1.1.1", "B2.2.1.1", "A1.1.1.2"}, reason)
		if err != nil || len(items) != 3 {
			t.Fatalf("exclude many: %+v %v", items, err)
		}
		leaves, _ := x.reg.Leaves(ctx, x.rpct, "2026-2028", service.LeavesQuery{})
		if l := leafByCode(t, leaves, "B2.2.1.1"); !l.Excluded || l.ExclusionReason != reason {
			t.Fatalf("excluded leaf in the list: %+v", l)
		}
		items, err = cycles.Include(ctx, x.rpct, "2026-2028", "B2.2.1.1")
		if err != nil || len(items) != 2 {
			t.Fatalf("undo: %+v %v", items, err)
		}
		if _, err := cycles.Include(ctx, x.rpct, "2026-2028", "B2.2.1.1"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("undo of a leaf not excluded: %v", err)
		}
		audit := service.NewAudit(x.store, x.authz)
		if recs, err := audit.List(ctx, x.rpct, store.AuditFilter{Entity: "cycle", Action: "exclude"}, 1, 10); err != nil || recs.Total != 3 {
			t.Fatalf("one audit record per excluded leaf: %+v %v", recs, err)
		}
		if recs, err := audit.List(ctx, x.rpct, store.AuditFilter{Entity: "cycle", Action: "include"}, 1, 10); err != nil || recs.Total != 1 {
			t.Fatalf("undo audit: %+v %v", recs, err)
		}
	})
}

// TestCopyCountsForFourEyes: whoever wrote a leaf's content by a copy does not approve it, as after a save.
func TestCopyCountsForFourEyes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		leadAD1(t, x)
		both := actorWith(x.tn, "rpctdir", domain.Grant{Role: domain.RoleRPCT}, domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if out, err := x.reg.CopyAssessment(ctx, both, "2026-2028", "A1.1.1.2", service.CopyRequest{Targets: []string{"A1.1.1.1"}}); err != nil || out.Applied != 1 {
			t.Fatalf("copy: %+v %v", out, err)
		}
		if _, err := wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.1", domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, both, "2026-2028", "A1.1.1.1", domain.TransitionApprove, ""); domain.CodeOf(err) != "four_eyes_editor" {
			t.Fatalf("the author of the copy approves it: %v", err)
		}
	})
}
