-- +goose Up
-- PostgreSQL only (migrations/postgres/00039): the link tables' (ente_id, cycle_id) indexes widened to cover
-- the reads of a cycle's links, so that PostgreSQL costs them as the few pages they are among many entes.
-- SQLite serves one body and reads these links well with the indexes it has.
SELECT 1;

-- +goose Down
SELECT 1;
