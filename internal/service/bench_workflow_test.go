package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// wideMap is a synthetic map with n actions under one sub-process, all owned by AD1.
func wideMap(n int) *domain.ProcessMap {
	m := &domain.ProcessMap{
		Units:               []domain.RefItem{{Code: "AD1", Title: "Area 1"}},
		StrategicObjectives: []domain.RefItem{{Code: "OS1", Title: "Obiettivo"}},
		RiskAreas:           []domain.RefItem{{Code: "D", Title: "Contributi"}},
	}
	l := func(s ...string) []string { return append([]string{}, s...) }
	m.Nodes = append(m.Nodes,
		domain.MapNode{Level: domain.LevelMacro, Code: "X1", Title: "Macro", Function: "F", Units: l(), StrategicObjectives: l(), RiskAreas: l()},
		domain.MapNode{Level: domain.LevelProcess, Code: "X1.1", ParentCode: "X1", Title: "Processo", Function: "F", Units: l("AD1"), StrategicObjectives: l(), RiskAreas: l("D")},
		domain.MapNode{Level: domain.LevelSubprocess, Code: "X1.1.1", ParentCode: "X1.1", Title: "Sotto-processo", Function: "F", Units: l("AD1"), StrategicObjectives: l(), RiskAreas: l("D")})
	for i := 1; i <= n; i++ {
		m.Nodes = append(m.Nodes, domain.MapNode{Level: domain.LevelAction, Code: fmt.Sprintf("X1.1.1.%d", i), ParentCode: "X1.1.1",
			Title: "Azione", Function: "F", Units: l("AD1"), StrategicObjectives: l(), RiskAreas: l("D")})
	}
	return m
}

type workflowBench struct {
	x     registerFixture
	wf    *service.Workflow
	codes []string
}

func newWorkflowBench(b *testing.B, db *database.DB, n int) workflowBench {
	f := newFixture(db)
	ctx := context.Background()
	tn := benchTenant(b, f, "ente-wf")
	if _, err := f.maps.Import(ctx, tn, "2026-2028", wideMap(n)); err != nil {
		b.Fatal(err)
	}
	if _, err := service.NewCatalogues(f.store, f.authz).EnsureStarter(ctx, tn.EnteID); err != nil {
		b.Fatal(err)
	}
	meths := service.NewMethodologies(f.store, f.authz)
	x := registerFixture{fixture: f, reg: service.NewRegister(f.store, f.authz, meths), meths: meths, tn: tn,
		dir1: actorWith(tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"}),
		rpct: actorWith(tn, "rpct", domain.Grant{Role: domain.RoleRPCT}),
		oiv:  actorWith(tn, "oiv", domain.Grant{Role: domain.RoleOIV})}
	w := workflowBench{x: x, wf: service.NewWorkflow(f.store, f.authz, x.reg)}
	for i := 1; i <= n; i++ {
		code := fmt.Sprintf("X1.1.1.%d", i)
		a := sampleAssessment(0)
		a.Measures[0].Unit = "AD1"
		a.Measures[0].StrategicObjective = "OS1"
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", code, a); err != nil {
			b.Fatal(err)
		}
		w.codes = append(w.codes, code)
	}
	return w
}

// BenchmarkTransition measures one transition with its audit record (a submit and a return per iteration,
// reported per transition).
func BenchmarkTransition(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		w := newWorkflowBench(b, open(b), 1)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := w.wf.Transition(ctx, w.x.dir1, "2026-2028", w.codes[0], domain.TransitionSubmit, ""); err != nil {
				b.Fatal(err)
			}
			if _, err := w.wf.Transition(ctx, w.x.rpct, "2026-2028", w.codes[0], domain.TransitionReturn, why); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/transition")
	})
}

// BenchmarkBulkApprove300 approves 300 submitted assessments in one bulk call.
func BenchmarkBulkApprove300(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		w := newWorkflowBench(b, open(b), 300)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if r, err := w.wf.Bulk(ctx, w.x.dir1, "2026-2028", service.BulkTransition{Action: domain.TransitionSubmit, Unit: "AD1"}); err != nil || r.Succeeded != 300 {
				b.Fatal(err, r)
			}
			b.StartTimer()
			r, err := w.wf.Bulk(ctx, w.x.rpct, "2026-2028", service.BulkTransition{Action: domain.TransitionApprove, Nodes: w.codes})
			if err != nil || r.Succeeded != 300 {
				b.Fatal(err, r)
			}
			b.StopTimer()
			if r, err := w.wf.Bulk(ctx, w.x.rpct, "2026-2028", service.BulkTransition{Action: domain.TransitionReopen, Nodes: w.codes, Comment: why}); err != nil || r.Succeeded != 300 {
				b.Fatal(err, r)
			}
			b.StartTimer()
		}
	})
}

// BenchmarkAuditShareOfWrite compares a whole assessment save with the audit append it contains.
func BenchmarkAuditShareOfWrite(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		db := open(b)
		w := newWorkflowBench(b, db, 1)
		ctx := context.Background()
		current, _ := w.x.reg.Assessment(ctx, w.x.dir1, "2026-2028", w.codes[0])
		b.Run("assessment-save", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				saved, err := w.x.reg.SaveAssessment(ctx, w.x.dir1, "2026-2028", w.codes[0], *current)
				if err != nil {
					b.Fatal(err)
				}
				current = saved
			}
		})
		payload := current
		b.Run("audit-append", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				err := w.x.store.WithTx(ctx, func(tx *store.Store) error {
					r := domain.AuditRecord{EnteID: w.x.tn.EnteID, At: domain.AuditTime(time.Now()), ActorID: "bench",
						Entity: "assessment", EntityID: "x", Action: "save", Before: auditText(payload), After: auditText(payload)}
					return tx.AppendAudit(ctx, &r)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

func auditText(a *domain.Assessment) string { return fmt.Sprintf("%+v", *a) }

// BenchmarkAuditVerify verifies chains of 10,000 and 100,000 records and reports the peak heap during the
// verification: it must not grow with the chain's length (the trail is streamed).
func BenchmarkAuditVerify(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		for _, n := range []int{10000, 100000} {
			db := open(b)
			f := newFixture(db)
			ctx := context.Background()
			tn := benchTenant(b, f, "ente-audit")
			if err := fillAudit(ctx, f.store, tn.EnteID, n); err != nil {
				b.Fatal(err)
			}
			audit := service.NewAudit(f.store, f.authz)
			b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
				peak := samplePeakHeap(func() {
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						v, err := audit.VerifyEnte(ctx, tn.EnteID)
						if err != nil || !v.Valid || v.Records != int64(n)+1 {
							b.Fatal(err, v)
						}
					}
					b.StopTimer()
				})
				b.ReportMetric(peak, "peak-heap-MB")
			})
		}
	})
}

// fillAudit writes n chained records quickly (computed here, inserted in batches), continuing the chain
// the ente already has.
func fillAudit(ctx context.Context, s *store.Store, enteID string, n int) error {
	return s.WithTx(ctx, func(tx *store.Store) error {
		for i := 0; i < n; i++ {
			r := domain.AuditRecord{EnteID: enteID, At: domain.AuditTime(time.Now()), ActorID: "bench", ActorName: "bench",
				Entity: "assessment", EntityID: fmt.Sprintf("2026-2028/X%d", i), Action: "save",
				Before: `{"state":"draft","version":1}`, After: `{"state":"draft","version":2}`}
			if err := tx.AppendAudit(ctx, &r); err != nil {
				return err
			}
		}
		return nil
	})
}
