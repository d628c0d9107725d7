package document

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// WritePDF writes the document as an accessible PDF with Argine's own writer, no external program: tagged
// (a structure tree of headings, paragraphs and tables with header cells, every piece of text in it by marked
// content, in reading order; running header, footer, watermark, borders and repeated table headers marked as
// artifacts), Liberation Sans embedded with a ToUnicode map (text can be searched and copied), document
// language and title metadata (shown in the title bar), XMP metadata, bookmarks from the headings, and
// "Pagina N di M" on every page. Its layout follows the ODT's: same page, margins, sizes and colours.
//
// It is fast and bounded (each page's content is compressed and written as soon as the page is full; what is
// kept to the end is the structure tree, a few objects per table cell), and deterministic: the same document
// gives the same bytes (no clock, no random id), so an adopted register's PDF is byte-stable too.
func WritePDF(w io.Writer, d *Document) error {
	fonts, err := loadFonts()
	if err != nil {
		return err
	}
	p := newPDFWriter(w, d, fonts)
	p.layout()
	return p.finish()
}

// Layout in points (1 cm = 28.3465 pt), after the ODT's styles.
const (
	ptCM          = 28.3465
	pdfMarginX    = 2 * ptCM
	pdfMarginY    = 1.2 * ptCM
	pdfHeaderH    = 0.6*ptCM + 0.4*ptCM // header's height and its distance from the body
	pdfBodySize   = 10.0
	pdfSmallSize  = 8.5
	pdfCellSize   = 8.5
	pdfCellPad    = 0.08 * ptCM
	pdfLeading    = 1.17 // line height / font size
	pdfParaAfter  = 0.12 * ptCM
	pdfTableAfter = 0.3 * ptCM
)

var headingSizes = [3]float64{16, 13, 11}

type rgb [3]float64

func hexColour(s string) (rgb, bool) {
	if len(s) != 6 {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{float64(v>>16&255) / 255, float64(v>>8&255) / 255, float64(v&255) / 255}, true
}

var (
	black     = rgb{0, 0, 0}
	headBlue  = rgb{0, 0x33 / 255.0, 0x66 / 255.0}
	darkGrey  = rgb{0x40 / 255.0, 0x40 / 255.0, 0x40 / 255.0}
	ruleGrey  = rgb{0x80 / 255.0, 0x80 / 255.0, 0x80 / 255.0}
	headFill  = rgb{0xDD / 255.0, 0xE4 / 255.0, 0xEE / 255.0}
	watermark = rgb{0xE3 / 255.0, 0xE3 / 255.0, 0xE3 / 255.0}
)

// structElem is an element of the structure tree; its kids are elements or marked content on a page.
type structElem struct {
	typ    string
	parent int
	kids   []structKid
	attrs  string // extra dictionary entries (table header scope)
	obj    int
}

type structKid struct {
	elem       int // index in elems, or -1 for marked content
	page, mcid int
}

type pdfPage struct {
	content int   // object number of the body's content stream
	mcids   []int // element of each marked-content id, in order
}

type outlineItem struct {
	level int
	title string
	page  int
	y     float64
}

type pdfWriter struct {
	out     *bufio.Writer
	off     int64
	err     error
	offsets []int64 // by object number; 0 = not written
	d       *Document
	fonts   [2]*pdfFont
	// used records, by glyph index, the rune each glyph of a font was first drawn for, plus one (0: unused):
	// the widths and the ToUnicode map list them in glyph order.
	used [2][]rune

	pw, ph       float64
	top, bottom  float64 // body's limits, from the top of the page
	left, width  float64 // body's left edge and width
	page         []byte  // the current page's content stream, reused from page to page
	pageOpen     bool
	pages        []pdfPage
	y            float64 // cursor, from the top of the page
	fresh        bool    // nothing drawn on this page's body yet
	elems        []structElem
	doc          int // the Document element
	outline      []outlineItem
	repeatHeader func() // redraws the current table's header row on a new page
	// One compressor and buffer for every stream: a flate compressor is about a megabyte of tables, too
	// much to allocate for each of hundreds of pages.
	z         *zlib.Writer
	zbuf      bytes.Buffer
	watermark int // the watermark's form (drawn on every page), 0 until the first page
	// What the current content stream has set (font, fill colour, line width and stroke colour): text and
	// cells repeat no operator that would not change it. Most of a register's page is table cells in one
	// font and colour: this keeps the streams, and their compression, a third smaller.
	gsFont      int // 1 or 2 (F1, F2), 0: none yet
	gsSize      float64
	gsFill      rgb
	gsFillSet   bool
	gsStrokeSet bool
	scratch     []byte // object dictionaries are built here before they are written
	colours     []colourOp
}

// colourOp is a colour's operands as written ("0.000 0.200 0.400"): a document uses a handful of colours,
// written on every line of text and every cell.
type colourOp struct {
	c   rgb
	ops string
}

func newPDFWriter(w io.Writer, d *Document, fonts [2]*pdfFont) *pdfWriter {
	p := &pdfWriter{out: bufio.NewWriterSize(w, 64<<10), d: d, fonts: fonts,
		used: [2][]rune{make([]rune, fonts[0].numGlyphs), make([]rune, fonts[1].numGlyphs)}}
	p.pw, p.ph = 21*ptCM, 29.7*ptCM
	if d.Landscape {
		p.pw, p.ph = p.ph, p.pw
	}
	p.top, p.bottom = pdfMarginY+pdfHeaderH, p.ph-pdfMarginY-pdfHeaderH
	p.left, p.width = pdfMarginX, p.pw-2*pdfMarginX
	// Objects 1–4: catalog, page tree, structure tree root, information dictionary.
	p.offsets = make([]int64, 5)
	p.elems = []structElem{{typ: "Document", parent: -1}}
	p.printf("%%PDF-1.7\n%%\xE2\xE3\xCF\xD3\n")
	return p
}

func (p *pdfWriter) printf(format string, a ...any) {
	if p.err != nil {
		return
	}
	n, err := fmt.Fprintf(p.out, format, a...)
	p.off += int64(n)
	p.err = err
}

func (p *pdfWriter) write(b []byte) {
	if p.err != nil {
		return
	}
	n, err := p.out.Write(b)
	p.off += int64(n)
	p.err = err
}

func (p *pdfWriter) newObj() int {
	p.offsets = append(p.offsets, 0)
	return len(p.offsets) - 1
}

func (p *pdfWriter) object(n int, body string) {
	b := p.beginObject(n)
	b = append(b, body...)
	p.endObject(b)
}

// beginObject starts object n in the scratch buffer, to which the caller appends the body before endObject
// writes it (nothing else is written in between: the object starts at the current offset).
func (p *pdfWriter) beginObject(n int) []byte {
	p.offsets[n] = p.off
	b := strconv.AppendInt(p.scratch[:0], int64(n), 10)
	return append(b, " 0 obj\n"...)
}

// endObject writes the object begun by beginObject.
func (p *pdfWriter) endObject(b []byte) {
	b = append(b, "\nendobj\n"...)
	p.write(b)
	p.scratch = b
}

// appendRef appends an indirect reference and a space ("12 0 R ").
func appendRef(b []byte, n int) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " 0 R "...)
}

