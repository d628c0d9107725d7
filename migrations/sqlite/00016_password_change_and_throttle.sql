-- +goose Up
-- A password set by someone else (an administrator creating the account or resetting it, the operator's
-- command line) is temporary: its owner must replace it at the first sign-in before using the API.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT 0;

-- Sign-in throttling is decided by one atomic upsert per key; last_refused tells the caller whether that
-- statement found the key inside its deny window (the attempt was refused and not counted).
ALTER TABLE login_throttle ADD COLUMN last_refused INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE login_throttle DROP COLUMN last_refused;
ALTER TABLE users DROP COLUMN must_change_password;
