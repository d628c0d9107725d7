package demo_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func TestDemoIsIdempotentAndCoversTheRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := newDemoSetup(t, db)
		ctx, reg := d.ctx, d.reg
		first := d.load(t)
		if first.UsersCreated != 7 || first.Assessments < 36 || first.Import.Outcome != service.ImportCreated {
			t.Fatalf("first demo: %+v", first)
		}
		if again := d.load(t); again.UsersCreated != 0 || again.Assessments != 0 || again.Import.Outcome != service.ImportUnchanged {
			t.Fatalf("second demo changed something: %+v", again)
		}
		oiv := d.oiv(t)
		page, err := reg.List(ctx, oiv, "2026-2028", store.RegisterFilter{PageSize: 500, WithTotal: true})
		if err != nil || page.Total == nil || int(*page.Total) != 2*first.Assessments {
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

// TestDemoSottosezione: the demo ente has every part of the sottosezione filled, marked as demo, and loading
// again writes nothing new.
func TestDemoSottosezione(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := newDemoSetup(t, db)
		ctx := d.ctx
		for range 2 {
			d.load(t)
		}
		oiv := d.oiv(t)
		sot := service.NewSottosezione(d.s, d.az, d.maps)
		for _, k := range domain.PartKinds {
			v, err := sot.Part(ctx, oiv, "2026-2028", k)
			if err != nil || v.Version != 1 {
				t.Fatalf("demo part %s: %+v %v", k, v, err)
			}
			raw, _ := json.Marshal(v.Content)
			if !strings.Contains(string(raw), `"demo":true`) {
				t.Fatalf("demo part %s is not marked demo: %s", k, raw)
			}
		}
		ctxView, _ := sot.Part(ctx, oiv, "2026-2028", domain.PartContext)
		trends := ctxView.Computed.(map[string]any)["trends"].([]domain.Trend)
		if len(trends) < 8 || trends[0].Change == nil {
			t.Fatalf("demo context has year-over-year figures: %+v", trends)
		}
		if d, err := sot.Description(ctx, oiv, "2026-2028", "C1.1"); err != nil || !strings.HasPrefix(d.Input, demo.DemoMarker) {
			t.Fatalf("demo description: %+v %v", d, err)
		}
	})
}

// TestDemoUpgradesMarkersInPlace: a demo database loaded before the sub-process markers became fields (issue 17)
// starts again: its nodes get their markers in place and keep their assessments, rather than the import refusing
// to replace a map with register data.
func TestDemoUpgradesMarkersInPlace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := newDemoSetup(t, db)
		ctx, s, reg := d.ctx, d.s, d.reg
		first := d.load(t)
		ente := d.ente(t)
		cycle, _ := s.CycleByCode(ctx, ente.ID, "2026-2028")
		// The database as an older release left it: the marker only in the note, another map hash.
		if err := s.SetNodeAnnotation(ctx, ente.ID, cycle.ID, "D6.2.1", domain.MarkerNone, "Nella fonte il codice reca il marcatore '**'"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCycleMapHash(ctx, ente.ID, cycle.ID, "old-hash"); err != nil {
			t.Fatal(err)
		}
		if again := d.load(t); again.Import.Outcome != service.ImportUnchanged {
			t.Fatalf("second load: %+v", again)
		}
		n, err := s.NodeByCode(ctx, ente.ID, cycle.ID, "D6.2.1")
		if err != nil || n.Marker != domain.MarkerPriority || n.Note != "" {
			t.Fatalf("D6.2.1 after the upgrade: %+v %v", n, err)
		}
		oiv := d.oiv(t)
		page, err := reg.List(ctx, oiv, "2026-2028", store.RegisterFilter{PageSize: 500, WithTotal: true})
		if err != nil || page.Total == nil || int(*page.Total) != 2*first.Assessments {
			t.Fatalf("the register survived: %v %v", page.Total, err)
		}
	})
}

