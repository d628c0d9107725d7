package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// realActors replaces the fixture's actors with users that exist in the database, so that notifications have
// someone to reach; it also creates a director of AD1 in another ente.
func realActors(t *testing.T, x *registerFixture) {
	t.Helper()
	ctx := context.Background()
	mk := func(tn service.Tenant, name string, g domain.Grant) domain.Actor {
		u, err := x.store.CreateUser(ctx, domain.User{EnteID: tn.EnteID, Username: name + "-" + tn.EnteCode, FullName: "Utente " + name,
			Email: name + "@" + tn.EnteCode + ".example", Grants: []domain.Grant{g}}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return domain.Actor{UserID: u.ID, EnteID: tn.EnteID, EnteCode: tn.EnteCode, Username: u.Username, Grants: []domain.Grant{g}, GrantsVersion: 1}
	}
	x.dir1 = mk(x.tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
	x.dir2 = mk(x.tn, "dir2", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD2"})
	x.ref1 = mk(x.tn, "ref1", domain.Grant{Role: domain.RoleReferente, UnitCode: "AD1"})
	x.oiv = mk(x.tn, "oiv", domain.Grant{Role: domain.RoleOIV})
	x.rpct = mk(x.tn, "rpct", domain.Grant{Role: domain.RoleRPCT})
	x.admin = mk(x.tn, "admin", domain.Grant{Role: domain.RoleAdmin})
	other := x.tenant(t, "ente-b")
	mk(other, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
	mk(other, "rpct", domain.Grant{Role: domain.RoleRPCT})
}

// inbox returns who's notifications by kind.
func inbox(t *testing.T, st *store.Store, who domain.Actor) map[string][]store.Notification {
	t.Helper()
	items, _, err := st.Inbox(context.Background(), who.EnteID, who.UserID, false, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]store.Notification{}
	for _, n := range items {
		out[n.Kind] = append(out[n.Kind], n)
	}
	return out
}

func TestNotificationEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		leaf := "A1.1.1.2" // unit AD1
		if _, err := x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", leaf, sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, x.dir1, "2026-2028", leaf, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		got := inbox(t, x.store, x.rpct)["assessment_submitted"]
		if len(got) != 1 || !strings.Contains(got[0].Subject, leaf) || got[0].Link != "/revisione/"+leaf+"?ciclo=2026-2028" {
			t.Fatalf("rpct told of the submission: %+v", got)
		}
		if len(inbox(t, x.store, x.dir1)) != 0 {
			t.Fatal("the submitter was told of their own submission")
		}
		if _, err := wf.Transition(ctx, x.rpct, "2026-2028", leaf, domain.TransitionReturn, why); err != nil {
			t.Fatal(err)
		}
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			got := inbox(t, x.store, who)["assessment_returned"]
			if len(got) != 1 || !strings.Contains(got[0].Body, why) || got[0].Link != "/valutazioni/"+leaf+"?ciclo=2026-2028" {
				t.Fatalf("%s told of the return: %+v", who.Username, got)
			}
		}
		// A comment reaches the thread's other participants (the RPCT, who commented with the return), not
		// the referente who never wrote in it.
		a, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", leaf)
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, *a); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.AddComment(ctx, x.dir1, "2026-2028", leaf, "Ho rivisto le misure come richiesto."); err != nil {
			t.Fatal(err)
		}
		if got := inbox(t, x.store, x.rpct)["comment"]; len(got) != 1 || !strings.Contains(got[0].Body, "Ho rivisto le misure") {
			t.Fatalf("rpct told of the comment: %+v", got)
		}
		if got := inbox(t, x.store, x.ref1)["comment"]; len(got) != 0 {
			t.Fatalf("a non-participant told of the comment: %+v", got)
		}
		if _, err := wf.Transition(ctx, x.dir1, "2026-2028", leaf, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, x.rpct, "2026-2028", leaf, domain.TransitionApprove, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, x.rpct, "2026-2028", leaf, domain.TransitionReopen, "Nuovi elementi emersi dai controlli"); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"assessment_approved", "assessment_reopened"} {
			if got := inbox(t, x.store, x.ref1)[kind]; len(got) != 1 {
				t.Fatalf("referente told %s: %+v", kind, got)
			}
		}
		// The OIV note reaches the RPCT.
		if _, err := service.NewOIVNotes(x.store, x.authz).Add(ctx, x.oiv, "2026-2028", store.OIVNote{TargetKind: "cycle", Body: "Verificare la tempistica delle misure."}); err != nil {
			t.Fatal(err)
		}
		if got := inbox(t, x.store, x.rpct)["oiv_note"]; len(got) != 1 || !strings.Contains(got[0].Body, "Verificare la tempistica") {
			t.Fatalf("rpct told of the OIV note: %+v", got)
		}
		// A privileged request reaches who may confirm it (not the requester, not the person concerned), urgently.
		if _, err := service.NewUsers(x.store, x.authz, nil).RequestChange(ctx, x.admin, service.RequestInput{Kind: domain.RequestGrantRPCT, TargetID: x.dir2.UserID}); err != nil {
			t.Fatal(err)
		}
		if got := inbox(t, x.store, x.rpct)["privileged_request"]; len(got) != 1 || got[0].Urgent != 1 || !strings.Contains(got[0].Body, "assegnare il ruolo RPCT") {
			t.Fatalf("rpct told of the request: %+v", got)
		}
		if got := inbox(t, x.store, x.dir2)["privileged_request"]; len(got) != 0 {
			t.Fatal("the person concerned was asked to confirm")
		}
		// Nothing leaks: the OIV saw no draft, review or comment; the other unit's director and the other ente
		// nothing at all.
		if got := inbox(t, x.store, x.oiv); len(got) != 0 {
			t.Fatalf("the OIV was told: %v", got)
		}
		if got := inbox(t, x.store, x.dir2); len(got) != 0 {
			t.Fatalf("another unit's director was told: %v", got)
		}
		var foreign int64
		if err := db.Gorm.Raw("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.ente_id <> n.ente_id OR n.ente_id <> ?", x.tn.EnteID).Scan(&foreign).Error; err != nil || foreign != 0 {
			t.Fatalf("notifications outside the ente: %d %v", foreign, err)
		}
		// Every notification with an address queued an e-mail or waits for the digest, scoped to the ente.
		mails, total, err := x.store.OutboxPage(ctx, x.tn.EnteID, "", 0, 1000)
		if err != nil || total == 0 {
			t.Fatalf("outbox: %d %v", total, err)
		}
		for _, m := range mails {
			if !strings.HasSuffix(m.ToAddress, "@ente-a.example") || !strings.HasPrefix(m.Body, "Gentile ") {
				t.Fatalf("e-mail: %+v", m)
			}
		}
	})
}

