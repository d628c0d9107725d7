-- +goose Up
-- Indexes for the filters that 00034 left without one (issue 19). The marker filter starts from the marked
-- nodes of the cycle (store.markerScope). SQLite has no index for the register's substring search (q) nor for
-- the audit trail's leaf filter (a suffix match; PostgreSQL serves both, migrations/postgres/00036): on SQLite,
-- meant for a single small or medium body, they read the cycle's register and the ente's trail.
CREATE INDEX process_nodes_marker ON process_nodes (ente_id, cycle_id, marker);

-- +goose Down
DROP INDEX process_nodes_marker;
