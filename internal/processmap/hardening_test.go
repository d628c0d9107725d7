package processmap

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/dbtest"
)

// A title or note starting with a formula character is exported as text (a leading apostrophe) and imported
// back to the exact original text, in CSV and in an XLSX saved from that CSV.
func TestFormulaCellsExportAsTextAndImportBack(t *testing.T) {
	m := dbtest.SmallMap()
	m.Nodes[0].Title = `=HYPERLINK("http://evil.example","clic")`
	m.Nodes[1].Note = "+cmd|' /C calc'!A0"
	m.Nodes[2].Title = "'=virgolettato"
	m.Nodes[3].Note = "@SUM(1+1)"
	dir := t.TempDir()
	if err := WriteCSVDir(dir, m); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "process_map.csv"))
	for _, want := range []string{`'=HYPERLINK(""http://evil.example"",""clic"")`, "'+cmd|' /C calc'!A0", "''=virgolettato", "'@SUM(1+1)"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the CSV lacks %q:\n%s", want, raw)
		}
	}
	for _, line := range strings.Split(string(raw), "\n") {
		for _, cell := range strings.Split(line, ",") {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("a cell starts with a formula character: %q", cell)
			}
		}
	}
	back, err := ReadPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Fatalf("round trip changed the map:\n%+v\n%+v", back.Nodes[:4], m.Nodes[:4])
	}
	// The same text typed into a workbook (as a spreadsheet saves the CSV above) reads back alike.
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, m); err != nil {
		t.Fatal(err)
	}
	wb, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	wb.SetCellStr(MapName, "D2", `'=HYPERLINK("http://evil.example","clic")`)
	var saved bytes.Buffer
	wb.Write(&saved)
	fromXLSX, err := ReadXLSX(bytes.NewReader(saved.Bytes()), "map.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if fromXLSX.Nodes[0].Title != m.Nodes[0].Title {
		t.Fatalf("xlsx title %q", fromXLSX.Nodes[0].Title)
	}
}

// zipWith builds a ZIP holding the given entries, deflated.
func zipWith(t *testing.T, entries map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A workbook that decompresses far beyond its size (one took 3.3 GB), or holds too many sheets, rows or
// cells, is refused with xlsx_too_large before it is expanded.
func TestXLSXBombsAreRefused(t *testing.T) {
	expectTooLarge := func(t *testing.T, data []byte, fragment string) {
		t.Helper()
		_, err := ReadXLSX(bytes.NewReader(data), "bomb.xlsx")
		ps := problems(t, err)
		if ps[0].Code != "xlsx_too_large" || ps[0].File != "bomb.xlsx" || !strings.Contains(ps[0].Message, fragment) {
			t.Fatalf("unexpected %+v", ps)
		}
	}
	t.Run("decompressed size", func(t *testing.T) {
		// 200 MB of zeros in ~200 KB on disk.
		bomb := zipWith(t, map[string][]byte{"xl/worksheets/sheet1.xml": make([]byte, 60<<20),
			"xl/worksheets/sheet2.xml": make([]byte, 45<<20)})
		if len(bomb) > MaxFileSize {
			t.Fatalf("the bomb is %d bytes: it should be small", len(bomb))
		}
		expectTooLarge(t, bomb, "MB")
		expectTooLarge(t, zipWith(t, map[string][]byte{"a": make([]byte, 40<<20), "b": make([]byte, 40<<20), "c": make([]byte, 40<<20)}), "more than 100 MB")
	})
	t.Run("entries", func(t *testing.T) {
		many := map[string][]byte{}
		for i := 0; i <= MaxXLSXEntries; i++ {
			many[fmt.Sprintf("f%d", i)] = nil
		}
		expectTooLarge(t, zipWith(t, many), "files")
	})
	t.Run("sheets", func(t *testing.T) {
		wb := excelize.NewFile()
		for i := 0; i < MaxXLSXSheets; i++ {
			wb.NewSheet(fmt.Sprintf("S%d", i))
		}
		var buf bytes.Buffer
		wb.Write(&buf)
		expectTooLarge(t, buf.Bytes(), "sheets")
	})
	t.Run("rows", func(t *testing.T) {
		wb := excelize.NewFile()
		wb.SetSheetName("Sheet1", MapName)
		sw, _ := wb.NewStreamWriter(MapName)
		for r := 1; r <= MaxXLSXRows+1; r++ {
			sw.SetRow(fmt.Sprintf("A%d", r), []any{"x"})
		}
		sw.Flush()
		var buf bytes.Buffer
		wb.Write(&buf)
		expectTooLarge(t, buf.Bytes(), "rows")
	})
	t.Run("cells", func(t *testing.T) {
		wb := excelize.NewFile()
		wb.SetSheetName("Sheet1", MapName)
		sw, _ := wb.NewStreamWriter(MapName)
		row := make([]any, 100)
		for i := range row {
			row[i] = 1
		}
		for r := 1; r <= MaxXLSXCells/100+1; r++ {
			sw.SetRow(fmt.Sprintf("A%d", r), row)
		}
		sw.Flush()
		var buf bytes.Buffer
		wb.Write(&buf)
		expectTooLarge(t, buf.Bytes(), "cells")
	})
}
