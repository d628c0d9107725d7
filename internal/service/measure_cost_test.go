package service_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
)

// TestMeasureCostNote: a measure's cost and sustainability note is saved, read back, bounded (422 naming the
// field) and exported in its own column of the register.
func TestMeasureCostNote(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		a := sampleAssessment(0)
		note := "Costo nullo: svolta dal personale interno in 10 ore annue; sostenibile senza risorse aggiuntive."
		a.Measures[0].CostNote = note
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil || saved.Measures[0].CostNote != note || saved.Measures[1].CostNote != "" {
			t.Fatalf("save: %+v %v", saved.Measures, err)
		}
		read, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if err != nil || read.Measures[0].CostNote != note {
			t.Fatalf("read back: %v", err)
		}
		long := sampleAssessment(0)
		long.Measures[1].CostNote = strings.Repeat("é", domain.MaxCostNote+1)
		var ve *domain.ValidationError
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", long); !errors.As(err, &ve) || !hasProblem(ve, "measures[1].cost_note", "too_long") {
			t.Fatalf("a note too long: %v", err)
		}
		_, rows, col := registerExport(t, x)
		if rows[1][col[export.ColCostNote]] != "Costo e sostenibilità della misura" || rows[2][col[export.ColCostNote]] != note {
			t.Fatalf("export: %q / %q", rows[1][col[export.ColCostNote]], rows[2])
		}
	})
}

// registerExport is the register of 2026-2028 as the OIV exports it: the export source, the rows of the XLSX
// register sheet and the column of each field in them.
func registerExport(t *testing.T, x registerFixture) (export.Source, [][]string, map[string]int) {
	t.Helper()
	src, err := service.NewCycles(x.store, x.authz, x.reg, x.maps).ExportSource(context.Background(), x.oiv, "2026-2028")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, src); err != nil {
		t.Fatal(err)
	}
	return src, xlsxRows(t, b.Bytes(), export.RegisterSheet), layoutCols(src.Meta().Methodology)
}

func hasProblem(ve *domain.ValidationError, field, code string) bool {
	for _, p := range ve.Problems {
		if p.Field == field && p.Code == code {
			return true
		}
	}
	return false
}
