-- +goose Up
-- The column mapping an ente chose for importing its own register layout (issue 16): the spreadsheet's
-- header for each column of Argine's register layout, kept for next year's import.
CREATE TABLE register_import_mappings (
    ente_id    UUID PRIMARY KEY REFERENCES entes (id) ON DELETE RESTRICT,
    mapping    TEXT NOT NULL, -- JSON object: layout column key -> header in the file
    version    BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);

-- +goose Down
DROP TABLE register_import_mappings;
