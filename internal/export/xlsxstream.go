package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxStream writes an XLSX workbook straight into a zip stream, a row at a time: unlike a library that
// assembles the file in memory, its memory does not grow with the number of rows.
type xlsxStream struct {
	zw          *zip.Writer
	sheets      []string
	title       string
	spoolBudget *int // the memory left to spooled sheets (spoolMemory)
}

const (
	styleNormal = 0
	styleHeader = 1
	styleWrap   = 2
	styleDate   = 3 // a date serial shown as dd/mm/yyyy
)

// xlsxLevel is the deflate level of every part. Level 4 is the last of Go's fast levels: on the demo register's
// largest sheet (960 KB of XML) it takes about 70 % of the CPU of archive/zip's default (5) for a part 8 % larger,
// and the export is the costliest request a server under load answers (docs/performance.md).
const xlsxLevel = 4

func newXLSXStream(w io.Writer, title string) *xlsxStream {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) { return &pooledFlate{newFlate(out)}, nil })
	return &xlsxStream{zw: zw, title: title}
}

// flateWriters keeps deflate writers (all at xlsxLevel) for the next part, as archive/zip does for its own
// compressor: a writer is over half a megabyte of tables, and a workbook compresses a dozen parts. A reset
// writer writes the same bytes as a new one.
var flateWriters sync.Pool

func newFlate(w io.Writer) *flate.Writer {
	if fw, ok := flateWriters.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return fw
	}
	fw, _ := flate.NewWriter(w, xlsxLevel) // its only error is a level out of range
	return fw
}

// pooledFlate is a zip part's compressor: closed, it gives its writer back to flateWriters.
type pooledFlate struct{ fw *flate.Writer }

func (p *pooledFlate) Write(b []byte) (int, error) { return p.fw.Write(b) }

func (p *pooledFlate) Close() error {
	err := p.fw.Close()
	flateWriters.Put(p.fw)
	p.fw = nil
	return err
}

// sheetSpec describes a worksheet.
type sheetSpec struct {
	name       string
	widths     []float64
	freezeRows int // rows kept visible at the top
	filterRow  int // the header row of the autofilter (0: none)
	columns    int
	// levelColumns are the columns (1-based) whose risk-level labels get a colour by conditional formatting;
	// levelLabels are the labels from the lowest rank up.
	levelColumns []int
	levelLabels  []string
}

// rowWriter writes the rows of a sheet.
type rowWriter func(cells []string, style int) error

// xcell is a typed cell: text, or a number (Num set), written with a style.
type xcell struct {
	Text  string
	Num   *float64
	Style int
}

// typedRowWriter writes a row of typed cells.
type typedRowWriter func(cells []xcell) error

func (x *xlsxStream) sheet(spec sheetSpec, fill func(row rowWriter) error) error {
	return x.typedSheet(spec, func(row typedRowWriter) error {
		return fill(func(cells []string, style int) error {
			typed := make([]xcell, len(cells))
			for i, c := range cells {
				typed[i] = xcell{Text: c, Style: style}
			}
			return row(typed)
		})
	})
}

func (x *xlsxStream) typedSheet(spec sheetSpec, fill func(row typedRowWriter) error) error {
	x.sheets = append(x.sheets, spec.name)
	w, err := x.zw.Create(sheetPart(len(x.sheets)))
	if err != nil {
		return err
	}
	sw, err := beginSheet(w, spec)
	if err != nil {
		return err
	}
	if err := fill(sw.row); err != nil {
		return err
	}
	return sw.end()
}

func sheetPart(i int) string { return fmt.Sprintf("xl/worksheets/sheet%d.xml", i) }

// sheetWriter writes one worksheet's XML a row at a time into w, encoding each row in one reused buffer
// (no formatting by reflection, no allocation per cell): the register's sheets have tens of thousands of
// cells.
type sheetWriter struct {
	w    io.Writer
	spec sheetSpec
	n    int      // rows written
	buf  []byte   // the row being encoded
	cols []string // column letters, by index
}