// appendNum appends a number with prec (2 or 3) decimals exactly as fmt's %.<prec>f writes it, without
// strconv's general float formatting (a tenth of the writer's time) for the coordinates of an ordinary page:
// scaled and rounded in integers unless the scaled value lies too close to a half for float rounding to be
// trusted, or is too large, when strconv does it.
func appendNum(b []byte, v float64, prec int) []byte {
	scale, unit := 100.0, int64(100)
	if prec == 3 {
		scale, unit = 1000, 1000
	} else if prec != 2 {
		return strconv.AppendFloat(b, v, 'f', prec, 64)
	}
	a := math.Abs(v) * scale
	if !(a < 1e9) { // also NaN
		return strconv.AppendFloat(b, v, 'f', prec, 64)
	}
	whole := math.Floor(a)
	frac := a - whole
	if math.Abs(frac-0.5) < 1e-6 {
		return strconv.AppendFloat(b, v, 'f', prec, 64)
	}
	n := int64(whole)
	if frac > 0.5 {
		n++
	}
	if math.Signbit(v) {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, n/unit, 10)
	b = append(b, '.')
	d := n % unit
	if prec == 3 {
		b = append(b, byte('0'+d/100))
		d %= 100
	}
	return append(b, byte('0'+d/10), byte('0'+d%10))
}

// colour returns a colour's operands, formatted once per document.
func (p *pdfWriter) colour(c rgb) string {
	for _, k := range p.colours {
		if k.c == c {
			return k.ops
		}
	}
	b := appendNum(nil, c[0], 3)
	b = append(b, ' ')
	b = appendNum(b, c[1], 3)
	b = append(b, ' ')
	b = appendNum(b, c[2], 3)
	ops := string(b)
	if len(p.colours) < 32 {
		p.colours = append(p.colours, colourOp{c, ops})
	}
	return ops
}

// stream writes a stream object, deflated when compress is set.
func (p *pdfWriter) stream(n int, dict string, data []byte, compress bool) {
	if compress {
		p.zbuf.Reset()
		if p.z == nil {
			p.z, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed) // a valid level cannot fail
		} else {
			p.z.Reset(&p.zbuf)
		}
		_, _ = p.z.Write(data) // writes to memory cannot fail
		_ = p.z.Close()
		data = p.zbuf.Bytes()
		dict += "/Filter/FlateDecode"
	}
	p.offsets[n] = p.off
	p.printf("%d 0 obj\n<<%s/Length %d>>\nstream\n", n, dict, len(data))
	p.write(data)
	p.printf("\nendstream\nendobj\n")
}

