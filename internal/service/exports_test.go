package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
)

func render(t *testing.T, src export.Source, write func(*bytes.Buffer, export.Source) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, src); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func xlsxRows(t testing.TB, data []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		a := sampleAssessment(0)
		a.Measures[0].Owner = "Mario Rossi" // a person: never in open data
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a); err != nil {
			t.Fatal(err)
		}
		src, err := cycles.ExportSource(ctx, x.oiv, "2026-2028")
		if err != nil || src.Meta().Adopted {
			t.Fatalf("draft source: %v", err)
		}
		// XLSX, read back cell by cell, with types: one row per measure of each risk.
		xlsxData := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) })
		rows := xlsxRows(t, xlsxData, export.RegisterSheet)
		col := layoutCols(src.Meta().Methodology)
		if !strings.Contains(rows[0][0], "BOZZA") || rows[1][col[export.ColMeasure]] != "Misura" || len(rows) != 5 {
			t.Fatalf("xlsx layout: %q, %d rows", rows[0], len(rows))
		}
		r := rows[2]
		if r[col[export.ColMacro]] != "A1 Performance management" || r[col[export.ColCode]] != "A1.1.1.2" || r[col[export.ColUnits]] != "AD1" ||
			r[col[export.ColEventCode]] != "ER-D-01" || r[col[export.ColLevel]] != "Alto" || r[col[export.ColRiskNo]] != "1" ||
			r[col[export.IndicatorValueKey("KRI-1")]] != "3" || r[col[export.IndicatorReasonKey("KRI-1")]] != "motivazione dell'indicatore KRI-1" ||
			r[col[export.ColMeasure]] != "Controllo a campione delle istruttorie" || r[col[export.ColMeasureType]] != "T01" ||
			r[col[export.ColStart]] != "01/02/2026" || r[col[export.ColPhases]] != "31/03/2026 – Definizione criteri" ||
			r[col[export.ColIndicators]] != "pratiche controllate / pratiche: 0% → 10%" || r[col[export.ColResidualLevel]] != "Basso" ||
			r[col[export.ColDecision]] != "Trattare con nuove misure" || r[col[export.ColOwner]] != "Mario Rossi" || r[col[export.ColMeasureKey]] != "M1" {
			t.Fatalf("xlsx row %q", r)
		}
		// The risk's columns repeat on its second measure's row, so a filter keeps whole lines.
		if rows[3][col[export.ColEventCode]] != "ER-D-01" || rows[3][col[export.ColMeasure]] != "Formazione anticorruzione del personale" ||
			rows[3][col[export.ColMeasureKey]] != "M2" || rows[4][col[export.ColRiskNo]] != "2" ||
			rows[4][col[export.ColEvent]] != "Il funzionario comunica in anticipo a un'impresa l'esito della graduatoria" ||
			rows[4][col[export.ColMeasureKey]] != "M2" {
			t.Fatalf("second and third rows %q / %q", rows[3], rows[4])
		}
		wb, err := excelize.OpenReader(bytes.NewReader(xlsxData))
		if err != nil {
			t.Fatal(err)
		}
		cell := func(key string, row int) string {
			name, _ := excelize.CoordinatesToCellName(col[key]+1, row)
			return name
		}
		// Numbers and dates are numbers, not text; text is text.
		for _, k := range []string{export.ColRiskNo, export.IndicatorValueKey("KRI-1"), export.ColLikelihood, export.ColPriority, export.ColStart, export.ColEnd} {
			if typ, err := wb.GetCellType(export.RegisterSheet, cell(k, 3)); err != nil || typ != excelize.CellTypeUnset {
				t.Errorf("%s is not a number cell: %v %v", k, typ, err)
			}
		}
		if raw, _ := wb.GetCellValue(export.RegisterSheet, cell(export.ColStart, 3), excelize.Options{RawCellValue: true}); raw != "46054" {
			t.Errorf("start date serial %q", raw)
		}
		if typ, _ := wb.GetCellType(export.RegisterSheet, cell(export.ColMeasure, 3)); typ != excelize.CellTypeInlineString {
			t.Errorf("the measure title is not text: %v", typ)
		}
		if panes, err := wb.GetPanes(export.RegisterSheet); err != nil || !panes.Freeze || panes.YSplit != 2 {
			t.Fatalf("frozen header: %+v %v", panes, err)
		}
		if cf, err := wb.GetConditionalFormats(export.RegisterSheet); err != nil || len(cf) != 2 {
			t.Fatalf("conditional colours of the levels: %v %v", cf, err)
		}
		sheets := wb.GetSheetList()
		if !slices.Contains(sheets, export.AreaSheetPrefix+"A") || !slices.Contains(sheets, export.LegendSheet) {
			t.Fatalf("sheets %q", sheets)
		}
		if area := xlsxRows(t, xlsxData, export.AreaSheetPrefix+"A"); len(area) != 5 {
			t.Fatalf("area sheet rows %d", len(area))
		}
		// The CSV for Excel: BOM, semicolons, Italian labels, decimal commas and Italian dates.
		excelCSV := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteExcelCSV(b, s) })
		if !bytes.HasPrefix(excelCSV, []byte("\xef\xbb\xbf")) {
			t.Fatal("the Excel CSV has no BOM")
		}
		ecr := csv.NewReader(bytes.NewReader(excelCSV[3:]))
		ecr.Comma = ';'
		erecs, err := ecr.ReadAll()
		if err != nil || len(erecs) != 4 || erecs[0][col[export.ColMeasure]] != "Misura" || erecs[1][col[export.ColStart]] != "01/02/2026" ||
			erecs[1][col[export.ColDecision]] != "Trattare con nuove misure" || erecs[1][col[export.ColLevel]] != "Alto" {
			t.Fatalf("excel csv %v %q", err, erecs)
		}
		meth := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) }), "Metodologia")
		if meth[0][1] == "" || meth[5][0] != "KRI-1" {
			t.Fatalf("methodology sheet %q", meth[:6])
		}
		// Open data: CSV and JSON agree, carry stable codes, and no personal names.
		csvData := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteCSV(b, s) })
		records, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
		if err != nil || len(records) != 3 || records[0][0] != "ente" || records[1][3] != "A1.1.1.2" || records[1][2] != "false" || records[1][16] != "alto" {
			t.Fatalf("csv %v %q", err, records)
		}
		jsonData := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteJSON(b, s) })
		var doc struct {
			Adottato bool                `json:"adottato"`
			Righe    []map[string]string `json:"righe"`
		}
		if err := json.Unmarshal(jsonData, &doc); err != nil || doc.Adottato || len(doc.Righe) != 2 || doc.Righe[0]["livello_inerente"] != "alto" {
			t.Fatalf("json %v %s", err, jsonData)
		}
		for name, data := range map[string][]byte{"csv": csvData, "json": jsonData} {
			if bytes.Contains(data, []byte("Mario Rossi")) {
				t.Errorf("the %s open data names a person", name)
			}
		}
		// The annex for the Giunta (ODT, DOCX, PDF) is tested in documents_test.go; the annual report's figures
		// by type: one specific T01 measure and one general T06 (names fall back to codes here).
		annual := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error {
			return export.WriteAnnualReport(b, s, export.Names{}, nil)
		}), "Misure per tipologia")
		if len(annual) != 3 || annual[1][0] != "T01" || annual[1][2] != "1" || annual[2][0] != "T06" || annual[2][1] != "1" {
			t.Fatalf("annual report %q", annual)
		}
		var dict bytes.Buffer
		export.WriteDictionary(&dict)
		// Header, one line per column, and the closing note on formula-like cells.
		if lines := strings.Count(dict.String(), "\n"); lines != len(export.OpenDataColumns)+2+len(export.ExcelCSVDictionary) {
			t.Fatalf("dictionary lines %d", lines)
		}
		if !strings.Contains(dict.String(), export.DictionaryFormulaNote.Description[:20]) {
			t.Fatal("the dictionary does not document how formula-like cells are written")
		}

		// Adopted: the exports come from the snapshot and do not change afterwards.
		wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, "")
		wf.Transition(ctx, x.rpct, "2026-2028", "A1.1.1.2", domain.TransitionApprove, "")
		for _, code := range []string{"A1.1.1.1", "B2.1 BIS", "B2.2.1.1"} {
			cycles.Exclude(ctx, x.rpct, "2026-2028", code, "Escluso dalla campagna di prova")
		}
		cycles.Consolidate(ctx, x.rpct, "2026-2028")
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "3", Date: "2027-01-20"}); err != nil {
			t.Fatal(err)
		}
		adopted, _ := cycles.ExportSource(ctx, x.oiv, "2026-2028")
		before := render(t, adopted, func(b *bytes.Buffer, s export.Source) error { return export.WriteJSON(b, s) })
		beforeCSV := render(t, adopted, func(b *bytes.Buffer, s export.Source) error { return export.WriteCSV(b, s) })
		if !bytes.Contains(before, []byte(`"adottato":true`)) {
			t.Fatalf("adopted json %s", before[:120])
		}
		rev, _ := cycles.Revision(ctx, x.rpct, "2026-2028")
		copied, _ := x.reg.Assessment(ctx, x.dir1, rev.Cycle, "A1.1.1.2")
		copied.Risks[0].Context = "modificato dopo l'adozione"
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, rev.Cycle, "A1.1.1.2", *copied); err != nil {
			t.Fatal(err)
		}
		again, _ := cycles.ExportSource(ctx, x.oiv, "2026-2028")
		if !bytes.Equal(before, render(t, again, func(b *bytes.Buffer, s export.Source) error { return export.WriteJSON(b, s) })) ||
			!bytes.Equal(beforeCSV, render(t, again, func(b *bytes.Buffer, s export.Source) error { return export.WriteCSV(b, s) })) {
			t.Fatal("the adopted exports changed after edits of the live register")
		}

		d, err := cycles.Dashboard(ctx, x.rpct, rev.Cycle, wf)
		if err != nil || d.Risks != 2 || d.ByLevel["alto"] != 1 || d.ByUnit["AD1"] != 2 || d.MeasuresType["T01"] != 1 {
			t.Fatalf("dashboard %+v %v", d, err)
		}
	})
}
