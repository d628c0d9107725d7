package service_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// sottosezioneDocFixture fills every part of the sottosezione of 2026-2028 (context, objectives, consultation,
// riesame, a process description, the programme, the transparency grid, civic access, the monitoring plan),
// approves three leaves and consolidates.
func sottosezioneDocFixture(t *testing.T, db *database.DB) (registerFixture, *service.Cycles, *service.Transparency, *service.Monitoring) {
	t.Helper()
	x, ctx := newRegisterFixture(t, db), context.Background()
	s := service.NewSottosezione(x.store, x.authz, x.maps)
	prog := service.NewProgramme(x.store, x.authz)
	tr := service.NewTransparency(x.store, x.authz)
	mon := service.NewMonitoring(x.store, x.authz)
	if _, err := prog.Create(ctx, x.rpct, "2026-2028", sampleProgrammeMeasure()); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Seed(ctx, x.rpct, "2026-2028"); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.SaveCivicAccess(ctx, x.rpct, domain.CivicAccessCount{Year: 2025, Kind: "generalizzato", Received: 7, Accepted: 5, Refused: 1, Pending: 1}); err != nil {
		t.Fatal(err)
	}
	obj := domain.Objectives{Act: "Delibera di Giunta n. 3", Objectives: []domain.StrategicObjective{{Code: "OSA1", Kind: "anticorruzione",
		Title: "Rafforzare i controlli interni", PerformanceObjectives: []string{"OS2"},
		Indicators: []domain.ObjectiveIndicator{{Name: "Pratiche controllate a campione", Target: "100%", Year: 2026}}}}}
	cons := domain.Consultation{Start: "2026-11-01", End: "2026-11-20", Channel: "online", Audience: "Associazioni di categoria",
		Contributions: []domain.Contribution{{Date: "2026-11-10", From: "Ordine dei commercialisti", Summary: "Più trasparenza sui tempi dei procedimenti",
			Outcome: "accolto", Reasoning: "Inserito l'obbligo nella griglia"}}}
	ries := domain.Riesame{Year: 2026, Date: "2026-12-15", Worked: "La formazione ha raggiunto tutto il personale", NotWorked: "Ritardi nei controlli a campione",
		Changes: "Controlli trimestrali dal prossimo ciclo"}
	for kind, content := range map[domain.PartKind]any{domain.PartContext: sampleContext(), domain.PartObjectives: obj,
		domain.PartConsultation: cons, domain.PartRiesame: ries} {
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", kind, partInput(t, 0, content)); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
	}
	if _, err := s.SaveDescription(ctx, x.rpct, "2026-2028", "A1.1", domain.ProcessDescription{Input: "Fabbisogno di personale",
		Output: "Piano dei fabbisogni approvato", Phases: "Rilevazione, proposta, approvazione"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale", ReferenceDates: []string{"2026-06-30", "2026-12-31"},
		SamplingCriteria: "Tutte le misure dei rischi alti", SamplePercent: 20, SampleHighRisk: true}); err != nil {
		t.Fatal(err)
	}
	_, cycles := approveAndConsolidate(t, db, x)
	return x, cycles, tr, mon
}

// approveAndConsolidate consolidates 2026-2028 with the sample assessment on three leaves (consolidateWith) and
// gives the ente a full name, so the documents can be checked for it; documentsFixture is just this.
func approveAndConsolidate(t *testing.T, db *database.DB, x registerFixture) (registerFixture, *service.Cycles) {
	t.Helper()
	cycles := consolidateWith(t, x, func(string) domain.Assessment { return sampleAssessment(0) })
	if err := db.Gorm.Exec("UPDATE entes SET name = 'Camera di commercio di Prova' WHERE id = ?", x.tn.EnteID).Error; err != nil {
		t.Fatal(err)
	}
	return x, cycles
}

