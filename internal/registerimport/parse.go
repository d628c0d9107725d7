package registerimport

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

// MapLeaf is a node of the cycle's map, as the import needs it.
type MapLeaf struct {
	Code, Title string
	IsLeaf      bool
}

// Input is what a parse checks the file against.
type Input struct {
	Profile domain.Profile
	Refs    domain.AssessmentRefs
	Nodes   []MapLeaf
	// Mapping overrides, per layout column key, the header that column has in the file.
	Mapping map[string]string
	// Confirmed are the codes of the leaves whose title mismatch the user confirmed.
	Confirmed map[string]bool
}

// LeafPlan is what the import would do to one leaf.
type LeafPlan struct {
	Code       string  `json:"code"`
	FileTitle  string  `json:"file_title"`
	MapTitle   string  `json:"map_title"`
	Similarity float64 `json:"title_similarity"`
	// NeedsConfirmation: the titles differ beyond TitleThreshold; the leaf is attached only when confirmed.
	NeedsConfirmation bool `json:"needs_confirmation"`
	Confirmed         bool `json:"confirmed"`
	FirstRow          int  `json:"first_row"`
	Rows              int  `json:"rows"`
	Risks             int  `json:"risks"`
	Measures          int  `json:"measures"`
	// Action is create, update, unchanged or skipped (set by the service); Reason says why a leaf is skipped.
	Action     string             `json:"action"`
	Reason     string             `json:"reason,omitempty"`
	Assessment *domain.Assessment `json:"-"`
	// Links are the measures of other leaves this leaf's risks refer to ("A1.1.1.2#M1" in the measure key
	// column): each becomes a link to that measure, never a copy.
	Links []MeasureLink `json:"links,omitempty"`
}

// MeasureLink is a row of the file that refers to another leaf's measure: Ref is "<owner code>#M<n>", the
// placeholder the leaf's risks carry until the owner's measure is known by id (Service resolves it after the
// owner is saved). Text is the preview in words.
type MeasureLink struct {
	Ref    string `json:"ref"`
	Owner  string `json:"owner"`
	Key    string `json:"key"`
	Title  string `json:"title,omitempty"`
	Text   string `json:"text"`
	InFile bool   `json:"in_file"` // the owner's measure is in the file; otherwise it must already be stored
	Sheet  string `json:"-"`
	Line   int    `json:"row"`
	Column string `json:"-"`
}

// LinkRef matches a measure key that refers to another leaf's measure: the owner's code, "#", its key.
var LinkRef = regexp.MustCompile(`^(.+)#[Mm](\d+)$`)

// ColumnMatch tells which file column a layout column was read from.
type ColumnMatch struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Column string `json:"column,omitempty"` // letter in the file; empty: not found
	Header string `json:"header,omitempty"`
}

// Result is the outcome of reading a file: the leaves, the columns matched and every problem.
type Result struct {
	Format    string              `json:"format"`
	Detected  string              `json:"detected,omitempty"` // CSV: separator and encoding found
	Sheet     string              `json:"sheet"`
	HeaderRow int                 `json:"header_row"`
	Columns   []ColumnMatch       `json:"columns"`
	Ignored   []string            `json:"ignored_columns"` // headers of the file no layout column reads
	Leaves    []*LeafPlan         `json:"leaves"`
	Problems  []domain.FieldError `json:"problems"`
	// Unknown are the rows whose code is not in the map, with the closest titles.
	Unknown []UnknownCode `json:"unknown_codes"`
	// ProblemLeaves are the codes of the leaves some problem concerns: they are not written.
	ProblemLeaves map[string]bool `json:"-"`
}

// UnknownCode is a code of the file the map does not have, with the three closest leaves by title.
type UnknownCode struct {
	Row         int          `json:"row"`
	Code        string       `json:"code"`
	Title       string       `json:"title"`
	Suggestions []Suggestion `json:"suggestions"`
}

// maxProblems caps the problems one parse reports.
const maxProblems = 1000

type parser struct {
	in      Input
	res     *Result
	sheet   string
	cols    []export.Column
	index   map[string]int // key -> column index
	headers []string
	byCode  map[string]MapLeaf
	leaves  []Suggestion
	levels  map[string]string     // normalised label or code -> level code
	leaf    string                // the code of the leaf of the row being read
	refs    domain.AssessmentRefs // Input.Refs with the file's links to other leaves' measures
}

func (p *parser) problem(line int, key, code, format string, args ...any) {
	if p.leaf != "" {
		p.res.ProblemLeaves[p.leaf] = true
	}
	if len(p.res.Problems) >= maxProblems {
		return
	}
	col := p.columnOf(key)
	p.res.Problems = append(p.res.Problems, domain.FieldError{File: p.sheet, Line: line, Column: col, Field: key, Code: code,
		Message: fmt.Sprintf(format, args...)})
}

