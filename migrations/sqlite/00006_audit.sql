-- +goose Up
-- The audit trail: append-only, hash-chained per ente (each record carries its predecessor's hash).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ente_id      TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL, -- UTC, fixed-width text: hashed exactly as stored
    actor_id     TEXT NOT NULL,
    actor_name   TEXT NOT NULL,
    client_addr  TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    action       TEXT NOT NULL,
    before       TEXT NOT NULL,
    after        TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (ente_id, seq)
);
CREATE INDEX audit_log_entity ON audit_log (ente_id, entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (ente_id, actor_id);

-- The head of each ente's chain, updated by every append so records are numbered without gaps or races.
CREATE TABLE audit_heads (
    ente_id  TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL,
    hash     TEXT NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_heads;
DROP TABLE audit_log;
