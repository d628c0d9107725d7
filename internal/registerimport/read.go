// Package registerimport reads an existing risk register from a spreadsheet (XLSX, ODS or CSV) laid out as
// Argine's register export (export.RegisterLayout), or as the body's own layout through a column mapping,
// and turns it into the assessments of the map's leaves: every problem located by sheet, row and column with
// a stable code, each row's action title checked against the map's. It owns the reading and the checking;
// writing the drafts is the service's (internal/service/registerimport.go).
package registerimport

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/csvsafe"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

// Bounds of what an import reads.
const (
	MaxFileSize     = 20 << 20 // bytes of the uploaded file
	MaxRows         = 20000    // rows of the sheet read
	MaxColumns      = 200      // columns of a row
	MaxCellLength   = 10000    // characters of a cell
	maxODSContent   = 200 << 20
	maxRepeatedCols = MaxColumns
)

// Sheet is the table read from a file: its rows of raw cells (a number is its decimal text, a date in a
// spreadsheet its serial number; DateCells marks the cells that were typed as dates in ODS).
type Sheet struct {
	Name string
	Rows []Row
}

// Row is one row with its 1-based number in the sheet.
type Row struct {
	Line  int
	Cells []string
}

// Workbook is the sheets of a file, in order.
type Workbook struct {
	Format string // xlsx, ods, csv
	Sheets []Sheet
	// CSV tells what was detected in a CSV file (separator, encoding).
	CSV *csvsafe.Detected
}

func fileProblem(code, format string, args ...any) error {
	return &domain.ValidationError{Code: "import_invalid", Problems: []domain.FieldError{{Code: code, Message: fmt.Sprintf(format, args...)}}}
}

// Read reads a workbook from data; name (the file's name) helps choose the format when the content does not.
func Read(name string, data []byte) (*Workbook, error) {
	if len(data) > MaxFileSize {
		return nil, fileProblem("file_too_large", "the file is larger than %d MiB", MaxFileSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileProblem("file_empty", "the file is empty")
	}
	lower := strings.ToLower(name)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, fileProblem("file_unreadable", "the file looks like a zip (XLSX or ODS) but cannot be opened: %v", err)
		}
		for _, f := range zr.File {
			if f.Name == "content.xml" {
				return readODS(f)
			}
			if f.Name == "xl/workbook.xml" {
				return readXLSX(zr)
			}
		}
		return nil, fileProblem("file_format_unknown", "the zip file is neither an XLSX nor an ODS spreadsheet")
	}
	if bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")) {
		return nil, fileProblem("file_format_xls", "the file is an old Excel 97-2003 workbook (.xls): save it as "+
			"\"Cartella di lavoro di Excel (.xlsx)\" or as ODS and import that")
	}
	if strings.HasSuffix(lower, ".xlsx") || strings.HasSuffix(lower, ".ods") {
		return nil, fileProblem("file_unreadable", "%s is not a valid spreadsheet (it is not a zip file)", name)
	}
	return readCSV(data)
}

func checkCell(s string) string {
	if utf8.RuneCountInString(s) > MaxCellLength {
		return string([]rune(s)[:MaxCellLength])
	}
	return s
}

func readCSV(data []byte) (*Workbook, error) {
	text, det, err := csvsafe.Decode(data)
	if err != nil {
		return nil, fileProblem("csv_encoding", "%v", err)
	}
	r := csvsafe.NewDetectedReader(text, det)
	wb := &Workbook{Format: "csv", CSV: &det}
	sh := Sheet{Name: "CSV"}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fileProblem("csv_syntax", "CSV syntax error: %v (detected: %s)", err, det)
		}
		line, _ := r.FieldPos(0)
		if len(sh.Rows) >= MaxRows {
			return nil, fileProblem("too_many_rows", "more than %d rows", MaxRows)
		}
		if len(rec) > MaxColumns {
			return nil, fileProblem("too_many_columns", "row %d has %d columns: at most %d", line, len(rec), MaxColumns)
		}
		cells := make([]string, len(rec))
		for i, c := range rec {
			cells[i] = checkCell(csvsafe.Unescape(c))
		}
		sh.Rows = append(sh.Rows, Row{Line: line, Cells: cells})
	}
	wb.Sheets = []Sheet{sh}
	return wb, nil
}

