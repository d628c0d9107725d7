package demo_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestDemoPreviousRound: the demo's adopted previous cycle has its year-end round closed, run through the
// services as an ente runs it (self-assessments with mixed outcomes, evidence files, the sample of the plan's
// criteria, checks with one request for more answered, the programme's general measures), marked demo; the
// audit chain verifies, the bell stays quiet, loading again writes nothing, the riesame prefill and the
// sottosezione document (ODT, DOCX, PDF read back) carry the round's results, and a new round still opens.
func TestDemoPreviousRound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d := newDemoSetup(t, db)
		ctx, s, az, maps, reg := d.ctx, d.s, d.az, d.maps, d.reg
		audit := service.NewAudit(s, az)
		var head int64
		for i := range 2 {
			d.loadWithPrevious(t)
			v, err := audit.VerifyEnte(ctx, d.ente(t).ID)
			if err != nil || !v.Valid {
				t.Fatalf("audit chain after load %d: %+v %v", i+1, v, err)
			}
			if i == 0 {
				head = v.Head
			}
		}
		ente := d.ente(t)
		actor := func(name string) domain.Actor { return d.user(t, name) }
		rpct, oiv := actor("rpct"), actor("oiv")
		again, err := audit.List(ctx, rpct, store.AuditFilter{AfterSeq: head}, 1, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range again.Items {
			if strings.Contains(r.Entity, "monitoring") || r.Entity == "evidence" {
				t.Fatalf("loading again changed the round: %+v", r)
			}
		}
		mon := service.NewMonitoring(s, az)
		rounds, err := mon.Rounds(ctx, oiv, demo.PreviousCycle)
		if err != nil || len(rounds) != 1 || rounds[0].ReferenceDate != "2025-12-31" || rounds[0].State != "closed" ||
			rounds[0].SampleSeed != demo.PreviousRoundSeed || rounds[0].SelfAssessed != rounds[0].Measures || rounds[0].Checked == 0 ||
			rounds[0].Checked >= rounds[0].Measures || rounds[0].ProgrammeSelfAssessed != rounds[0].ProgrammeMeasures || rounds[0].ProgrammeMeasures == 0 {
			t.Fatalf("rounds of the previous cycle: %+v %v", rounds, err)
		}
		if plan, err := mon.Plan(ctx, oiv, demo.PreviousCycle); err != nil || !strings.HasPrefix(plan.SamplingCriteria, demo.DemoMarker) ||
			len(plan.ReferenceDates) != 1 || plan.ReferenceDates[0] != "2025-12-31" {
			t.Fatalf("plan of the previous cycle: %+v %v", plan, err)
		}
		view, err := mon.Round(ctx, oiv, demo.PreviousCycle, "2025-12-31")
		if err != nil {
			t.Fatal(err)
		}
		status := map[domain.ImplementationStatus]int{}
		var evidence []store.Evidence
		supplemented, partlySuitable := 0, 0
		for _, m := range view.Measures {
			e := m.Entry
			if e == nil {
				t.Fatalf("measure %s not self-assessed", m.ID)
			}
			status[e.Status]++
			if e.Status != domain.StatusImplemented && !strings.HasPrefix(e.Reason, demo.DemoMarker) {
				t.Fatalf("status %s without a demo reason: %+v", e.Status, e)
			}
			if e.Status == domain.StatusNotImplemented && !strings.Contains(e.Reason, "Nuovo termine: 30 giugno 2026") {
				t.Fatalf("the measure not implemented has no new deadline: %q", e.Reason)
			}
			if m.Sampled != (e.CheckOutcome != "") {
				t.Fatalf("measure %s sampled %v, checked %q", m.Leaf, m.Sampled, e.CheckOutcome)
			}
			if m.Sampled && (e.CheckOutcome != string(domain.CheckConfirmed) || e.CheckOutdated || m.SampleReason == "") {
				t.Fatalf("sampled measure %s: %+v (%s)", m.Leaf, e, m.SampleReason)
			}
			if strings.Contains(e.Notes, "Integrazione: allegato il verbale") {
				supplemented++
				if e.SelfVersion != 2 || e.CheckedVersion != 2 {
					t.Fatalf("the supplemented self-assessment: %+v", e)
				}
			}
			if e.Suitability == string(domain.PartlySuitable) {
				partlySuitable++
			}
			evidence = append(evidence, m.Evidence...)
		}
		if status[domain.StatusNotImplemented] != 1 || status[domain.StatusPartly] < 2 || status[domain.StatusImplemented] < len(view.Measures)*2/3 ||
			supplemented != 1 || partlySuitable == 0 {
			t.Fatalf("outcomes %v, supplemented %d, partly suitable %d", status, supplemented, partlySuitable)
		}
		// The evidence files are real: a PDF from the document engine and plain-text minutes, read back.
		ev := service.NewEvidence(s, az, mon, service.EvidenceConfig{})
		types := map[string]int{}
		for _, e := range evidence {
			got, data, err := ev.Download(ctx, oiv, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			types[got.ContentType]++
			if got.ContentType == "application/pdf" {
				doctest.InOrder(t, doctest.PDFText(t, data), "Relazione di attuazione al 2025-12-31", "[Dati dimostrativi] Misura:")
			} else if !bytes.HasPrefix(data, []byte(demo.DemoMarker)) {
				t.Fatalf("evidence %s: %q", got.Name, data)
			}
		}
		if len(evidence) != 4 || types["application/pdf"] != 1 {
			t.Fatalf("evidence: %d files, types %v", len(evidence), types)
		}
		prog, err := service.NewProgramme(s, az).Round(ctx, oiv, demo.PreviousCycle, "2025-12-31")
		if err != nil {
			t.Fatal(err)
		}
		partly := 0
		for _, m := range prog.Measures {
			if m.Entry == nil || m.Entry.CheckOutcome != string(domain.CheckConfirmed) || len(m.Entry.IndicatorValues) != 1 {
				t.Fatalf("general measure %s: %+v", m.Code, m.Entry)
			}
			if m.Entry.Status == domain.StatusPartly {
				partly++
			}
		}
		if len(prog.Measures) != 10 || partly != 2 {
			t.Fatalf("programme: %d measures, %d in part", len(prog.Measures), partly)
		}
		// What the round notified was read long ago: the bell speaks of the current campaign only.
		for _, name := range []string{"rpct", "dir1", "dir2", "dir3"} {
			if inbox, err := service.NewNotifications(s, az, "").Inbox(ctx, actor(name), false, 1, 10); err != nil || inbox.Unread != 0 {
				t.Fatalf("%s's inbox: %+v %v", name, inbox, err)
			}
		}

		// The riesame of the current cycle, reviewing 2025, starts from the round; so does the adopted cycle's.
		sot := service.NewSottosezione(s, az, maps)
		for _, cycle := range []string{"2026-2028", demo.PreviousCycle} {
			part, err := sot.Part(ctx, oiv, cycle, domain.PartRiesame)
			if err != nil {
				t.Fatal(err)
			}
			p := part.Computed.(map[string]any)["prefill"].(*service.RiesamePrefill)
			if p.Cycle != demo.PreviousCycle || p.Round != "2025-12-31" || p.Measures != len(view.Measures) || p.ByStatus["non_attuata"] != 1 ||
				len(p.NotImplemented) != status[domain.StatusPartly]+1 || len(p.NotSuitable) != partlySuitable ||
				!strings.Contains(p.Worked, "Nel monitoraggio al 2025-12-31 risultano attuate") || !strings.Contains(p.NotWorked, "Misure non attuate") {
				t.Fatalf("riesame prefill of %s: %+v", cycle, p)
			}
		}

		// The current cycle's sottosezione document reports the round's results in its monitoring part.
		src, names, ss, err := service.NewCycles(s, az, reg, maps).SottosezioneData(ctx, oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		if len(ss.Rounds) != 1 || ss.Rounds[0].Cycle != demo.PreviousCycle || ss.Rounds[0].Date != "2025-12-31" ||
			ss.Rounds[0].Specific["attuata"] != status[domain.StatusImplemented] || ss.Rounds[0].Programme["parzialmente_attuata"] != 2 {
			t.Fatalf("monitoring results in the document data: %+v", ss.Rounds)
		}
		doc, err := export.SottosezioneDocument(src, names, ss, ente.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		row := func(label string, specific, general int) []string {
			return []string{demo.PreviousCycle, "31 dicembre 2025", label, strconv.Itoa(specific), strconv.Itoa(general)}
		}
		want := append(append(append([]string{"7.2 Esiti del monitoraggio", "Stato di attuazione delle misure nelle rilevazioni chiuse"},
			row("Attuata", status[domain.StatusImplemented], 8)...), row("Parzialmente attuata", status[domain.StatusPartly], 2)...),
			row("Non attuata", 1, 0)...)
		want = append(want, "7.3 Riesame del sistema")
		var odt, docx, pdf bytes.Buffer
		if err := document.WriteODT(&odt, doc); err != nil {
			t.Fatal(err)
		}
		if err := document.WriteDOCX(&docx, doc); err != nil {
			t.Fatal(err)
		}
		if err := document.WritePDF(&pdf, doc); err != nil {
			t.Fatal(err)
		}
		content, _, _ := doctest.ODTText(t, odt.Bytes())
		body, _, _ := doctest.DOCXText(t, docx.Bytes())
		for name, text := range map[string]string{"ODT": content, "DOCX": body, "PDF": doctest.PDFText(t, pdf.Bytes())} {
			if strings.Contains(text, "Nessuna rilevazione di monitoraggio chiusa") {
				t.Errorf("%s: the monitoring part has no results", name)
			}
			doctest.InOrder(t, text, want...)
		}

		// A closed round does not stand in the way of the next one (the monitoring stories open 2026-06-30).
		if r, err := mon.OpenRound(ctx, rpct, demo.PreviousCycle, "2026-06-30"); err != nil || r.Round.State != "open" {
			t.Fatalf("a new round on the previous cycle: %+v %v", r, err)
		}
	})
}
