// Package export writes a cycle's register in the forms the law asks for: the XLSX annex of the plan, and
// open data (CSV, JSON, data dictionary) for "Amministrazione trasparente". Rows are written as they come, a
// leaf at a time.
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/argine-pa/argine/internal/csvsafe"
	"github.com/argine-pa/argine/internal/domain"
)

// Meta describes the exported cycle.
type Meta struct {
	Ente         string
	Cycle        string
	Adopted      bool // false: the live register, marked as a draft
	Deliberation string
	SnapshotHash string
	Methodology  domain.Profile
	// AuditHeadSeq and AuditHeadHash are the audit chain head the adopted snapshot froze: printed in the
	// published document, they anchor the trail outside the database (docs/audit-anchoring.md).
	AuditHeadSeq  int64
	AuditHeadHash string
	// MeasureMonitoring is, by measure id, the outcome of the latest closed monitoring round in words (the
	// register spreadsheet's "Stato del monitoraggio" column); nil when not asked for.
	MeasureMonitoring map[string]string
}

// Leaf is one assessed leaf with its place in the map.
type Leaf struct {
	Node       domain.MapNode
	Macro      domain.MapNode
	Process    domain.MapNode
	Assessment *domain.Assessment
}

// Source yields the assessed leaves of a cycle in map order.
type Source interface {
	Meta() Meta
	Each(fn func(Leaf) error) error
}

// Row is one line of the register: a leaf × one of its risk entries.
type Row struct {
	Leaf Leaf
	Risk domain.RiskEntry
	Pos  int
}

func rows(src Source, fn func(Row) error) error {
	return src.Each(func(l Leaf) error {
		for i, r := range l.Assessment.Risks {
			if err := fn(Row{Leaf: l, Risk: r, Pos: i + 1}); err != nil {
				return err
			}
		}
		return nil
	})
}

func indicators(j domain.Judgement, codes map[string]bool) string {
	var parts []string
	for _, v := range j.Values {
		if codes[v.Code] {
			parts = append(parts, fmt.Sprintf("%s=%d (%s)", v.Code, v.Value, v.Reason))
		}
	}
	return strings.Join(parts, "; ")
}

func measuresOf(l Leaf, r domain.RiskEntry) []domain.Measure {
	var out []domain.Measure
	for _, k := range r.Measures {
		// The last measure of that key or id, as a map filled in order would hold: a scan of the leaf's few
		// measures instead of a map for each row of the open data.
		ms := l.Assessment.Measures
		for i := len(ms) - 1; i >= 0; i-- {
			if ms[i].Key == k || ms[i].ID == k {
				out = append(out, ms[i])
				break
			}
		}
	}
	// A measure withdrawn from the assessment still shows against the risks it treated, marked as such.
	for _, m := range l.Assessment.Withdrawn {
		if r.ID != "" && slices.Contains(m.TreatedRisks, r.ID) {
			m.Title = withdrawnTitle(m)
			out = append(out, m)
		}
	}
	return out
}

// withdrawnTitle is a retired measure's title with "ritirata il <data>: <motivo>".
func withdrawnTitle(m domain.Measure) string {
	when := ""
	if m.WithdrawnAt != nil {
		when = " il " + m.WithdrawnAt.Format("02/01/2006")
	}
	return m.Title + " (ritirata" + when + ": " + m.WithdrawnReason + ")"
}

func join(ms []domain.Measure, f func(domain.Measure) string) string {
	var parts []string
	for _, m := range ms {
		if s := f(m); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " | ")
}

// measureFactors writes each measure's enabling factors (codes separated by ;) in the order of the measures,
// separated by " | ", with "-" for a measure that names none, so each list stays aligned with its measure;
// empty when no measure names any.
func measureFactors(ms []domain.Measure) string {
	parts, any := make([]string, len(ms)), false
	for i, m := range ms {
		parts[i] = strings.Join(m.EnablingFactors, ";")
		if parts[i] == "" {
			parts[i] = "-"
		} else {
			any = true
		}
	}
	if !any {
		return ""
	}
	return strings.Join(parts, " | ")
}

