package demo

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// The demo's sottosezione: plausible, invented figures, every part flagged demo and every text starting with
// DemoMarker. Nothing here describes the real Camera di commercio della Basilicata.

func num(v float64) *float64 { return &v }

func demoContext() domain.ContextAnalysis {
	fig := func(cat, label, unit string, v float64, year int, src, srcDate string) domain.ContextItem {
		return domain.ContextItem{Category: cat, Label: label, Unit: unit, Value: num(v), Year: year, Source: src, SourceDate: srcDate}
	}
	staff := func(unit string, v float64, year int) domain.ContextItem {
		return domain.ContextItem{Category: "personale", Label: "Personale in servizio al 31 dicembre", OrgUnit: unit, Unit: "persone",
			Value: num(v), Year: year, Source: "Conto annuale (dato dimostrativo)", SourceDate: fmt.Sprintf("%d-05-31", year+1)}
	}
	return domain.ContextAnalysis{Demo: true,
		External: domain.ContextScope{
			Text: DemoMarker + "Territorio regionale con bassa densità abitativa e imprenditoriale, economia basata su agricoltura, " +
				"estrazione e manifattura; i dati su criminalità e corruzione non indicano fenomeni diffusi che interessino i processi camerali, " +
				"ma segnalano attenzione nei contributi alle imprese e negli appalti finanziati con fondi PNRR.",
			Items: []domain.ContextItem{
				fig("territorio", "Popolazione residente", "abitanti", 535000, 2024, "ISTAT (dato dimostrativo)", "2025-03-31"),
				fig("territorio", "Popolazione residente", "abitanti", 531000, 2025, "ISTAT (dato dimostrativo)", "2026-03-31"),
				fig("economia", "Imprese registrate", "imprese", 59800, 2024, "Registro imprese (dato dimostrativo)", "2025-01-31"),
				fig("economia", "Imprese registrate", "imprese", 59300, 2025, "Registro imprese (dato dimostrativo)", "2026-01-31"),
				fig("criminalita", "Delitti denunciati per 100.000 abitanti", "per 100.000 ab.", 2450, 2024, "ISTAT – Ministero dell'Interno (dato dimostrativo)", "2025-10-15"),
				fig("corruzione", "Reati contro la PA denunciati in regione", "reati", 41, 2024, "Relazione al Parlamento (dato dimostrativo)", "2025-07-01"),
				{Category: "stakeholder", Label: "Associazioni di categoria e ordini professionali",
					Text: DemoMarker + "Utenti qualificati dei servizi anagrafici e promozionali; partecipano alla consultazione sulla sottosezione."},
				{Category: "stakeholder", Label: "Regione e enti locali", Text: DemoMarker + "Partner nei progetti di sviluppo del territorio e nei bandi di contributo."},
			}},
		Internal: domain.ContextScope{
			Text: DemoMarker + "Ente articolato in Segreteria generale e tre aree dirigenziali; personale in lieve calo per pensionamenti; " +
				"nessun procedimento disciplinare per fatti corruttivi nell'ultimo biennio.",
			Items: []domain.ContextItem{
				staff("SG", 6, 2024), staff("SG", 6, 2025), staff("AD1", 18, 2024), staff("AD1", 17, 2025),
				staff("AD2", 24, 2024), staff("AD2", 22, 2025), staff("AD3", 14, 2024), staff("AD3", 14, 2025),
				fig("procedimenti_disciplinari", "Procedimenti disciplinari avviati", "procedimenti", 1, 2024, "Ufficio procedimenti disciplinari (dato dimostrativo)", "2025-01-15"),
				fig("procedimenti_disciplinari", "Procedimenti disciplinari avviati", "procedimenti", 0, 2025, "Ufficio procedimenti disciplinari (dato dimostrativo)", "2026-01-15"),
				fig("procedimenti_penali", "Procedimenti penali per reati contro la PA a carico di dipendenti", "procedimenti", 0, 2025, "Ufficio legale (dato dimostrativo)", "2026-01-15"),
				fig("segnalazioni_whistleblowing", "Segnalazioni whistleblowing ricevute", "segnalazioni", 2, 2024, "Canale interno (dato dimostrativo)", "2025-01-10"),
				fig("segnalazioni_whistleblowing", "Segnalazioni whistleblowing ricevute", "segnalazioni", 1, 2025, "Canale interno (dato dimostrativo)", "2026-01-10"),
				fig("rilievi_controlli", "Rilievi del collegio dei revisori e dei controlli interni", "rilievi", 3, 2025, "Verbali dei controlli (dato dimostrativo)", "2026-01-20"),
				{Category: "organizzazione", Label: "Organigramma", Text: DemoMarker + "Segretario generale; Area 1 Governo camerale e sviluppo; Area 2 Registro imprese e servizi finanziari; Area 3 Regolazione del mercato."},
			}},
	}
}

