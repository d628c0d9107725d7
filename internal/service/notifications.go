package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/store"
)

// Notifications is each person's inbox and preferences, and the administrator's view of the e-mail outbox.
// Reading and marking read are personal: everyone signed in manages only their own inbox. Marking read is not
// on the audit trail (it changes nothing but the reader's own view); preferences and resends are.
type Notifications struct {
	store *store.Store
	authz *authz.Authorizer
	smtp  string // the SMTP server described without its password; empty: no e-mail
	now   func() time.Time
}

// NewNotifications builds the service; smtp describes the configured server ("" when e-mail is off).
func NewNotifications(s *store.Store, az *authz.Authorizer, smtp string) *Notifications {
	return &Notifications{store: s, authz: az, smtp: smtp, now: time.Now}
}

// SetClock replaces the clock (tests).
func (n *Notifications) SetClock(now func() time.Time) { n.now = now }

// Limits of the inbox and outbox pages.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// page turns a 1-based page number and a size (0: the defaults) into an offset and a limit.
func page(num, size int) (int, int, error) {
	var problems []domain.FieldError
	if num == 0 {
		num = 1
	}
	if num < 1 || num > 100000 {
		problems = append(problems, domain.FieldError{Field: "page", Code: "page_invalid", Message: "page must be between 1 and 100000"})
	}
	if size == 0 {
		size = DefaultPageSize
	}
	if size < 1 || size > MaxPageSize {
		problems = append(problems, domain.FieldError{Field: "page_size", Code: "page_size_invalid", Message: "page_size must be between 1 and 100"})
	}
	if len(problems) > 0 {
		return 0, 0, &domain.ValidationError{Code: "page_invalid", Problems: problems}
	}
	return (num - 1) * size, size, nil
}

// InboxPage is one page of a person's notifications.
type InboxPage struct {
	Items    []store.Notification `json:"items"`
	Total    int64                `json:"total"`
	Unread   int64                `json:"unread"`
	Page     int                  `json:"page"`
	PageSize int                  `json:"page_size"`
}

// Inbox lists the caller's notifications, newest first.
func (n *Notifications) Inbox(ctx context.Context, actor domain.Actor, unreadOnly bool, num, size int) (*InboxPage, error) {
	offset, limit, err := page(num, size)
	if err != nil {
		return nil, err
	}
	items, total, err := n.store.Inbox(ctx, actor.EnteID, actor.UserID, unreadOnly, offset, limit)
	if err != nil {
		return nil, err
	}
	unread, err := n.store.UnreadCount(ctx, actor.EnteID, actor.UserID)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []store.Notification{}
	}
	return &InboxPage{Items: items, Total: total, Unread: unread, Page: offset/limit + 1, PageSize: limit}, nil
}

// UnreadCount is the number on the bell.
func (n *Notifications) UnreadCount(ctx context.Context, actor domain.Actor) (int64, error) {
	return n.store.UnreadCount(ctx, actor.EnteID, actor.UserID)
}

// MarkRead marks one of the caller's notifications read; another person's is not found.
func (n *Notifications) MarkRead(ctx context.Context, actor domain.Actor, id string) error {
	if !validID(id) {
		return domain.NotFound("notification_not_found", "notification not found")
	}
	return n.store.MarkRead(ctx, actor.EnteID, actor.UserID, id, n.now().UTC())
}

// MarkAllRead marks every notification of the caller read.
func (n *Notifications) MarkAllRead(ctx context.Context, actor domain.Actor) (int64, error) {
	return n.store.MarkAllRead(ctx, actor.EnteID, actor.UserID, n.now().UTC())
}

// Preferences is what a person receives by e-mail.
type Preferences struct {
	// Email lists, for every kind, whether it comes by e-mail (it always comes in the app).
	Email map[string]bool `json:"email"`
	// Digest is how often the notifications that did not get an e-mail of their own are summed up: daily or weekly.
	Digest  string `json:"digest"`
	Version int64  `json:"version"` // 0 until first saved
	// EmailEnabled is false when the installation has no SMTP server: everything stays in the app.
	EmailEnabled bool `json:"email_enabled"`
}

// Preferences returns the caller's preferences (the defaults until they save some: everything by e-mail,
// daily digest).
func (n *Notifications) Preferences(ctx context.Context, actor domain.Actor) (*Preferences, error) {
	prefs, err := n.store.PrefsFor(ctx, actor.EnteID, []string{actor.UserID})
	if err != nil {
		return nil, err
	}
	p, ok := prefs[actor.UserID]
	if !ok {
		p = store.NotificationPrefs{Digest: "daily"}
	}
	out := &Preferences{Email: map[string]bool{}, Digest: p.Digest, Version: p.Version, EmailEnabled: n.smtp != ""}
	muted := p.Muted()
	for _, k := range notify.Kinds {
		out.Email[string(k)] = !slices.Contains(muted, string(k))
	}
	return out, nil
}

