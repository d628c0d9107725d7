package export

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/domain"
)

// MonitoringRound is one monitoring round as the annual report counts it.
type MonitoringRound struct {
	Date   string // reference date, YYYY-MM-DD
	Closed bool
	Lines  []MonitoringLine
}

// MonitoringLine is one monitored measure in a round; Status is empty when it was not self-assessed.
type MonitoringLine struct {
	MeasureID string
	Unit      string
	Type      string
	Status    string
	Checked   bool
}

// NotAvailable marks a figure ANAC's form asks for that Argine does not hold: the row is laid out so the RPCT
// sees what to fill in from elsewhere, never an invented number.
const NotAvailable = "dato non disponibile in Argine"

// generalTopics are the sections of the "Misure anticorruzione" sheet of ANAC's annual report form, in its
// order, with the general measures (codes of the shipped catalogue) that answer each and the figures Argine
// does not hold.
var generalTopics = []struct {
	section string
	codes   []string
	missing []string
}{
	{"Trasparenza", []string{"MG11", "MG15"}, []string{"Monitoraggio della pubblicazione dei dati (esiti)", "Richieste di accesso civico semplice e generalizzato ricevute"}},
	{"Formazione", []string{"MG09"}, []string{"Ore di formazione erogate", "Dipendenti formati sul totale"}},
	{"Rotazione del personale", []string{"MG03", "MG04"}, []string{"Dirigenti e dipendenti interessati dalla rotazione", "Casi di rotazione straordinaria"}},
	{"Inconferibilità e incompatibilità degli incarichi", []string{"MG05"}, []string{"Verifiche sulle dichiarazioni svolte", "Violazioni accertate"}},
	{"Incarichi extra-istituzionali", []string{"MG06"}, []string{"Autorizzazioni rilasciate", "Violazioni accertate"}},
	{"Tutela del dipendente che segnala illeciti (whistleblowing)", []string{"MG10"}, []string{"Segnalazioni ricevute", "Segnalazioni che hanno dato luogo a provvedimenti"}},
	{"Codice di comportamento", []string{"MG01"}, []string{"Segnalazioni di violazione del codice", "Procedimenti disciplinari avviati"}},
	{"Procedimenti disciplinari e penali", nil, []string{"Procedimenti disciplinari per fatti corruttivi", "Procedimenti penali per fatti corruttivi"}},
	{"Divieti post-employment (pantouflage)", []string{"MG07"}, []string{"Verifiche svolte", "Violazioni accertate"}},
	{"Commissioni e uffici: condanne per reati contro la PA", []string{"MG08"}, []string{"Verifiche svolte"}},
	{"Altre misure generali", []string{"MG02", "MG12", "MG13", "MG14"}, nil},
}

