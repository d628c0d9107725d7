package store

import (
	"context"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestRegisterDataBlocksReplacement checks the guard the import relies on: a row in any register table for
// the cycle counts, a row of another cycle or ente does not.
func TestRegisterDataBlocksReplacement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, s := context.Background(), New(db)
		a, _ := s.CreateEnte(ctx, "ente-a", "A")
		b, _ := s.CreateEnte(ctx, "ente-b", "B")
		if err := s.EnsureCycle(ctx, a.ID, "2026-2028", 2026, 2028); err != nil {
			t.Fatal(err)
		}
		if err := s.EnsureCycle(ctx, a.ID, "2026-2028", 2026, 2028); err != nil {
			t.Fatalf("EnsureCycle must be idempotent: %v", err)
		}
		cycle, _ := s.CycleByCode(ctx, a.ID, "2026-2028")
		if err := db.Gorm.Exec("CREATE TABLE register_probe (ente_id TEXT NOT NULL, cycle_id TEXT NOT NULL)").Error; err != nil {
			t.Fatal(err)
		}
		saved := registerTables
		registerTables = []string{"register_probe"}
		t.Cleanup(func() { registerTables = saved })

		has := func() bool {
			ok, err := s.CycleHasRegisterData(ctx, a.ID, cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if has() {
			t.Fatal("empty register table reported as data")
		}
		db.Gorm.Exec("INSERT INTO register_probe VALUES (?, ?)", b.ID, cycle.ID)
		if has() {
			t.Fatal("another ente's row counted")
		}
		db.Gorm.Exec("INSERT INTO register_probe VALUES (?, ?)", a.ID, cycle.ID)
		if !has() {
			t.Fatal("register row not seen")
		}
	})
}
