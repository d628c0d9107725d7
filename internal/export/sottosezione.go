package export

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
)

// Sottosezione is what the sottosezione document and the ANAC platform workbook are written from: the parts
// of PIAO sottosezione 2.3 beside the register, as adopted (from the snapshot) or live (a draft). A part the
// RPCT has not written is nil or empty, and the document says so instead of leaving a gap.
type Sottosezione struct {
	Context      *domain.ContextAnalysis
	Objectives   *domain.Objectives
	Consultation *domain.Consultation
	Riesame      *domain.Riesame
	Settings     domain.SottosezioneSettings
	Descriptions []domain.ProcessDescription
	// Nodes is the process map; Exclusions the number of leaves excluded from the assessment.
	Nodes      []domain.MapNode
	Exclusions int
	// PerformanceObjectives names the map's performance (strategic) objectives by code.
	PerformanceObjectives map[string]string
	Programme             []domain.ProgrammeMeasure
	Obligations           []domain.TransparencyObligation
	CivicAccess           []domain.CivicAccessCount
	// MonitoringPlan is the cycle's plan (nil when none was set); Rounds the closed monitoring rounds the
	// document reports (this cycle's, and the previous cycle's the riesame draws on).
	MonitoringPlan *MonitoringPlan
	Rounds         []RoundOutcome
}

// MonitoringPlan is the cycle's monitoring plan as the documents describe it.
type MonitoringPlan struct {
	Frequency        string   `json:"frequency"`
	ReferenceDates   []string `json:"reference_dates"`
	SamplingCriteria string   `json:"sampling_criteria"`
	SamplePercent    int      `json:"sample_percent"`
	SampleHighRisk   bool     `json:"sample_high_risk"`
	SampleOverdue    bool     `json:"sample_overdue"`
}

// RoundOutcome is a closed monitoring round: how many specific measures and programme (general) measures
// were found in each implementation status.
type RoundOutcome struct {
	Cycle     string         `json:"cycle"`
	Date      string         `json:"date"`
	Specific  map[string]int `json:"specific"`
	Programme map[string]int `json:"programme"`
}

// SottosezioneSections are the document's top-level headings, in the order of ANAC's PTPCT platform (iter and
// consultation, context, objectives, mapping, assessment, treatment, transparency, monitoring and riesame).
var SottosezioneSections = []string{
	"Premessa: iter di elaborazione e consultazione",
	"1. Analisi del contesto",
	"2. Obiettivi strategici di prevenzione della corruzione e di trasparenza",
	"3. Mappatura dei processi",
	"4. Valutazione del rischio",
	"5. Trattamento del rischio: misure generali e specifiche",
	"6. Trasparenza",
	"7. Monitoraggio e riesame",
}

var contextCategories = map[string]string{"territorio": "Territorio", "economia": "Economia", "criminalita": "Criminalità",
	"corruzione": "Corruzione", "stakeholder": "Portatori di interesse", "organizzazione": "Organizzazione", "personale": "Personale",
	"procedimenti_disciplinari": "Procedimenti disciplinari", "procedimenti_penali": "Procedimenti penali",
	"segnalazioni_whistleblowing": "Segnalazioni di whistleblowing", "rilievi_controlli": "Rilievi dei controlli"}

var consultationChannels = map[string]string{"online": "consultazione online", "focus_group": "focus group", "interviste": "interviste", "altro": "altro canale"}

var contributionOutcomes = map[string]string{"accolto": "Accolto", "parzialmente_accolto": "Parzialmente accolto",
	"non_accolto": "Non accolto", "da_valutare": "Da valutare"}

var achievedLabels = map[string]string{"si": "raggiunto", "parziale": "parzialmente raggiunto", "no": "non raggiunto"}

var objectiveKinds = map[string]string{"anticorruzione": "Prevenzione della corruzione", "trasparenza": "Trasparenza"}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func numberText(v *float64) string {
	if v == nil {
		return ""
	}
	return strings.Replace(strconv.FormatFloat(*v, 'f', -1, 64), ".", ",", 1)
}

