package service_test

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/notify/mailpittest"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

const mailPublicURL = "https://argine.ente.example"

// smtpBox delivers the outbox to a real SMTP server (Mailpit) and hands back what arrived since the last call.
type smtpBox struct {
	t      *testing.T
	srv    *mailpittest.Server
	sender *notify.Sender
	seen   int
}

func newMailbox(t *testing.T, st *store.Store, clk *testClock) *smtpBox {
	srv := mailpittest.Start(t)
	cfg, err := notify.ParseSMTPURL(srv.SMTPURL("argine@ente-a.example"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 5 * time.Second
	return &smtpBox{t: t, srv: srv, sender: &notify.Sender{Store: st, Mailer: notify.NewSMTPMailer(cfg), PublicURL: mailPublicURL, Now: clk.now}}
}

// deliver drains the outbox and returns the e-mails received since the previous call, by recipient address.
func (b *smtpBox) deliver() map[string][]mailpittest.Message {
	b.t.Helper()
	res, err := b.sender.Drain(context.Background())
	if err != nil || res.Failed+res.Retrying+res.Lost != 0 {
		b.t.Fatalf("drain: %+v %v", res, err)
	}
	if got := b.srv.WaitCount(b.seen + res.Sent); got != b.seen+res.Sent {
		b.t.Fatalf("Mailpit holds %d messages, want %d", got, b.seen+res.Sent)
	}
	all := b.srv.Messages()
	out := map[string][]mailpittest.Message{}
	for _, m := range all[b.seen:] {
		m.Text, m.HTML = strings.ReplaceAll(m.Text, "\r\n", "\n"), strings.ReplaceAll(m.HTML, "\r\n", "\n")
		if len(m.To) != 1 {
			b.t.Fatalf("one recipient per e-mail, got %+v", m.To)
		}
		out[m.To[0].Address] = append(out[m.To[0].Address], m)
	}
	b.seen = len(all)
	return out
}

// expectMailTo checks that who got exactly one e-mail with the subject, containing each text (in both the plain
// text and the HTML part) and the link to the exact screen under the public URL.
func expectMailTo(t *testing.T, got map[string][]mailpittest.Message, who domain.Actor, subject, link string, texts ...string) {
	t.Helper()
	addr := strings.SplitN(who.Username, "-", 2)[0] + "@" + who.EnteCode + ".example"
	var found []mailpittest.Message
	for _, m := range got[addr] {
		if m.Subject == "[Argine] "+subject {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d e-mails %q; received %v", addr, len(found), subject, mailSubjects(got[addr]))
	}
	m := found[0]
	for _, want := range append(texts, "Gentile Utente "+strings.SplitN(who.Username, "-", 2)[0], "Apri in Argine: "+mailPublicURL+link) {
		if !strings.Contains(m.Text, want) {
			t.Errorf("%s %q: the text lacks %q:\n%s", addr, subject, want, m.Text)
		}
	}
	for _, want := range texts {
		if !strings.Contains(m.HTML, mailHTMLText(want)) {
			t.Errorf("%s %q: the HTML lacks %q:\n%s", addr, subject, want, m.HTML)
		}
	}
	if !strings.Contains(m.HTML, `href="`+mailPublicURL+link+`"`) {
		t.Errorf("%s %q: the HTML lacks the link %s:\n%s", addr, subject, link, m.HTML)
	}
}

// mailHTMLText is s as html/template writes it in an element's text.
func mailHTMLText(s string) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse("{{.}}")).Execute(&b, s); err != nil {
		panic(err)
	}
	return b.String()
}

func mailSubjects(ms []mailpittest.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Subject
	}
	return out
}

// expectNoMailTo checks that none of who got any e-mail.
func expectNoMailTo(t *testing.T, got map[string][]mailpittest.Message, who ...domain.Actor) {
	t.Helper()
	for _, w := range who {
		addr := strings.SplitN(w.Username, "-", 2)[0] + "@" + w.EnteCode + ".example"
		if len(got[addr]) != 0 {
			t.Errorf("%s was e-mailed: %v", addr, mailSubjects(got[addr]))
		}
	}
	for addr := range got {
		if !strings.HasSuffix(addr, "@ente-a.example") {
			t.Errorf("an e-mail left the ente: %s %v", addr, mailSubjects(got[addr]))
		}
	}
}

