package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// referenceCount is how the dashboard counted before its counts moved into SQL: the whole register read
// through the exports' source, every risk scored in Go. The dashboard must give the same figures.
func referenceCount(src export.Source) (risks int, byLevel, byArea, byUnit, mStatus, mType map[string]int, err error) {
	byLevel, byArea, byUnit, mStatus, mType = map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	err = src.Each(func(l export.Leaf) error {
		for _, r := range l.Assessment.Risks {
			risks++
			if r.InherentScore != nil {
				byLevel[r.InherentScore.Level]++
			}
			for _, a := range l.Node.RiskAreas {
				byArea[a]++
			}
			for _, u := range l.Node.Units {
				byUnit[u]++
			}
		}
		for _, m := range l.Assessment.Measures {
			mStatus[string(m.Status)]++
			mType[m.Type]++
		}
		return nil
	})
	return
}

// referenceDashboard builds the dashboard the old way; prev is the previous cycle's code ("" when none).
func referenceDashboard(t testing.TB, cycles *service.Cycles, wf *service.Workflow, actor domain.Actor, code, prev string) *service.Dashboard {
	t.Helper()
	ctx := context.Background()
	src, err := cycles.ExportSource(ctx, actor, code)
	if err != nil {
		t.Fatal(err)
	}
	d := &service.Dashboard{Cycle: code, Adopted: src.Meta().Adopted}
	if d.Risks, d.ByLevel, d.ByArea, d.ByUnit, d.MeasuresStatus, d.MeasuresType, err = referenceCount(src); err != nil {
		t.Fatal(err)
	}
	if d.Progress, err = wf.Progress(ctx, actor, code); err != nil {
		t.Fatal(err)
	}
	if prev != "" {
		psrc, err := cycles.ExportSource(ctx, actor, prev)
		if err != nil {
			t.Fatal(err)
		}
		cmp := &service.DashboardComparison{Cycle: prev}
		if cmp.Risks, cmp.ByLevel, _, _, _, _, err = referenceCount(psrc); err != nil {
			t.Fatal(err)
		}
		d.Previous = cmp
	}
	return d
}

// sameDashboard fails unless the dashboard's JSON answer is the reference's, byte for byte; it returns it.
func sameDashboard(t testing.TB, cycles *service.Cycles, wf *service.Workflow, actor domain.Actor, code, prev string) *service.Dashboard {
	t.Helper()
	got, err := cycles.Dashboard(context.Background(), actor, code, wf)
	if err != nil {
		t.Fatal(err)
	}
	want := referenceDashboard(t, cycles, wf, actor, code, prev)
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Fatalf("dashboard of %s:\n got %s\nwant %s", code, g, w)
	}
	return got
}