// phasesText writes a measure's phases as "title entro deadline" ("title dal start entro deadline" when the
// phase has a start), separated by "; ".
func phasesText(m domain.Measure) string {
	var ph []string
	for _, x := range m.Phases {
		if x.Start != "" {
			ph = append(ph, x.Title+" dal "+x.Start+" entro "+x.Deadline)
			continue
		}
		ph = append(ph, x.Title+" entro "+x.Deadline)
	}
	return strings.Join(ph, "; ")
}

// indicatorsText writes a measure's indicators as "name: baseline → target", separated by "; ".
func indicatorsText(m domain.Measure) string {
	var in []string
	for _, x := range m.Indicators {
		in = append(in, x.Name+": "+x.Baseline+" → "+x.Target)
	}
	return strings.Join(in, "; ")
}

func level(s *domain.Score) (string, string, string) {
	if s == nil {
		return "", "", ""
	}
	return strconv.FormatFloat(s.Likelihood, 'f', -1, 64), strconv.FormatFloat(s.Impact, 'f', -1, 64), s.Level
}

func codesOf(inds []domain.Indicator) map[string]bool {
	out := map[string]bool{}
	for _, i := range inds {
		out[i.Code] = true
	}
	return out
}

func methodologyRows(p domain.Profile, row rowWriter) error {
	out := [][]string{{"Metodologia", p.Name}, {"Aggregazione probabilità", string(p.LikelihoodAggregation)},
		{"Aggregazione impatto", string(p.ImpactAggregation)}, {}, {"Indicatore", "Nome", "Livelli (valore: etichetta – descrizione)"}}
	for _, ind := range append(append([]domain.Indicator{}, p.LikelihoodIndicators...), p.ImpactIndicators...) {
		var lv []string
		for _, l := range ind.Levels {
			lv = append(lv, fmt.Sprintf("%d: %s – %s", l.Value, l.Label, l.Description))
		}
		out = append(out, []string{ind.Code, ind.Name, strings.Join(lv, "\n")})
	}
	out = append(out, []string{}, []string{"Livelli di rischio"})
	for _, l := range p.RiskLevels {
		out = append(out, []string{l.Code, l.Label})
	}
	if len(p.Bands) > 0 {
		out = append(out, []string{}, []string{"Fasce P×I (minimo incluso, massimo escluso tranne l'ultima)"})
		for _, b := range p.Bands {
			out = append(out, []string{b.Level, strconv.FormatFloat(b.Min, 'f', -1, 64), strconv.FormatFloat(b.Max, 'f', -1, 64)})
		}
	}
	for i, r := range out {
		style := styleWrap
		if i == 0 || i == 4 {
			style = styleHeader
		}
		if err := row(r, style); err != nil {
			return err
		}
	}
	return nil
}

