package seed

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/domain"
)

func load(t *testing.T) *domain.ProcessMap {
	t.Helper()
	m, err := BasilicataMap()
	if err != nil {
		t.Fatalf("the curated map must pass the import validation: %v", err)
	}
	return m
}

func TestDatasetTotals(t *testing.T) {
	got := load(t).Count()
	want := domain.Counts{Macro: 20, Process: 49, Subprocess: 121, Action: 256, Leaves: 265}
	if got != want {
		t.Fatalf("counts %+v, want %+v", got, want)
	}
}

// TestCountsPerMacroProcess pins the dataset block by block (processes / sub-processes / actions).
func TestCountsPerMacroProcess(t *testing.T) {
	want := map[string][3]int{
		"A1": {3, 13, 38}, "A2": {3, 7, 19}, "A3": {1, 2, 9},
		"B1": {1, 3, 12}, "B2": {3, 5, 25}, "B3": {2, 3, 17},
		"C1": {2, 8, 17}, "C2": {9, 11, 14},
		"D1": {2, 5, 11}, "D2": {2, 8, 15}, "D3": {1, 5, 9}, "D4": {3, 11, 15}, "D5": {3, 6, 14}, "D6": {4, 16, 23},
		"E1": {4, 8, 8}, "F1": {2, 6, 6},
		"G1": {1, 1, 1}, "H1": {1, 1, 1}, "I1": {1, 1, 1}, "Z1": {1, 1, 1},
	}
	m := load(t)
	macroOf := map[string]string{}
	got := map[string][3]int{}
	var order []string
	for _, n := range m.Nodes {
		if n.Level == domain.LevelMacro {
			macroOf[n.Code] = n.Code
			order = append(order, n.Code)
			continue
		}
		macro := macroOf[n.ParentCode]
		macroOf[n.Code] = macro
		c := got[macro]
		c[n.Level.Depth()-2]++
		got[macro] = c
	}
	if strings.Join(order, " ") != "A1 A2 A3 B1 B2 B3 C1 C2 D1 D2 D3 D4 D5 D6 E1 F1 Z1 G1 H1 I1" {
		t.Fatalf("macro-processes in source order: %v", order)
	}
	for macro, w := range want {
		if got[macro] != w {
			t.Errorf("%s: got %v, want %v", macro, got[macro], w)
		}
	}
}

func TestDatasetStructure(t *testing.T) {
	m := load(t)
	seen := map[string]bool{}
	leaves := m.Leaves()
	for _, n := range m.Nodes {
		if seen[n.Code] {
			t.Errorf("duplicate code %s", n.Code)
		}
		seen[n.Code] = true
		if n.ParentCode != "" && !domain.ExtendsParent(n.Code, n.ParentCode) {
			t.Errorf("%s does not extend its parent %s", n.Code, n.ParentCode)
		}
		if (n.Level == domain.LevelAction || leaves[n.Code]) && len(n.Units) == 0 {
			t.Errorf("%s (%s) has no responsible unit", n.Code, n.Level)
		}
		if n.Function == "" {
			t.Errorf("%s has no institutional function", n.Code)
		}
		if n.Title == "" && !strings.Contains(n.Note, "assente nella fonte") {
			t.Errorf("%s has an empty title and no note saying why", n.Code)
		}
	}
	// Processes that the source lists with no actions are leaves themselves.
	for _, code := range []string{"C1.2", "C2.5", "C2.6", "C2.7", "C2.8", "C2.9"} {
		if !leaves[code] {
			t.Errorf("%s must be a leaf", code)
		}
	}
	var refs []string
	for _, r := range m.RiskAreas {
		refs = append(refs, r.Code)
	}
	if strings.Join(refs, " ") != "A B B-bis C D E F G H I L M N" {
		t.Errorf("risk areas %v", refs)
	}
	refs = nil
	for _, u := range m.Units {
		refs = append(refs, u.Code)
	}
	if strings.Join(refs, " ") != "SG AD1 AD2 AD3" || !strings.HasPrefix(m.Units[1].Title, "Area Dirigenziale n. 1 ") {
		t.Errorf("units %v", m.Units)
	}
	if len(m.StrategicObjectives) != 12 {
		t.Errorf("want the 12 strategic objectives, got %d", len(m.StrategicObjectives))
	}
}

