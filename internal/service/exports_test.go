package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
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

func xlsxRows(t *testing.T, data []byte, sheet string) [][]string {
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
		// XLSX, read back cell by cell.
		rows := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) }), "Registro dei rischi")
		if !strings.Contains(rows[0][0], "BOZZA") || strings.Join(rows[1], "|") != strings.Join(export.XLSXHeaders, "|") || len(rows) != 4 {
			t.Fatalf("xlsx layout: %q, %d rows", rows[0], len(rows))
		}
		r := rows[2]
		if r[0] != "A1 Performance management" || r[2] != "A1.1.1.2" || r[4] != "AD1" || r[9] != "ER-D-01" || r[17] != "alto" ||
			r[21] != "Controllo a campione delle istruttorie | Formazione anticorruzione del personale" || r[22] != "T01 | T06" ||
			r[23] != "Definizione criteri entro 2026-03-31" || !strings.HasPrefix(r[25], "pratiche controllate / pratiche: 0% → 10%") || r[26] != "basso" || !strings.Contains(r[13], "KRI-1=3 (motivazione dell'indicatore KRI-1)") {
			t.Fatalf("xlsx row %q", r)
		}
		if rows[3][9] != "" || rows[3][10] != "Il funzionario comunica in anticipo a un'impresa l'esito della graduatoria" {
			t.Fatalf("second risk row %q", rows[3])
		}
		wb, err := excelize.OpenReader(bytes.NewReader(render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) })))
		if err != nil {
			t.Fatal(err)
		}
		if panes, err := wb.GetPanes("Registro dei rischi"); err != nil || !panes.Freeze || panes.YSplit != 2 {
			t.Fatalf("frozen header: %+v %v", panes, err)
		}
		if w, _ := wb.GetColWidth("Registro dei rischi", "K"); w != 50 {
			t.Fatalf("column width %v", w)
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
		// The PDF for the Giunta: real text (uncompressed streams here), metadata, counts and the heat map.
		pdf := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WritePDF(b, s) })
		for _, want := range []string{"%PDF-", "/Title <FEFF", "Registro dei rischi corruttivi", "BOZZA", "Rischi valutati: 2",
			"Controllo a campione delle istruttorie", "Mappa di calore"} {
			if !bytes.Contains(pdf, []byte(want)) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		annual := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error {
			return export.WriteAnnualReportXLSX(b, s, map[string]int{"attuata": 1})
		}), "Misure per tipologia")
		if len(annual) != 3 || annual[1][0] != "T01" || annual[1][1] != "1" || annual[2][0] != "T06" {
			t.Fatalf("annual report %q", annual)
		}
		var dict bytes.Buffer
		export.WriteDictionary(&dict)
		// Header, one line per column, and the closing note on formula-like cells.
		if lines := strings.Count(dict.String(), "\n"); lines != len(export.OpenDataColumns)+2 {
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
