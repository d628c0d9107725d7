package service_test

import (
	"context"
	"errors"

	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// withoutAuditGuards lets a test play the attacker with direct database access: the append-only triggers
// and the guards of the chain heads are lifted (on PostgreSQL only a table owner can do this).
func withoutAuditGuards(t *testing.T, db *database.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
		"DROP TRIGGER audit_heads_start", "DROP TRIGGER audit_heads_forward", "DROP TRIGGER audit_heads_no_delete"}
	if db.Dialect == database.Postgres {
		stmts = []string{"ALTER TABLE audit_log DISABLE TRIGGER USER", "ALTER TABLE audit_heads DISABLE TRIGGER USER"}
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func auditFixture(t *testing.T, db *database.DB) (registerFixture, *service.Audit) {
	x := newRegisterFixture(t, db)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		a := sampleAssessment(int64(i))
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a); err != nil {
			t.Fatal(err)
		}
	}
	return x, service.NewAudit(x.store, x.authz)
}

func TestAuditRecordsEveryChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db)
		ctx := context.Background()
		if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2019-5"}); err != nil {
			t.Fatal(err)
		}
		page, err := audit.List(ctx, x.oiv, store.AuditFilter{}, 1, 100)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for i := len(page.Items) - 1; i >= 0; i-- {
			r := page.Items[i]
			actions = append(actions, r.Entity+":"+r.Action)
		}
		want := "ente:create process_map:created catalogue:seed assessment:save assessment:save assessment:save methodology:choose"
		if strings.Join(actions, " ") != want {
			t.Fatalf("trail %v, want %s", actions, want)
		}
		third, second := page.Items[1], page.Items[2] // newest first
		if third.ActorID != x.dir1.UserID || third.EntityID != "2026-2028/A1.1.1.2" || third.PrevHash != second.Hash || page.Items[3].Before != "" {
			t.Fatalf("record %+v", third)
		}
		if !strings.Contains(third.After, `"version":3`) || !strings.Contains(third.Before, `"version":2`) || !strings.Contains(third.After, `"state":"draft"`) {
			t.Fatalf("before/after of the third save: %s / %s", third.Before, third.After)
		}
		v, err := audit.Verify(ctx, x.rpct)
		if err != nil || !v.Valid || v.Records != 7 || v.Head != 7 {
			t.Fatalf("verify: %+v %v", v, err)
		}
		// Filters.
		if p, _ := audit.List(ctx, x.oiv, store.AuditFilter{Entity: "assessment", ActorID: x.dir1.UserID}, 1, 10); p.Total != 3 {
			t.Fatalf("filtered total %d", p.Total)
		}
		if p, _ := audit.List(ctx, x.oiv, store.AuditFilter{From: "2999-01-01"}, 1, 10); p.Total != 0 {
			t.Fatalf("period filter %d", p.Total)
		}
		// Who may read it.
		for _, who := range []domain.Actor{x.dir1, x.ref1, x.admin} {
			if _, err := audit.List(ctx, who, store.AuditFilter{}, 1, 10); !errors.Is(err, domain.ErrForbidden) {
				t.Errorf("%s reads the trail: %v", who.UserID, err)
			}
		}
		// A refused change leaves no record.
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(1)); err == nil {
			t.Fatal("stale save accepted")
		}
		if v, _ := audit.Verify(ctx, x.rpct); v.Records != 7 {
			t.Fatalf("a refused change was recorded: %d records", v.Records)
		}
	})
}

