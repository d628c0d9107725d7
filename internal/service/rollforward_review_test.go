package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// approveLeaf saves the sample assessment on a leaf, submits it as `who` and approves it as the RPCT.
func approveLeaf(t *testing.T, x registerFixture, wf *service.Workflow, who domain.Actor, cycle, code string) {
	t.Helper()
	ctx := context.Background()
	if _, err := x.reg.SaveAssessment(ctx, who, cycle, code, sampleAssessment(0)); err != nil {
		t.Fatalf("save %s: %v", code, err)
	}
	if _, err := wf.Transition(ctx, who, cycle, code, domain.TransitionSubmit, ""); err != nil {
		t.Fatalf("submit %s: %v", code, err)
	}
	if _, err := wf.Transition(ctx, x.rpct, cycle, code, domain.TransitionApprove, ""); err != nil {
		t.Fatalf("approve %s: %v", code, err)
	}
}

func cycleAuditCount(t *testing.T, x registerFixture, action string) int64 {
	t.Helper()
	page, err := service.NewAudit(x.store, x.authz).List(context.Background(), x.oiv, store.AuditFilter{Entity: "cycle", Action: action}, 1, 50)
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// The next year's map shifted its numbering: the same code names another action, the adopted action moved to
// the next code, another title was reworded and a code disappeared. Nothing with a changed title is carried
// over by itself; the RPCT confirms, re-attaches (to the closest title suggested) or drops, all at once.
func TestRollForwardOntoShiftedMap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		leadAD1(t, x)
		approveLeaf(t, x, wf, x.dir1, "2026-2028", "A1.1.1.1")
		approveLeaf(t, x, wf, x.dir1, "2026-2028", "A1.1.1.2")
		approveLeaf(t, x, wf, x.dir2, "2026-2028", "B2.1 BIS")
		approveLeaf(t, x, wf, x.dir2, "2026-2028", "B2.2.1.1")
		if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); err != nil {
			t.Fatal(err)
		}

		next := dbtest.SmallMap()
		byCode := func(code string) *domain.MapNode {
			for i := range next.Nodes {
				if next.Nodes[i].Code == code {
					return &next.Nodes[i]
				}
			}
			t.Fatalf("no %s", code)
			return nil
		}
		byCode("A1.1.1.1").Title = "RELAZIONE PREVISIONALE E PROGRAMMATICA." // same title once normalised
		shifted := *byCode("A1.1.1.2")
		byCode("A1.1.1.2").Title = "Controllo strategico e di gestione" // the numbering shifted: another action
		shifted.Code = "A1.1.1.3"                                       // the adopted action is now one further
		byCode("B2.2.1.1").Title = "Gestione delle attività di manutenzione ordinaria"
		byCode("B2.1 BIS").Code = "B2.1 TER" // the adopted code is gone
		rest := append([]domain.MapNode{}, next.Nodes[5:]...)
		next.Nodes = append(append(next.Nodes[:5:5], shifted), rest...)
		if _, err := x.maps.Import(ctx, x.tn, "2027-2029", next); err != nil {
			t.Fatal(err)
		}

		fw, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029")
		if err != nil || fw.Copied != 1 || strings.Join(fw.ToReview, ",") != "A1.1.1.2,B2.1 BIS,B2.2.1.1" ||
			strings.Join(fw.Removed, ",") != "B2.1 BIS" {
			t.Fatalf("roll forward: %+v %v", fw, err)
		}
		// Nothing with a changed title was carried over silently.
		for _, code := range []string{"A1.1.1.2", "A1.1.1.3", "B2.2.1.1"} {
			if a, err := x.reg.Assessment(ctx, x.oiv, "2027-2029", code); err != nil || a.Version != 0 {
				t.Fatalf("%s carried over without a decision: %+v %v", code, a, err)
			}
		}
		if a, err := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.1"); err != nil || a.Version != 1 || a.State != domain.StateDraft {
			t.Fatalf("same title, other case: %+v %v", a, err)
		}

		// The held assessments count as the cycle's register: no second roll-forward, no map replacement.
		if _, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029"); domain.CodeOf(err) != "cycle_has_register" {
			t.Fatalf("a second roll forward: %v", err)
		}
		if _, err := cycles.RollForwardReviews(ctx, x.dir1, "2027-2029"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director reads the reviews: %v", err)
		}
		reviews, err := cycles.RollForwardReviews(ctx, x.rpct, "2027-2029")
		if err != nil || len(reviews) != 3 {
			t.Fatalf("reviews: %+v %v", reviews, err)
		}
		ids := map[string]string{}
		for _, r := range reviews {
			ids[r.NodeCode] = r.ID
			switch r.NodeCode {
			case "A1.1.1.2":
				// The closest free leaf is where the adopted action moved.
				if r.Reason != service.ReviewTitleChanged || r.NewTitle != "Controllo strategico e di gestione" ||
					len(r.Suggestions) == 0 || r.Suggestions[0].Code != "A1.1.1.3" || r.Suggestions[0].Similarity != 1 {
					t.Fatalf("shifted review: %+v", r)
				}
			case "B2.1 BIS":
				if r.Reason != service.ReviewCodeMissing || r.NewTitle != "" || r.Suggestions[0].Code != "B2.1 TER" {
					t.Fatalf("missing code review: %+v", r)
				}
			case "B2.2.1.1":
				if r.Reason != service.ReviewTitleChanged || r.OldTitle != "Gestione attività di manutenzione" {
					t.Fatalf("reworded review: %+v", r)
				}
			}
			for _, s := range r.Suggestions {
				if s.Code == "A1.1.1.1" {
					t.Fatalf("a leaf with an assessment is suggested: %+v", r)
				}
			}
		}

		// Invalid decisions name each field, and nothing is applied.
		_, err = cycles.DecideRollForward(ctx, x.rpct, "2027-2029", []service.ReviewDecision{
			{ID: ids["A1.1.1.2"], Decision: service.DecisionReattach, Target: "A1.1.1.1"}, // already assessed
			{ID: ids["B2.1 BIS"], Decision: service.DecisionConfirm},                      // its code is gone
			{ID: ids["B2.2.1.1"], Decision: service.DecisionConfirm},
			{ID: "nope", Decision: service.DecisionDrop},
		})
		var verr *domain.ValidationError
		if !errors.As(err, &verr) || len(verr.Problems) != 3 || verr.Problems[0].Field != "decisions[0].target" ||
			verr.Problems[0].Code != "leaf_not_free" || verr.Problems[1].Code != "not_confirmable" || verr.Problems[2].Field != "decisions[3].id" {
			t.Fatalf("invalid decisions: %v %+v", err, verr)
		}
		_, err = cycles.DecideRollForward(ctx, x.rpct, "2027-2029", []service.ReviewDecision{
			{ID: ids["A1.1.1.2"], Decision: service.DecisionReattach, Target: "A1.1.1.3"},
			{ID: ids["B2.2.1.1"], Decision: service.DecisionReattach, Target: "A1.1.1.3"},
		})
		if !errors.As(err, &verr) || verr.Problems[0].Field != "decisions[1].target" || verr.Problems[0].Code != "duplicate" {
			t.Fatalf("two reviews onto one leaf: %v", err)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "B2.2.1.1"); a.Version != 0 {
			t.Fatal("a refused batch applied part of its decisions")
		}
		if _, err := cycles.DecideRollForward(ctx, x.dir2, "2027-2029", []service.ReviewDecision{{ID: ids["B2.2.1.1"], Decision: service.DecisionConfirm}}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director decides: %v", err)
		}

		// The cycle's methodology changes after the roll-forward: a re-attached assessment is stored with the
		// levels it gives, not those it was held with.
		m, err := x.meths.ForCycle(ctx, x.rpct, "2027-2029")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.meths.Choose(ctx, x.rpct, "2027-2029", service.MethodologyChoice{ProfileCode: "pna2019-5", Version: m.Version}); err != nil {
			t.Fatal(err)
		}
		after, err := cycles.DecideRollForward(ctx, x.rpct, "2027-2029", []service.ReviewDecision{
			{ID: ids["A1.1.1.2"], Decision: service.DecisionReattach, Target: "A1.1.1.3"},
			{ID: ids["B2.1 BIS"], Decision: service.DecisionDrop},
			{ID: ids["B2.2.1.1"], Decision: service.DecisionConfirm},
		})
		if err != nil || len(after) != 3 {
			t.Fatalf("decide: %+v %v", after, err)
		}
		for _, r := range after {
			if r.Decision == "" || r.DecidedBy != x.rpct.UserID || r.DecidedAt == nil || len(r.Suggestions) != 0 {
				t.Fatalf("decided review: %+v", r)
			}
		}
		moved, err := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.3")
		if err != nil || moved.Version != 1 || moved.State != domain.StateDraft || len(moved.Risks) != 2 || moved.Level != "molto_alto" {
			t.Fatalf("re-attached: %+v %v", moved, err)
		}
		shown := map[string]int{}
		for _, code := range []string{"A1.1.1.1", "A1.1.1.3", "B2.2.1.1"} {
			a, err := x.reg.Assessment(ctx, x.oiv, "2027-2029", code)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range a.Risks {
				if r.InherentScore != nil {
					shown[r.InherentScore.Level]++
				}
			}
		}
		if st := storedLevels(t, db, "2027-2029"); fmt.Sprint(st) != fmt.Sprint(shown) {
			t.Fatalf("re-attached: stored levels %v, the methodology gives %v", st, shown)
		}
		orig, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		for i, m := range moved.Measures {
			if m.DerivedFrom != orig.Measures[i].ID {
				t.Fatalf("re-attached measure %d lost its origin: %+v", i, m)
			}
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.2"); a.Version != 0 {
			t.Fatalf("the shifted code got the adopted assessment: %+v", a)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "B2.2.1.1"); a.Version != 1 {
			t.Fatalf("confirmed: %+v", a)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "B2.1 TER"); a.Version != 0 {
			t.Fatalf("dropped but carried: %+v", a)
		}
		if _, err := cycles.DecideRollForward(ctx, x.rpct, "2027-2029", []service.ReviewDecision{{ID: ids["B2.1 BIS"], Decision: service.DecisionDrop}}); domain.CodeOf(err) != "review_already_decided" {
			t.Fatalf("decided twice: %v", err)
		}
		if n := cycleAuditCount(t, x, "roll_forward_review"); n != 3 {
			t.Fatalf("%d decisions audited", n)
		}
		if v, _ := service.NewAudit(x.store, x.authz).Verify(ctx, x.oiv); !v.Valid {
			t.Fatalf("chain %+v", v)
		}
	})
}

