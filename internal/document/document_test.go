package document_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
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

func pdfBytes(t *testing.T, d *document.Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := document.WritePDF(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestPDFIsAccessible checks Argine's own PDF as a reader's tools see it: tagged, fonts embedded, it-IT,
// title, page numbers, text in reading order, and a structure tree of headings, paragraphs and tables with
// header cells; and the same document gives the same bytes.
func TestPDFIsAccessible(t *testing.T) {
	out := pdfBytes(t, sample())
	info := doctest.CheckPDF(t, out)
	if info.Pages != 3 || info.Title != "Registro dei rischi corruttivi – ciclo 2026-2028" {
		t.Errorf("pages %d, title %q", info.Pages, info.Title)
	}
	doctest.InOrder(t, info.Text, "Registro dei rischi corruttivi", "Ciclo 2026-2028", "Pagina 1 di 3",
		"Camera di commercio di Prova – Registro dei rischi 2026-2028", "Quadro d'insieme", "Perché la città è più sicura", "Pagina 2 di 3",
		"Scheda del processo", "prima riga seconda riga & <simboli>", "Argine – Pagina 3 di 3")
	for _, want := range []string{"Tagged:          yes", "Author:          Camera di commercio di Prova", "Metadata Stream: yes", "Page size:       841.89 x 595.28 pts (A4)"} {
		if !strings.Contains(info.Info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info.Info)
		}
	}
	tree := doctest.StructText(t, out)
	doctest.InOrder(t, tree, "Document", "H1", `"Registro dei rischi corruttivi"`, "H1", `"Quadro d'insieme"`, "P", `"Perché la città`,
		"Table", "Caption", `"Rischi per livello"`, "TR", "TH", "/Scope /Column", `"Livello"`, "TH", `"Numero"`, "TR", "TD", `"Alto"`, "TD", `"3"`,
		"TR", "TD", `"Basso"`, "H2", `"Scheda del processo"`, "P", `"Nota: prima riga seconda riga & <simboli>"`)
	// Header, footer and watermark are artifacts: not in the structure tree.
	for _, no := range []string{"Pagina", "BOZZA", "Camera di commercio di Prova – Registro"} {
		if strings.Contains(tree, no) {
			t.Errorf("the structure tree reads the artifact %q", no)
		}
	}
	for _, want := range []string{"/ToUnicode", "/FontFile2", "/DisplayDocTitle true", "/Outlines", "<pdfuaid:part>1</pdfuaid:part>"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("PDF lacks %s", want)
		}
	}
	// The BOZZA watermark is drawn (as outlines, not text) on each of the 3 pages, as an artifact.
	if n := strings.Count(contentStreams(t, out), "/Artifact <</Type/Pagination/Subtype/Watermark>> BDC"); n != 3 {
		t.Errorf("watermark on %d pages, want 3", n)
	}
	if !bytes.Equal(out, pdfBytes(t, sample())) {
		t.Error("the same document gave different PDF bytes")
	}
}

// contentStreams inflates every compressed stream of the PDF and joins them.
func contentStreams(t *testing.T, pdf []byte) string {
	t.Helper()
	var all strings.Builder
	for _, m := range regexp.MustCompile(`<<([^<>]*)>>\nstream\n`).FindAllSubmatchIndex(pdf, -1) {
		if !bytes.Contains(pdf[m[2]:m[3]], []byte("FlateDecode")) {
			continue
		}
		data := pdf[m[1]:]
		z, err := zlib.NewReader(bytes.NewReader(data[:bytes.Index(data, []byte("\nendstream"))]))
		if err != nil {
			t.Fatal(err)
		}
		text, err := io.ReadAll(z)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(text)
	}
	return all.String()
}

