package service_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// campaignMap has 265 leaves owned round-robin by 30 units (every seventh leaf by two).
func campaignMap() *domain.ProcessMap {
	m := &domain.ProcessMap{StrategicObjectives: []domain.RefItem{{Code: "OS1", Title: "Obiettivo"}},
		RiskAreas: []domain.RefItem{{Code: "D", Title: "Contributi"}}}
	l := func(s ...string) []string { return append([]string{}, s...) }
	for u := 1; u <= 30; u++ {
		m.Units = append(m.Units, domain.RefItem{Code: fmt.Sprintf("U%02d", u), Title: fmt.Sprintf("Unità %d", u)})
	}
	m.Nodes = append(m.Nodes,
		domain.MapNode{Level: domain.LevelMacro, Code: "X1", Title: "Macro", Function: "F", Units: l(), StrategicObjectives: l(), RiskAreas: l()},
		domain.MapNode{Level: domain.LevelProcess, Code: "X1.1", ParentCode: "X1", Title: "Processo", Function: "F", Units: l("U01"), StrategicObjectives: l(), RiskAreas: l("D")},
		domain.MapNode{Level: domain.LevelSubprocess, Code: "X1.1.1", ParentCode: "X1.1", Title: "Sotto-processo", Function: "F", Units: l("U01"), StrategicObjectives: l(), RiskAreas: l("D")})
	for i := 1; i <= 265; i++ {
		units := l(fmt.Sprintf("U%02d", i%30+1))
		if i%7 == 0 {
			units = append(units, fmt.Sprintf("U%02d", (i+1)%30+1))
		}
		m.Nodes = append(m.Nodes, domain.MapNode{Level: domain.LevelAction, Code: fmt.Sprintf("X1.1.1.%d", i), ParentCode: "X1.1.1",
			Title: "Azione", Function: "F", Units: units, StrategicObjectives: l(), RiskAreas: l("D")})
	}
	return m
}

var errRollback = errors.New("rollback")

// BenchmarkCampaignOpening: the campaign of a map of 265 leaves and 30 directors opens, in one transaction
// (rolled back after each iteration, so each starts from the same state). Target: < 200 ms on both databases.
func BenchmarkCampaignOpening(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		f := newFixture(open(b))
		ctx := context.Background()
		tn := benchTenant(b, f, "ente-camp")
		if _, err := f.maps.Import(ctx, tn, "2026-2028", campaignMap()); err != nil {
			b.Fatal(err)
		}
		for u := 1; u <= 30; u++ {
			if _, err := f.store.CreateUser(ctx, domain.User{EnteID: tn.EnteID, Username: fmt.Sprintf("dir%02d", u), FullName: "Direttore",
				Email: fmt.Sprintf("dir%02d@ente.example", u), Grants: []domain.Grant{{Role: domain.RoleDirector, UnitCode: fmt.Sprintf("U%02d", u)}}}, "x"); err != nil {
				b.Fatal(err)
			}
		}
		cycle, err := f.store.CycleByCode(ctx, tn.EnteID, "2026-2028")
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			var n int
			err := f.store.WithTx(ctx, func(tx *store.Store) (err error) {
				if n, err = service.OpenCampaign(ctx, tx, tn.EnteID, cycle); err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) || n != 30 {
				b.Fatalf("%d events, %v", n, err)
			}
		}
	})
}
