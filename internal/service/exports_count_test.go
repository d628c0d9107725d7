package service_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
)

// exportCountRegister builds an ente whose live register has n assessed actions (two risks each).
func exportCountRegister(t *testing.T, db *database.DB, code string, n int) (registerFixture, *service.Cycles, *service.Workflow) {
	t.Helper()
	f := newFixture(db)
	ctx := context.Background()
	tn := f.tenant(t, code)
	f.mustImport(t, tn, "2026-2028", wideMap(n))
	if _, err := service.NewCatalogues(f.store, f.authz).EnsureStarter(ctx, tn.EnteID); err != nil {
		t.Fatal(err)
	}
	meths := service.NewMethodologies(f.store, f.authz)
	x := registerFixture{fixture: f, reg: service.NewRegister(f.store, f.authz, meths), meths: meths, tn: tn,
		oiv: actorWith(tn, "oiv", domain.Grant{Role: domain.RoleOIV})}
	dir := actorWith(tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
	for i := 1; i <= n; i++ {
		a := sampleAssessment(0)
		a.Measures[0].Unit = "AD1"
		a.Measures[0].StrategicObjective = "OS1"
		if _, err := x.reg.SaveAssessment(ctx, dir, "2026-2028", fmt.Sprintf("X1.1.1.%d", i), a); err != nil {
			t.Fatal(err)
		}
	}
	return x, service.NewCycles(f.store, f.authz, x.reg, x.maps), service.NewWorkflow(f.store, f.authz, x.reg)
}

// TestExportStatementsConstant pins that every export of the live register (registro.json/csv/xlsx, the annex
// document, the annual report) and the dashboard read it in the same number of statements whatever its size:
// the register is read a page of leaves at a time (store.AssessmentsOfNodes), never one leaf at a time.
func TestExportStatementsConstant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		counter := dbtest.CountStatements(t, db)
		measure := func(n int) func(x registerFixture, cycles *service.Cycles, wf *service.Workflow) map[string]int64 {
			return func(x registerFixture, cycles *service.Cycles, wf *service.Workflow) map[string]int64 {
				out := map[string]int64{}
				writers := map[string]func(io.Writer, export.Source) error{
					"json": export.WriteJSON, "csv": export.WriteCSV, "xlsx": export.WriteXLSX, "excel-csv": export.WriteExcelCSV}
				for name, write := range writers {
					counter.Reset()
					src, err := cycles.ExportSource(ctx, x.oiv, "2026-2028")
					if err != nil {
						t.Fatal(err)
					}
					if err := write(io.Discard, src); err != nil {
						t.Fatal(err)
					}
					out[name] = counter.Count()
				}
				counter.Reset()
				doc, err := cycles.RegisterAnnex(ctx, x.oiv, "2026-2028")
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := document.WriteODT(&b, doc.Doc); err != nil {
					t.Fatal(err)
				}
				out["annex"] = counter.Count()
				counter.Reset()
				rep, err := cycles.AnnualReport(ctx, x.oiv, "2026-2028")
				if err != nil {
					t.Fatal(err)
				}
				if err := export.WriteAnnualReport(io.Discard, rep.Source, rep.Names, rep.Rounds); err != nil {
					t.Fatal(err)
				}
				out["annual"] = counter.Count()
				counter.Reset()
				d, err := cycles.Dashboard(ctx, x.oiv, "2026-2028", wf)
				if err != nil {
					t.Fatal(err)
				}
				out["dashboard"] = counter.Count()
				if d.Risks == 0 {
					t.Fatal("the dashboard counts no risks")
				}
				// With a live previous cycle of the same size: one statement more for the cycle, its methodology and
				// its counts, whatever its size.
				x.mustImport(t, x.tn, "2025-2027", wideMap(n))
				dir := actorWith(x.tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
				for i := 1; i <= n; i++ {
					a := sampleAssessment(0)
					a.Measures[0].Unit = "AD1"
					a.Measures[0].StrategicObjective = "OS1"
					if _, err := x.reg.SaveAssessment(ctx, dir, "2025-2027", fmt.Sprintf("X1.1.1.%d", i), a); err != nil {
						t.Fatal(err)
					}
				}
				counter.Reset()
				if d, err = cycles.Dashboard(ctx, x.oiv, "2026-2028", wf); err != nil {
					t.Fatal(err)
				}
				out["dashboard-previous"] = counter.Count()
				if d.Previous == nil || d.Previous.Risks != 2*n {
					t.Fatalf("previous %+v", d.Previous)
				}
				return out
			}
		}
		small := measure(3)(exportCountRegister(t, db, "ente-small", 3))
		large := measure(40)(exportCountRegister(t, db, "ente-large", 40))
		for name, n := range small {
			if large[name] != n {
				t.Errorf("%s: %d statements for 3 leaves, %d for 40", name, n, large[name])
			}
			if n > 40 {
				t.Errorf("%s: %d statements", name, n)
			}
		}
		t.Logf("statements: %v", small)
	})
}
