package export

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxStream writes an XLSX workbook straight into a zip stream, a row at a time: unlike a library that
// assembles the file in memory, its memory does not grow with the number of rows.
type xlsxStream struct {
	zw     *zip.Writer
	sheets []string
	title  string
}

const (
	styleNormal = 0
	styleHeader = 1
	styleWrap   = 2
	styleDate   = 3 // a date serial shown as dd/mm/yyyy
)

func newXLSXStream(w io.Writer, title string) *xlsxStream {
	return &xlsxStream{zw: zip.NewWriter(w), title: title}
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
	w, err := x.zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", len(x.sheets)))
	if err != nil {
		return err
	}
	// The parts before and after the rows are built in memory and written at once, each write checked.
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
		return err
	}
	n := 0
	err = fill(func(cells []xcell) error {
		n++
		var b strings.Builder
		fmt.Fprintf(&b, `<row r="%d">`, n)
		for i, v := range cells {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if v.Num != nil {
				fmt.Fprintf(&b, `<c r="%s%d" s="%d"><v>%s</v></c>`, col, n, v.Style, strconv.FormatFloat(*v.Num, 'f', -1, 64))
				continue
			}
			if v.Text == "" && v.Style == styleNormal {
				continue // an empty cell is left out: filters and types see it as blank
			}
			fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr" s="%d"><is><t xml:space="preserve">`, col, n, v.Style)
			b.WriteString(escapeXML(cleanXML(v.Text)))
			b.WriteString("</t></is></c>")
		}
		b.WriteString("</row>")
		_, err := io.WriteString(w, b.String())
		return err
	})
	if err != nil {
		return err
	}
	tail := "</sheetData>"
	if spec.filterRow > 0 && spec.columns > 0 {
		last, _ := excelize.ColumnNumberToName(spec.columns)
		tail += fmt.Sprintf(`<autoFilter ref="A%d:%s%d"/>`, spec.filterRow, last, max(n, spec.filterRow+1))
	}
	tail += spec.conditional(max(n, spec.filterRow+1))
	_, err = io.WriteString(w, tail+"</worksheet>")
	return err
}

// escapeXML escapes text for an XML element or attribute.
func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // its only error is the writer's, and a strings.Builder never fails to write
	return b.String()
}

// cleanXML drops the characters XML 1.0 cannot carry (control characters pasted from other programs).
func cleanXML(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
			return -1
		}
		return r
	}, s)
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
