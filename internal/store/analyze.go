package store

import (
	"context"
	"fmt"

	"github.com/argine-pa/argine/internal/database"
)

// AnalyzeThreshold is how many rows a bulk write must touch before it refreshes the planner's statistics
// itself: below it the database's own upkeep (PostgreSQL's autovacuum) keeps them close enough.
const AnalyzeThreshold = 100

// MapTables are the tables a map import fills.
var MapTables = []string{"cycles", "org_units", "strategic_objectives", "risk_areas", "process_nodes",
	"process_node_units", "process_node_objectives", "process_node_risk_areas"}

// RegisterTables are the tables a register import, a roll-forward or a bulk copy fill.
var RegisterTables = []string{"assessments", "risk_entries", "measures", "measure_risks", "measure_programme_links",
	"cycle_exclusions", "audit_log"}

// Analyze refreshes the query planner's statistics of tables after a bulk write. Without them PostgreSQL plans
// a freshly imported register as if its tables were empty (the measure-links join then degenerates into
// nested loops: 18-25 s for a document that takes 1-2 s once analysed), and SQLite has no sqlite_stat1 to
// choose between its indexes. It must run outside a transaction, after the write committed; it changes no
// data, so it writes no audit record.
func (s *Store) Analyze(ctx context.Context, tables ...string) error {
	for _, t := range tables {
		if !analyzable[t] {
			return fmt.Errorf("store: analyze: unknown table %q", t)
		}
	}
	if s.dialect == database.Postgres {
		// One statement for all the tables; ANALYZE samples a bounded number of rows per table.
		stmt := "ANALYZE"
		for i, t := range tables {
			if i > 0 {
				stmt += ","
			}
			stmt += " " + t
		}
		return wrap(s.q(ctx).Exec(stmt).Error, "analyze")
	}
	for _, t := range tables {
		if err := s.q(ctx).Exec("ANALYZE " + t).Error; err != nil {
			return wrap(err, "analyze")
		}
	}
	return nil
}

var analyzable = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range append(append([]string{}, MapTables...), RegisterTables...) {
		m[t] = true
	}
	return m
}()
