package service_test

import (
	"context"
	"io"
	"runtime"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// BenchmarkExports renders the fully assessed demo register (530 risk rows) as XLSX, PDF and CSV.
func BenchmarkExports(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		db := open(b)
		actor, reg := fullRegister(b, db, 0)
		s := store.New(db)
		f := newFixture(db)
		cycles := service.NewCycles(s, f.authz, reg, service.NewProcessMaps(s, f.authz))
		ctx := context.Background()
		for name, write := range map[string]func(io.Writer, export.Source) error{
			"xlsx": export.WriteXLSX, "pdf": export.WritePDF, "csv": export.WriteCSV,
		} {
			b.Run(name, func(b *testing.B) {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for i := 0; i < b.N; i++ {
					src, err := cycles.ExportSource(ctx, actor, seed.DemoCycle)
					if err != nil {
						b.Fatal(err)
					}
					if err := write(io.Discard, src); err != nil {
						b.Fatal(err)
					}
				}
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
			})
		}
	})
}
