package service_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/store"
)

// BenchmarkSaveAndPage measures, on a live register of 1,500 actions (3,000 risks), the save of one
// assessment that changes one field (what an assessor's form sends: the whole assessment, one field edited)
// and register pages of 1 and 100 rows, first and last, with and without the total.
func BenchmarkSaveAndPage(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		w := newWorkflowBench(b, open(b), 1500)
		ctx := context.Background()
		if os.Getenv("ARGINE_BENCH_ANALYZE") != "" {
			// The statistics autovacuum (or an import) leaves; without them PostgreSQL plans the register typed
			// leaf by leaf as empty tables.
			if err := w.x.store.Analyze(ctx, append(append([]string{}, store.MapTables...), store.RegisterTables...)...); err != nil {
				b.Fatal(err)
			}
		}
		code := w.codes[len(w.codes)/2]
		b.Run("save-one-field/actions=1500", func(b *testing.B) {
			a, err := w.x.reg.Assessment(ctx, w.x.dir1, "2026-2028", code)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a.Risks[0].Context = fmt.Sprintf("Istruttoria, revisione %d", i)
				saved, err := w.x.reg.SaveAssessment(ctx, w.x.dir1, "2026-2028", code, *a)
				if err != nil {
					b.Fatal(err)
				}
				a = saved
			}
		})
		pages := []struct {
			name string
			f    store.RegisterFilter
		}{
			{"page-size=1-first", store.RegisterFilter{Page: 1, PageSize: 1}},
			{"page-size=100-first", store.RegisterFilter{Page: 1, PageSize: 100}},
			{"page-size=100-last", store.RegisterFilter{Page: 30, PageSize: 100}},
			{"page-size=100-first-with-total", store.RegisterFilter{Page: 1, PageSize: 100, WithTotal: true}},
			{"page-size=100-level-filter", store.RegisterFilter{Page: 1, PageSize: 100, Level: "basso"}},
		}
		for _, p := range pages {
			b.Run(p.name+"/actions=1500", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					page, err := w.x.reg.List(ctx, w.x.oiv, "2026-2028", p.f)
					if err != nil {
						b.Fatal(err)
					}
					if len(page.Items) == 0 && p.f.Level == "" {
						b.Fatal("empty page")
					}
				}
			})
		}
		// Offset against keyset (cursor) pagination at the first, middle and last of the 30 pages of 100 rows:
		// the cursor of page n is the next_cursor of page n-1. The first page is the same query either way.
		cycle, err := w.x.store.CycleByCode(ctx, w.x.tn.EnteID, "2026-2028")
		if err != nil {
			b.Fatal(err)
		}
		for _, at := range []struct {
			name string
			page int
		}{{"first", 1}, {"middle", 15}, {"last", 30}} {
			cursor := ""
			if at.page > 1 {
				prev, err := w.x.reg.List(ctx, w.x.oiv, "2026-2028", store.RegisterFilter{Page: at.page - 1, PageSize: 100})
				if err != nil || prev.NextCursor == "" {
					b.Fatalf("page %d: %v, no next_cursor", at.page-1, err)
				}
				cursor = prev.NextCursor
			}
			if os.Getenv("ARGINE_BENCH_EXPLAIN") != "" {
				plan, err := w.x.store.ExplainRegister(ctx, w.x.tn.EnteID, cycle.ID, store.RegisterFilter{Page: at.page, PageSize: 100})
				b.Logf("offset %s:\n%s (err %v)", at.name, plan, err)
				if at.page > 1 {
					prev, _ := w.x.reg.List(ctx, w.x.oiv, "2026-2028", store.RegisterFilter{Page: at.page - 1, PageSize: 100})
					k := prev.Items[len(prev.Items)-1].Key()
					plan, err = w.x.store.ExplainRegister(ctx, w.x.tn.EnteID, cycle.ID, store.RegisterFilter{PageSize: 100, After: &k})
					b.Logf("keyset %s:\n%s (err %v)", at.name, plan, err)
				}
			}
			b.Run("page-size=100-offset-"+at.name+"/actions=1500", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					page, err := w.x.reg.List(ctx, w.x.oiv, "2026-2028", store.RegisterFilter{Page: at.page, PageSize: 100})
					if err != nil || len(page.Items) != 100 {
						b.Fatalf("page %d: %v", at.page, err)
					}
				}
			})
			b.Run("page-size=100-keyset-"+at.name+"/actions=1500", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					page, err := w.x.reg.ListFrom(ctx, w.x.oiv, "2026-2028", store.RegisterFilter{PageSize: 100}, cursor)
					if err != nil || len(page.Items) != 100 {
						b.Fatalf("page %d by cursor: %v", at.page, err)
					}
				}
			})
		}
	})
}