// columnOf names a layout column as the file has it: letter and header ("" when the file lacks it).
func (p *parser) columnOf(key string) string {
	if i, ok := p.index[key]; ok {
		name, _ := excelize.ColumnNumberToName(i + 1)
		return name + " (" + p.headers[i] + ")"
	}
	return ""
}

// Parse reads the register rows of wb against the map, the methodology and the catalogues.
func Parse(wb *Workbook, in Input) *Result {
	p := &parser{in: in, res: &Result{Format: wb.Format, Columns: []ColumnMatch{}, Ignored: []string{}, Leaves: []*LeafPlan{},
		Problems: []domain.FieldError{}, Unknown: []UnknownCode{}, ProblemLeaves: map[string]bool{}}, cols: export.RegisterLayout(in.Profile),
		byCode: map[string]MapLeaf{}, levels: map[string]string{}}
	if wb.CSV != nil {
		p.res.Detected = wb.CSV.String()
	}
	for _, n := range in.Nodes {
		p.byCode[n.Code] = n
		if n.IsLeaf {
			p.leaves = append(p.leaves, Suggestion{Code: n.Code, Title: n.Title})
		}
	}
	for _, l := range in.Profile.RiskLevels {
		p.levels[Normalize(l.Code)], p.levels[Normalize(l.Label)] = l.Code, l.Code
	}
	sh, header := p.findHeader(wb)
	if sh == nil {
		return p.res
	}
	p.parseRows(sh, header)
	return p.res
}

// findHeader picks the sheet and its header row: the consolidated register sheet when there is one, else
// the first sheet with a row naming the code column; the header is the row, among the first ten, that
// names the most layout columns.
func (p *parser) findHeader(wb *Workbook) (*Sheet, int) {
	want := map[string]string{} // normalised header -> key
	for _, c := range p.cols {
		want[Normalize(c.Header)], want[Normalize(c.Key)] = c.Key, c.Key
	}
	for key, h := range p.in.Mapping {
		if strings.TrimSpace(h) != "" {
			want[Normalize(h)] = key
		}
	}
	order := make([]int, 0, len(wb.Sheets))
	for i, s := range wb.Sheets {
		if s.Name == export.RegisterSheet {
			order = append([]int{i}, order...)
		} else {
			order = append(order, i)
		}
	}
	for _, si := range order {
		sh := &wb.Sheets[si]
		best, bestN := -1, 0
		for r := 0; r < len(sh.Rows) && r < 10; r++ {
			n, hasCode := 0, false
			for _, h := range sh.Rows[r].Cells {
				if k, ok := want[Normalize(h)]; ok {
					n++
					hasCode = hasCode || k == export.ColCode
				}
			}
			if hasCode && n > bestN {
				best, bestN = r, n
			}
		}
		if best < 0 {
			continue
		}
		p.sheet, p.res.Sheet, p.res.HeaderRow = sh.Name, sh.Name, sh.Rows[best].Line
		p.headers = sh.Rows[best].Cells
		p.index = map[string]int{}
		for i, h := range p.headers {
			k, ok := want[Normalize(h)]
			if !ok {
				if strings.TrimSpace(h) != "" {
					p.res.Ignored = append(p.res.Ignored, h)
				}
				continue
			}
			if _, dup := p.index[k]; dup {
				p.index[k] = i // report at the second one
				p.problem(sh.Rows[best].Line, k, "column_duplicate", "two columns of the file are read as %q: keep one, or map them", k)
				continue
			}
			p.index[k] = i
		}
		for _, c := range p.cols {
			if !c.Import {
				continue // computed, or the map's: nothing to map
			}
			m := ColumnMatch{Key: c.Key, Label: c.Header}
			if i, ok := p.index[c.Key]; ok {
				m.Column, _ = excelize.ColumnNumberToName(i + 1)
				m.Header = p.headers[i]
			}
			p.res.Columns = append(p.res.Columns, m)
		}
		return sh, best
	}
	p.problem(0, "", "header_not_found", "no sheet has a header row with the column %q (Codice) in its first ten rows: "+
		"use the template registro-modello.xlsx or map the file's columns", export.ColCode)
	return nil, 0
}

type riskAcc struct {
	no       int
	risk     domain.RiskEntry
	sig      []string
	firstRow int
	measures []string
}

type measureAcc struct {
	key      string
	m        domain.Measure
	sig      []string
	firstRow int
	order    int
}

type leafAcc struct {
	plan     *LeafPlan
	risks    map[string]*riskAcc
	riskSeq  []*riskAcc
	measures map[string]*measureAcc
	measSeq  []*measureAcc
}