// elem adds a structure element under parent and returns it.
func (p *pdfWriter) elem(typ string, parent int) int {
	p.elems = append(p.elems, structElem{typ: typ, parent: parent})
	i := len(p.elems) - 1
	p.elems[parent].kids = append(p.elems[parent].kids, structKid{elem: i})
	return i
}

// beginMarked opens marked content of element e on the current page.
func (p *pdfWriter) beginMarked(e int) {
	pg := &p.pages[len(p.pages)-1]
	mcid := len(pg.mcids)
	pg.mcids = append(pg.mcids, e)
	p.elems[e].kids = append(p.elems[e].kids, structKid{elem: -1, page: len(p.pages) - 1, mcid: mcid})
	b := append(p.page, '/')
	b = append(b, p.elems[e].typ...)
	b = append(b, " <</MCID "...)
	b = strconv.AppendInt(b, int64(mcid), 10)
	p.page = append(b, ">> BDC\n"...)
}

func (p *pdfWriter) endMarked() { p.raw("EMC\n") }

// resetState forgets the graphics state: a content stream starts from the defaults, as far as this writer
// knows (the page's second stream, the footer, continues the first, and sets everything again too).
func (p *pdfWriter) resetState() {
	p.gsFont, p.gsFillSet, p.gsStrokeSet = 0, false, false
}

// fill appends the fill colour operator unless the colour is already set.
func (p *pdfWriter) fill(b []byte, c rgb) []byte {
	if p.gsFillSet && p.gsFill == c {
		return b
	}
	p.gsFill, p.gsFillSet = c, true
	b = append(b, p.colour(c)...)
	return append(b, " rg "...)
}

// stroke appends the borders' line width and colour unless already set.
func (p *pdfWriter) stroke(b []byte) []byte {
	if p.gsStrokeSet {
		return b
	}
	p.gsStrokeSet = true
	b = append(b, "0.5 w "...)
	b = append(b, p.colour(ruleGrey)...)
	return append(b, " RG "...)
}

// raw appends content operators to the page.
func (p *pdfWriter) raw(s string) { p.page = append(p.page, s...) }

// text draws one line of text with its left end at x and its baseline at y (from the top); more ends it with
// a space, as lineText does.
func (p *pdfWriter) text(s string, more bool, x, y, size float64, bold bool, c rgb) {
	fi := boolIndex(bold)
	f := p.fonts[fi]
	used := p.used[fi]
	b := append(p.page, "BT "...)
	if p.gsFont != fi+1 || p.gsSize != size {
		// The font is text state, kept from one text object to the next.
		p.gsFont, p.gsSize = fi+1, size
		b = append(b, "/F"...)
		b = append(b, byte('1'+fi), ' ')
		b = appendNum(b, size, 2)
		b = append(b, " Tf "...)
	}
	b = p.fill(b, c)
	b = appendNum(b, x, 2)
	b = append(b, ' ')
	b = appendNum(b, p.ph-y, 2)
	b = append(b, " Td <"...)
	const digits = "0123456789ABCDEF"
	put := func(r rune) {
		g := f.glyph(r)
		if used[g.id] == 0 {
			used[g.id] = r + 1
		}
		b = append(b, digits[g.id>>12], digits[g.id>>8&15], digits[g.id>>4&15], digits[g.id&15])
	}
	for _, r := range s {
		put(r)
	}
	if more && !strings.HasSuffix(s, " ") {
		put(' ')
	}
	p.page = append(b, "> Tj ET\n"...)
}

// rect appends a rectangle (x y w h re), y from the top.
func (p *pdfWriter) rect(b []byte, x, y, w, h float64) []byte {
	b = appendNum(b, x, 2)
	b = append(b, ' ')
	b = appendNum(b, p.ph-y-h, 2)
	b = append(b, ' ')
	b = appendNum(b, w, 2)
	b = append(b, ' ')
	b = appendNum(b, h, 2)
	return append(b, " re"...)
}

func (p *pdfWriter) fillRect(x, y, w, h float64, c rgb) {
	b := p.fill(p.page, c)
	b = p.rect(b, x, y, w, h)
	p.page = append(b, " f\n"...)
}

// wrap breaks text into lines no wider than width: at spaces, at the text's own line breaks, and inside a word
// only when the word alone is wider than the line. The lines are slices of the text, measured once per word.
func (p *pdfWriter) wrap(s string, bold bool, size, width float64) []string {
	return p.wrapInto(make([]string, 0, 2), s, bold, size, width)
}

