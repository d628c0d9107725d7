-- +goose Up
-- The ente-wide programme of general measures (PNA 2019 All. 1 §5; D.M. 132/2022 art. 3 co. 1 lett. c n. 5)
-- and the transparency section of sottosezione 2.3 (d.lgs. 33/2013; ANAC delibera 1310/2016 All. 1).

-- A general measure planned once for the whole ente in a cycle. A leaf's assessment links it (see
-- measure_programme_links) instead of copying it.
CREATE TABLE programme_measures (
    id            UUID PRIMARY KEY,
    ente_id       UUID NOT NULL,
    cycle_id      UUID NOT NULL,
    position      INTEGER NOT NULL,
    code          TEXT NOT NULL,
    general_code  TEXT NOT NULL, -- MG01..MG15 of the ente's catalogue ('' for a measure of the ente's own)
    measure_type  TEXT NOT NULL, -- T01..T11
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    unit_code     TEXT NOT NULL,
    owner         TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    phases        TEXT NOT NULL, -- JSON
    indicators    TEXT NOT NULL, -- JSON
    status        TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    derived_from  TEXT NOT NULL DEFAULT '', -- the measure of the adopted cycle this one continues
    legacy_key    TEXT NOT NULL DEFAULT '', -- set by this migration: the group of assessment measures it replaced
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    updated_by    TEXT NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE RESTRICT,
    UNIQUE (cycle_id, code)
);
CREATE INDEX programme_measures_ente_cycle ON programme_measures (ente_id, cycle_id, position);

-- What a programme measure covers: risk areas (kind 'area') and nodes of the map by code (kind 'process').
CREATE TABLE programme_measure_scope (
    programme_measure_id  UUID NOT NULL REFERENCES programme_measures (id) ON DELETE CASCADE,
    ente_id               UUID NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('area', 'process')),
    code                  TEXT NOT NULL,
    PRIMARY KEY (programme_measure_id, kind, code)
);

-- A general measure of an assessment is a link to the programme's measure. The link goes with the assessment's
-- measure row, never with the programme's measure (RESTRICT).
CREATE TABLE measure_programme_links (
    measure_id            UUID PRIMARY KEY REFERENCES measures (id) ON DELETE CASCADE,
    programme_measure_id  UUID NOT NULL REFERENCES programme_measures (id) ON DELETE RESTRICT,
    ente_id               UUID NOT NULL
);
CREATE INDEX measure_programme_links_programme ON measure_programme_links (programme_measure_id);

-- A programme measure's monitoring in the cycle's rounds: the responsible unit's self-assessment and the
-- RPCT's check, as for specific measures (monitoring_entries), kept apart so the rounds' own tables stay as
-- they are.
CREATE TABLE programme_monitoring_entries (
    id                    UUID PRIMARY KEY,
    ente_id               UUID NOT NULL,
    round_id              UUID NOT NULL REFERENCES monitoring_rounds (id) ON DELETE RESTRICT,
    programme_measure_id  UUID NOT NULL REFERENCES programme_measures (id) ON DELETE RESTRICT,
    status                TEXT NOT NULL,
    reason                TEXT NOT NULL,
    indicator_values      TEXT NOT NULL, -- JSON
    notes                 TEXT NOT NULL,
    assessed_by           TEXT NOT NULL,
    assessed_at           TIMESTAMPTZ NOT NULL,
    check_outcome         TEXT NOT NULL DEFAULT '',
    check_notes           TEXT NOT NULL DEFAULT '',
    checked_by            TEXT NOT NULL DEFAULT '',
    version               BIGINT NOT NULL DEFAULT 1,
    UNIQUE (round_id, programme_measure_id)
);
CREATE INDEX programme_monitoring_entries_measure ON programme_monitoring_entries (programme_measure_id);

-- Existing data: every general measure inside an assessment becomes a link to a programme measure, one per
-- cycle and general-measure code (or title, for a measure without code), which takes its content from the
-- first such measure. The assessment's rows stay, so their monitoring entries and evidence keep their measure.
INSERT INTO programme_measures (id, ente_id, cycle_id, position, code, general_code, measure_type, title, description,
    legal_basis, unit_code, owner, start_date, end_date, phases, indicators, status, version, derived_from, legacy_key,
    created_at, updated_at, updated_by)