// beginSheet writes the part of the worksheet before the rows.
func beginSheet(w io.Writer, spec sheetSpec) (*sheetWriter, error) {
	var head strings.Builder
	head.WriteString(xml.Header + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	if spec.freezeRows > 0 {
		fmt.Fprintf(&head, `<sheetViews><sheetView workbookViewId="0"><pane ySplit="%d" topLeftCell="A%d" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`,
			spec.freezeRows, spec.freezeRows+1)
	}
	if len(spec.widths) > 0 {
		head.WriteString("<cols>")
		for i, width := range spec.widths {
			fmt.Fprintf(&head, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, width)
		}
		head.WriteString("</cols>")
	}
	head.WriteString("<sheetData>")
	if _, err := io.WriteString(w, head.String()); err != nil {
		return nil, err
	}
	return &sheetWriter{w: w, spec: spec}, nil
}

func (s *sheetWriter) column(i int) string {
	for len(s.cols) <= i {
		name, _ := excelize.ColumnNumberToName(len(s.cols) + 1)
		s.cols = append(s.cols, name)
	}
	return s.cols[i]
}

// row writes a row of typed cells.
func (s *sheetWriter) row(cells []xcell) error {
	s.n++
	b := append(s.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(s.n), 10)
	b = append(b, `">`...)
	for i, v := range cells {
		if v.Num == nil && v.Text == "" && v.Style == styleNormal {
			continue // an empty cell is left out: filters and types see it as blank
		}
		b = append(b, `<c r="`...)
		b = append(b, s.column(i)...)
		b = strconv.AppendInt(b, int64(s.n), 10)
		if v.Num != nil {
			b = append(b, `" s="`...)
			b = strconv.AppendInt(b, int64(v.Style), 10)
			b = append(b, `"><v>`...)
			b = strconv.AppendFloat(b, *v.Num, 'f', -1, 64)
			b = append(b, `</v></c>`...)
			continue
		}
		b = append(b, `" t="inlineStr" s="`...)
		b = strconv.AppendInt(b, int64(v.Style), 10)
		b = append(b, `"><is><t xml:space="preserve">`...)
		b = appendEscapedXML(b, cleanXML(v.Text))
		b = append(b, "</t></is></c>"...)
	}
	b = append(b, "</row>"...)
	s.buf = b
	_, err := s.w.Write(b)
	return err
}

// end writes the part of the worksheet after the rows.
func (s *sheetWriter) end() error {
	tail := "</sheetData>"
	if s.spec.filterRow > 0 && s.spec.columns > 0 {
		last, _ := excelize.ColumnNumberToName(s.spec.columns)
		tail += fmt.Sprintf(`<autoFilter ref="A%d:%s%d"/>`, s.spec.filterRow, last, max(s.n, s.spec.filterRow+1))
	}
	tail += s.spec.conditional(max(s.n, s.spec.filterRow+1))
	_, err := io.WriteString(s.w, tail+"</worksheet>")
	return err
}

// appendEscapedXML appends s escaped exactly as xml.EscapeText escapes it (the same entities, U+FFFD for
// what XML cannot carry), without going through an io.Writer.
func appendEscapedXML(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		switch {
		case c == '"':
			esc = "&#34;"
		case c == '\'':
			esc = "&#39;"
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\t':
			esc = "&#x9;"
		case c == '\n':
			esc = "&#xA;"
		case c == '\r':
			esc = "&#xD;"
		case c < 0x20:
			esc = "\uFFFD"
		case c < utf8.RuneSelf:
			i++
			continue
		default:
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if (r != utf8.RuneError || width != 1) && (r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
				i += width
				continue
			}
			esc = "\uFFFD"
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i += width
		last = i
	}
	return append(b, s[last:]...)
}

// escapeXML escapes text for an XML element or attribute.
func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // its only error is the writer's, and a strings.Builder never fails to write
	return b.String()
}

// cleanXML drops the characters XML 1.0 cannot carry (control characters pasted from other programs).
func cleanXML(s string) string {
	if utf8.ValidString(s) && !hasControl(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
			return -1
		}
		return r
	}, s)
}

// hasControl says whether valid UTF-8 text holds a control character other than tab and line breaks. It looks
// at bytes, not runes (every cell of a workbook passes here): in UTF-8 a byte below 0x20 is always that
// character, never part of another.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

func (x *xlsxStream) part(name, content string) error {
	w, err := x.zw.Create(name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, xml.Header+content)
	return err
}

