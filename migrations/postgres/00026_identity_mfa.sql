-- +goose Up
-- A user's TOTP second factor (RFC 6238). The row exists from the start of enrolment; confirmed_at is set once
-- the user has proven a code, and only then does sign-in ask for it. last_step is the last 30-second step
-- accepted: a code is good once, so one overheard over a shoulder cannot be replayed within its window.
CREATE TABLE user_mfa (
    user_id       UUID PRIMARY KEY,
    ente_id       UUID NOT NULL,
    secret        TEXT NOT NULL,
    confirmed_at  TIMESTAMPTZ,
    last_step     BIGINT  NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (user_id, ente_id) REFERENCES users (id, ente_id) ON DELETE RESTRICT
);

-- Recovery codes are stored as SHA-256 hashes (they are random, 50 bits and more); each works once.
CREATE TABLE mfa_recovery_codes (
    id          UUID PRIMARY KEY,
    ente_id     UUID NOT NULL,
    user_id     UUID NOT NULL,
    code_hash   TEXT NOT NULL UNIQUE,
    used_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (user_id, ente_id) REFERENCES users (id, ente_id) ON DELETE RESTRICT
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (user_id);

-- The list of a person's active sessions.
CREATE INDEX sessions_user_active ON sessions (ente_id, user_id, revoked_at);

-- +goose Down
DROP INDEX sessions_user_active;
DROP TABLE mfa_recovery_codes;
DROP TABLE user_mfa;
