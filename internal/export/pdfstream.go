package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// pdfStream writes a text-based PDF page by page: each page is written out as soon as it is full, so memory
// stays bounded however many lines the document has. It uses the standard Helvetica fonts with WinAnsi
// encoding, which covers Italian.
type pdfStream struct {
	w        *bufio.Writer
	offset   int64
	offsets  []int64 // byte offset of each object, by number-1
	pages    []int   // object numbers of the pages
	page     strings.Builder
	y        float64
	err      error
	metadata map[string]string
}

const (
	pdfWidth, pdfHeight = 595.28, 841.89 // A4 in points
	pdfMargin           = 50.0
)

// Object numbers fixed in advance: 1 catalog, 2 pages, 3 regular font, 4 bold font, 5 info.
func newPDFStream(w io.Writer, metadata map[string]string) *pdfStream {
	p := &pdfStream{w: bufio.NewWriter(w), offsets: make([]int64, 5), metadata: metadata}
	p.raw("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	p.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	p.object(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	p.newPage()
	return p
}

func (p *pdfStream) raw(s string) {
	if p.err != nil {
		return
	}
	n, err := p.w.WriteString(s)
	p.offset += int64(n)
	p.err = err
}

func (p *pdfStream) object(num int, body string) {
	for len(p.offsets) < num {
		p.offsets = append(p.offsets, 0)
	}
	p.offsets[num-1] = p.offset
	p.raw(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", num, body))
}

func (p *pdfStream) nextObject() int {
	p.offsets = append(p.offsets, 0)
	return len(p.offsets)
}

// pdfText encodes a string for a PDF literal: WinAnsi bytes with ( ) \ escaped; characters outside the
// encoding become "?".
func pdfText(s string) string {
	enc := charmap.Windows1252.NewEncoder()
	var b strings.Builder
	for _, r := range s {
		out, err := enc.String(string(r))
		if err != nil {
			out = "?"
		}
		for _, c := range []byte(out) {
			switch c {
			case '(', ')', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// pdfUnicode encodes a string for the document information dictionary, which is not WinAnsi but
// PDFDocEncoding or UTF-16: UTF-16BE with its byte-order mark, as a hex string.
func pdfUnicode(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

func (p *pdfStream) newPage() {
	p.page.Reset()
	p.y = pdfHeight - pdfMargin
}

func (p *pdfStream) flushPage() {
	content := p.page.String()
	contentNum := p.nextObject()
	p.object(contentNum, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	pageNum := p.nextObject()
	p.object(pageNum, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
		pdfWidth, pdfHeight, contentNum))
	p.pages = append(p.pages, pageNum)
	p.newPage()
}

// wrap cuts text into lines of at most width characters.
func wrapText(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		lines = append(lines, line)
	}
	return lines
}

// text writes a paragraph in the given size, wrapping it and starting new pages as needed.
func (p *pdfStream) text(s string, size float64, bold bool) {
	font := "F1"
	if bold {
		font = "F2"
	}
	width := int((pdfWidth - 2*pdfMargin) / (size * 0.5))
	for _, line := range wrapText(s, width) {
		if p.y < pdfMargin+size {
			p.flushPage()
		}
		p.y -= size * 1.3
		fmt.Fprintf(&p.page, "BT /%s %.1f Tf %.2f %.2f Td (%s) Tj ET\n", font, size, pdfMargin, p.y, pdfText(line))
	}
}

// row writes a table row of fixed-width cells with their borders.
func (p *pdfStream) row(cells []string, widths []float64, size float64, bold bool) {
	h := size * 1.8
	if p.y-h < pdfMargin {
		p.flushPage()
	}
	font := "F1"
	if bold {
		font = "F2"
	}
	x := pdfMargin
	top := p.y
	for i, c := range cells {
		fmt.Fprintf(&p.page, "%.2f %.2f %.2f %.2f re S\n", x, top-h, widths[i], h)
		fmt.Fprintf(&p.page, "BT /%s %.1f Tf %.2f %.2f Td (%s) Tj ET\n", font, size, x+3, top-h+size*0.55, pdfText(c))
		x += widths[i]
	}
	p.y = top - h
}

func (p *pdfStream) gap(points float64) { p.y -= points }

// close writes the last page, the page tree, the catalog, the metadata and the cross-reference table.
func (p *pdfStream) close() error {
	p.flushPage()
	var kids strings.Builder
	for _, n := range p.pages {
		fmt.Fprintf(&kids, "%d 0 R ", n)
	}
	p.object(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(p.pages)))
	p.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
	var info strings.Builder
	info.WriteString("<< ")
	for _, k := range []string{"Title", "Author", "Subject", "Creator", "Producer"} {
		if v, ok := p.metadata[k]; ok {
			fmt.Fprintf(&info, "/%s %s ", k, pdfUnicode(v))
		}
	}
	info.WriteString(">>")
	p.object(5, info.String())
	xref := p.offset
	p.raw(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(p.offsets)+1))
	for _, off := range p.offsets {
		p.raw(fmt.Sprintf("%010d 00000 n \n", off))
	}
	p.raw(fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(p.offsets)+1, xref))
	if p.err != nil {
		return p.err
	}
	return p.w.Flush()
}
