package export

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/argine-pa/argine/internal/csvsafe"
	"github.com/argine-pa/argine/internal/domain"
)

// RegisterSheet is the name of the consolidated sheet of registro.xlsx; AreaSheetPrefix starts the name of
// each risk area's sheet; LegendSheet explains the codes and colours.
const (
	RegisterSheet   = "Registro dei rischi"
	AreaSheetPrefix = "Area "
	LegendSheet     = "Legenda"
)

// RegisterTitle is the first line of the register's sheets.
func RegisterTitle(meta Meta) string {
	title := fmt.Sprintf("Registro dei rischi corruttivi – %s – ciclo %s", meta.Ente, meta.Cycle)
	if meta.Adopted {
		return title + " – adottato con " + meta.Deliberation
	}
	return title + " – BOZZA (registro non ancora adottato)"
}

// Filtered returns src keeping only the risks keep accepts, and the leaves left with at least one of them.
// A nil keep returns src.
func Filtered(src Source, keep func(riskID string) bool) Source {
	if keep == nil {
		return src
	}
	return &filtered{src: src, keep: keep}
}

type filtered struct {
	src  Source
	keep func(string) bool
}

func (f *filtered) Meta() Meta { return f.src.Meta() }

func (f *filtered) Each(fn func(Leaf) error) error {
	return f.src.Each(func(l Leaf) error {
		a := *l.Assessment
		a.Risks = slices.DeleteFunc(slices.Clone(a.Risks), func(r domain.RiskEntry) bool { return !f.keep(r.ID) })
		if len(a.Risks) == 0 {
			return nil
		}
		// Only the measures of the risks kept stay: a measure no kept risk uses is not "on screen".
		used := map[string]bool{}
		for _, r := range a.Risks {
			for _, k := range r.Measures {
				used[k] = true
			}
		}
		a.Measures = slices.DeleteFunc(slices.Clone(a.Measures), func(m domain.Measure) bool { return !used[m.Key] && !used[m.ID] })
		l.Assessment = &a
		return fn(l)
	})
}

// xcells is the typed cells of a row's values.
func xcells(vals []Value) []xcell { return appendXcells(make([]xcell, 0, len(vals)), vals) }

// appendXcells appends the typed cells of vals to out.
func appendXcells(out []xcell, vals []Value) []xcell {
	for _, v := range vals {
		c := xcell{Text: v.Text, Num: v.Num, Style: styleWrap}
		if v.Date {
			c.Style = styleDate
		}
		if v.Num == nil && v.Text == "" {
			c.Style = styleNormal
		}
		out = append(out, c)
	}
	return out
}

