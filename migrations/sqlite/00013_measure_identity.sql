-- +goose Up
-- Measures and risks keep their identity across saves: a measure with monitoring history, evidence or links
-- from other assessments is retired (withdrawn_at, withdrawn_reason) instead of deleted, and nothing that
-- records monitoring may be wiped by a cascade any more.
ALTER TABLE measures ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE measures ADD COLUMN withdrawn_at DATETIME;
ALTER TABLE measures ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
-- The measure of the adopted register this one was copied from by a roll-forward or revision ('' if none).
ALTER TABLE measures ADD COLUMN derived_from TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_entries ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- SQLite cannot alter a foreign key: the three tables that refer to measures are rebuilt (create the new
-- table, copy, drop the old, rename). Only these child tables are rebuilt, never measures itself: dropping a
-- parent table with foreign keys on would run its ON DELETE actions on the children. No table refers to the
-- rebuilt ones, so this runs safely inside the migration's transaction with foreign keys on.

-- The self-assessment's own version, and the one the RPCT's check looked at: they differ when the unit
-- changed its self-assessment after the check (the check is then outdated).
CREATE TABLE monitoring_entries_new (
    id                    TEXT PRIMARY KEY,
    ente_id               TEXT NOT NULL,
    round_id              TEXT NOT NULL REFERENCES monitoring_rounds (id) ON DELETE RESTRICT,
    measure_id            TEXT NOT NULL REFERENCES measures (id) ON DELETE RESTRICT,
    status                TEXT NOT NULL,
    reason                TEXT NOT NULL,
    indicator_values      TEXT NOT NULL, -- JSON
    notes                 TEXT NOT NULL,
    assessed_by           TEXT NOT NULL,
    assessed_at           DATETIME NOT NULL,
    check_outcome         TEXT NOT NULL DEFAULT '',
    check_notes           TEXT NOT NULL DEFAULT '',
    suitability           TEXT NOT NULL DEFAULT '',
    suitability_reason    TEXT NOT NULL DEFAULT '',
    checked_by            TEXT NOT NULL DEFAULT '',
    version               INTEGER NOT NULL DEFAULT 1,
    self_version          INTEGER NOT NULL DEFAULT 1,
    checked_self_version  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (round_id, measure_id)
);
INSERT INTO monitoring_entries_new (id, ente_id, round_id, measure_id, status, reason, indicator_values, notes,
    assessed_by, assessed_at, check_outcome, check_notes, suitability, suitability_reason, checked_by, version,
    self_version, checked_self_version)
SELECT id, ente_id, round_id, measure_id, status, reason, indicator_values, notes, assessed_by, assessed_at,
    check_outcome, check_notes, suitability, suitability_reason, checked_by, version,
    1, CASE WHEN check_outcome <> '' THEN 1 ELSE 0 END
FROM monitoring_entries;
DROP TABLE monitoring_entries;
ALTER TABLE monitoring_entries_new RENAME TO monitoring_entries;
CREATE INDEX monitoring_entries_measure ON monitoring_entries (measure_id);

CREATE TABLE evidence_files_new (
    id            TEXT PRIMARY KEY,
    ente_id       TEXT NOT NULL,
    round_id      TEXT NOT NULL REFERENCES monitoring_rounds (id) ON DELETE RESTRICT,
    measure_id    TEXT NOT NULL REFERENCES measures (id) ON DELETE RESTRICT,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    storage       TEXT NOT NULL CHECK (storage IN ('db', 'disk')),
    data          BLOB,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   DATETIME NOT NULL,
    UNIQUE (round_id, measure_id, sha256)
);
INSERT INTO evidence_files_new SELECT id, ente_id, round_id, measure_id, name, content_type, size, sha256, storage,
    data, uploaded_by, uploaded_at FROM evidence_files;
DROP TABLE evidence_files;
ALTER TABLE evidence_files_new RENAME TO evidence_files;
CREATE INDEX evidence_files_measure ON evidence_files (ente_id, measure_id);