// OpenDataColumns are the columns of the open-data files, with their meaning (the data dictionary).
var OpenDataColumns = []struct{ Name, Type, Description string }{
	{"ente", "testo", "Codice dell'amministrazione"},
	{"ciclo", "testo", "Triennio del piano (es. 2026-2028)"},
	{"adottato", "booleano", "true se il registro è quello adottato dalla Giunta, false se è una bozza"},
	{"codice", "testo", "Codice della foglia della mappatura (processo, sotto-processo o azione)"},
	{"titolo", "testo", "Titolo della foglia"},
	{"codice_macro_processo", "testo", "Codice del macro-processo"},
	{"codice_processo", "testo", "Codice del processo"},
	{"unita", "lista", "Codici delle unità organizzative responsabili, separati da ;"},
	{"aree_rischio", "lista", "Codici delle aree di rischio ANAC, separati da ;"},
	{"stato", "testo", "Stato della valutazione: draft, submitted, approved, returned"},
	{"n_rischio", "intero", "Numero d'ordine del rischio nella foglia"},
	{"codice_evento", "testo", "Codice dell'evento rischioso nel catalogo (vuoto se specifico della foglia)"},
	{"evento", "testo", "Descrizione dell'evento rischioso"},
	{"fattori_abilitanti", "lista", "Codici dei fattori abilitanti, separati da ;"},
	{"probabilita", "numero", "Probabilità aggregata secondo la metodologia del ciclo"},
	{"impatto", "numero", "Impatto aggregato secondo la metodologia del ciclo"},
	{"livello_inerente", "testo", "Livello del rischio inerente"},
	{"ponderazione", "testo", "Decisione: treat_new_measures, keep_existing_measures, analyse_further"},
	{"priorita", "intero", "Priorità di trattamento (1 la più alta; 0 non indicata)"},
	{"livello_residuo", "testo", "Livello del rischio residuo atteso"},
	{"misure", "lista", "Titoli delle misure, separati da |"},
	{"tipologie_misure", "lista", "Tipologie ANAC delle misure (T01..T11), separate da |"},
	{"unita_misure", "lista", "Unità responsabili delle misure, separate da |"},
	{"scadenze", "lista", "Fasi e scadenze delle misure"},
	{"indicatori", "lista", "Indicatori di monitoraggio con valore di partenza e valore atteso"},
	{"fattori_misure", "lista", "Fattori abilitanti affrontati da ciascuna misura, nell'ordine di misure: codici separati da ;, misure separate da | (- per una misura che non ne indica)"},
}

// DictionaryFormulaNote closes the data dictionary: it tells how the CSV protects spreadsheets (csvsafe).
var DictionaryFormulaNote = struct{ Name, Type, Description string }{"*", "nota",
	"Nel CSV una cella che inizia con =, +, -, @, tabulazione o ritorno a capo è preceduta da un apostrofo (') " +
		"perché i fogli di calcolo la mostrino come testo e non la eseguano come formula; lo stesso vale per una cella " +
		"che inizia con un apostrofo seguito da uno di quei caratteri o da un altro apostrofo. Togliendo " +
		"quell'apostrofo iniziale si ha il testo originale. Il JSON (registro.json) riporta sempre il testo esatto."}

func (r Row) openData(meta Meta) []string {
	l := r.Leaf
	ms := measuresOf(l, r.Risk)
	p, i, lev := level(r.Risk.InherentScore)
	_, _, residual := level(r.Risk.ResidualScore)
	return []string{meta.Ente, meta.Cycle, strconv.FormatBool(meta.Adopted), l.Node.Code, l.Node.Title, l.Macro.Code, l.Process.Code,
		strings.Join(l.Node.Units, ";"), strings.Join(l.Node.RiskAreas, ";"), string(l.Assessment.State), strconv.Itoa(r.Pos),
		r.Risk.EventCode, r.Risk.EventDescription, strings.Join(r.Risk.EnablingFactors, ";"), p, i, lev,
		string(r.Risk.Decision), strconv.Itoa(r.Risk.Priority), residual,
		join(ms, func(m domain.Measure) string { return m.Title }),
		join(ms, func(m domain.Measure) string { return m.Type }),
		join(ms, func(m domain.Measure) string { return m.Unit }),
		join(ms, phasesText),
		join(ms, indicatorsText),
		measureFactors(ms)}
	// No personal names: a measure's owner (a person) is left out of open data on purpose.
}