// WriteXLSX writes the register annex: the consolidated sheet (one row per measure of each risk, the risk's
// columns repeated so a filter keeps whole lines; numbers and dates typed; frozen header, autofilter, levels
// coloured), then one sheet per risk area, the legend and the methodology. Rows go straight into the zip
// stream as they come: the source is read once for all the register's sheets (and once before, by
// measureLinks), and memory does not grow with the register.
func WriteXLSX(w io.Writer, src Source) error {
	meta := src.Meta()
	title := RegisterTitle(meta)
	x := newXLSXStream(w, title)
	cols := RegisterLayout(meta.Methodology)
	widths := make([]float64, len(cols))
	headers := make([]xcell, len(cols))
	var levelCols []int
	for i, c := range cols {
		widths[i], headers[i] = c.Width, xcell{Text: c.Header, Style: styleHeader}
		if c.Kind == KindLevel {
			levelCols = append(levelCols, i+1)
		}
	}
	levels := slices.Clone(meta.Methodology.RiskLevels)
	slices.SortFunc(levels, func(a, b domain.RiskLevel) int { return a.Rank - b.Rank })
	labels := make([]string, len(levels))
	for i, l := range levels {
		labels[i] = l.Label
	}
	spec := func(name string) sheetSpec {
		return sheetSpec{name: name, widths: widths, freezeRows: 2, filterRow: 2, columns: len(cols), levelColumns: levelCols, levelLabels: labels}
	}
	links, err := measureLinks(src)
	if err != nil {
		return err
	}
	// One pass over the register fills the consolidated sheet, written into the zip as it comes, and the
	// sheet of each risk area, spooled aside compressed and added after it in the order of the area codes.
	areas := map[string]*spooledSheet{}
	defer func() {
		for _, s := range areas {
			s.store.close()
		}
	}()
	err = x.typedSheet(spec(RegisterSheet), func(row typedRowWriter) error {
		if err := row([]xcell{{Text: title, Style: styleHeader}}); err != nil {
			return err
		}
		if err := row(headers); err != nil {
			return err
		}
		var sheets []*spooledSheet
		// One slice of values and one of cells serve every row: each row is encoded before the next is laid out.
		var vals []Value
		var cells []xcell
		return src.Each(func(l Leaf) error {
			sheets = sheets[:0]
			for _, a := range l.Node.RiskAreas {
				s, ok := areas[a]
				if !ok {
					var err error
					if s, err = x.spool(spec(areaSheetName(a))); err != nil {
						return err
					}
					areas[a] = s
					if err := s.row([]xcell{{Text: title + " – area di rischio " + a, Style: styleHeader}}); err != nil {
						return err
					}
					if err := s.row(headers); err != nil {
						return err
					}
				}
				if !slices.Contains(sheets, s) {
					sheets = append(sheets, s)
				}
			}
			return layoutRows(l, links, func(r LayoutRow) error {
				r.Monitoring = meta.monitoringOf(r.Measure)
				vals = r.appendValues(vals[:0], meta.Methodology, cols)
				cells = appendXcells(cells[:0], vals)
				if err := row(cells); err != nil {
					return err
				}
				for _, s := range sheets {
					if err := s.row(cells); err != nil {
						return err
					}
				}
				return nil
			})
		})
	})
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(areas))
	for a := range areas {
		codes = append(codes, a)
	}
	slices.Sort(codes)
	for _, a := range codes {
		if err := x.addSpooled(areas[a]); err != nil {
			return err
		}
	}
	if err := x.typedSheet(sheetSpec{name: LegendSheet, widths: []float64{30, 60}, levelColumns: []int{1}, levelLabels: labels},
		func(row typedRowWriter) error { return legendRows(meta.Methodology, labels, row) }); err != nil {
		return err
	}
	if err := x.sheet(sheetSpec{name: "Metodologia", widths: []float64{40, 40, 80}}, func(row rowWriter) error {
		return methodologyRows(meta.Methodology, row)
	}); err != nil {
		return err
	}
	return x.close()
}

// measureLinks finds the measures the register's risks refer to across leaves (a measure of one leaf also
// treating a risk of another) and gives each its owner's reference and content, so the other leaf's rows
// show it and a re-import links it instead of losing it. It reads the whole register (not the filtered
// view: the owner's reference counts all its measures) once, and once more only when there are such links;
// memory holds those measures only.
func measureLinks(src Source) (map[string]LinkedMeasure, error) {
	if f, ok := src.(*filtered); ok {
		src = f.src
	}
	want := map[string]bool{}
	err := src.Each(func(l Leaf) error {
		own := map[string]bool{}
		for _, m := range l.Assessment.Measures {
			own[m.Key], own[m.ID] = true, true
		}
		for _, r := range l.Assessment.Risks {
			for _, k := range r.Measures {
				if !own[k] {
					want[k] = true
				}
			}
		}
		return nil
	})
	if err != nil || len(want) == 0 {
		return nil, err
	}
	out := make(map[string]LinkedMeasure, len(want))
	err = src.Each(func(l Leaf) error {
		for i, m := range l.Assessment.Measures {
			if m.ID != "" && want[m.ID] {
				out[m.ID] = LinkedMeasure{Ref: MeasureRef(l.Node.Code, i+1), Measure: m}
			}
		}
		return nil
	})
	return out, err
}

// areaSheetName is a valid sheet name for an area (at most 31 characters, none of []:*?/\).
func areaSheetName(code string) string {
	name := AreaSheetPrefix + strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, code)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

