package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func TestDemoIsIdempotentAndCoversTheRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, s := context.Background(), store.New(db)
		az, _ := authz.Default()
		meths := service.NewMethodologies(s, az)
		reg := service.NewRegister(s, az, meths)
		load := func() demo.Result {
			res, err := demo.Load(ctx, s, service.NewEntes(s), service.NewProcessMaps(s, az),
				service.NewUsers(s, az, nil), service.NewCatalogues(s, az), reg)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		first := load()
		if first.UsersCreated != 7 || first.Assessments < 36 || first.Import.Outcome != service.ImportCreated {
			t.Fatalf("first demo: %+v", first)
		}
		if again := load(); again.UsersCreated != 0 || again.Assessments != 0 || again.Import.Outcome != service.ImportUnchanged {
			t.Fatalf("second demo changed something: %+v", again)
		}
		ente, _ := s.EnteByCode(ctx, "cciaa-basilicata")
		oiv := domain.Actor{UserID: "oiv-test", EnteID: ente.ID, EnteCode: ente.Code, Grants: []domain.Grant{{Role: domain.RoleOIV}}, GrantsVersion: 1}
		page, err := reg.List(ctx, oiv, "2026-2028", store.RegisterFilter{PageSize: 500})
		if err != nil || int(page.Total) != 2*first.Assessments {
			t.Fatalf("register: %v %v", page.Total, err)
		}
		units, areas, levels := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, r := range page.Items {
			for _, u := range r.Units {
				units[u] = true
			}
			for _, a := range r.RiskAreas {
				areas[a] = true
			}
			levels[r.InherentLevel] = true
		}
		if len(units) != 4 || len(areas) < 12 || len(levels) != 3 {
			t.Fatalf("demo covers units %v, areas %v, levels %v", units, areas, levels)
		}
		a, err := reg.Assessment(ctx, oiv, "2026-2028", page.Items[0].Node)
		if err != nil || !strings.HasPrefix(a.Risks[0].Context, demo.DemoMarker) {
			t.Fatalf("demo data is not marked: %+v %v", a, err)
		}
	})
}
