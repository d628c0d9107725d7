package service_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// BenchmarkDashboard times the dashboard of a live register of n actions with 2 risks each (default 1,500
// actions, 3,000 risks; ARGINE_BENCH_ACTIONS sets n) and a live previous cycle of the same size, the new way
// (counts in SQL) against the old one (the whole register read through ExportSource and counted in Go, twice,
// as referenceDashboard does), alternately in one run. Every risk's judgement has its own reason, so no two
// judgements are the same text, as when every judgement is written by hand: the old counting scores each risk
// (the SQL counting reads the stored levels, which a change of methodology rescores).
// ARGINE_BENCH_ANALYZE=1 gives PostgreSQL the planner statistics an import leaves (docs/performance.md).
func BenchmarkDashboard(b *testing.B) {
	n := 1500
	if env := os.Getenv("ARGINE_BENCH_ACTIONS"); env != "" {
		v, err := strconv.Atoi(env)
		if err != nil || v < 1 {
			b.Fatalf("ARGINE_BENCH_ACTIONS: %q", env)
		}
		n = v
	}
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		f, ctx := newFixture(open(b)), context.Background()
		tn := benchTenant(b, f, "ente-dash")
		if _, err := service.NewCatalogues(f.store, f.authz).EnsureStarter(ctx, tn.EnteID); err != nil {
			b.Fatal(err)
		}
		meths := service.NewMethodologies(f.store, f.authz)
		x := registerFixture{fixture: f, reg: service.NewRegister(f.store, f.authz, meths), meths: meths, tn: tn,
			dir1: actorWith(tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"}),
			oiv:  actorWith(tn, "oiv", domain.Grant{Role: domain.RoleOIV})}
		wf := service.NewWorkflow(f.store, f.authz, x.reg)
		for _, cycle := range []string{"2025-2027", "2026-2028"} {
			if _, err := f.maps.Import(ctx, tn, cycle, wideMap(n)); err != nil {
				b.Fatal(err)
			}
			for i := 1; i <= n; i++ {
				code := fmt.Sprintf("X1.1.1.%d", i)
				a := sampleAssessment(0)
				a.Measures[0].Unit = "AD1"
				a.Measures[0].StrategicObjective = "OS1"
				for k := range a.Risks {
					a.Risks[k].Inherent.Reason += fmt.Sprintf(" (%s, rischio %d)", code, k+1)
				}
				if _, err := x.reg.SaveAssessment(ctx, x.dir1, cycle, code, a); err != nil {
					b.Fatal(err)
				}
			}
		}
		if os.Getenv("ARGINE_BENCH_ANALYZE") != "" {
			if err := x.store.Analyze(ctx, append(append([]string{}, store.MapTables...), store.RegisterTables...)...); err != nil {
				b.Fatal(err)
			}
		}
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		check, err := cycles.Dashboard(ctx, x.oiv, "2026-2028", wf)
		if err != nil || check.Risks != 2*n || check.Previous == nil || check.Previous.Risks != 2*n {
			b.Fatalf("dashboard %+v %v", check, err)
		}
		run := map[string]func(){
			"old": func() { referenceDashboard(b, cycles, wf, x.oiv, "2026-2028", "2025-2027") },
			// The campaign progress alone, which both ways include.
			"progress": func() {
				if _, err := wf.Progress(ctx, x.oiv, "2026-2028"); err != nil {
					b.Fatal(err)
				}
			},
			"new": func() {
				if _, err := cycles.Dashboard(ctx, x.oiv, "2026-2028", wf); err != nil {
					b.Fatal(err)
				}
			},
		}
		for round := 1; round <= 2; round++ {
			for _, way := range []string{"old", "new", "progress"} {
				b.Run(fmt.Sprintf("%s/actions=%d/round=%d", way, n, round), func(b *testing.B) {
					before := processCPU()
					for i := 0; i < b.N; i++ {
						run[way]()
					}
					// The CPU the test process spent (SQLite runs inside it; PostgreSQL's server is not counted):
					// on a shared machine the wall time grows with the load, the CPU much less.
					b.ReportMetric(float64((processCPU()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
				})
			}
		}
	})
}

// processCPU is the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
