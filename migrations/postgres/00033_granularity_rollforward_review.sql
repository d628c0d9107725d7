-- +goose Up
-- The level a cycle's campaign assesses: 'leaf' (the default: the childless nodes of the map) or 'process'
-- (bodies that map less finely assess each process, its sub-processes and actions are not assessed). Chosen
-- before the first assessment; process_nodes.is_leaf follows it.
ALTER TABLE cycles ADD COLUMN assessment_granularity TEXT NOT NULL DEFAULT 'leaf'
    CHECK (assessment_granularity IN ('leaf', 'process'));

-- Assessments a roll-forward did not carry over by itself: the adopted leaf's code is missing from the new map,
-- or it is there with another title (numbering shifts between map versions). The RPCT confirms the same code,
-- re-attaches to another node, or drops it; the row stays with the decision.
CREATE TABLE roll_forward_reviews (
    id          UUID PRIMARY KEY,
    ente_id     UUID NOT NULL,
    cycle_id    UUID NOT NULL,
    from_cycle  TEXT NOT NULL,
    node_code   TEXT NOT NULL,
    old_title   TEXT NOT NULL,
    new_title   TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL CHECK (reason IN ('title_changed', 'code_missing')),
    assessment  TEXT NOT NULL,
    decision    TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'confirm', 'reattach', 'drop')),
    target_code TEXT NOT NULL DEFAULT '',
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (cycle_id, node_code),
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE RESTRICT
);
CREATE INDEX roll_forward_reviews_cycle ON roll_forward_reviews (ente_id, cycle_id);

-- +goose Down
DROP TABLE roll_forward_reviews;
ALTER TABLE cycles DROP COLUMN assessment_granularity;
