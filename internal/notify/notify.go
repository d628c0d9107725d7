// Package notify owns the notification outbox and its sender: the in-app inbox rows and the e-mails written in
// the same transaction as the change that causes them (Enqueue), the rules deciding who gets an e-mail now and
// who gets it in the digest (preferences, one e-mail per person per day per kind unless urgent), and the sender
// loop that claims queued e-mails under a lease, delivers them over SMTP, retries with backoff and records the
// outcome. Delivery is at least once: see Sender.
package notify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/store"
)

// Kind names what happened; people choose per kind whether it reaches them by e-mail.
type Kind string

// The kinds of notification.
const (
	AssessmentAssigned  Kind = "assessment_assigned"
	AssessmentHandedOff Kind = "assessment_handed_off"
	AssessmentSubmitted Kind = "assessment_submitted"
	AssessmentReturned  Kind = "assessment_returned"
	AssessmentApproved  Kind = "assessment_approved"
	AssessmentReopened  Kind = "assessment_reopened"
	CommentAdded        Kind = "comment"
	RoundOpened         Kind = "monitoring_round_opened"
	IntegrationRequired Kind = "monitoring_integration"
	OIVNoteAdded        Kind = "oiv_note"
	PrivilegedRequest   Kind = "privileged_request"
	CycleAdopted        Kind = "cycle_adopted"
	CyclePublished      Kind = "cycle_published"
	Reminder            Kind = "reminder"
	OverdueDigest       Kind = "overdue_digest"
	Digest              Kind = "digest"
)

// Kinds lists every kind a person can choose about, in the order the preferences page shows them.
var Kinds = []Kind{AssessmentAssigned, AssessmentHandedOff, AssessmentSubmitted, AssessmentReturned,
	AssessmentApproved, AssessmentReopened, CommentAdded, RoundOpened, IntegrationRequired, OIVNoteAdded,
	PrivilegedRequest, CycleAdopted, CyclePublished, Reminder, OverdueDigest}

// ValidKind reports whether k is a kind people can choose about.
func ValidKind(k string) bool { return slices.Contains(Kinds, Kind(k)) }

// Event is something that happened, to be told to its recipients. Subject and Body are Italian text for people;
// Link is the path of the exact screen inside the app (the e-mail prefixes ARGINE_PUBLIC_URL).
type Event struct {
	EnteID     string
	Kind       Kind
	Urgent     bool // bypasses the one-per-day rule: always its own e-mail
	Recipients []store.Recipient
	Exclude    string // who caused it: nobody is told about their own action
	Subject    string
	Body       string
	Link       string
}

// Clock is the time source; tests inject a fixed one.
type Clock func() time.Time

// Now is the clock Enqueue uses; tests may replace it (never concurrently with running code).
var Now Clock = func() time.Time { return time.Now().UTC() }

// Location is where "a day" is reckoned for the one-e-mail-per-day rule and the calendar.
var Location = mustLoad("Europe/Rome")

func mustLoad(name string) *time.Location {
	if l, err := time.LoadLocation(name); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}

// Enqueue writes the events' inbox items and e-mails in tx, the transaction of the change that causes them: if
// the change rolls back, nobody is told. See EnqueueAll.
func Enqueue(ctx context.Context, tx *store.Store, ev Event) error {
	return EnqueueAll(ctx, tx, []Event{ev})
}

// EnqueueAll writes many events at once (a campaign opening): recipients' preferences and today's e-mails are
// read once, rows are inserted in batches. Each recipient gets an inbox item; an e-mail is queued when they
// want this kind by e-mail and, unless the event is urgent, have had no e-mail of this kind today (the rest
// waits for their digest).
func EnqueueAll(ctx context.Context, tx *store.Store, events []Event) error {
	at := Now().UTC().Truncate(time.Microsecond)
	day := at.In(Location).Format(time.DateOnly)
	byEnte := map[string][]string{}
	for _, ev := range events {
		if ev.EnteID == "" || ev.Kind == "" || ev.Subject == "" {
			return fmt.Errorf("notify: event without ente, kind or subject: %+v", ev)
		}
		for _, r := range ev.Recipients {
			byEnte[ev.EnteID] = append(byEnte[ev.EnteID], r.UserID)
		}
	}
	prefs := map[string]store.NotificationPrefs{}
	for ente, ids := range byEnte {
		p, err := tx.PrefsFor(ctx, ente, uniq(ids))
		if err != nil {
			return err
		}
		for k, v := range p {
			prefs[k] = v
		}
	}
	mailed := map[string]map[string]bool{} // kind -> user -> has a non-urgent e-mail today
	var items []store.Notification
	var mails []store.OutboxMail
	for _, ev := range events {
		seen := map[string]bool{}
		for _, r := range ev.Recipients {
			if r.UserID == ev.Exclude || seen[r.UserID] {
				continue
			}
			seen[r.UserID] = true
			n := store.Notification{ID: store.NewID(), EnteID: ev.EnteID, UserID: r.UserID, Kind: string(ev.Kind),
				Urgent: b2i(ev.Urgent), Subject: trim(oneLine(ev.Subject), 300), Body: trim(ev.Body, 8000), Link: ev.Link,
				Email: "none", CreatedAt: at}
			if r.Email != "" && !slices.Contains(prefs[r.UserID].Muted(), string(ev.Kind)) {
				if !ev.Urgent {
					key := ev.EnteID + "/" + string(ev.Kind)
					if mailed[key] == nil {
						m, err := tx.MailedToday(ctx, ev.EnteID, string(ev.Kind), day, uniq(byEnte[ev.EnteID]))
						if err != nil {
							return err
						}
						mailed[key] = m
					}
					if mailed[key][r.UserID] {
						n.Email = "digest"
					} else {
						mailed[key][r.UserID] = true
					}
				}
				if n.Email == "none" {
					n.Email = "queued"
					id := n.ID
					mails = append(mails, newMail(ev.EnteID, r, &id, string(ev.Kind), ev.Urgent, day, n.Subject,
						greeting(r)+n.Body, n.Link, at))
				}
			}
			items = append(items, n)
		}
	}
	return tx.InsertNotifications(ctx, items, mails)
}

func newMail(enteID string, r store.Recipient, notificationID *string, kind string, urgent bool, day, subject, body, link string, at time.Time) store.OutboxMail {
	id := store.NewID()
	return store.OutboxMail{ID: id, EnteID: enteID, UserID: r.UserID, NotificationID: notificationID, Kind: kind,
		Urgent: b2i(urgent), Day: day, ToAddress: r.Email, Subject: subject, Body: body, Link: link,
		MessageID: id + "@argine", State: "queued", NextAttemptAt: at, CreatedAt: at, UpdatedAt: at}
}

func greeting(r store.Recipient) string {
	if r.FullName == "" {
		return "Gentile utente,\n\n"
	}
	return "Gentile " + r.FullName + ",\n\n"
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func trim(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	// cut on a rune boundary
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// oneLine folds a subject to one line: it becomes an e-mail header.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func uniq(ids []string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}
