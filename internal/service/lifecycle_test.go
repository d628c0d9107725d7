package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func TestCycleLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		approve := func(who domain.Actor, code string) {
			t.Helper()
			if _, err := x.reg.SaveAssessment(ctx, who, "2026-2028", code, sampleAssessment(0)); err != nil {
				t.Fatal(err)
			}
			if _, err := wf.Transition(ctx, who, "2026-2028", code, domain.TransitionSubmit, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := wf.Transition(ctx, x.rpct, "2026-2028", code, domain.TransitionApprove, ""); err != nil {
				t.Fatal(err)
			}
		}
		leadAD1(t, x)
		approve(x.dir1, "A1.1.1.1")
		approve(x.dir1, "A1.1.1.2")
		approve(x.dir2, "B2.2.1.1")
		_, err := cycles.Consolidate(ctx, x.rpct, "2026-2028")
		var blocked *domain.ConflictError
		if domain.CodeOf(err) != "consolidation_blocked" || !strings.Contains(err.Error(), "B2.1 BIS") || !errors.Is(err, domain.ErrConflict) ||
			!errors.As(err, &blocked) || blocked.Pending == 0 || blocked.Pending != len(blocked.Blockers) || !slices.Contains(blocked.Blockers, "B2.1 BIS") {
			t.Fatalf("consolidation with a pending leaf: %v %+v", err, blocked)
		}
		if _, err := cycles.Exclude(ctx, x.dir2, "2026-2028", "B2.1 BIS", "Processo non attivo nel triennio"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director excludes: %v", err)
		}
		if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", "B2.1 BIS", "no"); !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("exclusion without reason: %v", err)
		}
		if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", "B2.1 BIS", "Processo non attivo nel triennio"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); domain.CodeOf(err) != "cycle_not_consolidated" {
			t.Fatalf("adoption before consolidation: %v", err)
		}
		if c, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil || c.State != domain.CycleConsolidated {
			t.Fatalf("consolidate: %+v %v", c, err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{}); !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("adoption without deliberation: %v", err)
		}
		adopted, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"})
		if err != nil || adopted.State != domain.CycleAdopted || adopted.SnapshotHash == "" {
			t.Fatalf("adopt: %+v %v", adopted, err)
		}
		snap, err := cycles.Snapshot(ctx, x.oiv, "2026-2028")
		var whole bytes.Buffer
		if err == nil {
			err = cycles.WriteSnapshot(ctx, x.oiv, "2026-2028", &whole)
		}
		sum := sha256.Sum256(whole.Bytes())
		if err != nil || hex.EncodeToString(sum[:]) != adopted.SnapshotHash || !strings.Contains(snap.Content, `"audit_head":{"hash":"`) ||
			strings.Count(whole.String(), "\n") != 4 { // the header and the three approved assessments
			t.Fatalf("snapshot: %v %s", err, snap.ContentHash)
		}
		// The adopted register no longer changes, by any route.
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(2)); domain.CodeOf(err) != "cycle_not_open" {
			t.Fatalf("edit after adoption: %v", err)
		}
		if _, err := wf.Transition(ctx, x.rpct, "2026-2028", "A1.1.1.1", domain.TransitionReopen, why); domain.CodeOf(err) != "cycle_not_open" {
			t.Fatalf("reopen after adoption: %v", err)
		}
		if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2013-max"}); domain.CodeOf(err) != "cycle_not_open" {
			t.Fatalf("methodology change after adoption: %v", err)
		}
		changed := dbtest.SmallMap()
		changed.Nodes[0].Title = "Nuovo titolo"
		if _, err := x.maps.Import(ctx, x.tn, "2026-2028", changed); err == nil {
			t.Fatal("map replaced after adoption")
		}
		if _, err := cycles.Publish(ctx, x.rpct, "2026-2028", service.PublicationInput{URL: "ftp://x", Date: "2027-02-01"}); !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("publication with a bad address: %v", err)
		}
		if c, err := cycles.Publish(ctx, x.rpct, "2026-2028", service.PublicationInput{URL: "https://www.example.it/amministrazione-trasparente", Date: "2027-02-01"}); err != nil || c.State != domain.CyclePublished {
			t.Fatalf("publish: %+v %v", c, err)
		}

		// An extraordinary revision starts from the snapshot as drafts; editing it leaves the snapshot intact.
		rev, err := cycles.Revision(ctx, x.rpct, "2026-2028")
		if err != nil || rev.Cycle != "2026-2028-r1" || rev.Copied != 3 || len(rev.Removed) != 0 || strings.Join(rev.New, ",") != "B2.1 BIS" {
			t.Fatalf("revision: %+v %v", rev, err)
		}
		copied, err := x.reg.Assessment(ctx, x.dir1, "2026-2028-r1", "A1.1.1.2")
		if err != nil || copied.State != domain.StateDraft || copied.Version != 1 || len(copied.Risks) != 2 || copied.Level != "alto" {
			t.Fatalf("copied assessment: %+v %v", copied, err)
		}
		// Each copied measure is a new row that remembers the adopted one, so monitoring is traceable over the years.
		orig, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if err != nil || len(orig.Measures) != len(copied.Measures) {
			t.Fatalf("adopted assessment: %+v %v", orig, err)
		}
		for i, m := range copied.Measures {
			if m.DerivedFrom == "" || m.DerivedFrom != orig.Measures[i].ID || m.ID == orig.Measures[i].ID {
				t.Fatalf("measure %d: id %s derived_from %q, adopted id %s", i, m.ID, m.DerivedFrom, orig.Measures[i].ID)
			}
		}
		copied.Risks = copied.Risks[:1]
		if resaved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028-r1", "A1.1.1.2", *copied); err != nil {
			t.Fatal(err)
		} else if resaved.Measures[0].DerivedFrom != orig.Measures[0].ID {
			t.Fatalf("an edit lost derived_from: %+v", resaved.Measures[0])
		}
		var again bytes.Buffer
		if err := cycles.WriteSnapshot(ctx, x.oiv, "2026-2028", &again); err != nil || !bytes.Equal(again.Bytes(), whole.Bytes()) {
			t.Fatalf("the adopted snapshot changed after edits elsewhere: %v", err)
		}

		// Next year: a changed map (one leaf gone, one new) rolled forward from the adopted register.
		next := dbtest.SmallMap()
		next.Nodes = append(next.Nodes[:4:4], next.Nodes[5:]...) // drop A1.1.1.2
		next.Nodes = append(next.Nodes, domain.MapNode{Level: domain.LevelAction, Code: "B2.2.1.2", ParentCode: "B2.2.1",
			Title: "Nuova azione", Function: "Processi di supporto", Units: []string{"AD2"}, StrategicObjectives: []string{}, RiskAreas: []string{}})
		if _, err := x.maps.Import(ctx, x.tn, "2027-2029", next); err != nil {
			t.Fatal(err)
		}
		fw, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029")
		if err != nil || fw.Copied != 2 || strings.Join(fw.Removed, ",") != "A1.1.1.2" || strings.Join(fw.New, ",") != "B2.1 BIS,B2.2.1.2" {
			t.Fatalf("roll forward: %+v %v", fw, err)
		}
		if _, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029"); domain.CodeOf(err) != "cycle_has_register" {
			t.Fatalf("a second roll forward: %v", err)
		}
		if v, _ := service.NewAudit(x.store, x.authz).Verify(ctx, x.oiv); !v.Valid {
			t.Fatalf("chain %+v", v)
		}
	})
}