// The campaign's events by e-mail through a real SMTP server: the opening, hand-off, submission, return with
// the comment, comment, approval, reopening, OIV note and privileged request reach exactly who must act, in
// Italian, with the link to the exact screen; a second e-mail of a kind the same day waits for the next day's
// digest; reminders 7 and 1 days before go to the units with work left; past the date the RPCT gets the
// overdue digest by unit. Nobody else (the OIV, another unit, another ente) gets anything.
func TestCampaignEmails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		clk := &testClock{t: at("2026-01-02", 9)}
		useClock(t, clk)
		box := newMailbox(t, x.store, clk)
		cal := service.NewCalendar(x.store, x.authz)
		cal.SetClock(clk.now)
		if _, err := cal.Set(ctx, x.rpct, "2026-2028", calendarInput(0, nil,
			[3]string{"assessment_open", "", "2026-01-05"}, [3]string{"self_assessment_due", "", "2026-01-15"})); err != nil {
			t.Fatal(err)
		}
		sched := service.NewScheduler(x.store, nil)
		sched.SetClock(clk.now)
		run := func() service.SchedulerReport {
			t.Helper()
			r, err := sched.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		const cycle = "?ciclo=2026-2028"
		leaf := "A1.1.1.2" // AD1's only
		leafName := leaf + ` «Attività di verifica, con virgole, "virgolette"»`

		// The opening: every unit with leaves.
		clk.set(at("2026-01-05", 9))
		if r := run(); r.Openings != 1 {
			t.Fatalf("opening: %+v", r)
		}
		got := box.deliver()
		for _, who := range []domain.Actor{x.dir1, x.ref1, x.dir2} {
			expectMailTo(t, got, who, "Campagna aperta: ciclo 2026-2028", "/registro"+cycle,
				"è aperta la mappatura e valutazione dei rischi del ciclo 2026-2028", "entro il 15/01/2026")
		}
		expectNoMailTo(t, got, x.rpct, x.oiv, x.admin)

		// Hand-off, submission, return with the RPCT's comment, a comment in the thread, approval, reopening.
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		if _, err := x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", leaf, sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.HandOff(ctx, x.ref1, "2026-2028", leaf); err != nil {
			t.Fatal(err)
		}
		got = box.deliver()
		expectMailTo(t, got, x.dir1, "Valutazione pronta per la firma: "+leaf, "/valutazioni/"+leaf+cycle,
			"ha completato la bozza della valutazione del processo "+leafName)
		expectNoMailTo(t, got, x.ref1, x.dir2, x.rpct, x.oiv)

		transition := func(who domain.Actor, tr domain.Transition, comment string) {
			t.Helper()
			if _, err := wf.Transition(ctx, who, "2026-2028", leaf, tr, comment); err != nil {
				t.Fatal(err)
			}
		}
		transition(x.dir1, domain.TransitionSubmit, "")
		got = box.deliver()
		expectMailTo(t, got, x.rpct, "Valutazione da revisionare: "+leaf, "/revisione/"+leaf+cycle,
			"ha inviato per la revisione la valutazione del processo "+leafName+" (ciclo 2026-2028)")
		expectNoMailTo(t, got, x.dir1, x.ref1, x.dir2, x.oiv, x.admin)

		transition(x.rpct, domain.TransitionReturn, why)
		got = box.deliver()
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			expectMailTo(t, got, who, "Valutazione restituita: "+leaf, "/valutazioni/"+leaf+cycle,
				"Il RPCT ha restituito la valutazione del processo", "Commento del RPCT:\n"+why)
		}
		expectNoMailTo(t, got, x.rpct, x.dir2, x.oiv, x.admin)

		a, err := x.reg.Assessment(ctx, x.dir1, "2026-2028", leaf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", leaf, *a); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.AddComment(ctx, x.dir1, "2026-2028", leaf, "Ho rivisto le misure come richiesto."); err != nil {
			t.Fatal(err)
		}
		got = box.deliver()
		expectMailTo(t, got, x.rpct, "Nuovo commento: "+leaf, "/valutazioni/"+leaf+cycle, "Ho rivisto le misure come richiesto.")
		expectNoMailTo(t, got, x.dir1, x.ref1, x.dir2, x.oiv) // the referente never wrote in the thread

		// The second submission of the day: in the RPCT's inbox, by e-mail only in tomorrow's digest.
		transition(x.dir1, domain.TransitionSubmit, "")
		if got = box.deliver(); len(got) != 0 {
			t.Fatalf("a second e-mail of a kind the same day: %v", got)
		}
		transition(x.rpct, domain.TransitionApprove, "")
		transition(x.rpct, domain.TransitionReopen, "Nuovi elementi emersi dai controlli")
		got = box.deliver()
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			expectMailTo(t, got, who, "Valutazione approvata: "+leaf, "/valutazioni/"+leaf+cycle, "Il RPCT ha approvato la valutazione del processo")
			expectMailTo(t, got, who, "Valutazione riaperta: "+leaf, "/valutazioni/"+leaf+cycle,
				"può essere modificata di nuovo", "Commento del RPCT:\nNuovi elementi emersi dai controlli")
		}
		expectNoMailTo(t, got, x.rpct, x.dir2, x.oiv, x.admin)

		// The OIV's note to the RPCT; a privileged request (urgent) to who may confirm it.
		if _, err := service.NewOIVNotes(x.store, x.authz).Add(ctx, x.oiv, "2026-2028", store.OIVNote{TargetKind: "cycle", Body: "Verificare la tempistica delle misure."}); err != nil {
			t.Fatal(err)
		}
		if _, err := service.NewUsers(x.store, x.authz, nil).RequestChange(ctx, x.admin, service.RequestInput{Kind: domain.RequestGrantRPCT, TargetID: x.dir2.UserID}); err != nil {
			t.Fatal(err)
		}
		got = box.deliver()
		expectMailTo(t, got, x.rpct, "Nuova nota dell'OIV sul ciclo 2026-2028", "/ciclo"+cycle, "L'OIV ha aggiunto una nota", "Verificare la tempistica delle misure.")
		expectMailTo(t, got, x.rpct, "Richiesta da confermare", "/utenti", "assegnare il ruolo RPCT, utente "+x.dir2.Username)
		expectNoMailTo(t, got, x.dir1, x.ref1, x.dir2, x.oiv, x.admin)

		// The next morning: the RPCT's digest lists the submission that did not get its own e-mail.
		clk.set(at("2026-01-06", 9))
		if r := run(); r.Digests != 1 {
			t.Fatalf("digests: %+v", r)
		}
		got = box.deliver()
		expectMailTo(t, got, x.rpct, "Riepilogo del giorno: 1 notifica", "/notifiche", "Valutazione da revisionare: "+leaf)
		expectNoMailTo(t, got, x.dir1, x.ref1, x.dir2, x.oiv)

		// 7 days before the self-assessment date: the units with leaves still to send; 1 day before, again.
		for _, step := range []struct {
			day, when string
		}{{"2026-01-08", "Mancano 7 giorni"}, {"2026-01-14", "Manca 1 giorno"}} {
			clk.set(at(step.day, 9))
			if r := run(); r.Reminders != 1 {
				t.Fatalf("reminder on %s: %+v", step.day, r)
			}
			got = box.deliver()
			for _, who := range []domain.Actor{x.dir1, x.ref1, x.dir2} {
				unit := who.Grants[0].UnitCode
				expectMailTo(t, got, who, "Promemoria: scadenza dell'autovalutazione delle strutture il 15/01/2026", "/registro"+cycle,
					step.when+" alla scadenza dell'autovalutazione delle strutture (15/01/2026, ciclo 2026-2028)", "La struttura "+unit+" ha ancora")
			}
			expectNoMailTo(t, got, x.rpct, x.oiv, x.admin)
		}

		// Past the date: the RPCT's overdue digest by unit, once a day.
		clk.set(at("2026-01-16", 9))
		if r := run(); r.Overdue != 1 {
			t.Fatalf("overdue: %+v", r)
		}
		got = box.deliver()
		var overdue string
		for _, m := range got["rpct@ente-a.example"] {
			if strings.HasPrefix(m.Subject, "[Argine] Scadenze superate: ") {
				overdue = m.Text
			}
		}
		for _, want := range []string{"in ritardo rispetto al calendario della campagna", "Struttura AD1:\n- Scadenza dell'autovalutazione delle strutture (15/01/2026, ciclo 2026-2028): ",
			"Struttura AD2:\n", "valutazioni non inviate", "Apri in Argine: " + mailPublicURL + "/"} {
			if !strings.Contains(overdue, want) {
				t.Errorf("the overdue digest lacks %q:\n%s", want, overdue)
			}
		}
		expectNoMailTo(t, got, x.dir1, x.ref1, x.dir2, x.oiv, x.admin)
		if r := run(); r.Overdue != 0 || len(box.deliver()) != 0 {
			t.Fatalf("the overdue digest went twice the same day: %+v", r)
		}

		// The administrator resends a sent e-mail (the outbox page): audited, delivered again with the same
		// Message-ID. Only the administrator may, and only in their ente.
		notes := service.NewNotifications(x.store, x.authz, "smtp://mail.ente-a.example")
		notes.SetClock(clk.now)
		sent, err := notes.Outbox(ctx, x.admin, "sent", 1, 100)
		if err != nil || sent.SMTP == "" || sent.Counts["queued"] != 0 || sent.Counts["failed"] != 0 || sent.Counts["sent"] != int64(box.seen) {
			t.Fatalf("outbox: %+v %v (Mailpit holds %d)", sent, err, box.seen)
		}
		var request store.OutboxMail
		for _, m := range sent.Items {
			if m.Subject == "Richiesta da confermare" {
				request = m
			}
		}
		if _, err := notes.Resend(ctx, x.rpct, request.ID); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the RPCT resent an e-mail: %v", err)
		}
		if _, err := notes.Resend(ctx, actorWith(x.tenant(t, "ente-c"), "admin", domain.Grant{Role: domain.RoleAdmin}), request.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("another ente's administrator resent an e-mail: %v", err)
		}
		if _, err := notes.Resend(ctx, x.admin, request.ID); err != nil {
			t.Fatal(err)
		}
		got = box.deliver()
		expectMailTo(t, got, x.rpct, "Richiesta da confermare", "/utenti", "assegnare il ruolo RPCT")
		if m := got["rpct@ente-a.example"][0]; m.MessageID != request.MessageID {
			t.Fatalf("the resent e-mail has Message-ID %q, the first %q", m.MessageID, request.MessageID)
		}
		var audited int64
		if err := db.Gorm.Raw("SELECT COUNT(*) FROM audit_log WHERE ente_id = ? AND entity = 'notification_outbox' AND entity_id = ? AND action = 'resend' AND actor_id = ?",
			x.tn.EnteID, request.ID, x.admin.UserID).Scan(&audited).Error; err != nil || audited != 1 {
			t.Fatalf("resend audit records: %d %v", audited, err)
		}
	})
}

