-- +goose Up
ALTER TABLE cycles ADD COLUMN deliberation_number TEXT NOT NULL DEFAULT '';
ALTER TABLE cycles ADD COLUMN deliberation_date TEXT NOT NULL DEFAULT '';
ALTER TABLE cycles ADD COLUMN published_url TEXT NOT NULL DEFAULT '';
ALTER TABLE cycles ADD COLUMN published_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cycles ADD COLUMN snapshot_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE cycles ADD COLUMN derived_from TEXT NOT NULL DEFAULT '';

-- Leaves the RPCT excludes from a cycle's assessment campaign, with the reason.
CREATE TABLE cycle_exclusions (
    cycle_id    UUID NOT NULL,
    ente_id     UUID NOT NULL,
    node_id     UUID NOT NULL REFERENCES process_nodes (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cycle_id, node_id),
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);

-- The register as adopted by the Giunta: frozen, with its content hash and the audit chain head it anchors.
CREATE TABLE cycle_snapshots (
    cycle_id         UUID PRIMARY KEY,
    ente_id          UUID NOT NULL,
    content          TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    audit_head_seq   BIGINT NOT NULL,
    audit_head_hash  TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE cycle_snapshots;
DROP TABLE cycle_exclusions;
ALTER TABLE cycles DROP COLUMN derived_from;
ALTER TABLE cycles DROP COLUMN snapshot_hash;
ALTER TABLE cycles DROP COLUMN published_on;
ALTER TABLE cycles DROP COLUMN published_url;
ALTER TABLE cycles DROP COLUMN deliberation_date;
ALTER TABLE cycles DROP COLUMN deliberation_number;