// WriteCSV writes the open-data CSV (UTF-8, comma, header of stable codes). Cells that a spreadsheet would
// run as a formula are written as text (csvsafe); WriteJSON keeps the exact text.
func WriteCSV(w io.Writer, src Source) error {
	cw := csvsafe.NewWriter(w)
	header := make([]string, len(OpenDataColumns))
	for i, c := range OpenDataColumns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	meta := src.Meta()
	err := rows(src, func(r Row) error {
		if err := cw.Write(r.openData(meta)); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the open data as one JSON document: metadata and the rows as objects keyed by the same
// codes, streamed row by row.
func WriteJSON(w io.Writer, src Source) error {
	meta := src.Meta()
	head, _ := json.Marshal(map[string]any{"ente": meta.Ente, "ciclo": meta.Cycle, "adottato": meta.Adopted,
		"delibera": meta.Deliberation, "hash_registro_adottato": meta.SnapshotHash, "dizionario": "dizionario-dati.csv",
		"audit_record_adozione": meta.AuditHeadSeq, "audit_hash_adozione": meta.AuditHeadHash})
	if _, err := io.WriteString(w, strings.TrimSuffix(string(head), "}")+`,"righe":[`); err != nil {
		return err
	}
	// Each row is the object json.Marshal makes of a map from the column codes to the values (keys sorted),
	// encoded into one reused buffer without the map, the sort or reflection.
	order := make([]int, len(OpenDataColumns))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return OpenDataColumns[order[a]].Name < OpenDataColumns[order[b]].Name })
	keys := make([][]byte, len(order))
	for i, c := range order {
		keys[i] = appendJSONString(nil, OpenDataColumns[c].Name)
	}
	var buf []byte
	first := true
	err := rows(src, func(r Row) error {
		vals := r.openData(meta)
		buf = buf[:0]
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, "\n{"...)
		for i, c := range order {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, keys[i]...)
			buf = append(buf, ':')
			buf = appendJSONString(buf, vals[c])
		}
		buf = append(buf, '}')
		_, err := w.Write(buf)
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]}\n")
	return err
}

// appendJSONString appends s as encoding/json writes a string: quoted, with <, > and & escaped for HTML,
// control characters as \n, \r, \t, \b, \f or \u00xx, invalid UTF-8 as U+FFFD, and U+2028 and U+2029 escaped
// (TestAppendJSONString holds it to json.Marshal).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// WriteDictionary writes the data dictionary of the open data as CSV.
func WriteDictionary(w io.Writer) error {
	cw := csvsafe.NewWriter(w)
	records := [][]string{{"colonna", "tipo", "descrizione"}}
	for _, c := range OpenDataColumns {
		records = append(records, []string{c.Name, c.Type, c.Description})
	}
	records = append(records, []string{DictionaryFormulaNote.Name, DictionaryFormulaNote.Type, DictionaryFormulaNote.Description})
	for _, c := range ExcelCSVDictionary {
		records = append(records, []string{c.Name, c.Type, c.Description})
	}
	for _, rec := range records {
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// LeavesFromMap places assessments in the map: it returns a Source over nodes in map order.
func LeavesFromMap(meta Meta, nodes []domain.MapNode, assessments map[string]*domain.Assessment) Source {
	return &mapSource{meta: meta, nodes: nodes, assessments: assessments}
}

type mapSource struct {
	meta        Meta
	nodes       []domain.MapNode
	assessments map[string]*domain.Assessment
}

func (m *mapSource) Meta() Meta { return m.meta }

func (m *mapSource) Each(fn func(Leaf) error) error {
	byCode := make(map[string]domain.MapNode, len(m.nodes))
	for _, n := range m.nodes {
		byCode[n.Code] = n
	}
	codes := make([]string, 0, len(m.assessments))
	pos := map[string]int{}
	for i, n := range m.nodes {
		pos[n.Code] = i
	}
	for c := range m.assessments {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return pos[codes[i]] < pos[codes[j]] })
	for _, c := range codes {
		leaf := Leaf{Node: byCode[c], Assessment: m.assessments[c]}
		for n := byCode[c]; ; n = byCode[n.ParentCode] {
			switch n.Level {
			case domain.LevelMacro:
				leaf.Macro = n
			case domain.LevelProcess:
				leaf.Process = n
			}
			if n.ParentCode == "" {
				break
			}
		}
		if err := fn(leaf); err != nil {
			return err
		}
	}
	return nil
}