func phasesLines(ph []domain.Phase) string {
	out := make([]string, len(ph))
	for i, p := range ph {
		out[i] = p.Title
		if p.Deadline != "" {
			out[i] += " – entro il " + ItalianDate(p.Deadline)
		}
	}
	return strings.Join(out, "\n")
}

func indicatorLines(in []domain.MeasureIndicator) string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = x.Name
		if x.Target != "" {
			out[i] += ": atteso " + x.Target
		}
		if x.Baseline != "" {
			out[i] += " (partenza " + x.Baseline + ")"
		}
	}
	return strings.Join(out, "\n")
}

func periodText(start, end string) string {
	if start == "" && end == "" {
		return ""
	}
	return "dal " + orDash(ItalianDate(start)) + "\nal " + orDash(ItalianDate(end))
}

// SottosezioneDocument builds the whole sottosezione 2.3 «Rischi corruttivi e trasparenza» as one document
// for the Giunta, in the order of ANAC's platform (SottosezioneSections), from the register (src) and the
// other parts (s). Once adopted it carries the deliberation and the snapshot's hash and its date is the
// adoption's (byte-stable output); until then every page is marked BOZZA.
func SottosezioneDocument(src Source, names Names, s *Sottosezione, now time.Time) (*document.Document, error) {
	meta := src.Meta()
	p := meta.Methodology
	ente := names.Ente
	if ente == "" {
		ente = meta.Ente
	}
	d := &document.Document{
		Title:   "Sottosezione 2.3 «Rischi corruttivi e trasparenza» – ciclo " + meta.Cycle,
		Subject: "Piano integrato di attività e organizzazione (PIAO), sottosezione 2.3 «Rischi corruttivi e trasparenza»",
		Author:  ente, Language: "it-IT",
		Header:     ente + " – PIAO, sottosezione 2.3 – ciclo " + meta.Cycle,
		FooterText: "Prodotto con Argine",
		Cover: &document.Cover{Title: "Rischi corruttivi e trasparenza",
			Subtitle: ente + "\nPiano integrato di attività e organizzazione, sottosezione 2.3 – ciclo " + meta.Cycle},
		Date: now,
	}
	if meta.Adopted {
		if t, err := time.Parse("2006-01-02", names.AdoptedAt); err == nil {
			d.Date = t
		}
		delib := meta.Deliberation
		if names.DeliberationNumber != "" {
			delib = "deliberazione n. " + names.DeliberationNumber + " del " + ItalianDate(names.DeliberationDate)
		}
		d.Cover.Lines = []string{"Adottata dalla Giunta con " + delib, "Impronta SHA-256 del registro adottato:", meta.SnapshotHash}
	} else {
		d.Watermark = "BOZZA"
		d.Header = "BOZZA – " + d.Header
		d.Cover.Lines = []string{"BOZZA – sottosezione non ancora adottata dalla Giunta", "Situazione al " + ItalianTime(now)}
	}
	add := func(b ...document.Block) { d.Blocks = append(d.Blocks, b...) }
	h1 := func(i int) { add(&document.Heading{Level: 1, Text: SottosezioneSections[i]}) }
	h2 := func(t string) { add(&document.Heading{Level: 2, Text: t}) }
	para := func(t string) { add(&document.Paragraph{Text: t}) }
	note := func(t string) { add(&document.Paragraph{Text: t, Small: true}) }
	missing := func(what string) { note(what + ": parte non ancora compilata in Argine.") }

	// The register is read once: counts, the highest risks and the specific measures by process.
	sum := newSummary()
	assessed := 0
	type riskLine struct {
		leaf, event, inherent, residual string
		rank                            int
	}
	var topRisks []riskLine
	var specific [][]document.Cell
	topRank := 0
	for _, l := range p.RiskLevels {
		topRank = max(topRank, l.Rank)
	}
	err := src.Each(func(l Leaf) error {
		sum.add(l)
		assessed++
		leaf := l.Node.Code + " " + l.Node.Title
		for _, r := range l.Assessment.Risks {
			if r.InherentScore == nil {
				continue
			}
			lv, ok := p.LevelByCode(r.InherentScore.Level)
			if !ok || lv.Rank < topRank-1 { // the two highest levels
				continue
			}
			res := ""
			if r.ResidualScore != nil {
				res = r.ResidualScore.Level
			}
			topRisks = append(topRisks, riskLine{leaf, r.EventDescription, r.InherentScore.Level, res, lv.Rank})
		}
		for _, m := range l.Assessment.Measures {
			if m.Nature == "general" {
				continue // in the programme
			}
			specific = append(specific, []document.Cell{document.Text(leaf), document.Text(withCostNote(m.Title, m.CostNote)), document.Text(nameOf(names.MeasureTypes, m.Type)),
				document.Text(nameOf(names.Units, m.Unit)), document.Text(phasesLines(m.Phases)), document.Text(names.factorLines(m.EnablingFactors)),
				document.Text(measureStates[m.Status])})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Premessa: the iter, the regime, the consultation (platform sections B and C).
	h1(0)
	para(fmt.Sprintf("La presente sottosezione del PIAO %s è predisposta dal Responsabile della prevenzione della corruzione e della trasparenza "+
		"(RPCT) sulla base degli obiettivi strategici fissati dall'organo di indirizzo (L. 190/2012, art. 1, c. 8; D.M. 132/2022, art. 3) "+
		"ed è sottoposta all'approvazione della Giunta. Il registro dei rischi completo è allegato (allegato unico «Registro dei rischi corruttivi»).", meta.Cycle))
	if s.Settings.Simplified {
		t := "L'ente applica il regime semplificato per le amministrazioni con meno di 50 dipendenti (D.M. 132/2022, art. 6; PNA 2022)"
		if s.Settings.Headcount != nil {
			t += fmt.Sprintf(": %d dipendenti in servizio", *s.Settings.Headcount)
			if s.Settings.HeadcountDate != "" {
				t += " al " + ItalianDate(s.Settings.HeadcountDate)
			}
		}
		para(t + ".")
		for _, w := range s.Settings.Waivers {
			note("• " + w.Title + " (" + w.Basis + ")")
		}
	}
	h2("Consultazione pubblica")
	if c := s.Consultation; c != nil {
		para(fmt.Sprintf("La consultazione pubblica si è svolta dal %s al %s tramite %s%s, rivolta a: %s. Contributi ricevuti: %d.",
			orDash(ItalianDate(c.Start)), orDash(ItalianDate(c.End)), nameOf(consultationChannels, c.Channel),
			map[bool]string{true: " (" + c.ChannelDetail + ")", false: ""}[c.ChannelDetail != ""], orDash(c.Audience), len(c.Contributions)))
		if len(c.Contributions) > 0 {
			t := &document.Table{Caption: "Contributi ricevuti e loro considerazione", Header: []string{"Data", "Proponente", "Sintesi", "Esito", "Motivazione"},
				Widths: []float64{1.2, 1.8, 3.5, 1.4, 3.5}}
			for _, k := range c.Contributions {
				t.Rows = append(t.Rows, []document.Cell{document.Text(ItalianDate(k.Date)), document.Text(k.From), document.Text(k.Summary),
					document.Text(nameOf(contributionOutcomes, k.Outcome)), document.Text(k.Reasoning)})
			}
			add(t)
		}
	} else {
		missing("Consultazione pubblica")
	}

	// 1. Context (platform sections F and G).
	add(&document.PageBreak{})
	h1(1)
	if c := s.Context; c != nil {
		for _, half := range []struct {
			title string
			scope domain.ContextScope
		}{{"1.1 Contesto esterno", c.External}, {"1.2 Contesto interno", c.Internal}} {
			h2(half.title)
			if strings.TrimSpace(half.scope.Text) != "" {
				para(half.scope.Text)
			}
			if len(half.scope.Items) == 0 {
				continue
			}
			t := &document.Table{Caption: "Dati a supporto – " + strings.ToLower(half.title[4:]), Header: []string{"Ambito", "Dato", "Valore", "Anno", "Fonte"},
				Widths: []float64{1.6, 3.4, 1.3, 0.8, 2.4}}
			for _, it := range half.scope.Items {
				val := numberText(it.Value)
				if val != "" && it.Unit != "" {
					val += " " + it.Unit
				}
				label := it.Label
				if it.OrgUnit != "" {
					label += " (" + nameOf(names.Units, it.OrgUnit) + ")"
				}
				if it.Text != "" {
					label += "\n" + it.Text
				}
				year := ""
				if it.Year > 0 {
					year = strconv.Itoa(it.Year)
				}
				source := it.Source
				if it.SourceDate != "" {
					source += ", " + ItalianDate(it.SourceDate)
				}
				t.Rows = append(t.Rows, []document.Cell{document.Text(nameOf(contextCategories, it.Category)), document.Text(label),
					document.Text(val), document.Text(year), document.Text(source)})
			}
			add(t)
		}
	} else {
		missing("Analisi del contesto")
	}

	// 2. Objectives (platform section E, coordination with the other programming tools).
	add(&document.PageBreak{})
	h1(2)
	if o := s.Objectives; o != nil && len(o.Objectives) > 0 {
		if o.Act != "" {
			para("Obiettivi fissati dall'organo di indirizzo con " + o.Act + ".")
		}
		for _, ob := range o.Objectives {
			h2(ob.Code + " – " + ob.Title)
			line := "Ambito: " + nameOf(objectiveKinds, ob.Kind) + "."
			if len(ob.PerformanceObjectives) > 0 {
				perf := make([]string, len(ob.PerformanceObjectives))
				for i, code := range ob.PerformanceObjectives {
					perf[i] = nameOf(s.PerformanceObjectives, code)
				}
				line += " Obiettivi di performance collegati: " + strings.Join(perf, "; ") + "."
			}
			para(line)
			if ob.Description != "" {
				para(ob.Description)
			}
			if len(ob.Indicators) > 0 {
				t := &document.Table{Caption: "Indicatori e target", Header: []string{"Indicatore", "Valore di partenza", "Target", "Anno", "Risultati"},
					Widths: []float64{3, 1.5, 1.5, 0.8, 3}}
				for _, in := range ob.Indicators {
					var res []string
					for _, r := range in.Results {
						res = append(res, fmt.Sprintf("%d: %s (%s)", r.Year, r.Value, nameOf(achievedLabels, r.Achieved)))
					}
					year := ""
					if in.Year > 0 {
						year = strconv.Itoa(in.Year)
					}
					t.Rows = append(t.Rows, []document.Cell{document.Text(in.Name), document.Text(in.Baseline), document.Text(in.Target),
						document.Text(year), document.Text(strings.Join(res, "\n"))})
				}
				add(t)
			}
		}
	} else {
		missing("Obiettivi strategici")
	}

	// 3. Mapping.
	add(&document.PageBreak{})
	h1(3)
	var processes, subprocesses, leaves int
	parents := map[string]bool{}
	for _, n := range s.Nodes {
		parents[n.ParentCode] = true
	}
	for _, n := range s.Nodes {
		switch n.Level {
		case domain.LevelProcess:
			processes++
		case domain.LevelSubprocess:
			subprocesses++
		}
		if !parents[n.Code] && n.Level != domain.LevelMacro {
			leaves++
		}
	}
	para(fmt.Sprintf("La mappa comprende %d processi, %d sottoprocessi e %d attività; %d attività sono state valutate e %d escluse dalla valutazione con motivazione.",
		processes, subprocesses, leaves, assessed, s.Exclusions))
	proc := &document.Table{Caption: "Processi mappati", Header: []string{"Codice", "Processo", "Unità organizzative", "Aree di rischio"},
		Widths: []float64{1, 4, 3, 3}}
	for _, n := range s.Nodes {
		if n.Level != domain.LevelProcess {
			continue
		}
		title := n.Title
		if n.Marker != "" {
			title += " (" + string(n.Marker) + ")"
		}
		proc.Rows = append(proc.Rows, []document.Cell{document.Text(n.Code), document.Text(title), document.Text(names.units(n.Units)), document.Text(names.areas(n.RiskAreas))})
	}
	if len(proc.Rows) > 0 {
		add(proc)
	}
	if len(s.Descriptions) > 0 {
		h2("Descrizione dei processi")
		titles := map[string]string{}
		for _, n := range s.Nodes {
			titles[n.Code] = n.Title
		}
		for _, ds := range s.Descriptions {
			t := &document.Table{Caption: ds.Node + " – " + titles[ds.Node], Header: []string{"Elemento", "Descrizione"}, Widths: []float64{1.3, 5}}
			for _, row := range [][2]string{{"Input", ds.Input}, {"Output", ds.Output}, {"Fasi", ds.Phases}, {"Responsabilità", ds.Responsibilities},
				{"Tempi", ds.Timing}, {"Vincoli", ds.Constraints}} {
				if strings.TrimSpace(row[1]) != "" {
					t.Rows = append(t.Rows, []document.Cell{document.Text(row[0]), document.Text(row[1])})
				}
			}
			add(t)
		}
	}

	// 4. Assessment (platform section H).
	add(&document.PageBreak{})
	h1(4)
	para(fmt.Sprintf("Il rischio è stimato con la metodologia «%s»: %d rischi valutati nelle %d attività. Il dettaglio di ogni rischio "+
		"(indicatori, motivazioni, ponderazione) è nel registro allegato.", p.Name, sum.Risks, assessed))
	byLevel := &document.Table{Caption: "Rischi per livello di rischio inerente", Header: []string{"Livello", "Numero di rischi"}, Widths: []float64{3, 1}}
	for i := len(p.RiskLevels) - 1; i >= 0; i-- {
		l := p.RiskLevels[i]
		byLevel.Rows = append(byLevel.Rows, []document.Cell{levelCell(p, l.Code), document.Text(strconv.Itoa(sum.ByLevel[l.Code]))})
	}
	byArea := &document.Table{Caption: "Rischi per area di rischio", Header: []string{"Area di rischio", "Numero di rischi"}, Widths: []float64{3, 1}}
	for _, a := range sortedKeys(sum.ByArea) {
		byArea.Rows = append(byArea.Rows, []document.Cell{document.Text(nameOf(names.Areas, a)), document.Text(strconv.Itoa(sum.ByArea[a]))})
	}
	add(byLevel, byArea)
	if len(topRisks) > 0 {
		sort.SliceStable(topRisks, func(i, j int) bool { return topRisks[i].rank > topRisks[j].rank })
		t := &document.Table{Caption: "Rischi dei due livelli più elevati", Header: []string{"Attività", "Evento rischioso", "Livello inerente", "Livello residuo"},
			Widths: []float64{3, 4, 1.4, 1.4}}
		for _, r := range topRisks {
			t.Rows = append(t.Rows, []document.Cell{document.Text(r.leaf), document.Text(r.event), levelCell(p, r.inherent), levelCell(p, r.residual)})
		}
		add(t)
	}

	// 5. Treatment (platform sections I and L).
	add(&document.PageBreak{})
	h1(5)
	h2("5.1 Misure generali (programma dell'ente)")
	if len(s.Programme) > 0 {
		t := &document.Table{Caption: "Programma delle misure generali", Widths: []float64{3.2, 1.4, 1.4, 1.4, 2.4, 2, 2, 1.2},
			Header: []string{"Misura", "Base normativa", "Tipologia", "Ufficio responsabile", "Fasi e scadenze", "Indicatori e target",
				FactorsHeading, "Periodo"}}
		for _, m := range s.Programme {
			title := m.Code + " – " + m.Title
			if m.Status == domain.MeasureDropped {
				title += " (non più prevista)"
			}
			var scope []string
			if len(m.Areas) > 0 {
				scope = append(scope, "aree: "+names.areas(m.Areas))
			}
			if len(m.Processes) > 0 {
				scope = append(scope, "processi: "+strings.Join(m.Processes, ", "))
			}
			if len(scope) > 0 {
				title += "\nAmbito: " + strings.Join(scope, "; ")
			}
			title = withCostNote(title, m.CostNote)
			t.Rows = append(t.Rows, []document.Cell{document.Text(title), document.Text(m.LegalBasis), document.Text(nameOf(names.MeasureTypes, m.Type)),
				document.Text(nameOf(names.Units, m.Unit)), document.Text(phasesLines(m.Phases)), document.Text(indicatorLines(m.Indicators)),
				document.Text(names.factorLines(m.EnablingFactors)), document.Text(periodText(m.Start, m.End))})
		}
		add(t)
	} else {
		missing("Programma delle misure generali")
	}
	h2("5.2 Misure specifiche")
	if len(specific) > 0 {
		add(&document.Table{Caption: "Misure specifiche per attività", Header: []string{"Attività", "Misura", "Tipologia", "Unità responsabile", "Fasi e scadenze",
			FactorsHeading, "Stato"}, Widths: []float64{2.4, 3.4, 1.6, 1.8, 2.6, 2, 1.4}, Rows: specific})
	} else {
		note("Nessuna misura specifica programmata.")
	}

	// 6. Transparency (platform section M).
	add(&document.PageBreak{})
	h1(6)
	para("Gli obblighi di pubblicazione nella sezione «Amministrazione trasparente» (d.lgs. 33/2013; ANAC, delibera 1310/2016, allegato 1), " +
		"con gli uffici responsabili della produzione e della pubblicazione dei dati (art. 10, c. 1, d.lgs. 33/2013).")
	if len(s.Obligations) > 0 {
		t := &document.Table{Caption: "Obblighi di pubblicazione", Widths: []float64{2, 3, 1.8, 1.3, 1.8, 1.8, 1.5},
			Header: []string{"Sezione", "Obbligo", "Riferimento normativo", "Aggiornamento", "Ufficio che produce", "Ufficio che pubblica", "Termine"}}
		for _, o := range s.Obligations {
			sec := o.Section
			if o.Subsection != "" {
				sec += " › " + o.Subsection
			}
			t.Rows = append(t.Rows, []document.Cell{document.Text(sec), document.Text(o.Obligation), document.Text(o.LegalReference), document.Text(o.Frequency),
				document.Text(nameOf(names.Units, o.ProducingUnit)), document.Text(nameOf(names.Units, o.PublishingUnit)), document.Text(o.Deadline)})
		}
		add(t)
	} else {
		missing("Griglia degli obblighi di pubblicazione")
	}
	h2("Accesso civico")
	if len(s.CivicAccess) > 0 {
		t := &document.Table{Caption: "Registro degli accessi: richieste per anno e tipo", Header: []string{"Anno", "Tipo", "Ricevute", "Accolte", "Rifiutate", "In corso"}}
		for _, c := range s.CivicAccess {
			t.Rows = append(t.Rows, []document.Cell{document.Text(strconv.Itoa(c.Year)), document.Text(c.Kind), document.Text(strconv.Itoa(c.Received)),
				document.Text(strconv.Itoa(c.Accepted)), document.Text(strconv.Itoa(c.Refused)), document.Text(strconv.Itoa(c.Pending))})
		}
		add(t)
	} else {
		note("Nessun dato sulle richieste di accesso civico.")
	}

	// 7. Monitoring and riesame (platform section D and the monitoring module).
	add(&document.PageBreak{})
	h1(7)
	h2("7.1 Piano di monitoraggio")
	if mp := s.MonitoringPlan; mp != nil {
		t := "Periodicità: " + orDash(mp.Frequency) + "."
		if len(mp.ReferenceDates) > 0 {
			ds := make([]string, len(mp.ReferenceDates))
			for i, x := range mp.ReferenceDates {
				ds[i] = ItalianDate(x)
			}
			t += " Rilevazioni al " + strings.Join(ds, ", ") + "."
		}
		if mp.SamplePercent > 0 {
			t += fmt.Sprintf(" Verifica a campione del %d%% delle misure", mp.SamplePercent)
			var always []string
			if mp.SampleHighRisk {
				always = append(always, "quelle dei rischi di livello elevato")
			}
			if mp.SampleOverdue {
				always = append(always, "quelle scadute")
			}
			if len(always) > 0 {
				t += ", oltre a tutte " + strings.Join(always, " e a tutte ")
			}
			t += "."
		}
		para(t)
		if mp.SamplingCriteria != "" {
			para("Criteri di campionamento: " + mp.SamplingCriteria)
		}
	} else {
		missing("Piano di monitoraggio")
	}
	h2("7.2 Esiti del monitoraggio")
	if len(s.Rounds) > 0 {
		t := &document.Table{Caption: "Stato di attuazione delle misure nelle rilevazioni chiuse", Header: []string{"Ciclo", "Rilevazione", "Stato di attuazione", "Misure specifiche", "Misure generali"},
			Widths: []float64{1.2, 1.6, 2.6, 1.4, 1.4}}
		for _, r := range s.Rounds {
			for _, st := range implementationOrder {
				if r.Specific[st] == 0 && r.Programme[st] == 0 {
					continue
				}
				t.Rows = append(t.Rows, []document.Cell{document.Text(r.Cycle), document.Text(ItalianDate(r.Date)), document.Text(ImplementationStatusLabels[st]),
					document.Text(strconv.Itoa(r.Specific[st])), document.Text(strconv.Itoa(r.Programme[st]))})
			}
		}
		add(t)
	} else {
		note("Nessuna rilevazione di monitoraggio chiusa.")
	}
	h2("7.3 Riesame del sistema")
	if r := s.Riesame; r != nil {
		if r.Date != "" {
			para(fmt.Sprintf("Riesame dell'anno %d, svolto il %s.", r.Year, ItalianDate(r.Date)))
		}
		for _, part := range [][2]string{{"Che cosa ha funzionato", r.Worked}, {"Che cosa non ha funzionato", r.NotWorked}, {"Modifiche per il prossimo ciclo", r.Changes}} {
			add(&document.Paragraph{Text: part[0], Bold: true})
			para(orDash(part[1]))
		}
		if c := r.Confirmation; c != nil {
			para("Il piano è confermato per l'anno successivo (regime semplificato) con " + orDash(c.Act) + ": nel periodo non si sono verificati fatti corruttivi, " +
				"modifiche organizzative rilevanti, modifiche degli obiettivi strategici né ipotesi di disfunzioni amministrative significative.")
		}
	} else {
		missing("Riesame annuale")
	}
	return d, nil
}

// implementationOrder is the order the monitoring statuses are listed in.
var implementationOrder = []string{"attuata", "parzialmente_attuata", "in_corso_nei_tempi", "in_ritardo", "non_avviata", "non_attuata", "non_piu_applicabile"}

// FactorsHeading heads the column of the enabling factors a measure addresses (PNA 2019 All. 1 §5.1).
const FactorsHeading = "Fattori abilitanti affrontati"

// factorLines names the enabling factors a measure addresses, one a line ("–" for none).
func (n Names) factorLines(codes []string) string {
	if len(codes) == 0 {
		return "–"
	}
	lines := make([]string, len(codes))
	for i, c := range codes {
		lines[i] = nameOf(n.EnablingFactors, c)
	}
	return strings.Join(lines, "\n")
}

// withCostNote adds a measure's cost and sustainability note under its title, when there is one.
func withCostNote(title, note string) string {
	if strings.TrimSpace(note) == "" {
		return title
	}
	return title + "\nCosto e sostenibilità: " + note
}
