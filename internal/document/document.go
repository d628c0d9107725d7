// Package document owns the office documents Argine produces for the Giunta and for publication: one model
// (cover, headings, paragraphs, tables with coloured cells, running header and footer with page numbers,
// BOZZA watermark, language and title metadata) written as OpenDocument text (ODT) and WordprocessingML
// (DOCX) by this package's own zip/XML writers, and as an accessible PDF (tagged, fonts embedded, language
// and title set) by its own PDF writer (or, when chosen, by converting the ODT with LibreOffice headless).
// The same model produces every format, so the formats cannot drift apart. docs/documents.md explains the
// choice of engine and the alternatives weighed.
package document

import (
	"strings"
	"time"
)

// Document is one document: metadata, an optional cover, and the body as a list of blocks.
type Document struct {
	Title    string // title metadata and the cover's title
	Subject  string
	Author   string // the body's full name
	Language string // BCP 47, e.g. "it-IT"
	// Header is the running header of every page after the cover; the footer always carries "Pagina N di M"
	// after FooterText.
	Header     string
	FooterText string
	// Watermark, when not empty, is written large and light behind the text of every page (e.g. "BOZZA").
	Watermark string
	Landscape bool
	Cover     *Cover
	Blocks    []Block
	// Date is written in the metadata and in the zip entries' timestamps: a fixed date (e.g. the adoption's)
	// makes the output byte-stable, since nothing else in it depends on the clock.
	Date time.Time
}

// Cover is the first page: title, subtitle and lines of detail (deliberation, snapshot hash, ...).
type Cover struct {
	Title    string
	Subtitle string
	Lines    []string
}

// Block is a piece of the body: *Heading, *Paragraph, *Table or *PageBreak.
type Block interface{ block() }

// Heading is a numbered-outline heading, Level 1 to 3.
type Heading struct {
	Level int
	Text  string
}

// Paragraph is a paragraph of plain text; Small makes it a note in a smaller size.
type Paragraph struct {
	Text  string
	Bold  bool
	Small bool
}

// Table is a table with a header row repeated on every page. Widths are relative column widths (any unit);
// empty means equal columns.
type Table struct {
	Caption string
	Header  []string
	Widths  []float64
	Rows    [][]Cell
}

// Cell is a table cell: text, and optionally a background Fill and text Color as "RRGGBB".
type Cell struct {
	Text  string
	Fill  string
	Color string
	Bold  bool
}

// PageBreak starts a new page.
type PageBreak struct{}

func (*Heading) block()   {}
func (*Paragraph) block() {}
func (*Table) block()     {}
func (*PageBreak) block() {}

// Text is a plain cell.
func Text(s string) Cell { return Cell{Text: s} }

// language splits "it-IT" into ("it", "IT").
func (d *Document) language() (string, string) {
	lang := d.Language
	if lang == "" {
		lang = "it-IT"
	}
	l, c, _ := strings.Cut(lang, "-")
	return l, c
}

func (d *Document) date() time.Time {
	if d.Date.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d.Date.UTC().Truncate(time.Second)
}

// widths returns the table's column widths as fractions summing to 1.
func (t *Table) widths() []float64 {
	n := len(t.Header)
	if n == 0 && len(t.Rows) > 0 {
		n = len(t.Rows[0])
	}
	out := make([]float64, n)
	sum := 0.0
	for i := range out {
		w := 1.0
		if i < len(t.Widths) && t.Widths[i] > 0 {
			w = t.Widths[i]
		}
		out[i], sum = w, sum+w
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// Font is the typeface of every format: metric-compatible with Arial, free, and shipped with LibreOffice, so
// the PDF embeds the very font the text was laid out with.
const Font = "Liberation Sans"
