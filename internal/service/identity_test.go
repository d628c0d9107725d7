package service_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// monitoredAssessment saves the sample assessment of A1.1.1.2 and runs a closed round on its first measure:
// a self-assessment with evidence and the RPCT's check. It returns the saved assessment.
func monitoredAssessment(t *testing.T, x registerFixture, mon *service.Monitoring) *domain.Assessment {
	t.Helper()
	ctx := context.Background()
	saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
	if err != nil {
		t.Fatal(err)
	}
	m1 := saved.Measures[0].ID
	consolidateFor(t, x, "A1.1.1.2")
	if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale", SamplePercent: 50}); err != nil {
		t.Fatal(err)
	}
	if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-06-30"); err != nil {
		t.Fatal(err)
	}
	if _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-06-30", m1, store.MonitoringEntry{Status: "attuata"}); err != nil {
		t.Fatal(err)
	}
	ev := service.NewEvidence(x.store, x.authz, mon, service.EvidenceConfig{})
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	if _, err := ev.Upload(ctx, x.ref1, "2026-2028", "2026-06-30", m1, "verbale.pdf", bytes.NewReader(pdf)); err != nil {
		t.Fatal(err)
	}
	if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-06-30", m1, store.MonitoringEntry{CheckOutcome: "confermato", Suitability: "idonea"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mon.CloseRound(ctx, x.rpct, "2026-2028", "2026-06-30"); err != nil {
		t.Fatal(err)
	}
	forceStates(t, x.db, domain.CycleOpen, domain.StateDraft) // the callers edit the assessment with history
	return saved
}

// roundOf returns the measure of a round view, or nil.
func roundOf(t *testing.T, mon *service.Monitoring, actor domain.Actor, id string) *service.RoundMeasure {
	t.Helper()
	v, err := mon.Round(context.Background(), actor, "2026-2028", "2026-06-30")
	if err != nil {
		t.Fatal(err)
	}
	for i := range v.Measures {
		if v.Measures[i].ID == id {
			return &v.Measures[i]
		}
	}
	return nil
}

// The reproduction: a closed round's self-assessment, evidence and check survive an edit of the
// assessment; the ids stay, unchanged rows are not rewritten, changed ones are updated in place.
func TestSaveKeepsMonitoringHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		saved := monitoredAssessment(t, x, mon)
		m1, m2 := saved.Measures[0], saved.Measures[1]
		r1, r2 := saved.Risks[0], saved.Risks[1]
		if m1.Version != 1 || r1.Version != 1 {
			t.Fatalf("new rows start at version 1: %d %d", m1.Version, r1.Version)
		}

		current, err := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2")
		if err != nil {
			t.Fatal(err)
		}
		current.Measures[0].Title += " e delle liquidazioni" // one word changed
		again, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *current)
		if err != nil {
			t.Fatal(err)
		}
		if again.Measures[0].ID != m1.ID || again.Measures[1].ID != m2.ID || again.Risks[0].ID != r1.ID || again.Risks[1].ID != r2.ID {
			t.Fatalf("identities changed: %+v", again)
		}
		if again.Measures[0].Version != 2 || again.Measures[1].Version != 1 || again.Risks[0].Version != 1 || again.Risks[1].Version != 1 {
			t.Fatalf("only the changed measure gets a new version: m %d %d, r %d %d", again.Measures[0].Version,
				again.Measures[1].Version, again.Risks[0].Version, again.Risks[1].Version)
		}
		if strings.Join(again.Risks[0].Measures, ",") != m1.ID+","+m2.ID {
			t.Fatalf("links: %v", again.Risks[0].Measures)
		}
		rm := roundOf(t, mon, x.oiv, m1.ID)
		if rm == nil || rm.Entry == nil || rm.Entry.Status != "attuata" || rm.Entry.CheckOutcome != "confermato" || len(rm.Evidence) != 1 {
			t.Fatalf("the closed round lost its data: %+v", rm)
		}
		// A changed risk is updated in place too.
		again.Risks[1].Context = "Comunicazioni informali con le imprese"
		third, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *again)
		if err != nil {
			t.Fatal(err)
		}
		if third.Risks[1].ID != r2.ID || third.Risks[1].Version != 2 || third.Risks[0].Version != 1 || third.Measures[0].Version != 2 {
			t.Fatalf("risk versions: %+v", third.Risks)
		}

		// Nothing may wipe monitoring by a cascade, whatever deletes the measure.
		if err := db.Gorm.Exec("DELETE FROM measures WHERE id = ?", m1.ID).Error; err == nil {
			t.Fatal("a measure with monitoring history was deleted")
		}
	})
}

