package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// The year-end monitoring of the demo's adopted PreviousCycle, run the way an ente runs it: the RPCT's plan, the
// round opened at 31 December of the cycle's first year, every unit's self-assessment of its measures (most
// implemented, a few in part with their reasons, one not implemented with a justification and a new deadline),
// evidence files, the sample drawn by the plan's criteria with a recorded seed, the RPCT's checks (one asking
// for more, answered by the unit and then confirmed), the programme's general measures, and the closing. Every
// step goes through the services in the name of the demo users, so the audit trail tells it and `argine audit
// verify` holds; every text starts with DemoMarker.

// PreviousRoundSeed is the seed of the demo round's draw: anyone can draw the same sample again.
const PreviousRoundSeed = 20251231

// partlyReasons are the reasons of the measures implemented in part, in turn.
var partlyReasons = []string{
	DemoMarker + "Controlli svolti sul 12% delle pratiche invece del 20% previsto: un addetto in meno da settembre.",
	DemoMarker + "Procedura scritta approvata a ottobre, ma la formazione degli addetti è slittata a gennaio.",
	DemoMarker + "Check-list adottata solo per le pratiche del secondo semestre, dopo l'aggiornamento del gestionale.",
}

// The measure the unit did not implement: why, and the new deadline it commits to.
const (
	notImplementedReason = DemoMarker + "Misura non attuata: la gara per il software dei controlli a campione è andata deserta " +
		"e va ripetuta. Nuovo termine: 30 giugno 2026, con i controlli manuali sulle pratiche a rischio alto nel frattempo."
	notImplementedNotes = DemoMarker + "Nuova scadenza proposta al RPCT: 2026-06-30."
)

// FillPreviousRound runs PreviousCycle's year-end round if the cycle is adopted and has no round at that date
// yet; a round left open by an interrupted load is completed. It reports whether it wrote anything.
func FillPreviousRound(ctx context.Context, s *store.Store, enteCode string) (bool, error) {
	az, rpct, c, err := asDemoRPCT(ctx, s, enteCode, PreviousCycle)
	if err != nil {
		return false, err
	}
	if c.State != domain.CycleAdopted && c.State != domain.CyclePublished {
		return false, nil
	}
	date := fmt.Sprintf("%d-12-31", c.StartYear)
	mon := service.NewMonitoring(s, az)
	view, err := mon.Round(ctx, rpct, PreviousCycle, date)
	switch {
	case err == nil && view.Round.State != "open":
		return false, nil // closed: the demo's round, or the RPCT's own
	case err != nil && !errors.Is(err, domain.ErrNotFound):
		return false, err
	}
	ente, err := s.EnteByCode(ctx, enteCode)
	if err != nil {
		return false, err
	}
	if _, err := mon.Plan(ctx, rpct, PreviousCycle); errors.Is(err, domain.ErrNotFound) {
		plan := store.MonitoringPlan{Frequency: "annuale", ReferenceDates: []string{date},
			SamplingCriteria: DemoMarker + "verifica del RPCT su tutte le misure dei rischi di livello alto e su quelle scadute; " +
				"delle altre, un quinto estratto a caso per unità organizzativa e area, con il seme annotato nel verbale.",
			SamplePercent: 20, SampleHighRisk: true, SampleOverdue: true}
		if _, err := mon.SetPlan(ctx, rpct, PreviousCycle, plan); err != nil {
			return false, fmt.Errorf("demo: previous monitoring plan: %w", err)
		}
	} else if err != nil {
		return false, err
	}
	if view == nil {
		if view, err = mon.OpenRound(ctx, rpct, PreviousCycle, date); err != nil {
			return false, fmt.Errorf("demo: open the %s round: %w", date, err)
		}
	}
	r := demoRound{s: s, az: az, mon: mon, rpct: rpct, ente: ente, date: date, actors: map[string]domain.Actor{},
		evidence: service.NewEvidence(s, az, mon, service.EvidenceConfig{})}
	if err := r.selfAssess(ctx, view); err != nil {
		return false, err
	}
	if err := r.check(ctx); err != nil {
		return false, err
	}
	if err := r.programme(ctx); err != nil {
		return false, err
	}
	if _, err := mon.CloseRound(ctx, rpct, PreviousCycle, date); err != nil {
		return false, fmt.Errorf("demo: close the %s round: %w", date, err)
	}
	return true, nil
}

