-- +goose Up
-- Sampling by criteria: the plan says whether every measure of a high-level risk and every overdue measure
-- is checked whatever the share drawn at random from the rest (stratified by unit and area).
ALTER TABLE monitoring_plans ADD COLUMN sample_high_risk BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE monitoring_plans ADD COLUMN sample_overdue BOOLEAN NOT NULL DEFAULT FALSE;
-- The round records the criteria its draw applied and, per measure drawn, why (JSON): the plan may change
-- later, the round's sample must still explain itself.
ALTER TABLE monitoring_rounds ADD COLUMN sample_criteria TEXT NOT NULL DEFAULT '';
ALTER TABLE monitoring_rounds ADD COLUMN sample_reasons TEXT NOT NULL DEFAULT '';

-- The audit page filters by period and hides sign-ins by action: both served by an index.
CREATE INDEX audit_log_at ON audit_log (ente_id, at);
CREATE INDEX audit_log_action ON audit_log (ente_id, action, seq);

-- +goose Down
DROP INDEX audit_log_action;
DROP INDEX audit_log_at;
ALTER TABLE monitoring_rounds DROP COLUMN sample_reasons;
ALTER TABLE monitoring_rounds DROP COLUMN sample_criteria;
ALTER TABLE monitoring_plans DROP COLUMN sample_overdue;
ALTER TABLE monitoring_plans DROP COLUMN sample_high_risk;
