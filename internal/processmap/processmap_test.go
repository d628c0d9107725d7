package processmap

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
)

const (
	unitsCSV = "code,title\nSG,Segretario Generale\nAD1,Area 1\n"
	objCSV   = "code,title\nOS1,Obiettivo 1\n"
	areasCSV = "code,title\nM,Governance\nB-bis,Contratti in deroga\n"
	header   = "level,code,parent_code,title,function,units,strategic_objectives,risk_areas,marker,note\n"
)

func fsWith(mapCSV string) fstest.MapFS {
	return fstest.MapFS{
		"process_map.csv":          {Data: []byte(mapCSV)},
		"units.csv":                {Data: []byte(unitsCSV)},
		"strategic_objectives.csv": {Data: []byte(objCSV)},
		"risk_areas.csv":           {Data: []byte(areasCSV)},
	}
}

func problems(t *testing.T, err error) []domain.FieldError {
	t.Helper()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatal("a ValidationError must wrap domain.ErrInvalid")
	}
	return ve.Problems
}

func TestReadValidCSV(t *testing.T) {
	m, err := ReadCSV(fsWith(header+
		"macro,A1,,Governo,Governo camerale,,,,,\n"+
		"process,A1.1,A1,Pianificazione,Governo camerale,SG;AD1,OS1,M,*,\n"+
		"subprocess,A1.1.1,A1.1,\"Programmazione, controllo\",Governo camerale,SG,OS1,M,,nota\n"+
		"action,A1.1.1.1,A1.1.1,Relazione,Governo camerale, SG ; AD1 ,,M;B-bis,,\n"), "in")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Count(); got != (domain.Counts{Macro: 1, Process: 1, Subprocess: 1, Action: 1, Leaves: 1}) {
		t.Fatalf("counts %+v", got)
	}
	a := m.Nodes[3]
	if !reflect.DeepEqual(a.Units, []string{"SG", "AD1"}) || !reflect.DeepEqual(a.RiskAreas, []string{"M", "B-bis"}) {
		t.Fatalf("lists not split and trimmed: %+v", a)
	}
	if m.Nodes[1].Marker != domain.MarkerMandatory || m.Nodes[2].Title != "Programmazione, controllo" {
		t.Fatalf("marker or quoted title lost: %+v %+v", m.Nodes[1], m.Nodes[2])
	}
}

