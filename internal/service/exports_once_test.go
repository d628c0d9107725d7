package service_test

import (
	"context"
	"io"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/export"
)

// A live register of one page is read once per export, however many times the writer goes over it:
// registro.xlsx (measureLinks, then the rows) runs the statements of registro.csv, which goes over it once.
func TestLiveRegisterOfOnePageIsReadOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles, _ := exportCountRegister(t, db, "ente-once", 3)
		counter := dbtest.CountStatements(t, db)
		count := func(write func(io.Writer, export.Source) error) int64 {
			src, err := cycles.ExportSource(context.Background(), x.oiv, "2026-2028")
			if err != nil {
				t.Fatal(err)
			}
			counter.Reset()
			if err := write(io.Discard, src); err != nil {
				t.Fatal(err)
			}
			return counter.Count()
		}
		csv, xlsx, excel := count(export.WriteCSV), count(export.WriteXLSX), count(export.WriteExcelCSV)
		if xlsx != csv || excel != csv {
			t.Fatalf("statements to write the register: csv %d, xlsx %d, excel-csv %d: the two-pass writers read it again", csv, xlsx, excel)
		}
	})
}