// TestChangeAndRecordAreOneTransaction: when the record cannot be written, the change is rolled back.
func TestChangeAndRecordAreOneTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db)
		ctx := context.Background()
		v, _ := audit.Verify(ctx, x.rpct)
		// Occupy the next sequence number behind the application's back: the next append must fail.
		if err := db.Gorm.Exec(`INSERT INTO audit_log (ente_id, seq, at, actor_id, actor_name, client_addr, request_id,
			entity, entity_id, action, before, after, prev_hash, hash) VALUES (?, ?, 'x', '', '', '', '', '', '', '', '', '', '', '')`,
			x.tn.EnteID, v.Head+1).Error; err != nil {
			t.Fatal(err)
		}
		cats := service.NewCatalogues(x.store, x.authz)
		ev := domain.RiskEvent{Code: "ER-TX-01", Description: "Il funzionario omette un controllo dovuto", RiskAreas: []string{"M"}}
		if _, err := cats.CreateRiskEvent(ctx, x.rpct, ev); err == nil {
			t.Fatal("the change succeeded although its audit record could not be written")
		}
		if list, _ := cats.RiskEvents(ctx, x.rpct, store.RiskEventFilter{Text: "ER-TX-01"}); len(list) != 0 {
			t.Fatal("a change exists without its audit record")
		}
	})
}

func TestTamperingIsDetected(t *testing.T) {
	cases := []struct {
		name, sql string
		seq       int64
		code      string
	}{
		{"change", "UPDATE audit_log SET after = '{\"forged\":true}' WHERE ente_id = ? AND seq = 5", 5, "record_altered"},
		{"delete", "DELETE FROM audit_log WHERE ente_id = ? AND seq = 4", 4, "record_missing"},
		{"reorder", "UPDATE audit_log SET seq = CASE seq WHEN 4 THEN 5 ELSE 4 END WHERE ente_id = ? AND seq IN (4, 5)", 4, "link_broken"},
		{"delete tail", "DELETE FROM audit_log WHERE ente_id = ? AND seq = 6", 6, "tail_missing"},
		{"change actor", "UPDATE audit_log SET actor_id = 'someone-else' WHERE ente_id = ? AND seq = 2", 2, "record_altered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				x, audit := auditFixture(t, db)
				ctx := context.Background()
				withoutAuditGuards(t, db)
				sql := c.sql
				if c.name == "reorder" {
					// The unique (ente, seq) is checked row by row: swap through a free number.
					for _, step := range []string{"UPDATE audit_log SET seq = -1 WHERE ente_id = ? AND seq = 4",
						"UPDATE audit_log SET seq = 4 WHERE ente_id = ? AND seq = 5", "UPDATE audit_log SET seq = 5 WHERE ente_id = ? AND seq = -1"} {
						if err := db.Gorm.Exec(step, x.tn.EnteID).Error; err != nil {
							t.Fatal(err)
						}
					}
					sql = ""
				}
				if sql != "" {
					if err := db.Gorm.Exec(sql, x.tn.EnteID).Error; err != nil {
						t.Fatal(err)
					}
				}
				v, err := audit.VerifyEnte(ctx, x.tn.EnteID)
				if err != nil {
					t.Fatal(err)
				}
				if v.Valid || v.Break.Seq != c.seq || v.Break.Code != c.code {
					t.Fatalf("verify after %s: %+v %+v", c.name, v, v.Break)
				}
			})
		})
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, _ := auditFixture(t, db)
		for _, sql := range []string{
			"UPDATE audit_log SET action = 'nothing' WHERE ente_id = ?",
			"DELETE FROM audit_log WHERE ente_id = ?",
		} {
			err := db.Gorm.Exec(sql, x.tn.EnteID).Error
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", sql, err)
			}
		}
		if db.Dialect == database.Postgres {
			if err := db.Gorm.Exec("TRUNCATE audit_log").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("TRUNCATE: %v", err)
			}
		}
	})
}

func TestChainsArePerEnte(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db)
		ctx := context.Background()
		other := x.tenant(t, "ente-b")
		v, _ := audit.VerifyEnte(ctx, other.EnteID)
		if !v.Valid || v.Records != 1 { // its own creation
			t.Fatalf("ente-b chain %+v", v)
		}
		reader := actorWith(other, "oiv", domain.Grant{Role: domain.RoleOIV})
		p, _ := audit.List(ctx, reader, store.AuditFilter{}, 1, 50)
		for _, r := range p.Items {
			if r.Entity == "assessment" {
				t.Fatalf("ente-b sees ente-a's records: %+v", r)
			}
		}
	})
}
