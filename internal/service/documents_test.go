package service_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// documentsFixture approves three leaves, excludes the fourth and consolidates 2026-2028; the ente gets a
// full name, so the documents can be checked for it (and never its code).
func documentsFixture(t *testing.T, db *database.DB) (registerFixture, *service.Cycles) {
	t.Helper()
	return approveAndConsolidate(t, db, newRegisterFixture(t, db))
}

// consolidateWith saves the assessment(code) gives for three leaves of 2026-2028 (each by its unit's director),
// submits and approves them, excludes the fourth leaf and consolidates the cycle.
func consolidateWith(t *testing.T, x registerFixture, assessment func(code string) domain.Assessment) *service.Cycles {
	t.Helper()
	ctx := context.Background()
	wf := service.NewWorkflow(x.store, x.authz, x.reg)
	cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
	for _, a := range []struct {
		who  domain.Actor
		code string
	}{{actorWith(x.tn, "dirsg", domain.Grant{Role: domain.RoleDirector, UnitCode: "SG"}), "A1.1.1.1"}, {x.dir1, "A1.1.1.2"}, {x.dir2, "B2.2.1.1"}} {
		if _, err := x.reg.SaveAssessment(ctx, a.who, "2026-2028", a.code, assessment(a.code)); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, a.who, "2026-2028", a.code, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, x.rpct, "2026-2028", a.code, domain.TransitionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", "B2.1 BIS", "Processo non attivo nel triennio"); err != nil {
		t.Fatal(err)
	}
	if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
		t.Fatal(err)
	}
	return cycles
}

func annexBytes(t *testing.T, cycles *service.Cycles, actor domain.Actor, cycle string, write func(*bytes.Buffer, *document.Document) error) []byte {
	t.Helper()
	doc, err := cycles.RegisterAnnex(context.Background(), actor, cycle)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := write(&b, doc.Doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeODT(b *bytes.Buffer, d *document.Document) error  { return document.WriteODT(b, d) }
func writeDOCX(b *bytes.Buffer, d *document.Document) error { return document.WriteDOCX(b, d) }

// TestRegisterAnnex: the annex names the body, areas, units and measure types; carries BOZZA until adoption
// and the deliberation and hash after; and, adopted, is the same bytes at every request, in every format.
func TestRegisterAnnex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles := documentsFixture(t, db)
		ctx := context.Background()
		content, styles, meta := doctest.ODTText(t, annexBytes(t, cycles, x.oiv, "2026-2028", writeODT))
		doctest.InOrder(t, styles, "BOZZA – Camera di commercio di Prova – Registro dei rischi corruttivi – ciclo 2026-2028", "BOZZA", "Pagina")
		doctest.InOrder(t, content, "Registro dei rischi corruttivi", "Camera di commercio di Prova", "BOZZA – registro non ancora adottato",
			"1. Quadro d'insieme", "Rischi per livello", "Alto", "Rischi per area di rischio", "Acquisizione e gestione del personale",
			"Mappa di calore", "2. Piano delle misure per processo", "A1.1 – Pianificazione",
			"Controllo a campione delle istruttorie", "T01 – controllo", "Area Dirigenziale n. 1", "entro il", "3. Schede dei processi",
			"Scheda del processo A1.1 – Pianificazione", "Rischi valutati", "Metodologia")
		if strings.Contains(styles, "ente-a") || strings.Contains(meta, "ente-a") {
			t.Error("the annex names the body by its code")
		}
		if !strings.Contains(content, "(misura generale: MG09 – Formazione in materia di anticorruzione)") {
			t.Error("the general measure is not named")
		}

		adopted, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"})
		if err != nil {
			t.Fatal(err)
		}
		odt := annexBytes(t, cycles, x.oiv, "2026-2028", writeODT)
		if again := annexBytes(t, cycles, x.rpct, "2026-2028", writeODT); !bytes.Equal(odt, again) {
			t.Fatal("two requests of the adopted ODT differ")
		}
		content, styles, _ = doctest.ODTText(t, odt)
		doctest.InOrder(t, content, "Adottato dalla Giunta con deliberazione n. 12 del 28 gennaio 2027", adopted.SnapshotHash)
		if strings.Contains(styles+content, "BOZZA") {
			t.Error("the adopted annex still says BOZZA")
		}
		docx := annexBytes(t, cycles, x.oiv, "2026-2028", writeDOCX)
		if !bytes.Equal(docx, annexBytes(t, cycles, x.oiv, "2026-2028", writeDOCX)) {
			t.Fatal("two requests of the adopted DOCX differ")
		}
		body, headers, core := doctest.DOCXText(t, docx)
		doctest.InOrder(t, body, "deliberazione n. 12 del 28 gennaio 2027", adopted.SnapshotHash, "Quadro d'insieme")
		doctest.InOrder(t, headers, "Camera di commercio di Prova – Registro dei rischi corruttivi – ciclo 2026-2028", "Pagina")
		doctest.InOrder(t, core, "Registro dei rischi corruttivi – ciclo 2026-2028", "Camera di commercio di Prova", "it-IT")

		// The PDF: rendered once, kept, served the same afterwards.
		r := document.DetectRenderer()
		if !r.Available() {
			t.Skip("LibreOffice not installed (apt-get install -y libreoffice-writer-nogui): PDF checks skipped")
		}
		pdf := func() []byte {
			doc, err := cycles.RegisterAnnex(ctx, x.oiv, "2026-2028")
			if err != nil {
				t.Fatal(err)
			}
			out, err := cycles.KeptRendering(ctx, x.oiv, doc.Meta, "registro.pdf", func(b *bytes.Buffer) error { return r.WritePDF(ctx, b, doc.Doc) })
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
		if info.Pages < 4 || info.Title != "Registro dei rischi corruttivi – ciclo 2026-2028" {
			t.Errorf("pages %d, title %q", info.Pages, info.Title)
		}
		doctest.InOrder(t, info.Text, "Registro dei rischi corruttivi", "Camera di commercio di Prova", "deliberazione n. 12 del 28 gennaio 2027",
			"Pagina 1 di", "Quadro d'insieme", "Piano delle misure per processo", "Controllo a campione delle istruttorie", "Schede dei processi")
	})
}

