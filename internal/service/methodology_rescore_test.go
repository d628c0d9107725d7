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

// manyRisks is sampleAssessment with n risks whose judgements vary with first+i (every third one treated, with
// a residual judgement), for registers larger than a rescoring statement rewrites.
func manyRisks(first, n int) domain.Assessment {
	a := sampleAssessment(0)
	a.Risks = nil
	for i := first; i < first+n; i++ {
		values := make([]int, 10)
		for k, v := 0, i; k < len(values); k, v = k+1, v/3 {
			values[k] = 1 + v%3
		}
		r := domain.RiskEntry{EventDescription: fmt.Sprintf("Evento rischioso n. %d", i), Inherent: qualitative(values...),
			Decision: domain.DecisionKeep, Measures: []string{"m2"}}
		if i%3 == 0 {
			residual := qualitative(1, 1, 1, 1, 1, 1, values[0], 1, values[1], 1)
			r.Decision, r.Priority, r.Measures, r.Residual = domain.DecisionTreat, 1, []string{"m1", "m2"}, &residual
		}
		a.Risks = append(a.Risks, r)
	}
	return a
}

// storedScoresAgree fails unless every risk of the register stores the level, rank and cells the cycle's
// methodology gives its judgements now, and every assessment the level of its worst risk ("" when one is not
// scored). It returns how many risks have an inherent level.
func storedScoresAgree(t *testing.T, x registerFixture, db *database.DB) int {
	t.Helper()
	meth, err := x.meths.ForCycle(context.Background(), x.rpct, "2026-2028")
	if err != nil {
		t.Fatal(err)
	}
	scorer, err := meth.Profile.Scorer()
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID, AssessmentID, Inherent, Residual       string
		InherentLevel, ResidualLevel, Level        string
		InherentRank, InherentCellL, InherentCellI int
		ResidualRank, ResidualCellL, ResidualCellI int
		LevelRank                                  int
	}
	if err := db.Gorm.Raw(`SELECT r.id, r.assessment_id, r.inherent, r.residual, r.inherent_level, r.residual_level, a.level,
		r.inherent_rank, r.inherent_cell_l, r.inherent_cell_i, r.residual_rank, r.residual_cell_l, r.residual_cell_i, a.level_rank
		FROM risk_entries r JOIN assessments a ON a.id = r.assessment_id ORDER BY r.id`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	want := func(raw string) (string, int, int, int) {
		var j domain.Judgement
		if raw == "" {
			return "", 0, 0, 0
		}
		if err := json.Unmarshal([]byte(raw), &j); err != nil {
			t.Fatal(err)
		}
		s, err := scorer.Score(j)
		if err != nil {
			return "", 0, 0, 0
		}
		return s.Level, s.Rank, s.Cell[0], s.Cell[1]
	}
	type worst struct {
		level      string
		rank       int
		unscored   bool
		stored     string
		storedRank int
	}
	assessments, scored := map[string]*worst{}, 0
	for _, r := range rows {
		il, ir, icl, ici := want(r.Inherent)
		rl, rr, rcl, rci := want(r.Residual)
		const scores = "%q rank %d cell %d,%d / %q rank %d cell %d,%d"
		if got, exp := fmt.Sprintf(scores, r.InherentLevel, r.InherentRank, r.InherentCellL, r.InherentCellI, r.ResidualLevel, r.ResidualRank, r.ResidualCellL, r.ResidualCellI),
			fmt.Sprintf(scores, il, ir, icl, ici, rl, rr, rcl, rci); got != exp {
			t.Fatalf("risk %s stores %s, the methodology gives %s", r.ID, got, exp)
		}
		w := assessments[r.AssessmentID]
		if w == nil {
			w = &worst{stored: r.Level, storedRank: r.LevelRank}
			assessments[r.AssessmentID] = w
		}
		if il == "" {
			w.unscored = true
		} else if scored++; ir > w.rank {
			w.level, w.rank = il, ir
		}
	}
	for id, w := range assessments {
		if w.unscored {
			w.level, w.rank = "", 0
		}
		if w.stored != w.level || w.storedRank != w.rank {
			t.Fatalf("assessment %s stores level %q (%d), its risks give %q (%d)", id, w.stored, w.storedRank, w.level, w.rank)
		}
	}
	return scored
}

