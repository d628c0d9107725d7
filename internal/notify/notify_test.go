package notify_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/notify/mailpittest"
	"github.com/argine-pa/argine/internal/store"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	st    *store.Store
	ente  string
	other string // another ente
	users map[string]store.Recipient
	clk   *clock
}

func setup(t *testing.T, db *database.DB) *fixture { return setupTB(t, db) }

func setupTB(t testing.TB, db *database.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	f := &fixture{st: st, users: map[string]store.Recipient{}, clk: &clock{t: time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)}}
	old := notify.Now
	notify.Now = f.clk.now
	t.Cleanup(func() { notify.Now = old })
	for _, e := range []string{"ente-a", "ente-b"} {
		ente, err := st.CreateEnte(ctx, e, "Ente "+e)
		if err != nil {
			t.Fatal(err)
		}
		if e == "ente-a" {
			f.ente = ente.ID
		} else {
			f.other = ente.ID
		}
	}
	for _, u := range []struct {
		name, ente string
		role       domain.Role
		unit       string
	}{{"rpct", f.ente, domain.RoleRPCT, ""}, {"dir1", f.ente, domain.RoleDirector, "AD1"}, {"dir2", f.ente, domain.RoleDirector, "AD2"},
		{"ref1", f.ente, domain.RoleReferente, "AD1"}, {"oiv", f.ente, domain.RoleOIV, ""}, {"outsider", f.other, domain.RoleDirector, "AD1"}} {
		got, err := st.CreateUser(ctx, domain.User{EnteID: u.ente, Username: u.name, FullName: "Utente " + u.name,
			Email: u.name + "@ente.example", Grants: []domain.Grant{{Role: u.role, UnitCode: u.unit}}}, "x")
		if err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = store.Recipient{UserID: got.ID, Email: got.Email, FullName: got.FullName}
	}
	return f
}

func (f *fixture) enqueue(t *testing.T, ev notify.Event) {
	t.Helper()
	if ev.EnteID == "" {
		ev.EnteID = f.ente
	}
	if err := f.st.WithTx(context.Background(), func(tx *store.Store) error { return notify.Enqueue(context.Background(), tx, ev) }); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) sender(srv *mailpittest.Server, smtpAddr string) *notify.Sender {
	url := "smtp://" + smtpAddr + "?tls=none&from=argine%40ente.example"
	cfg, err := notify.ParseSMTPURL(url)
	if err != nil {
		panic(err)
	}
	cfg.Timeout = 5 * time.Second
	return &notify.Sender{Store: f.st, Mailer: notify.NewSMTPMailer(cfg), PublicURL: "https://argine.ente.example", Now: f.clk.now}
}

