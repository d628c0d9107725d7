package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
	"gorm.io/gorm/logger"
)

// BenchmarkWholeRegister checks the goal of issue 19 "whole register ≤ 1.5× the raw SQL fetch of the same rows
// plus JSON encoding" on a live register of 1,500 actions (3,000 risks, 3,000 measures), analysed. The whole
// register is what the web interface reads (loadRegister in frontend/src/lib/register/data.ts): pages of
// 1,000 rows, the first by number and each next one by the previous page's cursor, each encoded as the
// handler answers it. The raw fetch is one hand-written statement (database/sql) reading the same rows with
// the same columns, the leaf's units and risk areas and the risk's measure count and types, scanned and
// encoded with json.Marshal; it computes no measures_missing (the service derives it from each measure's
// phases, dates, unit and indicators), so it is the floor, not an equivalent. Sub-benchmarks: service,
// raw-sql, and both alternately in one loop with the ratio service/raw.
func BenchmarkWholeRegister(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		w := newWorkflowBench(b, open(b), 1500)
		ctx := context.Background()
		if err := w.x.store.Analyze(ctx, append(append([]string{}, store.MapTables...), store.RegisterTables...)...); err != nil {
			b.Fatal(err)
		}
		cycle, err := w.x.store.CycleByCode(ctx, w.x.tn.EnteID, "2026-2028")
		if err != nil {
			b.Fatal(err)
		}
		db := w.x.db
		viaService := func() int {
			rows, cursor, size := 0, "", 0
			for {
				f := store.RegisterFilter{PageSize: domain.MaxPageSize}
				if cursor == "" {
					f.Page = 1
				}
				p, err := w.x.reg.ListFrom(ctx, w.x.oiv, "2026-2028", f, cursor)
				if err != nil {
					b.Fatal(err)
				}
				body, err := json.Marshal(p)
				if err != nil {
					b.Fatal(err)
				}
				rows, size = rows+len(p.Items), size+len(body)
				if !p.HasMore {
					break
				}
				cursor = p.NextCursor
			}
			if rows != 3000 {
				b.Fatalf("service read %d rows", rows)
			}
			return size
		}
		raw := rawRegisterFetch(b, db, w.x.tn.EnteID, cycle.ID)
		sizes := [2]int{viaService(), raw()}
		b.Logf("JSON bytes: service %d, raw %d", sizes[0], sizes[1])
		logStatements(b, db, "whole register through the service", func() { viaService() })
		b.Run("service/actions=1500", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				viaService()
			}
		})
		b.Run("raw-sql/actions=1500", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				raw()
			}
		})
		b.Run("alternating/actions=1500", func(b *testing.B) {
			var took [2]time.Duration
			for i := 0; i < b.N; i++ {
				order := []int{0, 1}
				if i%2 == 1 {
					order = []int{1, 0}
				}
				for _, side := range order {
					start := time.Now()
					if side == 0 {
						viaService()
					} else {
						raw()
					}
					took[side] += time.Since(start)
				}
			}
			svc, sql := float64(took[0].Microseconds())/1000/float64(b.N), float64(took[1].Microseconds())/1000/float64(b.N)
			b.ReportMetric(svc, "service-ms")
			b.ReportMetric(sql, "raw-ms")
			b.ReportMetric(svc/sql, "service/raw")
		})
	})
}

// rawRow is a register row as the raw fetch reads it: the JSON fields of store.RegisterRow.
type rawRow struct {
	Node             string       `json:"node"`
	NodeTitle        string       `json:"node_title"`
	Units            []string     `json:"units"`
	RiskAreas        []string     `json:"risk_areas"`
	State            string       `json:"state"`
	RiskID           string       `json:"risk_id"`
	EventCode        string       `json:"event_code"`
	EventDescription string       `json:"event_description"`
	InherentLevel    string       `json:"inherent_level"`
	ResidualLevel    string       `json:"residual_level"`
	InherentCell     *store.Cell  `json:"inherent_cell"`
	ResidualCell     *store.Cell  `json:"residual_cell"`
	Decision         string       `json:"decision"`
	Priority         int          `json:"priority"`
	MeasureTypes     jsonCodeList `json:"measure_types"`
	Measures         int          `json:"measures"`
	MeasuresMissing  []string     `json:"measures_missing"`
}

// jsonCodeList is a list of codes read as one comma-separated text (string_agg / group_concat).
type jsonCodeList []string

