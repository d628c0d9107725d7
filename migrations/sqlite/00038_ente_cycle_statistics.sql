-- +goose Up
-- PostgreSQL only (migrations/postgres/00038): statistics telling the planner that a cycle belongs to one
-- ente, for databases holding many entes. SQLite serves one body; its planner needs nothing here.
SELECT 1;

-- +goose Down
SELECT 1;