// Monitoring and adoption by e-mail: the round to the units with measures in it, "integrazioni richieste" to
// the measure's unit, the self-assessment reminder before the round's date, the adoption and the publication
// to everyone in the ente (the OIV included), nobody outside it.
func TestMonitoringAndAdoptionEmails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		clk := &testClock{t: at("2026-12-01", 9)}
		useClock(t, clk)
		box := newMailbox(t, x.store, clk)
		mon := service.NewMonitoring(x.store, x.authz)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)) // m1 is AD1's
		if err != nil {
			t.Fatal(err)
		}
		consolidateFor(t, x, "A1.1.1.2")
		box.deliver() // the workflow's e-mails, checked by TestCampaignEmails
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		got := box.deliver()
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			expectMailTo(t, got, who, "Monitoraggio aperto al 2026-12-31", "/monitoraggio?ciclo=2026-2028",
				"Il RPCT ha aperto il monitoraggio delle misure del ciclo 2026-2028 alla data 2026-12-31")
		}
		expectNoMailTo(t, got, x.dir2, x.rpct, x.oiv, x.admin)

		// The self-assessment is due: reminded the day before, to the unit whose measure has none yet.
		cal := service.NewCalendar(x.store, x.authz)
		cal.SetClock(clk.now)
		if _, err := cal.Set(ctx, x.rpct, "2026-2028", calendarInput(0, []int{1}, [3]string{"monitoring_due", "2026-12-31", "2027-01-15"})); err != nil {
			t.Fatal(err)
		}
		sched := service.NewScheduler(x.store, nil)
		sched.SetClock(clk.now)
		clk.set(at("2027-01-14", 9))
		if r, err := sched.RunOnce(ctx); err != nil || r.Reminders != 1 {
			t.Fatalf("reminder: %+v %v", r, err)
		}
		got = box.deliver()
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			expectMailTo(t, got, who, "Promemoria: scadenza del monitoraggio il 15/01/2027", "/monitoraggio?ciclo=2026-2028",
				"Manca 1 giorno alla scadenza del monitoraggio", "La struttura AD1 ha ancora 1 misura di cui indicare l'attuazione.")
		}
		expectNoMailTo(t, got, x.dir2, x.rpct, x.oiv, x.admin)

		m1 := saved.Measures[0].ID
		if _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{Status: "attuata",
			IndicatorValues: []store.IndicatorValue{{Name: "pratiche controllate / pratiche", Value: "12%"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{CheckOutcome: "integrazioni_richieste",
			Suitability: "parzialmente_idonea", CheckNotes: "Allegare il verbale dei controlli."}); err != nil {
			t.Fatal(err)
		}
		got = box.deliver()
		for _, who := range []domain.Actor{x.dir1, x.ref1} {
			expectMailTo(t, got, who, "Integrazioni richieste: A1.1.1.2", "/monitoraggio?ciclo=2026-2028",
				"il RPCT chiede integrazioni sulla misura", "Nota del RPCT:\nAllegare il verbale dei controlli.")
		}
		expectNoMailTo(t, got, x.dir2, x.rpct, x.oiv, x.admin)

		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Publish(ctx, x.rpct, "2026-2028", service.PublicationInput{URL: "https://ente.example/piao", Date: "2027-01-30"}); err != nil {
			t.Fatal(err)
		}
		got = box.deliver()
		for _, who := range []domain.Actor{x.dir1, x.dir2, x.ref1, x.oiv, x.admin} {
			expectMailTo(t, got, who, "Piano adottato: ciclo 2026-2028", "/ciclo?ciclo=2026-2028", "è stata adottata con deliberazione n. 12 del 2027-01-28")
			expectMailTo(t, got, who, "Piano pubblicato: ciclo 2026-2028", "/ciclo?ciclo=2026-2028",
				"pubblicato in Amministrazione trasparente il 30/01/2027: https://ente.example/piao")
		}
		if n := len(got["rpct@ente-a.example"]); n != 0 {
			t.Fatalf("the RPCT was told of their own adoption: %d", n)
		}
		expectNoMailTo(t, got)
		addrs := slices.Sorted(func(yield func(string) bool) {
			for a := range got {
				if !yield(a) {
					return
				}
			}
		})
		if fmt.Sprint(addrs) != "[admin@ente-a.example dir1@ente-a.example dir2@ente-a.example oiv@ente-a.example ref1@ente-a.example]" {
			t.Fatalf("adoption recipients: %v", addrs)
		}
	})
}
