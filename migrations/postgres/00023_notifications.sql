-- +goose Up
-- Notifications: the in-app inbox (one row per person told), the e-mail outbox written in the same transaction
-- as the change that causes it and drained by the sender loop, each person's preferences, the campaign calendar
-- of a cycle, and the scheduler's lease and run markers. Rows are never deleted by cascade.
CREATE TABLE notifications (
    id          UUID PRIMARY KEY,
    ente_id     UUID NOT NULL REFERENCES entes (id),
    user_id     UUID NOT NULL,
    kind        TEXT NOT NULL CHECK (kind <> ''),
    urgent      INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT NOT NULL,
    -- none: in-app only; queued: an e-mail of its own is in the outbox; digest: waits for the next digest;
    -- digested: went out in a digest.
    email       TEXT NOT NULL CHECK (email IN ('none', 'queued', 'digest', 'digested')),
    created_at  TIMESTAMPTZ NOT NULL,
    read_at     TIMESTAMPTZ,
    FOREIGN KEY (user_id, ente_id) REFERENCES users (id, ente_id)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest ON notifications (user_id) WHERE email = 'digest';

-- One row per e-mail. message_id is the idempotency marker: every attempt at a row carries the same Message-ID.
-- A sender claims a row by writing its claim token and a lease; a row whose lease ran out (its sender died) is
-- claimable again.
CREATE TABLE notification_outbox (
    id               UUID PRIMARY KEY,
    ente_id          UUID NOT NULL REFERENCES entes (id),
    user_id          UUID NOT NULL,
    notification_id  UUID REFERENCES notifications (id),
    kind             TEXT NOT NULL,
    urgent           INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    day              TEXT NOT NULL,
    to_address       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    link             TEXT NOT NULL,
    message_id       TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    claim_token      TEXT,
    claimed_until    TIMESTAMPTZ,
    sent_at          TIMESTAMPTZ,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (user_id, ente_id) REFERENCES users (id, ente_id)
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX notification_outbox_ente ON notification_outbox (ente_id, state, created_at);
CREATE INDEX notification_outbox_daily ON notification_outbox (user_id, kind, day);

-- A person's choices; no row means the defaults (every kind by e-mail, daily digest).
CREATE TABLE notification_prefs (
    user_id        UUID PRIMARY KEY,
    ente_id        UUID NOT NULL,
    email_muted    TEXT NOT NULL DEFAULT '',
    digest         TEXT NOT NULL CHECK (digest IN ('daily', 'weekly')),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (user_id, ente_id) REFERENCES users (id, ente_id)
);

-- The campaign calendar: the RPCT's dates for a cycle's phases; monitoring rounds by their date.
CREATE TABLE cycle_calendar (
    ente_id     UUID NOT NULL REFERENCES entes (id),
    cycle_id    UUID NOT NULL REFERENCES cycles (id),
    phase       TEXT NOT NULL CHECK (phase IN ('assessment_open', 'self_assessment_due', 'review_due',
                    'consolidation_due', 'adoption_due', 'monitoring_due')),
    round_date  TEXT NOT NULL DEFAULT '',
    due_on      TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cycle_id, phase, round_date)
);
CREATE TABLE cycle_reminders (
    cycle_id    UUID PRIMARY KEY REFERENCES cycles (id),
    ente_id     UUID NOT NULL REFERENCES entes (id),
    days        TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- The scheduler runs on one instance at a time: whoever holds the unexpired lease.
CREATE TABLE notify_leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
-- What the scheduler already did (a reminder for a date, a digest for a day), so a rerun does nothing twice.
CREATE TABLE notify_runs (
    run_key     TEXT PRIMARY KEY,
    done_at     TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE notify_runs;
DROP TABLE notify_leases;
DROP TABLE cycle_reminders;
DROP TABLE cycle_calendar;
DROP TABLE notification_prefs;
DROP TABLE notification_outbox;
DROP TABLE notifications;
