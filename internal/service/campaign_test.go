package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// leadAD1 makes AD1 the lead unit of A1.1.1.1 (units SG, AD1), so the fixture's AD1 director submits it, as
// the tests written before lead units expect.
func leadAD1(t *testing.T, x registerFixture) {
	t.Helper()
	if _, err := x.reg.SetLeadUnit(context.Background(), x.rpct, "2026-2028", "A1.1.1.1", "AD1"); err != nil {
		t.Fatal(err)
	}
}

func leafByCode(t *testing.T, p *service.LeavesPage, code string) domain.LeafStatus {
	t.Helper()
	for _, l := range p.Items {
		if l.Code == code {
			return l
		}
	}
	t.Fatalf("leaf %s not listed: %+v", code, p.Items)
	return domain.LeafStatus{}
}

// TestLeavesShowStateAndCompleteness: the list of leaves tells, per leaf, its state and how many items its
// assessment lacks, from stored columns (kept by every save, computed once for rows that have none), with a
// number of statements that does not grow with the leaves; "mine" keeps the caller's units.
func TestLeavesShowStateAndCompleteness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		partial, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", partialAssessment())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		page, err := x.reg.Leaves(ctx, x.rpct, "2026-2028", service.LeavesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 4 {
			t.Fatalf("leaves: %d, want 4 (A1.1.1.1, A1.1.1.2, B2.1 BIS, B2.2.1.1)", page.Total)
		}
		p := leafByCode(t, page, "A1.1.1.2")
		if p.State != "draft" || p.Complete || p.MissingCount != len(partial.Completeness.Missing) || p.MissingCount == 0 {
			t.Fatalf("partial draft: %+v, want %d missing", p, len(partial.Completeness.Missing))
		}
		if c := leafByCode(t, page, "B2.2.1.1"); c.State != "draft" || !c.Complete || c.MissingCount != 0 || c.Level != "alto" {
			t.Fatalf("complete draft: %+v", c)
		}
		if n := leafByCode(t, page, "A1.1.1.1"); n.State != "none" || n.Complete || n.LeadUnit != "SG" || n.LeadUnitChosen || n.Parent != "A1.1.1" ||
			len(n.Units) != 2 || n.Units[0] != "SG" {
			t.Fatalf("leaf without assessment: %+v", n)
		}
		mine, err := x.reg.Leaves(ctx, x.dir1, "2026-2028", service.LeavesQuery{Mine: true})
		if err != nil || mine.Total != 2 {
			t.Fatalf("dir1's leaves: %+v %v", mine, err)
		}
		if none, err := x.reg.Leaves(ctx, x.dir1, "2026-2028", service.LeavesQuery{Mine: true, Unit: "AD2"}); err != nil || none.Total != 0 {
			t.Fatalf("dir1's leaves of AD2: %+v %v", none, err)
		}
		drafts, err := x.reg.Leaves(ctx, x.dir1, "2026-2028", service.LeavesQuery{State: "none"})
		if err != nil || drafts.Total != 2 {
			t.Fatalf("leaves without assessment: %+v %v", drafts, err)
		}
		if _, err := x.reg.Leaves(ctx, x.dir1, "2026-2028", service.LeavesQuery{State: "bogus"}); domain.CodeOf(err) != "filter_invalid" {
			t.Fatalf("bad state: %v", err)
		}
		if _, err := x.reg.Leaves(ctx, x.admin, "2026-2028", service.LeavesQuery{}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the administrator reads the campaign: %v", err)
		}

		// Rows written before completeness was stored are computed on the first read.
		if err := db.Gorm.Exec("UPDATE assessments SET missing_count = NULL").Error; err != nil {
			t.Fatal(err)
		}
		again, err := x.reg.Leaves(ctx, x.rpct, "2026-2028", service.LeavesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if a := leafByCode(t, again, "A1.1.1.2"); a.MissingCount != p.MissingCount || a.Complete {
			t.Fatalf("backfilled: %+v, want %+v", a, p)
		}
		if c := leafByCode(t, again, "B2.2.1.1"); !c.Complete {
			t.Fatalf("backfilled complete leaf: %+v", c)
		}

		// One list costs the same statements whatever the number of assessed leaves: no query per leaf.
		counter := dbtest.CountStatements(t, db)
		counter.Reset()
		if _, err := x.reg.Leaves(ctx, x.rpct, "2026-2028", service.LeavesQuery{}); err != nil {
			t.Fatal(err)
		}
		before := counter.Count()
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.1 BIS", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		counter.Reset()
		if _, err := x.reg.Leaves(ctx, x.rpct, "2026-2028", service.LeavesQuery{}); err != nil {
			t.Fatal(err)
		}
		if after := counter.Count(); after != before {
			t.Fatalf("statements grew with the assessed leaves: %d then %d", before, after)
		}
	})
}