func legendRows(p domain.Profile, labels []string, row typedRowWriter) error {
	text := func(cells ...string) []xcell {
		out := make([]xcell, len(cells))
		for i, c := range cells {
			out[i] = xcell{Text: c, Style: styleWrap}
		}
		return out
	}
	head := func(s string) []xcell { return []xcell{{Text: s, Style: styleHeader}} }
	rows := [][]xcell{head("Livelli di rischio (colori delle colonne «Livello di rischio» e «Rischio residuo»)")}
	for _, l := range labels {
		rows = append(rows, text(l, "dal più basso al più alto, nell'ordine"))
	}
	rows = append(rows, nil, head("Stato della valutazione"))
	for _, s := range []domain.AssessmentState{domain.StateDraft, domain.StateSubmitted, domain.StateReturned, domain.StateApproved} {
		rows = append(rows, text(StateLabels[s], string(s)))
	}
	rows = append(rows, nil, head("Ponderazione"))
	for _, d := range []domain.Decision{domain.DecisionTreat, domain.DecisionKeep, domain.DecisionAnalyse} {
		rows = append(rows, text(DecisionLabels[d], string(d)))
	}
	rows = append(rows, nil, head("Stato della misura"))
	for _, s := range []domain.MeasureStatus{domain.MeasureNew, domain.MeasureConfirmed, domain.MeasureModified, domain.MeasureDropped} {
		rows = append(rows, text(MeasureStatusLabels[s], string(s)))
	}
	rows = append(rows, text(WithdrawnPrefix+" il …", "misura ritirata: resta nello storico, non si importa"))
	rows = append(rows, nil, head("Indicatori della metodologia "+p.Name))
	for _, ind := range append(append([]domain.Indicator{}, p.LikelihoodIndicators...), p.ImpactIndicators...) {
		var lv []string
		for _, l := range ind.Levels {
			lv = append(lv, strconv.Itoa(l.Value)+" = "+l.Label)
		}
		rows = append(rows, text(ind.Code+" "+ind.Name, strings.Join(lv, "; ")))
	}
	rows = append(rows, nil, head("Righe"),
		text("Una riga per misura", "Le colonne dell'azione e del rischio si ripetono su ogni misura che tratta il rischio, così un filtro mostra righe intere."),
		text("Chiave misura", "M1, M2, … numera le misure dell'azione: la stessa chiave su più righe è la stessa misura."),
		text("Misura di un'altra azione", "Codice dell'azione#M1 (es. A1.1.1.2#M1): la misura M1 dell'azione A1.1.1.2 tratta anche questo rischio. "+
			"La riga ripete la misura per chi legge; all'import diventa un collegamento a quella misura (non una copia), "+
			"che si modifica sulle righe della sua azione."),
		text("Fasi e scadenze", "Una fase per riga: gg/mm/aaaa – titolo (solo la scadenza) oppure dal gg/mm/aaaa al gg/mm/aaaa – titolo (inizio e fine)."),
		text("Indicatori e valori attesi", "Un indicatore per riga: nome: valore di partenza → valore atteso."))
	for _, r := range rows {
		if err := row(r); err != nil {
			return err
		}
	}
	return nil
}

// ExcelCSVColumns are the columns of the CSV for Excel users (registro-excel.csv): the register layout's.
func ExcelCSVColumns(p domain.Profile) []Column { return RegisterLayout(p) }

