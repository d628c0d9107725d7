package processmap

import (
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/argine-pa/argine/internal/domain"
)

// table is a decoded file or sheet before validation: its rows with their 1-based line numbers.
type table struct {
	name    string   // file or sheet name as shown to the user
	header  []string // as found
	rows    []row
	syntax  []csv.ParseError // CSV syntax errors (e.g. a stray quote); reading stops at the first
	present bool
	empty   bool
	colName func(i int) string // how to name column i (0-based) in messages
}

type row struct {
	line   int
	fields []string
}

// collector gathers problems up to MaxProblems.
type collector struct {
	problems  []domain.FieldError
	truncated bool
}

func (c *collector) add(file string, line int, column, code, format string, args ...any) {
	if len(c.problems) >= MaxProblems {
		c.truncated = true
		return
	}
	c.problems = append(c.problems, domain.FieldError{File: file, Line: line, Column: column, Code: code,
		Message: fmt.Sprintf(format, args...)})
}

func (c *collector) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &domain.ValidationError{Code: "processmap_invalid", Problems: c.problems, Truncated: c.truncated}
}

// checkShape verifies presence, emptiness, header, column counts and UTF-8 of a table.
// It returns false when the table cannot be read further.
func (c *collector) checkShape(t *table, want []string) bool {
	if !t.present {
		c.add(t.name, 0, "", "file_missing", "file or sheet is missing")
		return false
	}
	if t.empty {
		c.add(t.name, 1, "", "file_empty", "file is empty: expected the header row %q", strings.Join(want, ","))
		return false
	}
	if t.header == nil && len(t.syntax) > 0 {
		// Not read at all (an encoding that is not text): that one problem says what to do.
		se := t.syntax[0]
		c.add(t.name, se.Line, "", "csv_syntax", "CSV file not readable: %v", se.Err)
		return false
	}
	ok := true
	if len(t.header) != len(want) {
		c.add(t.name, 1, "", "header_invalid", "header has %d columns, expected %d: %s%s",
			len(t.header), len(want), strings.Join(want, ","), separatorHint(t.header))
		ok = false
	} else {
		for i, h := range t.header {
			if strings.TrimSpace(strings.ToLower(h)) != want[i] {
				c.add(t.name, 1, t.colName(i), "header_invalid", "header column %d is %q, expected %q", i+1, h, want[i])
				ok = false
			}
		}
	}
	if !ok {
		return false
	}
	for _, se := range t.syntax {
		col := ""
		if se.Column > 0 {
			col = fmt.Sprintf("character %d", se.Column)
		}
		c.add(t.name, se.Line, col, "csv_syntax", "CSV syntax error: %v; the rest of the file was not read", se.Err)
	}
	// A file saved in another encoding (Excel's plain "CSV" is Windows-1252) fails on every accented letter:
	// one problem for the file, naming the first place and the cure, instead of one per line.
	var badLines, firstLine int
	firstCol := ""
	for _, r := range t.rows {
		if len(r.fields) != len(want) {
			c.add(t.name, r.line, "", "column_count", "row has %d columns, expected %d", len(r.fields), len(want))
			continue
		}
		for i, f := range r.fields {
			if !utf8.ValidString(f) {
				if badLines == 0 {
					firstLine, firstCol = r.line, t.colName(i)
				}
				badLines++
				break
			}
		}
	}
	if badLines > 0 {
		c.add(t.name, firstLine, firstCol, "not_utf8", "the file is not UTF-8 (%d line(s) with text that is not, "+
			"this the first): it was probably saved as Latin-1 / Windows-1252, as Excel's plain \"CSV\" does; "+
			"save it again choosing \"CSV UTF-8 (delimitato da virgole)\"", badLines)
	}
	return true
}

// separatorHint explains a header read as a single column: Excel in Italian saves "CSV" with semicolons, and
// other tools with tabs, where Argine reads commas.
func separatorHint(header []string) string {
	if len(header) != 1 {
		return ""
	}
	switch {
	case strings.Contains(header[0], ";"):
		return "; the file seems separated by semicolons (as Excel in Italian saves CSV): save it again choosing " +
			"\"CSV UTF-8 (delimitato da virgole)\", so that the columns are separated by commas"
	case strings.Contains(header[0], "\t"):
		return "; the file seems separated by tabs: save it as CSV, with the columns separated by commas"
	}
	return ""
}

