package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/database"
)

// Migrating is most of what a fresh SQLite database costs a test, and every test of a package migrates the same
// embedded migrations: the first SQLite call of a test process migrates once into a scratch file, keeps its
// bytes, and every later call writes them into the test's own file. The file is the same a migration would
// have produced (the same migrations, the same goose version table), and each test still owns its file.
var migratedSQLite struct {
	once sync.Once
	data []byte
	err  error
}

func migratedSQLiteBytes() ([]byte, error) {
	migratedSQLite.once.Do(func() {
		migratedSQLite.data, migratedSQLite.err = sqliteImage(context.Background(), nil, nil)
	})
	return migratedSQLite.data, migratedSQLite.err
}

// sqliteImage returns the bytes of a migrated SQLite file, starting from start's bytes when given (otherwise
// migrating an empty file), after build ran on it. The file is closed cleanly first, so its write-ahead log is
// folded into it and the bytes alone are the whole database.
func sqliteImage(ctx context.Context, start []byte, build func(ctx context.Context, db *database.DB) error) ([]byte, error) {
	dir, err := os.MkdirTemp("", "argine-dbtest-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "template.db")
	if start != nil {
		if err := os.WriteFile(path, start, 0o644); err != nil {
			return nil, err
		}
	}
	target, err := database.ParseURL("sqlite:" + path)
	if err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, target, database.Options{})
	if err != nil {
		return nil, err
	}
	defer func() { _ = db.Close() }()
	if start == nil {
		if _, err := db.Migrate(ctx); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	if build != nil {
		if err := build(ctx, db); err != nil {
			return nil, err
		}
	}
	if err := db.Gorm.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// Fixture is data that many tests start from (the demo ente, say), built once per test process and dialect
// and copied into each test's fresh database, instead of being built again by every test. Build it with
// NewFixture in a package variable and call Load on the database dbtest.Each (or SQLite, or Postgres) gave the
// test, before anything else writes to it.
// CloseFixtures drops what the fixtures keep on the PostgreSQL server: call it from TestMain after m.Run.
//
// The copy holds the same rows as a build would, including generated identifiers, so build must not depend on
// the test that happens to run first. The rows are copied in one transaction, from an image of the SQLite file
// or from a PostgreSQL schema built once, with the receiving tables' triggers off for the copy (the append-only
// guards of the audit trail would refuse a head that did not start at record 0; the rows went through those
// guards when the fixture was built).
type Fixture struct {
	build func(ctx context.Context, db *database.DB) error

	sqliteOnce sync.Once
	sqliteData []byte
	sqliteErr  error

	pgMu  sync.Mutex
	pg    *pgFixture
	pgErr error
}

// pgFixture is the fixture's schema on the PostgreSQL server (made and dropped through pool, pgpool.go) and
// how to copy it.
type pgFixture struct {
	admin     *database.DB
	schema    string
	tables    []pgTable // in an order that respects the foreign keys
	sequences []string
	analysed  []string // tables with planner statistics (a large map import analyses what it wrote)
}

type pgTable struct {
	name     string
	columns  string // quoted, comma separated, without generated columns
	triggers bool   // has user triggers, switched off for the copy
}

// fixtures are every fixture declared in this test process, for CloseFixtures.
var fixtures struct {
	sync.Mutex
	all []*Fixture
}

// NewFixture declares a fixture; nothing is built until a test loads it.
func NewFixture(build func(ctx context.Context, db *database.DB) error) *Fixture {
	f := &Fixture{build: build}
	fixtures.Lock()
	fixtures.all = append(fixtures.all, f)
	fixtures.Unlock()
	return f
}

// CloseFixtures closes every fixture of the test process: TestMain calls it after m.Run (a package's
// internal and external tests share one TestMain, and the fixtures may live in either).
func CloseFixtures() {
	fixtures.Lock()
	defer fixtures.Unlock()
	for _, f := range fixtures.all {
		f.Close()
	}
}

// Load fills db, a fresh migrated database from this package with nothing written to it yet, with the
// fixture's rows.
func (f *Fixture) Load(t testing.TB, db *database.DB) {
	t.Helper()
	var err error
	switch db.Dialect {
	case database.SQLite:
		err = f.loadSQLite(t, db)
	case database.Postgres:
		err = f.loadPostgres(db)
	default:
		err = fmt.Errorf("unknown dialect %q", db.Dialect)
	}
	if err != nil {
		t.Fatalf("dbtest: fixture: %v", err)
	}
}

func (f *Fixture) loadSQLite(t testing.TB, db *database.DB) error {
	f.sqliteOnce.Do(func() {
		start, err := migratedSQLiteBytes()
		if err != nil {
			f.sqliteErr = err
			return
		}
		f.sqliteData, f.sqliteErr = sqliteImage(context.Background(), start, f.build)
	})
	if f.sqliteErr != nil {
		return f.sqliteErr
	}
	// The rows are copied into the test's own handle (which the test may already have handed to a store or a
	// metrics source), from the image attached on one connection, in one transaction.
	src := filepath.Join(t.TempDir(), "fixture.db")
	if err := os.WriteFile(src, f.sqliteData, 0o644); err != nil {
		return err
	}
	ctx := context.Background()
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS fixture_src", src); err != nil {
		return err
	}
	defer func() { _, _ = conn.ExecContext(ctx, "DETACH DATABASE fixture_src") }()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	order, err := sqliteTableOrder(ctx, tx)
	if err != nil {
		return err
	}
	// The append-only guards refuse a head that does not start at record 0: the copied tables' triggers are
	// dropped for the copy and created again from their own SQL, in the same transaction.
	type trigger struct{ name, sql string }
	var triggers []trigger
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' ORDER BY name")
	if err != nil {
		return err
	}
	for rows.Next() {
		var tr trigger
		if err := rows.Scan(&tr.name, &tr.sql); err != nil {
			_ = rows.Close()
			return err
		}
		triggers = append(triggers, tr)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, tr := range triggers {
		if _, err := tx.ExecContext(ctx, "DROP TRIGGER main."+quoteIdent(tr.name)); err != nil {
			return err
		}
	}
	for _, tb := range order {
		if tb.name == "goose_db_version" {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO main."+quoteIdent(tb.name)+" ("+tb.columns+") SELECT "+tb.columns+
			" FROM fixture_src."+quoteIdent(tb.name)); err != nil {
			return fmt.Errorf("copy %s: %w", tb.name, err)
		}
	}
	for _, tr := range triggers {
		if _, err := tx.ExecContext(ctx, tr.sql); err != nil {
			return err
		}
	}
	// The planner statistics the build left (a large map import analyses what it wrote), gathered again.
	var stats int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM fixture_src.sqlite_master WHERE name = 'sqlite_stat1'").Scan(&stats); err != nil {
		return err
	}
	if stats > 0 {
		var analysed []string
		rows, err := tx.QueryContext(ctx, "SELECT DISTINCT tbl FROM fixture_src.sqlite_stat1 ORDER BY tbl")
		if err != nil {
			return err
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				_ = rows.Close()
				return err
			}
			analysed = append(analysed, n)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, n := range analysed {
			if _, err := tx.ExecContext(ctx, "ANALYZE main."+quoteIdent(n)); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// sqliteTableOrder lists the tables of the main database, each after the tables it references, with their
// columns (generated columns, which take no value, left out).
func sqliteTableOrder(ctx context.Context, tx *sql.Tx) ([]pgTable, error) {
	var names []string
	rows, err := tx.QueryContext(ctx, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			_ = rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	list := func(q string, args ...any) ([]string, error) {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer func() { _ = rows.Close() }()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, rows.Err()
	}
	parents, columns := map[string][]string{}, map[string]string{}
	for _, n := range names {
		ps, err := list(`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, n)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if p != n {
				parents[n] = append(parents[n], p)
			}
		}
		cs, err := list(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, n)
		if err != nil {
			return nil, err
		}
		for i := range cs {
			cs[i] = quoteIdent(cs[i])
		}
		columns[n] = strings.Join(cs, ", ")
	}
	namesInOrder, err := orderByForeignKeys(names, parents)
	if err != nil {
		return nil, err
	}
	order := make([]pgTable, 0, len(namesInOrder))
	for _, n := range namesInOrder {
		order = append(order, pgTable{name: n, columns: columns[n]})
	}
	return order, nil
}

func (f *Fixture) loadPostgres(db *database.DB) error {
	f.pgMu.Lock()
	if f.pg == nil && f.pgErr == nil {
		f.pg, f.pgErr = f.buildPostgres(context.Background())
	}
	pg, err := f.pg, f.pgErr
	f.pgMu.Unlock()
	if err != nil {
		return err
	}
	return db.Gorm.Transaction(func(tx *gorm.DB) error {
		for _, tb := range pg.tables {
			if tb.triggers {
				if err := tx.Exec("ALTER TABLE " + quoteIdent(tb.name) + " DISABLE TRIGGER USER").Error; err != nil {
					return err
				}
			}
			if err := tx.Exec("INSERT INTO " + quoteIdent(tb.name) + " (" + tb.columns + ") OVERRIDING SYSTEM VALUE SELECT " +
				tb.columns + " FROM " + quoteIdent(pg.schema) + "." + quoteIdent(tb.name)).Error; err != nil {
				return fmt.Errorf("copy %s: %w", tb.name, err)
			}
			if tb.triggers {
				if err := tx.Exec("ALTER TABLE " + quoteIdent(tb.name) + " ENABLE TRIGGER USER").Error; err != nil {
					return err
				}
			}
		}
		// The copy gets the planner statistics the build left, or PostgreSQL would plan the copied register as
		// empty tables.
		for _, tb := range pg.analysed {
			if err := tx.Exec("ANALYZE " + quoteIdent(tb)).Error; err != nil {
				return err
			}
		}
		for _, seq := range pg.sequences {
			q := "SELECT setval(" + quoteLiteral(quoteIdent(seq)) + ", last_value, is_called) FROM " +
				quoteIdent(pg.schema) + "." + quoteIdent(seq)
			if err := tx.Exec(q).Error; err != nil {
				return fmt.Errorf("sequence %s: %w", seq, err)
			}
		}
		return nil
	})
}

// buildPostgres builds the fixture in a schema of its own, kept until Close, and reads its tables' order.
func (f *Fixture) buildPostgres(ctx context.Context) (*pgFixture, error) {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		return nil, fmt.Errorf("%s is not set", PostgresEnv)
	}
	pool.mu.Lock()
	err := pool.init(ctx, base)
	schema := ""
	if err == nil {
		schema, err = pool.newSchema(ctx)
	}
	pool.mu.Unlock()
	if err != nil {
		return nil, err
	}
	pg := &pgFixture{admin: pool.admin, schema: schema}
	fail := func(err error) (*pgFixture, error) {
		pg.close()
		return nil, err
	}
	db, err := database.Open(ctx, database.Target{Dialect: database.Postgres, DSN: withSearchPath(base, schema)}, database.Options{})
	if err != nil {
		return fail(err)
	}
	defer func() { _ = db.Close() }()
	if err := migrate(ctx, db); err != nil {
		return fail(fmt.Errorf("migrate: %w", err))
	}
	if err := f.build(ctx, db); err != nil {
		return fail(err)
	}
	if err := pg.describe(ctx); err != nil {
		return fail(err)
	}
	return pg, nil
}

// describe lists the schema's tables with rows (goose's own table excepted: the test's migration wrote it),
// parents before children, and its sequences.
func (pg *pgFixture) describe(ctx context.Context) error {
	g := pg.admin.Gorm.WithContext(ctx)
	var cols []struct{ TableName, ColumnName string }
	if err := g.Raw(`SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = ? AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
		AND c.table_name <> 'goose_db_version' ORDER BY c.table_name, c.ordinal_position`, pg.schema).
		Scan(&cols).Error; err != nil {
		return err
	}
	columns := map[string][]string{}
	for _, c := range cols {
		columns[c.TableName] = append(columns[c.TableName], quoteIdent(c.ColumnName))
	}
	order, triggered, err := tableOrder(ctx, pg.admin.Gorm, pg.schema)
	if err != nil {
		return err
	}
	hasTriggers := map[string]bool{}
	for _, n := range triggered {
		hasTriggers[n] = true
	}
	for _, n := range order {
		if _, ok := columns[n]; !ok {
			continue
		}
		var rows int64
		if err := g.Raw("SELECT count(*) FROM " + quoteIdent(pg.schema) + "." + quoteIdent(n)).Scan(&rows).Error; err != nil {
			return err
		}
		if rows > 0 {
			pg.tables = append(pg.tables, pgTable{name: n, columns: strings.Join(columns[n], ", "), triggers: hasTriggers[n]})
		}
	}
	if err := g.Raw(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = ? AND c.relkind = 'r' AND c.reltuples > 0 ORDER BY c.relname`, pg.schema).
		Scan(&pg.analysed).Error; err != nil {
		return err
	}
	var seqs []string
	if err := g.Raw(`SELECT sequencename FROM pg_sequences WHERE schemaname = ? ORDER BY sequencename`, pg.schema).
		Scan(&seqs).Error; err != nil {
		return err
	}
	for _, s := range seqs {
		if s != "goose_db_version_id_seq" {
			pg.sequences = append(pg.sequences, s)
		}
	}
	return nil
}

func (pg *pgFixture) close() {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	pool.dropSchema(context.Background(), pg.schema)
}

// Close drops the fixture's PostgreSQL schema, if one was built.
func (f *Fixture) Close() {
	f.pgMu.Lock()
	defer f.pgMu.Unlock()
	if f.pg != nil {
		f.pg.close()
		f.pg = nil
	}
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