// TestDemoPreviousCycleIsAdoptedAndMonitored: the demo ships the previous cycle adopted (approved assessments,
// the rest excluded, a snapshot), so a monitoring round opens on it; loading again leaves it as it is.
func TestDemoPreviousCycleIsAdoptedAndMonitored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := newDemoSetup(t, db)
		ctx, s, az, maps, reg := d.ctx, d.s, d.az, d.maps, d.reg
		for range 2 {
			d.loadWithPrevious(t)
		}
		ente := d.ente(t)
		prev, err := s.CycleByCode(ctx, ente.ID, demo.PreviousCycle)
		if err != nil || prev.State != domain.CycleAdopted {
			t.Fatalf("previous cycle: %+v %v", prev, err)
		}
		if cur, _ := s.CycleByCode(ctx, ente.ID, "2026-2028"); cur.State != domain.CycleOpen {
			t.Fatalf("current cycle is %s", cur.State)
		}
		rpct := d.user(t, "rpct")
		if _, err := service.NewCycles(s, az, reg, maps).Snapshot(ctx, rpct, demo.PreviousCycle); err != nil {
			t.Fatalf("no snapshot: %v", err)
		}
		page, err := reg.List(ctx, rpct, demo.PreviousCycle, store.RegisterFilter{PageSize: 500, WithTotal: true})
		if err != nil || page.Total == nil || *page.Total == 0 {
			t.Fatalf("previous register: %v %v", page.Total, err)
		}
		// The programme the cycle was adopted with, as its snapshot froze it, names factors and costs.
		_, _, ss, err := service.NewCycles(s, az, reg, maps).SottosezioneData(ctx, rpct, demo.PreviousCycle)
		if err != nil {
			t.Fatal(err)
		}
		assertProgrammeFactors(t, demo.PreviousCycle, ss.Programme)
		round, err := service.NewMonitoring(s, az).OpenRound(ctx, rpct, demo.PreviousCycle, "2025-06-30")
		if err != nil || len(round.Measures) == 0 {
			t.Fatalf("monitoring round on the previous cycle: %+v %v", round, err)
		}
		if inbox, err := service.NewNotifications(s, az, "").Inbox(ctx, rpct, false, 1, 10); err != nil || inbox.Total == 0 || inbox.Unread != 0 {
			t.Fatalf("the previous cycle's notifications are there, read: %+v %v", inbox, err)
		}
		if _, err := service.NewMonitoring(s, az).OpenRound(ctx, rpct, "2026-2028", "2026-06-30"); err == nil {
			t.Fatal("the open cycle's measures are not monitored yet")
		}
	})
}

// TestDemoCalendar: the demo's open cycle has a campaign calendar around the day it was loaded, so the home page
// shows deadlines and days left at once; loading again keeps it (and would keep an RPCT's own dates).
func TestDemoCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := newDemoSetup(t, db)
		ctx := d.ctx
		d.load(t)
		dir2 := d.user(t, "dir2")
		cal := service.NewCalendar(d.s, d.az)
		v, err := cal.Get(ctx, dir2, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, it := range v.Items {
			got[it.Phase] = it.DaysLeft
		}
		if got["assessment_open"] != -14 || got["self_assessment_due"] != 21 || got["review_due"] != 42 || got["consolidation_due"] != 56 ||
			v.Version != 1 || len(v.ReminderDays) != 2 || v.ReminderDays[0] != 7 || v.ReminderDays[1] != 1 {
			t.Fatalf("demo calendar: %+v", v)
		}
		if v.Items[1].Label != "Scadenza dell'autovalutazione delle strutture" {
			t.Fatalf("labels: %+v", v.Items)
		}
		d.load(t)
		if again, err := cal.Get(ctx, dir2, "2026-2028"); err != nil || again.Version != 1 || len(again.Items) != len(v.Items) {
			t.Fatalf("loading again changed the calendar: %+v %v", again, err)
		}
	})
}
