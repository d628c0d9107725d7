package export

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/csvsafe"
	"github.com/argine-pa/argine/internal/domain"
)

// NotInArgine is the value of a platform field Argine does not hold: the RPCT fills it on the platform.
const NotInArgine = "dato non disponibile in Argine"

// PlatformRow is one field of a platform section with the value Argine proposes and where it comes from.
type PlatformRow struct {
	Field, Value, Source string
}

// PlatformTable is a list the platform asks item by item (the general measures, the obligations...).
type PlatformTable struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// PlatformSection is one section (A–M) of ANAC's PTPCT acquisition platform, filled from Argine's data.
type PlatformSection struct {
	Letter, Title string
	// Sheet is the section's worksheet name (Excel allows 31 characters).
	Sheet  string
	Rows   []PlatformRow
	Tables []PlatformTable
}

// platformInput is what the sections are filled from.
type platformInput struct {
	meta  Meta
	names Names
	s     *Sottosezione
	sum   Summary
	// specific are the register's specific measures, with their leaf.
	specific [][]string
	assessed int
	// byProcess counts the leaves assessed at process level (the cycle's option for bodies that map less finely).
	byProcess int
}

// platformSection defines a section: its letter, its title on the platform, and how it is filled. The list is
// data: ANAC's exact field list is not public in the sources Argine was built from (domain-spec §8.1 names the
// sections A–M and their subjects only), so the fields below are Argine's proposal and change here alone.
type platformSection struct {
	letter, title, sheet string
	fill                 func(in *platformInput, out *PlatformSection)
}

func yesNo(b bool) string {
	if b {
		return "sì"
	}
	return "no"
}

func itoa(i int) string { return strconv.Itoa(i) }

