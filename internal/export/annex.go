package export

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
)

// Names are the readable names of the codes a register refers to: documents for people say "Camera di
// commercio di ..." and "Contratti pubblici", never "cciaa-x" or "B".
type Names struct {
	Ente            string            // the body's full name
	Units           map[string]string // unit code → name
	Areas           map[string]string // risk area code → name
	MeasureTypes    map[string]string // T01.. → name
	GeneralMeasures map[string]string // MG01.. → name
	EnablingFactors map[string]string // FA-a.. → "FA-a – description" (the code alone when unknown)
	// AdoptedAt is the adoption's date (YYYY-MM-DD), also the documents' fixed timestamp.
	AdoptedAt string
	// DeliberationNumber and DeliberationDate are the Giunta's act.
	DeliberationNumber, DeliberationDate string
}

func nameOf(m map[string]string, code string) string {
	if n := m[code]; n != "" {
		return n
	}
	return code
}

func (n Names) units(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = nameOf(n.Units, c)
	}
	return strings.Join(out, "; ")
}

func (n Names) areas(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = nameOf(n.Areas, c)
	}
	return strings.Join(out, "; ")
}

var monthsIT = [...]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
	"ottobre", "novembre", "dicembre"}

// ItalianDate writes a YYYY-MM-DD date as "31 gennaio 2027" (the first of the month as "1º"); anything
// else is returned as it is.
func ItalianDate(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return ItalianTime(t)
}