func TestOIVNotes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		notes := service.NewOIVNotes(x.store, x.authz)
		saved, _ := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		for _, n := range []store.OIVNote{
			{TargetKind: "cycle", Body: "Rilievo sul ciclo"},
			{TargetKind: "node", Target: "A1.1.1.2", Body: "Motivazioni poco circostanziate"},
			{TargetKind: "measure", Target: saved.Measures[0].ID, Body: "Indicatore non misurabile"},
		} {
			if _, err := notes.Add(ctx, x.oiv, "2026-2028", n); err != nil {
				t.Fatal(err)
			}
		}
		var ve *domain.ValidationError
		if _, err := notes.Add(ctx, x.oiv, "2026-2028", store.OIVNote{TargetKind: "measure", Target: "nope", Body: "x"}); !errors.As(err, &ve) {
			t.Fatalf("unknown measure: %v", err)
		}
		if _, err := notes.Add(ctx, x.rpct, "2026-2028", store.OIVNote{TargetKind: "cycle", Body: "x"}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the RPCT writes OIV notes: %v", err)
		}
		list, err := notes.List(ctx, x.rpct, "2026-2028")
		if err != nil || len(list) != 3 || list[0].Target != "2026-2028" || list[1].Target != "A1.1.1.2" {
			t.Fatalf("notes seen by the RPCT: %+v %v", list, err)
		}
		if _, err := notes.List(ctx, x.dir1, "2026-2028"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director reads OIV notes: %v", err)
		}
		page, _ := service.NewAudit(x.store, x.authz).List(ctx, x.rpct, store.AuditFilter{Entity: "oiv_note"}, 1, 10)
		if page.Total != 3 {
			t.Fatalf("notes on the trail: %d", page.Total)
		}
	})
}

// TestAdoptedExportComesFromTheSnapshot: the map export of an adopted cycle is the snapshot's, even if the live
// tables were changed behind the application's back.
func TestAdoptedExportComesFromTheSnapshot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		for _, code := range []string{"A1.1.1.1", "A1.1.1.2", "B2.1 BIS", "B2.2.1.1"} {
			if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", code, "Escluso per la prova di esportazione"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "1", Date: "2027-01-10"}); err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("UPDATE process_nodes SET title = 'manomesso'").Error; err != nil {
			t.Fatal(err)
		}
		m, err := x.maps.Export(ctx, x.tn, "2026-2028")
		if err != nil || m.Nodes[0].Title != "Performance management" {
			t.Fatalf("export of the adopted cycle: %v %+v", err, m.Nodes[0])
		}
	})
}