var riskKeys = []string{export.ColEventCode, export.ColEvent, export.ColContext, export.ColFactors, export.ColReason,
	export.ColLikelihoodManual, export.ColImpactManual, export.ColManualReason, export.ColOverrideLevel, export.ColOverrideReason,
	export.ColDecision, export.ColPriority, export.ColResidualReason}

var measureKeys = []string{export.ColNature, export.ColGeneralCode, export.ColMeasureType, export.ColMeasure, export.ColDescription,
	export.ColMeasureUnit, export.ColOwner, export.ColStart, export.ColEnd, export.ColMeasureStatus, export.ColPhases,
	export.ColIndicators, export.ColObjective, export.ColCostNote, export.ColMeasureFactors}

func (p *parser) cell(r Row, key string) string {
	i, ok := p.index[key]
	if !ok || i >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

func (p *parser) indicatorKeys(residual bool) []string {
	var out []string
	prefix := ""
	if residual {
		prefix = export.ResidualPrefix
	}
	for _, ind := range append(append([]domain.Indicator{}, p.in.Profile.LikelihoodIndicators...), p.in.Profile.ImpactIndicators...) {
		out = append(out, prefix+export.IndicatorValueKey(ind.Code), prefix+export.IndicatorReasonKey(ind.Code))
	}
	return out
}

func (p *parser) sig(r Row, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = p.cell(r, k)
	}
	return out
}

func nonEmpty(sig []string) bool {
	return slices.ContainsFunc(sig, func(s string) bool { return s != "" })
}