// ItalianTime writes a time's date in Italian.
func ItalianTime(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1º"
	}
	return day + " " + monthsIT[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// levelPalettes colour a methodology's levels from the lowest to the highest by how many it has: light tints
// (dark text reads on all of them), green for the lowest, red for the highest.
var levelPalettes = map[int][]string{
	1: {"C8E6C9"},
	2: {"C8E6C9", "EF9A9A"},
	3: {"C8E6C9", "FFF59D", "EF9A9A"},
	4: {"C8E6C9", "FFF59D", "FFCC80", "EF9A9A"},
	5: {"C8E6C9", "FFF59D", "FFCC80", "EF9A9A", "CE93D8"},
}

// LevelColour is the fill of a risk level: its position among the profile's levels ordered by rank (more than
// five levels share the five colours by position).
func LevelColour(p domain.Profile, code string) string {
	l, ok := p.LevelByCode(code)
	if !ok {
		return ""
	}
	below := 0
	for _, x := range p.RiskLevels {
		if x.Rank < l.Rank {
			below++
		}
	}
	n := len(p.RiskLevels)
	palette := levelPalettes[min(n, 5)]
	if n > 5 {
		return palette[below*5/n]
	}
	return palette[min(below, len(palette)-1)]
}

func levelCell(p domain.Profile, code string) document.Cell {
	if code == "" {
		return document.Text("—")
	}
	label := code
	if l, ok := p.LevelByCode(code); ok {
		label = l.Label
	}
	return document.Cell{Text: label, Fill: LevelColour(p, code), Bold: true}
}

// cellLevel is the level of a heat-map cell (likelihood value, impact value).
func cellLevel(p domain.Profile, l, i int) string {
	if len(p.Matrix) >= l && l > 0 && len(p.Matrix[l-1]) >= i && i > 0 {
		return p.Matrix[l-1][i-1]
	}
	x := float64(l * i)
	for k, b := range p.Bands {
		if x >= b.Min && (x < b.Max || (k == len(p.Bands)-1 && x <= b.Max)) {
			return b.Level
		}
	}
	return ""
}

var measureStates = map[domain.MeasureStatus]string{domain.MeasureNew: "Nuova", domain.MeasureConfirmed: "Esistente, confermata",
	domain.MeasureModified: "Esistente, modificata", domain.MeasureDropped: "Non più prevista"}

// processOf is the process a leaf belongs to, for grouping: its process, itself when it is one, else its
// macro-process.
func processOf(l Leaf) domain.MapNode {
	switch {
	case l.Process.Code != "":
		return l.Process
	case l.Node.Level == domain.LevelProcess:
		return l.Node
	default:
		return l.Macro
	}
}

func scoreText(v float64, label string) string {
	if label != "" {
		return label
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// AnnexDocument builds the register annex of the plan (PIAO sottosezione 2.3) as one document model, from
// which the ODT, the DOCX and the PDF are all written: cover (with the deliberation and the snapshot's
// hash once adopted), figures by level and area, the heat map as a coloured table, the measures grouped by
// process with phases, dates and responsible, a "scheda" per process, the comparison with the previous
// cycle when given, and the methodology. Until adoption every page carries the BOZZA watermark.
func AnnexDocument(src Source, names Names, cmp *Comparison, now time.Time) (*document.Document, error) {
	meta := src.Meta()
	p := meta.Methodology
	ente := names.Ente
	if ente == "" {
		ente = meta.Ente
	}
	title := "Registro dei rischi corruttivi – ciclo " + meta.Cycle
	d := &document.Document{
		Title: title, Subject: "PIAO, sottosezione 2.3 «Rischi corruttivi e trasparenza»: allegato registro dei rischi",
		Author: ente, Language: "it-IT", Landscape: true,
		Header:     ente + " – Registro dei rischi corruttivi – ciclo " + meta.Cycle,
		FooterText: "Prodotto con Argine",
		Cover:      &document.Cover{Title: "Registro dei rischi corruttivi", Subtitle: ente + "\nPIAO, sottosezione 2.3 – ciclo " + meta.Cycle},
		Date:       now,
	}
	if meta.Adopted {
		if t, err := time.Parse("2006-01-02", names.AdoptedAt); err == nil {
			d.Date = t
		}
		delib := meta.Deliberation
		if names.DeliberationNumber != "" {
			delib = "deliberazione n. " + names.DeliberationNumber + " del " + ItalianDate(names.DeliberationDate)
		}
		d.Cover.Lines = []string{"Adottato dalla Giunta con " + delib,
			"Impronta SHA-256 del registro adottato:", meta.SnapshotHash}
		if meta.AuditHeadHash != "" {
			d.Cover.Lines = append(d.Cover.Lines, fmt.Sprintf("Traccia di audit all'adozione: record n. %d, impronta SHA-256", meta.AuditHeadSeq), meta.AuditHeadHash)
		}
	} else {
		d.Watermark = "BOZZA"
		d.Header = "BOZZA – " + d.Header
		d.Cover.Lines = []string{"BOZZA – registro non ancora adottato dalla Giunta", "Situazione al " + ItalianTime(now)}
	}
	add := func(b ...document.Block) { d.Blocks = append(d.Blocks, b...) }
	// One pass over the register counts it and fills both the plan and the schede, process by process (leaves
	// come in map order, so a process's leaves are contiguous); the figures are placed first afterwards.
	s := newSummary()
	var plan, schede []document.Block
	var cur domain.MapNode
	var measures, risks *document.Table
	var leaves int
	var units, areas []string
	flush := func() {
		if cur.Code == "" {
			return
		}
		head := cur.Code + " – " + cur.Title
		plan = append(plan, &document.Heading{Level: 2, Text: head})
		if len(measures.Rows) == 0 {
			plan = append(plan, &document.Paragraph{Text: "Nessuna misura programmata per le attività di questo processo.", Small: true})
		} else {
			plan = append(plan, measures)
		}
		schede = append(schede, &document.Heading{Level: 2, Text: "Scheda del processo " + head},
			&document.Table{Header: []string{"Voce", "Contenuto"}, Widths: []float64{1, 4}, Rows: [][]document.Cell{
				{document.Text("Attività valutate"), document.Text(strconv.Itoa(leaves))},
				{document.Text("Unità organizzative responsabili"), document.Text(names.units(units))},
				{document.Text("Aree di rischio"), document.Text(names.areas(areas))},
				{document.Text("Misure programmate"), document.Text(strconv.Itoa(len(measures.Rows)))},
			}}, risks)
	}
	err := src.Each(func(l Leaf) error {
		s.add(l)
		if pr := processOf(l); pr.Code != cur.Code || cur.Code == "" {
			flush()
			cur, leaves, units, areas = pr, 0, nil, nil
			measures = &document.Table{Caption: "Misure", Widths: []float64{2.2, 3.2, 1.6, 1.8, 1.4, 3, 1.6, 1.2},
				Header: []string{"Attività", "Misura", "Tipologia", "Unità responsabile", "Responsabile", "Fasi e scadenze", "Periodo", "Stato"}}
			risks = &document.Table{Caption: "Rischi valutati", Widths: []float64{2.2, 3.5, 1.1, 1.1, 1.2, 3, 1.6, 1.2},
				Header: []string{"Attività", "Evento rischioso", "Probabilità", "Impatto", "Livello inerente", "Motivazione del giudizio", "Ponderazione", "Livello residuo"}}
		}
		leaves++
		units, areas = appendNew(units, l.Node.Units...), appendNew(areas, l.Node.RiskAreas...)
		leaf := document.Text(l.Node.Code + " " + l.Node.Title)
		for _, r := range l.Assessment.Risks {
			lik, imp, lev, res := document.Text(""), document.Text(""), document.Text("—"), document.Text("—")
			if sc := r.InherentScore; sc != nil {
				lik, imp, lev = document.Text(scoreText(sc.Likelihood, sc.LikelihoodLabel)), document.Text(scoreText(sc.Impact, sc.ImpactLabel)), levelCell(p, sc.Level)
			}
			if sc := r.ResidualScore; sc != nil {
				res = levelCell(p, sc.Level)
			}
			risks.Rows = append(risks.Rows, []document.Cell{leaf, document.Text(r.EventDescription), lik, imp, lev,
				document.Text(r.Inherent.Reason), document.Text(decisions[r.Decision]), res})
		}
		for _, m := range l.Assessment.Measures {
			measures.Rows = append(measures.Rows, measureRow(leaf, m, names))
		}
		for _, m := range l.Assessment.Withdrawn {
			m.Title = withdrawnTitle(m)
			row := measureRow(leaf, m, names)
			row[7] = document.Text("Ritirata")
			measures.Rows = append(measures.Rows, row)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	flush()
	add(&document.Heading{Level: 1, Text: "1. Quadro d'insieme"},
		&document.Paragraph{Text: fmt.Sprintf("Rischi valutati: %d, su %d misure programmate. Metodologia: %s.", s.Risks, s.Measures, p.Name)})
	byLevel := &document.Table{Caption: "Rischi per livello di rischio inerente", Header: []string{"Livello", "Numero di rischi"}, Widths: []float64{3, 1}}
	for i := len(p.RiskLevels) - 1; i >= 0; i-- {
		l := p.RiskLevels[i]
		byLevel.Rows = append(byLevel.Rows, []document.Cell{levelCell(p, l.Code), document.Text(strconv.Itoa(s.ByLevel[l.Code]))})
	}
	byArea := &document.Table{Caption: "Rischi per area di rischio", Header: []string{"Area di rischio", "Numero di rischi"}, Widths: []float64{3, 1}}
	for _, a := range sortedKeys(s.ByArea) {
		byArea.Rows = append(byArea.Rows, []document.Cell{document.Text(nameOf(names.Areas, a)), document.Text(strconv.Itoa(s.ByArea[a]))})
	}
	add(byLevel, byArea)
	heat := &document.Table{Caption: "Mappa di calore del rischio inerente: probabilità per riga, impatto per colonna; in ogni casella il numero di rischi e il livello",
		Header: []string{"Probabilità \\ Impatto"}}
	for _, i := range p.ImpactScale {
		heat.Header = append(heat.Header, i.Label)
	}
	for li := len(p.LikelihoodScale) - 1; li >= 0; li-- {
		l := p.LikelihoodScale[li]
		row := []document.Cell{{Text: l.Label, Bold: true}}
		for _, i := range p.ImpactScale {
			lev := cellLevel(p, l.Value, i.Value)
			c := levelCell(p, lev)
			c.Bold = false
			c.Text = strconv.Itoa(s.Heat[[2]int{l.Value, i.Value}]) + " – " + c.Text
			row = append(row, c)
		}
		heat.Rows = append(heat.Rows, row)
	}
	add(heat)

	add(&document.PageBreak{}, &document.Heading{Level: 1, Text: "2. Piano delle misure per processo"},
		&document.Paragraph{Text: "Per ogni processo, le misure programmate con tipologia, unità e persona responsabili, fasi e scadenze.", Small: true})
	add(plan...)
	add(&document.PageBreak{}, &document.Heading{Level: 1, Text: "3. Schede dei processi"})
	add(schede...)
	section := 4
	if cmp != nil {
		add(&document.PageBreak{})
		add(ComparisonBlocks(cmp, p, fmt.Sprintf("%d. ", section))...)
		section++
	}
	add(&document.PageBreak{}, &document.Heading{Level: 1, Text: fmt.Sprintf("%d. Metodologia", section)},
		&document.Paragraph{Text: p.Name})
	lt := &document.Table{Caption: "Indicatori", Header: []string{"Indicatore", "Dimensione", "Livelli"}, Widths: []float64{2, 1, 5}}
	for _, set := range []struct {
		dim  string
		inds []domain.Indicator
	}{{"Probabilità", p.LikelihoodIndicators}, {"Impatto", p.ImpactIndicators}} {
		for _, ind := range set.inds {
			var lv []string
			for _, l := range ind.Levels {
				lv = append(lv, fmt.Sprintf("%d – %s: %s", l.Value, l.Label, l.Description))
			}
			lt.Rows = append(lt.Rows, []document.Cell{document.Text(ind.Code + " " + ind.Name), document.Text(set.dim), document.Text(strings.Join(lv, "\n"))})
		}
	}
	levels := &document.Table{Caption: "Livelli di rischio", Header: []string{"Livello"}}
	for i := len(p.RiskLevels) - 1; i >= 0; i-- {
		levels.Rows = append(levels.Rows, []document.Cell{levelCell(p, p.RiskLevels[i].Code)})
	}
	add(lt, levels)
	return d, nil
}

func measureRow(leaf document.Cell, m domain.Measure, names Names) []document.Cell {
	title := m.Title
	if m.Nature == "general" && m.GeneralCode != "" {
		title += "\n(misura generale: " + nameOf(names.GeneralMeasures, m.GeneralCode) + ")"
	}
	var phases []string
	for _, ph := range m.Phases {
		if ph.Start != "" {
			phases = append(phases, ph.Title+" – dal "+ItalianDate(ph.Start)+" al "+ItalianDate(ph.Deadline))
			continue
		}
		phases = append(phases, ph.Title+" – entro il "+ItalianDate(ph.Deadline))
	}
	period := ""
	if m.Start != "" || m.End != "" {
		period = "dal " + ItalianDate(m.Start) + "\nal " + ItalianDate(m.End)
	}
	return []document.Cell{leaf, document.Text(title), document.Text(nameOf(names.MeasureTypes, m.Type)), document.Text(nameOf(names.Units, m.Unit)),
		document.Text(m.Owner), document.Text(strings.Join(phases, "\n")), document.Text(period), document.Text(measureStates[m.Status])}
}

func appendNew(list []string, xs ...string) []string {
outer:
	for _, x := range xs {
		for _, y := range list {
			if x == y {
				continue outer
			}
		}
		list = append(list, x)
	}
	return list
}