var (
	exRef     = regexp.MustCompile(`\(ex [^)]*\)`)
	codeInSrc = regexp.MustCompile(`(?:^|[^\w.])([A-IZ]\d(?:\.\d+){0,3}(?: BIS(?:\.\d+)?)?)(?:[^\w.]|\.\s|$)`)
)

// TestDatasetAgainstSource checks the curated map against the source extraction (a verbatim copy in
// testdata): every code the source names is in the dataset, and every code of the dataset is in the source,
// except the sub-processes whose rows the extraction lost (their codes exist only as prefixes of actions).
func TestDatasetAgainstSource(t *testing.T) {
	raw, err := os.ReadFile("testdata/allegato1-piao-2026-2028.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := exRef.ReplaceAllString(string(raw), "") // "(ex A1.1.1.6)" cites an old code, not a node
	inSource := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		for _, cell := range strings.Split(line, "\t") {
			for _, mm := range codeInSrc.FindAllStringSubmatch(" "+cell+" ", -1) {
				inSource[mm[1]] = true
			}
		}
	}
	delete(inSource, "I4.0") // "Impresa 4.0" in a title, not a code
	if len(inSource) != 436 {
		t.Fatalf("the source names %d distinct codes, want 436 (446 nodes less 10 untitled sub-processes)", len(inSource))
	}
	m := load(t)
	inData := map[string]domain.MapNode{}
	for _, n := range m.Nodes {
		inData[n.Code] = n
	}
	var missing, extra []string
	for code := range inSource {
		if _, ok := inData[code]; !ok {
			missing = append(missing, code)
		}
	}
	for code, n := range inData {
		if !inSource[code] && !(n.Title == "" && strings.Contains(n.Note, "assente nella fonte")) {
			extra = append(extra, code)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("codes in the source but not in the dataset: %v\ncodes in the dataset but not in the source: %v", missing, extra)
	}
	// The summary table at the top lists the 49 processes (and each is in the dataset as a process).
	summary := text[:strings.Index(text, "Funzione Istituzionale ex DPR")]
	procRe := regexp.MustCompile(`(?:^|\s)([A-IZ]\d\.\d+(?: BIS)?)\*{0,2}\s`)
	var procs []string
	for _, mm := range procRe.FindAllStringSubmatch(summary, -1) {
		procs = append(procs, mm[1])
		if inData[mm[1]].Level != domain.LevelProcess {
			t.Errorf("summary process %s is not a process in the dataset", mm[1])
		}
	}
	if len(procs) != 49 {
		t.Fatalf("summary table lists %d processes: %v", len(procs), procs)
	}
}

// TestSeedMarkers checks that every node the source marks with "*" or "**" carries that marker as a field
// (not only in its note), and no other node does: 21 processes and 28 sub-processes (issue 17, map fidelity).
func TestSeedMarkers(t *testing.T) {
	raw, err := os.ReadFile("testdata/allegato1-piao-2026-2028.txt")
	if err != nil {
		t.Fatal(err)
	}
	marked := regexp.MustCompile(`(?:^|[^\w.])([A-IZ]\d(?:\.\d+){1,2}) ?(\*\*?)`)
	want := map[string]domain.Marker{}
	for _, mm := range marked.FindAllStringSubmatch(string(raw), -1) {
		if prev, ok := want[mm[1]]; ok && prev != domain.Marker(mm[2]) {
			t.Fatalf("%s is marked both %q and %q in the source", mm[1], prev, mm[2])
		}
		want[mm[1]] = domain.Marker(mm[2])
	}
	perLevel := map[domain.Level]int{}
	for _, n := range load(t).Nodes {
		if n.Marker != want[n.Code] {
			t.Errorf("%s (%s): marker %q, the source has %q", n.Code, n.Level, n.Marker, want[n.Code])
		}
		if n.Marker != domain.MarkerNone {
			perLevel[n.Level]++
			if strings.Contains(n.Note, "marcatore") {
				t.Errorf("%s still explains its marker in the note: %q", n.Code, n.Note)
			}
		}
	}
	if perLevel[domain.LevelProcess] != 21 || perLevel[domain.LevelSubprocess] != 28 || len(perLevel) != 2 {
		t.Fatalf("marked nodes per level %v, want 21 processes and 28 sub-processes", perLevel)
	}
}
