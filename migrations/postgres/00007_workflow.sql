-- +goose Up
ALTER TABLE assessments ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN submitted_at TIMESTAMPTZ;
ALTER TABLE assessments ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN reviewed_at TIMESTAMPTZ;
ALTER TABLE cycles ADD COLUMN campaign_deadline TEXT NOT NULL DEFAULT '';

-- The review thread of an assessment: comments, and the reasons of returns and reopenings.
CREATE TABLE assessment_comments (
    id             UUID PRIMARY KEY,
    ente_id        UUID NOT NULL,
    assessment_id  UUID NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('comment', 'return', 'reopen', 'submit', 'approve')),
    author_id      TEXT NOT NULL,
    author_name    TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX assessment_comments_assessment ON assessment_comments (assessment_id, created_at);

-- Every approved content is kept: a reopened assessment can always show what was approved.
CREATE TABLE assessment_history (
    id             UUID PRIMARY KEY,
    ente_id        UUID NOT NULL,
    assessment_id  UUID NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    version        BIGINT NOT NULL,
    state          TEXT NOT NULL,
    content        TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX assessment_history_assessment ON assessment_history (assessment_id, version);

-- +goose Down
DROP TABLE assessment_history;
DROP TABLE assessment_comments;
ALTER TABLE cycles DROP COLUMN campaign_deadline;
ALTER TABLE assessments DROP COLUMN reviewed_at;
ALTER TABLE assessments DROP COLUMN reviewed_by;
ALTER TABLE assessments DROP COLUMN submitted_at;
ALTER TABLE assessments DROP COLUMN submitted_by;