func outbox(t *testing.T, f *fixture, state string) []store.OutboxMail {
	t.Helper()
	rows, _, err := f.st.OutboxPage(context.Background(), f.ente, state, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The notification is part of the change's transaction: a rolled-back change tells nobody.
func TestEnqueueIsTransactional(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db)
		ctx := context.Background()
		err := f.st.WithTx(ctx, func(tx *store.Store) error {
			if err := notify.Enqueue(ctx, tx, notify.Event{EnteID: f.ente, Kind: notify.AssessmentSubmitted,
				Recipients: []store.Recipient{f.users["rpct"]}, Subject: "x", Body: "y", Link: "/z"}); err != nil {
				return err
			}
			return fmt.Errorf("the change failed")
		})
		if err == nil {
			t.Fatal("expected the rollback")
		}
		if n, _ := f.st.UnreadCount(ctx, f.ente, f.users["rpct"].UserID); n != 0 || len(outbox(t, f, "")) != 0 {
			t.Fatalf("a rolled-back change left %d notifications, %d e-mails", n, len(outbox(t, f, "")))
		}
		f.enqueue(t, notify.Event{Kind: notify.AssessmentSubmitted, Recipients: []store.Recipient{f.users["rpct"], f.users["dir1"]},
			Exclude: f.users["dir1"].UserID, Subject: "Valutazione inviata", Body: "Il processo A1.1 è stato inviato.", Link: "/cicli/2026-2028/processi/A1.1"})
		if n, _ := f.st.UnreadCount(ctx, f.ente, f.users["rpct"].UserID); n != 1 {
			t.Fatalf("rpct unread %d", n)
		}
		if n, _ := f.st.UnreadCount(ctx, f.ente, f.users["dir1"].UserID); n != 0 {
			t.Fatalf("the actor was told about their own action: %d", n)
		}
		// A recipient of another ente is never told, even if a caller passes them.
		if err := f.st.WithTx(ctx, func(tx *store.Store) error {
			rs, err := tx.RecipientsByID(ctx, f.ente, []string{f.users["outsider"].UserID, f.users["rpct"].UserID})
			if err != nil {
				return err
			}
			if len(rs) != 1 || rs[0].UserID != f.users["rpct"].UserID {
				t.Errorf("recipients crossed entes: %+v", rs)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		rs, err := f.st.RecipientsWithRole(ctx, f.ente, []string{"director", "referente"}, []string{"AD1"})
		if err != nil || len(rs) != 2 {
			t.Fatalf("unit AD1's people: %+v %v", rs, err)
		}
	})
}

// One e-mail per person per day per kind unless urgent; the rest waits for the digest. Muted kinds stay in the app.
func TestOnePerDayAndPreferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db)
		ctx := context.Background()
		rpct := f.users["rpct"]
		for i := range 3 {
			f.enqueue(t, notify.Event{Kind: notify.AssessmentSubmitted, Recipients: []store.Recipient{rpct}, Subject: fmt.Sprintf("n%d", i), Link: "/x"})
		}
		f.enqueue(t, notify.Event{Kind: notify.AssessmentSubmitted, Urgent: true, Recipients: []store.Recipient{rpct}, Subject: "urgente", Link: "/x"})
		if got := len(outbox(t, f, "queued")); got != 2 {
			t.Fatalf("queued e-mails: %d, want 2 (first of the day + urgent)", got)
		}
		items, total, err := f.st.Inbox(ctx, f.ente, rpct.UserID, false, 0, 50)
		if err != nil || total != 4 {
			t.Fatalf("inbox: %d %v", total, err)
		}
		digest := 0
		for _, n := range items {
			if n.Email == "digest" {
				digest++
			}
		}
		if digest != 2 {
			t.Fatalf("waiting for the digest: %d", digest)
		}
		// Next day: an e-mail again.
		f.clk.add(24 * time.Hour)
		f.enqueue(t, notify.Event{Kind: notify.AssessmentSubmitted, Recipients: []store.Recipient{rpct}, Subject: "domani", Link: "/x"})
		if got := len(outbox(t, f, "queued")); got != 3 {
			t.Fatalf("queued e-mails the next day: %d", got)
		}
		// Muted: in the app only.
		if _, err := f.st.SavePrefs(ctx, store.NotificationPrefs{UserID: rpct.UserID, EnteID: f.ente, EmailMuted: "comment", Digest: "weekly"}, 0); err != nil {
			t.Fatal(err)
		}
		f.enqueue(t, notify.Event{Kind: notify.CommentAdded, Recipients: []store.Recipient{rpct}, Subject: "commento", Link: "/x"})
		if got := len(outbox(t, f, "queued")); got != 3 {
			t.Fatalf("a muted kind was e-mailed: %d", got)
		}
		if _, err := f.st.SavePrefs(ctx, store.NotificationPrefs{UserID: rpct.UserID, EnteID: f.ente, Digest: "daily"}, 7); err == nil {
			t.Fatal("a stale version saved")
		}
	})
}