type demoRound struct {
	s        *store.Store
	az       *authz.Authorizer
	mon      *service.Monitoring
	evidence *service.Evidence
	rpct     domain.Actor
	ente     *domain.Ente
	date     string
	actors   map[string]domain.Actor // by unit
	// moreNeeded is the measure whose check asks the unit for more.
	moreNeeded string
}

func (r *demoRound) director(ctx context.Context, unit string) (domain.Actor, error) {
	if a, ok := r.actors[unit]; ok {
		return a, nil
	}
	a, err := actorFor(ctx, r.s, r.ente, "", unit)
	r.actors[unit] = a
	return a, err
}

// selfAssess has each unit's director self-assess the unit's measures not assessed yet, and attach evidence
// to the first implemented measure of each of three units.
func (r *demoRound) selfAssess(ctx context.Context, view *service.RoundView) error {
	var measures []service.RoundMeasure
	for _, m := range view.Measures {
		if m.WithdrawnAt == nil && m.AssessmentState == domain.StateApproved {
			measures = append(measures, m)
		}
	}
	withEvidence := map[string]bool{}
	for i, m := range measures {
		if m.Entry != nil {
			continue
		}
		e := store.MonitoringEntry{Status: domain.StatusImplemented,
			Notes: DemoMarker + "Fasi concluse nei termini; indicatore a target, atti e verbali conservati dall'ufficio."}
		switch {
		case i == len(measures)/2:
			e = store.MonitoringEntry{Status: domain.StatusNotImplemented, Reason: notImplementedReason, Notes: notImplementedNotes}
		case i%6 == 2:
			e = store.MonitoringEntry{Status: domain.StatusPartly, Reason: partlyReasons[(i/6)%len(partlyReasons)],
				Notes: DemoMarker + "Completamento previsto nel primo semestre del nuovo anno."}
		}
		director, err := r.director(ctx, m.Unit)
		if err != nil {
			return err
		}
		if _, err := r.mon.SelfAssess(ctx, director, PreviousCycle, r.date, m.ID, e); err != nil {
			return fmt.Errorf("demo: self-assessment of %s (%s): %w", m.ID, m.Leaf, err)
		}
		if e.Status == domain.StatusImplemented && len(m.Evidence) == 0 && !withEvidence[m.Unit] && len(withEvidence) < 3 {
			withEvidence[m.Unit] = true
			name, body, err := evidenceFile(len(withEvidence), m, r.date)
			if err != nil {
				return err
			}
			if _, err := r.evidence.Upload(ctx, director, PreviousCycle, r.date, m.ID, name, bytes.NewReader(body)); err != nil {
				return fmt.Errorf("demo: evidence of %s: %w", m.Leaf, err)
			}
		}
	}
	return nil
}

