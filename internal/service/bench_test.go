package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
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

// fullRegister loads the demo ente with every leaf assessed (265 leaves × 2 risk entries, each risk with a
// specific and a general measure), plus extra entes with the same, to measure the register at scale.
func fullRegister(b testing.TB, db *database.DB, extraEntes int) (domain.Actor, *service.Register) {
	ctx, s := context.Background(), store.New(db)
	az, _ := authz.Default()
	meths := service.NewMethodologies(s, az)
	reg := service.NewRegister(s, az, meths)
	entes, maps, users, cats := service.NewEntes(s), service.NewProcessMaps(s, az), service.NewUsers(s, az, nil), service.NewCatalogues(s, az)
	if _, err := demo.Load(ctx, s, entes, maps, users, cats, reg); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.FillRegister(ctx, s, reg, seed.DemoEnteCode, true, 0, 2); err != nil {
		b.Fatal(err)
	}
	m, _ := seed.BasilicataMap()
	for i := 0; i < extraEntes; i++ {
		code := fmt.Sprintf("scala-%02d", i)
		e, err := entes.Ensure(ctx, code, code)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := maps.Import(ctx, service.Tenant{EnteID: e.ID, EnteCode: code}, seed.DemoCycle, m); err != nil {
			b.Fatal(err)
		}
		if _, err := cats.EnsureStarter(ctx, e.ID); err != nil {
			b.Fatal(err)
		}
		for _, u := range demo.Users {
			if _, err := users.AsOperator().Create(ctx, e.ID, service.NewUser{Username: code + "-" + u.Username, Password: demo.Password, Grants: u.Grants, Permanent: true}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := demo.FillRegisterAs(ctx, s, reg, code, code+"-"); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Gorm.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	ente, _ := s.EnteByCode(ctx, seed.DemoEnteCode)
	return domain.Actor{UserID: "bench-oiv", EnteID: ente.ID, EnteCode: ente.Code, Grants: []domain.Grant{{Role: domain.RoleOIV}}, GrantsVersion: 1}, reg
}

// BenchmarkRegister reads the whole fully assessed register (530 rows) and computes the heat map, with the
// demo ente alone and among 60 entes holding the same register.
func BenchmarkRegister(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		for _, entes := range []int{1, 60} {
			db := open(b)
			actor, reg := fullRegister(b, db, entes-1)
			ctx := context.Background()
			b.Run(fmt.Sprintf("read-all/entes=%d", entes), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					p, err := reg.List(ctx, actor, seed.DemoCycle, store.RegisterFilter{WithTotal: true, PageSize: 1000})
					if err != nil || *p.Total != 530 {
						b.Fatal(err, *p.Total)
					}
				}
			})
			b.Run(fmt.Sprintf("page-100/entes=%d", entes), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := reg.List(ctx, actor, seed.DemoCycle, store.RegisterFilter{WithTotal: true, PageSize: 100, Page: 3}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("heatmap/entes=%d", entes), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := reg.Heatmap(ctx, actor, seed.DemoCycle, store.RegisterFilter{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}