// Removing a measure with history retires it (kept, read-only, with date and reason, recorded in the audit);
// one without history is deleted.
func TestRemovedMeasureWithHistoryIsRetired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		saved := monitoredAssessment(t, x, mon)
		m1, m2 := saved.Measures[0], saved.Measures[1]

		// A second round, open, with a file already attached to m1.
		forceStates(t, db, domain.CycleConsolidated, domain.StateApproved)
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		ev := service.NewEvidence(x.store, x.authz, mon, service.EvidenceConfig{})
		file, err := ev.Upload(ctx, x.ref1, "2026-2028", "2026-12-31", m1.ID, "nota.txt", strings.NewReader("Verbale della riunione di avvio"))
		if err != nil {
			t.Fatal(err)
		}

		forceStates(t, db, domain.CycleOpen, domain.StateDraft)
		current, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2")
		current.Measures = []domain.Measure{current.Measures[1]} // m1 and m2 -> m2
		current.Measures[0].Unit = "AD1"                         // so that AD1 self-assesses it below
		current.Risks[0].Measures = []string{m2.ID}              // m1 no longer treats it
		current.Withdrawn = []domain.Measure{{ID: m1.ID, WithdrawnReason: "Assorbita dal controllo di gestione"}}
		after, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *current)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Measures) != 1 || after.Measures[0].ID != m2.ID || len(after.Withdrawn) != 1 {
			t.Fatalf("after removal: %+v / %+v", after.Measures, after.Withdrawn)
		}
		w := after.Withdrawn[0]
		if w.ID != m1.ID || w.WithdrawnAt == nil || w.WithdrawnReason != "Assorbita dal controllo di gestione" || w.Title != m1.Title ||
			strings.Join(w.TreatedRisks, ",") != saved.Risks[0].ID {
			t.Fatalf("withdrawn measure: %+v", w)
		}
		if rm := roundOf(t, mon, x.oiv, m1.ID); rm == nil || rm.Entry == nil || rm.WithdrawnAt == nil || len(rm.Evidence) != 1 {
			t.Fatalf("the round no longer shows the withdrawn measure's history: %+v", rm)
		}
		// No new monitoring on a withdrawn measure, its evidence stays, and it cannot come back by id.
		if err := ev.Remove(ctx, x.ref1, file.ID); domain.CodeOf(err) != "measure_withdrawn" {
			t.Fatalf("evidence of a withdrawn measure removed: %v", err)
		}
		if _, err := ev.Upload(ctx, x.ref1, "2026-2028", "2026-12-31", m1.ID, "altra.txt", strings.NewReader("Altro verbale")); domain.CodeOf(err) != "measure_withdrawn" {
			t.Fatalf("evidence added to a withdrawn measure: %v", err)
		}
		if _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-12-31", m1.ID, store.MonitoringEntry{Status: "attuata"}); domain.CodeOf(err) != "measure_withdrawn" {
			t.Fatalf("self-assessment of a withdrawn measure: %v", err)
		}
		forceStates(t, db, domain.CycleConsolidated, domain.StateApproved)
		if rm := roundOf(t, mon, x.oiv, m2.ID); rm == nil {
			t.Fatal("m2 vanished from the round")
		}
		// Once that round closes with m2 implemented, the withdrawn m1 (not assessed there) does not drag the
		// leaf's suggested "grado di attuazione" down.
		if _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-12-31", m2.ID, store.MonitoringEntry{Status: "attuata"}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.CloseRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		if sug, err := mon.Suggestions(ctx, x.oiv, "2026-2028"); err != nil || len(sug) != 1 || sug[0].Value != 1 {
			t.Fatalf("suggestions %+v %v", sug, err)
		}
		forceStates(t, db, domain.CycleOpen, domain.StateDraft)
		back := *after
		back.Measures = append(back.Measures, after.Withdrawn[0])
		var ve *domain.ValidationError
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", back); !errors.As(err, &ve) || ve.Problems[0].Field != "measures[1].id" ||
			ve.Problems[0].Code != "measure_withdrawn" {
			t.Fatalf("a withdrawn measure edited: %v", err)
		}

		// The audit record of the save names the retired measure and its reason.
		recs, _, err := x.store.AuditPage(ctx, x.tn.EnteID, store.AuditFilter{Entity: "assessment", Action: "save"}, 1, 50)
		if err != nil || len(recs) == 0 {
			t.Fatal(err)
		}
		last := recs[0]
		for _, r := range recs {
			if r.Seq > last.Seq {
				last = r
			}
		}
		if !strings.Contains(last.After, `"retired_measures":[{"id":"`+m1.ID+`"`) || !strings.Contains(last.After, "Assorbita dal controllo di gestione") {
			t.Fatalf("audit after: %s", last.After)
		}

		// The register counts only the measures in force.
		page, err := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{WithTotal: true, Text: "A1.1.1.2"})
		if err != nil || *page.Total != 2 || page.Items[0].Measures != 1 {
			t.Fatalf("register: %+v %v", page, err)
		}

		// The register export still shows the withdrawn measure against the risk it treated, as withdrawn.
		src, err := service.NewCycles(x.store, x.authz, x.reg, x.maps).ExportSource(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) }), export.RegisterSheet)
		col := layoutCols(src.Meta().Methodology)
		ms, st := col[export.ColMeasure], col[export.ColMeasureStatus]
		want := export.WithdrawnPrefix + " il " + w.WithdrawnAt.Format("02/01/2006") + ": Assorbita dal controllo di gestione"
		if rows[2][ms] != m2.Title || rows[3][ms] != m1.Title || rows[3][st] != want || rows[4][ms] != m2.Title {
			t.Fatalf("export measures: %q / %q / %q", rows[2][ms], rows[3][ms]+" "+rows[3][st], rows[4][ms])
		}

		// A measure without history is deleted when removed, with its links; m2, self-assessed since, is retired.
		fresh := sampleAssessment(0).Measures[1]
		fresh.Key = "m3"
		after.Measures = append(after.Measures, fresh)
		after.Risks[1].Measures = append(after.Risks[1].Measures, "m3")
		withM3, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *after)
		if err != nil {
			t.Fatal(err)
		}
		m3 := withM3.Measures[1].ID
		withM3.Measures, withM3.Risks = []domain.Measure{}, withM3.Risks[:0]
		final, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *withM3)
		if err != nil {
			t.Fatal(err)
		}
		if len(final.Withdrawn) != 2 || final.Withdrawn[0].ID == m3 || final.Withdrawn[1].ID == m3 {
			t.Fatalf("withdrawn after removing everything: %+v", final.Withdrawn)
		}
		var n int64
		db.Gorm.Table("measures").Where("id = ?", m3).Count(&n)
		if n != 0 {
			t.Fatal("a measure without history was kept")
		}
		recs, _, _ = x.store.AuditPage(ctx, x.tn.EnteID, store.AuditFilter{Entity: "assessment", Action: "save"}, 1, 50)
		for _, r := range recs {
			if r.Seq > last.Seq {
				last = r
			}
		}
		if !strings.Contains(last.After, `"deleted_measures":["`+m3+`"]`) || !strings.Contains(last.After, `"id":"`+m2.ID+`"`) {
			t.Fatalf("audit after: %s", last.After)
		}
		db.Gorm.Table("measures").Where("id = ?", m1.ID).Count(&n)
		if n != 1 {
			t.Fatal("the withdrawn measure is gone")
		}
	})
}