// SetPreferences saves the caller's preferences; in.Version must be the one read (0 the first time).
func (n *Notifications) SetPreferences(ctx context.Context, actor domain.Actor, in Preferences) (*Preferences, error) {
	var problems []domain.FieldError
	if in.Digest != "daily" && in.Digest != "weekly" {
		problems = append(problems, domain.FieldError{Field: "digest", Code: "digest_invalid", Message: "digest must be daily or weekly"})
	}
	if len(in.Email) > len(notify.Kinds) {
		problems = append(problems, domain.FieldError{Field: "email", Code: "too_many", Message: "too many kinds"})
	}
	var muted []string
	for k, on := range in.Email {
		if !notify.ValidKind(k) {
			problems = append(problems, domain.FieldError{Field: "email." + k, Code: "kind_unknown", Message: "no notification kind " + k})
			continue
		}
		if !on {
			muted = append(muted, k)
		}
	}
	if in.Version < 0 {
		problems = append(problems, domain.FieldError{Field: "version", Code: "version_invalid", Message: "version must be 0 or more"})
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "preferences_invalid", Problems: problems}
	}
	slices.Sort(muted)
	before, err := n.Preferences(ctx, actor)
	if err != nil {
		return nil, err
	}
	err = n.store.WithTx(ctx, func(tx *store.Store) error {
		saved, err := tx.SavePrefs(ctx, store.NotificationPrefs{UserID: actor.UserID, EnteID: actor.EnteID,
			EmailMuted: strings.Join(muted, ","), Digest: in.Digest}, in.Version)
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, "notification_prefs", actor.UserID, "update",
			map[string]any{"digest": before.Digest, "version": before.Version},
			map[string]any{"digest": saved.Digest, "email_muted": muted, "version": saved.Version})
	})
	if err != nil {
		return nil, err
	}
	return n.Preferences(ctx, actor)
}

// OutboxView is the administrator's page of the outbox.
type OutboxView struct {
	// SMTP describes the server (without its password); empty when e-mail is off and notifications stay in
	// the app.
	SMTP     string             `json:"smtp"`
	Counts   map[string]int64   `json:"counts"`
	Items    []store.OutboxMail `json:"items"`
	Total    int64              `json:"total"`
	Page     int                `json:"page"`
	PageSize int                `json:"page_size"`
}

func (n *Notifications) canOutbox(actor domain.Actor, act authz.Action) error {
	if !n.authz.Can(actor, authz.ObjOutbox, act) {
		return domain.Forbidden("forbidden", "only the administrator sees the e-mail outbox")
	}
	return nil
}

// Outbox lists the ente's e-mails, optionally of one state (queued, sent, failed). Bodies are not shown: the
// administrator sees no register content.
func (n *Notifications) Outbox(ctx context.Context, actor domain.Actor, state string, num, size int) (*OutboxView, error) {
	if err := n.canOutbox(actor, authz.ActRead); err != nil {
		return nil, err
	}
	if state != "" && state != "queued" && state != "sent" && state != "failed" {
		return nil, &domain.ValidationError{Code: "outbox_query_invalid", Problems: []domain.FieldError{{Field: "state", Code: "state_invalid", Message: "state must be queued, sent or failed"}}}
	}
	offset, limit, err := page(num, size)
	if err != nil {
		return nil, err
	}
	items, total, err := n.store.OutboxPage(ctx, actor.EnteID, state, offset, limit)
	if err != nil {
		return nil, err
	}
	counts, err := n.store.OutboxCounts(ctx, actor.EnteID)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []store.OutboxMail{}
	}
	return &OutboxView{SMTP: n.smtp, Counts: counts, Items: items, Total: total, Page: offset/limit + 1, PageSize: limit}, nil
}

// Resend puts a failed or sent e-mail back in the queue (same Message-ID); a queued one is a conflict.
func (n *Notifications) Resend(ctx context.Context, actor domain.Actor, id string) (store.OutboxMail, error) {
	if err := n.canOutbox(actor, authz.ActManage); err != nil {
		return store.OutboxMail{}, err
	}
	if !validID(id) {
		return store.OutboxMail{}, domain.NotFound("mail_not_found", "e-mail not found")
	}
	var out store.OutboxMail
	err := n.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if out, err = tx.ResendMail(ctx, actor.EnteID, id, n.now().UTC().Truncate(time.Microsecond)); err != nil {
			return err
		}
		return record(ctx, tx, actor, "notification_outbox", id, "resend", nil, map[string]any{"message_id": out.MessageID, "to": out.ToAddress})
	})
	return out, err
}