// close writes the workbook parts that list the sheets, and ends the zip.
func (x *xlsxStream) close() error {
	var sheets, rels, types strings.Builder
	for i, name := range x.sheets {
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escapeXML(name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	n := len(x.sheets)
	title := escapeXML(x.title)
	parts := []struct{ name, content string }{
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + sheets.String() + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() +
			fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, n+1) + `</Relationships>`},
		{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>` +
			`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
			`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
			`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
			`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
			`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>` +
			`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>` +
			`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf></cellXfs>` +
			levelDxfs + `</styleSheet>`},
		{"docProps/core.xml", `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` +
			title + `</dc:title><dc:creator>Argine</dc:creator></cp:coreProperties>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` + types.String() + `</Types>`},
	}
	for _, p := range parts {
		if err := x.part(p.name, p.content); err != nil {
			return err
		}
	}
	return x.zw.Close()
}

// levelColours are the fills of the risk levels, from the lowest up (green to red), as differential formats
// the conditional formatting refers to by index.
var levelColours = []string{"FFC6EFCE", "FFE2F0D9", "FFFFEB9C", "FFF8CBAD", "FFFFC7CE"}

var levelDxfs = func() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<dxfs count="%d">`, len(levelColours))
	for _, c := range levelColours {
		fmt.Fprintf(&b, `<dxf><fill><patternFill patternType="solid"><fgColor rgb="%s"/><bgColor rgb="%s"/></patternFill></fill></dxf>`, c, c)
	}
	b.WriteString("</dxfs>")
	return b.String()
}()

// levelDxf is the colour index of the rank-th of n levels (0-based), spread over the five colours.
func levelDxf(rank, n int) int {
	if n <= 1 {
		return len(levelColours) - 1
	}
	return rank * (len(levelColours) - 1) / (n - 1)
}

// conditional writes the conditional formatting that colours the risk-level columns, down to row last.
func (spec sheetSpec) conditional(last int) string {
	if len(spec.levelColumns) == 0 || len(spec.levelLabels) == 0 {
		return ""
	}
	var b strings.Builder
	prio := 1
	for _, col := range spec.levelColumns {
		name, _ := excelize.ColumnNumberToName(col)
		fmt.Fprintf(&b, `<conditionalFormatting sqref="%s%d:%s%d">`, name, spec.filterRow+1, name, last)
		for i, label := range spec.levelLabels {
			fmt.Fprintf(&b, `<cfRule type="cellIs" dxfId="%d" priority="%d" operator="equal"><formula>"%s"</formula></cfRule>`,
				levelDxf(i, len(spec.levelLabels)), prio, escapeXML(strings.ReplaceAll(label, `"`, `""`)))
			prio++
		}
		b.WriteString(`</conditionalFormatting>`)
	}
	return b.String()
}

// spoolMemory is how many compressed bytes the spooled sheets of one workbook keep in memory: past it, a
// spool moves to a temporary file, so the memory of a workbook does not grow with the register. (Where
// there is no temporary directory, as in the container image, the spool stays in memory: compressed, a
// sheet takes about a tenth of its XML.)
var spoolMemory = 16 << 20 // a variable for the test that makes the spools spill

// spooledSheet is a worksheet written while another one is being written into the zip (the sheets of the
// risk areas, filled in the same pass over the register as the consolidated sheet): its XML is compressed as
// it comes, as the zip would compress it, and copied into the zip as it is once the pass ends.
type spooledSheet struct {
	*sheetWriter
	name  string
	fw    *flate.Writer
	crc   hash.Hash32
	size  uint64 // uncompressed
	store *spoolStore
}

// spoolStore holds the compressed bytes of a spooled sheet: in memory, then in a temporary file.
type spoolStore struct {
	mem    bytes.Buffer
	file   *os.File
	count  uint64
	budget *int // the memory left to the workbook's spools
}

func (s *spoolStore) Write(p []byte) (int, error) {
	s.count += uint64(len(p))
	if s.file == nil && *s.budget < len(p) {
		if f, err := os.CreateTemp("", "argine-xlsx-*"); err == nil {
			_ = os.Remove(f.Name()) // unlinked at once: the file goes when it is closed, whatever happens
			if _, err := f.Write(s.mem.Bytes()); err != nil {
				_ = f.Close() // the write's error is the one to report; the file is already unlinked
				return 0, err
			}
			*s.budget += s.mem.Len()
			s.mem = bytes.Buffer{}
			s.file = f
		}
	}
	if s.file != nil {
		return s.file.Write(p)
	}
	*s.budget -= len(p)
	return s.mem.Write(p)
}

// copyTo writes the stored bytes to w and releases them.
func (s *spoolStore) copyTo(w io.Writer) error {
	if s.file == nil {
		_, err := w.Write(s.mem.Bytes())
		*s.budget += s.mem.Len()
		s.mem = bytes.Buffer{}
		return err
	}
	defer s.close()
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

func (s *spoolStore) close() {
	if s.file != nil {
		_ = s.file.Close() // read-only use from here on, and unlinked: nothing a failed close could lose
		s.file = nil
	}
}

// spool starts a sheet written aside; addSpooled adds it to the workbook.
func (x *xlsxStream) spool(spec sheetSpec) (*spooledSheet, error) {
	if x.spoolBudget == nil {
		x.spoolBudget = new(int)
		*x.spoolBudget = spoolMemory
	}
	st := &spoolStore{budget: x.spoolBudget}
	fw := newFlate(st) // the level of the other parts: the part is the same as if the zip had compressed it
	s := &spooledSheet{name: spec.name, fw: fw, crc: crc32.NewIEEE(), store: st}
	sw, err := beginSheet(s, spec)
	if err != nil {
		return nil, err
	}
	s.sheetWriter = sw
	return s, nil
}

func (s *spooledSheet) Write(p []byte) (int, error) {
	s.crc.Write(p)
	s.size += uint64(len(p))
	return s.fw.Write(p)
}

func (x *xlsxStream) addSpooled(s *spooledSheet) error {
	defer s.store.close()
	if err := s.end(); err != nil {
		return err
	}
	if err := s.fw.Close(); err != nil {
		return err
	}
	flateWriters.Put(s.fw)
	s.fw = nil
	x.sheets = append(x.sheets, s.name)
	// Flags 0x8 (sizes in a data descriptor after the data) as zip.Writer.Create writes a part.
	w, err := x.zw.CreateRaw(&zip.FileHeader{Name: sheetPart(len(x.sheets)), Method: zip.Deflate, Flags: 0x8,
		CRC32: s.crc.Sum32(), CompressedSize64: s.store.count, UncompressedSize64: s.size})
	if err != nil {
		return err
	}
	return s.store.copyTo(w)
}