// TestLeadUnitSubmits: a leaf of two units is submitted only by its lead unit's director (the map's first
// unit by default, or the RPCT's choice); the other unit's director still saves, comments and reads it.
func TestLeadUnitSubmits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		dirSG := actorWith(x.tn, "dirsg", domain.Grant{Role: domain.RoleDirector, UnitCode: "SG"})
		leaf := "A1.1.1.1" // units SG, AD1
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, sampleAssessment(0))
		if err != nil {
			t.Fatalf("a contributing unit's director saves: %v", err)
		}
		if saved.LeadUnit != "SG" {
			t.Fatalf("default lead unit %q, want SG (the map's first)", saved.LeadUnit)
		}
		if _, err := wf.AddComment(ctx, x.ref1, "2026-2028", leaf, "Proposta: aggiungere la misura di rotazione"); err != nil {
			t.Fatalf("a contributing referente comments: %v", err)
		}
		if _, err := wf.Transition(ctx, x.dir1, "2026-2028", leaf, domain.TransitionSubmit, ""); domain.CodeOf(err) != "not_lead_unit" || !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a non-lead director submits: %v", err)
		}
		if _, err := wf.Transition(ctx, x.dir2, "2026-2028", leaf, domain.TransitionSubmit, ""); domain.CodeOf(err) != "forbidden" {
			t.Fatalf("a director of no owning unit: %v", err)
		}
		// The RPCT hands the lead to AD1: now dir1 submits, and the SG director no longer does.
		if _, err := x.reg.SetLeadUnit(ctx, dirSG, "2026-2028", leaf, "AD1"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director chooses the lead unit: %v", err)
		}
		if _, err := x.reg.SetLeadUnit(ctx, x.rpct, "2026-2028", leaf, "AD2"); domain.CodeOf(err) != "lead_unit_invalid" {
			t.Fatalf("a lead unit that does not own the leaf: %v", err)
		}
		st, err := x.reg.SetLeadUnit(ctx, x.rpct, "2026-2028", leaf, "AD1")
		if err != nil || st.LeadUnit != "AD1" || !st.LeadUnitChosen {
			t.Fatalf("set lead unit: %+v %v", st, err)
		}
		if _, err := wf.Transition(ctx, dirSG, "2026-2028", leaf, domain.TransitionSubmit, ""); domain.CodeOf(err) != "not_lead_unit" {
			t.Fatalf("the former lead submits: %v", err)
		}
		if r, err := wf.Transition(ctx, x.dir1, "2026-2028", leaf, domain.TransitionSubmit, ""); err != nil || r.State != domain.StateSubmitted {
			t.Fatalf("the chosen lead submits: %+v %v", r, err)
		}
		got, err := x.reg.Assessment(ctx, dirSG, "2026-2028", leaf)
		if err != nil || got.LeadUnit != "AD1" {
			t.Fatalf("the other unit reads it: %+v %v", got, err)
		}
		audit := service.NewAudit(x.store, x.authz)
		recs, err := audit.List(ctx, x.rpct, store.AuditFilter{Entity: "assessment", EntityID: "2026-2028/" + leaf, Action: "set_lead_unit"}, 1, 10)
		if err != nil || recs.Total != 1 {
			t.Fatalf("lead unit audit: %+v %v", recs, err)
		}
		// Back to the default.
		if st, err := x.reg.SetLeadUnit(ctx, x.rpct, "2026-2028", leaf, ""); err != nil || st.LeadUnit != "SG" || st.LeadUnitChosen {
			t.Fatalf("reset lead unit: %+v %v", st, err)
		}
	})
}

