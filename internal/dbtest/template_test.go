package dbtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// The fixture of these tests: an ente with the small map and its starter catalogue, written through the
// services, so the audit trail, its heads and the identity sequence all hold rows.
var fixture = dbtest.NewFixture(func(ctx context.Context, db *database.DB) error {
	s := store.New(db)
	az, err := authz.Default()
	if err != nil {
		return err
	}
	e, err := service.NewEntes(s).Ensure(ctx, "ente-a", "Ente A")
	if err != nil {
		return err
	}
	if _, err := service.NewProcessMaps(s, az).Import(ctx, service.Tenant{EnteID: e.ID, EnteCode: e.Code}, "2026-2028", dbtest.SmallMap()); err != nil {
		return err
	}
	_, err = service.NewCatalogues(s, az).EnsureStarter(ctx, e.ID)
	return err
})

func TestMain(m *testing.M) {
	code := m.Run()
	dbtest.CloseFixtures()
	os.Exit(code)
}

// A copied database is a migrated one (nothing pending), and a fresh SQLite copy per test: what one test
// writes the next does not see.
func TestSQLiteIsMigratedAndPrivate(t *testing.T) {
	ctx := context.Background()
	for i := range 2 {
		db := dbtest.SQLite(t)
		m, err := db.NewMigrator()
		if err != nil {
			t.Fatal(err)
		}
		if pending, err := m.HasPending(ctx); err != nil || pending {
			t.Fatalf("copy %d: pending migrations %v, %v", i, pending, err)
		}
		var n int64
		if err := db.Gorm.Raw("SELECT count(*) FROM entes").Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("copy %d: %d entes (%v), want none", i, n, err)
		}
		if _, err := service.NewEntes(store.New(db)).Ensure(ctx, "ente-x", "Ente X"); err != nil {
			t.Fatal(err)
		}
	}
}

// Every copy of a fixture holds the rows the build wrote, goes on from them as the built database would (the
// audit chain verifies after one more audited write, new rows get fresh identifiers), and is the test's own.
func TestFixtureCopies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		other := dbtest.SQLite(t)
		if db.Dialect == database.Postgres {
			other = dbtest.Postgres(t)
		}
		s := store.New(db) // taken before the copy: Load fills the handle the test holds
		fixture.Load(t, db)
		fixture.Load(t, other)
		az, err := authz.Default()
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.EnteByCode(ctx, "ente-a")
		if err != nil {
			t.Fatalf("the fixture's ente: %v", err)
		}
		count := func(db *database.DB, table string) int64 {
			var n int64
			if err := db.Gorm.Raw("SELECT count(*) FROM " + table).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		nodes, records := count(db, "process_nodes"), count(db, "audit_log")
		if nodes != 10 || records == 0 || count(db, "audit_heads") != 1 {
			t.Fatalf("copied %d nodes, %d audit records, %d heads", nodes, records, count(db, "audit_heads"))
		}
		// One more audited write: the head moves on from the copied one, the new record gets a new id.
		tn := service.Tenant{EnteID: e.ID, EnteCode: e.Code}
		m := dbtest.SmallMap()
		m.Nodes[1].Title = "Pianificazione e controllo"
		if _, err := service.NewProcessMaps(s, az).Import(ctx, tn, "2026-2028", m); err != nil {
			t.Fatal(err)
		}
		if got := count(db, "audit_log"); got <= records {
			t.Fatalf("audit records %d after a write, had %d", got, records)
		}
		v, err := service.NewAudit(s, az).VerifyEnte(ctx, e.ID)
		if err != nil || !v.Valid || v.Records != count(db, "audit_log") {
			t.Fatalf("verify after a write on the copy: %+v, %v", v, err)
		}
		// The guards are back on after the copy: a new head must start at record 0.
		if err := db.Gorm.Exec("INSERT INTO audit_heads (ente_id, seq, hash) VALUES (?, 5, 'x')", store.NewID()).Error; err == nil {
			t.Fatal("the audit_heads guard is off after the copy")
		}
		if count(other, "audit_log") != records {
			t.Fatalf("the other copy has %d audit records, want the fixture's %d", count(other, "audit_log"), records)
		}
	})
}