// A measure that another leaf's risk refers to is retired, not deleted, when its own assessment drops it.
func TestMeasureLinkedFromAnotherAssessmentIsRetired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		other := sampleAssessment(0)
		other.Risks[1].Measures = []string{"m2", saved.Measures[0].ID} // also treated by A1.1.1.2's m1
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", other); err != nil {
			t.Fatal(err)
		}
		saved.Measures = saved.Measures[1:]
		saved.Risks[0].Measures = []string{saved.Measures[0].ID}
		after, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *saved)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Withdrawn) != 1 || after.Withdrawn[0].WithdrawnReason != domain.DefaultWithdrawnReason {
			t.Fatalf("withdrawn: %+v", after.Withdrawn)
		}
		// The other leaf still shows its link, and must drop it to save again (a withdrawn measure treats nothing new).
		o, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.1")
		var ve *domain.ValidationError
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", *o); !errors.As(err, &ve) || len(ve.Problems) != 1 ||
			!strings.HasPrefix(ve.Problems[0].Field, "risks[1].measures[") || ve.Problems[0].Code != "measure_unknown" {
			t.Fatalf("a link to a withdrawn measure saved: %v", err)
		}
	})
}

// Ids are checked: one that is not the assessment's own is refused with its field path; none is a new row.
func TestSaveRefusesForeignIDs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		first, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		a := sampleAssessment(0)
		a.Measures[1].ID = first.Measures[1].ID // another leaf's measure
		a.Risks[0].ID = first.Risks[0].ID
		var ve *domain.ValidationError
		_, err = x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if !errors.As(err, &ve) || len(ve.Problems) != 2 || ve.Problems[0].Field != "measures[1].id" || ve.Problems[0].Code != "unknown_id" ||
			ve.Problems[1].Field != "risks[0].id" {
			t.Fatalf("foreign ids: %v %+v", err, ve)
		}
		// Nothing was written: the leaf still has no assessment, and the other keeps its rows.
		if got, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2"); got.Version != 0 {
			t.Fatalf("a refused save wrote: %+v", got)
		}
		long := *first
		long.Withdrawn = []domain.Measure{{ID: first.Measures[0].ID, WithdrawnReason: strings.Repeat("è", domain.MaxWithdrawnReason+1)}}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", long); !errors.As(err, &ve) || ve.Problems[0].Field != "withdrawn_measures[0].withdrawn_reason" {
			t.Fatalf("an unbounded reason: %v", err)
		}
		dup := *first
		dup.Measures = append(dup.Measures, first.Measures[0])
		dup.Measures[2].Key = "copy"
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", dup); !errors.As(err, &ve) || ve.Problems[0].Field != "measures[2].id" ||
			ve.Problems[0].Code != "duplicate" {
			t.Fatalf("an id twice: %v", err)
		}
	})
}

