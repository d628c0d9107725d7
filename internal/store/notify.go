package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
)

// Recipient is an active user of the ente who may be told about something.
type Recipient struct {
	UserID   string
	Email    string
	FullName string
}

// RecipientsWithRole lists the ente's active users holding one of roles; with unitCodes, only grants on those
// units (an ente-wide grant, empty unit code, counts only when unitCodes is empty or contains "").
func (s *Store) RecipientsWithRole(ctx context.Context, enteID string, roles, unitCodes []string) ([]Recipient, error) {
	q := s.q(ctx).Table("users u").Select("DISTINCT u.id AS user_id, u.email, u.full_name").
		Joins("JOIN role_grants g ON g.user_id = u.id AND g.ente_id = u.ente_id").
		Where("u.ente_id = ? AND u.disabled_at IS NULL AND g.role IN ?", enteID, roles)
	if len(unitCodes) > 0 {
		q = q.Where("g.unit_code IN ?", unitCodes)
	}
	var out []Recipient
	if err := q.Order("u.id").Scan(&out).Error; err != nil {
		return nil, wrap(err, "list recipients")
	}
	return out, nil
}

// RecipientsByID returns those of the given users that are active in the ente (others are dropped silently:
// a notification never crosses entes).
func (s *Store) RecipientsByID(ctx context.Context, enteID string, userIDs []string) ([]Recipient, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	var out []Recipient
	err := s.q(ctx).Table("users").Select("id AS user_id, email, full_name").
		Where("ente_id = ? AND disabled_at IS NULL AND id IN ?", enteID, userIDs).Order("id").Scan(&out).Error
	return out, wrap(err, "load recipients")
}

// ActiveRecipients lists every active user of the ente.
func (s *Store) ActiveRecipients(ctx context.Context, enteID string) ([]Recipient, error) {
	var out []Recipient
	err := s.q(ctx).Table("users").Select("id AS user_id, email, full_name").
		Where("ente_id = ? AND disabled_at IS NULL", enteID).Order("id").Scan(&out).Error
	return out, wrap(err, "list active users")
}

