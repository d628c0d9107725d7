-- +goose Up
-- Usernames are unique across the installation: sign-in names only a username, and the user's ente follows.
CREATE TABLE users (
    id                   UUID PRIMARY KEY,
    ente_id              UUID NOT NULL REFERENCES entes (id) ON DELETE CASCADE,
    username             TEXT NOT NULL UNIQUE CHECK (username <> ''),
    full_name            TEXT NOT NULL,
    email                TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    disabled_at          TIMESTAMPTZ,
    grants_version       BIGINT NOT NULL DEFAULT 1,
    password_changed_at  TIMESTAMPTZ NOT NULL,
    last_login_at        TIMESTAMPTZ,
    version              BIGINT NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    UNIQUE (id, ente_id)
);
CREATE INDEX users_ente ON users (ente_id, username);

-- A role on one unit (by code, stable across cycles) or, with an empty unit_code, on the whole ente.
CREATE TABLE role_grants (
    id          UUID PRIMARY KEY,
    ente_id     UUID NOT NULL,
    user_id     UUID NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'rpct', 'director', 'referente', 'oiv')),
    unit_code   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (user_id, ente_id) REFERENCES users (id, ente_id) ON DELETE CASCADE,
    UNIQUE (user_id, role, unit_code)
);
CREATE INDEX role_grants_ente ON role_grants (ente_id);

-- A session is one sign-in; its refresh tokens form a rotating family. Revoking the session stops its access
-- tokens at once too, since every request checks it.
CREATE TABLE sessions (
    id            UUID PRIMARY KEY,
    ente_id       UUID NOT NULL,
    user_id       UUID NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    revoke_reason TEXT NOT NULL DEFAULT '',
    client_addr   TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    FOREIGN KEY (user_id, ente_id) REFERENCES users (id, ente_id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens are stored only as SHA-256 hashes (they are 256-bit random, so a fast hash is enough).
CREATE TABLE refresh_tokens (
    id          UUID PRIMARY KEY,
    session_id  UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    issued_at   TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Failed sign-ins per account and per client address (keys are hashed: attackers' guesses are not stored).
CREATE TABLE login_throttle (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    locked_until  TIMESTAMPTZ
);

-- Installation-wide settings, such as the signing key generated in demo mode.
CREATE TABLE app_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE app_settings;
DROP TABLE login_throttle;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE role_grants;
DROP TABLE users;
