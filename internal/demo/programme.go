package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// The demo's programme of general measures and transparency section: invented owners, dates, targets and
// counts (descriptions start with DemoMarker); the obligations are the shipped grid with demo units assigned.

type demoGeneral struct {
	code, typ, title, basis, unit, indicator, baseline, target string
	areas                                                      []string
}

var demoProgramme = []demoGeneral{
	{"MG01", "T03", "Codice di comportamento dell'ente: aggiornamento e diffusione", "art. 54 d.lgs. 165/2001; D.P.R. 62/2013", "SG", "dipendenti che hanno ricevuto il codice / dipendenti", "100%", "100%", nil},
	{"MG02", "T10", "Dichiarazioni sul conflitto di interessi e obbligo di astensione", "art. 6-bis L. 241/1990; artt. 6-7 D.P.R. 62/2013", "SG", "dichiarazioni acquisite / incarichi a rischio", "70%", "100%", []string{"A", "B", "C", "D"}},
	{"MG03", "T08", "Rotazione ordinaria e misure alternative (segregazione delle funzioni)", "L. 190/2012 co. 10 lett. b; PNA 2019 All. 2", "SG", "processi ad alto rischio con segregazione delle funzioni / processi ad alto rischio", "40%", "80%", []string{"B", "D", "E"}},
	{"MG05", "T10", "Inconferibilità e incompatibilità: dichiarazioni e verifiche a campione", "d.lgs. 39/2013 artt. 15 e 20", "SG", "dichiarazioni verificate / dichiarazioni rese", "20%", "30%", nil},
	{"MG07", "T10", "Pantouflage: clausole nei contratti e dichiarazioni alla cessazione", "art. 53 co. 16-ter d.lgs. 165/2001", "AD1", "contratti con clausola / contratti stipulati", "80%", "100%", []string{"B"}},
	{"MG09", "T06", "Formazione anticorruzione generale e specifica", "L. 190/2012 co. 9 lett. b e co. 10 lett. c", "AD1", "dipendenti formati / dipendenti", "60%", "90%", nil},
	{"MG10", "T09", "Whistleblowing: canale interno e tutela del segnalante", "d.lgs. 24/2023", "SG", "segnalazioni gestite nei termini / segnalazioni", "100%", "100%", nil},
	{"MG11", "T02", "Trasparenza: attuazione degli obblighi di pubblicazione e accesso civico", "d.lgs. 33/2013", "SG", "obblighi attestati conformi dall'OIV / obblighi", "85%", "95%", nil},
	{"MG12", "T03", "Patti di integrità negli affidamenti", "L. 190/2012 co. 17", "AD1", "procedure con patto sottoscritto / procedure sopra 40.000 euro", "50%", "100%", []string{"B", "B-bis"}},
	{"MG13", "T01", "Monitoraggio dei tempi procedimentali", "L. 190/2012 co. 9 lett. d e co. 28", "AD2", "procedimenti conclusi nei termini / procedimenti", "88%", "95%", []string{"C", "D"}},
}

// demoCostNote closes every demo cost note, so the figures read as invented wherever they show.
const demoCostNote = " (stima dimostrativa)"

// programmeFactors are the enabling factors each demo general measure addresses (the catalogue's links of the
// general measures, PNA 2019 All. 1 §5) and its cost and sustainability note (§5.1).
var programmeFactors = map[string]struct {
	factors []string
	cost    string
}{
	"MG01": {[]string{"FA-e", "FA-g"}, "Nessun costo aggiuntivo: diffusione tramite intranet e posta elettronica; circa 10 ore-uomo della Segreteria generale per l'aggiornamento."},
	"MG02": {[]string{"FA-a", "FA-e"}, "Costo organizzativo contenuto: modulistica standard nel gestionale documentale e verifiche a campione con il personale in servizio."},
	"MG03": {[]string{"FA-d"}, "Sostenibilità limitata dalla dotazione dell'ente: dove la rotazione non è praticabile si ricorre alla segregazione delle funzioni, senza costi aggiuntivi."},
	"MG05": {[]string{"FA-a", "FA-h"}, "Verifiche sul casellario giudiziale e sulle banche dati camerali svolte dal personale in servizio; nessun onere finanziario."},
	"MG07": {[]string{"FA-a"}, "Clausole standard nei contratti e nei modelli di cessazione dal servizio: nessun costo aggiuntivo."},
	"MG09": {[]string{"FA-f", "FA-g"}, "Circa 6.000 euro l'anno sul capitolo della formazione per le docenze esterne della formazione specifica; la formazione generale è in e-learning gratuito."},
	"MG10": {[]string{"FA-e", "FA-g"}, "Piattaforma di segnalazione open source in riuso gratuito; manutenzione a cura dei sistemi informativi camerali."},
	"MG11": {[]string{"FA-b"}, "Attività ordinaria degli uffici produttori dei dati; circa 2.000 euro l'anno per l'adeguamento del portale Amministrazione trasparente."},
	"MG12": {[]string{"FA-a", "FA-g"}, "Nessun costo: il modello di patto è allegato alla documentazione di gara."},
	"MG13": {[]string{"FA-a", "FA-b"}, "Estrazione automatica dei tempi dal sistema di protocollo e gestione documentale; nessun costo aggiuntivo."},
}