func usable(r row, width int) bool {
	if len(r.fields) != width {
		return false
	}
	for _, f := range r.fields {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

func validCode(code string) bool {
	return code != "" && !strings.ContainsAny(code, listSep+"\n\r\t")
}

func (c *collector) readRefs(t *table) ([]domain.RefItem, map[string]bool) {
	known := map[string]bool{}
	if !c.checkShape(t, RefColumns) {
		return nil, known
	}
	items := []domain.RefItem{}
	firstLine := map[string]int{}
	for _, r := range t.rows {
		if !usable(r, len(RefColumns)) {
			continue
		}
		code, title := strings.TrimSpace(r.fields[0]), strings.TrimSpace(r.fields[1])
		switch {
		case !validCode(code):
			c.add(t.name, r.line, t.colName(0), "code_invalid", "code is empty or contains ';'")
			continue
		case firstLine[code] > 0:
			c.add(t.name, r.line, t.colName(0), "duplicate_code", "duplicate code %q (first at line %d)", code, firstLine[code])
			continue
		}
		firstLine[code] = r.line
		known[code] = true
		items = append(items, domain.RefItem{Code: code, Title: title})
	}
	return items, known
}

// decode validates the four tables and builds the map; it returns every problem found.
func decode(mapT, unitsT, objT, areasT *table) (*domain.ProcessMap, error) {
	var c collector
	m := &domain.ProcessMap{}
	var knownUnits, knownObj, knownAreas map[string]bool
	m.Units, knownUnits = c.readRefs(unitsT)
	m.StrategicObjectives, knownObj = c.readRefs(objT)
	m.RiskAreas, knownAreas = c.readRefs(areasT)

	if !c.checkShape(mapT, MapColumns) {
		return nil, c.err()
	}
	col := mapT.colName
	type parsed struct {
		node domain.MapNode
		line int
	}
	var nodes []parsed
	byCode := map[string]int{} // code -> index in nodes
	for _, r := range mapT.rows {
		if !usable(r, len(MapColumns)) {
			continue
		}
		f := make([]string, len(r.fields))
		for i := range r.fields {
			f[i] = strings.TrimSpace(r.fields[i])
		}
		n := domain.MapNode{
			Level: domain.Level(f[0]), Code: f[1], ParentCode: f[2], Title: f[3], Function: f[4],
			Units: splitList(f[5]), StrategicObjectives: splitList(f[6]), RiskAreas: splitList(f[7]),
			Marker: domain.Marker(f[8]), Note: f[9],
		}
		bad := false
		if !n.Level.Valid() {
			c.add(mapT.name, r.line, col(0), "level_unknown", "unknown level %q (expected macro, process, subprocess or action)", f[0])
			bad = true
		}
		if !validCode(n.Code) {
			c.add(mapT.name, r.line, col(1), "code_invalid", "code is empty or contains ';'")
			bad = true
		} else if i, dup := byCode[n.Code]; dup {
			c.add(mapT.name, r.line, col(1), "duplicate_code", "duplicate code %q (first at line %d)", n.Code, nodes[i].line)
			bad = true
		}
		if !n.Marker.Valid() {
			c.add(mapT.name, r.line, col(8), "marker_invalid", "unknown marker %q (expected empty, * or **)", f[8])
		}
		c.checkList(mapT.name, r.line, col(5), "unit", n.Units, knownUnits)
		c.checkList(mapT.name, r.line, col(6), "strategic objective", n.StrategicObjectives, knownObj)
		c.checkList(mapT.name, r.line, col(7), "risk area", n.RiskAreas, knownAreas)
		if bad {
			continue
		}
		byCode[n.Code] = len(nodes)
		nodes = append(nodes, parsed{node: n, line: r.line})
	}

	// Parent checks need every code, so they run once all rows are known.
	hasChild := map[string]bool{}
	for _, p := range nodes {
		n := p.node
		if n.Level == domain.LevelMacro {
			if n.ParentCode != "" {
				c.add(mapT.name, p.line, col(2), "parent_unexpected", "a macro-process has no parent, found %q", n.ParentCode)
			}
			continue
		}
		if n.ParentCode == "" {
			c.add(mapT.name, p.line, col(2), "parent_missing", "a %s needs a parent_code", n.Level)
			continue
		}
		pi, ok := byCode[n.ParentCode]
		if !ok {
			c.add(mapT.name, p.line, col(2), "parent_unknown", "unknown parent %q", n.ParentCode)
			continue
		}
		hasChild[n.ParentCode] = true
		parent := nodes[pi].node
		if parent.Level.Depth() != n.Level.Depth()-1 {
			c.add(mapT.name, p.line, col(2), "parent_level", "the parent of a %s must be a %s, but %q is a %s",
				n.Level, domain.Levels[n.Level.Depth()-2], parent.Code, parent.Level)
		}
		if !domain.ExtendsParent(n.Code, n.ParentCode) {
			c.add(mapT.name, p.line, col(1), "code_not_extending_parent", "code %q does not extend its parent's code %q", n.Code, n.ParentCode)
		}
	}
	for _, p := range nodes {
		if !hasChild[p.node.Code] && len(p.node.Units) == 0 {
			c.add(mapT.name, p.line, col(5), "leaf_without_unit", "%q is a leaf and needs at least one responsible unit", p.node.Code)
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	m.Nodes = make([]domain.MapNode, len(nodes))
	for i, p := range nodes {
		m.Nodes[i] = p.node
	}
	return m, nil
}

func (c *collector) checkList(file string, line int, column, what string, codes []string, known map[string]bool) {
	seen := map[string]bool{}
	for _, code := range codes {
		switch {
		case code == "":
			c.add(file, line, column, "list_invalid", "empty %s code in list (use ';' only between codes)", what)
		case seen[code]:
			c.add(file, line, column, "list_duplicate", "%s %q listed twice", what, code)
		case !known[code]:
			c.add(file, line, column, "reference_unknown", "unknown %s %q", what, code)
		}
		seen[code] = true
	}
}