var platformSections = []platformSection{
	{"A", "Informazioni ricognitive", "A Ricognizione", func(in *platformInput, out *PlatformSection) {
		out.Rows = append(out.Rows, PlatformRow{"Denominazione dell'amministrazione", in.names.Ente, "anagrafica dell'ente"},
			PlatformRow{"Ciclo di programmazione", in.meta.Cycle, "ciclo"},
			PlatformRow{"Regime semplificato (meno di 50 dipendenti)", yesNo(in.s.Settings.Simplified), "impostazioni della sottosezione"})
		head := NotInArgine
		if in.s.Settings.Headcount != nil {
			head = itoa(*in.s.Settings.Headcount)
			if in.s.Settings.HeadcountDate != "" {
				head += " al " + ItalianDate(in.s.Settings.HeadcountDate)
			}
		}
		out.Rows = append(out.Rows, PlatformRow{"Numero di dipendenti", head, "impostazioni della sottosezione"},
			PlatformRow{"Nominativo del RPCT", NotInArgine, ""})
	}},
	{"B", "Iter di redazione e approvazione", "B Iter e approvazione", func(in *platformInput, out *PlatformSection) {
		adoption := "non ancora adottata"
		if in.meta.Adopted {
			adoption = "deliberazione n. " + in.names.DeliberationNumber + " del " + ItalianDate(in.names.DeliberationDate)
		}
		out.Rows = append(out.Rows, PlatformRow{"Atto di adozione", adoption, "adozione del ciclo"})
		c := in.s.Consultation
		out.Rows = append(out.Rows, PlatformRow{"Consultazione pubblica svolta", yesNo(c != nil), "sottosezione › consultazione"})
		if c != nil {
			accepted := 0
			for _, k := range c.Contributions {
				if k.Outcome == "accolto" || k.Outcome == "parzialmente_accolto" {
					accepted++
				}
			}
			out.Rows = append(out.Rows, PlatformRow{"Periodo della consultazione", "dal " + ItalianDate(c.Start) + " al " + ItalianDate(c.End), "sottosezione › consultazione"},
				PlatformRow{"Canale", nameOf(consultationChannels, c.Channel), "sottosezione › consultazione"},
				PlatformRow{"Destinatari", c.Audience, "sottosezione › consultazione"},
				PlatformRow{"Contributi ricevuti", itoa(len(c.Contributions)), "sottosezione › consultazione"},
				PlatformRow{"Contributi accolti, anche in parte", itoa(accepted), "sottosezione › consultazione"})
		}
	}},
	{"C", "Notizie sulla governance", "C Governance", func(in *platformInput, out *PlatformSection) {
		act := NotInArgine
		if o := in.s.Objectives; o != nil && o.Act != "" {
			act = o.Act
		}
		out.Rows = append(out.Rows, PlatformRow{"Atto dell'organo di indirizzo che fissa gli obiettivi strategici", act, "sottosezione › obiettivi"},
			PlatformRow{"Gruppo di lavoro e coinvolgimento dei responsabili", NotInArgine, ""})
	}},
	{"D", "Monitoraggio", "D Monitoraggio", func(in *platformInput, out *PlatformSection) {
		if mp := in.s.MonitoringPlan; mp != nil {
			out.Rows = append(out.Rows, PlatformRow{"Periodicità del monitoraggio", mp.Frequency, "piano di monitoraggio"},
				PlatformRow{"Date di rilevazione", strings.Join(mp.ReferenceDates, ", "), "piano di monitoraggio"},
				PlatformRow{"Campione verificato (%)", itoa(mp.SamplePercent), "piano di monitoraggio"},
				PlatformRow{"Criteri di campionamento", mp.SamplingCriteria, "piano di monitoraggio"})
		} else {
			out.Rows = append(out.Rows, PlatformRow{"Periodicità del monitoraggio", NotInArgine, "piano di monitoraggio non impostato"})
		}
		out.Rows = append(out.Rows, PlatformRow{"Rilevazioni di monitoraggio chiuse", itoa(len(in.s.Rounds)), "monitoraggio"})
		riesame := "no"
		if r := in.s.Riesame; r != nil {
			riesame = "sì"
			if r.Date != "" {
				riesame += ", il " + ItalianDate(r.Date)
			}
		}
		out.Rows = append(out.Rows, PlatformRow{"Riesame del sistema svolto", riesame, "sottosezione › riesame"})
		if len(in.s.Rounds) > 0 {
			t := PlatformTable{Caption: "Esiti delle rilevazioni", Header: []string{"Ciclo", "Rilevazione", "Stato di attuazione", "Misure specifiche", "Misure generali"}}
			for _, r := range in.s.Rounds {
				for _, st := range implementationOrder {
					if r.Specific[st]+r.Programme[st] > 0 {
						t.Rows = append(t.Rows, []string{r.Cycle, r.Date, ImplementationStatusLabels[st], itoa(r.Specific[st]), itoa(r.Programme[st])})
					}
				}
			}
			out.Tables = append(out.Tables, t)
		}
	}},
	{"E", "Coordinamento con gli strumenti di programmazione", "E Coordinamento programmazione", func(in *platformInput, out *PlatformSection) {
		o := in.s.Objectives
		if o == nil {
			out.Rows = append(out.Rows, PlatformRow{"Obiettivi strategici di prevenzione e trasparenza", NotInArgine, "sottosezione › obiettivi non compilata"})
			return
		}
		linked := 0
		t := PlatformTable{Caption: "Obiettivi strategici", Header: []string{"Codice", "Obiettivo", "Ambito", "Obiettivi di performance collegati", "Indicatori e target"}}
		for _, ob := range o.Objectives {
			if len(ob.PerformanceObjectives) > 0 {
				linked++
			}
			var inds []string
			for _, x := range ob.Indicators {
				inds = append(inds, fmt.Sprintf("%s: %s (%d)", x.Name, x.Target, x.Year))
			}
			t.Rows = append(t.Rows, []string{ob.Code, ob.Title, nameOf(objectiveKinds, ob.Kind), strings.Join(ob.PerformanceObjectives, ", "), strings.Join(inds, "; ")})
		}
		out.Rows = append(out.Rows, PlatformRow{"Obiettivi strategici di prevenzione e trasparenza", itoa(len(o.Objectives)), "sottosezione › obiettivi"},
			PlatformRow{"Obiettivi collegati a obiettivi di performance", itoa(linked), "sottosezione › obiettivi"})
		out.Tables = append(out.Tables, t)
	}},
	{"F", "Analisi del contesto esterno", "F Contesto esterno", func(in *platformInput, out *PlatformSection) {
		contextRows(in, out, func(c *domain.ContextAnalysis) domain.ContextScope { return c.External })
	}},
	{"G", "Analisi del contesto interno", "G Contesto interno", func(in *platformInput, out *PlatformSection) {
		contextRows(in, out, func(c *domain.ContextAnalysis) domain.ContextScope { return c.Internal })
		var processes, subprocesses int
		for _, n := range in.s.Nodes {
			switch n.Level {
			case domain.LevelProcess:
				processes++
			case domain.LevelSubprocess:
				subprocesses++
			}
		}
		level := "attività"
		if in.byProcess > 0 {
			level = fmt.Sprintf("processo (%d processi valutati come unità)", in.byProcess)
		}
		out.Rows = append(out.Rows, PlatformRow{"Processi mappati", itoa(processes), "mappa dei processi"},
			PlatformRow{"Sottoprocessi mappati", itoa(subprocesses), "mappa dei processi"},
			PlatformRow{"Livello di dettaglio della valutazione", level, "registro"},
			PlatformRow{"Attività valutate", itoa(in.assessed), "registro"},
			PlatformRow{"Attività escluse dalla valutazione", itoa(in.s.Exclusions), "registro"})
	}},
	{"H", "Valutazione del rischio", "H Valutazione del rischio", func(in *platformInput, out *PlatformSection) {
		p := in.meta.Methodology
		var inds []string
		for _, x := range append(append([]domain.Indicator{}, p.LikelihoodIndicators...), p.ImpactIndicators...) {
			inds = append(inds, x.Code+" "+x.Name)
		}
		out.Rows = append(out.Rows, PlatformRow{"Metodologia di valutazione", p.Name, "metodologia del ciclo"},
			PlatformRow{"Indicatori di stima del rischio", strings.Join(inds, "; "), "metodologia del ciclo"},
			PlatformRow{"Rischi valutati", itoa(in.sum.Risks), "registro"})
		t := PlatformTable{Caption: "Rischi per livello e per area", Header: []string{"Raggruppamento", "Voce", "Numero di rischi"}}
		for i := len(p.RiskLevels) - 1; i >= 0; i-- {
			l := p.RiskLevels[i]
			t.Rows = append(t.Rows, []string{"Livello di rischio inerente", l.Label, itoa(in.sum.ByLevel[l.Code])})
		}
		for _, a := range sortedKeys(in.sum.ByArea) {
			t.Rows = append(t.Rows, []string{"Area di rischio", nameOf(in.names.Areas, a), itoa(in.sum.ByArea[a])})
		}
		out.Tables = append(out.Tables, t)
	}},
	{"I", "Misure generali", "I Misure generali", func(in *platformInput, out *PlatformSection) {
		out.Rows = append(out.Rows, PlatformRow{"Misure generali programmate", itoa(len(in.s.Programme)), "programma delle misure generali"})
		t := PlatformTable{Caption: "Programma delle misure generali", Header: []string{"Codice", "Misura generale di riferimento", "Titolo", "Tipologia",
			"Base normativa", "Ufficio responsabile", "Inizio", "Fine", "Fasi e scadenze", "Indicatori e target", "Stato", FactorsHeading,
			"Costo e sostenibilità"}}
		for _, m := range in.s.Programme {
			t.Rows = append(t.Rows, []string{m.Code, m.GeneralCode, m.Title, nameOf(in.names.MeasureTypes, m.Type), m.LegalBasis, nameOf(in.names.Units, m.Unit),
				m.Start, m.End, PhasesCell(m.Phases), IndicatorsCell(m.Indicators), measureStates[m.Status], strings.Join(m.EnablingFactors, "; "), m.CostNote})
		}
		out.Tables = append(out.Tables, t)
	}},
	{"L", "Misure specifiche", "L Misure specifiche", func(in *platformInput, out *PlatformSection) {
		out.Rows = append(out.Rows, PlatformRow{"Misure specifiche programmate", itoa(len(in.specific)), "registro"})
		t := PlatformTable{Caption: "Misure specifiche", Header: []string{"Attività", "Misura", "Tipologia", "Unità responsabile", "Inizio", "Fine",
			"Fasi e scadenze", "Indicatori e target", "Stato", FactorsHeading, "Costo e sostenibilità"}}
		t.Rows = in.specific
		out.Tables = append(out.Tables, t)
	}},
	{"M", "Trasparenza", "M Trasparenza", func(in *platformInput, out *PlatformSection) {
		out.Rows = append(out.Rows, PlatformRow{"Obblighi di pubblicazione nella griglia", itoa(len(in.s.Obligations)), "trasparenza › griglia"})
		t := PlatformTable{Caption: "Obblighi di pubblicazione", Header: []string{"Codice", "Sezione", "Sottosezione", "Obbligo", "Riferimento normativo",
			"Aggiornamento", "Ufficio che produce", "Ufficio che pubblica", "Termine"}}
		for _, o := range in.s.Obligations {
			t.Rows = append(t.Rows, []string{o.Code, o.Section, o.Subsection, o.Obligation, o.LegalReference, o.Frequency,
				nameOf(in.names.Units, o.ProducingUnit), nameOf(in.names.Units, o.PublishingUnit), o.Deadline})
		}
		out.Tables = append(out.Tables, t)
		if len(in.s.CivicAccess) > 0 {
			c := PlatformTable{Caption: "Accesso civico", Header: []string{"Anno", "Tipo", "Ricevute", "Accolte", "Rifiutate", "In corso"}}
			for _, x := range in.s.CivicAccess {
				c.Rows = append(c.Rows, []string{itoa(x.Year), x.Kind, itoa(x.Received), itoa(x.Accepted), itoa(x.Refused), itoa(x.Pending)})
			}
			out.Tables = append(out.Tables, c)
		}
	}},
}