// producers are the demo units producing the data of each sub-section of Amministrazione trasparente.
var producers = map[string]string{"Personale": "AD1", "Bandi di concorso": "AD1", "Performance": "SG", "Bandi di gara e contratti": "AD1",
	"Sovvenzioni contributi sussidi vantaggi economici": "AD1", "Bilanci": "AD1", "Beni immobili e gestione patrimonio": "AD1",
	"Pagamenti dell'amministrazione": "AD1", "Servizi erogati": "AD2", "Attività e procedimenti": "AD2", "Provvedimenti": "SG"}

// FillProgramme fills the demo cycle's programme of general measures (linking the demo assessments' general
// measures to it), the transparency grid with its units, and two years of civic-access counts, each only if
// still empty; every write goes through the services as the demo RPCT, audited.
func FillProgramme(ctx context.Context, s *store.Store, enteCode, cycle string) error {
	az, rpct, c, err := asDemoRPCT(ctx, s, enteCode, cycle)
	if err != nil {
		return err
	}
	if c.State != domain.CycleOpen {
		return nil // an adopted demo cycle keeps what it was adopted with
	}
	if err := fillGeneralMeasures(ctx, service.NewProgramme(s, az), rpct, cycle, c.StartYear); err != nil {
		return err
	}
	year := c.StartYear

	tr := service.NewTransparency(s, az)
	grid, err := tr.Obligations(ctx, rpct, cycle)
	if err != nil {
		return err
	}
	if len(grid) == 0 {
		if grid, err = tr.Seed(ctx, rpct, cycle); err != nil {
			return fmt.Errorf("demo: transparency grid: %w", err)
		}
		for _, o := range grid {
			o.ProducingUnit, o.PublishingUnit = "SG", "SG"
			if p, ok := producers[o.Section]; ok {
				o.ProducingUnit = p
			}
			if _, err := tr.UpdateObligation(ctx, rpct, cycle, o.ID, o); err != nil {
				return fmt.Errorf("demo: obligation %s: %w", o.Code, err)
			}
		}
	}
	counts, err := tr.CivicAccess(ctx, rpct)
	if err != nil {
		return err
	}
	if len(counts) == 0 {
		for _, cnt := range []domain.CivicAccessCount{
			{Year: year - 2, Kind: "semplice", Received: 2, Accepted: 2},
			{Year: year - 2, Kind: "generalizzato", Received: 9, Accepted: 6, Refused: 2, Pending: 1},
			{Year: year - 2, Kind: "documentale", Received: 31, Accepted: 27, Refused: 4},
			{Year: year - 1, Kind: "semplice", Received: 1, Accepted: 1},
			{Year: year - 1, Kind: "generalizzato", Received: 12, Accepted: 8, Refused: 3, Pending: 1},
			{Year: year - 1, Kind: "documentale", Received: 28, Accepted: 25, Refused: 2, Pending: 1},
		} {
			if _, err := tr.SaveCivicAccess(ctx, rpct, cnt); err != nil {
				return fmt.Errorf("demo: civic access: %w", err)
			}
		}
	}
	return nil
}

// fillGeneralMeasures plans the demo programme of general measures in an open cycle that has none, for its first
// year, each with the enabling factors it addresses and its cost note, and links the cycle's assessments' general measures to it.
func fillGeneralMeasures(ctx context.Context, prog *service.Programme, rpct domain.Actor, cycle string, year int) error {
	have, err := prog.List(ctx, rpct, cycle)
	if err != nil {
		return err
	}
	if len(have) == 0 {
		for _, g := range demoProgramme {
			areas := g.areas
			if areas == nil {
				areas = []string{}
			}
			p := domain.ProgrammeMeasure{Code: g.code, GeneralCode: g.code, Type: g.typ, Title: g.title, LegalBasis: g.basis, Unit: g.unit,
				Description: DemoMarker + "Misura generale programmata una volta per tutto l'ente; si applica ai processi delle aree indicate.",
				Owner:       "Dirigente responsabile (demo)", Start: fmt.Sprintf("%d-01-31", year), End: fmt.Sprintf("%d-12-31", year),
				Phases: []domain.Phase{{Title: "Programmazione operativa", Deadline: fmt.Sprintf("%d-03-31", year)},
					{Title: "Attuazione", Deadline: fmt.Sprintf("%d-10-31", year)},
					{Title: "Rendicontazione al RPCT", Deadline: fmt.Sprintf("%d-11-30", year)}},
				Indicators: []domain.MeasureIndicator{{Name: g.indicator, Baseline: g.baseline, Target: g.target}},
				Areas:      areas, Processes: []string{}, Status: domain.MeasureConfirmed,
				CostNote: programmeFactors[g.code].cost + demoCostNote, EnablingFactors: programmeFactors[g.code].factors}
			if _, err := prog.Create(ctx, rpct, cycle, p); err != nil && !errors.Is(err, domain.ErrConflict) {
				return fmt.Errorf("demo: general measure %s: %w", g.code, err)
			}
		}
	}
	if _, err := prog.LinkByGeneralCode(ctx, rpct, cycle); err != nil {
		return fmt.Errorf("demo: link general measures: %w", err)
	}
	return nil
}
