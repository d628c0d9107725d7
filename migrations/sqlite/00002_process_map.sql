-- +goose Up
-- Reference tables of a cycle's map. The composite foreign key (cycle_id, ente_id) makes a row of one ente
-- impossible to attach to another ente's cycle, whatever the application does.
CREATE TABLE org_units (
    id        TEXT PRIMARY KEY,
    ente_id   TEXT NOT NULL,
    cycle_id  TEXT NOT NULL,
    code      TEXT NOT NULL CHECK (code <> ''),
    title     TEXT NOT NULL,
    position  INTEGER NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE,
    UNIQUE (cycle_id, code)
);
CREATE INDEX org_units_ente_cycle ON org_units (ente_id, cycle_id, position);

CREATE TABLE strategic_objectives (
    id        TEXT PRIMARY KEY,
    ente_id   TEXT NOT NULL,
    cycle_id  TEXT NOT NULL,
    code      TEXT NOT NULL CHECK (code <> ''),
    title     TEXT NOT NULL,
    position  INTEGER NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE,
    UNIQUE (cycle_id, code)
);
CREATE INDEX strategic_objectives_ente_cycle ON strategic_objectives (ente_id, cycle_id, position);

CREATE TABLE risk_areas (
    id        TEXT PRIMARY KEY,
    ente_id   TEXT NOT NULL,
    cycle_id  TEXT NOT NULL,
    code      TEXT NOT NULL CHECK (code <> ''),
    title     TEXT NOT NULL,
    position  INTEGER NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE,
    UNIQUE (cycle_id, code)
);
CREATE INDEX risk_areas_ente_cycle ON risk_areas (ente_id, cycle_id, position);

-- The four-level tree: macro > process > subprocess > action. position keeps the source's depth-first order.
CREATE TABLE process_nodes (
    id           TEXT PRIMARY KEY,
    ente_id      TEXT NOT NULL,
    cycle_id     TEXT NOT NULL,
    parent_id    TEXT REFERENCES process_nodes (id) ON DELETE CASCADE,
    code         TEXT NOT NULL CHECK (code <> ''),
    level        TEXT NOT NULL CHECK (level IN ('macro', 'process', 'subprocess', 'action')),
    title        TEXT NOT NULL,
    function     TEXT NOT NULL,
    marker       TEXT NOT NULL CHECK (marker IN ('', '*', '**')),
    note         TEXT NOT NULL,
    is_leaf      BOOLEAN NOT NULL,
    position     INTEGER NOT NULL,
    search_text  TEXT NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE,
    UNIQUE (cycle_id, code)
);
CREATE INDEX process_nodes_ente_cycle ON process_nodes (ente_id, cycle_id, position);
CREATE INDEX process_nodes_parent ON process_nodes (parent_id);

CREATE TABLE process_node_units (
    node_id   TEXT NOT NULL REFERENCES process_nodes (id) ON DELETE CASCADE,
    unit_id   TEXT NOT NULL REFERENCES org_units (id) ON DELETE CASCADE,
    ente_id   TEXT NOT NULL,
    cycle_id  TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (node_id, unit_id)
);
CREATE INDEX process_node_units_ente_cycle ON process_node_units (ente_id, cycle_id);
CREATE INDEX process_node_units_unit ON process_node_units (unit_id);

CREATE TABLE process_node_objectives (
    node_id       TEXT NOT NULL REFERENCES process_nodes (id) ON DELETE CASCADE,
    objective_id  TEXT NOT NULL REFERENCES strategic_objectives (id) ON DELETE CASCADE,
    ente_id       TEXT NOT NULL,
    cycle_id      TEXT NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (node_id, objective_id)
);
CREATE INDEX process_node_objectives_ente_cycle ON process_node_objectives (ente_id, cycle_id);
CREATE INDEX process_node_objectives_objective ON process_node_objectives (objective_id);

CREATE TABLE process_node_risk_areas (
    node_id       TEXT NOT NULL REFERENCES process_nodes (id) ON DELETE CASCADE,
    risk_area_id  TEXT NOT NULL REFERENCES risk_areas (id) ON DELETE CASCADE,
    ente_id       TEXT NOT NULL,
    cycle_id      TEXT NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (node_id, risk_area_id)
);
CREATE INDEX process_node_risk_areas_ente_cycle ON process_node_risk_areas (ente_id, cycle_id);
CREATE INDEX process_node_risk_areas_area ON process_node_risk_areas (risk_area_id);

-- +goose Down
DROP TABLE process_node_risk_areas;
DROP TABLE process_node_objectives;
DROP TABLE process_node_units;
DROP TABLE process_nodes;
DROP TABLE risk_areas;
DROP TABLE strategic_objectives;
DROP TABLE org_units;
