-- +goose Up
-- Evidence files of a measure's self-assessment in a round: kept in the database or on disk (by id, never
-- overwritten), with their SHA-256.
CREATE TABLE evidence_files (
    id            UUID PRIMARY KEY,
    ente_id       UUID NOT NULL,
    round_id      UUID NOT NULL REFERENCES monitoring_rounds (id) ON DELETE CASCADE,
    measure_id    UUID NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage       TEXT NOT NULL CHECK (storage IN ('db', 'disk')),
    data          BYTEA,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, measure_id, sha256)
);
CREATE INDEX evidence_files_measure ON evidence_files (ente_id, measure_id);

-- +goose Down
DROP TABLE evidence_files;
