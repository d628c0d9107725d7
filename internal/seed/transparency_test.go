package seed

import (
	"strings"
	"testing"
)

// The shipped grid is valid, has unique codes, covers the main sub-sections and says what each row follows.
func TestTransparencyObligations(t *testing.T) {
	rows, err := TransparencyObligations()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 50 {
		t.Fatalf("only %d obligations", len(rows))
	}
	codes, sections := map[string]bool{}, map[string]bool{}
	for i := range rows {
		o := rows[i]
		if err := o.Validate(map[string]bool{}); err != nil {
			t.Fatalf("row %s: %v", o.Code, err)
		}
		if codes[o.Code] {
			t.Fatalf("duplicate code %s", o.Code)
		}
		codes[o.Code] = true
		sections[o.Section] = true
		if o.Source == "" || o.LegalReference == "" || o.Frequency == "" {
			t.Fatalf("row %s lacks source, reference or frequency", o.Code)
		}
	}
	for _, s := range []string{"Disposizioni generali", "Organizzazione", "Personale", "Bandi di gara e contratti",
		"Controlli e rilievi sull'amministrazione", "Pagamenti dell'amministrazione", "Altri contenuti"} {
		if !sections[s] {
			t.Fatalf("section %q missing", s)
		}
	}
	schemes := 0
	for _, o := range rows {
		if strings.Contains(o.Source, "495/2024") {
			schemes++
		}
	}
	if schemes < 3 {
		t.Fatalf("the mandatory schemes of delibera 495/2024 (art. 4-bis, 13, 31) are not marked: %d", schemes)
	}
}