// wrapInto is wrap appending the lines to dst.
func (p *pdfWriter) wrapInto(dst []string, s string, bold bool, size, width float64) []string {
	lines := dst
	f := p.fonts[0]
	if bold {
		f = p.fonts[1]
	}
	if strings.Contains(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	space := f.width(" ", size)
	for para := range strings.SplitSeq(s, "\n") {
		// The line is para[start:end] (empty when start == end): its words and the single spaces between them.
		start, end, lw := 0, 0, 0.0
		for pos := 0; pos <= len(para); {
			next := strings.IndexByte(para[pos:], ' ')
			if next < 0 {
				next = len(para)
			} else {
				next += pos
			}
			word, at := para[pos:next], pos
			pos = next + 1
			ww := f.width(word, size)
			if end > start && lw+space+ww <= width {
				end, lw = at+len(word), lw+space+ww
				continue
			}
			if end > start {
				lines = append(lines, para[start:end])
			}
			for ww > width && word != "" {
				// A word longer than the line is cut where it overflows.
				cut, cw := 0, 0.0
				for cut < len(word) {
					r, n := utf8.DecodeRuneInString(word[cut:])
					rw := f.glyph(r).adv * size / 1000
					if cw+rw > width && cut > 0 {
						break
					}
					cut, cw = cut+n, cw+rw
				}
				lines = append(lines, word[:cut])
				word, at = word[cut:], at+cut
				ww = f.width(word, size)
			}
			start, end, lw = at, at+len(word), ww
		}
		lines = append(lines, para[start:end])
	}
	return lines
}

// newPage ends the current page (its content is compressed and written at once) and starts another, with the
// watermark and the running header (artifacts) and, inside a table, the table's header row again.
func (p *pdfWriter) newPage(cover bool) {
	p.flushPage()
	p.page, p.pageOpen = p.page[:0], true
	p.resetState()
	p.pages = append(p.pages, pdfPage{})
	if p.d.Watermark != "" {
		if p.watermark == 0 {
			// The watermark's outlines, a few kilobytes, are a form written once that every page draws.
			f := p.fonts[1]
			size := 110.0
			w := f.width(p.d.Watermark, size)
			path := p.colour(watermark) + " rg\n" + f.outline(p.d.Watermark, (p.pw-w)/2, p.ph/2-size*float64(f.capHeight)/2000, size) + "f\n"
			p.watermark = p.newObj()
			p.stream(p.watermark, fmt.Sprintf("/Type/XObject/Subtype/Form/BBox[0 0 %.2f %.2f]", p.pw, p.ph), []byte(path), true)
		}
		p.raw("/Artifact <</Type/Pagination/Subtype/Watermark>> BDC\n/Wm Do\nEMC\n")
	}
	if !cover && p.d.Header != "" {
		p.raw("/Artifact <</Type/Pagination/Subtype/Header>> BDC\n")
		base := pdfMarginY + 8
		p.text(p.d.Header, false, p.left, base, 8, false, darkGrey)
		b := p.stroke(p.page)
		b = appendNum(b, p.left, 2)
		b = append(b, ' ')
		b = appendNum(b, p.ph-base-4, 2)
		b = append(b, " m "...)
		b = appendNum(b, p.left+p.width, 2)
		b = append(b, ' ')
		b = appendNum(b, p.ph-base-4, 2)
		p.page = append(b, " l S\n"...)
		p.raw("EMC\n")
	}
	p.y, p.fresh = p.top, true
	if p.repeatHeader != nil {
		p.repeatHeader()
		p.fresh = true // the repeated header is not content: a row that does not fit here would not fit anywhere
	}
}

func (p *pdfWriter) flushPage() {
	if !p.pageOpen {
		return
	}
	n := p.newObj()
	p.pages[len(p.pages)-1].content = n
	p.stream(n, "", p.page, true)
	p.pageOpen = false
}

// need starts a new page unless h points fit below the cursor (a fresh page takes what it gets).
func (p *pdfWriter) need(h float64) {
	if p.y+h > p.bottom && !p.fresh {
		p.newPage(false)
	}
}

// lines writes lines of text as element e, splitting them across pages where they do not fit; each page's
// part is one piece of marked content.
func (p *pdfWriter) lines(e int, ls []string, size float64, bold bool, c rgb, align string) {
	lh := size * pdfLeading
	for len(ls) > 0 {
		p.need(lh)
		p.beginMarked(e)
		for len(ls) > 0 && (p.y+lh <= p.bottom || p.fresh) {
			x := p.left
			if align == "center" {
				x = p.left + (p.width-p.fonts[boolIndex(bold)].width(ls[0], size))/2
			}
			p.text(ls[0], len(ls) > 1, x, p.y+size*0.9, size, bold, c)
			p.y += lh
			p.fresh = false
			ls = ls[1:]
		}
		p.endMarked()
	}
}

// A line that another follows ends with a space (text's more; invisible at the line's end), so that the text
// of the structure tree, read by assistive technology and by copy, keeps its words apart.

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *pdfWriter) layout() {
	p.newPage(p.d.Cover != nil)
	if c := p.d.Cover; c != nil {
		p.y = p.top + 4*ptCM
		p.heading(0, c.Title, 24, "center")
		if c.Subtitle != "" {
			p.y += 0.2 * ptCM
			p.lines(p.elem("P", p.doc), p.wrap(c.Subtitle, false, 15, p.width), 15, false, black, "center")
			p.y += 1 * ptCM
		}
		for _, l := range c.Lines {
			p.lines(p.elem("P", p.doc), p.wrap(l, false, 11, p.width), 11, false, black, "center")
			p.y += 0.2 * ptCM
		}
		p.newPage(false)
	}
	for _, bl := range p.d.Blocks {
		switch b := bl.(type) {
		case *Heading:
			lvl := min(max(b.Level, 1), 3)
			p.heading(lvl, b.Text, headingSizes[lvl-1], "")
		case *Paragraph:
			size, c := pdfBodySize, black
			if b.Small {
				size, c = pdfSmallSize, darkGrey
			}
			p.lines(p.elem("P", p.doc), p.wrap(b.Text, b.Bold, size, p.width), size, b.Bold, c, "")
			p.y += pdfParaAfter
		case *PageBreak:
			if !p.fresh {
				p.newPage(false)
			}
		case *Table:
			p.table(b)
		}
	}
	p.flushPage()
}