// TestPDFLongTables: a table longer than a page continues on the next with its header row repeated (as an
// artifact: once in the structure tree), and a row taller than a page is split between pages without losing
// a line.
func TestPDFLongTables(t *testing.T) {
	d := sample()
	d.Watermark, d.Cover = "", nil
	long := &document.Table{Caption: "Rischi", Header: []string{"Attività", "Evento rischioso"}, Widths: []float64{1, 3}}
	for i := 1; i <= 120; i++ {
		long.Rows = append(long.Rows, []document.Cell{document.Text(fmt.Sprintf("Azione %03d", i)), document.Text("Evento della riga " + strconv.Itoa(i))})
	}
	var tall []string
	for i := 1; i <= 90; i++ {
		tall = append(tall, fmt.Sprintf("riga alta %02d", i))
	}
	long.Rows = append(long.Rows, []document.Cell{document.Text("Azione lunga"), document.Text(strings.Join(tall, "\n"))})
	d.Blocks = []document.Block{long}
	out := pdfBytes(t, d)
	info := doctest.CheckPDF(t, out)
	if info.Pages < 5 {
		t.Fatalf("%d pages for 120 rows and a row of 90 lines", info.Pages)
	}
	if n := strings.Count(info.Text, "Evento rischioso"); n != info.Pages {
		t.Errorf("the header row is on %d of %d pages", n, info.Pages)
	}
	want := []string{"Azione 001", "Azione 002", "Azione 119", "Azione 120", "Azione lunga"}
	want = append(want, tall...)
	doctest.InOrder(t, info.Text, want...)
	tree := doctest.StructText(t, out)
	if n := strings.Count(tree, "TH"); n != 2 {
		t.Errorf("%d header cells in the structure tree, want 2 (the repetitions are artifacts)", n)
	}
	if n := strings.Count(tree, "TD"); n != 2*121 {
		t.Errorf("%d data cells in the structure tree, want %d", n, 2*121)
	}
}