// readXLSX reads the sheets of an XLSX workbook with a streaming decoder of its parts (shared strings, then
// each sheet's rows): faster than a general library and bounded. When the workbook has Argine's consolidated
// register sheet only that sheet is read (the area sheets repeat its rows).
func readXLSX(zr *zip.Reader) (*Workbook, error) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	open := func(name string) (*xml.Decoder, func(), error) {
		f := files[name]
		if f == nil {
			return nil, func() {}, fmt.Errorf("part %s missing", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, func() {}, err
		}
		return xml.NewDecoder(io.LimitReader(rc, maxODSContent)), func() { _ = rc.Close() }, nil
	}
	attr := func(se xml.StartElement, local string) string {
		for _, a := range se.Attr {
			if a.Name.Local == local {
				return a.Value
			}
		}
		return ""
	}
	// The sheets and where they are.
	type sheetRef struct{ name, id string }
	var sheets []sheetRef
	dec, done, err := open("xl/workbook.xml")
	if err != nil {
		return nil, fileProblem("file_unreadable", "the XLSX file cannot be opened: %v", err)
	}
	for {
		tok, err := dec.RawToken()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sheet" {
			sheets = append(sheets, sheetRef{attr(se, "name"), attr(se, "id")})
		}
	}
	done()
	targets := map[string]string{}
	if dec, done, err := open("xl/_rels/workbook.xml.rels"); err == nil {
		for {
			tok, err := dec.RawToken()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
				t := attr(se, "Target")
				if strings.HasPrefix(t, "/") {
					t = strings.TrimPrefix(t, "/")
				} else {
					t = "xl/" + t
				}
				targets[attr(se, "Id")] = t
			}
		}
		done()
	}
	// Shared strings: every <si>'s text runs joined.
	var shared []string
	if dec, done, err := open("xl/sharedStrings.xml"); err == nil {
		var b strings.Builder
		inT := false
		for {
			tok, err := dec.RawToken()
			if err != nil {
				break
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "si":
					b.Reset()
				case "t":
					inT = true
				case "rPh":
					inT = false
				}
			case xml.EndElement:
				switch t.Name.Local {
				case "t":
					inT = false
				case "si":
					if len(shared) >= MaxRows*MaxColumns {
						done()
						return nil, fileProblem("too_many_cells", "the workbook has more than %d strings", MaxRows*MaxColumns)
					}
					shared = append(shared, checkCell(b.String()))
				}
			case xml.CharData:
				if inT && b.Len() <= MaxCellLength*4 {
					b.Write(t)
				}
			}
		}
		done()
	}
	for _, sh := range sheets {
		if sh.name == export.RegisterSheet {
			sheets = []sheetRef{sh}
			break
		}
	}
	wb := &Workbook{Format: "xlsx"}
	for _, ref := range sheets {
		dec, done, err := open(targets[ref.id])
		if err != nil {
			return nil, fileProblem("file_unreadable", "sheet %q cannot be read: %v", ref.name, err)
		}
		sh, err := readXLSXSheet(dec, ref.name, shared, attr)
		done()
		if err != nil {
			return nil, err
		}
		wb.Sheets = append(wb.Sheets, *sh)
	}
	return wb, nil
}

func readXLSXSheet(dec *xml.Decoder, name string, shared []string, attr func(xml.StartElement, string) string) (*Sheet, error) {
	sh := &Sheet{Name: name}
	var row []string
	line, col := 0, 0
	kind := ""
	var text strings.Builder
	inValue := false
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fileProblem("file_unreadable", "sheet %q is not valid XML: %v", name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				line++
				if n, err := strconv.Atoi(attr(t, "r")); err == nil && n >= line {
					line = n
				}
				row = nil
			case "c":
				kind = attr(t, "t")
				col = len(row)
				if r := attr(t, "r"); r != "" {
					if c, _, err := excelize.CellNameToCoordinates(r); err == nil {
						col = c - 1
					}
				}
				text.Reset()
			case "v", "t":
				inValue = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				inValue = false
			case "c":
				v := text.String()
				if kind == "s" {
					i, err := strconv.Atoi(v)
					if err != nil || i < 0 || i >= len(shared) {
						return nil, fileProblem("file_unreadable", "sheet %q row %d refers to a missing shared string", name, line)
					}
					v = shared[i]
				}
				if col >= MaxColumns {
					if v == "" {
						continue // a formatted blank far to the right, as spreadsheets leave them
					}
					return nil, fileProblem("too_many_columns", "sheet %q row %d has more than %d columns", name, line, MaxColumns)
				}
				for len(row) < col {
					row = append(row, "")
				}
				row = append(row, checkCell(v))
			case "row":
				for len(row) > 0 && row[len(row)-1] == "" {
					row = row[:len(row)-1]
				}
				if len(row) == 0 {
					continue
				}
				if len(sh.Rows) >= MaxRows {
					return nil, fileProblem("too_many_rows", "sheet %q has more than %d rows", name, MaxRows)
				}
				sh.Rows = append(sh.Rows, Row{Line: line, Cells: row})
			}
		case xml.CharData:
			if inValue && text.Len() <= MaxCellLength*4 {
				text.Write(t)
			}
		}
	}
	return sh, nil
}