// Monitoring and adoption events: the round reaches the units with monitored measures, "integrazioni
// richieste" the measure's unit, the adoption everyone in the ente (and nobody outside it).
func TestNotificationMonitoringAndAdoption(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		mon := service.NewMonitoring(x.store, x.authz)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)) // m1 is AD1's
		if err != nil {
			t.Fatal(err)
		}
		consolidateFor(t, x, "A1.1.1.2")
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			if got := inbox(t, x.store, who)["monitoring_round_opened"]; len(got) != 1 || !strings.Contains(got[0].Body, "2026-12-31") {
				t.Fatalf("%s told of the round: %+v", who.Username, got)
			}
		}
		if count(t, x.store, x.dir2, "monitoring_round_opened")+count(t, x.store, x.oiv, "monitoring_round_opened") != 0 {
			t.Fatal("the round reached a unit without monitored measures, or the OIV")
		}
		m1 := saved.Measures[0].ID
		if _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{Status: "attuata",
			IndicatorValues: []store.IndicatorValue{{Name: "pratiche controllate / pratiche", Value: "12%"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{CheckOutcome: "integrazioni_richieste",
			Suitability: "parzialmente_idonea", CheckNotes: "Allegare il verbale dei controlli."}); err != nil {
			t.Fatal(err)
		}
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			if got := inbox(t, x.store, who)["monitoring_integration"]; len(got) != 1 || !strings.Contains(got[0].Body, "Allegare il verbale") {
				t.Fatalf("%s told of the request for more: %+v", who.Username, got)
			}
		}
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); err != nil {
			t.Fatal(err)
		}
		for _, who := range []domain.Actor{x.dir1, x.dir2, x.ref1, x.oiv, x.admin} {
			if got := inbox(t, x.store, who)["cycle_adopted"]; len(got) != 1 || !strings.Contains(got[0].Body, "n. 12") {
				t.Fatalf("%s told of the adoption: %+v", who.Username, got)
			}
		}
		if _, err := cycles.Publish(ctx, x.rpct, "2026-2028", service.PublicationInput{URL: "https://ente.example/piao", Date: "2027-01-30"}); err != nil {
			t.Fatal(err)
		}
		if got := inbox(t, x.store, x.oiv)["cycle_published"]; len(got) != 1 || !strings.Contains(got[0].Body, "https://ente.example/piao") {
			t.Fatalf("OIV told of the publication: %+v", got)
		}
		var outside int64
		if err := db.Gorm.Raw("SELECT COUNT(*) FROM notifications WHERE ente_id <> ?", x.tn.EnteID).Scan(&outside).Error; err != nil || outside != 0 {
			t.Fatalf("notifications outside the ente: %d %v", outside, err)
		}
	})
}

// A referente's hand-off reaches the directors of the lead unit, not the other referenti.
func TestNotificationHandOff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		if _, err := x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.HandOff(ctx, x.ref1, "2026-2028", "A1.1.1.2"); err != nil {
			t.Fatal(err)
		}
		if got := inbox(t, x.store, x.dir1)["assessment_handed_off"]; len(got) != 1 || !strings.Contains(got[0].Subject, "A1.1.1.2") {
			t.Fatalf("director told of the hand-off: %+v", got)
		}
		if count(t, x.store, x.ref1, "assessment_handed_off")+count(t, x.store, x.dir2, "assessment_handed_off")+count(t, x.store, x.rpct, "assessment_handed_off") != 0 {
			t.Fatal("the hand-off reached someone else")
		}
	})
}
