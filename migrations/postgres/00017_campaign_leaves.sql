-- +goose Up
-- What a draft still lacks, kept on every save so the lists of leaves show it without loading each
-- assessment. missing_count is NULL until first computed: rows written before this migration (or by a
-- roll-forward) are computed on the first read of a list and stored then.
ALTER TABLE assessments ADD COLUMN missing_count INTEGER;
-- A referente hands a finished draft to the director ("pronto per la firma"): who and when; empty when not.
ALTER TABLE assessments ADD COLUMN handed_off_by TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN handed_off_at TIMESTAMPTZ;

-- The lead unit (capofila) of a leaf owned by several units, when the RPCT chose one other than the map's
-- first unit. It belongs to the cycle's map node: replacing the map drops it with the node.
CREATE TABLE node_lead_units (
    node_id     UUID PRIMARY KEY REFERENCES process_nodes (id) ON DELETE CASCADE,
    ente_id     UUID NOT NULL,
    cycle_id    UUID NOT NULL,
    unit_code   TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_at      TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);
CREATE INDEX node_lead_units_cycle ON node_lead_units (ente_id, cycle_id);

-- +goose Down
DROP TABLE node_lead_units;
ALTER TABLE assessments DROP COLUMN handed_off_at;
ALTER TABLE assessments DROP COLUMN handed_off_by;
ALTER TABLE assessments DROP COLUMN missing_count;