// rawRegisterFetch returns the raw fetch of the whole register: one statement, scanned, JSON-encoded; it
// returns the size of the JSON.
func rawRegisterFetch(b *testing.B, db *database.DB, enteID, cycleID string) func() int {
	agg := "string_agg(%s, ',' ORDER BY %s)"
	if db.Dialect == database.SQLite {
		// SQLite 3.44+ takes ORDER BY inside an aggregate.
		agg = "group_concat(%s, ',' ORDER BY %s)"
	}
	// The lists are aggregated once per leaf and per risk over the ente's cycle and joined to the rows (hash
	// joins), which PostgreSQL runs faster than a correlated sub-select per row.
	units, areas, types := fmt.Sprintf(agg, "x.code", "l.position"), fmt.Sprintf(agg, "x.code", "l.position"), fmt.Sprintf(agg, "m.measure_type", "m.measure_type")
	stmt := `WITH u AS (SELECT l.node_id, ` + units + ` AS codes FROM process_node_units l JOIN org_units x ON x.id = l.unit_id
			WHERE l.ente_id = $1 AND l.cycle_id = $2 GROUP BY l.node_id),
		ar AS (SELECT l.node_id, ` + areas + ` AS codes FROM process_node_risk_areas l JOIN risk_areas x ON x.id = l.risk_area_id
			WHERE l.ente_id = $1 AND l.cycle_id = $2 GROUP BY l.node_id),
		mt AS (SELECT mr.risk_entry_id, ` + types + ` AS codes FROM measure_risks mr JOIN measures m ON m.id = mr.measure_id
			WHERE mr.ente_id = $1 AND m.ente_id = $1 AND m.cycle_id = $2 AND m.withdrawn_at IS NULL GROUP BY mr.risk_entry_id)
		SELECT n.code, n.title, a.state, r.id, r.event_code, r.event_description, r.inherent_level, r.residual_level,
			r.inherent_cell_l, r.inherent_cell_i, r.residual_cell_l, r.residual_cell_i, r.decision, r.priority,
			COALESCE(u.codes, ''), COALESCE(ar.codes, ''), COALESCE(mt.codes, '')
		FROM risk_entries r JOIN assessments a ON a.id = r.assessment_id JOIN process_nodes n ON n.id = a.node_id
			LEFT JOIN u ON u.node_id = n.id LEFT JOIN ar ON ar.node_id = n.id LEFT JOIN mt ON mt.risk_entry_id = r.id
		WHERE r.ente_id = $1 AND r.cycle_id = $2 AND a.ente_id = $1 AND a.cycle_id = $2 AND n.ente_id = $1 AND n.cycle_id = $2
		ORDER BY n.position, n.id, r.position, r.id`
	if db.Dialect == database.SQLite {
		stmt = sqliteParams(stmt)
	}
	ctx := context.Background()
	return func() int {
		rows, err := db.SQL().QueryContext(ctx, stmt, enteID, cycleID)
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		out := []rawRow{}
		for rows.Next() {
			var r rawRow
			var inherent, residual store.Cell
			var units, areas, types string
			if err := rows.Scan(&r.Node, &r.NodeTitle, &r.State, &r.RiskID, &r.EventCode, &r.EventDescription, &r.InherentLevel,
				&r.ResidualLevel, &inherent[0], &inherent[1], &residual[0], &residual[1], &r.Decision, &r.Priority, &units, &areas, &types); err != nil {
				b.Fatal(err)
			}
			if r.InherentLevel != "" {
				r.InherentCell = &inherent
			}
			if r.ResidualLevel != "" {
				r.ResidualCell = &residual
			}
			r.Units, r.RiskAreas, r.MeasureTypes = splitList(units), splitList(areas), splitList(types)
			r.Measures, r.MeasuresMissing = len(r.MeasureTypes), []string{}
			r.MeasureTypes = dedupSorted(r.MeasureTypes)
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		if len(out) != 3000 {
			b.Fatalf("raw fetch read %d rows", len(out))
		}
		body, err := json.Marshal(map[string]any{"items": out, "has_more": false, "page": 1, "page_size": domain.MaxPageSize})
		if err != nil {
			b.Fatal(err)
		}
		return len(body)
	}
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func dedupSorted(l []string) []string {
	out := l[:0]
	for _, v := range l {
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}

// sqliteParams turns $1, $2 into ?1, ?2 (SQLite's numbered parameters).
func sqliteParams(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			out = append(out, '?')
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

// statementTimes is a gorm logger that records the time of each statement, to say where a read's time goes
// (ARGINE_BENCH_STATEMENTS=1).
type statementTimes struct {
	logger.Interface
	mu    sync.Mutex
	lines []string
}

func (s *statementTimes) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	sql, rows := fc()
	if len(sql) > 90 {
		sql = sql[:90] + "…"
	}
	s.mu.Lock()
	s.lines = append(s.lines, fmt.Sprintf("%7.2f ms %5d rows  %s", float64(time.Since(begin).Microseconds())/1000, rows, sql))
	s.mu.Unlock()
}

// logStatements runs read once with every statement timed and logs the times.
func logStatements(b *testing.B, db *database.DB, name string, read func()) {
	if os.Getenv("ARGINE_BENCH_STATEMENTS") == "" {
		return
	}
	st := &statementTimes{Interface: db.Gorm.Logger}
	saved := db.Gorm.Logger
	db.Gorm.Logger = st
	start := time.Now()
	read()
	total := time.Since(start)
	db.Gorm.Logger = saved
	b.Logf("%s: %.2f ms in all, statements:\n%s", name, float64(total.Microseconds())/1000, strings.Join(st.lines, "\n"))
}