// Delivery through a real SMTP server: recipients, subject, Italian text, the link, one message per e-mail.
func TestSenderDelivers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		srv := mailpittest.Start(t)
		f := setup(t, db)
		ctx := context.Background()
		f.enqueue(t, notify.Event{Kind: notify.AssessmentReturned, Recipients: []store.Recipient{f.users["dir1"]},
			Subject: "Valutazione restituita: A1.1", Body: "Il RPCT ha restituito la valutazione con questo commento:\n\nRivedere la probabilità.",
			Link: "/cicli/2026-2028/processi/A1.1"})
		res, err := f.sender(srv, srv.SMTPAddr).Drain(ctx)
		if err != nil || res.Sent != 1 {
			t.Fatalf("drain: %+v %v", res, err)
		}
		srv.WaitCount(1)
		msgs := srv.Messages()
		if len(msgs) != 1 {
			t.Fatalf("messages: %d", len(msgs))
		}
		m := msgs[0]
		if len(m.To) != 1 || m.To[0].Address != "dir1@ente.example" || m.Subject != "[Argine] Valutazione restituita: A1.1" {
			t.Fatalf("envelope: %+v", m)
		}
		for _, want := range []string{"Gentile Utente dir1", "Rivedere la probabilità", "https://argine.ente.example/cicli/2026-2028/processi/A1.1"} {
			if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
				t.Errorf("body lacks %q:\n%s\n%s", want, m.Text, m.HTML)
			}
		}
		sent := outbox(t, f, "sent")
		if len(sent) != 1 || sent[0].SentAt == nil || m.MessageID != sent[0].MessageID {
			t.Fatalf("recorded: %+v (received Message-ID %q)", sent, m.MessageID)
		}
		// Nothing left: a second pass sends nothing.
		if res, _ := f.sender(srv, srv.SMTPAddr).Drain(ctx); res.Claimed != 0 || srv.Count() != 1 {
			t.Fatalf("second pass: %+v, %d messages", res, srv.Count())
		}
	})
}

// SMTP down, then up: the e-mail waits with its error and backoff, then goes exactly once.
func TestSMTPDownThenUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		if _, err := mailpittest.Bin(); err != nil {
			mailpittest.Start(t) // skips or fails as CI requires
		}
		f := setup(t, db)
		ctx := context.Background()
		addr := mailpittest.FreePort(t)
		f.enqueue(t, notify.Event{Kind: notify.OIVNoteAdded, Recipients: []store.Recipient{f.users["rpct"]}, Subject: "Nota OIV", Link: "/x"})
		s := f.sender(nil, addr)
		// An hour of outage: every pass fails and backs off; nothing is lost.
		for range 6 {
			res, err := s.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Sent != 0 {
				t.Fatal("sent to a server that is down")
			}
			f.clk.add(10 * time.Minute)
		}
		q := outbox(t, f, "queued")
		if len(q) != 1 || q[0].Attempts < 2 || q[0].LastError == "" {
			t.Fatalf("queued after the outage: %+v", q)
		}
		srv := mailpittest.Start(t, addr)
		f.clk.add(time.Hour) // past the backoff
		res, err := s.Drain(ctx)
		if err != nil || res.Sent != 1 {
			t.Fatalf("after the server came back: %+v %v", res, err)
		}
		if got := srv.WaitCount(1); got != 1 {
			t.Fatalf("delivered %d times", got)
		}
		if sent := outbox(t, f, "sent"); len(sent) != 1 || sent[0].LastError != "" {
			t.Fatalf("recorded: %+v", sent)
		}
	})
}

// A sender killed after claiming (it never sends nor records): once its lease runs out another sender delivers
// the e-mail, exactly once.
func TestKilledBetweenClaimAndSend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		srv := mailpittest.Start(t)
		f := setup(t, db)
		ctx := context.Background()
		f.enqueue(t, notify.Event{Kind: notify.CycleAdopted, Recipients: []store.Recipient{f.users["rpct"], f.users["dir1"]}, Subject: "Adottato", Link: "/x"})
		at := f.clk.now()
		claimed, err := f.st.ClaimMail(ctx, "dead-sender", at, at.Add(notify.DefaultLease), 10)
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claim: %d %v", len(claimed), err)
		}
		s := f.sender(srv, srv.SMTPAddr)
		if res, _ := s.Drain(ctx); res.Claimed != 0 {
			t.Fatalf("took rows still under another sender's lease: %+v", res)
		}
		f.clk.add(notify.DefaultLease + time.Second)
		res, err := s.Drain(ctx)
		if err != nil || res.Sent != 2 {
			t.Fatalf("after the lease: %+v %v", res, err)
		}
		// The dead sender's late record does not count.
		if ok, _ := f.st.MailSent(ctx, claimed[0].ID, "dead-sender", f.clk.now()); ok {
			t.Fatal("a stale claim recorded a delivery")
		}
		if got := srv.WaitCount(2); got != 2 {
			t.Fatalf("delivered %d", got)
		}
		if res, _ := s.Drain(ctx); res.Claimed != 0 || srv.Count() != 2 {
			t.Fatalf("sent again: %+v", res)
		}
	})
}