func (p *parser) parseRows(sh *Sheet, header int) {
	leaves := map[string]*leafAcc{}
	var order []*leafAcc
	allRiskKeys := append(append(slices.Clone(riskKeys), p.indicatorKeys(false)...), p.indicatorKeys(true)...)
	for _, r := range sh.Rows[header+1:] {
		p.leaf = ""
		if !slices.ContainsFunc(r.Cells, func(s string) bool { return strings.TrimSpace(s) != "" }) {
			continue
		}
		if strings.HasPrefix(p.cell(r, export.ColMeasureStatus), export.WithdrawnPrefix) {
			continue // a withdrawn measure: history, not something to import
		}
		code := p.cell(r, export.ColCode)
		title := p.cell(r, export.ColTitle)
		if code == "" {
			p.problem(r.Line, export.ColCode, "code_missing", "the row has no action code")
			continue
		}
		node, known := p.byCode[code]
		if !known {
			u := UnknownCode{Row: r.Line, Code: code, Title: title, Suggestions: Closest(title, p.leaves, 3)}
			p.res.Unknown = append(p.res.Unknown, u)
			var names []string
			for _, s := range u.Suggestions {
				names = append(names, fmt.Sprintf("%s %q (%.0f%%)", s.Code, s.Title, s.Similarity*100))
			}
			p.problem(r.Line, export.ColCode, "action_unknown", "no action %s in the cycle's map; closest titles: %s", code, strings.Join(names, "; "))
			continue
		}
		if !node.IsLeaf {
			p.problem(r.Line, export.ColCode, "node_not_leaf", "%s has sub-nodes: assessments attach to the leaves of the map", code)
			continue
		}
		la := leaves[code]
		if la == nil {
			plan := &LeafPlan{Code: code, FileTitle: title, MapTitle: node.Title, FirstRow: r.Line, Similarity: 1}
			if title != "" {
				plan.Similarity = round2(Similarity(title, node.Title))
			}
			plan.NeedsConfirmation = plan.Similarity < TitleThreshold
			plan.Confirmed = plan.NeedsConfirmation && p.in.Confirmed[code]
			la = &leafAcc{plan: plan, risks: map[string]*riskAcc{}, measures: map[string]*measureAcc{}}
			leaves[code] = la
			order = append(order, la)
		} else if title != "" && la.plan.FileTitle != "" && Normalize(title) != Normalize(la.plan.FileTitle) {
			p.problem(r.Line, export.ColTitle, "title_inconsistent", "the rows of %s give two different titles: %q and %q", code, la.plan.FileTitle, title)
		}
		la.plan.Rows++
		p.leaf = code
		// The risk of the row.
		var ra *riskAcc
		rsig := p.sig(r, allRiskKeys)
		noText := p.cell(r, export.ColRiskNo)
		if noText != "" || nonEmpty(rsig) {
			key := ""
			no := 0
			if noText != "" {
				n, ok := parseInt(noText)
				if !ok || n < 1 {
					p.problem(r.Line, export.ColRiskNo, "risk_number_invalid", "the risk number must be a whole number from 1 (found %q)", noText)
					continue
				}
				no, key = n, "#"+strconv.Itoa(n)
			} else {
				key = "event:" + Normalize(p.cell(r, export.ColEventCode)) + "|" + Normalize(p.cell(r, export.ColEvent))
			}
			ra = la.risks[key]
			if ra == nil {
				ra = &riskAcc{no: no, sig: rsig, firstRow: r.Line}
				ra.risk = p.parseRisk(r)
				la.risks[key] = ra
				la.riskSeq = append(la.riskSeq, ra)
			} else if nonEmpty(rsig) && !slices.Equal(rsig, ra.sig) {
				i := slices.IndexFunc(rsig, func(s string) bool { return true })
				for j := range rsig {
					if rsig[j] != ra.sig[j] {
						i = j
						break
					}
				}
				p.problem(r.Line, allRiskKeys[i], "risk_inconsistent", "risk %s of %s is given with a different value here than on row %d: "+
					"the risk's columns must repeat the same on each of its measures' rows", strings.TrimPrefix(key, "#"), code, ra.firstRow)
			}
		}
		// The measure of the row.
		msig := p.sig(r, measureKeys)
		mkey := p.cell(r, export.ColMeasureKey)
		if mkey == "" && nonEmpty(msig) {
			mkey = "title:" + Normalize(p.cell(r, export.ColMeasure))
			if p.cell(r, export.ColMeasure) == "" {
				mkey = "row:" + strconv.Itoa(r.Line)
			}
		}
		if m := LinkRef.FindStringSubmatch(mkey); m != nil {
			// Another leaf's measure treating this row's risk: a link, resolved once every row is read.
			ref := m[1] + "#M" + strings.TrimLeft(m[2], "0")
			owner, ok := p.byCode[m[1]]
			switch {
			case ra == nil:
				p.problem(r.Line, export.ColMeasureKey, "linked_measure_without_risk", "%s refers to a measure of %s but the row has no risk for it to treat", mkey, m[1])
			case !ok || !owner.IsLeaf || m[1] == code:
				p.problem(r.Line, export.ColMeasureKey, "linked_measure_unknown", "%s: no action %s in the cycle's map has measures to link", mkey, m[1])
			default:
				if !slices.Contains(ra.measures, ref) {
					ra.measures = append(ra.measures, ref)
					title := p.cell(r, export.ColMeasure)
					text := "collegamento alla misura M" + strings.TrimLeft(m[2], "0")
					if title != "" {
						text += " «" + title + "»"
					}
					la.plan.Links = append(la.plan.Links, MeasureLink{Ref: ref, Owner: m[1], Key: "M" + strings.TrimLeft(m[2], "0"), Title: title,
						Text: text + " di " + m[1], Sheet: p.sheet, Line: r.Line, Column: p.columnOf(export.ColMeasureKey)})
				}
			}
			continue
		}
		if mkey != "" {
			ma := la.measures[mkey]
			if ma == nil {
				ma = &measureAcc{key: mkey, sig: msig, firstRow: r.Line, order: len(la.measSeq)}
				ma.m = p.parseMeasure(r, mkey)
				la.measures[mkey] = ma
				la.measSeq = append(la.measSeq, ma)
			} else if nonEmpty(msig) && !slices.Equal(msig, ma.sig) {
				i := 0
				for j := range msig {
					if msig[j] != ma.sig[j] {
						i = j
						break
					}
				}
				p.problem(r.Line, measureKeys[i], "measure_inconsistent", "measure %s of %s is given with a different value here than on row %d",
					mkey, code, ma.firstRow)
			}
			if ra != nil && !slices.Contains(ra.measures, mkey) {
				ra.measures = append(ra.measures, mkey)
			}
		}
	}
	p.leaf = ""
	// Links to a measure of a leaf in the file must name one of its keys; the others must be stored (the
	// service checks them). Evaluate accepts the references as measures of the cycle.
	refs := p.in.Refs
	refs.CycleMeasures = map[string]bool{}
	for id := range p.in.Refs.CycleMeasures {
		refs.CycleMeasures[id] = true
	}
	for _, la := range order {
		for i := range la.plan.Links {
			l := &la.plan.Links[i]
			refs.CycleMeasures[l.Ref] = true
			owner := leaves[l.Owner]
			if owner == nil {
				continue
			}
			l.InFile = true
			if owner.measures[l.Key] == nil && owner.measures[strings.ToLower(l.Key)] == nil {
				p.leaf = la.plan.Code
				p.problem(l.Line, export.ColMeasureKey, "linked_measure_unknown", "%s: the rows of %s have no measure %s", l.Ref, l.Owner, l.Key)
			}
		}
	}
	p.leaf = ""
	p.refs = refs
	for _, la := range order {
		p.res.Leaves = append(p.res.Leaves, la.plan)
		p.build(la)
	}
}

