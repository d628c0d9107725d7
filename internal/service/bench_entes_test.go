package service_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
	"gorm.io/gorm"
)

// entesBench is one database of BenchmarkManyEntes with the services that read the demo ente.
type entesBench struct {
	db     *database.DB
	actor  domain.Actor
	reg    *service.Register
	maps   *service.ProcessMaps
	cycles *service.Cycles
	wf     *service.Workflow
	audit  *service.Audit
	leaf   string
	cursor string // next_cursor of page 2 of 100: the cursor of page 3
}

// BenchmarkManyEntes checks the goal of issue 19 "1,000 entes with full registers on PostgreSQL, one ente's
// reads ≤ 1.5× the same ente alone". Opt-in: ARGINE_BENCH_ENTES=1000 (the number of entes),
// ARGINE_BENCH_ENTES_ALONE_URL and ARGINE_BENCH_ENTES_MANY_URL (two PostgreSQL databases the benchmark owns:
// it empties their public schema when they do not hold the expected data; a superuser, for the clone).
//
// Both databases get the demo ente with every leaf assessed through the application (demo.Load and
// demo.FillRegister: 446 nodes, 265 leaves, 530 risks, their measures and the audit trail of it all). The
// "many" database then gets N-1 copies of that ente made in SQL (cloneEnte), so that it holds N full registers
// (530 × N risks) in minutes. Both are vacuumed and analysed, as a server's autovacuum leaves them. Each read
// is then timed on both, alternately in the same loop, and the ratio many/alone reported. A database that
// already holds the expected entes is reused (ARGINE_BENCH_ENTES_REBUILD=1 builds again).
func BenchmarkManyEntes(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("ARGINE_BENCH_ENTES"))
	aloneURL, manyURL := os.Getenv("ARGINE_BENCH_ENTES_ALONE_URL"), os.Getenv("ARGINE_BENCH_ENTES_MANY_URL")
	if n < 2 || aloneURL == "" || manyURL == "" {
		b.Skip("set ARGINE_BENCH_ENTES (≥ 2), ARGINE_BENCH_ENTES_ALONE_URL and ARGINE_BENCH_ENTES_MANY_URL (PostgreSQL)")
	}
	alone := openEntesBench(b, aloneURL, 1)
	many := openEntesBench(b, manyURL, n)
	ctx := context.Background()
	var risks, nodes int64
	many.db.Gorm.Raw("SELECT COUNT(*) FROM risk_entries").Scan(&risks)
	many.db.Gorm.Raw("SELECT COUNT(*) FROM process_nodes").Scan(&nodes)
	b.Logf("many: %d entes, %d risk rows, %d nodes", n, risks, nodes)

	reads := []struct {
		name string
		read func(e *entesBench) error
	}{
		{"register-page-100-by-number", func(e *entesBench) error {
			p, err := e.reg.List(ctx, e.actor, seed.DemoCycle, store.RegisterFilter{Page: 3, PageSize: 100})
			return expect(err, p != nil && len(p.Items) == 100)
		}},
		{"register-page-100-by-cursor", func(e *entesBench) error {
			p, err := e.reg.ListFrom(ctx, e.actor, seed.DemoCycle, store.RegisterFilter{PageSize: 100}, e.cursor)
			return expect(err, p != nil && len(p.Items) == 100)
		}},
		{"heatmap", func(e *entesBench) error {
			h, err := e.reg.Heatmap(ctx, e.actor, seed.DemoCycle, store.RegisterFilter{})
			return expect(err, h != nil && len(h.Inherent) > 0)
		}},
		{"assessment", func(e *entesBench) error {
			a, err := e.reg.Assessment(ctx, e.actor, seed.DemoCycle, e.leaf)
			return expect(err, a != nil && len(a.Risks) > 0)
		}},
		{"dashboard", func(e *entesBench) error {
			d, err := e.cycles.Dashboard(ctx, e.actor, seed.DemoCycle, e.wf)
			return expect(err, d != nil && d.Risks > 0)
		}},
		{"audit-page-50", func(e *entesBench) error {
			p, err := e.audit.List(ctx, e.actor, store.AuditFilter{HideSessions: true}, 1, 50)
			return expect(err, p != nil && len(p.Items) == 50)
		}},
		{"tree", func(e *entesBench) error {
			t, err := e.maps.Tree(ctx, e.actor, seed.DemoCycle)
			return expect(err, t != nil)
		}},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			// One read of each first: the connections are open and the pages the read needs are in the cache
			// on both sides.
			for _, e := range []*entesBench{alone, many} {
				if err := r.read(e); err != nil {
					b.Fatal(err)
				}
			}
			// ARGINE_BENCH_STATEMENTS=1: the time of each statement of one read, on each side.
			logStatements(b, alone.db, r.name+", alone", func() { _ = r.read(alone) })
			logStatements(b, many.db, r.name+", many", func() { _ = r.read(many) })
			var took [2]time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Alternate which side goes first, so that neither always follows the other.
				order := []int{0, 1}
				if i%2 == 1 {
					order = []int{1, 0}
				}
				for _, side := range order {
					e := []*entesBench{alone, many}[side]
					start := time.Now()
					if err := r.read(e); err != nil {
						b.Fatal(err)
					}
					took[side] += time.Since(start)
				}
			}
			aloneMS := float64(took[0].Microseconds()) / 1000 / float64(b.N)
			manyMS := float64(took[1].Microseconds()) / 1000 / float64(b.N)
			b.ReportMetric(aloneMS, "alone-ms")
			b.ReportMetric(manyMS, "many-ms")
			b.ReportMetric(manyMS/aloneMS, "many/alone")
		})
	}
}

