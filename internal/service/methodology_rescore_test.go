package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// registerAgreesWithMethodology fails unless everything that reads the stored scores (the register's rows, its
// level and heat-cell filters, the heat map, the leaves' levels) says what the cycle's methodology gives the
// risks now, as the assessments show them (scored on reading). It returns the levels counted.
func registerAgreesWithMethodology(t *testing.T, x registerFixture, db *database.DB, leaves []string) map[string]int {
	t.Helper()
	ctx := context.Background()
	type shown struct{ inherent, residual *store.Cell }
	levels, inherentCells, residualCells := map[string]int{}, map[store.Cell]int{}, map[store.Cell]int{}
	leafLevels := map[string]string{}
	page, err := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range leaves {
		a, err := x.reg.Assessment(ctx, x.rpct, "2026-2028", code)
		if err != nil {
			t.Fatal(err)
		}
		// The leaf's level is the worst of its risks as scored on reading ("" while one is not scored): the
		// assessment's Level is the stored one, what is checked.
		worst, rank := "", 0
		for _, r := range a.Risks {
			if r.InherentScore == nil {
				worst = ""
				break
			}
			if r.InherentScore.Rank > rank {
				worst, rank = r.InherentScore.Level, r.InherentScore.Rank
			}
		}
		leafLevels[code] = worst
		if a.Level != worst {
			t.Fatalf("leaf %s: level %q, its risks give %q", code, a.Level, worst)
		}
		for _, r := range a.Risks {
			var s shown
			if r.InherentScore != nil {
				c := store.Cell(r.InherentScore.Cell)
				s.inherent = &c
				levels[r.InherentScore.Level]++
				inherentCells[c]++
			}
			if r.ResidualScore != nil {
				c := store.Cell(r.ResidualScore.Cell)
				s.residual = &c
				residualCells[c]++
			}
			// The row of the register shows the same levels.
			for _, row := range page.Items {
				if row.RiskID != r.ID {
					continue
				}
				wantIn, wantRes := "", ""
				if r.InherentScore != nil {
					wantIn = r.InherentScore.Level
				}
				if r.ResidualScore != nil {
					wantRes = r.ResidualScore.Level
				}
				if row.InherentLevel != wantIn || row.ResidualLevel != wantRes || fmt.Sprint(row.InherentCell) != fmt.Sprint(s.inherent) ||
					fmt.Sprint(row.ResidualCell) != fmt.Sprint(s.residual) {
					t.Fatalf("risk %s: register row %s/%s %v/%v, assessment %s/%s %v/%v", r.ID, row.InherentLevel, row.ResidualLevel,
						row.InherentCell, row.ResidualCell, wantIn, wantRes, s.inherent, s.residual)
				}
			}
		}
	}
	meth, err := x.meths.ForCycle(ctx, x.rpct, "2026-2028")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range meth.Profile.RiskLevels {
		level := l.Code
		p, err := x.reg.List(ctx, x.oiv, "2026-2028", withTotal(store.RegisterFilter{Level: level}))
		if err != nil {
			t.Fatal(err)
		}
		if int(*p.Total) != levels[level] {
			t.Fatalf("level filter %s: %d risks, the methodology gives %d", level, *p.Total, levels[level])
		}
	}
	h, err := x.reg.Heatmap(ctx, x.oiv, "2026-2028", store.RegisterFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []struct {
		name   string
		counts []store.HeatCell
		want   map[store.Cell]int
		filter func(store.Cell) store.RegisterFilter
	}{
		{"inherent", h.Inherent, inherentCells, func(c store.Cell) store.RegisterFilter { return store.RegisterFilter{InherentCell: &c} }},
		{"residual", h.Residual, residualCells, func(c store.Cell) store.RegisterFilter { return store.RegisterFilter{ResidualCell: &c} }},
	} {
		got := map[store.Cell]int{}
		for _, hc := range side.counts {
			got[store.Cell{hc.Likelihood, hc.Impact}] = hc.Count
		}
		if fmt.Sprint(got) != fmt.Sprint(side.want) {
			t.Fatalf("%s heat map %v, the methodology gives %v", side.name, got, side.want)
		}
		for c, n := range side.want {
			p, err := x.reg.List(ctx, x.oiv, "2026-2028", withTotal(side.filter(c)))
			if err != nil {
				t.Fatal(err)
			}
			if int(*p.Total) != n {
				t.Fatalf("%s cell filter %v: %d risks, the methodology gives %d", side.name, c, *p.Total, n)
			}
		}
	}
	// The leaves' stored levels (the map's colours) are the worst of their risks as scored now.
	var stored []struct{ Code, Level string }
	if err := db.Gorm.Raw("SELECT n.code, a.level FROM assessments a JOIN process_nodes n ON n.id = a.node_id").Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range stored {
		if s.Level != leafLevels[s.Code] {
			t.Fatalf("leaf %s: stored level %q, the methodology gives %q", s.Code, s.Level, leafLevels[s.Code])
		}
	}
	return levels
}

// TestChooseRescoresTheRegister holds a change of methodology to rewriting what the risks stored with the
// previous one: the level, the heat-map cells, the leaves' levels, in a number of statements that does not
// depend on the register's size; the versions stay (the content did not change) and the audit record says how
// many risks were rescored.
func TestChooseRescoresTheRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		leaves := []string{"A1.1.1.1", "A1.1.1.2", "B2.2.1.1"}
		saveEdgeRegister(t, x, sampleAssessment(0))
		first := registerAgreesWithMethodology(t, x, db, leaves)
		versions := func() string {
			var v []string
			if err := db.Gorm.Raw("SELECT id || ':' || CAST(version AS TEXT) FROM assessments UNION ALL SELECT id || ':' || CAST(version AS TEXT) FROM risk_entries ORDER BY 1").Scan(&v).Error; err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(v)
		}
		saved := versions()

		counter := dbtest.CountStatements(t, db)
		choose := func(profile, aggregation string) int64 {
			t.Helper()
			m, err := x.meths.ForCycle(ctx, x.rpct, "2026-2028")
			if err != nil {
				t.Fatal(err)
			}
			counter.Reset()
			if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: profile, ImpactAggregation: aggregation, Version: m.Version}); err != nil {
				t.Fatal(err)
			}
			return counter.Count()
		}
		lastRescored := func() int {
			t.Helper()
			var after []string
			if err := db.Gorm.Raw("SELECT after FROM audit_log WHERE action = 'choose' ORDER BY seq DESC LIMIT 1").Scan(&after).Error; err != nil {
				t.Fatal(err)
			}
			var a struct {
				Code          string `json:"code"`
				RescoredRisks *int   `json:"rescored_risks"`
			}
			if len(after) != 1 || json.Unmarshal([]byte(after[0]), &a) != nil || a.RescoredRisks == nil || a.Code == "" {
				t.Fatalf("audit record of choose: %v", after)
			}
			return *a.RescoredRisks
		}

		// The impact aggregated by its mean: some levels and cells change.
		small := choose("pna2019", string(domain.AggregationMean))
		mean := registerAgreesWithMethodology(t, x, db, leaves)
		if fmt.Sprint(mean) == fmt.Sprint(first) {
			t.Fatalf("the methodology changed no level: %v", mean)
		}
		if n := lastRescored(); n == 0 || n > 8 {
			t.Fatalf("rescored %d risks", n)
		}
		// Five levels; then a numeric profile, which cannot score these judgements: no levels, no cells.
		choose("pna2019-5", "")
		registerAgreesWithMethodology(t, x, db, leaves)
		choose("pna2013-max", "")
		if none := registerAgreesWithMethodology(t, x, db, leaves); len(none) != 0 {
			t.Fatalf("a numeric profile scored qualitative judgements: %v", none)
		}
		if n := lastRescored(); n != 7 {
			t.Fatalf("rescored %d risks, want the 7 scored ones", n)
		}
		// Back to the first: the same as saved, and an unchanged choice rescores nothing.
		choose("pna2019", "")
		if back := registerAgreesWithMethodology(t, x, db, leaves); fmt.Sprint(back) != fmt.Sprint(first) {
			t.Fatalf("back to the first methodology: %v, saved %v", back, first)
		}
		choose("pna2019", "")
		if n := lastRescored(); n != 0 {
			t.Fatalf("an unchanged methodology rescored %d risks", n)
		}
		if v := versions(); v != saved {
			t.Fatalf("rescoring moved versions:\n%s\n%s", saved, v)
		}

		// A larger register is rescored in as many statements.
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.1 BIS", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, "B2.1 BIS")
		if large := choose("pna2019", string(domain.AggregationMean)); large != small {
			t.Fatalf("Choose: %d statements with 8 risks, %d with 10", small, large)
		}
		t.Logf("Choose: %d statements", small)
		registerAgreesWithMethodology(t, x, db, leaves)
		if n := lastRescored(); n == 0 {
			t.Fatalf("rescored %d risks", n)
		}
	})
}
