package service_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"github.com/argine-pa/argine/internal/database"
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
	checkOneTablePlans(t, db, f.store, tn.EnteID, cycle.ID)
}

// checkOneTablePlans checks, among the entes of TestEnteCycleStatistics, the plans of the statements of the
// map's lists (store.Nodes: the process-map tree) and of the dashboard's tally and progress (store.RegisterTally,
// store.Progress): each part reads one table of the ente's cycle by an index and joins none (but the leaves'
// states in the progress). Joined, PostgreSQL expected one row of each join of one ente's rows (its join
// estimate divides by the ids of every ente) and hashed every ente's references or probed them once per link or
// risk; at 1,000 entes the tree took 2.4× and the dashboard 3–11× the time of the ente alone (BenchmarkManyEntes,
// docs/performance.md). The links are read index-only (migration 00039), so that a bitmap scan's heap cost,
// taken as spread over the whole table, does not make the lists look worth parallel workers.
// readByIndex says whether the plan reads table through index. Index-only when the visibility map allows it
// (after the VACUUM below, on a quiet server); a bitmap or plain index scan when another transaction of the
// database (another package's tests in CI) holds the horizon back and the pages are not all-visible yet.
func readByIndex(plan, index, table string) bool {
	return strings.Contains(plan, "Index Only Scan using "+index+" on "+table) ||
		strings.Contains(plan, "Index Scan using "+index+" on "+table) ||
		strings.Contains(plan, "Bitmap Index Scan on "+index)
}

func checkOneTablePlans(t *testing.T, db *database.DB, s *store.Store, enteID, cycleID string) {
	t.Helper()
	ctx := context.Background()
	// The visibility map that index-only scans need, as autovacuum keeps it on a server.
	if err := db.Gorm.Exec("VACUUM (ANALYZE) process_node_units, process_node_objectives, process_node_risk_areas").Error; err != nil {
		t.Fatal(err)
	}
	statements := func(read func() error) []string {
		t.Helper()
		rec := &sqlRecorder{Interface: db.Gorm.Logger}
		saved := db.Gorm.Logger
		db.Gorm.Logger = rec
		err := read()
		db.Gorm.Logger = saved
		if err != nil {
			t.Fatal(err)
		}
		return rec.sql
	}
	plan := func(sql string) string {
		t.Helper()
		var lines []string
		if err := db.Gorm.Raw("EXPLAIN " + sql).Scan(&lines).Error; err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		return strings.Join(lines, "\n")
	}
	joins := regexp.MustCompile(`Join|Nested Loop|Gather|Seq Scan on (process_node|org_units|strategic_objectives|risk_areas|assessments|risk_entries|measures)`)
	lists := 0
	for _, sql := range statements(func() error { _, err := s.Nodes(ctx, enteID, cycleID); return err }) {
		if !strings.Contains(sql, "process_node_units") {
			continue
		}
		lists++
		p := plan(sql)
		if m := joins.FindString(p); m != "" {
			t.Errorf("map lists: the plan has %q (each part should read one table of the ente's cycle by index):\n%s", m, p)
		}
		if strings.Contains(p, "Gather") {
			t.Errorf("map lists: the plan starts parallel workers for a read of a few pages:\n%s", p)
		}
		for _, link := range []string{"process_node_units", "process_node_objectives", "process_node_risk_areas"} {
			if !readByIndex(p, link+"_ente_cycle", link) {
				t.Errorf("map lists: %s is not read by %s_ente_cycle:\n%s", link, link, p)
			}
		}
	}
	if lists != 1 {
		t.Errorf("map lists: %d statements read the links, want 1", lists)
	}
	tally := statements(func() error { _, err := s.RegisterTally(ctx, enteID, cycleID, false); return err })
	if len(tally) != 1 {
		t.Fatalf("tally: %d statements, want 1", len(tally))
	}
	// The campaign's progress (on the dashboard): the unit links are read by the cycle's index, not probed
	// by key once per leaf (store.Progress).
	progress := statements(func() error { _, err := s.Progress(ctx, enteID, cycleID); return err })
	if p := plan(progress[0]); len(progress) != 1 || !readByIndex(p, "process_node_units_ente_cycle", "process_node_units") {
		t.Errorf("progress: %d statements, or the unit links are not read by their cycle's index:\n%s", len(progress), p)
	}
	// The register's tables are empty here (a map only), so the planner fairly scans them whole: only the joins
	// are looked for.
	if p := plan(tally[0]); regexp.MustCompile(`Join|Nested Loop|Gather`).MatchString(p) {
		t.Errorf("tally: the plan joins tables (each part should read one table of the ente's cycle):\n%s", p)
	}
}

// sqlRecorder is a gorm logger that keeps the SQL of each statement, its values written in.
type sqlRecorder struct {
	logger.Interface
	sql []string
}

func (r *sqlRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	r.sql = append(r.sql, sql)
}