// readODS reads the tables of an OpenDocument spreadsheet's content.xml with a streaming decoder. Repeated
// rows and cells (how ODS writes runs of blanks) are expanded only up to the bounds; trailing blanks go.
func readODS(zf *zip.File) (*Workbook, error) {
	if zf.UncompressedSize64 > maxODSContent {
		return nil, fileProblem("file_too_large", "the ODS content is larger than %d MiB once unpacked", maxODSContent>>20)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fileProblem("file_unreadable", "the ODS file cannot be opened: %v", err)
	}
	defer func() { _ = rc.Close() }() // read-only
	dec := xml.NewDecoder(io.LimitReader(rc, maxODSContent))
	const tableNS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	const officeNS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	const textNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	wb := &Workbook{Format: "ods"}
	var sh *Sheet
	var row []string
	rowRepeat, line := 1, 0
	var cell strings.Builder
	inCell, cellRepeat, cellValue, paragraphs := false, 1, "", 0
	attr := func(se xml.StartElement, space, local string) string {
		for _, a := range se.Attr {
			if a.Name.Space == space && a.Name.Local == local {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fileProblem("file_unreadable", "the ODS content is not valid XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == tableNS && t.Name.Local == "table":
				wb.Sheets = append(wb.Sheets, Sheet{Name: attr(t, tableNS, "name")})
				sh, line = &wb.Sheets[len(wb.Sheets)-1], 0
			case t.Name.Space == tableNS && t.Name.Local == "table-row" && sh != nil:
				row, rowRepeat = nil, 1
				if n, err := strconv.Atoi(attr(t, tableNS, "number-rows-repeated")); err == nil && n > 1 {
					rowRepeat = n
				}
			case t.Name.Space == tableNS && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell") && sh != nil:
				inCell, cellRepeat, paragraphs = true, 1, 0
				cell.Reset()
				if n, err := strconv.Atoi(attr(t, tableNS, "number-columns-repeated")); err == nil && n > 1 {
					cellRepeat = n
				}
				cellValue = ""
				switch attr(t, officeNS, "value-type") {
				case "float", "percentage", "currency":
					cellValue = attr(t, officeNS, "value")
				case "date":
					cellValue = attr(t, officeNS, "date-value")
					if len(cellValue) > 10 {
						cellValue = cellValue[:10] // 2026-03-01T00:00:00: the date
					}
				}
			case t.Name.Space == textNS && t.Name.Local == "p" && inCell:
				if paragraphs > 0 {
					cell.WriteByte('\n')
				}
				paragraphs++
			case t.Name.Space == textNS && t.Name.Local == "s" && inCell:
				n, err := strconv.Atoi(attr(t, textNS, "c"))
				if err != nil || n < 1 {
					n = 1
				}
				cell.WriteString(strings.Repeat(" ", min(n, 100)))
			case t.Name.Space == textNS && t.Name.Local == "tab" && inCell:
				cell.WriteByte('\t')
			case t.Name.Space == textNS && t.Name.Local == "line-break" && inCell:
				cell.WriteByte('\n')
			}
		case xml.CharData:
			if inCell && cell.Len() <= MaxCellLength*4 {
				cell.Write(t)
			}
		case xml.EndElement:
			switch {
			case t.Name.Space == tableNS && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell") && inCell:
				inCell = false
				v := cellValue
				if v == "" {
					v = cell.String()
				}
				v = checkCell(v)
				if v == "" && len(row)+cellRepeat > maxRepeatedCols {
					continue // a run of blanks to the sheet's edge
				}
				if len(row)+cellRepeat > MaxColumns {
					return nil, fileProblem("too_many_columns", "sheet %q row %d has more than %d columns", sh.Name, line+1, MaxColumns)
				}
				for range cellRepeat {
					row = append(row, v)
				}
			case t.Name.Space == tableNS && t.Name.Local == "table-row" && sh != nil:
				for len(row) > 0 && row[len(row)-1] == "" {
					row = row[:len(row)-1]
				}
				if len(row) == 0 {
					line += rowRepeat // blank rows: counted, not kept
					continue
				}
				for range rowRepeat {
					line++
					if len(sh.Rows) >= MaxRows {
						return nil, fileProblem("too_many_rows", "sheet %q has more than %d rows", sh.Name, MaxRows)
					}
					sh.Rows = append(sh.Rows, Row{Line: line, Cells: row})
				}
			}
		}
	}
	return wb, nil
}
