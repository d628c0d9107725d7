-- +goose Up
-- The assessments of an adopted snapshot, one row each in map order, so the adopted register is read back as
-- a stream; cycle_snapshots keeps the header (map, methodology, exclusions, audit head) and the hash of the
-- whole: the header line followed by one line per item.
CREATE TABLE cycle_snapshot_items (
    cycle_id  UUID NOT NULL,
    ente_id   UUID NOT NULL,
    seq       INTEGER NOT NULL,
    node      TEXT NOT NULL,
    content   TEXT NOT NULL,
    PRIMARY KEY (cycle_id, seq),
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE cycle_snapshot_items;