// TestChooseRescoresALargeRegister holds the rescoring of a register larger than one statement rewrites
// (store.RescoreCycleRisks writes 500 risks per UPDATE) to rewriting every risk, the last partial chunk
// included, in one statement more per chunk.
func TestChooseRescoresALargeRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		counter := dbtest.CountStatements(t, db)
		choose := func(profile string, rescored int) int64 {
			t.Helper()
			m, err := x.meths.ForCycle(ctx, x.rpct, "2026-2028")
			if err != nil {
				t.Fatal(err)
			}
			counter.Reset()
			if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: profile, Version: m.Version}); err != nil {
				t.Fatal(err)
			}
			n := counter.Count()
			var after []string
			if err := db.Gorm.Raw("SELECT after FROM audit_log WHERE action = 'choose' ORDER BY seq DESC LIMIT 1").Scan(&after).Error; err != nil {
				t.Fatal(err)
			}
			var a struct {
				RescoredRisks int `json:"rescored_risks"`
			}
			if len(after) != 1 || json.Unmarshal([]byte(after[0]), &a) != nil || (rescored >= 0 && a.RescoredRisks != rescored) ||
				(rescored < 0 && a.RescoredRisks <= 2*500) {
				t.Fatalf("choose %s: audit record %v, want %d risks rescored (-1: more than two chunks)", profile, after, rescored)
			}
			return n
		}
		save := func(actor domain.Actor, code string, a domain.Assessment) {
			t.Helper()
			if _, err := x.reg.SaveAssessment(ctx, actor, "2026-2028", code, a); err != nil {
				t.Fatal(err)
			}
		}

		// One leaf of 3 risks: one chunk of risks, one of assessments. A numeric profile cannot score qualitative
		// judgements: every risk loses its level and cells, and back every one gets them again.
		save(x.dir1, "A1.1.1.1", manyRisks(0, 3))
		small := choose("pna2013-max", 3)
		if n := storedScoresAgree(t, x, db); n != 0 {
			t.Fatalf("a numeric profile scored %d qualitative judgements", n)
		}
		choose("pna2019", 3)
		storedScoresAgree(t, x, db)

		// 1,100 risks, 275 on each of the four leaves (one save each): three chunks of 500, 500 and 100.
		const perLeaf = 275
		for i, leaf := range []struct {
			actor domain.Actor
			code  string
		}{{x.dir1, "A1.1.1.2"}, {x.dir2, "B2.1 BIS"}, {x.dir2, "B2.2.1.1"}} {
			save(leaf.actor, leaf.code, manyRisks((i+1)*perLeaf, perLeaf))
		}
		more := manyRisks(0, perLeaf)
		more.Version = 1
		save(x.dir1, "A1.1.1.1", more)
		if n := storedScoresAgree(t, x, db); n != 4*perLeaf {
			t.Fatalf("%d risks scored, want %d", n, 4*perLeaf)
		}
		if large := choose("pna2013-max", 4*perLeaf); large != small+2 {
			t.Errorf("Choose: %d statements for 3 risks, %d for %d (want 2 more chunks)", small, large, 4*perLeaf)
		}
		if n := storedScoresAgree(t, x, db); n != 0 {
			t.Fatalf("a numeric profile scored %d qualitative judgements", n)
		}
		// Five levels, then back: the levels and cells of every risk as the methodology gives them.
		if back := choose("pna2019-5", 4*perLeaf); back != small+2 {
			t.Errorf("Choose: %d statements for 3 risks, %d for %d (want 2 more chunks)", small, back, 4*perLeaf)
		}
		if n := storedScoresAgree(t, x, db); n != 4*perLeaf {
			t.Fatalf("%d risks scored, want %d", n, 4*perLeaf)
		}
		// Back to three levels: most risks change, not all.
		choose("pna2019", -1)
		storedScoresAgree(t, x, db)
	})
}