// WriteExcelCSV writes the register for spreadsheet users who open CSV files: the same rows and Italian
// headers as registro.xlsx, separated by semicolons, with a UTF-8 BOM (so Excel in Italian reads columns and
// accents right), numbers with a decimal comma and dates as dd/mm/yyyy. Cells a spreadsheet would run are
// written as text (csvsafe).
func WriteExcelCSV(w io.Writer, src Source) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	meta := src.Meta()
	cols := RegisterLayout(meta.Methodology)
	cw := csvsafe.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Header
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	links, err := measureLinks(src)
	if err != nil {
		return err
	}
	rec := make([]string, len(cols))
	var vals []Value // reused for every row, as rec
	err = src.Each(func(l Leaf) error {
		err := layoutRows(l, links, func(r LayoutRow) error {
			r.Monitoring = meta.monitoringOf(r.Measure)
			vals = r.appendValues(vals[:0], meta.Methodology, cols)
			for i, v := range vals {
				rec[i] = v.Text
				if v.Num != nil {
					if cols[i].Kind == KindDate {
						rec[i] = ShortDate(dateOfSerial(*v.Num))
					} else {
						rec[i] = strings.Replace(strconv.FormatFloat(*v.Num, 'f', -1, 64), ".", ",", 1)
					}
				}
			}
			return cw.Write(rec)
		})
		if err != nil {
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

// ExcelCSVDictionary describes, after the open-data columns, the CSV for Excel users: its file, then its
// columns (the headers of registro.xlsx). The indicator columns depend on the cycle's methodology.
var ExcelCSVDictionary = []struct{ Name, Type, Description string }{
	{"registro-excel.csv", "file", "Il registro per chi usa un foglio di calcolo: separatore punto e virgola, codifica UTF-8 con BOM, " +
		"intestazioni ed etichette in italiano, numeri con la virgola decimale, date gg/mm/aaaa; una riga per misura di ogni rischio " +
		"(le colonne dell'azione e del rischio si ripetono). Le stesse colonne di registro.xlsx; il file si reimporta nel registro. " +
		"Il CSV open data (registro.csv: virgola, UTF-8, codici stabili) è descritto sopra."},
	{"Codice / Attività / azione", "testo", "Codice e titolo della foglia della mappatura"},
	{"N. rischio", "intero", "Numero d'ordine del rischio nella foglia (vuoto su una misura che non tratta rischi)"},
	{"Codice evento / Evento rischioso / Contesto", "testo", "Evento del catalogo (o specifico della foglia) e come può verificarsi"},
	{"Fattori abilitanti", "lista", "Codici dei fattori abilitanti, separati da virgola"},
	{"<indicatore> – valore / – motivazione", "intero / testo", "Una coppia di colonne per indicatore della metodologia del ciclo (anche «Residuo …» per il rischio residuo)"},
	{"Probabilità / Impatto", "numero", "Valori aggregati secondo la metodologia (calcolati, non si importano)"},
	{"Livello di rischio / Rischio residuo", "testo", "Etichetta del livello (calcolato, non si importa)"},
	{"Livello scelto in deroga / Motivazione della deroga", "testo", "Livello scelto dal valutatore al posto di quello calcolato"},
	{"Ponderazione", "testo", "Trattare con nuove misure, Mantenere le misure esistenti, Approfondire l'analisi"},
	{"Priorità", "intero", "Priorità di trattamento (1 la più alta)"},
	{"Chiave misura", "testo", "M1, M2, …: la stessa chiave su più righe è la stessa misura; «codice azione#M1» (es. A1.1.1.2#M1) " +
		"è la misura M1 di un'altra azione che tratta anche questo rischio: all'import un collegamento, non una copia"},
	{"Natura della misura / Codice misura generale / Tipologia", "testo", "Generale o Specifica; codice della misura generale; tipologia ANAC (T01..T11)"},
	{"Misura / Descrizione / Unità responsabile della misura / Responsabile", "testo", "Titolo, modalità, unità e persona responsabile della misura"},
	{"Inizio / Fine", "data", "Date della misura, gg/mm/aaaa"},
	{"Stato della misura", "testo", "Nuova, Esistente confermata o modificata, Non più prevista; «Ritirata il …» per una misura ritirata"},
	{"Fasi e scadenze", "lista", "Una fase per riga: gg/mm/aaaa – titolo, oppure dal gg/mm/aaaa al gg/mm/aaaa – titolo"},
	{"Indicatori e valori attesi", "lista", "Un indicatore per riga: nome: valore di partenza → valore atteso"},
	{"Obiettivo strategico", "testo", "Codice dell'obiettivo strategico collegato"},
}

func (m Meta) monitoringOf(ms *domain.Measure) string {
	if ms == nil || ms.ID == "" {
		return ""
	}
	return m.MeasureMonitoring[ms.ID]
}
