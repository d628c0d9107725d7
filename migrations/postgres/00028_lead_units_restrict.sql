-- +goose Up
-- A lead-unit choice (capofila) is part of the campaign's history: it no longer goes silently with its process
-- node or its cycle. Whoever removes a node (a replaced map) first deletes its choice explicitly, with an
-- audit record; a plain DELETE of a node or cycle that still has one is refused.
ALTER TABLE node_lead_units DROP CONSTRAINT node_lead_units_node_id_fkey;
ALTER TABLE node_lead_units ADD CONSTRAINT node_lead_units_node_id_fkey
    FOREIGN KEY (node_id) REFERENCES process_nodes (id) ON DELETE RESTRICT;
ALTER TABLE node_lead_units DROP CONSTRAINT node_lead_units_cycle_id_ente_id_fkey;
ALTER TABLE node_lead_units ADD CONSTRAINT node_lead_units_cycle_id_ente_id_fkey
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE RESTRICT;

-- +goose Down
ALTER TABLE node_lead_units DROP CONSTRAINT node_lead_units_cycle_id_ente_id_fkey;
ALTER TABLE node_lead_units ADD CONSTRAINT node_lead_units_cycle_id_ente_id_fkey
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE;
ALTER TABLE node_lead_units DROP CONSTRAINT node_lead_units_node_id_fkey;
ALTER TABLE node_lead_units ADD CONSTRAINT node_lead_units_node_id_fkey
    FOREIGN KEY (node_id) REFERENCES process_nodes (id) ON DELETE CASCADE;