// TestDashboardMatchesExport holds the dashboard's SQL counts equal to counting the register as the exports
// read it, on a register with the edge cases: a leaf with two units, a leaf with two risk areas and one with
// none, a risk whose judgement is not complete (no level), a retired measure, a methodology chosen after the
// risks were saved (Choose rescores the stored levels: they then match what the cycle's methodology gives),
// no previous cycle, a live previous cycle, an adopted cycle (kept after the first count) and an adopted
// previous cycle.
func TestDashboardMatchesExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		wf := service.NewWorkflow(x.store, x.authz, x.reg)

		// Empty register, no previous cycle.
		if d := sameDashboard(t, cycles, wf, x.oiv, "2026-2028", ""); d.Risks != 0 || d.Previous != nil {
			t.Fatalf("empty %+v", d)
		}

		// A1.1.1.1: units SG and AD1. A1.1.1.2: areas M and A, plus a risk without a complete judgement and
		// one whose level depends on how the impact is aggregated. B2.2.1.1: no area.
		other := sampleAssessment(0)
		other.Measures[0].Unit = "AD2"
		edge := saveEdgeRegister(t, x, other)
		before := sameDashboard(t, cycles, wf, x.oiv, "2026-2028", "")
		if before.Risks != 8 || before.ByLevel["alto"] == 0 || before.ByUnit["SG"] != 2 || before.ByArea["A"] != 4 {
			t.Fatalf("live %+v", before)
		}

		// A retired measure is not counted (as the exports leave it out).
		if err := db.Gorm.Exec("UPDATE measures SET withdrawn_at = CURRENT_TIMESTAMP, withdrawn_reason = 'ritirata' WHERE id IN (SELECT id FROM measures ORDER BY position, id LIMIT 1)").Error; err != nil {
			t.Fatal(err)
		}
		retired := sameDashboard(t, cycles, wf, x.rpct, "2026-2028", "")
		if n := 0; true {
			for _, c := range retired.MeasuresType {
				n += c
			}
			if n != 5 {
				t.Fatalf("measures in force %v", retired.MeasuresType)
			}
		}

		// Another methodology after the saves: Choose rescores the stored levels, so they follow it.
		if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2019", ImpactAggregation: string(domain.AggregationMean)}); err != nil {
			t.Fatal(err)
		}
		after := sameDashboard(t, cycles, wf, x.oiv, "2026-2028", "")
		b, _ := json.Marshal(before.ByLevel)
		a, _ := json.Marshal(after.ByLevel)
		if bytes.Equal(a, b) {
			t.Fatalf("the methodology changed no level: %s", a)
		}
		stored := storedLevels(t, db, "2026-2028")
		if st, _ := json.Marshal(stored); !bytes.Equal(st, a) {
			t.Fatalf("stored levels %s, the methodology gives %s", st, a)
		}

		// A live previous cycle (by its years).
		x.mustImport(t, x.tn, "2025-2027", dbtest.SmallMap())
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2025-2027", "A1.1.1.2", edge); err != nil {
			t.Fatal(err)
		}
		withPrev := sameDashboard(t, cycles, wf, x.oiv, "2026-2028", "2025-2027")
		if withPrev.Previous == nil || withPrev.Previous.Risks != 4 {
			t.Fatalf("previous %+v", withPrev.Previous)
		}

		// Adopted: counted from the snapshot, then kept; a revision compares itself with it.
		complete := sampleAssessment(0)
		cur, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2")
		complete.Version = cur.Version
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", complete); err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			who  domain.Actor
			code string
		}{{actorWith(x.tn, "dirsg", domain.Grant{Role: domain.RoleDirector, UnitCode: "SG"}), "A1.1.1.1"}, {x.dir1, "A1.1.1.2"}, {x.dir2, "B2.2.1.1"}} {
			if _, err := wf.Transition(ctx, s.who, "2026-2028", s.code, domain.TransitionSubmit, ""); err != nil {
				t.Fatal(s.code, err)
			}
			if _, err := wf.Transition(ctx, x.rpct, "2026-2028", s.code, domain.TransitionApprove, ""); err != nil {
				t.Fatal(s.code, err)
			}
		}
		if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", "B2.1 BIS", "Escluso dalla campagna di prova"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "3", Date: "2027-01-20"}); err != nil {
			t.Fatal(err)
		}
		counter := dbtest.CountStatements(t, db)
		counter.Reset()
		first := sameDashboard(t, cycles, wf, x.oiv, "2026-2028", "2025-2027")
		if !first.Adopted || first.Risks != 6 {
			t.Fatalf("adopted %+v", first)
		}
		counter.Reset()
		if _, err := cycles.Dashboard(ctx, x.oiv, "2026-2028", wf); err != nil {
			t.Fatal(err)
		}
		kept := counter.Count()
		// The second answer reads no snapshot: the cycle, the snapshot's hash, the progress (3), the previous
		// cycle and its counts.
		if kept > 9 {
			t.Fatalf("the adopted figures are read again: %d statements", kept)
		}
		sameDashboard(t, cycles, wf, x.oiv, "2026-2028", "2025-2027")
		// Another instance (another Cycles) counts the same snapshot the same way.
		sameDashboard(t, service.NewCycles(x.store, x.authz, x.reg, x.maps), wf, x.rpct, "2026-2028", "2025-2027")
		rev, err := cycles.Revision(ctx, x.rpct, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		if d := sameDashboard(t, cycles, wf, x.rpct, rev.Cycle, "2026-2028"); d.Previous == nil || d.Previous.Risks != 6 {
			t.Fatalf("revision %+v", d)
		}

		// A roll-forward onto a cycle whose methodology was chosen first keeps that methodology: the copied
		// risks, saved with the adopted cycle's scores, are rescored.
		x.mustImport(t, x.tn, "2027-2029", dbtest.SmallMap())
		if _, err := x.meths.Choose(ctx, x.rpct, "2027-2029", service.MethodologyChoice{ProfileCode: "pna2019-5"}); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029"); err != nil {
			t.Fatal(err)
		}
		rolled := sameDashboard(t, cycles, wf, x.rpct, "2027-2029", "2026-2028")
		if r, p := fmt.Sprint(rolled.ByLevel), fmt.Sprint(rolled.Previous.ByLevel); r == p {
			t.Fatalf("the kept methodology changed no level: %s", r)
		}
		if st := storedLevels(t, db, "2027-2029"); fmt.Sprint(st) != fmt.Sprint(rolled.ByLevel) {
			t.Fatalf("rolled forward: stored levels %v, the methodology gives %v", st, rolled.ByLevel)
		}
	})
}