// A cycle at process level: the processes are the leaves (their sub-processes and actions are not assessed),
// chosen before the campaign; the whole workflow, the lists, the export and a revision work on them.
func TestProcessLevelCycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		cycle, err := x.store.CycleByCode(ctx, x.tn.EnteID, "2026-2028")
		if err != nil || cycle.Granularity != domain.GranularityLeaf {
			t.Fatalf("default granularity: %+v %v", cycle, err)
		}
		if _, err := cycles.SetGranularity(ctx, x.dir1, "2026-2028", domain.GranularityProcess, cycle.Version); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director sets the level: %v", err)
		}
		if _, err := cycles.SetGranularity(ctx, x.rpct, "2026-2028", "macro", cycle.Version); domain.CodeOf(err) != "granularity_invalid" {
			t.Fatalf("unknown level: %v", err)
		}
		if _, err := cycles.SetGranularity(ctx, x.rpct, "2026-2028", domain.GranularityProcess, cycle.Version-1); domain.CodeOf(err) != "version_conflict" {
			t.Fatalf("stale version: %v", err)
		}
		set, err := cycles.SetGranularity(ctx, x.rpct, "2026-2028", domain.GranularityProcess, cycle.Version)
		if err != nil || set.Granularity != domain.GranularityProcess || set.Version != cycle.Version+1 {
			t.Fatalf("set process level: %+v %v", set, err)
		}
		leaves, err := x.reg.Leaves(ctx, x.rpct, "2026-2028", service.LeavesQuery{})
		var codes []string
		for _, l := range leaves.Items {
			codes = append(codes, l.Code)
		}
		if err != nil || strings.Join(codes, ",") != "A1.1,B2.1 BIS,B2.2" {
			t.Fatalf("leaves at process level: %v %v", codes, err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", sampleAssessment(0)); domain.CodeOf(err) != "node_not_leaf" {
			t.Fatalf("an action assessed at process level: %v", err)
		}
		approveLeaf(t, x, wf, x.dir2, "2026-2028", "B2.2")
		if _, err := cycles.SetGranularity(ctx, x.rpct, "2026-2028", domain.GranularityLeaf, set.Version); domain.CodeOf(err) != "cycle_has_assessments" {
			t.Fatalf("level changed with assessments: %v", err)
		}
		// The aggregation still holds: the macro-process takes its process's level.
		tree, err := x.maps.Tree(ctx, x.oiv, "2026-2028")
		if err != nil || tree.Counts.Leaves != 3 || tree.Nodes[1].Code != "B2" || tree.Nodes[1].RiskLevel != "alto" {
			t.Fatalf("tree: %+v %v", tree, err)
		}
		src, err := cycles.ExportSource(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) }), export.RegisterSheet)
		col := layoutCols(src.Meta().Methodology)
		if len(rows) != 5 || rows[2][col[export.ColCode]] != "B2.2" || rows[2][col[export.ColMacro]] != "B2 Approvvigionamenti" {
			t.Fatalf("export at process level: %d rows, %q", len(rows), rows[2])
		}
		for _, code := range []string{"A1.1", "B2.1 BIS"} {
			if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", code, "Processo non attivo nel triennio"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatalf("consolidate at process level: %v", err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "3", Date: "2027-01-20"}); err != nil {
			t.Fatal(err)
		}
		// A revision copies the map at the adopted level, so the process's assessment carries over.
		rev, err := cycles.Revision(ctx, x.rpct, "2026-2028")
		if err != nil || rev.Copied != 1 || len(rev.ToReview) != 0 {
			t.Fatalf("revision: %+v %v", rev, err)
		}
		if c, _ := x.store.CycleByCode(ctx, x.tn.EnteID, rev.Cycle); c.Granularity != domain.GranularityProcess {
			t.Fatalf("revision level: %+v", c)
		}
		if a, err := x.reg.Assessment(ctx, x.oiv, rev.Cycle, "B2.2"); err != nil || a.Version != 1 {
			t.Fatalf("carried process assessment: %+v %v", a, err)
		}
		if n := cycleAuditCount(t, x, "granularity"); n != 1 {
			t.Fatalf("%d level changes audited", n)
		}
	})
}