func sottosezioneBytes(t *testing.T, cycles *service.Cycles, actor domain.Actor, write func(*bytes.Buffer, *document.Document) error) []byte {
	t.Helper()
	doc, err := cycles.SottosezioneDocument(context.Background(), actor, "2026-2028")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := write(&b, doc.Doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sottosezioneInOrder is every part's heading in ANAC's order, each followed by Italian text of that part.
var sottosezioneInOrder = []string{
	export.SottosezioneSections[0], "Consultazione pubblica", "Ordine dei commercialisti", "Accolto",
	export.SottosezioneSections[1], "1.1 Contesto esterno", "Territorio a bassa densità imprenditoriale", "Delitti denunciati per 100.000 abitanti", "ISTAT",
	"1.2 Contesto interno", "Dipendenti in servizio",
	export.SottosezioneSections[2], "Delibera di Giunta n. 3", "OSA1 – Rafforzare i controlli interni", "Pratiche controllate a campione",
	export.SottosezioneSections[3], "Processi mappati", "Descrizione dei processi", "Piano dei fabbisogni approvato",
	export.SottosezioneSections[4], "Rischi per livello di rischio inerente", "Rischi per area di rischio",
	export.SottosezioneSections[5], "5.1 Misure generali", "MG09 – Formazione anticorruzione del personale", "L. 190/2012 co. 9 lett. b", "Piano formativo",
	"5.2 Misure specifiche", "Controllo a campione delle istruttorie",
	export.SottosezioneSections[6], "Obblighi di pubblicazione", "Disposizioni generali", "Accesso civico", "generalizzato",
	export.SottosezioneSections[7], "7.1 Piano di monitoraggio", "semestrale", "7.2 Esiti del monitoraggio", "7.3 Riesame del sistema",
	"La formazione ha raggiunto tutto il personale", "Controlli trimestrali dal prossimo ciclo",
}

// TestSottosezioneDocument: the whole sottosezione reads in ANAC's order with each part's text, in ODT and
// DOCX; BOZZA before adoption; after adoption it is written from the snapshot alone (live changes to the
// ente's name, the civic-access counts and the monitoring plan do not reach it) and is the same bytes at every
// request; the PDF is tagged, embeds its fonts and reads in order.
func TestSottosezioneDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles, tr, mon := sottosezioneDocFixture(t, db)
		ctx := context.Background()
		content, styles, _ := doctest.ODTText(t, sottosezioneBytes(t, cycles, x.oiv, writeODT))
		doctest.InOrder(t, styles, "BOZZA – Camera di commercio di Prova – PIAO, sottosezione 2.3 – ciclo 2026-2028", "Pagina")
		doctest.InOrder(t, content, append([]string{"Rischi corruttivi e trasparenza", "BOZZA – sottosezione non ancora adottata"}, sottosezioneInOrder...)...)
		body, _, _ := doctest.DOCXText(t, sottosezioneBytes(t, cycles, x.oiv, writeDOCX))
		doctest.InOrder(t, body, sottosezioneInOrder...)

		adopted, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"})
		if err != nil {
			t.Fatal(err)
		}
		odt := sottosezioneBytes(t, cycles, x.oiv, writeODT)
		// Live data changes after the adoption: the adopted document does not see them.
		if err := db.Gorm.Exec("UPDATE entes SET name = 'Nome cambiato' WHERE id = ?", x.tn.EnteID).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := tr.SaveCivicAccess(ctx, x.rpct, domain.CivicAccessCount{Year: 2026, Kind: "semplice", Received: 3}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "trimestrale"}); err != nil {
			t.Fatal(err)
		}
		if again := sottosezioneBytes(t, cycles, x.rpct, writeODT); !bytes.Equal(odt, again) {
			t.Fatal("the adopted document changed with live data")
		}
		content, styles, _ = doctest.ODTText(t, odt)
		doctest.InOrder(t, content, append([]string{"Camera di commercio di Prova", "Adottata dalla Giunta con deliberazione n. 12 del 28 gennaio 2027",
			adopted.SnapshotHash}, sottosezioneInOrder...)...)
		if strings.Contains(styles+content, "BOZZA") || strings.Contains(content, "trimestrale") || strings.Contains(content, "Nome cambiato") {
			t.Error("the adopted document reads BOZZA or live data")
		}
		docx := sottosezioneBytes(t, cycles, x.oiv, writeDOCX)
		if !bytes.Equal(docx, sottosezioneBytes(t, cycles, x.oiv, writeDOCX)) {
			t.Fatal("two writes of the adopted DOCX differ")
		}

		r := document.DetectRenderer()
		if !r.Available() {
			t.Skip("LibreOffice not installed (apt-get install -y libreoffice-writer-nogui): PDF checks skipped")
		}
		pdf := func() []byte {
			doc, err := cycles.SottosezioneDocument(ctx, x.oiv, "2026-2028")
			if err != nil {
				t.Fatal(err)
			}
			out, err := cycles.KeptRendering(ctx, x.oiv, doc.Meta, "sottosezione.pdf", func(b *bytes.Buffer) error { return r.WritePDF(ctx, b, doc.Doc) })
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		first := pdf()
		if !bytes.Equal(first, pdf()) {
			t.Fatal("two requests of the adopted PDF differ")
		}
		info := doctest.CheckPDF(t, first)
		if info.Title != "Sottosezione 2.3 «Rischi corruttivi e trasparenza» – ciclo 2026-2028" {
			t.Errorf("title %q", info.Title)
		}
		doctest.InOrder(t, info.Text, "Rischi corruttivi e trasparenza", "Camera di commercio di Prova", "deliberazione n. 12 del 28 gennaio 2027",
			"Premessa", "Analisi del contesto", "Obiettivi strategici", "Mappatura dei processi", "Valutazione del rischio",
			"Trattamento del rischio", "MG09", "Trasparenza", "Monitoraggio e riesame", "Controlli trimestrali dal prossimo ciclo")
	})
}

