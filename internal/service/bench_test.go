package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
)

func benchDialects(b *testing.B, fn func(b *testing.B, open func(testing.TB) *database.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, dbtest.SQLite) })
	b.Run("postgres", func(b *testing.B) { fn(b, dbtest.Postgres) })
}

func realMap(b *testing.B) *domain.ProcessMap {
	m, err := seed.BasilicataMap()
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func benchTenant(b *testing.B, f fixture, code string) service.Tenant {
	e, err := f.entes.Ensure(context.Background(), code, code)
	if err != nil {
		b.Fatal(err)
	}
	return service.Tenant{EnteID: e.ID, EnteCode: e.Code}
}

// BenchmarkImport loads the full real map (446 nodes) into a fresh cycle per iteration.
func BenchmarkImport(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		f, ctx, m := newFixture(open(b)), context.Background(), realMap(b)
		tn := benchTenant(b, f, "bench")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cycle := fmt.Sprintf("%d-%d", 2000+i, 2002+i)
			if _, err := f.maps.Import(ctx, tn, cycle, m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReads measures the tree, a node and a search on the real map, with one ente and with 60 entes each
// holding the same map (26,760 nodes): the ratio of the two shows whether the indexes on ente and cycle work.
func BenchmarkReads(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		f, ctx, m := newFixture(open(b)), context.Background(), realMap(b)
		var target service.Tenant
		loaded := 0
		for _, entes := range []int{1, 60} {
			for ; loaded < entes; loaded++ {
				tn := benchTenant(b, f, fmt.Sprintf("ente-%02d", loaded))
				if _, err := f.maps.Import(ctx, tn, "2026-2028", m); err != nil {
					b.Fatal(err)
				}
				if loaded == 0 {
					target = tn
				}
			}
			// Refresh the planner's statistics as the tables grow, as autovacuum would on a live server.
			if err := f.db.Gorm.Exec("ANALYZE").Error; err != nil {
				b.Fatal(err)
			}
			name := fmt.Sprintf("entes=%d", entes)
			b.Run("tree/"+name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := f.maps.Tree(ctx, reader(target), "2026-2028"); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("node/"+name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := f.maps.Node(ctx, reader(target), "2026-2028", "C2.2.1"); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("search/"+name, func(b *testing.B) {
				filter := domain.NodeFilter{Text: "registro", Unit: "AD2", PageSize: 50}
				for i := 0; i < b.N; i++ {
					page, err := f.maps.Search(ctx, reader(target), "2026-2028", filter)
					if err != nil || page.Total == 0 {
						b.Fatal(err, page)
					}
				}
			})
		}
	})
}
