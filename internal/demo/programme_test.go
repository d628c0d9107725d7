package demo_test

import (
	"slices"
	"strings"
	"testing"

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
		d := newDemoSetup(t, db)
		ctx, s, az, reg := d.ctx, d.s, d.az, d.reg
		for range 2 {
			d.load(t)
		}
		oiv := d.oiv(t)
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
		// The programme names the factors each measure addresses and its cost, marked as demo (the adopted
		// cycle's: TestDemoPreviousCycleIsAdoptedAndMonitored).
		assertProgrammeFactors(t, "2026-2028", prog)
		// A good share of the specific measures names the factors of the risk it treats, a few with a cost note.
		page, err := reg.List(ctx, oiv, "2026-2028", store.RegisterFilter{PageSize: 500})
		if err != nil {
			t.Fatal(err)
		}
		specific, withFactors, withCost := 0, 0, 0
		seen := map[string]bool{}
		for _, row := range page.Items {
			if seen[row.Node] {
				continue
			}
			seen[row.Node] = true
			a, err := reg.Assessment(ctx, oiv, "2026-2028", row.Node)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range a.Measures {
				if m.Nature != "specific" {
					continue
				}
				specific++
				if len(m.EnablingFactors) > 0 {
					withFactors++
					treated := false
					for _, r := range a.Risks {
						if slices.Contains(r.Measures, m.Key) && slices.Contains(m.EnablingFactors, r.EnablingFactors[0]) {
							treated = true
						}
					}
					if !treated {
						t.Fatalf("%s: measure %s addresses %v, not the factors of a risk it treats", row.Node, m.Key, m.EnablingFactors)
					}
				}
				if m.CostNote != "" {
					withCost++
				}
			}
		}
		if withFactors*4 < specific || withCost == 0 || withCost == withFactors {
			t.Fatalf("specific measures %d, with factors %d, with a cost note %d", specific, withFactors, withCost)
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

// assertProgrammeFactors: every demo general measure names the enabling factors it addresses and a cost note
// marked as demo.
func assertProgrammeFactors(t *testing.T, cycle string, prog []domain.ProgrammeMeasure) {
	t.Helper()
	if len(prog) != 10 {
		t.Fatalf("programme of %s: %d measures", cycle, len(prog))
	}
	for _, p := range prog {
		if !strings.HasSuffix(p.CostNote, "(stima dimostrativa)") || len(p.EnablingFactors) == 0 {
			t.Fatalf("%s: demo measure %s has cost note %q, factors %v", cycle, p.Code, p.CostNote, p.EnablingFactors)
		}
	}
}
