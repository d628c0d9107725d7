package service_test

import (
	"context"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// Migration 00021 turns the general measures kept inside assessments into links to a programme measure, one per
// cycle and general-measure code (or title), without losing anything: the assessments' rows stay, with their
// monitoring entries, and the programme measures they link cannot be deleted under them.
func TestMigrationGeneralMeasuresBecomeProgrammeLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		a := sampleAssessment(0)
		a.Measures[1].Unit = "AD1"
		first, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		// A draft (left out of the campaign) with a general measure not yet coded.
		c := sampleAssessment(0)
		c.Measures = append(c.Measures, domain.Measure{Key: "m3", Nature: "general", Title: "Rotazione degli ispettori metrici"})
		third, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", c)
		if err != nil {
			t.Fatal(err)
		}
		consolidateFor(t, x, "A1.1.1.2", "B2.2.1.1")
		mon := service.NewMonitoring(x.store, x.authz)
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		general := first.Measures[1].ID
		if _, err := mon.SelfAssess(ctx, x.dir1, "2026-2028", "2026-12-31", general, store.MonitoringEntry{Status: "attuata"}); err != nil {
			t.Fatal(err)
		}

		// Back to the schema before 00021 (which drops the programme and its links), then up again.
		m, err := db.NewMigrator()
		if err != nil {
			t.Fatal(err)
		}
		for {
			v, err := m.Down(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v == 21 || v == 0 {
				break
			}
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}

		var programmes, links, scope, entries int64
		q := func(sql string, into *int64) {
			t.Helper()
			if err := db.SQL().QueryRowContext(ctx, sql).Scan(into); err != nil {
				t.Fatal(err)
			}
		}
		q("SELECT COUNT(*) FROM programme_measures", &programmes)
		q("SELECT COUNT(*) FROM measure_programme_links", &links)
		q("SELECT COUNT(*) FROM programme_measure_scope", &scope)
		q("SELECT COUNT(*) FROM monitoring_entries", &entries)
		// MG09 on the three leaves is one programme measure; the measure without code is another.
		if programmes != 2 || links != 4 || scope != 4 || entries != 1 {
			t.Fatalf("programmes %d links %d scope %d entries %d", programmes, links, scope, entries)
		}
		prog := service.NewProgramme(x.store, x.authz)
		list, err := prog.List(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var mg09 domain.ProgrammeMeasure
		for _, p := range list {
			if p.Code == "MG09" {
				mg09 = p
			}
		}
		if mg09.Links != 3 || mg09.Title != "Formazione anticorruzione del personale" || mg09.Unit != "AD1" ||
			len(mg09.Processes) != 3 || mg09.Processes[2] != "B2.2.1.1" {
			t.Fatalf("MG09 programme measure: %+v", mg09)
		}
		read, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if err != nil || read.Measures[1].ID != general || read.Measures[1].ProgrammeMeasure != mg09.ID {
			t.Fatalf("the assessment's general measure is a link, same row: %+v %v", read.Measures[1], err)
		}
		if again, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1"); again.Measures[2].ProgrammeMeasure == "" || again.Measures[2].ID != third.Measures[2].ID {
			t.Fatalf("the measure without code: %+v", again.Measures[2])
		}
		v, err := mon.Round(ctx, x.rpct, "2026-2028", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, rm := range v.Measures {
			found = found || (rm.ID == general && rm.Entry != nil && rm.Entry.Status == "attuata")
		}
		if !found {
			t.Fatal("the monitoring entry lost its measure")
		}
		if _, err := db.SQL().ExecContext(ctx, "DELETE FROM programme_measures WHERE code = 'MG09'"); err == nil {
			t.Fatal("a linked programme measure was deleted")
		}
	})
}