// The state is checked on the locked row: a save at the right version of an assessment submitted meanwhile is
// refused by the store itself, whoever calls it.
func TestStoreSaveRefusesSubmittedAssessment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		res, err := wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, "")
		if err != nil {
			t.Fatal(err)
		}
		cycle, _ := x.store.CycleByCode(ctx, x.tn.EnteID, "2026-2028")
		node, _ := x.store.NodeByCode(ctx, x.tn.EnteID, cycle.ID, "A1.1.1.2")
		err = x.store.WithTx(ctx, func(tx *store.Store) error {
			_, err := tx.SaveAssessment(ctx, x.tn.EnteID, cycle.ID, node.ID, saved, res.Version, "ref1")
			return err
		})
		if domain.CodeOf(err) != "assessment_not_editable" {
			t.Fatalf("the store overwrote a submitted assessment: %v", err)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2"); a.State != domain.StateSubmitted {
			t.Fatalf("state %s", a.State)
		}
	})
}

// A referente's save racing with the director's submission never leaves a submitted assessment overwritten:
// either the save comes first (and the submission carries it) or it is refused.
func TestSaveRacingSubmission(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		current, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		for try := 0; try < 24; try++ {
			edit := *current
			edit.Measures = append([]domain.Measure(nil), current.Measures...)
			edit.Measures[0].Description = strings.Repeat("x", try+1)
			// Every other try the save claims the version the submission is about to produce: only the
			// state checked on the locked row can refuse it then.
			ahead := try%2 == 1
			if ahead {
				edit.Version++
			}
			var wg sync.WaitGroup
			var saveErr, submitErr error
			start := make(chan struct{})
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				_, saveErr = x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", "A1.1.1.2", edit)
			}()
			go func() {
				defer wg.Done()
				<-start
				_, submitErr = wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, "")
			}()
			close(start)
			wg.Wait()
			after, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
			if err != nil {
				t.Fatal(err)
			}
			if submitErr == nil && after.State != domain.StateSubmitted {
				t.Fatalf("try %d: the submission succeeded but the assessment is %s (save: %v)", try, after.State, saveErr)
			}
			if ahead && submitErr == nil && saveErr == nil {
				t.Fatalf("try %d: a save at the submission's version went through", try)
			}
			if saveErr != nil && !errors.Is(saveErr, domain.ErrConflict) {
				t.Fatalf("try %d: save failed with %v", try, saveErr)
			}
			if submitErr != nil && !errors.Is(submitErr, domain.ErrConflict) {
				t.Fatalf("try %d: submit failed with %v", try, submitErr)
			}
			// Back to an editable draft for the next try.
			if after.State == domain.StateSubmitted {
				if _, err := wf.Transition(ctx, x.rpct, "2026-2028", "A1.1.1.2", domain.TransitionReturn, why); err != nil {
					t.Fatal(err)
				}
			}
			if current, err = x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2"); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// A check records the self-assessment it looked at: a later change of the self-assessment makes it outdated,
