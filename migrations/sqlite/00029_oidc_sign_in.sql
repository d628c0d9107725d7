-- +goose Up
-- Single sign-on with OpenID Connect (internal/oidclogin). A session remembers how it was opened:
-- second_factor names the provider's proof of a second factor (its amr/acr, e.g. "amr:mfa") that stands in for
-- Argine's TOTP for the roles that require one; oidc_provider is the ente whose provider signed the person in,
-- and id_token the provider's ID token, sent back as id_token_hint when the person signs out there too.
ALTER TABLE sessions ADD COLUMN second_factor TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN oidc_provider TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN id_token TEXT NOT NULL DEFAULT '';

-- The state of each finished OIDC sign-in (its SHA-256): a callback is accepted once, so a callback URL and
-- cookie seen again (browser history, a proxy log) open nothing. Rows past expires_at may be deleted.
CREATE TABLE oidc_used_states (
    state_hash  TEXT PRIMARY KEY,
    expires_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE oidc_used_states;
ALTER TABLE sessions DROP COLUMN id_token;
ALTER TABLE sessions DROP COLUMN oidc_provider;
ALTER TABLE sessions DROP COLUMN second_factor;
