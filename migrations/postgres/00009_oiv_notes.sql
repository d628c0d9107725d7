-- +goose Up
-- The OIV's audit notes (rilievi) on a cycle, a leaf or a measure.
CREATE TABLE oiv_notes (
    id           UUID PRIMARY KEY,
    ente_id      UUID NOT NULL,
    cycle_id     UUID NOT NULL,
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('cycle', 'node', 'measure')),
    target       TEXT NOT NULL,
    body         TEXT NOT NULL,
    author_id    TEXT NOT NULL,
    author_name  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);
CREATE INDEX oiv_notes_cycle ON oiv_notes (ente_id, cycle_id, created_at);

-- +goose Down
DROP TABLE oiv_notes;