// evidenceFile is the n-th demo evidence file: a plain-text minute or a PDF report written with Argine's own
// document engine.
func evidenceFile(n int, m service.RoundMeasure, date string) (string, []byte, error) {
	switch n {
	case 1:
		return "verbale-controlli-" + m.Leaf + ".txt", []byte(DemoMarker + "Verbale dei controlli a campione al " + date + "\n\n" +
			"Misura: " + m.Title + " (azione " + m.Leaf + ")\nUnità: " + m.UnitTitle + "\n\n" +
			"Pratiche estratte: 25; verificate: 25; anomalie: 1, sanata con integrazione documentale.\n" +
			"Esito: misura attuata come programmato.\n"), nil
	case 2:
		return "registro-presenze-formazione.txt", []byte(DemoMarker + "Registro delle presenze alla formazione specifica\n\n" +
			"Corso: prevenzione della corruzione nei processi dell'unità (4 ore)\nPartecipanti: 14 su 15 addetti\n" +
			"Misura: " + m.Title + " (azione " + m.Leaf + ")\n"), nil
	}
	d := &document.Document{Title: "Relazione di attuazione della misura", Author: "Camera di commercio (dati dimostrativi)", Language: "it-IT",
		Date: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), Blocks: []document.Block{
			&document.Heading{Level: 1, Text: "Relazione di attuazione al " + date},
			&document.Paragraph{Text: DemoMarker + "Misura: " + m.Title + " (azione " + m.Leaf + "), unità " + m.UnitTitle + "."},
			&document.Paragraph{Text: "Fasi: avvio entro il 30 aprile e messa a regime entro il 31 ottobre, entrambe concluse nei termini."},
			&document.Paragraph{Text: "Indicatore: pratiche verificate sul totale, 22% a fine anno contro un obiettivo del 20%."},
		}}
	var b bytes.Buffer
	if err := document.WritePDF(&b, d); err != nil {
		return "", nil, err
	}
	return "relazione-attuazione-" + strings.ReplaceAll(m.Leaf, ".", "-") + ".pdf", b.Bytes(), nil
}

