package processmap

import (
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
		defer f.Close()
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
	defer f.Close()
	t.present = true
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil || len(data) > MaxFileSize {
		t.rows = nil
		t.empty = false
		t.header = []string{fmt.Sprintf("file larger than %d bytes or unreadable", MaxFileSize)}
		return t
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // spreadsheet programs add a BOM
	if len(bytes.TrimSpace(data)) == 0 {
		t.empty = true
		return t
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // column counts are checked per row, with positions
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
		t.rows = append(t.rows, row{line: line, fields: rec})
	}
	return t
}

// ReadXLSX reads a workbook with the four sheets; name labels the workbook in messages.
func ReadXLSX(r io.Reader, name string) (*domain.ProcessMap, error) {
	wb, err := excelize.OpenReader(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, &domain.ValidationError{Code: "processmap_invalid", Problems: []domain.FieldError{{
			File: name, Code: "xlsx_unreadable", Message: "not a readable XLSX workbook: " + err.Error()}}}
	}
	defer wb.Close()
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
		rows, err := wb.GetRows(sheet, excelize.Options{RawCellValue: true})
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
	return decode(load(MapName, len(MapColumns)), load(UnitsName, 2), load(ObjectivesName, 2), load(RiskAreasName, 2))
}