// The source map marks processes and sub-processes with "*" (mandatory services) or "**" (priority promotion):
// the register filters its rows on the marker of the leaf or of a node above it.
func TestRegisterMarkerFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		for _, s := range []struct {
			who  domain.Actor
			code string
		}{{x.dir1, "A1.1.1.1"}, {x.dir2, "B2.1 BIS"}, {x.dir2, "B2.2.1.1"}} {
			if _, err := x.reg.SaveAssessment(ctx, s.who, "2026-2028", s.code, sampleAssessment(0)); err != nil {
				t.Fatal(err)
			}
		}
		for marker, want := range map[string]string{"*": "B2.1 BIS", "**": "B2.2.1.1", "none": "A1.1.1.1", "": "A1.1.1.1,B2.1 BIS,B2.2.1.1"} {
			page, err := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{Marker: marker, WithTotal: true, PageSize: 100})
			if err != nil {
				t.Fatal(err)
			}
			var nodes []string
			for _, r := range page.Items {
				if len(nodes) == 0 || nodes[len(nodes)-1] != r.Node {
					nodes = append(nodes, r.Node)
				}
			}
			if strings.Join(nodes, ",") != want {
				t.Fatalf("marker %q: %v, want %s", marker, nodes, want)
			}
		}
	})
}
