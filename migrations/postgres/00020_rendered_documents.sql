-- +goose Up
-- The first rendering of a document of an adopted register, kept so that every later download gives the same
-- bytes: LibreOffice stamps each PDF it writes with the time and a random document id, so a document rendered
-- again would differ. Keyed by the adopted snapshot's hash, which names the register's content exactly; a
-- row is written once and never changed or deleted.
CREATE TABLE rendered_documents (
    ente_id        UUID NOT NULL REFERENCES entes (id),
    snapshot_hash  TEXT NOT NULL CHECK (snapshot_hash <> ''),
    name           TEXT NOT NULL CHECK (name <> ''),
    content        BYTEA NOT NULL,
    content_sha256 TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (ente_id, snapshot_hash, name)
);

-- +goose Down
DROP TABLE rendered_documents;