// TestEveryErrorIsReportedWithPosition covers each kind of bad input of the format contract.
func TestEveryErrorIsReportedWithPosition(t *testing.T) {
	good := "macro,A1,,Governo,F,,,,,\nprocess,A1.1,A1,P,F,SG,,,,\n"
	cases := []struct {
		name     string
		mapCSV   string
		code     string
		line     int
		column   string
		contains string
	}{
		{"unknown parent", good + "subprocess,A1.1.9,A1.9,S,F,SG,,,,\n", "parent_unknown", 4, "3 parent_code", `"A1.9"`},
		{"duplicate code", good + "process,A1.1,A1,P bis,F,SG,,,,\n", "duplicate_code", 4, "2 code", "first at line 3"},
		{"code not extending parent", good + "subprocess,B1.1.1,A1.1,S,F,SG,,,,\n", "code_not_extending_parent", 4, "2 code", `"A1.1"`},
		{"unknown unit", good + "subprocess,A1.1.1,A1.1,S,F,AD9,,,,\n", "reference_unknown", 4, "6 units", `unit "AD9"`},
		{"unknown objective", good + "subprocess,A1.1.1,A1.1,S,F,SG,OS7,,,\n", "reference_unknown", 4, "7 strategic_objectives", `strategic objective "OS7"`},
		{"unknown risk area", good + "subprocess,A1.1.1,A1.1,S,F,SG,,Z,,\n", "reference_unknown", 4, "8 risk_areas", `risk area "Z"`},
		{"unknown level", good + "step,A1.1.1,A1.1,S,F,SG,,,,\n", "level_unknown", 4, "1 level", `"step"`},
		{"wrong column count", good + "subprocess,A1.1.1,A1.1,S,F,SG,,,\n", "column_count", 4, "", "9 columns, expected 10"},
		{"wrong parent level", good + "action,A1.1.1,A1.1,S,F,SG,,,,\n", "parent_level", 4, "3 parent_code", "must be a subprocess"},
		{"invalid marker", good + "subprocess,A1.1.1,A1.1,S,F,SG,,,***,\n", "marker_invalid", 4, "9 marker", `"***"`},
		{"leaf without unit", good + "subprocess,A1.1.1,A1.1,S,F,,,,,\n", "leaf_without_unit", 4, "6 units", "responsible unit"},
		{"macro with parent", "macro,A1,A0,Governo,F,,,,,\n", "parent_unexpected", 2, "3 parent_code", "no parent"},
		{"empty file", "", "file_empty", 1, "", "empty"},
		{"wrong header", "level,code\n", "header_invalid", 1, "", "expected 10"},
		{"broken quote", good + "subprocess,A1.1.1,A1.1,\"S\"x,F,SG,,,,\n", "csv_syntax", 4, "character 26", "quote"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := header + tc.mapCSV
			if tc.code == "file_empty" || tc.code == "header_invalid" {
				body = tc.mapCSV
			}
			_, err := ReadCSV(fsWith(body), "in")
			ps := problems(t, err)
			for _, p := range ps {
				if p.Code == tc.code {
					if p.File != "in/process_map.csv" || p.Line != tc.line || p.Column != tc.column || !strings.Contains(p.Message, tc.contains) {
						t.Fatalf("problem %+v; want line %d column %q message containing %q", p, tc.line, tc.column, tc.contains)
					}
					return
				}
			}
			t.Fatalf("no %s problem among %+v", tc.code, ps)
		})
	}
}

func TestAllErrorsReportedAtOnce(t *testing.T) {
	_, err := ReadCSV(fsWith(header+
		"macro,A1,,Governo,F,,,,,\n"+
		"process,A1.1,A9,P,F,SG,,,,\n"+ // unknown parent
		"process,A1.2,A1,P,F,XX,,,,\n"+ // unknown unit
		"process,A1.2,A1,P,F,SG,,,,\n"+ // duplicate
		"task,A1.3,A1,P,F,SG,,,,\n"), "in") // unknown level
	ps := problems(t, err)
	codes := map[string]int{}
	for _, p := range ps {
		codes[p.Code] = p.Line
	}
	want := map[string]int{"parent_unknown": 3, "reference_unknown": 4, "duplicate_code": 5, "level_unknown": 6}
	for code, line := range want {
		if codes[code] != line {
			t.Errorf("want %s at line %d, got problems %+v", code, line, ps)
		}
	}
}

func TestProblemListIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(header + "macro,A1,,Governo,F,,,,,\n")
	for i := 0; i < MaxProblems+50; i++ {
		b.WriteString("process,A1.x,A1,P,F,NOPE,,,,\n")
	}
	_, err := ReadCSV(fsWith(b.String()), "in")
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != MaxProblems || !ve.Truncated {
		t.Fatalf("want %d problems and truncated, got %v", MaxProblems, err)
	}
}