var measureNo = regexp.MustCompile(`^[Mm](\d+)$`)

// build assembles a leaf's assessment: risks by number (or in order of appearance), measures by key M1, M2,
// ... (or in order of appearance), and evaluates it against the methodology and the catalogues.
func (p *parser) build(la *leafAcc) {
	sort.SliceStable(la.riskSeq, func(i, j int) bool {
		a, b := la.riskSeq[i].no, la.riskSeq[j].no
		return a != 0 && b != 0 && a < b
	})
	numbered := !slices.ContainsFunc(la.measSeq, func(m *measureAcc) bool { return !measureNo.MatchString(m.key) })
	if numbered {
		sort.SliceStable(la.measSeq, func(i, j int) bool {
			a, _ := strconv.Atoi(measureNo.FindStringSubmatch(la.measSeq[i].key)[1])
			b, _ := strconv.Atoi(measureNo.FindStringSubmatch(la.measSeq[j].key)[1])
			return a < b
		})
	}
	a := &domain.Assessment{Risks: []domain.RiskEntry{}, Measures: []domain.Measure{}, Withdrawn: []domain.Measure{}}
	for _, ra := range la.riskSeq {
		ra.risk.Measures = ra.measures
		if ra.risk.Measures == nil {
			ra.risk.Measures = []string{}
		}
		a.Risks = append(a.Risks, ra.risk)
	}
	for _, ma := range la.measSeq {
		a.Measures = append(a.Measures, ma.m)
	}
	la.plan.Risks, la.plan.Measures = len(a.Risks), len(a.Measures)
	if err := a.Evaluate(p.in.Profile, p.refs); err != nil {
		p.res.ProblemLeaves[la.plan.Code] = true
		if ve, ok := err.(*domain.ValidationError); ok {
			for _, fe := range ve.Problems {
				line := la.plan.FirstRow
				p.res.Problems = append(p.res.Problems, domain.FieldError{File: p.sheet, Line: line, Field: la.plan.Code + ": " + fe.Field,
					Code: fe.Code, Message: fe.Message})
			}
		}
		return
	}
	la.plan.Assessment = a
}

func parseInt(s string) (int, bool) {
	f, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, false
	}
	return int(f), true
}

// ParseDate reads a date as a spreadsheet writes it: a serial number (XLSX), YYYY-MM-DD (ODS, ISO), or the
// Italian dd/mm/yyyy (also with - or .); it returns YYYY-MM-DD.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10] // an ISO date-time (XLSX t="d", ODS): the date
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 1 || f > 2958465 {
			return "", false
		}
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return "", false
		}
		return t.Format("2006-01-02"), true
	}
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006", "02/01/06"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

func (p *parser) indicatorValues(r Row, residual bool) ([]domain.IndicatorValue, bool) {
	prefix := ""
	if residual {
		prefix = export.ResidualPrefix
	}
	var out []domain.IndicatorValue
	any := false
	for _, ind := range append(append([]domain.Indicator{}, p.in.Profile.LikelihoodIndicators...), p.in.Profile.ImpactIndicators...) {
		vk, rk := prefix+export.IndicatorValueKey(ind.Code), prefix+export.IndicatorReasonKey(ind.Code)
		vt, reason := p.cell(r, vk), p.cell(r, rk)
		if vt == "" && reason == "" {
			continue
		}
		any = true
		if vt == "" {
			p.problem(r.Line, vk, "indicator_value_missing", "indicator %s has a reason but no value", ind.Code)
			continue
		}
		v, ok := parseInt(vt)
		if !ok {
			p.problem(r.Line, vk, "value_not_number", "indicator %s: %q is not a whole number", ind.Code, vt)
			continue
		}
		if !slices.ContainsFunc(ind.Levels, func(l domain.ScaleLevel) bool { return l.Value == v }) {
			var allowed []string
			for _, l := range ind.Levels {
				allowed = append(allowed, strconv.Itoa(l.Value))
			}
			p.problem(r.Line, vk, "value_not_on_scale", "indicator %s: %d is not on its scale (%s)", ind.Code, v, strings.Join(allowed, ", "))
			continue
		}
		out = append(out, domain.IndicatorValue{Code: ind.Code, Value: v, Reason: reason})
	}
	if out == nil {
		out = []domain.IndicatorValue{}
	}
	return out, any
}

