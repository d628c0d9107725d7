package export_test

import (
	"testing"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

func TestItalianDate(t *testing.T) {
	for in, want := range map[string]string{"2027-01-31": "31 gennaio 2027", "2026-03-01": "1º marzo 2026", "2026-12-09": "9 dicembre 2026", "31/01/2027": "31/01/2027", "": ""} {
		if got := export.ItalianDate(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestLevelColour: the lowest level is green and the highest red whatever the number of levels, and every level
// has a colour of its own.
func TestLevelColour(t *testing.T) {
	p := domain.PNA2019Qualitative()
	seen := map[string]bool{}
	for i, l := range p.RiskLevels {
		c := export.LevelColour(p, l.Code)
		if c == "" || seen[c] {
			t.Fatalf("level %s: colour %q (seen %v)", l.Code, c, seen)
		}
		seen[c] = true
		if i == 0 && c != "C8E6C9" {
			t.Errorf("the lowest level %s is %s, not green", l.Code, c)
		}
	}
	top := p.RiskLevels[0]
	for _, l := range p.RiskLevels {
		if l.Rank > top.Rank {
			top = l
		}
	}
	if c := export.LevelColour(p, top.Code); c != "EF9A9A" && len(p.RiskLevels) < 5 {
		t.Errorf("the highest level %s is %s, not red", top.Code, c)
	}
	if export.LevelColour(p, "nessuno") != "" {
		t.Error("an unknown level has a colour")
	}
}