// Notification is one item of a person's in-app inbox.
type Notification struct {
	ID        string     `json:"id"`
	EnteID    string     `json:"-"`
	UserID    string     `json:"-"`
	Kind      string     `json:"kind"`
	Urgent    int        `json:"-"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	Email     string     `json:"email"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// TableName is the inbox table.
func (Notification) TableName() string { return "notifications" }

// OutboxMail is one e-mail of the outbox.
type OutboxMail struct {
	ID             string     `json:"id"`
	EnteID         string     `json:"-"`
	UserID         string     `json:"user_id"`
	NotificationID *string    `json:"notification_id"`
	Kind           string     `json:"kind"`
	Urgent         int        `json:"-"`
	Day            string     `json:"-"`
	ToAddress      string     `json:"to"`
	Subject        string     `json:"subject"`
	Body           string     `json:"-"`
	Link           string     `json:"link"`
	MessageID      string     `json:"message_id"`
	State          string     `json:"state"`
	Attempts       int        `json:"attempts"`
	NextAttemptAt  time.Time  `json:"next_attempt_at"`
	ClaimToken     *string    `json:"-"`
	ClaimedUntil   *time.Time `json:"-"`
	SentAt         *time.Time `json:"sent_at"`
	LastError      string     `json:"last_error"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"-"`
}

// TableName is the outbox table.
func (OutboxMail) TableName() string { return "notification_outbox" }

// NewID returns a fresh time-ordered identifier for a row the caller builds.
func NewID() string { return newID() }

// InsertNotifications writes inbox items and outbox e-mails in the caller's transaction, in batches.
func (s *Store) InsertNotifications(ctx context.Context, items []Notification, mails []OutboxMail) error {
	if len(items) > 0 {
		if err := s.q(ctx).CreateInBatches(items, 500).Error; err != nil {
			return wrap(err, "write notifications")
		}
	}
	if len(mails) > 0 {
		if err := s.q(ctx).CreateInBatches(mails, 500).Error; err != nil {
			return wrap(err, "queue e-mails")
		}
	}
	return nil
}

// MailedToday returns which of the users already have a non-urgent e-mail of this kind for day.
func (s *Store) MailedToday(ctx context.Context, enteID, kind, day string, userIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var ids []string
	err := s.q(ctx).Model(&OutboxMail{}).Distinct("user_id").
		Where("ente_id = ? AND kind = ? AND day = ? AND urgent = 0 AND user_id IN ?", enteID, kind, day, userIDs).
		Pluck("user_id", &ids).Error
	for _, id := range ids {
		out[id] = true
	}
	return out, wrap(err, "check today's e-mails")
}

// ClaimMail claims up to limit due e-mails for the sender holding token until leaseUntil. On PostgreSQL
// concurrent senders skip each other's rows (FOR UPDATE SKIP LOCKED); on SQLite the single writer makes the
// UPDATE atomic. A row whose lease ran out (its sender died) is claimable again.
func (s *Store) ClaimMail(ctx context.Context, token string, at, leaseUntil time.Time, limit int) ([]OutboxMail, error) {
	lock := ""
	if s.dialect == database.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	free := "state = 'queued' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
	sql := "UPDATE notification_outbox SET claim_token = ?, claimed_until = ?, updated_at = ? WHERE " + free +
		" AND id IN (SELECT id FROM notification_outbox WHERE " + free + " ORDER BY next_attempt_at, id LIMIT ?" + lock + ")"
	if err := s.q(ctx).Exec(sql, token, leaseUntil, at, at, at, at, at, limit).Error; err != nil {
		return nil, wrap(err, "claim e-mails")
	}
	var out []OutboxMail
	err := s.q(ctx).Where("claim_token = ? AND state = 'queued'", token).Order("next_attempt_at, id").Find(&out).Error
	return out, wrap(err, "load claimed e-mails")
}

// MailSent records a delivery; it only counts while the claim is still the caller's.
func (s *Store) MailSent(ctx context.Context, id, token string, at time.Time) (bool, error) {
	res := s.q(ctx).Model(&OutboxMail{}).Where("id = ? AND claim_token = ? AND state = 'queued'", id, token).
		Updates(map[string]any{"state": "sent", "sent_at": at, "attempts": gorm.Expr("attempts + 1"),
			"claimed_until": nil, "last_error": "", "updated_at": at})
	return res.RowsAffected == 1, wrap(res.Error, "record delivery")
}

// MailFailed records a failed attempt: with final the row stops as failed, otherwise it waits until next.
func (s *Store) MailFailed(ctx context.Context, id, token, msg string, at, next time.Time, final bool) error {
	state := "queued"
	if final {
		state = "failed"
	}
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	return wrap(s.q(ctx).Model(&OutboxMail{}).Where("id = ? AND claim_token = ? AND state = 'queued'", id, token).
		Updates(map[string]any{"state": state, "attempts": gorm.Expr("attempts + 1"), "last_error": msg,
			"next_attempt_at": next, "claim_token": nil, "claimed_until": nil, "updated_at": at}).Error, "record failure")
}

// OutboxPage lists an ente's e-mails, newest first, optionally of one state.
func (s *Store) OutboxPage(ctx context.Context, enteID, state string, offset, limit int) ([]OutboxMail, int64, error) {
	q := s.q(ctx).Model(&OutboxMail{}).Where("ente_id = ?", enteID)
	if state != "" {
		q = q.Where("state = ?", state)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, wrap(err, "count outbox")
	}
	var out []OutboxMail
	err := q.Order("created_at DESC, id DESC").Offset(offset).Limit(limit).Find(&out).Error
	return out, total, wrap(err, "list outbox")
}

// OutboxCounts counts an ente's e-mails by state.
func (s *Store) OutboxCounts(ctx context.Context, enteID string) (map[string]int64, error) {
	var rows []struct {
		State string
		N     int64
	}
	err := s.q(ctx).Model(&OutboxMail{}).Select("state, COUNT(*) AS n").Where("ente_id = ?", enteID).Group("state").Scan(&rows).Error
	out := map[string]int64{"queued": 0, "sent": 0, "failed": 0}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, wrap(err, "count outbox")
}

// OutboxCountsAll counts the e-mails of every ente by state (queued, sent, failed), for the metrics.
func (s *Store) OutboxCountsAll(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		State string
		N     int64
	}
	err := s.q(ctx).Model(&OutboxMail{}).Select("state, COUNT(*) AS n").Group("state").Scan(&rows).Error
	out := map[string]int64{"queued": 0, "sent": 0, "failed": 0}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, wrap(err, "count outbox")
}