func expect(err error, ok bool) error {
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("unexpected answer")
	}
	return nil
}

// openEntesBench opens the database at url, builds it when it does not hold entes copies of the demo ente
// (or when ARGINE_BENCH_ENTES_REBUILD is set), and returns the demo ente's services.
func openEntesBench(b *testing.B, url string, entes int) *entesBench {
	b.Helper()
	ctx := context.Background()
	db := dbtest.Open(b, url)
	if db.Dialect != database.Postgres {
		b.Fatal("BenchmarkManyEntes runs on PostgreSQL")
	}
	var have int64 = -1
	if db.Gorm.Raw("SELECT COUNT(*) FROM entes WHERE code LIKE ?", seed.DemoEnteCode+"%").Scan(&have).Error != nil {
		have = -1
	}
	if have != int64(entes) || os.Getenv("ARGINE_BENCH_ENTES_REBUILD") != "" {
		start := time.Now()
		for _, stmt := range []string{"DROP SCHEMA public CASCADE", "CREATE SCHEMA public"} {
			if err := db.Gorm.Exec(stmt).Error; err != nil {
				b.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		fullRegister(b, db, 0)
		built := time.Since(start)
		if entes > 1 {
			if err := cloneEnte(ctx, db, seed.DemoEnteCode, entes-1); err != nil {
				b.Fatal(err)
			}
		}
		cloned := time.Since(start) - built
		if err := db.Gorm.Exec("VACUUM ANALYZE").Error; err != nil {
			b.Fatal(err)
		}
		var size string
		db.Gorm.Raw("SELECT pg_size_pretty(pg_database_size(current_database()))").Scan(&size)
		b.Logf("built %d entes in %s (demo ente %s, copies %s, vacuum analyze %s); database %s", entes,
			time.Since(start).Round(time.Second), built.Round(time.Second), cloned.Round(time.Second),
			(time.Since(start) - built - cloned).Round(time.Second), size)
	}
	// A database built before a new migration gets it (migrations/postgres/00038 analyses what it adds).
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	s := store.New(db)
	az, err := authz.Default()
	if err != nil {
		b.Fatal(err)
	}
	ente, err := s.EnteByCode(ctx, seed.DemoEnteCode)
	if err != nil {
		b.Fatal(err)
	}
	meths := service.NewMethodologies(s, az)
	reg := service.NewRegister(s, az, meths)
	maps := service.NewProcessMaps(s, az)
	e := &entesBench{db: db, reg: reg, maps: maps, cycles: service.NewCycles(s, az, reg, maps),
		wf: service.NewWorkflow(s, az, reg), audit: service.NewAudit(s, az),
		actor: domain.Actor{UserID: "bench-oiv", EnteID: ente.ID, EnteCode: ente.Code,
			Grants: []domain.Grant{{Role: domain.RoleOIV}}, GrantsVersion: 1}}
	page2, err := reg.List(ctx, e.actor, seed.DemoCycle, store.RegisterFilter{Page: 2, PageSize: 100})
	if err != nil || page2.NextCursor == "" {
		b.Fatalf("page 2: %v", err)
	}
	e.cursor, e.leaf = page2.NextCursor, page2.Items[0].Node
	return e
}

// cloneEnte copies every row of the ente with the given code, in every table that carries ente_id, copies
// times, in one INSERT … SELECT per table. Each copy k maps every UUID u of the source to md5(u || '/' || k):
// the same source id gives the same new id in every table, so the references between the ente's rows (all
// within the ente) hold in each copy, and the copies share no id. The ente's code and the usernames, which are
// unique across entes, get the suffix "-k"; audit_log.id is left to its sequence. Triggers (the audit trail's
// append-only guards) and foreign-key checks are off meanwhile (session_replication_role, a superuser's), as
// in a restore: the copies are the source's rows, already checked when they were written.
func cloneEnte(ctx context.Context, db *database.DB, code string, copies int) error {
	var src string
	if err := db.Gorm.Raw("SELECT id::text FROM entes WHERE code = ?", code).Scan(&src).Error; err != nil || src == "" {
		return fmt.Errorf("clone: ente %s: %v", code, err)
	}
	type column struct{ Table, Name, Type string }
	var cols []column
	if err := db.Gorm.Raw(`SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type
		FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		  AND (c.table_name = 'entes' OR EXISTS (SELECT 1 FROM information_schema.columns e
			WHERE e.table_schema = c.table_schema AND e.table_name = c.table_name AND e.column_name = 'ente_id'))
		ORDER BY c.table_name, c.ordinal_position`).Scan(&cols).Error; err != nil {
		return err
	}
	byTable := map[string][]column{}
	var tables []string
	for _, c := range cols {
		if byTable[c.Table] == nil {
			tables = append(tables, c.Table)
		}
		byTable[c.Table] = append(byTable[c.Table], c)
	}
	suffixed := map[string]bool{"entes.code": true, "users.username": true, "notification_outbox.message_id": true,
		"mfa_recovery_codes.code_hash": true}
	// Text columns holding a user's id (UUID) as text: remapped like the UUIDs, so that names still resolve.
	userIDText := map[string]bool{"audit_log.actor_id": true, "assessment_comments.author_id": true, "oiv_notes.author_id": true}
	return db.Gorm.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL session_replication_role = replica").Error; err != nil {
			return err
		}
		for _, t := range tables {
			var names, exprs []string
			for _, c := range byTable[t] {
				qual := t + "." + c.Name
				var expr string
				switch {
				case t == "audit_log" && c.Name == "id":
					continue
				case c.Type == "uuid":
					expr = fmt.Sprintf("md5(%s::text || '/' || k)::uuid", quoteIdent(c.Name))
				case suffixed[qual]:
					expr = fmt.Sprintf("%s || '-' || k", quoteIdent(c.Name))
				case userIDText[qual]:
					expr = fmt.Sprintf("CASE WHEN %[1]s ~ '^[0-9a-f]{8}-[0-9a-f]{4}-' THEN md5(%[1]s || '/' || k)::uuid::text ELSE %[1]s END", quoteIdent(c.Name))
				default:
					expr = quoteIdent(c.Name)
				}
				names, exprs = append(names, quoteIdent(c.Name)), append(exprs, expr)
			}
			where := "ente_id = ?"
			if t == "entes" {
				where = "id = ?"
			}
			stmt := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s CROSS JOIN generate_series(1, %d) AS k WHERE %s",
				quoteIdent(t), strings.Join(names, ", "), strings.Join(exprs, ", "), quoteIdent(t), copies, where)
			if err := tx.Exec(stmt, src).Error; err != nil {
				return fmt.Errorf("clone %s: %w", t, err)
			}
		}
		return nil
	})
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