func TestReferenceTableErrors(t *testing.T) {
	fsys := fsWith(header + "macro,A1,,Governo,F,,,,,\nprocess,A1.1,A1,P,F,SG,,,,\n")
	fsys["units.csv"] = &fstest.MapFile{Data: []byte("code,title\nSG,Segretario\nSG,Ancora\n;x,Bad\n")}
	delete(fsys, "risk_areas.csv")
	ps := problems(t, func() error { _, err := ReadCSV(fsys, "in"); return err }())
	var got []string
	for _, p := range ps {
		got = append(got, p.File+":"+p.Code)
	}
	want := []string{"in/units.csv:duplicate_code", "in/units.csv:code_invalid", "in/risk_areas.csv:file_missing"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestBOMIsAccepted(t *testing.T) {
	_, err := ReadCSV(fsWith("\xef\xbb\xbf"+header+"macro,A1,,Governo,F,,,,,\nprocess,A1.1,A1,P,F,SG,,,,\n"), "in")
	if err != nil {
		t.Fatal(err)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	m := dbtest.SmallMap()
	dir := t.TempDir()
	if err := WriteCSVDir(dir, m); err != nil {
		t.Fatal(err)
	}
	back, err := ReadPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) || back.Hash() != m.Hash() {
		t.Fatalf("round trip changed the map:\n%+v\n%+v", back, m)
	}
	// Reading via the process_map.csv path of the directory gives the same map.
	viaFile, err := ReadPath(filepath.Join(dir, "process_map.csv"))
	if err != nil || viaFile.Hash() != m.Hash() {
		t.Fatalf("reading via the csv file: %v", err)
	}
	// Writing the map read back gives byte-identical files.
	dir2 := t.TempDir()
	if err := WriteCSVDir(dir2, back); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"process_map.csv", "units.csv", "strategic_objectives.csv", "risk_areas.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(dir2, name))
		if !bytes.Equal(a, b) {
			t.Fatalf("%s differs after a second export", name)
		}
	}
}

func TestXLSXRoundTripAndErrors(t *testing.T) {
	m := dbtest.SmallMap()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, m); err != nil {
		t.Fatal(err)
	}
	back, err := ReadXLSX(bytes.NewReader(buf.Bytes()), "map.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Fatalf("xlsx round trip changed the map:\n%+v\n%+v", back, m)
	}

	// Break one cell and check the position is reported with the sheet, row and column letter.
	wb, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := wb.SetCellStr(MapName, "C5", "A9.9"); err != nil {
		t.Fatal(err)
	}
	var broken bytes.Buffer
	if err := wb.Write(&broken); err != nil {
		t.Fatal(err)
	}
	_, err = ReadXLSX(bytes.NewReader(broken.Bytes()), "map.xlsx")
	ps := problems(t, err)
	if ps[0].File != "map.xlsx[process_map]" || ps[0].Line != 5 || ps[0].Column != "C parent_code" || ps[0].Code != "parent_unknown" {
		t.Fatalf("unexpected problem %+v", ps[0])
	}

	_, err = ReadXLSX(strings.NewReader("not a zip"), "junk.xlsx")
	if ps := problems(t, err); ps[0].Code != "xlsx_unreadable" || ps[0].File != "junk.xlsx" {
		t.Fatalf("unexpected %+v", ps)
	}
}

// TestExcelSavedFilesAreRead: what Excel in Italian writes, semicolons, a BOM and Windows-1252, is read as
// it is; what cannot be read (UTF-16) is one problem saying how to save the file.
func TestExcelSavedFilesAreRead(t *testing.T) {
	body := header + "macro,A1,,Governo,F,,,,,\nprocess,A1.1,A1,P,F,SG,,,,\nsubprocess,A1.1.1,A1.1,Attivit\xe0 di verifica,F,SG,,,,\n"
	semicolons := strings.ReplaceAll(body, ",", ";")
	for name, data := range map[string]string{"windows-1252": body, "semicolons": semicolons, "bom": "\xef\xbb\xbf" + strings.ReplaceAll(semicolons, "\xe0", "à")} {
		m, err := ReadCSV(fsWith(data), "in")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := m.Nodes[2].Title; got != "Attività di verifica" {
			t.Fatalf("%s: title %q", name, got)
		}
	}
	_, err := ReadCSV(fsWith("\xff\xfel\x00e\x00"), "in")
	ps := problems(t, err)
	if len(ps) != 1 || ps[0].Code != "csv_syntax" || !strings.Contains(ps[0].Message, "UTF-16") || !strings.Contains(ps[0].Message, "CSV UTF-8 (delimitato da virgole)") {
		t.Fatalf("a UTF-16 file must give one problem naming the cure: %+v", ps)
	}
}
