package service_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/store"
)

// TestEnteCycleStatistics checks migration 00038 on PostgreSQL: with many entes, the planner expects about
// as many rows of one ente's cycle as there are, not 1/N of them. Without the statistics it multiplied the
// selectivities of ente_id and cycle_id as if independent and expected one row, and at 1,000 entes it then
// nested loops over the whole register (BenchmarkManyEntes, docs/performance.md).
func TestEnteCycleStatistics(t *testing.T) {
	db := dbtest.Postgres(t)
	f, ctx := newFixture(db), context.Background()
	tn := f.tenant(t, "ente-stat")
	f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
	if err := cloneEnte(ctx, db, "ente-stat", 299); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Analyze(ctx, store.MapTables...); err != nil {
		t.Fatal(err)
	}
	cycle, err := f.store.CycleByCode(ctx, tn.EnteID, "2026-2028")
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"process_nodes", "process_node_units"} {
		var actual int64
		if err := db.Gorm.Raw("SELECT COUNT(*) FROM "+table+" WHERE ente_id = ? AND cycle_id = ?", tn.EnteID, cycle.ID).Scan(&actual).Error; err != nil {
			t.Fatal(err)
		}
		var plan string
		if err := db.Gorm.Raw("EXPLAIN (FORMAT JSON) SELECT * FROM "+table+" WHERE ente_id = ? AND cycle_id = ?", tn.EnteID, cycle.ID).Scan(&plan).Error; err != nil {
			t.Fatal(err)
		}
		var parsed []struct {
			Plan struct {
				Rows float64 `json:"Plan Rows"`
			} `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(plan), &parsed); err != nil || len(parsed) != 1 {
			t.Fatalf("plan %s: %v", plan, err)
		}
		if est := parsed[0].Plan.Rows; actual < 4 || est < float64(actual)/2 {
			t.Errorf("%s: the planner expects %.0f rows of the ente's cycle, there are %d", table, est, actual)
		}
	}
}
