package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func sampleProgrammeMeasure() domain.ProgrammeMeasure {
	return domain.ProgrammeMeasure{Code: "MG09", GeneralCode: "MG09", Type: "T06", Title: "Formazione anticorruzione del personale",
		LegalBasis: "L. 190/2012 co. 9 lett. b", Unit: "SG", Owner: "Segretario generale", Start: "2026-01-01", End: "2026-12-31",
		Phases:     []domain.Phase{{Title: "Piano formativo", Deadline: "2026-03-31"}, {Title: "Erogazione corsi", Deadline: "2026-11-30"}},
		Indicators: []domain.MeasureIndicator{{Name: "partecipanti / personale destinatario", Baseline: "60%", Target: "90%"}},
		Areas:      []string{"M", "A"}, Processes: []string{"A1.1.1.2"}}
}

// The RPCT plans the programme; everyone of the ente reads it; a stale write is a 409 and every change is audited.
func TestProgrammeCRUD(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		prog := service.NewProgramme(x.store, x.authz)
		if _, err := prog.Create(ctx, x.dir1, "2026-2028", sampleProgrammeMeasure()); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director plans: %v", err)
		}
		bad := sampleProgrammeMeasure()
		bad.Unit, bad.Areas, bad.Phases[0].Deadline = "XX", []string{"Z"}, "2027-05-01"
		var ve *domain.ValidationError
		if _, err := prog.Create(ctx, x.rpct, "2026-2028", bad); !errors.As(err, &ve) || len(ve.Problems) != 3 {
			t.Fatalf("invalid measure: %v", err)
		}
		created, err := prog.Create(ctx, x.rpct, "2026-2028", sampleProgrammeMeasure())
		if err != nil {
			t.Fatal(err)
		}
		if created.Version != 1 || len(created.Areas) != 2 || created.Processes[0] != "A1.1.1.2" || len(created.Missing) != 0 {
			t.Fatalf("created %+v", created)
		}
		if _, err := prog.Create(ctx, x.rpct, "2026-2028", sampleProgrammeMeasure()); domain.CodeOf(err) != "code_taken" {
			t.Fatalf("same code twice: %v", err)
		}
		list, err := prog.List(ctx, x.oiv, "2026-2028")
		if err != nil || len(list) != 1 {
			t.Fatalf("the OIV reads: %v %v", list, err)
		}
		if _, err := prog.List(ctx, x.admin, "2026-2028"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the admin reads the programme: %v", err)
		}
		upd := *created
		upd.Title = "Formazione anticorruzione generale e specifica"
		if _, err := prog.Update(ctx, x.rpct, "2026-2028", created.ID, upd); err != nil {
			t.Fatal(err)
		}
		var ce *domain.ConflictError
		if _, err := prog.Update(ctx, x.rpct, "2026-2028", created.ID, upd); !errors.As(err, &ce) || ce.CurrentVersion != 2 {
			t.Fatalf("stale update: %v", err)
		}
		if err := prog.Delete(ctx, x.rpct, "2026-2028", created.ID, 1); !errors.As(err, &ce) {
			t.Fatalf("stale delete: %v", err)
		}
		page, err := service.NewAudit(x.store, x.authz).List(ctx, x.rpct, store.AuditFilter{Entity: "programme_measure"}, 1, 50)
		if err != nil || page.Total != 2 {
			t.Fatalf("audit: %+v %v", page, err)
		}
		if err := prog.Delete(ctx, x.rpct, "2026-2028", created.ID, 2); err != nil {
			t.Fatal(err)
		}
	})
}