// TestProgressCountsEachLeafOnce: the per-unit figures count a leaf of two units under each; the total the
// RPCT sees counts it once.
func TestProgressCountsEachLeafOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		p, err := wf.Progress(ctx, x.rpct, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var perUnit int64
		for _, u := range p.Units {
			perUnit += u.Leaves
		}
		if p.Total == nil || p.Total.Leaves != 4 || p.Total.States["draft"] != 1 || p.Total.States["not_started"] != 3 {
			t.Fatalf("total: %+v", p.Total)
		}
		if perUnit != 5 {
			t.Fatalf("per-unit leaves sum to %d, want 5 (A1.1.1.1 under SG and AD1)", perUnit)
		}
		mine, err := wf.Progress(ctx, x.dir1, "2026-2028")
		if err != nil || mine.Total != nil {
			t.Fatalf("a director gets the ente's total: %+v %v", mine, err)
		}

		// An excluded leaf is out of the campaign: counted apart, never as work to do (nor, past the deadline,
		// as overdue, which counts not started, drafts and returned ones).
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		other := "A1.1.1.2" // not started
		if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", other, "Processo non svolto nel triennio"); err != nil {
			t.Fatal(err)
		}
		p, err = wf.Progress(ctx, x.rpct, "2026-2028")
		if err != nil || p.Total == nil || p.Total.Leaves != 4 || p.Total.States["excluded"] != 1 || p.Total.States["not_started"] != 2 || p.Total.States["draft"] != 1 {
			t.Fatalf("total with %s excluded: %+v %v", other, p.Total, err)
		}
		var excluded int64
		for _, u := range p.Units {
			excluded += u.States["excluded"]
		}
		if excluded == 0 {
			t.Fatalf("per-unit figures do not show the excluded leaf: %+v", p.Units)
		}
	})
}

