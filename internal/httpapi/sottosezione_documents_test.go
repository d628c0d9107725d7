package httpapi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
)

// TestSottosezioneExportRoutes: the whole sottosezione downloads as ODT and DOCX (BOZZA before adoption), the
// PDF without LibreOffice is the 503 that explains what to do, the ANAC platform workbook and CSV come in the
// platform's order; an unknown file and another ente's cycle are 404.
func TestSottosezioneExportRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db) // no renderer
		oiv := s.login("oiv")
		base := "/api/v1/cycles/2026-2028/sottosezione/exports/"
		odt := s.get(base+"sottosezione.odt", oiv)
		if odt.Code != 200 || odt.Header().Get("Content-Type") != document.MimeODT ||
			!strings.Contains(odt.Header().Get("Content-Disposition"), "_2026-2028_BOZZA_sottosezione.odt") {
			t.Fatalf("odt %d %v", odt.Code, odt.Header())
		}
		content, styles, _ := doctest.ODTText(t, odt.Body.Bytes())
		doctest.InOrder(t, content, "Rischi corruttivi e trasparenza", "Premessa", "1. Analisi del contesto", "2. Obiettivi strategici",
			"3. Mappatura dei processi", "4. Valutazione del rischio", "5. Trattamento del rischio", "6. Trasparenza", "7. Monitoraggio e riesame")
		if !strings.Contains(styles, "BOZZA") {
			t.Error("the draft document has no BOZZA")
		}
		docx := s.get(base+"sottosezione.docx", oiv)
		if docx.Code != 200 || docx.Header().Get("Content-Type") != document.MimeDOCX {
			t.Fatalf("docx %d", docx.Code)
		}
		body, _, _ := doctest.DOCXText(t, docx.Body.Bytes())
		doctest.InOrder(t, body, "Premessa", "Analisi del contesto", "Monitoraggio e riesame")
		if pdf := s.get(base+"sottosezione.pdf", oiv); pdf.Code != 503 || !strings.Contains(pdf.Body.String(), "pdf_renderer_unavailable") {
			t.Fatalf("pdf without renderer %d %s", pdf.Code, pdf.Body)
		}
		xlsx := s.get(base+"piattaforma-anac.xlsx", oiv)
		if xlsx.Code != 200 || !strings.Contains(xlsx.Header().Get("Content-Disposition"), "_BOZZA_piattaforma-anac.xlsx") {
			t.Fatalf("xlsx %d %v", xlsx.Code, xlsx.Header())
		}
		f, err := excelize.OpenReader(bytes.NewReader(xlsx.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		if sheets := f.GetSheetList(); len(sheets) != 11 || sheets[0] != "A Ricognizione" || sheets[10] != "M Trasparenza" {
			t.Fatalf("sheets %q", sheets)
		}
		csv := s.get(base+"piattaforma-anac.csv", oiv)
		if csv.Code != 200 || !strings.HasPrefix(csv.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("csv %d", csv.Code)
		}
		doctest.InOrder(t, csv.Body.String(), "sezione,titolo_sezione,campo,valore,fonte", "A,Informazioni ricognitive", "M,Trasparenza")
		if r := s.get(base+"nope.odt", oiv); r.Code != 404 {
			t.Fatalf("unknown file %d", r.Code)
		}
		if r := s.get(base+"sottosezione.pdf", s.login("x-rpct")); r.Code != 404 {
			t.Fatalf("another ente's document %d", r.Code)
		}
	})
}
