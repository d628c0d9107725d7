// Package database opens the gorm connection for PostgreSQL or the embedded SQLite, and applies migrations.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database family; SQL differences are kept to migrations and a few store branches.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DefaultSQLitePath is used when no database URL is configured: a file in the working directory.
const DefaultSQLitePath = "argine.db"

// DB bundles the gorm handle with its dialect.
type DB struct {
	Gorm    *gorm.DB
	Dialect Dialect
	reader  *sql.DB // SQLite in WAL mode: the read pool beside the single writer (sqlitepool.go); nil otherwise
}

// Target is a parsed database URL.
type Target struct {
	Dialect Dialect
	DSN     string // driver DSN (for SQLite: the file path plus pragmas)
}

// ParseURL accepts postgres://, postgresql://, sqlite:PATH, sqlite://PATH or an empty string (SQLite default file).
func ParseURL(raw string) (Target, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return Target{Dialect: SQLite, DSN: sqliteDSN(DefaultSQLitePath)}, nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return Target{}, fmt.Errorf("database: invalid PostgreSQL URL: %w", redactURLError(err))
		}
		return Target{Dialect: Postgres, DSN: raw}, nil
	case strings.HasPrefix(raw, "sqlite://"):
		return Target{Dialect: SQLite, DSN: sqliteDSN(strings.TrimPrefix(raw, "sqlite://"))}, nil
	case strings.HasPrefix(raw, "sqlite:"):
		return Target{Dialect: SQLite, DSN: sqliteDSN(strings.TrimPrefix(raw, "sqlite:"))}, nil
	}
	return Target{}, fmt.Errorf("database: unsupported URL scheme (want postgres://, postgresql:// or sqlite:PATH)")
}

// redactURLError drops the URL itself from url.Parse errors, since it may carry a password.
func redactURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

func sqliteDSN(path string) string {
	if path == "" {
		path = DefaultSQLitePath
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return path // caller supplied their own options
	}
	// WAL lets readers proceed during a write; immediate transactions take the write lock up front so two
	// writers queue on busy_timeout instead of failing with SQLITE_BUSY half-way through. synchronous=FULL
	// syncs the WAL on every commit: with NORMAL a power loss may undo the last acknowledged writes, which a
	// register must never do (BenchmarkAuditAppendSynchronous in internal/store measures the cost).
	// cache_size gives each connection 8 MB of page cache instead of 2 (the register's working set of a large
	// body fits); journal_size_limit truncates a WAL that a long read kept from being reset, once checkpointed.
	return path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(FULL)&_pragma=cache_size(-8000)&_pragma=journal_size_limit(67108864)" +
		"&_txlock=immediate"
}

// Options tune the connection.
type Options struct {
	Logger logger.Interface // nil: silent
	// StatementTimeout bounds every statement on PostgreSQL (its statement_timeout, set on each connection),
	// so no request can hold a connection and a CPU for minutes. Zero leaves the server's setting.
	StatementTimeout time.Duration
}

// withStatementTimeout adds statement_timeout to a PostgreSQL URL as a startup parameter (pgx sends unknown
// URL options to the server as run-time settings). A URL that sets its own keeps it.
func withStatementTimeout(dsn string, d time.Duration) (string, error) {
	if d <= 0 {
		return dsn, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("database: invalid PostgreSQL URL: %w", redactURLError(err))
	}
	q := u.Query()
	if q.Get("statement_timeout") != "" {
		return dsn, nil
	}
	q.Set("statement_timeout", strconv.FormatInt(max(d.Milliseconds(), 1), 10))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Open connects to the target. It does not migrate.
func Open(ctx context.Context, t Target, opts Options) (*DB, error) {
	var dialector gorm.Dialector
	var reader *sql.DB
	switch t.Dialect {
	case Postgres:
		dsn, err := withStatementTimeout(t.DSN, opts.StatementTimeout)
		if err != nil {
			return nil, err
		}
		dialector = postgres.Open(dsn)
	case SQLite:
		var err error
		if reader, err = openSQLiteReader(t.DSN); err != nil {
			return nil, fmt.Errorf("database: unable to open sqlite: %w", err)
		}
		if reader == nil {
			dialector = sqlite.Open(t.DSN)
			break
		}
		writer, err := sql.Open(sqlite.DriverName, t.DSN)
		if err != nil {
			_ = reader.Close()
			return nil, fmt.Errorf("database: unable to open sqlite: %w", err)
		}
		writer.SetMaxOpenConns(1)
		writer.SetMaxIdleConns(1)
		dialector = &sqlite.Dialector{DSN: t.DSN, Conn: &sqlitePool{writer: writer, reader: reader}}
	default:
		return nil, fmt.Errorf("database: unknown dialect %q", t.Dialect)
	}
	lg := opts.Logger
	if lg == nil {
		lg = logger.Discard
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 lg,
		TranslateError:         true,
		SkipDefaultTransaction: true, // services open transactions explicitly
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		if reader != nil {
			_ = reader.Close()
		}
		return nil, fmt.Errorf("database: unable to open %s: %w", t.Dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	switch {
	case reader != nil:
		// sqlitePool: the writer is one connection, the readers are sized in openSQLiteReader.
	case t.Dialect == SQLite:
		// One writer at a time is SQLite's rule anyway; a small pool still lets WAL readers run in parallel.
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
	case t.Dialect == Postgres:
		// As many idle connections as open ones: with fewer, a busy server closed every connection returned
		// beyond the idle limit and opened a new one a moment later (a server process forked, the session set
		// up, pgx's prepared statements prepared again: 25 new sessions in 10 s of the load tool; issue 19).
		// Connections idle for five minutes are still closed.
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	d := &DB{Gorm: g, Dialect: t.Dialect, reader: reader}
	if err := d.Ping(pingCtx); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("database: unable to reach %s: %w", t.Dialect, err)
	}
	return d, nil
}

// SQL returns the underlying pool.
func (d *DB) SQL() *sql.DB {
	s, _ := d.Gorm.DB()
	return s
}

// Close releases the pool (both pools of a SQLite file).
func (d *DB) Close() error {
	if d.reader != nil {
		return errors.Join(d.SQL().Close(), d.reader.Close())
	}
	return d.SQL().Close()
}

// Ping checks the database is reachable (through both pools of a SQLite file).
func (d *DB) Ping(ctx context.Context) error {
	if d.reader != nil {
		return errors.Join(d.SQL().PingContext(ctx), d.reader.PingContext(ctx))
	}
	return d.SQL().PingContext(ctx)
}

// errProbeRollback ends the write probe's transaction without keeping anything.
var errProbeRollback = errors.New("database: write probe rolled back")

// CheckWritable proves the database accepts writes, not only reads: a read-only replica after a failover, a
// PostgreSQL in recovery or a read-only SQLite file answer a ping yet fail every save. It rewrites one row of
// goose's own version table, unchanged, and rolls the transaction back: nothing is kept, no business table
// is touched, and the probe needs no table of its own.
func (d *DB) CheckWritable(ctx context.Context) error {
	err := d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE goose_db_version SET is_applied = is_applied WHERE id = (SELECT MAX(id) FROM goose_db_version)").Error; err != nil {
			return err
		}
		return errProbeRollback
	})
	if errors.Is(err, errProbeRollback) {
		return nil
	}
	return err
}