// An assessment links the programme's measure instead of copying it: the link takes the programme's content,
// follows its changes, and keeps the programme measure from being deleted; the programme measure is
// monitored in the cycle's rounds by its responsible office and checked by the RPCT.
func TestProgrammeLinksAndMonitoring(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		prog := service.NewProgramme(x.store, x.authz)
		pm, err := prog.Create(ctx, x.rpct, "2026-2028", sampleProgrammeMeasure())
		if err != nil {
			t.Fatal(err)
		}
		a := sampleAssessment(0)
		a.Measures[1] = domain.Measure{Key: "m2", ProgrammeMeasure: pm.ID, Title: "copied by the client, ignored"}
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil {
			t.Fatal(err)
		}
		linked := saved.Measures[1]
		if linked.ProgrammeMeasure != pm.ID || linked.Nature != "general" || linked.Title != pm.Title || linked.Unit != "SG" || len(linked.Phases) != 2 {
			t.Fatalf("linked measure %+v", linked)
		}
		a.Measures[1].ProgrammeMeasure = "00000000-0000-0000-0000-000000000000"
		a.Version = saved.Version
		var ve *domain.ValidationError
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a); !errors.As(err, &ve) || ve.Problems[0].Field != "measures[1].programme_measure" {
			t.Fatalf("unknown link: %v", err)
		}
		upd := *pm
		upd.Title = "Formazione anticorruzione 2026"
		if _, err := prog.Update(ctx, x.rpct, "2026-2028", pm.ID, upd); err != nil {
			t.Fatal(err)
		}
		read, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if err != nil || read.Measures[1].Title != "Formazione anticorruzione 2026" || read.Measures[1].ProgrammeMeasure != pm.ID {
			t.Fatalf("the link follows the programme: %+v %v", read.Measures[1], err)
		}
		list, _ := prog.List(ctx, x.rpct, "2026-2028")
		if list[0].Links != 1 {
			t.Fatalf("links counted: %+v", list[0])
		}
		if err := prog.Delete(ctx, x.rpct, "2026-2028", pm.ID, 2); domain.CodeOf(err) != "programme_measure_in_use" {
			t.Fatalf("delete a linked measure: %v", err)
		}

		consolidateFor(t, x, "A1.1.1.2")
		if _, err := prog.Update(ctx, x.rpct, "2026-2028", pm.ID, upd); domain.CodeOf(err) != "cycle_not_open" {
			t.Fatalf("a consolidated cycle's programme changes: %v", err)
		}
		mon := service.NewMonitoring(x.store, x.authz)
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		sg := actorWith(x.tn, "dirsg", domain.Grant{Role: domain.RoleDirector, UnitCode: "SG"})
		if _, err := prog.SelfAssess(ctx, x.dir1, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{Status: "attuata"}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("another office self-assesses: %v", err)
		}
		if _, err := prog.SelfAssess(ctx, sg, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{Status: "in_ritardo"}); !errors.As(err, &ve) {
			t.Fatalf("a delay without reason: %v", err)
		}
		v, err := prog.SelfAssess(ctx, sg, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{Status: "attuata",
			IndicatorValues: []store.IndicatorValue{{Name: "partecipanti / personale destinatario", Value: "93%"}}})
		if err != nil || v.Measures[0].Entry == nil || v.Measures[0].Entry.Version != 1 || v.Measures[0].Overdue {
			t.Fatalf("self-assessed: %+v %v", v, err)
		}
		var ce *domain.ConflictError
		if _, err := prog.Check(ctx, x.rpct, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{CheckOutcome: "confermato", Version: 7}); !errors.As(err, &ce) || ce.CurrentVersion != 1 {
			t.Fatalf("stale check: %v", err)
		}
		if _, err := prog.Check(ctx, sg, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{CheckOutcome: "confermato", Version: 1}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the office checks itself: %v", err)
		}
		v, err = prog.Check(ctx, x.rpct, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{CheckOutcome: "confermato", Version: 1})
		if err != nil || v.Measures[0].Entry.CheckOutcome != "confermato" {
			t.Fatalf("checked: %+v %v", v, err)
		}
		// The monitoring history keeps the measure too.
		if _, err := db.SQL().ExecContext(ctx, "DELETE FROM measure_programme_links"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, "UPDATE cycles SET state = 'open'"); err != nil {
			t.Fatal(err)
		}
		if err := prog.Delete(ctx, x.rpct, "2026-2028", pm.ID, 2); domain.CodeOf(err) != "programme_measure_in_use" {
			t.Fatalf("delete a monitored measure: %v", err)
		}
		if _, err := db.SQL().ExecContext(ctx, "DELETE FROM programme_measures"); err == nil {
			t.Fatal("the database let a monitored programme measure go")
		}
	})
}