func demoObjectives() domain.Objectives {
	ind := func(name, baseline, target string, year int, results ...domain.ObjectiveResult) domain.ObjectiveIndicator {
		if results == nil {
			results = []domain.ObjectiveResult{}
		}
		return domain.ObjectiveIndicator{Name: name, Baseline: baseline, Target: target, Year: year, Results: results}
	}
	return domain.Objectives{Demo: true, Act: DemoMarker + "Delibera di Giunta n. 98 del 2025-11-24 (dato dimostrativo)",
		Objectives: []domain.StrategicObjective{
			{Code: "OSA1", Kind: "anticorruzione", Title: "Rafforzare i controlli sui contributi alle imprese",
				Description:           DemoMarker + "Estendere i controlli a campione sulle rendicontazioni dei contributi, anche PNRR.",
				PerformanceObjectives: []string{"OS2", "OS9"},
				Indicators: []domain.ObjectiveIndicator{ind("Rendicontazioni verificate sul totale", "10%", "25%", 2026,
					domain.ObjectiveResult{Year: 2025, Value: "12%", Achieved: "parziale", Note: DemoMarker + "Avvio nel secondo semestre."})}},
			{Code: "OSA2", Kind: "anticorruzione", Title: "Formazione sull'etica pubblica per tutto il personale",
				PerformanceObjectives: []string{"OS4"},
				Indicators:            []domain.ObjectiveIndicator{ind("Dipendenti formati sul totale", "60%", "100%", 2026)}},
			{Code: "OST1", Kind: "trasparenza", Title: "Pubblicazione tempestiva dei dati su contratti e sovvenzioni",
				PerformanceObjectives: []string{"OS2", "OS6"},
				Indicators: []domain.ObjectiveIndicator{ind("Obblighi attestati conformi dall'OIV", "85%", "95%", 2026,
					domain.ObjectiveResult{Year: 2025, Value: "90%", Achieved: "parziale"})}},
		}}
}

func demoConsultation() domain.Consultation {
	return domain.Consultation{Demo: true, Start: "2025-12-01", End: "2025-12-15", Channel: "online",
		ChannelDetail: DemoMarker + "Avviso sul sito istituzionale, sezione Amministrazione trasparente, con modulo per i contributi",
		Audience:      DemoMarker + "Associazioni di categoria, ordini professionali, organizzazioni sindacali, cittadini e imprese",
		Contributions: []domain.Contribution{
			{Date: "2025-12-09", From: "Associazione di categoria (demo)", Summary: DemoMarker + "Chiede tempi certi per la liquidazione dei contributi.",
				Outcome: "accolto", Reasoning: DemoMarker + "Inserita una misura di monitoraggio dei tempi di liquidazione (B2.1)."},
			{Date: "2025-12-12", From: "Cittadino (demo)", Summary: DemoMarker + "Propone la pubblicazione dei verbali delle commissioni.",
				Outcome: "parzialmente_accolto", Reasoning: DemoMarker + "Pubblicati gli esiti; i verbali contengono dati personali non ostensibili."},
		}}
}

func demoRiesame() domain.Riesame {
	return domain.Riesame{Demo: true, Year: 2025, Date: "2026-01-12",
		Worked:    DemoMarker + "Controlli a campione sulle pratiche del registro imprese svolti come programmato; formazione erogata al 78% del personale.",
		NotWorked: DemoMarker + "Ritardi nella rotazione del personale dell'Area 2 per carenza di organico; due misure in ritardo nel monitoraggio di novembre.",
		Changes:   DemoMarker + "Misure alternative alla rotazione (segregazione delle funzioni, doppia firma) e monitoraggio semestrale dei tempi dei contributi."}
}