// TestPDFTextState: the writer sets font and fill colour only when they change, so every line of text must
// still be drawn in its own font, size and colour after fills, coloured cells and bold headers; a rune beyond
// the fonts' precomputed glyphs (≤) is drawn and extracted too. The watermark's outlines are one form that
// every page draws.
func TestPDFTextState(t *testing.T) {
	d := &document.Document{Title: "Stato", Language: "it-IT", Watermark: "BOZZA", Blocks: []document.Block{
		&document.Paragraph{Text: "Testo ≤ 3"},
		&document.Table{Header: []string{"A", "B"}, Rows: [][]document.Cell{
			{{Text: "rosso", Color: "C62828"}, {Text: "nero", Fill: "EF9A9A", Bold: true}},
			{{Text: "su verde", Fill: "C8E6C9"}, document.Text("semplice")}}},
		&document.Paragraph{Text: "nota", Small: true},
		&document.PageBreak{},
		&document.Paragraph{Text: "seconda pagina"},
	}}
	out := pdfBytes(t, d)
	// Replay the content streams: the font and fill colour in force at each text-showing operator.
	var font, size, fill string
	var shown []string
	tokens := strings.Fields(contentStreams(t, out))
	for i, tok := range tokens {
		switch tok {
		case "Tf":
			font, size = tokens[i-2], tokens[i-1]
		case "rg":
			fill = strings.Join(tokens[i-3:i], " ")
		case "Tj":
			shown = append(shown, font+" "+size+" "+fill)
		}
	}
	black, grey := "0.000 0.000 0.000", "0.251 0.251 0.251"
	want := []string{
		"/F1 10.00 " + black,                     // Testo ≤ 3
		"/F2 8.50 " + black, "/F2 8.50 " + black, // header A, B (on their fill)
		"/F1 8.50 0.776 0.157 0.157", "/F2 8.50 " + black, // rosso; nero on its fill
		"/F1 8.50 " + black, "/F1 8.50 " + black, // su verde (on its fill); semplice
		"/F1 8.50 " + grey,                     // nota
		"/F1 10.00 " + black,                   // seconda pagina
		"/F1 8.00 " + grey, "/F1 8.00 " + grey, // the footers
	}
	if strings.Join(shown, "\n") != strings.Join(want, "\n") {
		t.Errorf("font and colour of each line:\n%s\nwant:\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
	}
	content := contentStreams(t, out)
	if n := strings.Count(content, "/Wm Do"); n != 2 || bytes.Count(out, []byte("/Subtype/Form")) != 1 {
		t.Errorf("the watermark form is drawn %d times (want 2) and written %d times (want 1)", n, bytes.Count(out, []byte("/Subtype/Form")))
	}
	doctest.InOrder(t, doctest.PDFText(t, out), "Testo ≤ 3", "A", "B", "rosso", "nero", "su verde", "semplice", "nota", "Pagina 1 di 2", "seconda pagina")
}

// TestLibreOfficeRenderer: the LibreOffice engine, still selectable, also gives an accessible PDF.
func TestLibreOfficeRenderer(t *testing.T) {
	r := document.DetectLibreOffice()
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

// TestRendererEngine: Argine's writer unless ARGINE_PDF_ENGINE says libreoffice.
func TestRendererEngine(t *testing.T) {
	t.Setenv(document.EnginePDFVar, "")
	if r := document.DetectRenderer(); !r.Available() || !strings.Contains(r.Describe(), "integrato") {
		t.Fatalf("default renderer: %s", r.Describe())
	}
	t.Setenv(document.EnginePDFVar, "libreoffice")
	t.Setenv("ARGINE_SOFFICE", "/nonexistent/soffice")
	t.Setenv("PATH", t.TempDir())
	if r := document.DetectRenderer(); r.Available() || !strings.Contains(r.Describe(), "non disponibile") {
		t.Fatalf("LibreOffice chosen and missing: %s", r.Describe())
	}
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

// recorder is a testing.TB that keeps the failures a check reports, to prove the check catches them.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.failures = append(r.failures, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); panic(r) }
func (r *recorder) check(parts map[string][]byte) (out string) {
	defer func() {
		if x := recover(); x != nil && x != r {
			panic(x)
		}
		out = strings.Join(r.failures, "\n")
	}()
	doctest.CheckDOCXPackage(r, parts)
	return
}

// TestDOCXPackageCheckCatchesBreakage: the structural check of the DOCX passes on Argine's DOCX and names
// each kind of breakage Word would refuse or repair: an undefined style, a relationship to a missing part, a
// content type for a missing part, a part without content type, malformed XML.
func TestDOCXPackageCheckCatchesBreakage(t *testing.T) {
	_, good := doctest.Entries(t, render(t, docx))
	if got := (&recorder{TB: t}).check(good); got != "" {
		t.Fatalf("a good DOCX fails the check: %s", got)
	}
	clone := func(edit func(map[string][]byte)) map[string][]byte {
		out := map[string][]byte{}
		for k, v := range good {
			out[k] = v
		}
		edit(out)
		return out
	}
	for name, c := range map[string]struct {
		edit func(map[string][]byte)
		want string
	}{
		"undefined style": {func(p map[string][]byte) {
			p["word/styles.xml"] = bytes.Replace(p["word/styles.xml"], []byte(`w:styleId="Caption"`), []byte(`w:styleId="Didascalia"`), 1)
		}, `style "Caption"`},
		"missing part": {func(p map[string][]byte) { delete(p, "word/footer1.xml") }, "footer1.xml, which is not in the package"},
		"unknown content type": {func(p map[string][]byte) {
			p["word/media/logo.png"] = []byte("png")
		}, "word/media/logo.png has no content type"},
		"undefined relationship": {func(p map[string][]byte) {
			p["word/document.xml"] = bytes.Replace(p["word/document.xml"], []byte(`r:id="rId5"`), []byte(`r:id="rId9"`), 1)
		}, "uses relationship rId9"},
		"malformed": {func(p map[string][]byte) { p["word/header1.xml"] = append(p["word/header1.xml"], "<w:p>"...) }, "not well-formed"},
	} {
		if got := (&recorder{TB: t}).check(clone(c.edit)); !strings.Contains(got, c.want) {
			t.Errorf("%s: the check said %q, want %q", name, got, c.want)
		}
	}
}
