-- +goose Up
-- Issue 19, 1,000 entes: every read of an ente's cycle says both ente_id and cycle_id (so that the indexes that
-- lead with them serve it). PostgreSQL takes the two conditions as independent, so with N entes of one cycle
-- each it expects 1/N² of a table instead of 1/N: at 1,000 entes it planned a register page of the demo ente as
-- if the ente had one node, one assessment and one risk, and nested the loops over them (25 s instead of
-- 70 ms). A cycle belongs to one ente: these statistics (named *_stats, apart from the indexes of the same columns) tell the planner that cycle_id determines ente_id.
-- ANALYZE fills them now; later analyses (autovacuum, store.Analyze) keep them.
CREATE STATISTICS process_nodes_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM process_nodes;
CREATE STATISTICS process_node_units_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM process_node_units;
CREATE STATISTICS process_node_objectives_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM process_node_objectives;
CREATE STATISTICS process_node_risk_areas_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM process_node_risk_areas;
CREATE STATISTICS org_units_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM org_units;
CREATE STATISTICS strategic_objectives_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM strategic_objectives;
CREATE STATISTICS risk_areas_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM risk_areas;
CREATE STATISTICS assessments_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM assessments;
CREATE STATISTICS risk_entries_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM risk_entries;
CREATE STATISTICS measures_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM measures;
CREATE STATISTICS node_lead_units_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM node_lead_units;
CREATE STATISTICS cycle_exclusions_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM cycle_exclusions;
CREATE STATISTICS cycle_snapshot_items_ente_cycle_stats (dependencies) ON ente_id, cycle_id FROM cycle_snapshot_items;
ANALYZE process_nodes, process_node_units, process_node_objectives, process_node_risk_areas, org_units, strategic_objectives, risk_areas, assessments, risk_entries, measures, node_lead_units, cycle_exclusions, cycle_snapshot_items;

-- +goose Down
DROP STATISTICS process_nodes_ente_cycle_stats;
DROP STATISTICS process_node_units_ente_cycle_stats;
DROP STATISTICS process_node_objectives_ente_cycle_stats;
DROP STATISTICS process_node_risk_areas_ente_cycle_stats;
DROP STATISTICS org_units_ente_cycle_stats;
DROP STATISTICS strategic_objectives_ente_cycle_stats;
DROP STATISTICS risk_areas_ente_cycle_stats;
DROP STATISTICS assessments_ente_cycle_stats;
DROP STATISTICS risk_entries_ente_cycle_stats;
DROP STATISTICS measures_ente_cycle_stats;
DROP STATISTICS node_lead_units_ente_cycle_stats;
DROP STATISTICS cycle_exclusions_ente_cycle_stats;
DROP STATISTICS cycle_snapshot_items_ente_cycle_stats;
