-- +goose Up
-- A lead-unit choice (capofila) is part of the campaign's history: it no longer goes silently with its process
-- node or its cycle. Whoever removes a node (a replaced map) first deletes its choice explicitly, with an
-- audit record; a plain DELETE of a node or cycle that still has one is refused.
--
-- SQLite cannot alter a foreign key: node_lead_units is rebuilt (create, copy, drop, rename). It is a child
-- table only (nothing refers to it), so dropping the old one runs no ON DELETE action, and this runs inside
-- the migration's transaction with foreign keys on.
CREATE TABLE node_lead_units_new (
    node_id     TEXT PRIMARY KEY REFERENCES process_nodes (id) ON DELETE RESTRICT,
    ente_id     TEXT NOT NULL,
    cycle_id    TEXT NOT NULL,
    unit_code   TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_at      DATETIME NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE RESTRICT
);
INSERT INTO node_lead_units_new (node_id, ente_id, cycle_id, unit_code, set_by, set_at)
SELECT node_id, ente_id, cycle_id, unit_code, set_by, set_at FROM node_lead_units;
DROP TABLE node_lead_units;
ALTER TABLE node_lead_units_new RENAME TO node_lead_units;
CREATE INDEX node_lead_units_cycle ON node_lead_units (ente_id, cycle_id);

-- +goose Down
CREATE TABLE node_lead_units_old (
    node_id     TEXT PRIMARY KEY REFERENCES process_nodes (id) ON DELETE CASCADE,
    ente_id     TEXT NOT NULL,
    cycle_id    TEXT NOT NULL,
    unit_code   TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_at      DATETIME NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);
INSERT INTO node_lead_units_old (node_id, ente_id, cycle_id, unit_code, set_by, set_at)
SELECT node_id, ente_id, cycle_id, unit_code, set_by, set_at FROM node_lead_units;
DROP TABLE node_lead_units;
ALTER TABLE node_lead_units_old RENAME TO node_lead_units;
CREATE INDEX node_lead_units_cycle ON node_lead_units (ente_id, cycle_id);
