-- +goose Up
-- The audit trail: append-only, hash-chained per ente (each record carries its predecessor's hash).
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    ente_id      UUID NOT NULL,
    seq          BIGINT NOT NULL,
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

-- The head of each ente's chain, locked by every append so records are numbered without gaps or races.
CREATE TABLE audit_heads (
    ente_id  UUID PRIMARY KEY,
    seq      BIGINT NOT NULL,
    hash     TEXT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TRIGGER audit_log_no_truncate ON audit_log;
DROP TRIGGER audit_log_no_update ON audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE audit_heads;
DROP TABLE audit_log;