// WriteAnnualReport writes relazione-annuale.xlsx: the figures of the RPCT's annual report in the order of
// ANAC's form (risk management, specific measures by type, the general measures topic by topic, monitoring),
// the measures by type planned and implemented, the general measures, and a monitoring sheet with every
// round by unit and measure type. Names, never codes; a figure Argine does not hold is a row saying so.
func WriteAnnualReport(w io.Writer, src Source, names Names, rounds []MonitoringRound) (err error) {
	meta := src.Meta()
	s := newSummary() // counted on the one pass over the register below
	type measureInfo struct{ typ, general string }
	measures := map[string]measureInfo{}
	planned := map[string][2]int{} // type → general, specific
	general := map[string]int{}
	processes := map[string]bool{}
	leaves := 0
	err = src.Each(func(l Leaf) error {
		s.add(l)
		leaves++
		processes[processOf(l).Code] = true
		for _, m := range l.Assessment.Measures {
			measures[m.ID] = measureInfo{m.Type, m.GeneralCode}
			p := planned[m.Type]
			if m.Nature == "general" {
				p[0]++
				general[m.GeneralCode]++
			} else {
				p[1]++
			}
			planned[m.Type] = p
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The outcome of the monitoring: the latest closed round's status of each measure.
	var last *MonitoringRound
	for i := range rounds {
		if rounds[i].Closed && (last == nil || rounds[i].Date > last.Date) {
			last = &rounds[i]
		}
	}
	statusByType := map[string]map[string]int{}
	statusByGeneral := map[string]map[string]int{}
	statusAll := map[string]int{}
	if last != nil {
		for _, ln := range last.Lines {
			st := ln.Status
			if st == "" {
				st = "non_rilevata"
			}
			info := measures[ln.MeasureID]
			typ := ln.Type
			if typ == "" {
				typ = info.typ
			}
			if statusByType[typ] == nil {
				statusByType[typ] = map[string]int{}
			}
			statusByType[typ][st]++
			if info.general != "" {
				if statusByGeneral[info.general] == nil {
					statusByGeneral[info.general] = map[string]int{}
				}
				statusByGeneral[info.general][st]++
			}
			statusAll[st]++
		}
	}
	lastText := "nessuna rilevazione chiusa"
	if last != nil {
		lastText = "rilevazione al " + ItalianDate(last.Date)
	}

	f := excelize.NewFile()
	defer func() { err = errors.Join(err, f.Close()) }()
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	section, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	if err != nil {
		return err
	}
	na, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	type sheet struct {
		name   string
		widths []float64
		rows   [][]any
		styles map[int]int // row index → style
	}
	ente := names.Ente
	if ente == "" {
		ente = meta.Ente
	}
	state := "registro adottato con " + meta.Deliberation
	if !meta.Adopted {
		state = "BOZZA: registro non ancora adottato"
	}
	// Sheet 1: the form's order.
	rel := sheet{name: "Relazione RPCT", widths: []float64{38, 60, 18, 40}, styles: map[int]int{}}
	addRow := func(sh *sheet, style int, cells ...any) {
		if style != 0 {
			sh.styles[len(sh.rows)] = style
		}
		sh.rows = append(sh.rows, cells)
	}
	addRow(&rel, section, "Dati per la relazione annuale del RPCT – "+ente+" – ciclo "+meta.Cycle+" ("+state+")")
	addRow(&rel, 0, "Le voci seguono l'ordine della scheda ANAC «Misure anticorruzione». Dove Argine non ha il dato la riga lo dice: va compilata dal RPCT con altre fonti.")
	addRow(&rel, head, "Sezione", "Voce", "Valore", "Fonte / nota")
	addRow(&rel, section, "1. Gestione del rischio")
	addRow(&rel, 0, "Gestione del rischio", "Processi mappati e valutati", len(processes), "registro dei rischi")
	addRow(&rel, 0, "Gestione del rischio", "Attività valutate", leaves, "registro dei rischi")
	addRow(&rel, 0, "Gestione del rischio", "Rischi valutati", s.Risks, "registro dei rischi")
	for i := len(meta.Methodology.RiskLevels) - 1; i >= 0; i-- {
		l := meta.Methodology.RiskLevels[i]
		addRow(&rel, 0, "Gestione del rischio", "Rischi di livello "+l.Label, s.ByLevel[l.Code], "rischio inerente")
	}
	addRow(&rel, na, "Gestione del rischio", "Eventi corruttivi verificatisi nell'anno", NotAvailable, "")
	addRow(&rel, section, "2. Misure specifiche")
	types := sortedKeys(s.MeasuresByType)
	for _, t := range types {
		p := planned[t]
		if p[1] == 0 {
			continue
		}
		addRow(&rel, 0, "Misure specifiche", "Programmate – "+nameOf(names.MeasureTypes, t), p[1], "registro dei rischi")
	}
	specImpl := 0
	if last != nil {
		for _, ln := range last.Lines {
			if measures[ln.MeasureID].general == "" && ln.Status == string(domain.StatusImplemented) {
				specImpl++
			}
		}
		addRow(&rel, 0, "Misure specifiche", "Attuate", specImpl, lastText)
	} else {
		addRow(&rel, na, "Misure specifiche", "Attuate", NotAvailable, lastText)
	}
	for i, topic := range generalTopics {
		addRow(&rel, section, fmt.Sprintf("%d. %s", i+3, topic.section))
		for _, code := range topic.codes {
			n := nameOf(names.GeneralMeasures, code)
			addRow(&rel, 0, topic.section, "Applicazioni programmate – "+n, general[code], "registro dei rischi")
			if last != nil {
				addRow(&rel, 0, topic.section, "Applicazioni attuate – "+n, statusByGeneral[code][string(domain.StatusImplemented)], lastText)
			} else {
				addRow(&rel, na, topic.section, "Applicazioni attuate – "+n, NotAvailable, lastText)
			}
		}
		for _, m := range topic.missing {
			addRow(&rel, na, topic.section, m, NotAvailable, "")
		}
	}
	addRow(&rel, section, fmt.Sprintf("%d. Monitoraggio dell'attuazione delle misure", len(generalTopics)+3))
	addRow(&rel, 0, "Monitoraggio", "Rilevazioni svolte nel ciclo", len(rounds), "")
	if last == nil {
		addRow(&rel, na, "Monitoraggio", "Esito dell'ultima rilevazione chiusa", NotAvailable, lastText)
	} else {
		for _, st := range append(append([]string{}, ImplementationStatusOrder...), "non_rilevata") {
			label := ImplementationStatusLabels[st]
			if st == "non_rilevata" {
				label = "Non rilevate (autovalutazione mancante)"
			}
			addRow(&rel, 0, "Monitoraggio", "Misure "+label, statusAll[st], lastText)
		}
	}

	byType := sheet{name: "Misure per tipologia", widths: []float64{45, 14, 14, 12, 14, 14, 14, 14}, styles: map[int]int{0: head}}
	byType.rows = append(byType.rows, []any{"Tipologia di misura", "Generali programmate", "Specifiche programmate", "Totale", "Attuate", "Parzialmente attuate", "Non attuate o non avviate", "In corso"})
	for _, t := range types {
		p, st := planned[t], statusByType[t]
		byType.rows = append(byType.rows, []any{nameOf(names.MeasureTypes, t), p[0], p[1], p[0] + p[1],
			st["attuata"], st["parzialmente_attuata"], st["non_attuata"] + st["non_avviata"], st["in_corso_nei_tempi"] + st["in_ritardo"]})
	}
	gen := sheet{name: "Misure generali", widths: []float64{60, 16, 14, 16, 16}, styles: map[int]int{0: head}}
	gen.rows = append(gen.rows, []any{"Misura generale", "Applicazioni programmate", "Attuate", "Parzialmente attuate", "Non attuate o non avviate"})
	for _, code := range sortedKeys(general) {
		st := statusByGeneral[code]
		gen.rows = append(gen.rows, []any{nameOf(names.GeneralMeasures, code), general[code], st["attuata"], st["parzialmente_attuata"], st["non_attuata"] + st["non_avviata"]})
	}
	byStatus := sheet{name: "Misure per stato", widths: []float64{40, 16}, styles: map[int]int{0: head}}
	byStatus.rows = append(byStatus.rows, []any{"Stato di programmazione", "Numero di misure"})
	for _, k := range sortedKeys(s.MeasuresByStat) {
		label := measureStates[domain.MeasureStatus(k)]
		if label == "" {
			label = k
		}
		byStatus.rows = append(byStatus.rows, []any{label, s.MeasuresByStat[k]})
	}
	mon := sheet{name: "Monitoraggio", widths: []float64{16, 10, 40, 40, 10, 12}, styles: map[int]int{0: head}}
	header := []any{"Rilevazione al", "Stato", "Unità organizzativa", "Tipologia di misura", "Misure", "Autovalutate"}
	for _, st := range ImplementationStatusOrder {
		header = append(header, ImplementationStatusLabels[st])
		mon.widths = append(mon.widths, 12)
	}
	header = append(header, "Verificate dal RPCT")
	mon.widths = append(mon.widths, 12)
	mon.rows = append(mon.rows, header)
	sorted := append([]MonitoringRound{}, rounds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Date < sorted[j].Date })
	for _, r := range sorted {
		type key struct{ unit, typ string }
		agg := map[key]map[string]int{}
		var keys []key
		for _, ln := range r.Lines {
			k := key{ln.Unit, ln.Type}
			if agg[k] == nil {
				agg[k] = map[string]int{}
				keys = append(keys, k)
			}
			agg[k]["_n"]++
			if ln.Status != "" {
				agg[k]["_self"]++
				agg[k][ln.Status]++
			}
			if ln.Checked {
				agg[k]["_checked"]++
			}
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].unit != keys[j].unit {
				return nameOf(names.Units, keys[i].unit) < nameOf(names.Units, keys[j].unit)
			}
			return keys[i].typ < keys[j].typ
		})
		stateText := "aperta"
		if r.Closed {
			stateText = "chiusa"
		}
		if len(keys) == 0 {
			mon.rows = append(mon.rows, []any{ItalianDate(r.Date), stateText, "nessuna misura monitorata"})
		}
		for _, k := range keys {
			a := agg[k]
			unit := nameOf(names.Units, k.unit)
			if unit == "" {
				unit = "unità non indicata"
			}
			row := []any{ItalianDate(r.Date), stateText, unit, nameOf(names.MeasureTypes, k.typ), a["_n"], a["_self"]}
			for _, st := range ImplementationStatusOrder {
				row = append(row, a[st])
			}
			mon.rows = append(mon.rows, append(row, a["_checked"]))
		}
	}
	if len(rounds) == 0 {
		mon.styles[1] = na
		mon.rows = append(mon.rows, []any{"nessuna rilevazione", "", NotAvailable})
	}
	for i, sh := range []*sheet{&rel, &byType, &gen, &byStatus, &mon} {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		for r, row := range sh.rows {
			cell := "A" + strconv.Itoa(r+1)
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				return err
			}
			style := wrap
			if st, ok := sh.styles[r]; ok {
				style = st
			}
			end, _ := excelize.CoordinatesToCellName(max(len(row), 1), r+1)
			if err := f.SetCellStyle(sh.name, cell, end, style); err != nil {
				return err
			}
		}
		for c, wd := range sh.widths {
			col, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(sh.name, col, col, wd); err != nil {
				return err
			}
		}
		freeze := 1
		if i == 0 {
			freeze = 3
		}
		if err := f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: freeze, TopLeftCell: "A" + strconv.Itoa(freeze+1), ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Dati per la relazione annuale del RPCT – " + ente + " – " + meta.Cycle, Creator: "Argine", Language: "it-IT"}); err != nil {
		return err
	}
	return f.Write(w)
}
