package registerimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/argine-pa/argine/internal/domain"
)

func problemCode(t *testing.T, err error) string {
	t.Helper()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 {
		t.Fatalf("want one problem, got %v", err)
	}
	return ve.Problems[0].Code
}

// An XLSX written by a spreadsheet program (shared strings, typed numbers and dates, gaps) reads cell by cell.
func TestReadXLSXWithSharedStrings(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Foglio")
	f.SetCellValue("Foglio", "A1", "Codice")
	f.SetCellValue("Foglio", "C1", "Attività & «virgolette»")
	f.SetCellValue("Foglio", "A2", "A1.1")
	f.SetCellValue("Foglio", "B2", 2.5)
	f.SetCellValue("Foglio", "C2", "riga uno\nriga due")
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellFloat("Foglio", "D2", 46054, -1, 64)
	f.SetCellStyle("Foglio", "D2", "D2", style)
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	wb, err := Read("registro.xlsx", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	rows := wb.Sheets[0].Rows
	if wb.Format != "xlsx" || wb.Sheets[0].Name != "Foglio" || len(rows) != 2 || strings.Join(rows[0].Cells, "|") != "Codice||Attività & «virgolette»" ||
		strings.Join(rows[1].Cells, "|") != "A1.1|2.5|riga uno\nriga due|46054" {
		t.Fatalf("rows %+v", rows)
	}
	if d, ok := ParseDate(rows[1].Cells[3]); !ok || d != "2026-02-01" {
		t.Fatalf("date serial %q", d)
	}
}

// An ODS: typed cells, several paragraphs in a cell, repeated cells and rows (runs of blanks to the edge).
func TestReadODS(t *testing.T) {
	content := `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>` +
		`<table:table table:name="Registro"><table:table-row><table:table-cell office:value-type="string"><text:p>Codice</text:p></table:table-cell>` +
		`<table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>Fasi</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16000"/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`<table:table-row><table:table-cell><text:p>A1.1</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="3"><text:p>3,0</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="date" office:date-value="2026-03-31"><text:p>31/03/26</text:p></table:table-cell>` +
		`<table:table-cell><text:p>31/03/2026 – Avvio</text:p><text:p>30/06/2026 –<text:s text:c="2"/>Fine</text:p></table:table-cell></table:table-row>` +
		`<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`</table:table></office:spreadsheet></office:body></office:document-content>`
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("content.xml")
	w.Write([]byte(content))
	zw.Close()
	wb, err := Read("registro.ods", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	rows := wb.Sheets[0].Rows
	if len(rows) != 2 || rows[1].Line != 5 || strings.Join(rows[0].Cells, "|") != "Codice|||Fasi" ||
		strings.Join(rows[1].Cells, "|") != "A1.1|3|2026-03-31|31/03/2026 – Avvio\n30/06/2026 –  Fine" {
		t.Fatalf("rows %+v", rows)
	}
}

// Italian Excel's CSV: Windows-1252 with semicolons; what cannot be read says what was found.
func TestReadCSVDetection(t *testing.T) {
	enc, _ := charmap.Windows1252.NewEncoder().String("Codice;Attività\r\nA1.1;Attività – più\r\n")
	wb, err := Read("r.csv", []byte(enc))
	if err != nil {
		t.Fatal(err)
	}
	if wb.CSV.Separator != ';' || wb.CSV.Encoding != "Windows-1252" || wb.Sheets[0].Rows[1].Cells[1] != "Attività – più" || wb.Sheets[0].Rows[1].Line != 2 {
		t.Fatalf("csv %+v %+v", wb.CSV, wb.Sheets[0].Rows)
	}
	wb, err = Read("r.csv", []byte("\ufeffCodice,Titolo\n'=A1.1,\"a, b\"\n"))
	if err != nil || wb.CSV.Separator != ',' || wb.CSV.Encoding != "UTF-8 con BOM" || wb.Sheets[0].Rows[1].Cells[0] != "=A1.1" {
		t.Fatalf("csv %v %+v", err, wb)
	}
	for name, data := range map[string][]byte{
		"csv_encoding":     {0xff, 0xfe, 'C', 0},
		"file_format_xls":  []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
		"file_empty":       []byte("  \n"),
		"file_unreadable":  []byte("PK\x03\x04broken"),
		"too_many_columns": []byte(strings.Repeat("a;", MaxColumns+1) + "\n"),
	} {
		if _, err := Read("r.csv", data); problemCode(t, err) != name {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSimilarity(t *testing.T) {
	if s := Similarity("Gestione attività di manutenzione", "GESTIONE ATTIVITA' DI MANUTENZIONE."); s != 1 {
		t.Fatalf("same title normalised: %v", s)
	}
	if s := Similarity("Gestione attività di manutenzione", "Relazione previsionale e programmatica"); s >= TitleThreshold {
		t.Fatalf("different titles: %v", s)
	}
	if s := Similarity("Gestione delle attività di manutenzione ordinaria", "Gestione attività di manutenzione"); s < TitleThreshold {
		t.Fatalf("close titles: %v", s)
	}
}