// Two senders at once (two server instances): every e-mail goes once.
func TestConcurrentSenders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		srv := mailpittest.Start(t)
		f := setup(t, db)
		ctx := context.Background()
		const n = 60
		var evs []notify.Event
		for i := range n {
			evs = append(evs, notify.Event{EnteID: f.ente, Kind: notify.Reminder, Urgent: true, Recipients: []store.Recipient{f.users["dir1"]},
				Subject: fmt.Sprintf("Promemoria %d", i), Link: "/x"})
		}
		if err := f.st.WithTx(ctx, func(tx *store.Store) error { return notify.EnqueueAll(ctx, tx, evs) }); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]notify.Result, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := f.sender(srv, srv.SMTPAddr)
				s.Batch = 7
				results[i], errs[i] = s.Drain(ctx)
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		if results[0].Sent+results[1].Sent != n {
			t.Fatalf("sent %d + %d", results[0].Sent, results[1].Sent)
		}
		got := srv.WaitCount(n)
		msgs := srv.Messages()
		seen := map[string]bool{}
		for _, m := range msgs {
			if seen[m.MessageID] {
				t.Fatalf("message %s delivered twice", m.MessageID)
			}
			seen[m.MessageID] = true
		}
		if got != n || len(seen) != n {
			t.Fatalf("delivered %d distinct of %d", len(seen), got)
		}
	})
}

// A permanent refusal stops at once as failed with the error; resend puts it back with the same Message-ID.
func TestFailedAndResend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		srv := mailpittest.Start(t)
		f := setup(t, db)
		ctx := context.Background()
		f.enqueue(t, notify.Event{Kind: notify.Reminder, Recipients: []store.Recipient{{UserID: f.users["dir2"].UserID, Email: "not an address", FullName: "x"}}, Subject: "x", Link: "/x"})
		s := f.sender(srv, srv.SMTPAddr)
		if res, err := s.Drain(ctx); err != nil || res.Failed != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		failed := outbox(t, f, "failed")
		if len(failed) != 1 || !strings.Contains(failed[0].LastError, "invalid recipient") {
			t.Fatalf("failed: %+v", failed)
		}
		if _, err := f.st.ResendMail(ctx, f.other, failed[0].ID, f.clk.now()); err == nil {
			t.Fatal("another ente resent it")
		}
		m, err := f.st.ResendMail(ctx, f.ente, failed[0].ID, f.clk.now())
		if err != nil || m.State != "queued" || m.MessageID != failed[0].MessageID {
			t.Fatalf("resend: %+v %v", m, err)
		}
		if _, err := f.st.ResendMail(ctx, f.ente, failed[0].ID, f.clk.now()); err == nil {
			t.Fatal("resent a queued e-mail")
		}
	})
}

