package processmap

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/csvsafe"
	"github.com/argine-pa/argine/internal/domain"
)

// MaxFileSize bounds one input file: the real map is ~100 KB, so 20 MB is generous and stops a runaway upload.
const MaxFileSize = 20 << 20

// ReadPath reads a map from a directory holding the four CSV files, from the process_map.csv file of such a
// directory, or from an .xlsx workbook.
func ReadPath(path string) (*domain.ProcessMap, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, domain.Invalid("processmap_path", "cannot read %s: %v", path, errors.Unwrap(err))
	}
	if info.IsDir() {
		return ReadCSV(os.DirFS(path), path)
	}
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer func() { _ = f.Close() }() // read-only: closing cannot lose anything
		return ReadXLSX(f, filepath.Base(path))
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		dir := filepath.Dir(path)
		return readCSVNamed(os.DirFS(dir), dir, filepath.Base(path))
	}
	return nil, domain.Invalid("processmap_path", "%s: expected a directory, a .csv file or an .xlsx workbook", path)
}

// ReadCSV reads the four CSV files at the root of fsys; label prefixes file names in messages.
func ReadCSV(fsys fs.FS, label string) (*domain.ProcessMap, error) {
	return readCSVNamed(fsys, label, MapName+".csv")
}

func readCSVNamed(fsys fs.FS, label, mapFile string) (*domain.ProcessMap, error) {
	load := func(name string) *table { return readCSVTable(fsys, label, name) }
	return decode(load(mapFile), load(UnitsName+".csv"), load(ObjectivesName+".csv"), load(RiskAreasName+".csv"))
}

func line0(r *csv.Reader) int {
	l, _ := r.FieldPos(0)
	return l
}

func csvColName(header []string) func(int) string {
	return func(i int) string {
		name := ""
		if i < len(header) {
			name = " " + strings.TrimSpace(header[i])
		}
		return strconv.Itoa(i+1) + name
	}
}

func readCSVTable(fsys fs.FS, label, name string) *table {
	t := &table{name: filepath.ToSlash(filepath.Join(label, name))}
	if label == "" {
		t.name = name
	}
	t.colName = func(i int) string { return strconv.Itoa(i + 1) }
	f, err := fsys.Open(name)
	if err != nil {
		return t // not present
	}
	defer func() { _ = f.Close() }() // read-only: closing cannot lose anything
	t.present = true
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil || len(data) > MaxFileSize {
		t.rows = nil
		t.empty = false
		t.header = []string{fmt.Sprintf("file larger than %d bytes or unreadable", MaxFileSize)}
		return t
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))) == 0 {
		t.empty = true
		return t
	}
	// What spreadsheets write is read as it is: a BOM, Windows-1252 text, semicolons (csvsafe.Decode); what
	// cannot be read (UTF-16, a workbook renamed .csv) is one problem saying how to save the file.
	data, det, err := csvsafe.Decode(data)
	if err != nil {
		t.syntax = append(t.syntax, csv.ParseError{Line: 1, Err: err})
		return t
	}
	r := csvsafe.NewDetectedReader(data, det) // column counts are checked per row, with positions
	r.ReuseRecord = false
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// A broken quote desynchronises the rest of the file: report it and stop reading this file.
				t.syntax = append(t.syntax, *pe)
			} else {
				t.syntax = append(t.syntax, csv.ParseError{Line: line0(r), Err: err})
			}
			break
		}
		line, _ := r.FieldPos(0)
		if first {
			t.header = rec
			t.colName = csvColName(rec)
			first = false
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		t.rows = append(t.rows, row{line: line, fields: unescapeAll(rec)})
	}
	return t
}

// unescapeAll takes away the apostrophe that the CSV writer adds before a cell a spreadsheet would run as a
// formula (csvsafe), so an exported map imports back to the same text.
func unescapeAll(rec []string) []string {
	for i, v := range rec {
		rec[i] = csvsafe.Unescape(v)
	}
	return rec
}

// Bounds of a workbook. An XLSX is a ZIP: 20 MB on disk once decompressed to 3.3 GB. The real map is a
// workbook of ~100 KB with four sheets and ~1,000 rows of ten columns, so these leave a wide margin.
const (
	MaxXLSXUncompressed = 100 << 20 // all entries together, decompressed
	MaxXLSXEntry        = 50 << 20  // one entry (a sheet's XML), decompressed
	MaxXLSXEntries      = 1000      // files inside the ZIP
	MaxXLSXSheets       = 20
	MaxXLSXRows         = 50_000 // per sheet
	MaxXLSXCells        = 1_000_000
)

func xlsxProblem(name, code, msg string) error {
	return &domain.ValidationError{Code: "processmap_invalid", Problems: []domain.FieldError{{File: name, Code: code, Message: msg}}}
}