// storedLevels counts a cycle's risks by their stored inherent level.
func storedLevels(t *testing.T, db *database.DB, cycleCode string) map[string]int {
	t.Helper()
	var rows []struct {
		Level string
		N     int
	}
	if err := db.Gorm.Raw(`SELECT r.inherent_level AS level, COUNT(*) AS n FROM risk_entries r JOIN cycles c ON c.id = r.cycle_id
		WHERE c.code = ? AND r.inherent_level <> '' GROUP BY r.inherent_level`, cycleCode).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Level] = r.N
	}
	return out
}

// TestDashboardMatchesExportDemo compares the two countings on the fully assessed demo register.
func TestDashboardMatchesExportDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		oiv, reg := fullRegister(t, db, 0)
		s, az := store.New(db), reg.Authorizer()
		rpct := domain.Actor{UserID: "rpct", EnteID: oiv.EnteID, EnteCode: oiv.EnteCode, Grants: []domain.Grant{{Role: domain.RoleRPCT}}, GrantsVersion: 1}
		maps := service.NewProcessMaps(s, az)
		cycles, wf := service.NewCycles(s, az, reg, maps), service.NewWorkflow(s, az, reg)
		if d := sameDashboard(t, cycles, wf, rpct, seed.DemoCycle, ""); d.Risks < 500 || len(d.ByArea) < 5 || len(d.ByUnit) < 3 {
			t.Fatalf("demo %+v", d)
		}
	})
}

// saveEdgeRegister saves three leaves of the cycle 2026-2028: A1.1.1.1 (units SG and AD1) as sampleAssessment,
// A1.1.1.2 (areas M and A) with two more risks, one whose judgement is incomplete (no level) and one whose level
// depends on how the impact is aggregated (returned), and B2.2.1.1 (no area) as third, by dir2.
func saveEdgeRegister(t *testing.T, x registerFixture, third domain.Assessment) domain.Assessment {
	t.Helper()
	ctx := context.Background()
	if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0)); err != nil {
		t.Fatal(err)
	}
	edge := sampleAssessment(0)
	incomplete := qualitative(2, 2, 2)
	incomplete.Reason = ""
	edge.Risks = append(edge.Risks,
		domain.RiskEntry{EventDescription: "Giudizio ancora da completare", Inherent: incomplete, Decision: domain.DecisionKeep, Measures: []string{}},
		domain.RiskEntry{EventDescription: "Impatto concentrato su un solo indicatore", Inherent: qualitative(2, 2, 2, 2, 2, 2, 3, 1, 1, 1),
			Decision: domain.DecisionKeep, Measures: []string{}})
	if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", edge); err != nil {
		t.Fatal(err)
	}
	if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", third); err != nil {
		t.Fatal(err)
	}
	return edge
}