// TestPlatformWorkbook: the ANAC platform workbook has one sheet per section A–M in the platform's order, and
// its cells, read back one by one, hold the sottosezione's data; the CSV says the same.
func TestPlatformWorkbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles, _, _ := sottosezioneDocFixture(t, db)
		src, names, s, err := cycles.SottosezioneData(context.Background(), x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		sections, err := export.PlatformSections(src, names, s)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := export.WritePlatformXLSX(&b, src.Meta(), sections); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		want := []string{"A Ricognizione", "B Iter e approvazione", "C Governance", "D Monitoraggio", "E Coordinamento programmazione",
			"F Contesto esterno", "G Contesto interno", "H Valutazione del rischio", "I Misure generali", "L Misure specifiche", "M Trasparenza"}
		if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("sheets %q", got)
		}
		cell := func(sheet, ref, want string) {
			t.Helper()
			v, err := f.GetCellValue(sheet, ref)
			if err != nil || v != want {
				t.Errorf("%s!%s = %q (%v), want %q", sheet, ref, v, err, want)
			}
		}
		cell(want[0], "A1", "Sezione A – Informazioni ricognitive (ciclo 2026-2028) – BOZZA")
		cell(want[0], "A3", "Campo")
		cell(want[0], "B3", "Valore proposto")
		cell(want[0], "A4", "Denominazione dell'amministrazione")
		cell(want[0], "B4", "Camera di commercio di Prova")
		cell(want[0], "B8", export.NotInArgine) // the RPCT's name
		cell(want[1], "A5", "Consultazione pubblica svolta")
		cell(want[1], "B5", "sì")
		cell(want[1], "B9", "1") // contributions received
		cell(want[3], "B4", "semestrale")
		cell(want[3], "B5", "2026-06-30, 2026-12-31")
		cell(want[4], "B4", "1")
		cell(want[4], "A7", "Obiettivi strategici")
		cell(want[4], "A9", "OSA1")
		cell(want[5], "B4", "Territorio a bassa densità imprenditoriale.")
		cell(want[5], "B9", "Delitti denunciati per 100.000 abitanti")
		cell(want[5], "C9", "2900")
		cell(want[6], "B9", "3")  // assessed leaves
		cell(want[6], "B10", "1") // excluded leaves
		cell(want[8], "B4", "1")
		cell(want[8], "A8", "MG09")
		cell(want[8], "C8", "Formazione anticorruzione del personale")
		cell(want[8], "E8", "L. 190/2012 co. 9 lett. b")
		cell(want[9], "A6", "Misure specifiche")
		cell(want[9], "B8", "Controllo a campione delle istruttorie")
		cell(want[10], "A6", "Obblighi di pubblicazione")
		if n := len(s.Obligations); n == 0 {
			t.Fatal("no obligations in the grid")
		} else {
			cell(want[10], "B4", strconv.Itoa(n))
			cell(want[10], "D8", s.Obligations[0].Obligation)
		}

		var c bytes.Buffer
		if err := export.WritePlatformCSV(&c, sections); err != nil {
			t.Fatal(err)
		}
		doctest.InOrder(t, c.String(), "sezione,titolo_sezione,campo,valore,fonte", "A,Informazioni ricognitive,Denominazione dell'amministrazione,Camera di commercio di Prova",
			"B,Iter di redazione e approvazione", "I,Misure generali,Programma delle misure generali n. 1 – Codice,MG09", "M,Trasparenza")
	})
}

