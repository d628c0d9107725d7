package database_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// A register must not lose an acknowledged write on power loss: SQLite syncs the WAL on every commit.
func TestSQLiteSynchronousFull(t *testing.T) {
	db := dbtest.SQLite(t)
	var level int
	if err := db.Gorm.Raw("PRAGMA synchronous").Scan(&level).Error; err != nil {
		t.Fatal(err)
	}
	if level != 2 { // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
		t.Fatalf("PRAGMA synchronous = %d, want 2 (FULL)", level)
	}
}

// Every statement on PostgreSQL is bounded by the configured statement_timeout, and a runaway one is
// cancelled by the server with SQLSTATE 57014.
func TestPostgresStatementTimeout(t *testing.T) {
	url := dbtest.PostgresURL(t)
	target, err := database.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), target, database.Options{StatementTimeout: 1500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var setting string
	if err := db.Gorm.Raw("SHOW statement_timeout").Scan(&setting).Error; err != nil {
		t.Fatal(err)
	}
	if setting != "1500ms" {
		t.Fatalf("statement_timeout = %q, want 1500ms", setting)
	}
	err = db.Gorm.Exec("SELECT pg_sleep(10)").Error
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
		t.Fatalf("a 10 s statement ended with %v, want SQLSTATE 57014 (statement timeout)", err)
	}
	if !database.Unavailable(err) {
		t.Fatal("a statement stopped by statement_timeout answers 503 (retry), not 500")
	}
	// A URL that sets its own bound keeps it.
	own, err := database.Open(context.Background(), database.Target{Dialect: database.Postgres, DSN: url + "&statement_timeout=7000"},
		database.Options{StatementTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	if err := own.Gorm.Raw("SHOW statement_timeout").Scan(&setting).Error; err != nil || setting != "7s" {
		t.Fatalf("URL's own statement_timeout: %q %v, want 7s", setting, err)
	}
}

// Unavailable tells "the database cannot serve now" (503, retry) from every other failure (a bug or bad data).
func TestUnavailableClassifiesDriverErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		dup := db.Gorm.Exec("INSERT INTO goose_db_version (id, version_id, is_applied) SELECT id, version_id, is_applied FROM goose_db_version LIMIT 1").Error
		if dup == nil || database.Unavailable(dup) {
			t.Fatalf("a constraint violation is not unavailability: %v", dup)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		closed := db.Gorm.Exec("SELECT 1").Error
		if !database.Unavailable(closed) {
			t.Fatalf("a closed pool is unavailability: %v", closed)
		}
	})
	_, err := database.Open(context.Background(), database.Target{Dialect: database.Postgres,
		DSN: "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}, database.Options{})
	if err == nil || !database.Unavailable(err) {
		t.Fatalf("a refused connection is unavailability: %v", err)
	}
}
