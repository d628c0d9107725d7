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

// TestDemoProgrammeAndTransparency: the demo ente has a programme of general measures that its assessments
// link, a transparency grid with units, and civic-access counts; loading again writes nothing new.
func TestDemoProgrammeAndTransparency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx, s := context.Background(), store.New(db)
		az, _ := authz.Default()
		maps := service.NewProcessMaps(s, az)
		reg := service.NewRegister(s, az, service.NewMethodologies(s, az))
		for range 2 {
			if _, err := demo.Load(ctx, s, service.NewEntes(s), maps, service.NewUsers(s, az, nil), service.NewCatalogues(s, az), reg); err != nil {
				t.Fatal(err)
			}
		}
		ente, _ := s.EnteByCode(ctx, "cciaa-basilicata")
		oiv := domain.Actor{UserID: "oiv-test", EnteID: ente.ID, EnteCode: ente.Code, Grants: []domain.Grant{{Role: domain.RoleOIV}}, GrantsVersion: 1}
		prog, err := service.NewProgramme(s, az).List(ctx, oiv, "2026-2028")
		if err != nil || len(prog) != 10 {
			t.Fatalf("programme: %d %v", len(prog), err)
		}
		links := 0
		for _, p := range prog {
			links += p.Links
			if !strings.HasPrefix(p.Description, demo.DemoMarker) || len(p.Missing) != 0 {
				t.Fatalf("demo measure %+v", p)
			}
		}
		if links == 0 {
			t.Fatal("no demo assessment links the programme")
		}
		tr := service.NewTransparency(s, az)
		grid, err := tr.Obligations(ctx, oiv, "2026-2028")
		if err != nil || len(grid) < 50 || grid[0].PublishingUnit != "SG" || grid[0].Version != 2 {
			t.Fatalf("grid: %d %v", len(grid), err)
		}
		counts, err := tr.CivicAccess(ctx, oiv)
		if err != nil || len(counts) != 6 {
			t.Fatalf("civic access: %+v %v", counts, err)
		}
	})
}
