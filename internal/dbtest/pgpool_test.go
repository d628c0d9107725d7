package dbtest

import (
	"context"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
)

func currentSchema(t *testing.T, db *database.DB) string {
	t.Helper()
	var s string
	if err := db.Gorm.Raw("SELECT current_schema()").Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

// A schema comes back to the next test migrated and empty, with its guards on and without planner statistics;
// a schema whose structure a test changed is dropped, never handed on.
func TestPostgresSchemasReused(t *testing.T) {
	postgresBase(t)
	ctx := context.Background()
	var first string
	t.Run("writes", func(t *testing.T) {
		db := Postgres(t)
		first = currentSchema(t, db)
		if !strings.HasPrefix(first, "tp_") {
			t.Fatalf("schema %q", first)
		}
		for _, q := range []string{
			"INSERT INTO entes (id, code, name, created_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', 'ente-1', 'Ente 1', now(), now())",
			"INSERT INTO audit_heads (ente_id, seq, hash) VALUES ('00000000-0000-4000-8000-000000000001', 0, '')",
		} {
			if err := db.Gorm.Exec(q).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	})
	t.Run("gets it back empty", func(t *testing.T) {
		db := Postgres(t)
		if got := currentSchema(t, db); got != first {
			t.Fatalf("schema %q, want the released %q", got, first)
		}
		var n int64
		if err := db.Gorm.Raw("SELECT (SELECT count(*) FROM entes) + (SELECT count(*) FROM audit_heads)").Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("%d rows left (%v)", n, err)
		}
		m, err := db.NewMigrator()
		if err != nil {
			t.Fatal(err)
		}
		if pending, err := m.HasPending(ctx); err != nil || pending {
			t.Fatalf("pending %v %v", pending, err)
		}
		// The append-only guard is back on.
		if err := db.Gorm.Exec("INSERT INTO audit_heads (ente_id, seq, hash) VALUES ('00000000-0000-4000-8000-000000000001', 5, 'x')").Error; err == nil {
			t.Fatal("the audit_heads guard is off after emptying")
		}
		if err := db.Gorm.Exec("ALTER TABLE entes ADD COLUMN scratch text").Error; err != nil {
			t.Fatal(err)
		}
	})
	gone := func(t *testing.T, db *database.DB, name string) {
		t.Helper()
		if got := currentSchema(t, db); got == name {
			t.Fatalf("schema %s was handed on", name)
		}
		var n int64
		if err := db.Gorm.Raw("SELECT count(*) FROM pg_namespace WHERE nspname = ?", name).Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("schema %s still exists (%d, %v)", name, n, err)
		}
	}
	var analysed string
	t.Run("a schema with an added column is dropped", func(t *testing.T) {
		db := Postgres(t)
		gone(t, db, first)
		analysed = currentSchema(t, db)
		if err := db.Gorm.Exec("INSERT INTO entes (id, code, name, created_at, updated_at) VALUES " +
			"('00000000-0000-4000-8000-000000000002', 'ente-2', 'Ente 2', now(), now())").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("ANALYZE entes").Error; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a schema comes back without planner statistics", func(t *testing.T) {
		db := Postgres(t)
		if currentSchema(t, db) != analysed {
			t.Skip("the analysed schema was dropped (statistics can be forgotten only as a superuser)")
		}
		var stats bool
		if err := db.Gorm.Raw(`SELECT c.reltuples >= 0 OR s.last_analyze IS NOT NULL OR EXISTS (
			SELECT 1 FROM pg_statistic WHERE starelid = c.oid) FROM pg_class c
			JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = 'entes'::regclass`).Scan(&stats).Error; err != nil || stats {
			t.Fatalf("entes still has planner statistics (%v)", err)
		}
	})
}