// TestRoundSummariesCountProgramme: the list of rounds counts the programme's general measures (a dropped one
// owes nothing), and how many of them were self-assessed and checked, beside the specific measures.
func TestRoundSummariesCountProgramme(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		prog := service.NewProgramme(x.store, x.authz)
		pm, err := prog.Create(ctx, x.rpct, "2026-2028", sampleProgrammeMeasure())
		if err != nil {
			t.Fatal(err)
		}
		dropped := sampleProgrammeMeasure()
		dropped.Code, dropped.Status = "MG10", domain.MeasureDropped
		if _, err := prog.Create(ctx, x.rpct, "2026-2028", dropped); err != nil {
			t.Fatal(err)
		}
		other := sampleProgrammeMeasure()
		other.Code = "MG11"
		if _, err := prog.Create(ctx, x.rpct, "2026-2028", other); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		consolidateFor(t, x, "A1.1.1.2")
		mon := service.NewMonitoring(x.store, x.authz)
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		rounds, err := mon.Rounds(ctx, x.oiv, "2026-2028")
		if err != nil || len(rounds) != 1 || rounds[0].ProgrammeMeasures != 2 || rounds[0].ProgrammeSelfAssessed != 0 {
			t.Fatalf("rounds before the self-assessment %+v %v", rounds, err)
		}
		sg := actorWith(x.tn, "dirsg", domain.Grant{Role: domain.RoleDirector, UnitCode: "SG"})
		if _, err := prog.SelfAssess(ctx, sg, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{Status: "attuata"}); err != nil {
			t.Fatal(err)
		}
		if rounds, err = mon.Rounds(ctx, x.oiv, "2026-2028"); err != nil || rounds[0].ProgrammeSelfAssessed != 1 || rounds[0].ProgrammeChecked != 0 {
			t.Fatalf("rounds after the self-assessment %+v %v", rounds, err)
		}
		if _, err := prog.Check(ctx, x.rpct, "2026-2028", "2026-12-31", pm.ID, store.ProgrammeEntry{CheckOutcome: "confermato", Version: 1}); err != nil {
			t.Fatal(err)
		}
		if rounds, err = mon.Rounds(ctx, x.oiv, "2026-2028"); err != nil || rounds[0].ProgrammeMeasures != 2 || rounds[0].ProgrammeSelfAssessed != 1 || rounds[0].ProgrammeChecked != 1 {
			t.Fatalf("rounds after the check %+v %v", rounds, err)
		}
	})
}
