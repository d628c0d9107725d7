package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
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
// phases, dates, unit and indicators), so it is the floor, not an equivalent. The raw fetch of the same rows
// adds that: one more statement for the measures of the cycle's risks, decoded by encoding/json, and the
// domain's rule; before timing, its rows are checked equal to the service's, field by field. Sub-benchmarks:
// service, raw-sql (the floor), raw-sql-same-rows, and the three in turn in one loop with the ratios
// service/raw (to the floor) and service/raw-same-rows.
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
			rows, size := 0, 0
			walkRegister(b, &w, ctx, func(p *service.RegisterPage) {
				body, err := json.Marshal(p)
				if err != nil {
					b.Fatal(err)
				}
				rows, size = rows+len(p.Items), size+len(body)
			})
			if rows != 3000 {
				b.Fatalf("service read %d rows", rows)
			}
			return size
		}
		floor, sameRows := rawRegisterFetch(b, db, w.x.tn.EnteID, cycle.ID, false), rawRegisterFetch(b, db, w.x.tn.EnteID, cycle.ID, true)
		raw := func() int { n, _ := floor(); return n }
		equivalent := func() int { n, _ := sameRows(); return n }
		sizes := [3]int{viaService(), raw(), equivalent()}
		b.Logf("JSON bytes: service %d, raw %d, raw with measures_missing %d", sizes[0], sizes[1], sizes[2])
		// The equivalent raw fetch answers the same rows as the service, field by field (the order of the codes
		// in measures_missing aside: the service lists them as it meets them among measures of one type).
		_, rawRows := sameRows()
		if svc, other := normalisedRows(b, serviceRows(b, &w, ctx)), normalisedRows(b, rawRows); !reflect.DeepEqual(svc, other) {
			b.Fatalf("the raw fetch with measures_missing differs from the service's rows")
		}
		incomplete := 0
		for _, r := range rawRows {
			if len(r.MeasuresMissing) > 0 {
				incomplete++
			}
		}
		b.Logf("rows equal to the service's: %d, of which %d with measures_missing", len(rawRows), incomplete)
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
		b.Run("raw-sql-same-rows/actions=1500", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				equivalent()
			}
		})
		// Service, raw floor and raw equivalent in turn, the order rotating, so each ratio compares the same
		// moments of a noisy machine.
		b.Run("alternating/actions=1500", func(b *testing.B) {
			var took [3]time.Duration
			reads := [3]func() int{viaService, raw, equivalent}
			for i := 0; i < b.N; i++ {
				for j := range 3 {
					side := (i + j) % 3
					start := time.Now()
					reads[side]()
					took[side] += time.Since(start)
				}
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
			svc, sql, same := ms(took[0]), ms(took[1]), ms(took[2])
			b.ReportMetric(svc, "service-ms")
			b.ReportMetric(sql, "raw-ms")
			b.ReportMetric(same, "raw-same-rows-ms")
			b.ReportMetric(svc/sql, "service/raw")
			b.ReportMetric(svc/same, "service/raw-same-rows")
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
// returns the size of the JSON and the rows. withMissing adds what the floor leaves out, so that the rows are
// the service's: a second statement reads the measures of the cycle's risks (their description, unit, dates,
// phases and indicators), decoded by encoding/json, and each row gets its measures_missing by the domain's rule
// (domain.Measure.MissingForAdoption), as the service computes it.
func rawRegisterFetch(b *testing.B, db *database.DB, enteID, cycleID string, withMissing bool) func() (int, []rawRow) {
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
	measures := `SELECT mr.risk_entry_id, m.measure_type, m.description, m.unit_code, m.start_date, m.end_date, m.phases, m.indicators
		FROM measure_risks mr JOIN measures m ON m.id = mr.measure_id
		WHERE mr.ente_id = $1 AND m.ente_id = $1 AND m.cycle_id = $2 AND m.withdrawn_at IS NULL ORDER BY m.measure_type`
	if db.Dialect == database.SQLite {
		stmt, measures = sqliteParams(stmt), sqliteParams(measures)
	}
	ctx := context.Background()
	return func() (int, []rawRow) {
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
		if withMissing {
			addMeasuresMissing(b, db, measures, enteID, cycleID, out)
		}
		body, err := json.Marshal(map[string]any{"items": out, "has_more": false, "page": 1, "page_size": domain.MaxPageSize})
		if err != nil {
			b.Fatal(err)
		}
		return len(body), out
	}
}

// addMeasuresMissing reads the measures of the cycle's risks in one statement and sets each row's
// measures_missing.
func addMeasuresMissing(b *testing.B, db *database.DB, stmt, enteID, cycleID string, out []rawRow) {
	byRisk := make(map[string]int, len(out))
	for i := range out {
		byRisk[out[i].RiskID] = i
	}
	rows, err := db.SQL().QueryContext(context.Background(), stmt, enteID, cycleID)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var risk, phases, indicators string
		var m domain.Measure
		if err := rows.Scan(&risk, &m.Type, &m.Description, &m.Unit, &m.Start, &m.End, &phases, &indicators); err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal([]byte(phases), &m.Phases); err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal([]byte(indicators), &m.Indicators); err != nil {
			b.Fatal(err)
		}
		i, ok := byRisk[risk]
		if !ok {
			continue
		}
		for _, missing := range m.MissingForAdoption() {
			if !slices.Contains(out[i].MeasuresMissing, missing) {
				out[i].MeasuresMissing = append(out[i].MeasuresMissing, missing)
			}
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
}

// walkRegister reads the whole register through the service as the web interface does (pages of the largest
// size, the first by number, the next ones by cursor), handing each page to fn.
func walkRegister(b *testing.B, w *workflowBench, ctx context.Context, fn func(*service.RegisterPage)) {
	cursor := ""
	for {
		f := store.RegisterFilter{PageSize: domain.MaxPageSize}
		if cursor == "" {
			f.Page = 1
		}
		p, err := w.x.reg.ListFrom(ctx, w.x.oiv, "2026-2028", f, cursor)
		if err != nil {
			b.Fatal(err)
		}
		fn(p)
		if !p.HasMore {
			return
		}
		cursor = p.NextCursor
	}
}

// serviceRows is the whole register's rows through the service.
func serviceRows(b *testing.B, w *workflowBench, ctx context.Context) []store.RegisterRow {
	var out []store.RegisterRow
	walkRegister(b, w, ctx, func(p *service.RegisterPage) { out = append(out, p.Items...) })
	return out
}

// normalisedRows is rows as generic JSON, each measures_missing sorted.
func normalisedRows(b *testing.B, rows any) []map[string]any {
	body, err := json.Marshal(rows)
	if err != nil {
		b.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		b.Fatal(err)
	}
	for _, r := range out {
		if l, ok := r["measures_missing"].([]any); ok {
			slices.SortFunc(l, func(x, y any) int { return strings.Compare(x.(string), y.(string)) })
		}
	}
	return out
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
