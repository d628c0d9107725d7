-- +goose Up
-- The head of each ente's chain only moves forward, one record at a time, to the record just appended: a
-- head rolled back or pointed elsewhere would let a truncated or rewritten trail verify. It is never deleted
-- or truncated. With the two-role setup (docs/audit-anchoring.md) the application role cannot drop these
-- triggers: only the owner can.
-- +goose StatementBegin
CREATE FUNCTION audit_heads_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq <> 0 OR NEW.hash <> '' THEN
            RAISE EXCEPTION 'audit_heads: a new head starts at record 0';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.ente_id <> OLD.ente_id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
            SELECT 1 FROM audit_log l
            WHERE l.ente_id = NEW.ente_id AND l.seq = NEW.seq AND l.hash = NEW.hash AND l.prev_hash = OLD.hash) THEN
            RAISE EXCEPTION 'audit_heads: the head only moves forward to the record just appended';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_heads: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER audit_heads_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_heads
    FOR EACH ROW EXECUTE FUNCTION audit_heads_guard();
CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads
    FOR EACH STATEMENT EXECUTE FUNCTION audit_heads_guard();

-- +goose Down
DROP TRIGGER audit_heads_no_truncate ON audit_heads;
DROP TRIGGER audit_heads_guard ON audit_heads;
DROP FUNCTION audit_heads_guard();
