-- +goose Up
-- Issue 19, 1,000 entes: the map's lists (store.attachLists: the process-map tree, a node, a register page)
-- and the dashboard's tally (store.RegisterTally) read the links of the ente's cycle through their
-- (ente_id, cycle_id) index. An ente's links are written together, a few heap pages, but PostgreSQL costs
-- the heap visits of such a bitmap scan as if its rows were spread over the table (about 2,400 for 800 links
-- among 1,000 entes): the tree's one statement of lists then looked worth two parallel workers, whose start
-- took about 200 ms on a loaded server for a read of ten pages. With every column those reads take in the
-- key they are index-only scans, costed and read as the few pages they are (TestEnteCycleStatistics).
-- Same names, wider keys: a plan that used an index on (ente_id, cycle_id) can use these.
DROP INDEX process_node_units_ente_cycle;
CREATE INDEX process_node_units_ente_cycle ON process_node_units (ente_id, cycle_id, node_id, unit_id, position);
DROP INDEX process_node_objectives_ente_cycle;
CREATE INDEX process_node_objectives_ente_cycle ON process_node_objectives (ente_id, cycle_id, node_id, objective_id, position);
DROP INDEX process_node_risk_areas_ente_cycle;
CREATE INDEX process_node_risk_areas_ente_cycle ON process_node_risk_areas (ente_id, cycle_id, node_id, risk_area_id, position);

-- +goose Down
DROP INDEX process_node_units_ente_cycle;
CREATE INDEX process_node_units_ente_cycle ON process_node_units (ente_id, cycle_id);
DROP INDEX process_node_objectives_ente_cycle;
CREATE INDEX process_node_objectives_ente_cycle ON process_node_objectives (ente_id, cycle_id);
DROP INDEX process_node_risk_areas_ente_cycle;
CREATE INDEX process_node_risk_areas_ente_cycle ON process_node_risk_areas (ente_id, cycle_id);