// heading writes a heading (level 0: the cover's title) kept with what follows, and its bookmark.
func (p *pdfWriter) heading(level int, text string, size float64, align string) {
	ls := p.wrap(text, true, size, p.width)
	h := float64(len(ls)) * size * pdfLeading
	if level > 0 {
		if !p.fresh {
			p.y += 0.4 * ptCM
		}
		p.need(h + 4*pdfBodySize*pdfLeading) // keep with the next lines
	}
	typ := "H" + strconv.Itoa(max(level, 1))
	p.outline = append(p.outline, outlineItem{level: max(level, 1), title: text, page: len(p.pages) - 1, y: p.y})
	p.lines(p.elem(typ, p.doc), ls, size, true, headBlue, align)
	p.y += 0.2 * ptCM
}

type laidCell struct {
	lines  []string
	cell   Cell
	fill   rgb
	filled bool
	colour rgb
}

// table writes a table: caption, header row (repeated, as an artifact, on every page the table continues
// on), rows kept together unless a row alone is taller than a page, cells with fill and text colours.
func (p *pdfWriter) table(t *Table) {
	cols := t.widths()
	xs := make([]float64, len(cols)+1)
	xs[0] = p.left
	for i, c := range cols {
		xs[i+1] = xs[i] + c*p.width
	}
	lh := pdfCellSize * pdfLeading
	// lay wraps a row's cells into out's cells and lines (reused from row to row: a row is drawn before the
	// next is laid out), and returns the row's height.
	lay := func(out []laidCell, lines []string, cells []Cell) ([]laidCell, []string, float64) {
		out, lines = out[:0], lines[:0]
		n := 1
		for j := range cols {
			c := laidCell{colour: black}
			if j < len(cells) {
				c.cell = cells[j]
			}
			if c.cell.Fill != "" {
				c.fill, c.filled = hexColour(strings.ToUpper(c.cell.Fill))
			}
			if x, ok := hexColour(strings.ToUpper(c.cell.Color)); ok {
				c.colour = x
			}
			from := len(lines)
			lines = p.wrapInto(lines, c.cell.Text, c.cell.Bold, pdfCellSize, xs[j+1]-xs[j]-2*pdfCellPad)
			c.lines = lines[from:len(lines):len(lines)]
			n = max(n, len(c.lines))
			out = append(out, c)
		}
		return out, lines, float64(n)*lh + 2*pdfCellPad
	}
	var header []laidCell
	var headerH float64
	if len(t.Header) > 0 {
		hc := make([]Cell, len(t.Header))
		for i, h := range t.Header {
			hc[i] = Cell{Text: h, Bold: true, Fill: "DDE4EE"}
		}
		header, _, headerH = lay(nil, nil, hc)
	}
	var first []laidCell
	var firstH float64
	if len(t.Rows) > 0 {
		first, _, firstH = lay(nil, nil, t.Rows[0])
	}
	// The structure tree grows by a row element and a cell element per column for each row.
	p.elems = slices.Grow(p.elems, (len(t.Rows)+1)*(len(cols)+1)+2)
	p.y += 0.1 * ptCM
	capLines := []string(nil)
	if t.Caption != "" {
		capLines = p.wrap(t.Caption, true, 9, p.width)
	}
	p.need(float64(len(capLines))*9*pdfLeading + 0.2*ptCM + headerH + min(firstH, 6*lh))
	table := p.elem("Table", p.doc)
	p.elems[table].kids = make([]structKid, 0, len(t.Rows)+2)
	if len(capLines) > 0 {
		p.y += 0.2 * ptCM
		p.lines(p.elem("Caption", table), capLines, 9, true, black, "")
	}
	// drawRow draws the lines [from, to) of every cell of a row at the cursor; elems are the cells' elements
	// (nil: an artifact, the repeated header).
	drawRow := func(cells []laidCell, from, to int, elems []int) {
		h := float64(to-from)*lh + 2*pdfCellPad
		p.raw("/Artifact BMC\n")
		for j, c := range cells {
			if c.filled {
				p.fillRect(xs[j], p.y, xs[j+1]-xs[j], h, c.fill)
			}
		}
		// The borders after the fills (a fill would cover half of its neighbour's border), one path a row.
		b := p.stroke(p.page)
		for j := range cells {
			b = p.rect(b, xs[j], p.y, xs[j+1]-xs[j], h)
			b = append(b, '\n')
		}
		p.page = append(b, "S\nEMC\n"...)
		for j, c := range cells {
			end := min(to, len(c.lines))
			if from >= end {
				continue
			}
			if elems != nil {
				p.beginMarked(elems[j])
			} else {
				p.raw("/Artifact <</Type/Pagination>> BDC\n")
			}
			for k := from; k < end; k++ {
				p.text(c.lines[k], k < len(c.lines)-1, xs[j]+pdfCellPad, p.y+pdfCellPad+float64(k-from)*lh+pdfCellSize*0.9, pdfCellSize, c.cell.Bold, c.colour)
			}
			p.endMarked()
		}
		p.y += h
		p.fresh = false
	}
	// row draws a whole row, on this page when it fits, else on the next; a row taller than a page is split.
	var elems []int
	row := func(cells []laidCell, h float64, typ string) {
		tr := p.elem("TR", table)
		p.elems[tr].kids = make([]structKid, 0, len(cells))
		elems = elems[:0]
		for range cells {
			e := p.elem(typ, tr)
			if typ == "TH" {
				p.elems[e].attrs = "/A<</O/Table/Scope/Column>>"
			}
			elems = append(elems, e)
		}
		n := int(math.Round((h - 2*pdfCellPad) / lh))
		from := 0
		for from < n {
			if p.y+float64(n-from)*lh+2*pdfCellPad > p.bottom && !p.fresh {
				p.newPage(false)
			}
			fit := max(1, int((p.bottom-p.y-2*pdfCellPad)/lh))
			to := min(n, from+fit)
			drawRow(cells, from, to, elems)
			from = to
			if from < n {
				p.newPage(false)
			}
		}
	}
	if header != nil {
		row(header, headerH, "TH")
		p.repeatHeader = func() {
			hn := int(math.Round((headerH - 2*pdfCellPad) / lh))
			drawRow(header, 0, hn, nil)
		}
	}
	var rowCells []laidCell
	var rowLines []string
	for i, r := range t.Rows {
		cells, h := first, firstH
		if i > 0 {
			rowCells, rowLines, h = lay(rowCells, rowLines, r)
			cells = rowCells
		}
		row(cells, h, "TD")
	}
	p.repeatHeader = nil
	p.y += pdfTableAfter
}

