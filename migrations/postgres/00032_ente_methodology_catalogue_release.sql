-- +goose Up
-- Ente-defined methodology profiles (issue 17 part 5): each row is one version of a profile the RPCT defined
-- (indicators, scales, aggregation, matrix or bands; validated by internal/domain/methodology_ente.go). A
-- version a cycle uses is never changed again: editing it adds the next version.
CREATE TABLE methodology_profiles (
    id          UUID PRIMARY KEY,
    ente_id     UUID NOT NULL REFERENCES entes (id),
    code        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    profile     TEXT NOT NULL, -- JSON
    revision    BIGINT NOT NULL DEFAULT 1, -- optimistic locking of an unused version edited in place
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT NOT NULL,
    UNIQUE (ente_id, code, version)
);

-- The cycle holds the version of the profile it uses (0: a shipped profile) and whether the RPCT confirmed
-- it: an unconfirmed row is the default profile whose wording the RPCT corrected. Existing rows were chosen,
-- hence confirmed.
ALTER TABLE cycle_methodologies ADD COLUMN profile_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cycle_methodologies ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT TRUE;

-- The enabling factors (fattori abilitanti) a catalogue general measure addresses, ';'-separated codes.
ALTER TABLE general_measures ADD COLUMN enabling_factors TEXT NOT NULL DEFAULT '';

-- A measure's cost and sustainability note (PNA 2019 All. 1 §5.1: economic and organisational sustainability
-- is a requirement of every measure).
ALTER TABLE measures ADD COLUMN cost_note TEXT NOT NULL DEFAULT '';

-- Which release of the shipped starter catalogue each ente has received, so an update of the shipped
-- catalogue reaches existing databases once (internal/service/catalogue_release.go), never by a migration.
CREATE TABLE catalogue_releases (
    ente_id     UUID NOT NULL REFERENCES entes (id),
    release     INTEGER NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (ente_id, release)
);

-- +goose Down
DROP TABLE catalogue_releases;
ALTER TABLE measures DROP COLUMN cost_note;
ALTER TABLE general_measures DROP COLUMN enabling_factors;
ALTER TABLE cycle_methodologies DROP COLUMN confirmed;
ALTER TABLE cycle_methodologies DROP COLUMN profile_version;
DROP TABLE methodology_profiles;
