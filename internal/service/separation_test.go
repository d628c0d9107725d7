package service_test

import (
	"context"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestApproveRefusedToContentEditor: whoever saved an assessment's content since its last approval cannot
// approve it, even when someone else submitted it; an edit made before the last approval no longer counts.
func TestApproveRefusedToContentEditor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		step := func(who domain.Actor, tr domain.Transition, comment string) error {
			_, err := wf.Transition(ctx, who, "2026-2028", "A1.1.1.2", tr, comment)
			return err
		}
		// The Segretario Generale, RPCT and also director of Area 1, writes the content; dir1 submits it.
		both := actorWith(x.tn, "sg", domain.Grant{Role: domain.RoleRPCT}, domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		if _, err := x.reg.SaveAssessment(ctx, both, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if err := step(x.dir1, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if err := step(both, domain.TransitionApprove, ""); domain.CodeOf(err) != "four_eyes_editor" {
			t.Fatalf("the author approves: %v", err)
		}
		page, _ := service.NewAudit(x.store, x.authz).List(ctx, x.oiv, store.AuditFilter{Action: "approve_refused_four_eyes"}, 1, 5)
		if page.Total != 1 || page.Items[0].ActorID != both.UserID {
			t.Fatalf("the refused approval is not recorded: %+v", page)
		}
		if err := step(x.rpct, domain.TransitionApprove, ""); err != nil {
			t.Fatalf("another RPCT approves: %v", err)
		}
		// Reopened and changed by dir1 only: the Segretario's edit came before the last approval.
		if err := step(x.rpct, domain.TransitionReopen, "Aggiornare la misura dopo il controllo"); err != nil {
			t.Fatal(err)
		}
		current, err := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *current); err != nil {
			t.Fatal(err)
		}
		if err := step(x.dir1, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if err := step(both, domain.TransitionApprove, ""); err != nil {
			t.Fatalf("an RPCT whose edit predates the last approval: %v", err)
		}
	})
}

// TestCheckRefusedToMeasureOwner: the second-level check of a measure is refused to a user holding a director
// or referente grant on the measure's unit, and to whoever recorded its self-assessment.
func TestCheckRefusedToMeasureOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		m1 := saved.Measures[0].ID // unit AD1
		consolidateFor(t, x, "A1.1.1.2")
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale",
			ReferenceDates: []string{"2026-12-31"}, SamplingCriteria: "casuale", SamplePercent: 50}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		// The Segretario, RPCT and director of Area 1, self-assesses the measure of Area 1...
		sg := actorWith(x.tn, "sg", domain.Grant{Role: domain.RoleRPCT}, domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		if _, err := mon.SelfAssess(ctx, sg, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{Status: "attuata"}); err != nil {
			t.Fatal(err)
		}
		check := store.MonitoringEntry{CheckOutcome: "confermato", Suitability: "idonea"}
		// ...and cannot check it while director of its unit,
		if _, err := mon.Check(ctx, sg, "2026-2028", "2026-12-31", m1, check); domain.CodeOf(err) != "four_eyes_measure" {
			t.Fatalf("the unit's director checks its measure: %v", err)
		}
		// nor once the director grant is gone, having recorded the self-assessment.
		sgNow := sg
		sgNow.Grants, sgNow.GrantsVersion = []domain.Grant{{Role: domain.RoleRPCT}}, 2
		if _, err := mon.Check(ctx, sgNow, "2026-2028", "2026-12-31", m1, check); domain.CodeOf(err) != "four_eyes_measure" {
			t.Fatalf("the self-assessor checks: %v", err)
		}
		// A referente of the unit who is also RPCT is refused as well; an independent RPCT checks.
		refRPCT := actorWith(x.tn, "rr", domain.Grant{Role: domain.RoleRPCT}, domain.Grant{Role: domain.RoleReferente, UnitCode: "AD1"})
		if _, err := mon.Check(ctx, refRPCT, "2026-2028", "2026-12-31", m1, check); domain.CodeOf(err) != "four_eyes_measure" {
			t.Fatalf("a referente of the unit checks: %v", err)
		}
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-12-31", m1, check); err != nil {
			t.Fatalf("an independent RPCT checks: %v", err)
		}
	})
}
