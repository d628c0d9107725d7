package processmap

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/csvsafe"
	"github.com/argine-pa/argine/internal/domain"
)

// WriteCSVDir writes the four CSV files into dir, creating it if needed.
func WriteCSVDir(dir string, m *domain.ProcessMap) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{MapName, func(w io.Writer) error { return WriteMapCSV(w, m.Nodes) }},
		{UnitsName, func(w io.Writer) error { return WriteRefCSV(w, m.Units) }},
		{ObjectivesName, func(w io.Writer) error { return WriteRefCSV(w, m.StrategicObjectives) }},
		{RiskAreasName, func(w io.Writer) error { return WriteRefCSV(w, m.RiskAreas) }},
	}
	for _, f := range files {
		// Write to a temporary file and rename, so a failed export never leaves a half-written file behind.
		path := filepath.Join(dir, f.name+".csv")
		tmp, err := os.CreateTemp(dir, "."+f.name+"-*.csv")
		if err != nil {
			return err
		}
		// CreateTemp makes the file 0600; an exported map is a document to share, readable like any other file.
		if err := tmp.Chmod(0o644); err != nil {
			return errors.Join(err, tmp.Close(), os.Remove(tmp.Name()))
		}
		// On failure the temporary file goes; a failure to remove it is reported with the cause, as the file stays.
		if err := f.write(tmp); err != nil {
			return errors.Join(err, tmp.Close(), os.Remove(tmp.Name()))
		}
		if err := tmp.Close(); err != nil {
			return errors.Join(err, os.Remove(tmp.Name()))
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return errors.Join(err, os.Remove(tmp.Name()))
		}
	}
	return nil
}

// WriteMapCSV writes process_map.csv. A cell a spreadsheet would run as a formula is written as text
// (csvsafe); the reader takes the added apostrophe away, so export and import give back the same map.
func WriteMapCSV(w io.Writer, nodes []domain.MapNode) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(MapColumns); err != nil {
		return err
	}
	for _, n := range nodes {
		if err := cw.Write(mapRecord(n)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteRefCSV writes a reference table.
func WriteRefCSV(w io.Writer, items []domain.RefItem) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(RefColumns); err != nil {
		return err
	}
	for _, it := range items {
		if err := cw.Write([]string{it.Code, it.Title}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the map as one workbook with four sheets, header rows frozen and filterable.
func WriteXLSX(w io.Writer, m *domain.ProcessMap) (err error) {
	wb := excelize.NewFile()
	// Close removes excelize's temporary files, if any: a failure leaves them on disk, so it is reported.
	defer func() { err = errors.Join(err, wb.Close()) }()
	mapRows := make([][]string, 0, len(m.Nodes))
	for _, n := range m.Nodes {
		mapRows = append(mapRows, mapRecord(n))
	}
	sheets := []struct {
		name   string
		header []string
		rows   [][]string
		widths []float64
	}{
		{MapName, MapColumns, mapRows, []float64{11, 14, 12, 70, 28, 12, 16, 12, 8, 50}},
		{UnitsName, RefColumns, refRows(m.Units), []float64{10, 90}},
		{ObjectivesName, RefColumns, refRows(m.StrategicObjectives), []float64{10, 120}},
		{RiskAreasName, RefColumns, refRows(m.RiskAreas), []float64{10, 120}},
	}
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := wb.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := wb.NewSheet(s.name); err != nil {
			return err
		}
		sw, err := wb.NewStreamWriter(s.name)
		if err != nil {
			return err
		}
		for c, width := range s.widths {
			if err := sw.SetColWidth(c+1, c+1, width); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", cells(s.header, bold)); err != nil {
			return err
		}
		for r, rec := range s.rows {
			// Every value is written as a string so codes like "1.10" never turn into numbers.
			if err := sw.SetRow(fmt.Sprintf("A%d", r+2), cells(rec, 0)); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		last, _ := excelize.ColumnNumberToName(len(s.header))
		if err := wb.AutoFilter(s.name, fmt.Sprintf("A1:%s%d", last, len(s.rows)+1), nil); err != nil {
			return err
		}
	}
	return wb.Write(w)
}

func refRows(items []domain.RefItem) [][]string {
	out := make([][]string, 0, len(items))
	for _, it := range items {
		out = append(out, []string{it.Code, it.Title})
	}
	return out
}

func cells(values []string, style int) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return out
}