// TestCompareCycles: a roll-forward with a leaf gone, a level raised, a measure dropped and one added reads
// as such, on screen data and in the next cycle's annex.
func TestCompareCycles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles := documentsFixture(t, db)
		ctx := context.Background()
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.CompareCycles(ctx, x.oiv, "2026-2028", ""); domain.CodeOf(err) != "previous_cycle_not_found" {
			t.Fatalf("no previous cycle: %v", err)
		}
		next := dbtest.SmallMap()
		next.Nodes = append(next.Nodes[:4:4], next.Nodes[5:]...) // drop A1.1.1.2
		if _, err := x.maps.Import(ctx, x.tn, "2027-2029", next); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029"); err != nil {
			t.Fatal(err)
		}
		a, err := x.reg.Assessment(ctx, x.dir1, "2027-2029", "A1.1.1.1")
		if err != nil {
			t.Fatal(err)
		}
		// Lower every judgement to the bottom of the scale: the level falls; drop the second measure, add one.
		for i := range a.Risks {
			for j := range a.Risks[i].Inherent.Values {
				a.Risks[i].Inherent.Values[j].Value = 1
			}
			a.Risks[i].Inherent.Override = nil
			a.Risks[i].Measures = slices.DeleteFunc(a.Risks[i].Measures, func(k string) bool { return k == a.Measures[1].Key })
		}
		a.Measures = append(a.Measures[:1], domain.Measure{Key: "m9", Nature: "specific", Type: "T04", Title: "Nuovo regolamento delle verifiche"})
		a.Risks[0].Measures = append(a.Risks[0].Measures, "m9")
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2027-2029", "A1.1.1.1", *a); err != nil {
			t.Fatal(err)
		}
		cmp, err := cycles.CompareCycles(ctx, x.oiv, "2027-2029", "")
		if err != nil {
			t.Fatal(err)
		}
		changes := map[string]string{}
		for _, l := range cmp.Leaves {
			changes[l.Code] = l.Change
		}
		if cmp.From != "2026-2028" || changes["A1.1.1.1"] != "fell" || changes["A1.1.1.2"] != "removed" || changes["B2.2.1.1"] != "" ||
			cmp.Counts.Fell != 1 || cmp.Counts.RemovedLeaves != 1 || cmp.Counts.Unchanged != 1 {
			t.Fatalf("leaves %+v counts %+v", cmp.Leaves, cmp.Counts)
		}
		// 2026-2028 had 2 measures on each of 3 leaves. 2027-2029 carries 1+2 over, adds 1; the rest is withdrawn
		// (one removed from A1.1.1.1, two with the leaf that is gone).
		if c := cmp.Counts; c.MeasuresCarried != 3 || c.MeasuresAdded != 1 || c.MeasuresWithdrawn != 3 {
			t.Fatalf("measure counts %+v", c)
		}
		if _, err := cycles.CompareCycles(ctx, x.oiv, "2027-2029", "2027-2029"); domain.CodeOf(err) != "comparison_invalid" {
			t.Fatalf("a cycle compared with itself: %v", err)
		}
		if _, err := cycles.CompareCycles(ctx, x.oiv, "2027-2029", "1999-2001"); domain.CodeOf(err) == "" {
			t.Fatalf("an unknown cycle: %v", err)
		}
		content, _, _ := doctest.ODTText(t, annexBytes(t, cycles, x.oiv, "2027-2029", writeODT))
		doctest.InOrder(t, content, "4. Confronto con il ciclo 2026-2028", "Attività con livello di rischio in diminuzione", "1",
			"A1.1.1.1", "In diminuzione", "Esito del monitoraggio", "Misure nuove, riproposte e ritirate", "Nuovo regolamento delle verifiche", "Nuova")
	})
}