// shown on the entry and counted in the round list; re-sending the same self-assessment does not.
func TestCheckOutdatedBySelfAssessmentChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		m1 := saved.Measures[0].ID
		consolidateFor(t, x, "A1.1.1.2")
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale", SamplePercent: 50}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-06-30"); err != nil {
			t.Fatal(err)
		}
		self := store.MonitoringEntry{Status: "attuata"}
		check := store.MonitoringEntry{CheckOutcome: "confermato", Suitability: "idonea"}
		for _, step := range []func() error{
			func() error { _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-06-30", m1, self); return err },
			func() error { _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-06-30", m1, check); return err },
			func() error { _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-06-30", m1, self); return err }, // same content
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		if e := roundOf(t, mon, x.oiv, m1).Entry; e.CheckOutdated || e.SelfVersion != 1 || e.CheckedVersion != 1 {
			t.Fatalf("an unchanged self-assessment outdated the check: %+v", e)
		}
		changed := store.MonitoringEntry{Status: "parzialmente_attuata", Reason: "Manca l'ultima fase del controllo"}
		if _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-06-30", m1, changed); err != nil {
			t.Fatal(err)
		}
		if e := roundOf(t, mon, x.oiv, m1).Entry; !e.CheckOutdated || e.SelfVersion != 2 || e.CheckedVersion != 1 {
			t.Fatalf("the check is not outdated: %+v", e)
		}
		rounds, err := mon.Rounds(ctx, x.oiv, "2026-2028")
		if err != nil || len(rounds) != 1 || rounds[0].OutdatedChecks != 1 || rounds[0].Checked != 1 {
			t.Fatalf("rounds: %+v %v", rounds, err)
		}
		// A check sent for the self-assessment the RPCT read is refused once the unit has changed it.
		stale := check
		stale.SelfVersion = 1
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-06-30", m1, stale); domain.CodeOf(err) != "self_assessment_changed" {
			t.Fatalf("a check of a superseded self-assessment: %v", err)
		}
		fresh := check
		fresh.SelfVersion = 2
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-06-30", m1, fresh); err != nil {
			t.Fatal(err)
		}
		if e := roundOf(t, mon, x.oiv, m1).Entry; e.CheckOutdated || e.CheckedVersion != 2 {
			t.Fatalf("a new check is still outdated: %+v", e)
		}
	})
}