// TestHandOffToDirector: a referente marks a draft "pronto per la firma"; it appears in the lead unit's
// director's "da firmare" list (not in another unit's), survives later saves, and the submission clears it.
func TestHandOffToDirector(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		leaf := "A1.1.1.2" // AD1
		if _, err := x.reg.HandOff(ctx, x.ref1, "2026-2028", leaf); domain.CodeOf(err) != "assessment_empty" {
			t.Fatalf("hand-off of nothing: %v", err)
		}
		saved, err := x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", leaf, partialAssessment())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.HandOff(ctx, x.dir2, "2026-2028", leaf); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("another unit hands off: %v", err)
		}
		st, err := x.reg.HandOff(ctx, x.ref1, "2026-2028", leaf)
		if err != nil || st.HandedOff == nil || st.HandedOff.By != x.ref1.UserID || st.Version != saved.Version {
			t.Fatalf("hand-off: %+v %v", st, err)
		}
		toSign, err := x.reg.Leaves(ctx, x.dir1, "2026-2028", service.LeavesQuery{ToSign: true})
		if err != nil || toSign.Total != 1 || toSign.Items[0].Code != leaf {
			t.Fatalf("dir1's list to sign: %+v %v", toSign, err)
		}
		for _, who := range []domain.Actor{x.dir2, x.ref1, x.rpct} {
			if other, err := x.reg.Leaves(ctx, who, "2026-2028", service.LeavesQuery{ToSign: true}); err != nil || other.Total != 0 {
				t.Fatalf("%s's list to sign: %+v %v", who.UserID, other, err)
			}
		}
		// The director completes it: the mark stays until the submission.
		got, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", leaf)
		if got.HandedOff == nil || got.HandedOff.By != x.ref1.UserID ||
			got.HandedOff.ByName != st.HandedOff.ByName || !got.HandedOff.At.Equal(st.HandedOff.At) {
			t.Fatalf("the assessment does not show the hand-off %+v: %+v", st.HandedOff, got.HandedOff)
		}
		full := sampleAssessment(got.Version)
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, full); err != nil {
			t.Fatal(err)
		}
		if again, _ := x.reg.Leaves(ctx, x.dir1, "2026-2028", service.LeavesQuery{ToSign: true}); again.Total != 1 || !again.Items[0].Complete {
			t.Fatalf("after the director's save: %+v", again)
		}
		if _, err := wf.Transition(ctx, x.dir1, "2026-2028", leaf, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if after, _ := x.reg.Leaves(ctx, x.dir1, "2026-2028", service.LeavesQuery{ToSign: true}); after.Total != 0 {
			t.Fatalf("signed and still to sign: %+v", after)
		}
		if _, err := x.reg.HandOff(ctx, x.ref1, "2026-2028", leaf); domain.CodeOf(err) != "assessment_not_editable" {
			t.Fatalf("hand-off of a submitted assessment: %v", err)
		}
		audit := service.NewAudit(x.store, x.authz)
		recs, err := audit.List(ctx, x.rpct, store.AuditFilter{Entity: "assessment", EntityID: "2026-2028/" + leaf, Action: "hand_off"}, 1, 10)
		if err != nil || recs.Total != 1 || recs.Items[0].ActorID != x.ref1.UserID {
			t.Fatalf("hand-off audit: %+v %v", recs, err)
		}
	})
}

// TestWithdrawHandOff: the referente takes a hand-off back; withdrawing none is a conflict.
func TestWithdrawHandOff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		leaf := "A1.1.1.2"
		if _, err := x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", leaf, partialAssessment()); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.WithdrawHandOff(ctx, x.ref1, "2026-2028", leaf); domain.CodeOf(err) != "not_handed_off" {
			t.Fatalf("withdraw of nothing: %v", err)
		}
		if _, err := x.reg.HandOff(ctx, x.ref1, "2026-2028", leaf); err != nil {
			t.Fatal(err)
		}
		st, err := x.reg.WithdrawHandOff(ctx, x.ref1, "2026-2028", leaf)
		if err != nil || st.HandedOff != nil {
			t.Fatalf("withdraw: %+v %v", st, err)
		}
	})
}

// TestDuplicateEventWarning: the same event twice on one leaf is saved, with a warning naming the repetition.
func TestDuplicateEventWarning(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		a := sampleAssessment(0)
		dup := a.Risks[0]
		dup.Measures = []string{"m1"}
		own := a.Risks[1]
		own.EventDescription = "  il funzionario COMUNICA in anticipo a un'impresa l'esito della graduatoria "
		a.Risks = append(a.Risks, dup, own)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil {
			t.Fatalf("a repeated event is refused: %v", err)
		}
		if len(saved.Warnings) != 2 || saved.Warnings[0].Field != "risks[2].event_code" || saved.Warnings[0].Code != "duplicate_event" ||
			saved.Warnings[1].Field != "risks[3].event_description" {
			t.Fatalf("warnings: %+v", saved.Warnings)
		}
		clean, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", func() domain.Assessment {
			b := *saved
			b.Risks = b.Risks[:2]
			return b
		}())
		if err != nil || len(clean.Warnings) != 0 {
			t.Fatalf("no repetition, still warned: %+v %v", clean.Warnings, err)
		}
	})
}
