-- +goose Up
-- Issue 17 part 5, catalogue updates: a measure names the enabling factors (fattori abilitanti) it addresses
-- and carries its cost and sustainability note (PNA 2019 All. 1 §5.1: a measure is chosen for its capacity to
-- neutralise the factors and for its economic and organisational sustainability).

-- The factors an assessment's measure addresses, ';'-separated codes of the ente's catalogue. A column on the
-- row (not a link table) so the assessment's save writes it with the measure, adding no statement.
ALTER TABLE measures ADD COLUMN enabling_factors TEXT NOT NULL DEFAULT '';

-- The same two on the ente-wide programme of general measures.
ALTER TABLE programme_measures ADD COLUMN cost_note TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_measures ADD COLUMN enabling_factors TEXT NOT NULL DEFAULT '';

-- The RPCT edits a catalogue general measure's factor links: a version for concurrent edits (409), and so the
-- shipped links are filled in only where nobody has edited them (version 1).
ALTER TABLE general_measures ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE general_measures DROP COLUMN version;
ALTER TABLE programme_measures DROP COLUMN enabling_factors;
ALTER TABLE programme_measures DROP COLUMN cost_note;
ALTER TABLE measures DROP COLUMN enabling_factors;
