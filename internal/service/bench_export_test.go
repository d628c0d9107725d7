package service_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// BenchmarkExports renders the fully assessed demo register (530 risk rows) as XLSX and CSV (the annex
// documents: BenchmarkDocuments).
func BenchmarkExports(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		db := open(b)
		actor, reg := fullRegister(b, db, 0)
		s := store.New(db)
		f := newFixture(db)
		cycles := service.NewCycles(s, f.authz, reg, service.NewProcessMaps(s, f.authz))
		ctx := context.Background()
		for name, write := range map[string]func(io.Writer, export.Source) error{
			"xlsx": export.WriteXLSX, "csv": export.WriteCSV,
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

// BenchmarkExportScale exports the live register of a synthetic ente with n actions (2 risks each) in every
// register format and reports the peak heap: with the register read a page at a time it must not grow with n.
// ARGINE_BENCH_ACTIONS lists the sizes (default 265,2650; docs/performance.md measures 1500).
func BenchmarkExportScale(b *testing.B) {
	sizes := []int{265, 2650}
	if env := os.Getenv("ARGINE_BENCH_ACTIONS"); env != "" {
		sizes = nil
		for _, s := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				b.Fatalf("ARGINE_BENCH_ACTIONS: %q", env)
			}
			sizes = append(sizes, n)
		}
	}
	writers := []struct {
		name  string
		write func(io.Writer, export.Source) error
	}{{"xlsx", export.WriteXLSX}, {"csv", export.WriteCSV}, {"json", export.WriteJSON}, {"excel-csv", export.WriteExcelCSV}}
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		for _, n := range sizes {
			w := newWorkflowBench(b, open(b), n)
			cycles := service.NewCycles(w.x.store, w.x.authz, w.x.reg, w.x.maps)
			ctx := context.Background()
			benchAnalyze(b, w.x.store)
			for _, wr := range writers {
				b.Run(fmt.Sprintf("%s/actions=%d", wr.name, n), func(b *testing.B) {
					// The process's CPU time per export (this process's: PostgreSQL's own is not in it) varies
					// less than the elapsed time on a loaded machine.
					cpu0 := processCPU()
					peak := samplePeakHeap(func() {
						for i := 0; i < b.N; i++ {
							src, err := cycles.ExportSource(ctx, w.x.oiv, "2026-2028")
							if err != nil {
								b.Fatal(err)
							}
							if err := wr.write(io.Discard, src); err != nil {
								b.Fatal(err)
							}
						}
					})
					b.ReportMetric(float64((processCPU()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
					b.ReportMetric(peak, "peak-heap-MB")
				})
			}
		}
	})
}

// benchAnalyze gives the planner the statistics an import leaves when ARGINE_BENCH_ANALYZE is set
// (docs/performance.md); without them PostgreSQL plans the register typed leaf by leaf as empty tables until
// autovacuum catches up.
func benchAnalyze(b *testing.B, s *store.Store) {
	if os.Getenv("ARGINE_BENCH_ANALYZE") == "" {
		return
	}
	if err := s.Analyze(context.Background(), append(append([]string{}, store.MapTables...), store.RegisterTables...)...); err != nil {
		b.Fatal(err)
	}
}

// samplePeakHeap runs fn while sampling the heap in use, and returns the largest sample in MB.
func samplePeakHeap(fn func()) float64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	runtime.GC()
	fn()
	close(stop)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}

// BenchmarkExportAtScale exports one ente's fully assessed register (530 rows) as XLSX while 59 other
// entes hold the same register (31,800 risk rows in the database), with the peak heap.
func BenchmarkExportAtScale(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		db := open(b)
		actor, reg := fullRegister(b, db, 59)
		s := store.New(db)
		f := newFixture(db)
		cycles := service.NewCycles(s, f.authz, reg, service.NewProcessMaps(s, f.authz))
		ctx := context.Background()
		for name, write := range map[string]func(io.Writer, export.Source) error{"xlsx": export.WriteXLSX} {
			b.Run(name+"/entes=60", func(b *testing.B) {
				peak := samplePeakHeap(func() {
					for i := 0; i < b.N; i++ {
						src, err := cycles.ExportSource(ctx, actor, seed.DemoCycle)
						if err != nil {
							b.Fatal(err)
						}
						if err := write(io.Discard, src); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.ReportMetric(peak, "peak-heap-MB")
			})
		}
	})
}
