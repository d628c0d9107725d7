-- +goose Up
-- Changes to the ente's anticorruption authorities (RPCT), evaluators (OIV) and technical administrators (who
-- confirm such changes) made in the app need two people: one asks, another (never the asker, never the person
-- concerned) confirms. The operator's command line does them directly. Rows are never deleted: decided requests are the history of who asked and who
-- agreed; users are never deleted either, so the references restrict rather than cascade.
CREATE TABLE privileged_requests (
    id              UUID PRIMARY KEY,
    ente_id         UUID NOT NULL REFERENCES entes (id),
    kind            TEXT NOT NULL CHECK (kind IN ('grant_rpct', 'revoke_rpct', 'grant_oiv', 'revoke_oiv',
                        'reset_password_rpct', 'reset_password_oiv', 'disable_rpct', 'enable_rpct',
                        'disable_oiv', 'enable_oiv', 'grant_admin', 'revoke_admin', 'reset_password_admin',
                        'disable_admin', 'enable_admin')),
    target_user_id  UUID NOT NULL,
    requested_by    UUID NOT NULL,
    requested_at    TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected', 'expired')),
    decided_by      UUID,
    decided_at      TIMESTAMPTZ,
    FOREIGN KEY (target_user_id, ente_id) REFERENCES users (id, ente_id),
    FOREIGN KEY (requested_by, ente_id) REFERENCES users (id, ente_id),
    FOREIGN KEY (decided_by, ente_id) REFERENCES users (id, ente_id),
    CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- One open request per change: a second identical request while one waits is a conflict, not a duplicate.
CREATE UNIQUE INDEX privileged_requests_one_pending ON privileged_requests (ente_id, target_user_id, kind)
    WHERE state = 'pending';
CREATE INDEX privileged_requests_ente ON privileged_requests (ente_id, state, requested_at);

-- +goose Down
DROP TABLE privileged_requests;