// pdfString is a PDF text string: UTF-16BE with its byte order mark, in hex.
func pdfString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

func xmlEsc(s string) string { return esc(s) }

// finish writes the footers ("Pagina N di M", now that M is known), the pages, fonts, structure tree,
// bookmarks, metadata, cross-reference table and trailer.
func (p *pdfWriter) finish() error {
	total := len(p.pages)
	fontObjs := [2]int{p.newObj(), p.newObj()}
	pageObjs := make([]int, total)
	for i := range pageObjs {
		pageObjs[i] = p.newObj()
	}
	xobjects := ""
	if p.watermark != 0 {
		xobjects = fmt.Sprintf("/XObject<</Wm %d 0 R>>", p.watermark)
	}
	for i := range p.pages {
		p.page = p.page[:0]
		p.resetState()
		p.raw("/Artifact <</Type/Pagination/Subtype/Footer>> BDC\n")
		text := "Pagina " + strconv.Itoa(i+1) + " di " + strconv.Itoa(total)
		if p.d.FooterText != "" {
			text = p.d.FooterText + " – " + text
		}
		w := p.fonts[0].width(text, 8)
		p.text(text, false, (p.pw-w)/2, p.ph-pdfMarginY-4, 8, false, darkGrey)
		p.raw("EMC\n")
		footer := p.newObj()
		p.stream(footer, "", p.page, true)
		p.object(pageObjs[i], fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Contents[%d 0 R %d 0 R]/Resources<</Font<</F1 %d 0 R/F2 %d 0 R>>%s>>/StructParents %d/Tabs/S>>",
			p.pw, p.ph, p.pages[i].content, footer, fontObjs[0], fontObjs[1], xobjects, i))
	}
	p.page = nil
	b := p.beginObject(2)
	b = append(b, "<</Type/Pages/Count "...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, "/Kids["...)
	for _, n := range pageObjs {
		b = appendRef(b, n)
	}
	p.endObject(append(b, "]>>"...))
	for i, f := range p.fonts {
		p.writeFont(fontObjs[i], f, p.used[i])
	}
	// Structure tree: element objects, then the parent tree (for each page, the element of each MCID).
	for i := range p.elems {
		p.elems[i].obj = p.newObj()
	}
	for _, e := range p.elems {
		parent := 3
		if e.parent >= 0 {
			parent = p.elems[e.parent].obj
		}
		b := p.beginObject(e.obj)
		b = append(b, "<</Type/StructElem/S/"...)
		b = append(b, e.typ...)
		b = append(b, "/P "...)
		b = appendRef(b, parent)
		b = append(b[:len(b)-1], e.attrs...) // the reference without its space
		b = append(b, "/K["...)
		for _, kid := range e.kids {
			if kid.elem >= 0 {
				b = appendRef(b, p.elems[kid.elem].obj)
			} else {
				b = append(b, "<</Type/MCR/Pg "...)
				b = appendRef(b, pageObjs[kid.page])
				b = append(b[:len(b)-1], "/MCID "...)
				b = strconv.AppendInt(b, int64(kid.mcid), 10)
				b = append(b, ">> "...)
			}
		}
		p.endObject(append(b, "]>>"...))
	}
	parentTree := p.newObj()
	b = p.beginObject(parentTree)
	b = append(b, "<</Nums["...)
	for i, pg := range p.pages {
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, '[')
		for _, e := range pg.mcids {
			b = appendRef(b, p.elems[e].obj)
		}
		b = append(b, "]\n"...)
	}
	p.endObject(append(b, "]>>"...))
	p.object(3, fmt.Sprintf("<</Type/StructTreeRoot/K[%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d>>", p.elems[0].obj, parentTree, total))
	outlines := p.writeOutline(pageObjs)
	lang, country := p.d.language()
	date := p.d.date()
	pdfDate := date.Format("20060102150405") + "Z"
	p.object(4, fmt.Sprintf("<</Title %s/Author %s/Subject %s/Creator(Argine)/Producer(Argine)/CreationDate(D:%s)/ModDate(D:%s)>>",
		pdfString(p.d.Title), pdfString(p.d.Author), pdfString(p.d.Subject), pdfDate, pdfDate))
	meta := p.newObj()
	xmpDate := date.Format("2006-01-02T15:04:05Z")
	xmp := `<?xpacket begin="` + "\uFEFF" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + xmlEsc(p.d.Title) + `</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>` + xmlEsc(p.d.Author) + `</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + xmlEsc(p.d.Subject) + `</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>` + lang + "-" + country + `</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>Argine</pdf:Producer><xmp:CreatorTool>Argine</xmp:CreatorTool><xmp:CreateDate>` + xmpDate + `</xmp:CreateDate><xmp:ModifyDate>` + xmpDate + `</xmp:ModifyDate>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`
	p.stream(meta, "/Type/Metadata/Subtype/XML", []byte(xmp), false)
	out := ""
	if outlines > 0 {
		out = fmt.Sprintf("/Outlines %d 0 R/PageMode/UseOutlines", outlines)
	}
	p.object(1, fmt.Sprintf("<</Type/Catalog/Pages 2 0 R/StructTreeRoot 3 0 R/MarkInfo<</Marked true>>/Lang(%s-%s)/ViewerPreferences<</DisplayDocTitle true>>/Metadata %d 0 R%s>>",
		lang, country, meta, out))
	// Cross-reference table and trailer; the file id is a digest of the metadata, the same for the same document.
	xref := p.off
	p.printf("xref\n0 %d\n0000000000 65535 f \n", len(p.offsets))
	entry := []byte("0000000000 00000 n \n")
	for _, o := range p.offsets[1:] {
		for i := 9; i >= 0; i-- {
			entry[i] = byte('0' + o%10)
			o /= 10
		}
		p.write(entry)
	}
	id := sha256.Sum256([]byte(p.d.Title + "\x00" + p.d.Author + "\x00" + pdfDate + "\x00" + strconv.Itoa(total) + "\x00" + strconv.FormatInt(xref, 10)))
	p.printf("trailer\n<</Size %d/Root 1 0 R/Info 4 0 R/ID[<%X><%X>]>>\nstartxref\n%d\n%%%%EOF\n", len(p.offsets), id[:16], id[:16], xref)
	if p.err != nil {
		return p.err
	}
	return p.out.Flush()
}

// writeFont writes a Type 0 font with Identity-H encoding (two-byte glyph ids), the widths of the glyphs used,
// the whole TrueType file embedded, and a ToUnicode map for the text's extraction.
func (p *pdfWriter) writeFont(n int, f *pdfFont, used []rune) {
	cid, desc, file, toUni := p.newObj(), p.newObj(), p.newObj(), p.newObj()
	var ids []int
	for id, r := range used {
		if r != 0 {
			ids = append(ids, id)
		}
	}
	var widths strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&widths, "%d[%d]", id, int(math.Round(f.glyph(used[id]-1).adv)))
	}
	p.object(n, fmt.Sprintf("<</Type/Font/Subtype/Type0/BaseFont/%s/Encoding/Identity-H/DescendantFonts[%d 0 R]/ToUnicode %d 0 R>>", f.name, cid, toUni))
	p.object(cid, fmt.Sprintf("<</Type/Font/Subtype/CIDFontType2/BaseFont/%s/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor %d 0 R/DW 1000/W[%s]/CIDToGIDMap/Identity>>",
		f.name, desc, widths.String()))
	flags := 32 // non-symbolic
	stem := 80
	if strings.HasSuffix(f.name, "Bold") {
		flags |= 1 << 18
		stem = 140
	}
	p.object(desc, fmt.Sprintf("<</Type/FontDescriptor/FontName/%s/Flags %d/FontBBox[%d %d %d %d]/ItalicAngle 0/Ascent %d/Descent %d/CapHeight %d/StemV %d/FontFile2 %d 0 R>>",
		f.name, flags, f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3], f.ascent, f.descent, f.capHeight, stem, file))
	z := f.compressed()
	p.offsets[file] = p.off
	p.printf("%d 0 obj\n<</Length %d/Length1 %d/Filter/FlateDecode>>\nstream\n", file, len(z), len(f.data))
	p.write(z)
	p.printf("\nendstream\nendobj\n")
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(ids); i += 100 {
		chunk := ids[i:min(i+100, len(ids))]
		fmt.Fprintf(&cm, "%d beginbfchar\n", len(chunk))
		for _, id := range chunk {
			fmt.Fprintf(&cm, "<%04X> <", id)
			for _, u := range utf16.Encode([]rune{used[id] - 1}) {
				fmt.Fprintf(&cm, "%04X", u)
			}
			cm.WriteString(">\n")
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap\nCMapName currentdict /CMapResource defineresource pop\nend\nend\n")
	p.stream(toUni, "", []byte(cm.String()), true)
}

// writeOutline writes the bookmarks (level-1 headings, with their level-2 headings under them) and returns the
// outline dictionary's object, 0 when there are none.
func (p *pdfWriter) writeOutline(pageObjs []int) int {
	if len(p.outline) == 0 {
		return 0
	}
	root := p.newObj()
	type node struct {
		item outlineItem
		obj  int
		kids []*node
	}
	var tops []*node
	for _, it := range p.outline {
		n := &node{item: it, obj: p.newObj()}
		if it.level > 1 && len(tops) > 0 {
			tops[len(tops)-1].kids = append(tops[len(tops)-1].kids, n)
		} else {
			tops = append(tops, n)
		}
	}
	var emit func(list []*node, parent int) int
	emit = func(list []*node, parent int) int {
		count := 0
		for i, n := range list {
			extra := ""
			if i > 0 {
				extra += fmt.Sprintf("/Prev %d 0 R", list[i-1].obj)
			}
			if i < len(list)-1 {
				extra += fmt.Sprintf("/Next %d 0 R", list[i+1].obj)
			}
			if len(n.kids) > 0 {
				emit(n.kids, n.obj)
				extra += fmt.Sprintf("/First %d 0 R/Last %d 0 R/Count -%d", n.kids[0].obj, n.kids[len(n.kids)-1].obj, len(n.kids))
			}
			p.object(n.obj, fmt.Sprintf("<</Title %s/Parent %d 0 R/Dest[%d 0 R/XYZ 0 %.2f 0]%s>>", pdfString(n.item.title), parent, pageObjs[n.item.page], p.ph-n.item.y, extra))
			count++
		}
		return count
	}
	count := emit(tops, root)
	p.object(root, fmt.Sprintf("<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>", tops[0].obj, tops[len(tops)-1].obj, count))
	return root
}
