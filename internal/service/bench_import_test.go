package service_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
)

// BenchmarkRegisterImport imports a 3,000-row register (1,000 actions, 2 risks and 2 measures each, one
// row per measure of each risk) exported as registro.xlsx: the dry run against the same cycle (every leaf
// compared, none written) and the commit into a fresh cycle (every leaf created, in one transaction).
func BenchmarkRegisterImport(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		const n = 1000
		w := newWorkflowBench(b, open(b), n)
		ctx := context.Background()
		cycles := service.NewCycles(w.x.store, w.x.authz, w.x.reg, w.x.maps)
		src, err := cycles.ExportSource(ctx, w.x.rpct, "2026-2028")
		if err != nil {
			b.Fatal(err)
		}
		var data bytes.Buffer
		if err := export.WriteXLSX(&data, src); err != nil {
			b.Fatal(err)
		}
		rows := len(xlsxRows(b, data.Bytes(), export.RegisterSheet)) - 2
		b.Run(fmt.Sprintf("dry-run/rows=%d", rows), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rep, err := w.x.reg.ImportRegister(ctx, w.x.rpct, "2026-2028", "registro.xlsx", data.Bytes(), service.ImportOptions{DryRun: true})
				if err != nil || rep.Unchanged != n {
					b.Fatalf("%v %+v", err, rep.Problems)
				}
			}
		})
		b.Run(fmt.Sprintf("commit/rows=%d", rows), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				cycle := fmt.Sprintf("%d-%d", 2030+3*i, 2032+3*i)
				if _, err := w.x.maps.Import(ctx, w.x.tn, cycle, wideMap(n)); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rep, err := w.x.reg.ImportRegister(ctx, w.x.rpct, cycle, "registro.xlsx", data.Bytes(), service.ImportOptions{})
				if err != nil || rep.Created != n {
					b.Fatalf("%v %+v", err, rep)
				}
			}
		})
	})
}