// ResendMail puts a failed (or sent) e-mail back in the queue, due at once, keeping its Message-ID.
func (s *Store) ResendMail(ctx context.Context, enteID, id string, at time.Time) (OutboxMail, error) {
	var m OutboxMail
	err := s.q(ctx).Where("ente_id = ? AND id = ?", enteID, id).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return m, domain.NotFound("mail_not_found", "e-mail not found")
	}
	if err != nil {
		return m, wrap(err, "load e-mail")
	}
	if m.State == "queued" {
		return m, domain.Conflict("mail_queued", "the e-mail is already queued")
	}
	res := s.q(ctx).Model(&OutboxMail{}).Where("ente_id = ? AND id = ? AND state = ?", enteID, id, m.State).
		Updates(map[string]any{"state": "queued", "attempts": 0, "next_attempt_at": at, "claim_token": nil,
			"claimed_until": nil, "updated_at": at})
	if res.Error != nil {
		return m, wrap(res.Error, "requeue e-mail")
	}
	if res.RowsAffected != 1 {
		return m, domain.Conflict("mail_changed", "the e-mail changed meanwhile")
	}
	m.State, m.Attempts, m.NextAttemptAt = "queued", 0, at
	return m, nil
}

// Inbox lists a person's notifications, newest first.
func (s *Store) Inbox(ctx context.Context, enteID, userID string, unreadOnly bool, offset, limit int) ([]Notification, int64, error) {
	q := s.q(ctx).Model(&Notification{}).Where("ente_id = ? AND user_id = ?", enteID, userID)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, wrap(err, "count inbox")
	}
	var out []Notification
	err := q.Order("created_at DESC, id DESC").Offset(offset).Limit(limit).Find(&out).Error
	return out, total, wrap(err, "list inbox")
}

// UnreadCount counts a person's unread notifications.
func (s *Store) UnreadCount(ctx context.Context, enteID, userID string) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&Notification{}).Where("ente_id = ? AND user_id = ? AND read_at IS NULL", enteID, userID).Count(&n).Error
	return n, wrap(err, "count unread")
}

