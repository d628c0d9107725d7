package service_test

import (
	"context"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/seed"
)

// plannerStats reports whether the planner has statistics of process_nodes: on PostgreSQL the row estimate
// ANALYZE stores in pg_class (-1 or 0 until then) and the time of the last ANALYZE, on SQLite sqlite_stat1.
func plannerStats(t *testing.T, db *database.DB) bool {
	t.Helper()
	var n int64
	if db.Dialect == database.Postgres {
		var analyzed bool
		if err := db.Gorm.Raw(`SELECT c.reltuples > 0 AND s.last_analyze IS NOT NULL FROM pg_class c
			JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = 'process_nodes'::regclass`).Scan(&analyzed).Error; err != nil {
			t.Fatal(err)
		}
		return analyzed
	}
	var exists int64
	if err := db.Gorm.Raw(`SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&exists).Error; err != nil {
		t.Fatal(err)
	}
	if exists == 0 {
		return false
	}
	if err := db.Gorm.Raw(`SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'process_nodes'`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestImportAnalyzes: a large map import leaves the planner with statistics of what it wrote (without them
// PostgreSQL plans the new register as empty tables); a small one leaves that to the database's own upkeep.
func TestImportAnalyzes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(db)
		small := f.tenant(t, "ente-small")
		f.mustImport(t, small, "2026-2028", dbtest.SmallMap())
		if db.Dialect == database.SQLite && plannerStats(t, db) {
			// (PostgreSQL's autovacuum may analyse on its own at any time: only SQLite can show the absence.)
			t.Fatal("a 10-node import analysed the tables")
		}
		m, err := seed.BasilicataMap()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.maps.Import(context.Background(), f.tenant(t, "ente-large"), "2026-2028", m); err != nil {
			t.Fatal(err)
		}
		if !plannerStats(t, db) {
			t.Fatalf("no planner statistics of process_nodes after importing %d nodes", len(m.Nodes))
		}
	})
}