// check draws the sample by the plan's criteria and has the RPCT check the drawn self-assessments: confirmed
// and suitable for most, a measure implemented in part judged partly suitable, and one asked for more, which
// its unit supplies and the RPCT then confirms.
func (r *demoRound) check(ctx context.Context) error {
	view, err := r.mon.Round(ctx, r.rpct, PreviousCycle, r.date)
	if err != nil {
		return err
	}
	if view.Round.SampleSeed == 0 {
		if view, err = r.mon.DrawSample(ctx, r.rpct, PreviousCycle, r.date, PreviousRoundSeed); err != nil {
			return fmt.Errorf("demo: sample: %w", err)
		}
	}
	for _, m := range view.Measures {
		if !m.Sampled || m.Entry == nil || m.Entry.CheckOutcome == string(domain.CheckConfirmed) {
			continue
		}
		c := store.MonitoringEntry{CheckOutcome: string(domain.CheckConfirmed), Suitability: string(domain.Suitable), SelfVersion: m.Entry.SelfVersion,
			CheckNotes: DemoMarker + "Verificati gli atti indicati dall'unità: autovalutazione confermata."}
		switch {
		case m.Entry.Status == domain.StatusPartly || m.Entry.Status == domain.StatusNotImplemented:
			c.CheckNotes = DemoMarker + "Confermato lo stato dichiarato dall'unità sulla base degli atti."
			c.Suitability, c.SuitabilityReason = string(domain.PartlySuitable),
				DemoMarker+"La misura va accompagnata da un calendario dei controlli vincolante per il nuovo ciclo."
		case r.moreNeeded == "" && m.Entry.CheckOutcome == "" && len(m.Evidence) == 0:
			r.moreNeeded = m.ID
			c = store.MonitoringEntry{CheckOutcome: string(domain.CheckMoreNeeded), Suitability: string(domain.Suitable), SelfVersion: m.Entry.SelfVersion,
				CheckNotes: DemoMarker + "Trasmettere il verbale dei controlli svolti nel secondo semestre: l'autovalutazione non lo richiama."}
		}
		if _, err := r.mon.Check(ctx, r.rpct, PreviousCycle, r.date, m.ID, c); err != nil {
			return fmt.Errorf("demo: check of %s: %w", m.Leaf, err)
		}
		if c.CheckOutcome == string(domain.CheckMoreNeeded) {
			if err := r.supplement(ctx, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// supplement is the unit's answer to the request for more: the minute attached and the self-assessment
// completed, after which the RPCT confirms it.
func (r *demoRound) supplement(ctx context.Context, m service.RoundMeasure) error {
	director, err := r.director(ctx, m.Unit)
	if err != nil {
		return err
	}
	body := []byte(DemoMarker + "Verbale dei controlli del secondo semestre\n\nMisura: " + m.Title + " (azione " + m.Leaf + ")\n" +
		"Controlli svolti il 14 novembre e il 12 dicembre su 18 pratiche; nessuna anomalia.\n")
	if _, err := r.evidence.Upload(ctx, director, PreviousCycle, r.date, m.ID, "verbale-secondo-semestre.txt", bytes.NewReader(body)); err != nil {
		return fmt.Errorf("demo: supplement of %s: %w", m.Leaf, err)
	}
	e := *m.Entry
	e.Notes = DemoMarker + "Integrazione: allegato il verbale dei controlli del secondo semestre richiesto dal RPCT."
	view, err := r.mon.SelfAssess(ctx, director, PreviousCycle, r.date, m.ID, store.MonitoringEntry{Status: e.Status, Reason: e.Reason, Notes: e.Notes,
		IndicatorValues: e.IndicatorValues})
	if err != nil {
		return fmt.Errorf("demo: supplement of %s: %w", m.Leaf, err)
	}
	var version int64
	for _, x := range view.Measures {
		if x.ID == m.ID && x.Entry != nil {
			version = x.Entry.SelfVersion
		}
	}
	_, err = r.mon.Check(ctx, r.rpct, PreviousCycle, r.date, m.ID, store.MonitoringEntry{CheckOutcome: string(domain.CheckConfirmed),
		Suitability: string(domain.Suitable), SelfVersion: version,
		CheckNotes: DemoMarker + "Integrazione ricevuta: il verbale conferma l'autovalutazione."})
	if err != nil {
		return fmt.Errorf("demo: check after the supplement of %s: %w", m.Leaf, err)
	}
	return nil
}

// programmeStatus is how each general measure of the demo programme fared in the year (attuata when absent).
var programmeStatus = map[string]store.ProgrammeEntry{
	"MG03": {Status: domain.StatusPartly, Reason: DemoMarker + "Rotazione non attuata nell'Area 2 per carenza di organico; " +
		"adottate la segregazione delle funzioni e la doppia firma sui provvedimenti di contributo."},
	"MG05": {Status: domain.StatusPartly, Reason: DemoMarker + "Verificato il 20% delle dichiarazioni invece del 30%: " +
		"le verifiche sul casellario sono arrivate a dicembre."},
}

// programme has the responsible offices self-assess the programme's general measures and the RPCT check them.
func (r *demoRound) programme(ctx context.Context) error {
	prog := service.NewProgramme(r.s, r.az)
	round, err := prog.Round(ctx, r.rpct, PreviousCycle, r.date)
	if err != nil {
		return err
	}
	for _, m := range round.Measures {
		entry := m.Entry
		if entry == nil {
			e, ok := programmeStatus[m.Code]
			if !ok {
				e = store.ProgrammeEntry{Status: domain.StatusImplemented,
					Notes: DemoMarker + "Fasi concluse entro il 30 novembre; rendicontazione trasmessa al RPCT."}
			}
			e.IndicatorValues = []store.IndicatorValue{}
			for _, ind := range m.Indicators {
				v := ind.Target
				if e.Status != domain.StatusImplemented {
					v = ind.Baseline
				}
				e.IndicatorValues = append(e.IndicatorValues, store.IndicatorValue{Name: ind.Name, Value: v})
			}
			director, err := r.director(ctx, m.Unit)
			if err != nil {
				return err
			}
			after, err := prog.SelfAssess(ctx, director, PreviousCycle, r.date, m.ID, e)
			if err != nil {
				return fmt.Errorf("demo: self-assessment of %s: %w", m.Code, err)
			}
			for _, x := range after.Measures {
				if x.ID == m.ID {
					entry = x.Entry
				}
			}
		}
		if entry != nil && entry.CheckOutcome == "" {
			c := store.ProgrammeEntry{CheckOutcome: string(domain.CheckConfirmed), Version: entry.Version,
				CheckNotes: DemoMarker + "Rendicontazione verificata dal RPCT sugli atti dell'ufficio."}
			if _, err := prog.Check(ctx, r.rpct, PreviousCycle, r.date, m.ID, c); err != nil {
				return fmt.Errorf("demo: check of %s: %w", m.Code, err)
			}
		}
	}
	return nil
}