var demoDescriptions = []domain.ProcessDescription{
	{Node: "C1.1", Input: DemoMarker + "Istanze telematiche di imprese e professionisti; comunicazioni di altre amministrazioni.",
		Output:           "Iscrizioni, modifiche e cancellazioni nel Registro imprese e nel REA; certificati e visure.",
		Phases:           "Ricezione della pratica; istruttoria formale; eventuale sospensione e richiesta di integrazioni; evasione; archiviazione.",
		Responsibilities: "Conservatore del registro (Area 2) per l'intero processo; istruttori per le singole pratiche.",
		Timing:           "5 giorni per l'evasione delle pratiche (termine di legge), monitorato mensilmente.",
		Constraints:      "D.P.R. 581/1995; L. 580/1993; direttive del Ministero delle imprese."},
	{Node: "B2.1", Input: DemoMarker + "Fabbisogni degli uffici; programma triennale degli acquisti.",
		Output:           "Contratti di lavori, servizi e forniture stipulati ed eseguiti.",
		Phases:           "Programmazione; progettazione; scelta del contraente; verifica dei requisiti; stipula; esecuzione e collaudo.",
		Responsibilities: "RUP nominato per ogni procedura; dirigente dell'Area 1 per la stipula.",
		Timing:           "Secondo il programma triennale; tempi della procedura tracciati sulla piattaforma di approvvigionamento digitale.",
		Constraints:      "D.lgs. 36/2023 e correttivo d.lgs. 209/2024; obblighi di pubblicazione e di digitalizzazione."},
	{Node: "C1.1.1", Input: DemoMarker + "Pratiche telematiche (ComUnica).", Output: "Pratica evasa o respinta.",
		Phases: "Protocollazione; istruttoria; evasione.", Responsibilities: "Istruttori del registro imprese.",
		Timing: "5 giorni.", Constraints: "Ordine cronologico di lavorazione."},
}

// FillSottosezione writes the demo cycle's sottosezione parts that were never written, as the demo RPCT
// (audited like every change). Running it again changes nothing.
func FillSottosezione(ctx context.Context, s *store.Store, maps *service.ProcessMaps, enteCode, cycle string) error {
	az, err := authz.Default()
	if err != nil {
		return err
	}
	rpct, err := demoRPCT(ctx, s, enteCode)
	if err != nil {
		return err
	}
	sot := service.NewSottosezione(s, az, maps)
	sc := domain.DefaultSelfCheck()
	sc.Demo = true
	for i, a := range []string{"si", "parziale", "si", "", "", "si", "parziale", "si", "", "parziale", "si", "si"} {
		sc.Questions[i].Answer = a
	}
	sc.Questions[1].Note = DemoMarker + "Dati del contesto con fonte e data nella pagina Contesto."
	sc.Questions[1].Evidence = []string{"/sottosezione/contesto"}
	parts := []struct {
		kind    domain.PartKind
		content any
	}{{domain.PartContext, demoContext()}, {domain.PartObjectives, demoObjectives()}, {domain.PartConsultation, demoConsultation()},
		{domain.PartRiesame, demoRiesame()}, {domain.PartSelfCheck, sc}}
	for _, p := range parts {
		cur, err := sot.Part(ctx, rpct, cycle, p.kind)
		if err != nil {
			return err
		}
		if cur.Version > 0 {
			continue
		}
		raw, err := json.Marshal(p.content)
		if err != nil {
			return err
		}
		if _, err := sot.SavePart(ctx, rpct, cycle, p.kind, service.PartInput{Content: raw}); err != nil {
			return fmt.Errorf("demo: %s: %w", p.kind, err)
		}
	}
	for _, d := range demoDescriptions {
		cur, err := sot.Description(ctx, rpct, cycle, d.Node)
		if err != nil {
			return err
		}
		if cur.Version > 0 {
			continue
		}
		if _, err := sot.SaveDescription(ctx, rpct, cycle, d.Node, d); err != nil {
			return fmt.Errorf("demo: description of %s: %w", d.Node, err)
		}
	}
	return nil
}
