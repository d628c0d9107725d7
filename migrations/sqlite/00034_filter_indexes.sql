-- +goose Up
-- Indexes for the filters of the register and of the audit browser (issue 19), so that a filtered page reads
-- the rows it keeps instead of the whole register or trail. TestFilterIndexes checks the plans on PostgreSQL at
-- the size of a large body after ANALYZE.
CREATE INDEX risk_entries_level ON risk_entries (ente_id, cycle_id, inherent_level);
CREATE INDEX risk_entries_inherent_cell ON risk_entries (ente_id, cycle_id, inherent_cell_l, inherent_cell_i);
CREATE INDEX risk_entries_residual_cell ON risk_entries (ente_id, cycle_id, residual_cell_l, residual_cell_i);
CREATE INDEX assessments_state ON assessments (ente_id, cycle_id, state);
CREATE INDEX measures_status ON measures (ente_id, cycle_id, status);
CREATE INDEX audit_log_entity_id ON audit_log (ente_id, entity_id, seq);

-- +goose Down
DROP INDEX audit_log_entity_id;
DROP INDEX measures_status;
DROP INDEX assessments_state;
DROP INDEX risk_entries_residual_cell;
DROP INDEX risk_entries_inherent_cell;
DROP INDEX risk_entries_level;
