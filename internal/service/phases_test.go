package service_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
)

// TestMeasurePhaseStart: a phase has a start as well as its deadline; both are kept, checked against each
// other and against the measure's dates, and shown by registro.xlsx ("dal … al …", read back by the import)
// and by the annex.
func TestMeasurePhaseStart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x := newRegisterFixture(t, db)
		ctx := context.Background()
		a := sampleAssessment(0)
		a.Measures[0].Phases = []domain.Phase{{Title: "Definizione criteri", Start: "2026-02-15", Deadline: "2026-03-31"},
			{Title: "Controlli", Deadline: "2026-11-30"}}
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if err != nil {
			t.Fatal(err)
		}
		if ph := got.Measures[0].Phases; len(ph) != 2 || ph[0].Start != "2026-02-15" || ph[0].Deadline != "2026-03-31" || ph[1].Start != "" {
			t.Fatalf("phases read back: %+v", ph)
		}

		bad := *got
		bad.Measures = append([]domain.Measure{}, got.Measures...)
		bad.Measures[0].Phases = []domain.Phase{{Title: "Rovesciata", Start: "2026-05-01", Deadline: "2026-04-01"},
			{Title: "Troppo presto", Start: "2026-01-10", Deadline: "2026-04-01"}, {Title: "Data errata", Start: "31/04/2026", Deadline: "2026-04-01"}}
		_, err = x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", bad)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("want a validation error, got %v", err)
		}
		problems := map[string]string{}
		for _, p := range ve.Problems {
			problems[p.Field] = p.Code
		}
		for field, code := range map[string]string{"measures[0].phases[0].deadline": "phase_end_before_start",
			"measures[0].phases[1].start": "phase_outside_measure", "measures[0].phases[2].start": "date_invalid"} {
			if problems[field] != code {
				t.Errorf("%s: got %q, want %q (all: %v)", field, problems[field], code, problems)
			}
		}
		if after, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2"); after.Version != saved.Version {
			t.Fatal("a refused save changed the assessment")
		}

		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		src, err := cycles.ExportSource(ctx, x.rpct, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) }), export.RegisterSheet)
		found := false
		for _, r := range rows {
			for _, c := range r {
				if strings.Contains(c, "dal 15/02/2026 al 31/03/2026 – Definizione criteri") && strings.Contains(c, "30/11/2026 – Controlli") {
					found = true
				}
			}
		}
		if !found {
			t.Error("registro.xlsx does not show the phase's start and end")
		}
		doc, err := cycles.RegisterAnnex(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var odt bytes.Buffer
		if err := document.WriteODT(&odt, doc.Doc); err != nil {
			t.Fatal(err)
		}
		content, _, _ := doctest.ODTText(t, odt.Bytes())
		doctest.InOrder(t, content, "Definizione criteri – dal 15 febbraio 2026 al 31 marzo 2026", "Controlli – entro il 30 novembre 2026")
	})
}
