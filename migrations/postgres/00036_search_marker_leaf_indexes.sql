-- +goose Up
-- Indexes for the filters that 00034 left without one (issue 19). TestFilterIndexes checks the plans.
--
-- The marker filter starts from the marked nodes of the cycle (store.markerScope).
CREATE INDEX process_nodes_marker ON process_nodes (ente_id, cycle_id, marker);

-- The audit trail's leaf filter is a suffix match on the entity id ("<cycle>/<leaf>"): said as a prefix match of
-- the reversed id (store.auditScope), which a b-tree with text_pattern_ops serves whatever the collation.
CREATE INDEX audit_log_leaf ON audit_log (ente_id, reverse(entity_id) text_pattern_ops);

-- The register's free-text search (q), a substring match, gets no index of its own: every search is scoped to one
-- ente's cycle, which risk_entries (ente_id, cycle_id, …) and process_nodes (ente_id, cycle_id, …) already bound to
-- a few thousand rows, and the query now finds the matching risks first (a semi-join) instead of testing every
-- row of the page's walk. Trigram indexes (pg_trgm) were tried: with them in place and the tables analysed, the
-- planner still chose the scope index at 1,500 leaves per ente (a trigram index spans every ente, so a common
-- word matches across all of them), and the extension needs CREATE on the database. See docs/performance.md.

-- +goose Down
DROP INDEX audit_log_leaf;
DROP INDEX process_nodes_marker;