SELECT gen_random_uuid(),
    m.ente_id, m.cycle_id, 0,
    CASE WHEN m.general_code <> '' THEN m.general_code ELSE 'MG-' || substr(m.id::text, 1, 8) END,
    m.general_code, m.measure_type, m.title, m.description, '', m.unit_code, m.owner, m.start_date, m.end_date,
    m.phases, m.indicators, m.status, 1, '',
    CASE WHEN m.general_code <> '' THEN 'code:' || m.general_code ELSE 'title:' || m.title END,
    CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'migration'
FROM measures m
WHERE m.nature = 'general' AND m.id::text = (
    SELECT min(g.id::text) FROM measures g WHERE g.nature = 'general' AND g.ente_id = m.ente_id AND g.cycle_id = m.cycle_id
      AND (CASE WHEN g.general_code <> '' THEN 'code:' || g.general_code ELSE 'title:' || g.title END)
        = (CASE WHEN m.general_code <> '' THEN 'code:' || m.general_code ELSE 'title:' || m.title END));
INSERT INTO measure_programme_links (measure_id, programme_measure_id, ente_id)
SELECT m.id, p.id, m.ente_id FROM measures m JOIN programme_measures p ON p.ente_id = m.ente_id AND p.cycle_id = m.cycle_id
    AND p.legacy_key = (CASE WHEN m.general_code <> '' THEN 'code:' || m.general_code ELSE 'title:' || m.title END)
WHERE m.nature = 'general';
INSERT INTO programme_measure_scope (programme_measure_id, ente_id, kind, code)
SELECT DISTINCT l.programme_measure_id, l.ente_id, 'process', n.code FROM measure_programme_links l
    JOIN measures m ON m.id = l.measure_id JOIN assessments a ON a.id = m.assessment_id JOIN process_nodes n ON n.id = a.node_id;

-- The obligations of publication of a cycle ("Amministrazione trasparente"), from the shipped grid the RPCT adapts.
CREATE TABLE transparency_obligations (
    id               UUID PRIMARY KEY,
    ente_id          UUID NOT NULL,
    cycle_id         UUID NOT NULL,
    position         INTEGER NOT NULL,
    code             TEXT NOT NULL,
    section          TEXT NOT NULL,
    subsection       TEXT NOT NULL,
    obligation       TEXT NOT NULL,
    legal_reference  TEXT NOT NULL,
    content          TEXT NOT NULL,
    frequency        TEXT NOT NULL,
    producing_unit   TEXT NOT NULL,
    publishing_unit  TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    source           TEXT NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    derived_from     TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    updated_by       TEXT NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE RESTRICT,
    UNIQUE (cycle_id, code)
);
CREATE INDEX transparency_obligations_ente_cycle ON transparency_obligations (ente_id, cycle_id, position);

-- The state of publication of an obligation in a monitoring round, scored as in ANAC's OIV grid
-- (NULL: not applicable).
CREATE TABLE transparency_checks (
    id                UUID PRIMARY KEY,
    ente_id           UUID NOT NULL,
    round_id          UUID NOT NULL REFERENCES monitoring_rounds (id) ON DELETE RESTRICT,
    obligation_id     UUID NOT NULL REFERENCES transparency_obligations (id) ON DELETE RESTRICT,
    published         INTEGER CHECK (published IN (0, 2)),
    complete_content  INTEGER CHECK (complete_content BETWEEN 0 AND 3),
    complete_offices  INTEGER CHECK (complete_offices BETWEEN 0 AND 3),
    up_to_date        INTEGER CHECK (up_to_date BETWEEN 0 AND 3),
    open_format       INTEGER CHECK (open_format BETWEEN 0 AND 3),
    notes             TEXT NOT NULL,
    checked_by        TEXT NOT NULL,
    checked_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT NOT NULL DEFAULT 1,
    UNIQUE (round_id, obligation_id)
);
CREATE INDEX transparency_checks_obligation ON transparency_checks (obligation_id);

-- The register of civic access requests, as yearly counts per kind (semplice, generalizzato, documentale).
CREATE TABLE civic_access_counts (
    ente_id    UUID NOT NULL,
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('semplice', 'generalizzato', 'documentale')),
    received   INTEGER NOT NULL CHECK (received >= 0),
    accepted   INTEGER NOT NULL CHECK (accepted >= 0),
    refused    INTEGER NOT NULL CHECK (refused >= 0),
    pending    INTEGER NOT NULL CHECK (pending >= 0),
    version    BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (ente_id, year, kind)
);

-- +goose Down
DROP TABLE civic_access_counts;
DROP TABLE transparency_checks;
DROP TABLE transparency_obligations;
DROP TABLE programme_monitoring_entries;
DROP TABLE measure_programme_links;
DROP TABLE programme_measure_scope;
DROP TABLE programme_measures;
