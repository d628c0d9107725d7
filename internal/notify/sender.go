package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/argine-pa/argine/internal/store"
)

// Sender drains the outbox. Several senders (server instances) may run at once: each claims a batch of due
// e-mails by writing its claim token and a lease (PostgreSQL skips rows another sender holds, SQLite has one
// writer), sends them, and records each outcome only while its claim still holds. A sender killed after
// claiming leaves rows whose lease runs out; another sender then claims and sends them.
//
// Delivery is at least once, not exactly once: a sender killed after the SMTP server accepted an e-mail but
// before the database recorded it leaves the row claimed, and after the lease it is sent again. That window is
// one SMTP reply and one UPDATE long; the repeat carries the same Message-ID, so mail systems and readers that
// de-duplicate by Message-ID show it once.
type Sender struct {
	Store       *store.Store
	Mailer      Mailer // nil: no SMTP configured, notifications stay in the app
	PublicURL   string
	Now         Clock
	Lease       time.Duration // how long a claim holds; longer than a batch takes to send
	Batch       int
	MaxAttempts int // temporary failures before an e-mail is marked failed
	Log         *slog.Logger
}

// Defaults of the sender.
const (
	DefaultLease       = 5 * time.Minute
	DefaultBatch       = 50
	DefaultMaxAttempts = 12 // with the backoff below, about seven hours of an unreachable server
)

// Backoff is the wait after the n-th failed attempt (n from 1): one minute, doubling, at most an hour.
func Backoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func (s *Sender) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Result counts what one pass did.
type Result struct {
	Claimed, Sent, Retrying, Failed, Lost int
}

// RunOnce claims one batch and sends it.
func (s *Sender) RunOnce(ctx context.Context) (Result, error) {
	var res Result
	if s.Mailer == nil {
		return res, nil
	}
	lease, batch, maxAttempts := s.Lease, s.Batch, s.MaxAttempts
	if lease <= 0 {
		lease = DefaultLease
	}
	if batch <= 0 {
		batch = DefaultBatch
	}
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	token := claimToken()
	at := s.now()
	until := at.Add(lease)
	rows, err := s.Store.ClaimMail(ctx, token, at, until, batch)
	if err != nil || len(rows) == 0 {
		return res, err
	}
	res.Claimed = len(rows)
	out := make([]Outgoing, len(rows))
	for i, r := range rows {
		out[i] = Render(Outgoing{MessageID: r.MessageID, To: r.ToAddress, Subject: "[Argine] " + r.Subject, Date: r.CreatedAt},
			r.Body, r.Link, s.PublicURL)
	}
	// Stop sending well before the lease runs out: past it another sender may take the rows and send them too.
	// A duration, not a deadline from s.Now: the SMTP conversation takes real time whatever the clock says.
	sendCtx, cancel := context.WithTimeout(ctx, lease-lease/5)
	errs := s.Mailer.Send(sendCtx, out)
	cancel()
	done := s.now()
	for i, r := range rows {
		if errs[i] == nil {
			ok, err := s.Store.MailSent(context.WithoutCancel(ctx), r.ID, token, done)
			if err != nil {
				return res, err
			}
			if !ok { // the lease ran out meanwhile and another sender took the row: it may go twice
				res.Lost++
				s.log().Warn("e-mail sent after its claim expired", "message_id", r.MessageID)
				continue
			}
			res.Sent++
			continue
		}
		var perm *PermanentError
		final := errors.As(errs[i], &perm) || r.Attempts+1 >= maxAttempts
		if err := s.Store.MailFailed(context.WithoutCancel(ctx), r.ID, token, errs[i].Error(), done, done.Add(Backoff(r.Attempts+1)), final); err != nil {
			return res, err
		}
		if final {
			res.Failed++
			s.log().Error("e-mail failed", "message_id", r.MessageID, "attempts", r.Attempts+1, "error", errs[i].Error())
		} else {
			res.Retrying++
			s.log().Warn("e-mail not sent, will retry", "message_id", r.MessageID, "attempts", r.Attempts+1, "error", errs[i].Error())
		}
	}
	return res, nil
}

// Drain runs passes until nothing is due (or a pass only failed), adding up the results.
func (s *Sender) Drain(ctx context.Context) (Result, error) {
	var total Result
	for {
		r, err := s.RunOnce(ctx)
		total.Claimed += r.Claimed
		total.Sent += r.Sent
		total.Retrying += r.Retrying
		total.Failed += r.Failed
		total.Lost += r.Lost
		if err != nil || r.Claimed == 0 || r.Sent == 0 || ctx.Err() != nil {
			return total, err
		}
	}
}

// Run drains the outbox every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Drain(ctx); err != nil && ctx.Err() == nil {
			s.log().Error("outbox sender", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func claimToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