func contextRows(in *platformInput, out *PlatformSection, scope func(*domain.ContextAnalysis) domain.ContextScope) {
	if in.s.Context == nil {
		out.Rows = append(out.Rows, PlatformRow{"Analisi svolta", NotInArgine, "sottosezione › contesto non compilata"})
		return
	}
	sc := scope(in.s.Context)
	out.Rows = append(out.Rows, PlatformRow{"Sintesi", sc.Text, "sottosezione › contesto"},
		PlatformRow{"Dati a supporto", itoa(len(sc.Items)), "sottosezione › contesto"})
	t := PlatformTable{Caption: "Dati a supporto", Header: []string{"Ambito", "Dato", "Valore", "Unità", "Anno", "Fonte", "Data della fonte"}}
	for _, it := range sc.Items {
		year := ""
		if it.Year > 0 {
			year = itoa(it.Year)
		}
		t.Rows = append(t.Rows, []string{nameOf(contextCategories, it.Category), it.Label, numberText(it.Value), it.Unit, year, it.Source, it.SourceDate})
	}
	out.Tables = append(out.Tables, t)
}

// PlatformSections fills ANAC's PTPCT platform sections A–M, in the platform's order, from the register and
// the sottosezione.
func PlatformSections(src Source, names Names, s *Sottosezione) ([]PlatformSection, error) {
	in := &platformInput{meta: src.Meta(), names: names, s: s, sum: newSummary()}
	if in.names.Ente == "" {
		in.names.Ente = in.meta.Ente
	}
	err := src.Each(func(l Leaf) error {
		in.sum.add(l)
		in.assessed++
		if l.Node.Level == domain.LevelProcess {
			in.byProcess++
		}
		for _, m := range l.Assessment.Measures {
			if m.Nature == "general" {
				continue
			}
			in.specific = append(in.specific, []string{l.Node.Code + " " + l.Node.Title, m.Title, nameOf(names.MeasureTypes, m.Type), nameOf(names.Units, m.Unit),
				m.Start, m.End, PhasesCell(m.Phases), IndicatorsCell(m.Indicators), measureStates[m.Status], strings.Join(m.EnablingFactors, "; "), m.CostNote})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]PlatformSection, len(platformSections))
	for i, def := range platformSections {
		out[i] = PlatformSection{Letter: def.letter, Title: def.title, Sheet: def.sheet}
		def.fill(in, &out[i])
	}
	return out, nil
}

// WritePlatformXLSX writes the sections as a workbook, one sheet per section in the platform's order: the
// fields (Campo, Valore proposto, Fonte in Argine), then each list under its caption.
func WritePlatformXLSX(w io.Writer, meta Meta, sections []PlatformSection) (err error) {
	f := excelize.NewFile()
	defer func() { err = errors.Join(err, f.Close()) }()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	for i, sec := range sections {
		name := sec.Sheet
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for c, wd := range []float64{45, 60, 30, 25, 25, 20, 20, 30, 30, 20, 20} {
			if err := sw.SetColWidth(c+1, c+1, wd); err != nil {
				return err
			}
		}
		r := 1
		put := func(style int, cells ...string) error {
			row := make([]any, len(cells))
			for j, c := range cells {
				row[j] = excelize.Cell{StyleID: style, Value: c}
			}
			err := sw.SetRow("A"+strconv.Itoa(r), row)
			r++
			return err
		}
		title := "Sezione " + sec.Letter + " – " + sec.Title + " (ciclo " + meta.Cycle + ")"
		if !meta.Adopted {
			title += " – BOZZA"
		}
		if err := put(bold, title); err != nil {
			return err
		}
		r++
		if err := put(bold, "Campo", "Valore proposto", "Fonte in Argine"); err != nil {
			return err
		}
		for _, row := range sec.Rows {
			if err := put(wrap, row.Field, row.Value, row.Source); err != nil {
				return err
			}
		}
		for _, t := range sec.Tables {
			r++
			if err := put(bold, t.Caption); err != nil {
				return err
			}
			if err := put(bold, t.Header...); err != nil {
				return err
			}
			for _, row := range t.Rows {
				if err := put(wrap, row...); err != nil {
					return err
				}
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// WritePlatformCSV writes the sections as one CSV (UTF-8, comma), a line per value in the platform's order:
// sezione, campo, valore, fonte; a list's cell is the field "caption n. – column".
func WritePlatformCSV(w io.Writer, sections []PlatformSection) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write([]string{"sezione", "titolo_sezione", "campo", "valore", "fonte"}); err != nil {
		return err
	}
	for _, sec := range sections {
		for _, row := range sec.Rows {
			if err := cw.Write([]string{sec.Letter, sec.Title, row.Field, row.Value, row.Source}); err != nil {
				return err
			}
		}
		for _, t := range sec.Tables {
			for i, row := range t.Rows {
				for j, v := range row {
					if err := cw.Write([]string{sec.Letter, sec.Title, fmt.Sprintf("%s n. %d – %s", t.Caption, i+1, t.Header[j]), v, ""}); err != nil {
						return err
					}
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