// MarkRead marks one of a person's notifications read (another person's is not found).
func (s *Store) MarkRead(ctx context.Context, enteID, userID, id string, at time.Time) error {
	var n Notification
	err := s.q(ctx).Where("ente_id = ? AND user_id = ? AND id = ?", enteID, userID, id).Take(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.NotFound("notification_not_found", "notification not found")
	}
	if err != nil {
		return wrap(err, "load notification")
	}
	return wrap(s.q(ctx).Model(&Notification{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", at).Error, "mark read")
}

// MarkAllRead marks every unread notification of a person read and says how many.
func (s *Store) MarkAllRead(ctx context.Context, enteID, userID string, at time.Time) (int64, error) {
	res := s.q(ctx).Model(&Notification{}).Where("ente_id = ? AND user_id = ? AND read_at IS NULL", enteID, userID).Update("read_at", at)
	return res.RowsAffected, wrap(res.Error, "mark all read")
}

// NotificationPrefs is a person's choice of what arrives by e-mail.
type NotificationPrefs struct {
	UserID     string    `json:"-"`
	EnteID     string    `json:"-"`
	EmailMuted string    `json:"-"`
	Digest     string    `json:"digest"`
	Version    int64     `json:"version"`
	UpdatedAt  time.Time `json:"-"`
}

// TableName is the preferences table.
func (NotificationPrefs) TableName() string { return "notification_prefs" }

// Muted lists the kinds the person does not want by e-mail.
func (p NotificationPrefs) Muted() []string {
	if p.EmailMuted == "" {
		return nil
	}
	return strings.Split(p.EmailMuted, ",")
}

// PrefsFor loads the preferences of these users; users without a row are absent from the map.
func (s *Store) PrefsFor(ctx context.Context, enteID string, userIDs []string) (map[string]NotificationPrefs, error) {
	out := map[string]NotificationPrefs{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []NotificationPrefs
	if err := s.q(ctx).Where("ente_id = ? AND user_id IN ?", enteID, userIDs).Find(&rows).Error; err != nil {
		return nil, wrap(err, "load preferences")
	}
	for _, r := range rows {
		out[r.UserID] = r
	}
	return out, nil
}

// SavePrefs writes a person's preferences; expectVersion 0 creates them, otherwise it must match (409 if not).
func (s *Store) SavePrefs(ctx context.Context, p NotificationPrefs, expectVersion int64) (NotificationPrefs, error) {
	p.UpdatedAt = now()
	if expectVersion == 0 {
		p.Version = 1
		res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&p)
		if res.Error != nil {
			return p, wrap(res.Error, "save preferences")
		}
		if res.RowsAffected != 1 { // saved meanwhile by another session: version 0 is stale
			return p, domain.Conflict("version_conflict", "the preferences changed meanwhile")
		}
		return p, nil
	}
	res := s.q(ctx).Model(&NotificationPrefs{}).Where("ente_id = ? AND user_id = ? AND version = ?", p.EnteID, p.UserID, expectVersion).
		Updates(map[string]any{"email_muted": p.EmailMuted, "digest": p.Digest, "version": expectVersion + 1, "updated_at": p.UpdatedAt})
	if res.Error != nil {
		return p, wrap(res.Error, "save preferences")
	}
	if res.RowsAffected != 1 {
		return p, domain.Conflict("version_conflict", "the preferences changed meanwhile")
	}
	p.Version = expectVersion + 1
	return p, nil
}

// AcquireLease takes or renews the named lease for holder until until; false when another holder has it.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, at, until time.Time) (bool, error) {
	err := s.q(ctx).Exec("INSERT INTO notify_leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING", name, holder, until).Error
	if err != nil {
		return false, wrap(err, "create lease")
	}
	res := s.q(ctx).Exec("UPDATE notify_leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)", holder, until, name, holder, at)
	return res.RowsAffected == 1, wrap(res.Error, "take lease")
}

// MarkRun records that the scheduler did key; false when it was already done (by this or another instance).
func (s *Store) MarkRun(ctx context.Context, key string, at time.Time) (bool, error) {
	res := s.q(ctx).Exec("INSERT INTO notify_runs (run_key, done_at) VALUES (?, ?) ON CONFLICT (run_key) DO NOTHING", key, at)
	return res.RowsAffected == 1, wrap(res.Error, "record run")
}

// CalendarEntry is one date of a cycle's campaign calendar.
type CalendarEntry struct {
	EnteID    string    `json:"-"`
	CycleID   string    `json:"-"`
	Phase     string    `json:"phase"`
	RoundDate string    `json:"round_date"`
	DueOn     string    `json:"due_on"`
	UpdatedAt time.Time `json:"-"`
}

// TableName is the calendar table.
func (CalendarEntry) TableName() string { return "cycle_calendar" }

type remindersRow struct {
	CycleID   string
	EnteID    string
	Days      string
	Version   int64
	UpdatedAt time.Time
}

func (remindersRow) TableName() string { return "cycle_reminders" }

// Calendar loads a cycle's dates (by due date) and reminder days ("" and version 0 when never set).
func (s *Store) Calendar(ctx context.Context, enteID, cycleID string) ([]CalendarEntry, string, int64, error) {
	var entries []CalendarEntry
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("due_on, phase, round_date").Find(&entries).Error; err != nil {
		return nil, "", 0, wrap(err, "load calendar")
	}
	var r remindersRow
	res := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Limit(1).Find(&r)
	if res.Error != nil {
		return nil, "", 0, wrap(res.Error, "load reminders")
	}
	return entries, r.Days, r.Version, nil
}

// SaveCalendar replaces a cycle's dates and reminder days; expectVersion is the version read (0: never saved).
// A stale version is domain.ErrConflict.
func (s *Store) SaveCalendar(ctx context.Context, enteID, cycleID string, entries []CalendarEntry, days string, expectVersion int64) (int64, error) {
	t := now()
	if expectVersion == 0 {
		res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&remindersRow{CycleID: cycleID, EnteID: enteID, Days: days, Version: 1, UpdatedAt: t})
		if res.Error != nil {
			return 0, wrap(res.Error, "save reminders")
		}
		if res.RowsAffected != 1 {
			return 0, domain.Conflict("version_conflict", "the calendar changed meanwhile")
		}
	} else {
		res := s.q(ctx).Model(&remindersRow{}).Where("ente_id = ? AND cycle_id = ? AND version = ?", enteID, cycleID, expectVersion).
			Updates(map[string]any{"days": days, "version": expectVersion + 1, "updated_at": t})
		if res.Error != nil {
			return 0, wrap(res.Error, "save reminders")
		}
		if res.RowsAffected != 1 {
			return 0, domain.Conflict("version_conflict", "the calendar changed meanwhile")
		}
	}
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Delete(&CalendarEntry{}).Error; err != nil {
		return 0, wrap(err, "replace calendar")
	}
	for i := range entries {
		entries[i].EnteID, entries[i].CycleID, entries[i].UpdatedAt = enteID, cycleID, t
	}
	if len(entries) > 0 {
		if err := s.q(ctx).Create(&entries).Error; err != nil {
			return 0, wrap(err, "save calendar")
		}
	}
	return expectVersion + 1, nil
}

// CalendarDue lists every ente's calendar dates between from and to (inclusive, YYYY-MM-DD), for the scheduler.
func (s *Store) CalendarDue(ctx context.Context, from, to string) ([]CalendarEntry, error) {
	var out []CalendarEntry
	err := s.q(ctx).Where("due_on BETWEEN ? AND ?", from, to).Order("ente_id, cycle_id, due_on").Find(&out).Error
	return out, wrap(err, "list due dates")
}

// ReminderDays returns the reminder days of the cycles ("" when never set).
func (s *Store) ReminderDays(ctx context.Context, cycleIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(cycleIDs) == 0 {
		return out, nil
	}
	var rows []remindersRow
	if err := s.q(ctx).Where("cycle_id IN ?", cycleIDs).Find(&rows).Error; err != nil {
		return nil, wrap(err, "load reminder days")
	}
	for _, r := range rows {
		out[r.CycleID] = r.Days
	}
	return out, nil
}

// CycleByID loads a cycle of an ente by its id.
func (s *Store) CycleByID(ctx context.Context, enteID, id string) (*domain.Cycle, error) {
	var r cycleRow
	err := s.q(ctx).Where("ente_id = ? AND id = ?", enteID, id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, domain.NotFound("cycle_not_found", "cycle not found")
	}
	if err != nil {
		return nil, wrap(err, "load cycle")
	}
	return r.domain(), nil
}

// DigestDue lists the users with notifications waiting for a digest.
func (s *Store) DigestDue(ctx context.Context) ([]Notification, error) {
	var out []Notification
	err := s.q(ctx).Where("email = 'digest'").Order("ente_id, user_id, created_at").Limit(50000).Find(&out).Error
	return out, wrap(err, "list digest items")
}

// MarkDigested marks notifications as sent in a digest.
func (s *Store) MarkDigested(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return wrap(s.q(ctx).Model(&Notification{}).Where("id IN ? AND email = 'digest'", ids).Update("email", "digested").Error, "mark digested")
}

// UnitRecipients maps each unit code to the ente's active users holding one of roles on it.
func (s *Store) UnitRecipients(ctx context.Context, enteID string, roles []string) (map[string][]Recipient, error) {
	var rows []struct {
		UnitCode string
		Recipient
	}
	err := s.q(ctx).Table("users u").Select("g.unit_code, u.id AS user_id, u.email, u.full_name").
		Joins("JOIN role_grants g ON g.user_id = u.id AND g.ente_id = u.ente_id").
		Where("u.ente_id = ? AND u.disabled_at IS NULL AND g.role IN ? AND g.unit_code <> ''", enteID, roles).
		Order("g.unit_code, u.id").Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "list unit recipients")
	}
	out := map[string][]Recipient{}
	for _, r := range rows {
		out[r.UnitCode] = append(out[r.UnitCode], r.Recipient)
	}
	return out, nil
}
