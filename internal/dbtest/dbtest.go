// Package dbtest gives tests real databases: a fresh SQLite file always, and a PostgreSQL schema of the test's
// own when ARGINE_TEST_POSTGRES_URL names a server, both migrated and without rows. In CI (CI=true) a missing
// PostgreSQL fails the test instead of skipping it, so the PostgreSQL suite cannot silently vanish. Migrating
// is done once per test process where it can be (template.go, pgpool.go), and data many tests start from can
// be built once and copied (Fixture), since building both again for every test was most of the suite's time.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/migrations"
)

// PostgresEnv names the variable holding the PostgreSQL server URL for tests.
const PostgresEnv = "ARGINE_TEST_POSTGRES_URL"

// Each runs fn once per available database, as subtests named "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// Dialects runs fn per dialect without opening anything, for tests that manage databases themselves.
func Dialects(t *testing.T, fn func(t *testing.T, open func(t testing.TB) *database.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres) })
}

func random() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// SQLiteURL returns the URL of a new, empty SQLite file in a temporary directory.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "argine-test.db")
}

// SQLite opens a fresh, migrated SQLite database in a temporary file: a copy of one migrated once per test
// process (template.go).
func SQLite(t testing.TB) *database.DB {
	t.Helper()
	data, err := migratedSQLiteBytes()
	if err != nil {
		t.Fatalf("dbtest: migrated SQLite template: %v", err)
	}
	path := filepath.Join(t.TempDir(), "argine-test.db")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return Open(t, "sqlite:"+path)
}

// PostgresURL returns a URL to a fresh, empty schema of the test server, dropped when the test ends.
// It skips the test (or fails it in CI) when no server is configured.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := postgresBase(t)
	ctx := context.Background()
	admin, err := database.Open(ctx, database.Target{Dialect: database.Postgres, DSN: base}, database.Options{})
	if err != nil {
		t.Fatalf("PostgreSQL at %s unreachable: %v", PostgresEnv, err)
	}
	schema := "t_" + random()
	if err := admin.Gorm.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_ = admin.Gorm.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// postgresBase returns the test server's URL; it skips the test (or fails it in CI) when none is configured.
func postgresBase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL suite", PostgresEnv)
		}
		t.Skipf("PostgreSQL suite skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/argine_test?sslmode=disable)", PostgresEnv)
	}
	return base
}

// Postgres opens a migrated PostgreSQL schema with no rows, the test's own until it ends: a new one, or one
// that an earlier test of this process left exactly as migrated and that was emptied since (pgpool.go).
func Postgres(t testing.TB) *database.DB {
	t.Helper()
	base := postgresBase(t)
	ctx := context.Background()
	schema, err := pool.acquire(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: PostgreSQL schema: %v", err)
	}
	// Registered before Open's, so it runs after the test's connections are closed.
	t.Cleanup(func() { pool.release(ctx, schema) })
	return Open(t, withSearchPath(base, schema))
}

// Open connects to url without migrating and closes the connection when the test ends.
func Open(t testing.TB, rawURL string) *database.DB {
	t.Helper()
	target, err := database.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), target, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func openMigrated(t testing.TB, rawURL string) *database.DB {
	t.Helper()
	db := Open(t, rawURL)
	if err := migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// migrate applies the embedded migrations as db.Migrate does, but on PostgreSQL without its advisory lock:
// that lock serialises instances migrating one database, while each test owns its schema, and the test
// processes of different packages migrating at the same time queued on it (goose polls it once a second).
func migrate(ctx context.Context, db *database.DB) error {
	if db.Dialect != database.Postgres {
		_, err := db.Migrate(ctx)
		return err
	}
	sub, err := fs.Sub(migrations.FS, "postgres")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.SQL(), sub)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// Counter counts the SQL statements gorm sends, to pin query counts (no N+1).
type Counter struct{ n atomic.Int64 }

// CountStatements installs a counter on db.
func CountStatements(t testing.TB, db *database.DB) *Counter {
	t.Helper()
	c := &Counter{}
	inc := func(*gorm.DB) { c.n.Add(1) }
	cb := db.Gorm.Callback()
	name := "argine:count:" + random()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register(name, inc),
		cb.Create().After("gorm:create").Register(name, inc),
		cb.Update().After("gorm:update").Register(name, inc),
		cb.Delete().After("gorm:delete").Register(name, inc),
		cb.Row().After("gorm:row").Register(name, inc),
		cb.Raw().After("gorm:raw").Register(name, inc),
	} {
		if err != nil {
			t.Fatal(fmt.Errorf("register counter: %w", err))
		}
	}
	return c
}

// Reset sets the count to zero.
func (c *Counter) Reset() { c.n.Store(0) }

// Count returns the statements counted since the last reset.
func (c *Counter) Count() int64 { return c.n.Load() }

// EachURL runs fn once per available database with the URL of a fresh, empty database (not migrated), for
// tests of code that opens the database itself (the command line).
func EachURL(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}