func TestParseSMTPURL(t *testing.T) {
	c, err := notify.ParseSMTPURL("smtps://user:s3cret@mail.ente.it?from=Argine+%3Cargine%40ente.it%3E")
	if err != nil || !c.Implicit || c.Port != 465 || c.Username != "user" || c.Password != "s3cret" || c.From != `"Argine" <argine@ente.it>` {
		t.Fatalf("%+v %v", c, err)
	}
	if strings.Contains(c.Redacted(), "s3cret") {
		t.Fatal("password in the redacted form")
	}
	c, err = notify.ParseSMTPURL("smtp://mail.ente.it?from=argine@ente.it")
	if err != nil || c.Port != 587 || c.TLS != "starttls" {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{"http://x?from=a@b.it", "smtp://x", "smtp://u:p@x?tls=none&from=a@b.it", "smtp://x:99999?from=a@b.it", "smtp://x?tls=maybe&from=a@b.it", "smtps://x?tls=none&from=a@b.it"} {
		if _, err := notify.ParseSMTPURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestBackoff(t *testing.T) {
	if notify.Backoff(1) != time.Minute || notify.Backoff(2) != 2*time.Minute || notify.Backoff(20) != time.Hour {
		t.Fatal(notify.Backoff(1), notify.Backoff(2), notify.Backoff(20))
	}
}

// The at-least-once window, shown rather than hidden: a sender killed after the SMTP server accepted an e-mail
// but before recording it leaves the row claimed; after the lease the e-mail goes again, with the same
// Message-ID, so receivers that de-duplicate by Message-ID show it once.
func TestKilledAfterAcceptSendsAgainWithTheSameMessageID(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		srv := mailpittest.Start(t)
		f := setup(t, db)
		ctx := context.Background()
		f.enqueue(t, notify.Event{Kind: notify.OIVNoteAdded, Recipients: []store.Recipient{f.users["rpct"]}, Subject: "Nota", Link: "/ciclo"})
		at := f.clk.now()
		claimed, err := f.st.ClaimMail(ctx, "dying-sender", at, at.Add(notify.DefaultLease), 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v", err)
		}
		s := f.sender(srv, srv.SMTPAddr)
		out := notify.Render(notify.Outgoing{MessageID: claimed[0].MessageID, To: claimed[0].ToAddress, Subject: claimed[0].Subject, Date: at}, claimed[0].Body, claimed[0].Link, "")
		if errs := s.Mailer.Send(ctx, []notify.Outgoing{out}); errs[0] != nil {
			t.Fatal(errs[0])
		}
		// ...and the process dies here, before MailSent.
		f.clk.add(notify.DefaultLease + time.Second)
		if res, err := s.Drain(ctx); err != nil || res.Sent != 1 {
			t.Fatalf("after the lease: %+v %v", res, err)
		}
		srv.WaitCount(2)
		msgs := srv.Messages()
		if len(msgs) != 2 || msgs[0].MessageID != msgs[1].MessageID || msgs[0].MessageID != claimed[0].MessageID {
			t.Fatalf("want the same e-mail twice with one Message-ID: %+v", msgs)
		}
	})
}

// The second e-mail of a kind in a day waits for the digest; the digest goes through the real SMTP server as
// one message listing it.
func TestDigestDelivered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		srv := mailpittest.Start(t)
		f := setup(t, db)
		ctx := context.Background()
		dir := f.users["dir1"]
		f.enqueue(t, notify.Event{Kind: notify.AssessmentApproved, Recipients: []store.Recipient{dir}, Subject: "Valutazione approvata: A1.1", Link: "/valutazioni/A1.1"})
		f.enqueue(t, notify.Event{Kind: notify.AssessmentApproved, Recipients: []store.Recipient{dir}, Subject: "Valutazione approvata: A1.2", Link: "/valutazioni/A1.2"})
		items, _, _ := f.st.Inbox(ctx, f.ente, dir.UserID, false, 0, 10)
		var waiting []store.Notification
		for _, n := range items {
			if n.Email == "digest" {
				waiting = append(waiting, n)
			}
		}
		if len(waiting) != 1 || waiting[0].Subject != "Valutazione approvata: A1.2" {
			t.Fatalf("waiting for the digest: %+v", waiting)
		}
		if err := f.st.WithTx(ctx, func(tx *store.Store) error {
			return notify.EnqueueDigest(ctx, tx, dir, f.ente, "del giorno", waiting)
		}); err != nil {
			t.Fatal(err)
		}
		if res, err := f.sender(srv, srv.SMTPAddr).Drain(ctx); err != nil || res.Sent != 2 {
			t.Fatalf("drain: %+v %v", res, err)
		}
		srv.WaitCount(2)
		msgs := srv.Messages()
		if len(msgs) != 2 || msgs[0].Subject != "[Argine] Valutazione approvata: A1.1" || msgs[1].Subject != "[Argine] Riepilogo del giorno: 1 notifica" ||
			!strings.Contains(msgs[1].Text, "Valutazione approvata: A1.2") || !strings.Contains(msgs[1].Text, "https://argine.ente.example/notifiche") {
			t.Fatalf("messages: %+v", msgs)
		}
		again, _, _ := f.st.Inbox(ctx, f.ente, dir.UserID, false, 0, 10)
		for _, n := range again {
			if n.Email == "digest" {
				t.Fatalf("still waiting after the digest: %+v", n)
			}
		}
	})
}