// TestAnnualReport: names not codes, the ANAC form's order, the rows Argine cannot fill marked as such, and
// the monitoring sheet with a round by unit and type.
func TestAnnualReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles := documentsFixture(t, db)
		ctx := context.Background()
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); err != nil {
			t.Fatal(err)
		}
		mon := service.NewMonitoring(x.store, x.authz)
		round, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2027-06-30")
		if err != nil {
			t.Fatal(err)
		}
		assessed := 0
		for _, m := range round.Measures {
			if m.Unit == "AD1" {
				if _, err := mon.SelfAssess(ctx, x.dir1, "2026-2028", "2027-06-30", m.ID, store.MonitoringEntry{Status: "attuata"}); err != nil {
					t.Fatal(err)
				}
				assessed++
			}
		}
		if _, err := mon.CloseRound(ctx, x.rpct, "2026-2028", "2027-06-30"); err != nil {
			t.Fatal(err)
		}
		data, err := cycles.AnnualReport(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := export.WriteAnnualReport(&b, data.Source, data.Names, data.Rounds); err != nil {
			t.Fatal(err)
		}
		rel := xlsxRows(t, b.Bytes(), "Relazione RPCT")
		var flat []string
		for _, r := range rel {
			flat = append(flat, strings.Join(r, " | "))
		}
		text := strings.Join(flat, "\n")
		doctest.InOrder(t, text, "Camera di commercio di Prova", "1. Gestione del rischio", "Rischi valutati | 6", "2. Misure specifiche",
			"Programmate – T01 – controllo | 3", "Attuate | 3", "Formazione", "Applicazioni programmate – MG09 – Formazione in materia di anticorruzione | 3",
			"Ore di formazione erogate | "+export.NotAvailable, "Rotazione del personale", "whistleblowing", "Segnalazioni ricevute | "+export.NotAvailable,
			"Monitoraggio dell'attuazione delle misure", "Rilevazioni svolte nel ciclo | 1", "Misure Attuata | 3")
		if strings.Contains(text, "ente-a") {
			t.Error("the report names the body by its code")
		}
		monRows := xlsxRows(t, b.Bytes(), "Monitoraggio")
		// One row per unit × type: the general measure without a unit says so.
		if len(monRows) != 3 || monRows[1][2] != "unità non indicata" || monRows[1][3] != "T06 – formazione" || monRows[1][5] != "0" ||
			monRows[2][0] != "30 giugno 2027" || monRows[2][1] != "chiusa" || monRows[2][2] != "Area Dirigenziale n. 1" ||
			monRows[2][3] != "T01 – controllo" || monRows[2][4] != "3" || monRows[2][5] != "3" || monRows[2][6] != "3" {
			t.Fatalf("monitoring sheet %q (assessed %d)", monRows, assessed)
		}
		types := xlsxRows(t, b.Bytes(), "Misure per tipologia")
		if types[1][0] != "T01 – controllo" || types[1][2] != "3" || types[1][4] != "3" || types[2][0] != "T06 – formazione" || types[2][1] != "3" {
			t.Fatalf("by type %q", types)
		}
	})
}
