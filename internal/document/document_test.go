package document_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
)

func sample() *document.Document { return doctest.Sample() }

func render(t *testing.T, write func(*bytes.Buffer, *document.Document) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, sample()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func odt(b *bytes.Buffer, d *document.Document) error  { return document.WriteODT(b, d) }
func docx(b *bytes.Buffer, d *document.Document) error { return document.WriteDOCX(b, d) }

func TestODTReadsBack(t *testing.T) {
	out := render(t, odt)
	content, styles, meta := doctest.ODTText(t, out)
	doctest.InOrder(t, content, "Registro dei rischi corruttivi", "Ciclo 2026-2028", "deliberazione n. 12 del 31 gennaio 2027",
		"Quadro d'insieme", "Perché la città", "Rischi per livello", "Livello", "Numero", "Alto", "3", "Basso", "7",
		"Scheda del processo", "prima riga seconda riga & <simboli>")
	doctest.InOrder(t, styles, "Camera di commercio di Prova – Registro dei rischi 2026-2028", "BOZZA", "Pagina")
	doctest.InOrder(t, meta, "Argine", "Registro dei rischi corruttivi – ciclo 2026-2028", "it-IT")
	if !bytes.Equal(out, render(t, odt)) {
		t.Error("the same document gave different ODT bytes")
	}
	_, parts := doctest.Entries(t, out)
	for _, want := range []string{`fo:background-color="#C0392B"`, `fo:color="#FFFFFF"`, `<table:table-header-rows>`, `text:outline-level="2"`, `fo:language="it"`} {
		if !strings.Contains(string(parts["content.xml"])+string(parts["styles.xml"]), want) {
			t.Errorf("ODT lacks %s", want)
		}
	}
}

func TestDOCXReadsBack(t *testing.T) {
	out := render(t, docx)
	body, headers, core := doctest.DOCXText(t, out)
	doctest.InOrder(t, body, "Registro dei rischi corruttivi", "Ciclo 2026-2028", "Quadro d'insieme", "Livello", "Numero", "Alto", "3",
		"Scheda del processo", "prima riga seconda riga & <simboli>")
	doctest.InOrder(t, headers, "Camera di commercio di Prova – Registro dei rischi 2026-2028", "Pagina")
	doctest.InOrder(t, core, "Registro dei rischi corruttivi – ciclo 2026-2028", "Camera di commercio di Prova", "it-IT")
	if !bytes.Equal(out, render(t, docx)) {
		t.Error("the same document gave different DOCX bytes")
	}
	_, parts := doctest.Entries(t, out)
	for _, want := range []string{`w:fill="C0392B"`, `<w:tblHeader/>`, `w:instr=" PAGE "`, `w:instr=" NUMPAGES "`, `string="BOZZA"`, `w:lang w:val="it-IT"`} {
		if !strings.Contains(string(parts["word/document.xml"])+string(parts["word/header1.xml"])+string(parts["word/footer1.xml"])+string(parts["word/styles.xml"]), want) {
			t.Errorf("DOCX lacks %s", want)
		}
	}
}

// TestOfficeFilesOpenInLibreOffice proves LibreOffice opens both editable formats and finds the text.
func TestOfficeFilesOpenInLibreOffice(t *testing.T) {
	doctest.Need(t, "soffice", "pdftotext")
	for name, out := range map[string][]byte{"a.odt": render(t, odt), "a.docx": render(t, docx)} {
		pdf := doctest.ConvertsWithLibreOffice(t, name, out)
		doctest.InOrder(t, doctest.PDFText(t, pdf), "Registro dei rischi corruttivi", "Quadro d'insieme", "Perché la città", "Alto")
	}
}

func TestPDFIsAccessible(t *testing.T) {
	r := document.DetectRenderer()
	if !r.Available() {
		t.Skip("LibreOffice not installed (apt-get install -y libreoffice-writer-nogui): PDF check skipped")
	}
	var b bytes.Buffer
	if err := r.WritePDF(context.Background(), &b, sample()); err != nil {
		t.Fatal(err)
	}
	info := doctest.CheckPDF(t, b.Bytes())
	if info.Pages != 3 || info.Title != "Registro dei rischi corruttivi – ciclo 2026-2028" {
		t.Errorf("pages %d, title %q", info.Pages, info.Title)
	}
	doctest.InOrder(t, info.Text, "Registro dei rischi corruttivi", "Ciclo 2026-2028", "Pagina 1 di 3",
		"Camera di commercio di Prova – Registro dei rischi 2026-2028", "Quadro d'insieme", "Perché la città è più sicura", "Pagina 2 di 3")
}

func TestNoRendererIsAClearError(t *testing.T) {
	var r *document.Renderer
	if r.Available() || !strings.Contains(r.Describe(), "non disponibile") {
		t.Fatal("a missing renderer must say so")
	}
	if err := r.WritePDF(context.Background(), &bytes.Buffer{}, sample()); err != document.ErrNoRenderer {
		t.Fatalf("got %v", err)
	}
}
