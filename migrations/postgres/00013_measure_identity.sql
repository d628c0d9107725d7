-- +goose Up
-- Measures and risks keep their identity across saves: a measure with monitoring history, evidence or links
-- from other assessments is retired (withdrawn_at, withdrawn_reason) instead of deleted, and nothing that
-- records monitoring may be wiped by a cascade any more.
ALTER TABLE measures ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE measures ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE measures ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
-- The measure of the adopted register this one was copied from by a roll-forward or revision ('' if none).
ALTER TABLE measures ADD COLUMN derived_from TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_entries ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- The self-assessment's own version, and the one the RPCT's check looked at: they differ when the unit
-- changed its self-assessment after the check (the check is then outdated).
ALTER TABLE monitoring_entries ADD COLUMN self_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE monitoring_entries ADD COLUMN checked_self_version BIGINT NOT NULL DEFAULT 0;
UPDATE monitoring_entries SET checked_self_version = self_version WHERE check_outcome <> '';

ALTER TABLE monitoring_entries DROP CONSTRAINT monitoring_entries_measure_id_fkey;
ALTER TABLE monitoring_entries ADD CONSTRAINT monitoring_entries_measure_id_fkey
    FOREIGN KEY (measure_id) REFERENCES measures (id) ON DELETE RESTRICT;
ALTER TABLE evidence_files DROP CONSTRAINT evidence_files_measure_id_fkey;
ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_measure_id_fkey
    FOREIGN KEY (measure_id) REFERENCES measures (id) ON DELETE RESTRICT;
-- A link belongs to its risk's assessment (it goes with the risk), but never silently with its measure.
ALTER TABLE measure_risks DROP CONSTRAINT measure_risks_measure_id_fkey;
ALTER TABLE measure_risks ADD CONSTRAINT measure_risks_measure_id_fkey
    FOREIGN KEY (measure_id) REFERENCES measures (id) ON DELETE RESTRICT;
CREATE INDEX measure_risks_measure ON measure_risks (measure_id);
CREATE INDEX monitoring_entries_measure ON monitoring_entries (measure_id);
-- Nor with its round: a round is never deleted, and if one ever were its entries and evidence must stop it.
ALTER TABLE monitoring_entries DROP CONSTRAINT monitoring_entries_round_id_fkey;
ALTER TABLE monitoring_entries ADD CONSTRAINT monitoring_entries_round_id_fkey
    FOREIGN KEY (round_id) REFERENCES monitoring_rounds (id) ON DELETE RESTRICT;
ALTER TABLE evidence_files DROP CONSTRAINT evidence_files_round_id_fkey;
ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_round_id_fkey
    FOREIGN KEY (round_id) REFERENCES monitoring_rounds (id) ON DELETE RESTRICT;

-- +goose Down
ALTER TABLE evidence_files DROP CONSTRAINT evidence_files_round_id_fkey;
ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_round_id_fkey
    FOREIGN KEY (round_id) REFERENCES monitoring_rounds (id) ON DELETE CASCADE;
ALTER TABLE monitoring_entries DROP CONSTRAINT monitoring_entries_round_id_fkey;
ALTER TABLE monitoring_entries ADD CONSTRAINT monitoring_entries_round_id_fkey
    FOREIGN KEY (round_id) REFERENCES monitoring_rounds (id) ON DELETE CASCADE;
DROP INDEX monitoring_entries_measure;
DROP INDEX measure_risks_measure;
ALTER TABLE measure_risks DROP CONSTRAINT measure_risks_measure_id_fkey;
ALTER TABLE measure_risks ADD CONSTRAINT measure_risks_measure_id_fkey
    FOREIGN KEY (measure_id) REFERENCES measures (id) ON DELETE CASCADE;
ALTER TABLE evidence_files DROP CONSTRAINT evidence_files_measure_id_fkey;
ALTER TABLE evidence_files ADD CONSTRAINT evidence_files_measure_id_fkey
    FOREIGN KEY (measure_id) REFERENCES measures (id) ON DELETE CASCADE;
ALTER TABLE monitoring_entries DROP CONSTRAINT monitoring_entries_measure_id_fkey;
ALTER TABLE monitoring_entries ADD CONSTRAINT monitoring_entries_measure_id_fkey
    FOREIGN KEY (measure_id) REFERENCES measures (id) ON DELETE CASCADE;
ALTER TABLE monitoring_entries DROP COLUMN checked_self_version;
ALTER TABLE monitoring_entries DROP COLUMN self_version;
ALTER TABLE risk_entries DROP COLUMN version;
ALTER TABLE measures DROP COLUMN derived_from;
ALTER TABLE measures DROP COLUMN withdrawn_reason;
ALTER TABLE measures DROP COLUMN withdrawn_at;
ALTER TABLE measures DROP COLUMN version;