// TestSaveStatementCount: a save costs a fixed number of statements whatever the size of the assessment when
// one measure changes, and an unchanged save rewrites no risk or measure.
func TestSaveStatementCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		cost := func(leaf string, measures int) (first, unchanged, oneWord int64) {
			a := sampleAssessment(0)
			for i := 2; i < measures; i++ {
				m := a.Measures[1]
				m.Key = "extra" + strings.Repeat("x", i)
				a.Measures = append(a.Measures, m)
				a.Risks[1].Measures = append(a.Risks[1].Measures, m.Key)
			}
			counter := dbtest.CountStatements(t, db)
			saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, a)
			if err != nil {
				t.Fatal(err)
			}
			first = counter.Count()
			counter.Reset()
			if saved, err = x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, *saved); err != nil {
				t.Fatal(err)
			}
			unchanged = counter.Count()
			saved.Measures[0].Title += " e delle liquidazioni"
			counter.Reset()
			if _, err = x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, *saved); err != nil {
				t.Fatal(err)
			}
			oneWord = counter.Count()
			return
		}
		// The store's part alone: the locked read, the version bump, two reads of the current rows (the risks
		// with their links, the measures with their programme links), then one statement per changed row.
		storeCost := func(leaf string) (unchanged, oneWord int64) {
			cycle, _ := x.store.CycleByCode(ctx, x.tn.EnteID, "2026-2028")
			node, _ := x.store.NodeByCode(ctx, x.tn.EnteID, cycle.ID, leaf)
			save := func(a *domain.Assessment) int64 {
				counter := dbtest.CountStatements(t, db)
				if err := x.store.WithTx(ctx, func(tx *store.Store) error {
					_, err := tx.SaveAssessment(ctx, x.tn.EnteID, cycle.ID, node.ID, a, a.Version, "dir1")
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return counter.Count()
			}
			a, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", leaf)
			unchanged = save(a)
			a, _ = x.reg.Assessment(ctx, x.dir1, "2026-2028", leaf)
			a.Measures[0].Title += " ancora"
			oneWord = save(a)
			return
		}
		f2, u2, w2 := cost("A1.1.1.1", 2)
		f20, u20, w20 := cost("A1.1.1.2", 20)
		t.Logf("%s statements per save (whole service call, audit included): 2 measures first %d, unchanged %d, one word %d; 20 measures: first %d, unchanged %d, one word %d",
			db.Dialect, f2, u2, w2, f20, u20, w20)
		su, sw := storeCost("A1.1.1.2")
		t.Logf("%s statements of store.SaveAssessment: unchanged %d, one word %d", db.Dialect, su, sw)
		if su != 4 || sw != 5 {
			t.Fatalf("store save: unchanged %d, one word %d statements, want 4 and 5", su, sw)
		}
		if u20 != u2 || w20 != w2 || w2 != u2+1 {
			t.Fatalf("statements grow with the assessment's size or an unchanged save rewrites rows: unchanged %d/%d, one word %d/%d", u2, u20, w2, w20)
		}
	})
}

// TestMigration13KeepsData rolls migration 00013 back and forth over a register with monitoring history: the
// rows survive both ways, a check made before the migration counts as made on the current self-assessment,
// and the foreign keys refuse to delete a measure with history again once applied.
func TestMigration13KeepsData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		saved := monitoredAssessment(t, x, mon)
		m1 := saved.Measures[0].ID
		m, err := db.NewMigrator()
		if err != nil {
			t.Fatal(err)
		}
		counts := func() [4]int64 {
			var out [4]int64
			for i, table := range []string{"measures", "monitoring_entries", "evidence_files", "measure_risks"} {
				if err := db.Gorm.Table(table).Count(&out[i]).Error; err != nil {
					t.Fatal(err)
				}
			}
			return out
		}
		before := counts()
		for {
			v, err := m.Down(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v == 13 || v == 0 {
				break
			}
		}
		if got := counts(); got != before {
			t.Fatalf("rows after rolling 00013 back: %v, before %v", got, before)
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if got := counts(); got != before {
			t.Fatalf("rows after applying 00013 again: %v, before %v", got, before)
		}
		if e := roundOf(t, mon, x.oiv, m1).Entry; e == nil || e.CheckOutdated || e.SelfVersion != 1 || e.CheckedVersion != 1 {
			t.Fatalf("entry after the migration: %+v", e)
		}
		if err := db.Gorm.Exec("DELETE FROM measures WHERE id = ?", m1).Error; err == nil {
			t.Fatal("a measure with monitoring history was deleted after the migration")
		}
		// Nor does a round take its self-assessments, checks and evidence with it.
		var round string
		if err := db.Gorm.Raw("SELECT round_id FROM monitoring_entries WHERE measure_id = ?", m1).Scan(&round).Error; err != nil || round == "" {
			t.Fatalf("round of the entry: %q, %v", round, err)
		}
		if err := db.Gorm.Exec("DELETE FROM monitoring_rounds WHERE id = ?", round).Error; err == nil {
			t.Fatal("a round with monitoring history was deleted after the migration")
		}
		if got := counts(); got != before {
			t.Fatalf("rows after the refused deletions: %v, before %v", got, before)
		}
	})
}