-- A link belongs to its risk's assessment (it goes with the risk), but never silently with its measure.
CREATE TABLE measure_risks_new (
    measure_id     TEXT NOT NULL REFERENCES measures (id) ON DELETE RESTRICT,
    risk_entry_id  TEXT NOT NULL REFERENCES risk_entries (id) ON DELETE CASCADE,
    ente_id        TEXT NOT NULL,
    PRIMARY KEY (measure_id, risk_entry_id)
);
INSERT INTO measure_risks_new SELECT measure_id, risk_entry_id, ente_id FROM measure_risks;
DROP TABLE measure_risks;
ALTER TABLE measure_risks_new RENAME TO measure_risks;
CREATE INDEX measure_risks_risk ON measure_risks (risk_entry_id);
CREATE INDEX measure_risks_measure ON measure_risks (measure_id);

-- +goose Down
CREATE TABLE measure_risks_old (
    measure_id     TEXT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    risk_entry_id  TEXT NOT NULL REFERENCES risk_entries (id) ON DELETE CASCADE,
    ente_id        TEXT NOT NULL,
    PRIMARY KEY (measure_id, risk_entry_id)
);
INSERT INTO measure_risks_old SELECT measure_id, risk_entry_id, ente_id FROM measure_risks;
DROP TABLE measure_risks;
ALTER TABLE measure_risks_old RENAME TO measure_risks;
CREATE INDEX measure_risks_risk ON measure_risks (risk_entry_id);

CREATE TABLE evidence_files_old (
    id            TEXT PRIMARY KEY,
    ente_id       TEXT NOT NULL,
    round_id      TEXT NOT NULL REFERENCES monitoring_rounds (id) ON DELETE CASCADE,
    measure_id    TEXT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    storage       TEXT NOT NULL CHECK (storage IN ('db', 'disk')),
    data          BLOB,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   DATETIME NOT NULL,
    UNIQUE (round_id, measure_id, sha256)
);
INSERT INTO evidence_files_old SELECT id, ente_id, round_id, measure_id, name, content_type, size, sha256, storage,
    data, uploaded_by, uploaded_at FROM evidence_files;
DROP TABLE evidence_files;
ALTER TABLE evidence_files_old RENAME TO evidence_files;
CREATE INDEX evidence_files_measure ON evidence_files (ente_id, measure_id);

CREATE TABLE monitoring_entries_old (
    id                  TEXT PRIMARY KEY,
    ente_id             TEXT NOT NULL,
    round_id            TEXT NOT NULL REFERENCES monitoring_rounds (id) ON DELETE CASCADE,
    measure_id          TEXT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    status              TEXT NOT NULL,
    reason              TEXT NOT NULL,
    indicator_values    TEXT NOT NULL, -- JSON
    notes               TEXT NOT NULL,
    assessed_by         TEXT NOT NULL,
    assessed_at         DATETIME NOT NULL,
    check_outcome       TEXT NOT NULL DEFAULT '',
    check_notes         TEXT NOT NULL DEFAULT '',
    suitability         TEXT NOT NULL DEFAULT '',
    suitability_reason  TEXT NOT NULL DEFAULT '',
    checked_by          TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (round_id, measure_id)
);
INSERT INTO monitoring_entries_old SELECT id, ente_id, round_id, measure_id, status, reason, indicator_values, notes,
    assessed_by, assessed_at, check_outcome, check_notes, suitability, suitability_reason, checked_by, version
FROM monitoring_entries;
DROP TABLE monitoring_entries;
ALTER TABLE monitoring_entries_old RENAME TO monitoring_entries;

ALTER TABLE risk_entries DROP COLUMN version;
ALTER TABLE measures DROP COLUMN derived_from;
ALTER TABLE measures DROP COLUMN withdrawn_reason;
ALTER TABLE measures DROP COLUMN withdrawn_at;
ALTER TABLE measures DROP COLUMN version;
