package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCellsStartingAFormulaAreTextAndComeBackExactly(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+cmd|' /C calc'!A0":       "'+cmd|' /C calc'!A0",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tx":                      "'\tx",
		"\rx":                      "'\rx",
		"'=already quoted":         "''=already quoted",
		"'plain":                   "'plain",
		"'(ex A1.1)' è un rimando": "'(ex A1.1)' è un rimando",
		"''":                       "'''",
		"'":                        "'",
		"Gestione = bene":          "Gestione = bene",
		"":                         "",
		"B2.1":                     "B2.1",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
		if back := Unescape(Cell(in)); back != in {
			t.Errorf("Unescape(Cell(%q)) = %q", in, back)
		}
	}
	// A hand-typed apostrophe before ordinary text stays.
	if Unescape("'abc") != "'abc" {
		t.Error("an apostrophe before ordinary text must stay")
	}
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Write([]string{"=1+1", "ok"})
	w.Flush()
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil || recs[0][0] != "'=1+1" || recs[0][1] != "ok" {
		t.Fatalf("%q %v", recs, err)
	}
}
