package service_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

const why = "Le misure non sono adeguatamente descritte"

func TestReviewStory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		audit := service.NewAudit(x.store, x.authz)
		leaf := "A1.1.1.2"
		move := func(who domain.Actor, t domain.Transition, comment string) (service.TransitionResult, error) {
			return wf.Transition(ctx, who, "2026-2028", leaf, t, comment)
		}
		if _, err := move(x.dir1, domain.TransitionSubmit, ""); domain.CodeOf(err) != "transition_not_allowed" {
			t.Fatalf("submit of nothing: %v", err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", leaf, sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := move(x.ref1, domain.TransitionSubmit, ""); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a referente submits: %v", err)
		}
		if _, err := move(x.dir2, domain.TransitionSubmit, ""); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("another unit's director submits: %v", err)
		}
		if _, err := move(x.rpct, domain.TransitionApprove, ""); domain.CodeOf(err) != "transition_not_allowed" {
			t.Fatalf("approval of a draft: %v", err)
		}
		if r, err := move(x.dir1, domain.TransitionSubmit, ""); err != nil || r.State != domain.StateSubmitted {
			t.Fatalf("submit: %+v %v", r, err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, sampleAssessment(2)); domain.CodeOf(err) != "assessment_not_editable" {
			t.Fatalf("edit of a submitted assessment: %v", err)
		}
		for _, who := range []domain.Actor{x.oiv, x.dir1, x.admin} {
			if _, err := move(who, domain.TransitionApprove, ""); !errors.Is(err, domain.ErrForbidden) {
				t.Fatalf("%s approves: %v", who.UserID, err)
			}
		}
		var ve *domain.ValidationError
		if _, err := move(x.rpct, domain.TransitionReturn, "no"); !errors.As(err, &ve) {
			t.Fatalf("return without a real comment: %v", err)
		}
		if r, err := move(x.rpct, domain.TransitionReturn, why); err != nil || r.State != domain.StateReturned {
			t.Fatalf("return: %+v %v", r, err)
		}
		a, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", leaf)
		fixed, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, *a)
		if err != nil || fixed.State != domain.StateDraft {
			t.Fatalf("edit after return: %+v %v", fixed, err)
		}
		if _, err := move(x.dir1, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if r, err := move(x.rpct, domain.TransitionApprove, ""); err != nil || r.State != domain.StateApproved {
			t.Fatalf("approve: %+v %v", r, err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, *fixed); domain.CodeOf(err) != "assessment_not_editable" {
			t.Fatalf("edit of an approved assessment: %v", err)
		}
		if _, err := move(x.rpct, domain.TransitionReopen, ""); !errors.As(err, &ve) {
			t.Fatalf("reopen without a reason: %v", err)
		}
		if r, err := move(x.rpct, domain.TransitionReopen, "Nuovi elementi emersi dai controlli"); err != nil || r.State != domain.StateDraft {
			t.Fatalf("reopen: %+v %v", r, err)
		}
		comments, _ := wf.Comments(ctx, x.oiv, "2026-2028", leaf)
		if len(comments) != 2 || comments[0].Kind != "return" || comments[0].Body != why || comments[1].Kind != "reopen" {
			t.Fatalf("thread %+v", comments)
		}
		if _, err := wf.AddComment(ctx, x.dir1, "2026-2028", leaf, "Risposta del dirigente"); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.AddComment(ctx, x.oiv, "2026-2028", leaf, "L'OIV non commenta qui"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("oiv comments: %v", err)
		}
		ref, _ := x.store.LockAssessment(ctx, x.tn.EnteID, mustCycleID(t, x), mustNodeID(t, x, leaf))
		if n, _ := x.store.HistoryCount(ctx, x.tn.EnteID, ref.ID); n != 1 {
			t.Fatalf("approved versions kept: %d", n)
		}
		page, _ := audit.List(ctx, x.oiv, store.AuditFilter{Entity: "assessment"}, 1, 50)
		var steps []string
		for i := len(page.Items) - 1; i >= 0; i-- {
			steps = append(steps, page.Items[i].Action)
		}
		want := "save submit return save submit approve reopen comment"
		if got := join(steps); got != want {
			t.Fatalf("trail %s, want %s", got, want)
		}
		if v, _ := audit.Verify(ctx, x.oiv); !v.Valid {
			t.Fatalf("chain %+v", v)
		}
	})
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func mustCycleID(t *testing.T, x registerFixture) string {
	c, err := x.store.CycleByCode(context.Background(), x.tn.EnteID, "2026-2028")
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func mustNodeID(t *testing.T, x registerFixture, code string) string {
	n, err := x.store.NodeByCode(context.Background(), x.tn.EnteID, mustCycleID(t, x), code)
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}

func TestFourEyes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		// The Segretario Generale acting as director of Area 1 also holds the RPCT role.
		both := actorWith(x.tn, "sg", domain.Grant{Role: domain.RoleRPCT}, domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		if _, err := x.reg.SaveAssessment(ctx, both, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, both, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, both, "2026-2028", "A1.1.1.2", domain.TransitionApprove, ""); domain.CodeOf(err) != "four_eyes" {
			t.Fatalf("self-approval: %v", err)
		}
		page, _ := service.NewAudit(x.store, x.authz).List(ctx, x.oiv, store.AuditFilter{Action: "approve_refused_four_eyes"}, 1, 5)
		if page.Total != 1 || page.Items[0].ActorID != both.UserID {
			t.Fatalf("the refused self-approval is not recorded: %+v", page)
		}
		if r, err := wf.Transition(ctx, x.rpct, "2026-2028", "A1.1.1.2", domain.TransitionApprove, ""); err != nil || r.State != domain.StateApproved {
			t.Fatalf("another RPCT approves: %+v %v", r, err)
		}
	})
}

