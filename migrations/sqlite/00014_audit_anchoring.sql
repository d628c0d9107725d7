-- +goose Up
-- The head of each ente's chain only moves forward, one record at a time, to the record just appended: a
-- head rolled back or pointed elsewhere would let a truncated or rewritten trail verify. It is never deleted.
-- +goose StatementBegin
CREATE TRIGGER audit_heads_start BEFORE INSERT ON audit_heads
WHEN NEW.seq <> 0 OR NEW.hash <> ''
BEGIN
    SELECT RAISE(ABORT, 'audit_heads: a new head starts at record 0');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
WHEN NEW.ente_id <> OLD.ente_id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
    SELECT 1 FROM audit_log l
    WHERE l.ente_id = NEW.ente_id AND l.seq = NEW.seq AND l.hash = NEW.hash AND l.prev_hash = OLD.hash)
BEGIN
    SELECT RAISE(ABORT, 'audit_heads: the head only moves forward to the record just appended');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
BEGIN
    SELECT RAISE(ABORT, 'audit_heads: DELETE refused');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_heads_no_delete;
DROP TRIGGER audit_heads_forward;
DROP TRIGGER audit_heads_start;