// checkXLSXArchive refuses a ZIP whose entries would decompress beyond the bounds. The sizes are the ones the
// archive declares; Go's ZIP reader (which excelize uses too) fails an entry that inflates past its declared
// size, so a lying header cannot get round the check.
func checkXLSXArchive(data []byte, name string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return xlsxProblem(name, "xlsx_unreadable", "not a readable XLSX workbook: "+err.Error())
	}
	if len(zr.File) > MaxXLSXEntries {
		return xlsxProblem(name, "xlsx_too_large", fmt.Sprintf("the workbook holds %d files; at most %d are accepted", len(zr.File), MaxXLSXEntries))
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > MaxXLSXEntry {
			return xlsxProblem(name, "xlsx_too_large", fmt.Sprintf("%s decompresses to %d MB; at most %d MB per part are accepted",
				f.Name, f.UncompressedSize64>>20, MaxXLSXEntry>>20))
		}
		if total += f.UncompressedSize64; total > MaxXLSXUncompressed {
			return xlsxProblem(name, "xlsx_too_large", fmt.Sprintf("the workbook decompresses to more than %d MB", MaxXLSXUncompressed>>20))
		}
	}
	return nil
}

// ReadXLSX reads a workbook with the four sheets; name labels the workbook in messages. The workbook is
// bounded (size on disk, decompressed size, sheets, rows and cells) before and while it is read.
func ReadXLSX(r io.Reader, name string) (*domain.ProcessMap, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, xlsxProblem(name, "xlsx_too_large", fmt.Sprintf("the workbook is larger than %d MB", MaxFileSize>>20))
	}
	if err := checkXLSXArchive(data, name); err != nil {
		return nil, err
	}
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxXLSXUncompressed, UnzipXMLSizeLimit: MaxXLSXEntry})
	if err != nil {
		return nil, xlsxProblem(name, "xlsx_unreadable", "not a readable XLSX workbook: "+err.Error())
	}
	// Close only deletes the temporary files excelize may spill large parts to; the map read does not depend on it.
	defer func() { _ = wb.Close() }()
	if n := wb.SheetCount; n > MaxXLSXSheets {
		return nil, xlsxProblem(name, "xlsx_too_large", fmt.Sprintf("the workbook has %d sheets; at most %d are accepted", n, MaxXLSXSheets))
	}
	cells := 0
	var limitErr error
	load := func(sheet string, width int) *table {
		t := &table{name: name + "[" + sheet + "]"}
		t.colName = func(i int) string {
			letter, _ := excelize.ColumnNumberToName(i + 1)
			return letter
		}
		if idx, err := wb.GetSheetIndex(sheet); err != nil || idx < 0 {
			return t
		}
		t.present = true
		rows, err := boundedRows(wb, sheet, &cells)
		var tooLarge errTooLarge
		if errors.As(err, &tooLarge) {
			limitErr = xlsxProblem(name, "xlsx_too_large", sheet+": "+err.Error())
			return t
		}
		if err != nil || len(rows) == 0 {
			t.empty = true
			return t
		}
		t.header = rows[0]
		t.colName = func(i int) string {
			letter, _ := excelize.ColumnNumberToName(i + 1)
			if i < len(t.header) {
				return letter + " " + t.header[i]
			}
			return letter
		}
		for i, rec := range rows[1:] {
			rec = unescapeAll(rec)
			blank := true
			for _, v := range rec {
				if strings.TrimSpace(v) != "" {
					blank = false
				}
			}
			if blank {
				continue
			}
			// excelize drops trailing empty cells, so a short row is only missing empty cells.
			for len(rec) < width {
				rec = append(rec, "")
			}
			t.rows = append(t.rows, row{line: i + 2, fields: rec})
		}
		return t
	}
	tables := []*table{load(MapName, len(MapColumns)), load(UnitsName, 2), load(ObjectivesName, 2), load(RiskAreasName, 2)}
	if limitErr != nil {
		return nil, limitErr
	}
	return decode(tables[0], tables[1], tables[2], tables[3])
}

// errTooLarge says a sheet went past a bound.
type errTooLarge string

func (e errTooLarge) Error() string { return string(e) }

// boundedRows reads a sheet's rows as raw text through the streaming iterator, stopping as soon as the sheet
// has more rows than MaxXLSXRows or the workbook more cells than MaxXLSXCells (counted in *cells).
func boundedRows(wb *excelize.File, sheet string, cells *int) ([][]string, error) {
	it, err := wb.Rows(sheet)
	if err != nil {
		return nil, err // an unreadable sheet reads as empty, as before: decode reports what is missing
	}
	defer func() { _ = it.Close() }() // only deletes the sheet's temporary file, if excelize made one
	var out [][]string
	for it.Next() {
		if len(out) == MaxXLSXRows {
			return nil, errTooLarge(fmt.Sprintf("more than %d rows; at most %d are accepted", MaxXLSXRows, MaxXLSXRows))
		}
		rec, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		if *cells += len(rec); *cells > MaxXLSXCells {
			return nil, errTooLarge(fmt.Sprintf("the workbook has more than %d cells; at most %d are accepted", MaxXLSXCells, MaxXLSXCells))
		}
		out = append(out, rec)
	}
	return out, it.Error()
}
