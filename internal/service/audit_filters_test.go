package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestAuditFiltersForThePage: the audit page filters by leaf (in any cycle) and hides the sessions, on the
// server; each record carries its author's full name.
func TestAuditFiltersForThePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db) // three saves of A1.1.1.2 by dir1
		ctx := context.Background()
		users := service.NewUsers(x.store, x.authz, service.NewAccessCache(time.Minute))
		u, err := users.AsOperator().Create(ctx, x.tn.EnteID, service.NewUser{Username: "mrossi", FullName: "Mario Rossi",
			Password: "Una-password-lunga-2026", Grants: []domain.Grant{{Role: domain.RoleDirector, UnitCode: "AD2"}}, Permanent: true})
		if err != nil {
			t.Fatal(err)
		}
		mario := actorWith(x.tn, "x", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD2"})
		mario.UserID, mario.Username = u.ID, "mrossi"
		if _, err := x.reg.SaveAssessment(ctx, mario, "2026-2028", "B2.2.1.1", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		for _, action := range []string{"login", "refresh"} {
			if err := x.store.WithTx(ctx, func(tx *store.Store) error {
				return tx.AppendAudit(ctx, &domain.AuditRecord{EnteID: x.tn.EnteID, At: domain.AuditTime(time.Now()), ActorID: u.ID,
					ActorName: "mrossi", Entity: "session", EntityID: "s1", Action: action})
			}); err != nil {
				t.Fatal(err)
			}
		}
		all, err := audit.List(ctx, x.rpct, store.AuditFilter{}, 1, 100)
		if err != nil {
			t.Fatal(err)
		}
		hidden, err := audit.List(ctx, x.rpct, store.AuditFilter{HideSessions: true}, 1, 100)
		if err != nil || hidden.Total != all.Total-2 {
			t.Fatalf("sessions hidden: %d of %d (%v)", hidden.Total, all.Total, err)
		}
		for _, r := range hidden.Items {
			if r.Entity == "session" {
				t.Fatalf("a session shown: %+v", r)
			}
		}
		leaf, err := audit.List(ctx, x.rpct, store.AuditFilter{Leaf: "B2.2.1.1"}, 1, 100)
		if err != nil || leaf.Total != 1 || leaf.Items[0].EntityID != "2026-2028/B2.2.1.1" || leaf.Items[0].ActorFullName != "Mario Rossi" {
			t.Fatalf("by leaf: %+v %v", leaf, err)
		}
		if other, _ := audit.List(ctx, x.rpct, store.AuditFilter{Leaf: "A1.1.1.2"}, 1, 100); other.Total != 3 {
			t.Fatalf("A1.1.1.2 has three saves: %d", other.Total)
		}
		// A leaf code is matched whole: a wildcard in it is a character, not a pattern.
		if none, _ := audit.List(ctx, x.rpct, store.AuditFilter{Leaf: "%"}, 1, 100); none.Total != 0 {
			t.Fatalf("a wildcard matched: %d", none.Total)
		}
		if none, _ := audit.List(ctx, x.rpct, store.AuditFilter{Leaf: "1.1.2"}, 1, 100); none.Total != 0 {
			t.Fatalf("a partial code matched: %d", none.Total)
		}
		// By person and period together with the rest.
		today := time.Now().UTC().Format("2006-01-02")
		mine, err := audit.List(ctx, x.rpct, store.AuditFilter{ActorID: u.ID, From: today, To: today, HideSessions: true}, 1, 100)
		if err != nil || mine.Total != 1 || mine.Items[0].Action != "save" {
			t.Fatalf("by person and day: %+v %v", mine, err)
		}
	})
}
