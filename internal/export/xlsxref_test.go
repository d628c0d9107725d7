package export

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/domain"
)

// ReferenceWriteXLSX is the register workbook as WriteXLSX wrote it before it filled all the register's
// sheets in one pass over the register and encoded rows without fmt (issue 19): it reads the register once
// per sheet and formats each cell with fmt. TestXLSXMatchesReference holds the fast writer to the same
// output on the demo register.
var ReferenceWriteXLSX = referenceWriteXLSX

// ReferenceWriteJSON is registro.json as WriteJSON wrote it before it encoded rows without a map and
// json.Marshal (issue 19).
var ReferenceWriteJSON = referenceWriteJSON

// referenceWriteJSON is the earlier WriteJSON.
func referenceWriteJSON(w io.Writer, src Source) error {
	meta := src.Meta()
	head, _ := json.Marshal(map[string]any{"ente": meta.Ente, "ciclo": meta.Cycle, "adottato": meta.Adopted,
		"delibera": meta.Deliberation, "hash_registro_adottato": meta.SnapshotHash, "dizionario": "dizionario-dati.csv",
		"audit_record_adozione": meta.AuditHeadSeq, "audit_hash_adozione": meta.AuditHeadHash})
	if _, err := io.WriteString(w, strings.TrimSuffix(string(head), "}")+`,"righe":[`); err != nil {
		return err
	}
	first := true
	err := rows(src, func(r Row) error {
		vals := r.openData(meta)
		obj := make(map[string]string, len(vals))
		for i, c := range OpenDataColumns {
			obj[c.Name] = vals[i]
		}
		b, _ := json.Marshal(obj) // map keys are sorted: the output is stable
		sep := ","
		if first {
			sep, first = "", false
		}
		_, err := io.WriteString(w, sep+"\n"+string(b))
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]}\n")
	return err
}

// SetSpoolMemory sets the memory the spooled sheets of a workbook may take, and returns the function that
// restores it: with 0, every spooled sheet goes through a temporary file.
func SetSpoolMemory(n int) (restore func()) {
	old := spoolMemory
	spoolMemory = n
	return func() { spoolMemory = old }
}

// referenceWriteXLSX is the earlier WriteXLSX.
func referenceWriteXLSX(w io.Writer, src Source) error {
	meta := src.Meta()
	title := RegisterTitle(meta)
	x := newXLSXStream(w, title)
	cols := RegisterLayout(meta.Methodology)
	widths := make([]float64, len(cols))
	headers := make([]xcell, len(cols))
	var levelCols []int
	for i, c := range cols {
		widths[i], headers[i] = c.Width, xcell{Text: c.Header, Style: styleHeader}
		if c.Kind == KindLevel {
			levelCols = append(levelCols, i+1)
		}
	}
	levels := slices.Clone(meta.Methodology.RiskLevels)
	slices.SortFunc(levels, func(a, b domain.RiskLevel) int { return a.Rank - b.Rank })
	labels := make([]string, len(levels))
	for i, l := range levels {
		labels[i] = l.Label
	}
	spec := func(name string) sheetSpec {
		return sheetSpec{name: name, widths: widths, freezeRows: 2, filterRow: 2, columns: len(cols), levelColumns: levelCols, levelLabels: labels}
	}
	links, err := measureLinks(src)
	if err != nil {
		return err
	}
	areas := map[string]bool{}
	fill := func(sheetTitle, area string) func(row typedRowWriter) error {
		return func(row typedRowWriter) error {
			if err := row([]xcell{{Text: sheetTitle, Style: styleHeader}}); err != nil {
				return err
			}
			if err := row(headers); err != nil {
				return err
			}
			return src.Each(func(l Leaf) error {
				if area == "" {
					for _, a := range l.Node.RiskAreas {
						areas[a] = true
					}
				} else if !slices.Contains(l.Node.RiskAreas, area) {
					return nil
				}
				return layoutRows(l, links, func(r LayoutRow) error {
					r.Monitoring = meta.monitoringOf(r.Measure)
					return row(xcells(r.Values(meta.Methodology, cols)))
				})
			})
		}
	}
	if err := x.referenceTypedSheet(spec(RegisterSheet), fill(title, "")); err != nil {
		return err
	}
	codes := make([]string, 0, len(areas))
	for a := range areas {
		codes = append(codes, a)
	}
	slices.Sort(codes)
	for _, a := range codes {
		if err := x.referenceTypedSheet(spec(areaSheetName(a)), fill(title+" – area di rischio "+a, a)); err != nil {
			return err
		}
	}
	if err := x.referenceTypedSheet(sheetSpec{name: LegendSheet, widths: []float64{30, 60}, levelColumns: []int{1}, levelLabels: labels},
		func(row typedRowWriter) error { return legendRows(meta.Methodology, labels, row) }); err != nil {
		return err
	}
	if err := x.sheet(sheetSpec{name: "Metodologia", widths: []float64{40, 40, 80}}, func(row rowWriter) error {
		return methodologyRows(meta.Methodology, row)
	}); err != nil {
		return err
	}
	return x.close()
}

// referenceTypedSheet is the earlier typedSheet.
func (x *xlsxStream) referenceTypedSheet(spec sheetSpec, fill func(row typedRowWriter) error) error {
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

// appendEscapedXML writes what xml.EscapeText writes; appendJSONString what json.Marshal writes of a string.
func TestAppendEscapedXMLAndJSONString(t *testing.T) {
	cases := []string{"", "plain", "Ponderazione: à è ì ò ù € – “virgolette”", `<a href="x">&'</a>`, "tab\tnl\ncr\r",
		"\x00\x01\x08\x0c\x1f\x7f", "bad \xff\xfe utf8 \xc3", "\ufffd literal", "\ufffe\uffff", "line\u2028para\u2029", "emoji 😀", "\ud7ff\ue000"}
	for b := 0; b < 256; b++ {
		cases = append(cases, string([]byte{byte(b)}), "x"+string([]byte{byte(b)})+"y")
	}
	for _, c := range cases {
		if got, want := string(appendEscapedXML([]byte("pre"), c)), "pre"+escapeXML(c); got != want {
			t.Errorf("xml %q: %q, want %q", c, got, want)
		}
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got := appendJSONString([]byte("pre"), c)
		if utf8.ValidString(c) {
			if string(got) != "pre"+string(want) {
				t.Errorf("json %q: %q, want %q", c, got, want)
			}
			continue
		}
		// A byte that is not UTF-8 becomes U+FFFD, which json.Marshal writes as the character from Go 1.27 and as
		// the escape \ufffd before it: either is the same JSON string, so compare what they decode to.
		var decoded, expected string
		if err := json.Unmarshal(got[len("pre"):], &decoded); err != nil {
			t.Errorf("json %q: %q is not a JSON string: %v", c, got, err)
			continue
		}
		if err := json.Unmarshal(want, &expected); err != nil {
			t.Fatal(err)
		}
		if decoded != expected {
			t.Errorf("json %q: %q decodes to %q, want %q", c, got, decoded, expected)
		}
	}
}