func (p *parser) scaleValue(r Row, key string, scale []domain.ScaleLevel) *int {
	t := p.cell(r, key)
	if t == "" {
		return nil
	}
	v, ok := parseInt(t)
	if !ok {
		p.problem(r.Line, key, "value_not_number", "%q is not a whole number", t)
		return nil
	}
	if !slices.ContainsFunc(scale, func(l domain.ScaleLevel) bool { return l.Value == v }) {
		p.problem(r.Line, key, "value_not_on_scale", "%d is not on the scale", v)
		return nil
	}
	return &v
}

func (p *parser) parseRisk(r Row) domain.RiskEntry {
	k := domain.RiskEntry{EventCode: p.cell(r, export.ColEventCode), EventDescription: p.cell(r, export.ColEvent),
		Context: p.cell(r, export.ColContext), EnablingFactors: []string{}, Measures: []string{}}
	if k.EventCode != "" && p.in.Refs.Events != nil {
		if _, ok := p.in.Refs.Events[k.EventCode]; !ok {
			p.problem(r.Line, export.ColEventCode, "event_unknown", "no risk event %s in the catalogue", k.EventCode)
			k.EventCode = ""
		}
	}
	for _, f := range splitList(p.cell(r, export.ColFactors)) {
		if !p.in.Refs.EnablingFactors[f] {
			p.problem(r.Line, export.ColFactors, "enabling_factor_unknown", "no enabling factor %s in the catalogue", f)
			continue
		}
		k.EnablingFactors = append(k.EnablingFactors, f)
	}
	k.Inherent.Values, _ = p.indicatorValues(r, false)
	k.Inherent.Reason = p.cell(r, export.ColReason)
	k.Inherent.LikelihoodManual = p.scaleValue(r, export.ColLikelihoodManual, p.in.Profile.LikelihoodScale)
	k.Inherent.ImpactManual = p.scaleValue(r, export.ColImpactManual, p.in.Profile.ImpactScale)
	k.Inherent.ManualReason = p.cell(r, export.ColManualReason)
	if lv, reason := p.cell(r, export.ColOverrideLevel), p.cell(r, export.ColOverrideReason); lv != "" || reason != "" {
		code, ok := p.levels[Normalize(lv)]
		if lv != "" && !ok {
			p.problem(r.Line, export.ColOverrideLevel, "level_unknown", "%q is not a risk level of the methodology", lv)
		}
		k.Inherent.Override = &domain.Override{Level: code, Reason: reason}
	}
	if d := p.cell(r, export.ColDecision); d != "" {
		k.Decision = decisionOf(d)
		if k.Decision == "" {
			p.problem(r.Line, export.ColDecision, "decision_unknown", "%q is not a ponderazione: Trattare con nuove misure, "+
				"Mantenere le misure esistenti or Approfondire l'analisi", d)
		}
	}
	if pr := p.cell(r, export.ColPriority); pr != "" {
		n, ok := parseInt(pr)
		if !ok || n < 0 {
			p.problem(r.Line, export.ColPriority, "priority_invalid", "the priority must be a whole number from 1 (found %q)", pr)
		} else {
			k.Priority = n
		}
	}
	values, any := p.indicatorValues(r, true)
	if reason := p.cell(r, export.ColResidualReason); any || reason != "" {
		k.Residual = &domain.Judgement{Values: values, Reason: reason}
	}
	return k
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func decisionOf(s string) domain.Decision {
	n := Normalize(s)
	for d, label := range export.DecisionLabels {
		if n == Normalize(string(d)) || n == Normalize(label) {
			return d
		}
	}
	return ""
}

func (p *parser) parseMeasure(r Row, key string) domain.Measure {
	m := domain.Measure{Key: key, GeneralCode: p.cell(r, export.ColGeneralCode), Type: p.cell(r, export.ColMeasureType),
		Title: p.cell(r, export.ColMeasure), Description: p.cell(r, export.ColDescription), Unit: p.cell(r, export.ColMeasureUnit),
		Owner: p.cell(r, export.ColOwner), StrategicObjective: p.cell(r, export.ColObjective), CostNote: p.cell(r, export.ColCostNote), Phases: []domain.Phase{},
		Indicators: []domain.MeasureIndicator{}, Status: domain.MeasureNew, EnablingFactors: []string{}}
	for _, f := range splitList(p.cell(r, export.ColMeasureFactors)) {
		if !p.in.Refs.EnablingFactors[f] {
			p.problem(r.Line, export.ColMeasureFactors, "enabling_factor_unknown", "no enabling factor %s in the catalogue", f)
			continue
		}
		m.EnablingFactors = append(m.EnablingFactors, f)
	}
	switch n := Normalize(p.cell(r, export.ColNature)); n {
	case "":
		m.Nature = "specific"
		if m.GeneralCode != "" {
			m.Nature = "general"
		}
	case "generale", "general", "g":
		m.Nature = "general"
	case "specifica", "specific", "s":
		m.Nature = "specific"
	default:
		p.problem(r.Line, export.ColNature, "nature_unknown", "%q is not a nature of measure: Generale or Specifica", p.cell(r, export.ColNature))
		m.Nature = "specific"
	}
	if m.GeneralCode != "" && !p.in.Refs.GeneralMeasures[m.GeneralCode] {
		p.problem(r.Line, export.ColGeneralCode, "general_measure_unknown", "no general measure %s in the catalogue", m.GeneralCode)
		m.GeneralCode = ""
	}
	if m.Type != "" && !p.in.Refs.MeasureTypes[m.Type] {
		p.problem(r.Line, export.ColMeasureType, "measure_type_unknown", "no measure type %s in the catalogue", m.Type)
		m.Type = ""
	}
	if m.Unit != "" && !p.in.Refs.Units[m.Unit] {
		p.problem(r.Line, export.ColMeasureUnit, "unit_unknown", "no organisational unit %s in the cycle's map", m.Unit)
		m.Unit = ""
	}
	if m.StrategicObjective != "" && !p.in.Refs.Objectives[m.StrategicObjective] {
		p.problem(r.Line, export.ColObjective, "objective_unknown", "no strategic objective %s in the cycle's map", m.StrategicObjective)
		m.StrategicObjective = ""
	}
	for _, d := range []struct {
		key string
		dst *string
	}{{export.ColStart, &m.Start}, {export.ColEnd, &m.End}} {
		if t := p.cell(r, d.key); t != "" {
			if v, ok := ParseDate(t); ok {
				*d.dst = v
			} else {
				p.problem(r.Line, d.key, "date_invalid", "%q is not a date (gg/mm/aaaa)", t)
			}
		}
	}
	if m.Start != "" && m.End != "" && m.End < m.Start {
		p.problem(r.Line, export.ColEnd, "end_before_start", "the measure ends (%s) before it starts (%s)", export.ShortDate(m.End), export.ShortDate(m.Start))
		m.End = ""
	}
	if st := p.cell(r, export.ColMeasureStatus); st != "" {
		n, found := Normalize(st), false
		for s, label := range export.MeasureStatusLabels {
			if n == Normalize(string(s)) || n == Normalize(label) {
				m.Status, found = s, true
			}
		}
		if !found {
			p.problem(r.Line, export.ColMeasureStatus, "measure_status_unknown", "%q is not a measure status: Nuova, Esistente, confermata, "+
				"Esistente, modificata or Non più prevista", st)
		}
	}
	for _, line := range strings.Split(p.cell(r, export.ColPhases), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		ph := domain.Phase{Title: line}
		for _, sep := range []string{" – ", " - ", "–"} {
			if before, after, ok := strings.Cut(line, sep); ok {
				before = strings.TrimSpace(before)
				if before == "" {
					ph.Title = strings.TrimSpace(after)
					break
				}
				if from, to, ok := strings.Cut(strings.TrimPrefix(strings.ToLower(before), "dal "), " al "); ok && strings.HasPrefix(strings.ToLower(before), "dal ") {
					// "dal gg/mm/aaaa al gg/mm/aaaa – title": the phase's start and end.
					ph.Title = strings.TrimSpace(after)
					start, okStart := ParseDate(from)
					end, okEnd := ParseDate(to)
					if okStart && okEnd && end >= start {
						ph.Start, ph.Deadline = start, end
					} else if okStart && okEnd {
						p.problem(r.Line, export.ColPhases, "phase_end_before_start", "the phase %q ends (%s) before it starts (%s)", ph.Title, strings.TrimSpace(to), strings.TrimSpace(from))
					} else {
						p.problem(r.Line, export.ColPhases, "phase_date_invalid", "the phase %q has dates %q that are not dates (dal gg/mm/aaaa al gg/mm/aaaa)", ph.Title, before)
					}
				} else if d, ok := ParseDate(before); ok {
					ph.Title, ph.Deadline = strings.TrimSpace(after), d
				} else if looksLikeDate(before) {
					p.problem(r.Line, export.ColPhases, "phase_date_invalid", "the phase %q has a deadline %q that is not a date (gg/mm/aaaa)", after, before)
				}
				break
			}
		}
		if ph.Deadline != "" && ((m.Start != "" && ph.Deadline < m.Start) || (m.End != "" && ph.Deadline > m.End)) {
			p.problem(r.Line, export.ColPhases, "phase_outside_measure", "the phase %q is due %s, outside the measure's dates", ph.Title, export.ShortDate(ph.Deadline))
			ph.Deadline = ""
		}
		if ph.Start != "" && ((m.Start != "" && ph.Start < m.Start) || (m.End != "" && ph.Start > m.End)) {
			p.problem(r.Line, export.ColPhases, "phase_outside_measure", "the phase %q starts on %s, outside the measure's dates", ph.Title, export.ShortDate(ph.Start))
			ph.Start = ""
		}
		m.Phases = append(m.Phases, ph)
	}
	for _, line := range strings.Split(p.cell(r, export.ColIndicators), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		ind := domain.MeasureIndicator{Name: line}
		left, target, arrow := strings.Cut(line, "→")
		if !arrow {
			left, target, arrow = strings.Cut(line, "->")
		}
		if arrow {
			ind.Name, ind.Target = strings.TrimSpace(left), strings.TrimSpace(target)
			if i := strings.LastIndex(left, ":"); i >= 0 {
				ind.Name, ind.Baseline = strings.TrimSpace(left[:i]), strings.TrimSpace(left[i+1:])
			}
		}
		m.Indicators = append(m.Indicators, ind)
	}
	return m
}

var dateLike = regexp.MustCompile(`^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$`)

func looksLikeDate(s string) bool { return dateLike.MatchString(s) }

// Canonical is an assessment's content as the import compares it: what a save writes, without identities,
// versions or computed fields, measures referred to by position. Two assessments with the same canonical
// form are the same register content.
func Canonical(a *domain.Assessment) string {
	pos := map[string]string{}
	type measure struct {
		Nature, GeneralCode, Type, Title, Description, Unit, Owner, Start, End, Objective, Status, CostNote string
		Factors                                                                                             []string
		Phases                                                                                              []domain.Phase
		Indicators                                                                                          []domain.MeasureIndicator
	}
	type risk struct {
		EventCode, EventDescription, Context string
		Factors                              []string
		Inherent                             domain.Judgement
		Residual                             *domain.Judgement
		Decision                             domain.Decision
		Priority                             int
		Measures                             []string
	}
	var ms []measure
	for i, m := range a.Measures {
		pos[m.Key], pos[m.ID] = "#"+strconv.Itoa(i), "#"+strconv.Itoa(i)
		ph, in := m.Phases, m.Indicators
		if ph == nil {
			ph = []domain.Phase{}
		}
		if in == nil {
			in = []domain.MeasureIndicator{}
		}
		st := m.Status
		if st == "" {
			st = domain.MeasureNew
		}
		factors := m.EnablingFactors
		if factors == nil {
			factors = []string{}
		}
		ms = append(ms, measure{m.Nature, m.GeneralCode, m.Type, m.Title, m.Description, m.Unit, m.Owner, m.Start, m.End,
			m.StrategicObjective, string(st), m.CostNote, factors, ph, in})
	}
	sortValues := func(j domain.Judgement) domain.Judgement {
		j.Values = slices.Clone(j.Values)
		if j.Values == nil {
			j.Values = []domain.IndicatorValue{}
		}
		slices.SortFunc(j.Values, func(a, b domain.IndicatorValue) int { return strings.Compare(a.Code, b.Code) })
		return j
	}
	var rs []risk
	for _, r := range a.Risks {
		refs := []string{}
		for _, k := range r.Measures {
			if p, ok := pos[k]; ok {
				refs = append(refs, p)
			} else {
				refs = append(refs, k)
			}
		}
		slices.Sort(refs)
		x := risk{EventCode: r.EventCode, EventDescription: r.EventDescription, Context: r.Context, Factors: r.EnablingFactors,
			Inherent: sortValues(r.Inherent), Decision: r.Decision, Priority: r.Priority, Measures: refs}
		if x.Factors == nil {
			x.Factors = []string{}
		}
		if r.Residual != nil {
			res := sortValues(*r.Residual)
			x.Residual = &res
		}
		rs = append(rs, x)
	}
	b, _ := json.Marshal(struct {
		Risks    []risk
		Measures []measure
	}{rs, ms})
	return string(b)
}

// WithLinkRefs returns a with its risks' references to other leaves' measures (ids) written as the
// spreadsheet writes them ("<owner code>#M<n>", refOf by id), so Canonical compares a stored assessment with
// a file's. a is not changed.
func WithLinkRefs(a *domain.Assessment, refOf map[string]string) *domain.Assessment {
	own := map[string]bool{}
	for _, m := range a.Measures {
		own[m.Key], own[m.ID] = true, true
	}
	out := *a
	out.Risks = slices.Clone(a.Risks)
	for i := range out.Risks {
		ms := slices.Clone(out.Risks[i].Measures)
		for j, k := range ms {
			if ref, ok := refOf[k]; ok && !own[k] {
				ms[j] = ref
			}
		}
		out.Risks[i].Measures = ms
	}
	return &out
}
