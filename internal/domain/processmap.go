package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Level is the depth of a node in the body's four-level process map.
type Level string

const (
	LevelMacro      Level = "macro"
	LevelProcess    Level = "process"
	LevelSubprocess Level = "subprocess"
	LevelAction     Level = "action"
)

// Levels lists the levels from the root down.
var Levels = []Level{LevelMacro, LevelProcess, LevelSubprocess, LevelAction}

// Depth is 1 for a macro-process, 4 for an action, 0 for an unknown level.
func (l Level) Depth() int {
	for i, v := range Levels {
		if v == l {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether l is one of the four levels.
func (l Level) Valid() bool { return l.Depth() > 0 }

// Marker flags services the DM 7 March 2019 names: "*" mandatory (annex 1), "**" priority promotion (annex 2).
type Marker string

const (
	MarkerNone      Marker = ""
	MarkerMandatory Marker = "*"
	MarkerPriority  Marker = "**"
)

// Valid reports whether m is a known marker.
func (m Marker) Valid() bool { return m == MarkerNone || m == MarkerMandatory || m == MarkerPriority }

// RefItem is a row of a reference table (organisational unit, strategic objective, risk area).
type RefItem struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// MapNode is one node of the process map, identified by its code within a cycle.
type MapNode struct {
	Level               Level    `json:"level"`
	Code                string   `json:"code"`
	ParentCode          string   `json:"parent_code,omitempty"`
	Title               string   `json:"title"`
	Function            string   `json:"function"`
	Units               []string `json:"units"`
	StrategicObjectives []string `json:"strategic_objectives"`
	RiskAreas           []string `json:"risk_areas"`
	Marker              Marker   `json:"marker"`
	Note                string   `json:"note"`
}

// ProcessMap is the whole map of one ente and cycle, with its reference tables, in depth-first order.
type ProcessMap struct {
	Units               []RefItem
	StrategicObjectives []RefItem
	RiskAreas           []RefItem
	Nodes               []MapNode
}

// ExtendsParent reports whether a child code starts with its parent's code, the map's naming rule
// (A1 > A1.1 > A1.1.1 > A1.1.1.1; B2.1 > B2.1 BIS is a sibling-like variant, so only prefixes matter).
func ExtendsParent(child, parent string) bool {
	return len(child) > len(parent) && strings.HasPrefix(child, parent)
}

// Leaves returns, for each node code, whether it has no children. The register attaches to leaves.
func (m *ProcessMap) Leaves() map[string]bool { return m.LeavesAt(GranularityLeaf) }

// Granularity is the level a cycle's campaign assesses: the map's leaves (the default), or its processes for
// bodies that map less finely (PNA 2019 All. 1 §3: the process is the minimum unit of analysis).
type Granularity string

const (
	GranularityLeaf    Granularity = "leaf"
	GranularityProcess Granularity = "process"
)

// Valid reports whether g is a known granularity.
func (g Granularity) Valid() bool { return g == GranularityLeaf || g == GranularityProcess }

// LeavesAt returns, for each node code, whether the register attaches to it at granularity g: this is the one
// place that decides what an assessable "leaf" is (the store keeps the answer in process_nodes.is_leaf). At
// leaf granularity a leaf is a node with no children. At process granularity a process is a leaf and the
// sub-processes and actions under it are not, while a macro-process with no process stays a leaf: every
// branch of the map still ends in exactly one assessable node, so the aggregation upwards is unchanged.
func (m *ProcessMap) LeavesAt(g Granularity) map[string]bool {
	leaf := make(map[string]bool, len(m.Nodes))
	for _, n := range m.Nodes {
		if _, seen := leaf[n.Code]; !seen {
			leaf[n.Code] = true
		}
		if n.ParentCode != "" {
			leaf[n.ParentCode] = false
		}
	}
	if g == GranularityProcess {
		for _, n := range m.Nodes {
			switch depth := n.Level.Depth(); {
			case depth == LevelProcess.Depth():
				leaf[n.Code] = true
			case depth > LevelProcess.Depth():
				leaf[n.Code] = false
			}
		}
	}
	return leaf
}

// Hash is a content hash of the map in canonical form: two maps with the same hash are the same map,
// which makes re-importing an unchanged file a no-op.
func (m *ProcessMap) Hash() string {
	h := sha256.New()
	writeRef := func(tag string, items []RefItem) {
		fmt.Fprintf(h, "%s %d\n", tag, len(items))
		for _, it := range items {
			fmt.Fprintf(h, "%q %q\n", it.Code, it.Title)
		}
	}
	writeRef("units", m.Units)
	writeRef("objectives", m.StrategicObjectives)
	writeRef("areas", m.RiskAreas)
	fmt.Fprintf(h, "nodes %d\n", len(m.Nodes))
	for _, n := range m.Nodes {
		fmt.Fprintf(h, "%q %q %q %q %q %q %q %q %q %q\n", n.Level, n.Code, n.ParentCode, n.Title, n.Function,
			strings.Join(n.Units, ";"), strings.Join(n.StrategicObjectives, ";"), strings.Join(n.RiskAreas, ";"),
			n.Marker, n.Note)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Counts summarises a map per level.
type Counts struct {
	Macro      int `json:"macro"`
	Process    int `json:"process"`
	Subprocess int `json:"subprocess"`
	Action     int `json:"action"`
	Leaves     int `json:"leaves"`
}

// Count returns the number of nodes per level and of leaves.
func (m *ProcessMap) Count() Counts {
	var c Counts
	for _, n := range m.Nodes {
		switch n.Level {
		case LevelMacro:
			c.Macro++
		case LevelProcess:
			c.Process++
		case LevelSubprocess:
			c.Subprocess++
		case LevelAction:
			c.Action++
		}
	}
	for _, isLeaf := range m.Leaves() {
		if isLeaf {
			c.Leaves++
		}
	}
	return c
}

var enteCodeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// ValidateEnteCode checks an ente's code: a lowercase slug used in URLs and commands.
func ValidateEnteCode(code string) error {
	if !enteCodeRe.MatchString(code) {
		return Invalid("ente_code_invalid", "ente code %q must be 2-63 lowercase letters, digits or dashes", code)
	}
	return nil
}

// Ente is an administration using Argine: every business row belongs to one.
type Ente struct {
	ID        string    `json:"-"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// CycleState is the lifecycle state of a cycle: open (assessment campaign) → consolidated → adopted (by the
// Giunta, frozen in a snapshot) → published.
type CycleState string

const (
	CycleOpen         CycleState = "open"
	CycleConsolidated CycleState = "consolidated"
	CycleAdopted      CycleState = "adopted"
	CyclePublished    CycleState = "published"
)

// Cycle is a PIAO/PTPCT triennium of one ente, e.g. 2026-2028.
type Cycle struct {
	ID            string     `json:"-"`
	EnteID        string     `json:"-"`
	Code          string     `json:"code"`
	StartYear     int        `json:"start_year"`
	EndYear       int        `json:"end_year"`
	State         CycleState `json:"state"`
	MapHash       string     `json:"map_hash"`
	MapImportedAt *time.Time `json:"map_imported_at"`
	Version       int        `json:"version"`
	// Adoption and publication, once they happened.
	DeliberationNumber string `json:"deliberation_number,omitempty"`
	DeliberationDate   string `json:"deliberation_date,omitempty"`
	PublishedURL       string `json:"published_url,omitempty"`
	PublishedOn        string `json:"published_on,omitempty"`
	SnapshotHash       string `json:"snapshot_hash,omitempty"`
	DerivedFrom        string `json:"derived_from,omitempty"` // the adopted cycle this one was rolled forward from
	// Granularity is the level the campaign assesses (see ProcessMap.LeavesAt); chosen before the first assessment.
	Granularity Granularity `json:"granularity"`
}

// A cycle code is the triennium, optionally with the number of an extraordinary revision: 2026-2028-r1.
var cycleCodeRe = regexp.MustCompile(`^(\d{4})-(\d{4})(-r[1-9][0-9]?)?$`)

// ParseCycleCode validates a triennium code such as "2026-2028" and returns its years.
func ParseCycleCode(code string) (start, end int, err error) {
	m := cycleCodeRe.FindStringSubmatch(code)
	if m == nil {
		return 0, 0, Invalid("cycle_code_invalid", "cycle code %q must look like 2026-2028", code)
	}
	start, _ = strconv.Atoi(m[1])
	end, _ = strconv.Atoi(m[2])
	if end != start+2 {
		return 0, 0, Invalid("cycle_code_invalid", "cycle %q must span three years (e.g. 2026-2028)", code)
	}
	return start, end, nil
}

// Node is a stored map node: the imported attributes plus what the tree derives.
type Node struct {
	MapNode
	ID       string `json:"-"`
	ParentID string `json:"-"`
	IsLeaf   bool   `json:"is_leaf"`
	Position int    `json:"-"`
	// Level is the worst inherent risk level assessed in the node's leaves (the node's own for a leaf):
	// computed on read, shown only to who may read the register.
	RiskLevel string `json:"risk_level,omitempty"`
}

// NodeFilter selects nodes of a cycle; empty fields do not filter.
type NodeFilter struct {
	Text      string // every word must appear in the code, title or note (case and accents ignored)
	Unit      string
	RiskArea  string
	Objective string
	Level     Level
	Marker    *Marker // nil: any; pointer to "" : unmarked only
	Leaf      *bool
	Page      int // 1-based
	PageSize  int
}

// MaxPageSize bounds any paginated list.
const MaxPageSize = 1000

// MaxPage bounds the page number, so page × page size can never overflow an OFFSET.
const MaxPage = 1_000_000

// Bounds of a free-text search. Every word becomes one LIKE condition over the whole map or register: a
// query of hundreds of words once held PostgreSQL for a minute. Nobody types more than a sentence.
const (
	MaxSearchRunes = 200
	MaxSearchWords = 12
)

// CheckSearchText validates the free-text search of the query parameter named field; nil when acceptable.
func CheckSearchText(field, text string) *FieldError {
	if utf8.RuneCountInString(text) > MaxSearchRunes {
		return &FieldError{Field: field, Code: "search_too_long",
			Message: fmt.Sprintf("%s must be at most %d characters", field, MaxSearchRunes)}
	}
	if len(strings.Fields(text)) > MaxSearchWords {
		return &FieldError{Field: field, Code: "search_too_many_words",
			Message: fmt.Sprintf("%s must have at most %d words", field, MaxSearchWords)}
	}
	return nil
}

// Normalize applies defaults and validates the filter.
func (f *NodeFilter) Normalize() error {
	var problems []FieldError
	if f.Page == 0 {
		f.Page = 1
	}
	if f.PageSize == 0 {
		f.PageSize = 50
	}
	if f.Page < 1 || f.Page > MaxPage {
		problems = append(problems, FieldError{Field: "page", Code: "out_of_range",
			Message: fmt.Sprintf("page must be between 1 and %d", MaxPage)})
	}
	if fe := CheckSearchText("q", f.Text); fe != nil {
		problems = append(problems, *fe)
	}
	if f.PageSize < 1 || f.PageSize > MaxPageSize {
		problems = append(problems, FieldError{Field: "page_size", Code: "out_of_range",
			Message: fmt.Sprintf("page_size must be between 1 and %d", MaxPageSize)})
	}
	if f.Level != "" && !f.Level.Valid() {
		problems = append(problems, FieldError{Field: "level", Code: "level_unknown",
			Message: "level must be macro, process, subprocess or action"})
	}
	if f.Marker != nil && !f.Marker.Valid() {
		problems = append(problems, FieldError{Field: "marker", Code: "marker_invalid", Message: "marker must be empty, * or **"})
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "filter_invalid", Problems: problems}
	}
	return nil
}

var foldReplacer = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ò", "o", "ó", "o", "ô", "o", "ö", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ç", "c", "ñ", "n", "’", "'", "‘", "'",
)

// FoldSearch lowercases and strips Italian accents so "attività" and "ATTIVITA" match alike on every database.
func FoldSearch(s string) string {
	return foldReplacer.Replace(strings.ToLower(s))
}

// SearchText is what text search matches against for a node.
func (n MapNode) SearchText() string {
	return FoldSearch(n.Code + " " + n.Title + " " + n.Note)
}