// TestConcurrentReviewers: two RPCT-role users approve and return the same assessment at once: one wins, the
// other gets 409 with the current state; and a director's edit racing an approval never gets lost.
func TestConcurrentReviewers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		rpct2 := actorWith(x.tn, "rpct2", domain.Grant{Role: domain.RoleRPCT})
		x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, "")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, step := range []struct {
			who domain.Actor
			t   domain.Transition
		}{{x.rpct, domain.TransitionApprove}, {rpct2, domain.TransitionReturn}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = wf.Transition(ctx, step.who, "2026-2028", "A1.1.1.2", step.t, why)
			}()
		}
		wg.Wait()
		var te *domain.TransitionError
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("want one winner: %v / %v", errs[0], errs[1])
		}
		loser := errs[0]
		if loser == nil {
			loser = errs[1]
		}
		if !errors.As(loser, &te) || (te.From != domain.StateApproved && te.From != domain.StateReturned) {
			t.Fatalf("loser: %v", loser)
		}

		// An edit racing an approval: a submitted assessment is not editable, so the edit is refused with a
		// clear error (never silently lost) and the approval stands.
		leadAD1(t, x)
		x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0))
		wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.1", domain.TransitionSubmit, "")
		current, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.1")
		var editErr, approveErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, editErr = x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", *current)
		}()
		go func() {
			defer wg.Done()
			_, approveErr = wf.Transition(ctx, x.rpct, "2026-2028", "A1.1.1.1", domain.TransitionApprove, "")
		}()
		wg.Wait()
		if approveErr != nil || domain.CodeOf(editErr) != "assessment_not_editable" {
			t.Fatalf("edit %v, approve %v", editErr, approveErr)
		}
	})
}

func TestBulkTransitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		leadAD1(t, x)
		for _, code := range []string{"A1.1.1.1", "A1.1.1.2"} {
			x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", code, sampleAssessment(0))
		}
		x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", sampleAssessment(0))
		res, err := wf.Bulk(ctx, x.dir1, "2026-2028", service.BulkTransition{Action: domain.TransitionSubmit, Unit: "AD1"})
		if err != nil || res.Succeeded != 2 || res.Failed != 0 {
			t.Fatalf("submit unit: %+v %v", res, err)
		}
		// All or nothing: one draft among the selection rolls every approval back.
		res, err = wf.Bulk(ctx, x.rpct, "2026-2028", service.BulkTransition{Action: domain.TransitionApprove,
			Nodes: []string{"A1.1.1.1", "B2.2.1.1", "A1.1.1.2"}, AllOrNothing: true})
		if err != nil || !res.RolledBack || res.Succeeded != 0 || res.Results[1].Code != "transition_not_allowed" || res.Results[0].Code != "rolled_back" {
			t.Fatalf("all or nothing: %+v %v", res, err)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1"); a.State != domain.StateSubmitted {
			t.Fatalf("rolled back approval left state %s", a.State)
		}
		res, err = wf.Bulk(ctx, x.rpct, "2026-2028", service.BulkTransition{Action: domain.TransitionApprove,
			Nodes: []string{"A1.1.1.1", "B2.2.1.1", "A1.1.1.2", "A1.1"}})
		if err != nil || res.Succeeded != 2 || res.Failed != 2 || res.Results[1].State != domain.StateDraft || res.Results[3].Code != "node_not_leaf" {
			t.Fatalf("best effort: %+v %v", res, err)
		}
	})
}

func TestProgressAndDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, "")
		x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", sampleAssessment(0))
		if _, err := wf.SetDeadline(ctx, x.dir1, "2026-2028", "2026-03-31"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director sets the deadline: %v", err)
		}
		wf.SetClock(func() time.Time { return time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC) })
		p, err := wf.SetDeadline(ctx, x.rpct, "2026-2028", "2026-03-31")
		if err != nil || !p.Overdue || p.Deadline != "2026-03-31" {
			t.Fatalf("progress %+v %v", p, err)
		}
		byUnit := map[string]store.UnitProgress{}
		for _, u := range p.Units {
			byUnit[u.Unit] = u
		}
		// SmallMap leaves: A1.1.1.1 (SG, AD1), A1.1.1.2 (AD1), B2.1 BIS (AD2), B2.2.1.1 (AD2).
		if ad1 := byUnit["AD1"]; ad1.Leaves != 2 || ad1.States["submitted"] != 1 || ad1.States["not_started"] != 1 || ad1.Overdue != 1 {
			t.Fatalf("AD1 %+v", ad1)
		}
		if ad2 := byUnit["AD2"]; ad2.States["draft"] != 1 || ad2.Overdue != 2 {
			t.Fatalf("AD2 %+v", ad2)
		}
		mine, _ := wf.Progress(ctx, x.dir2, "2026-2028")
		if len(mine.Units) != 1 || mine.Units[0].Unit != "AD2" {
			t.Fatalf("a director sees %+v", mine.Units)
		}
	})
}

// TestCommentsNameTheirAuthors: the thread shows people by their full name (as the ente knows them now), beside
// the username the comment was written under; an author who is not a user of the ente keeps the username only.
func TestCommentsNameTheirAuthors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		users := service.NewUsers(x.store, x.authz, service.NewAccessCache(time.Minute))
		u, err := users.AsOperator().Create(ctx, x.tn.EnteID, service.NewUser{Username: "lverdi", FullName: "Laura Verdi",
			Password: "Una-password-lunga-2026", Grants: []domain.Grant{{Role: domain.RoleDirector, UnitCode: "AD1"}}, Permanent: true})
		if err != nil {
			t.Fatal(err)
		}
		laura := actorWith(x.tn, "x", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		laura.UserID, laura.Username = u.ID, "lverdi"
		leaf := "A1.1.1.2"
		if _, err := x.reg.SaveAssessment(ctx, laura, "2026-2028", leaf, sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		posted, err := wf.AddComment(ctx, laura, "2026-2028", leaf, "Ho aggiunto la misura di rotazione.")
		if err != nil || posted.AuthorFullName != "Laura Verdi" || posted.AuthorName != "lverdi" {
			t.Fatalf("posted %+v %v", posted, err)
		}
		if _, err := wf.AddComment(ctx, x.dir1, "2026-2028", leaf, "Confermo la proposta."); err != nil {
			t.Fatal(err)
		}
		thread, err := wf.Comments(ctx, x.oiv, "2026-2028", leaf)
		if err != nil || len(thread) != 2 {
			t.Fatalf("thread %+v %v", thread, err)
		}
		if thread[0].AuthorFullName != "Laura Verdi" || thread[1].AuthorFullName != "" {
			t.Fatalf("full names %q %q", thread[0].AuthorFullName, thread[1].AuthorFullName)
		}
	})
}
