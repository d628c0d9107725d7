package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/argine-pa/argine/migrations"
)

// migrationLockID is the PostgreSQL advisory lock key that serialises concurrent `migrate up` runs
// (two instances starting together). Arbitrary but fixed: "argine" in ASCII.
const migrationLockID int64 = 0x617267696e65

// Migrator wraps a goose provider over the embedded migrations of the database's dialect.
type Migrator struct {
	provider *goose.Provider
	db       *sql.DB // for reading the applied version without the migration lock (DBVersion)
}

// NewMigrator builds the migrator. It never closes the pool: the pool belongs to gorm.
func (d *DB) NewMigrator() (*Migrator, error) {
	dir, dialect := "sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if d.Dialect == Postgres {
		dir, dialect = "postgres", goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(
			lock.WithLockID(migrationLockID),
			lock.WithLockTimeout(1, 300), // poll every second, up to 5 minutes
			lock.WithUnlockTimeout(1, 60),
		)
		if err != nil {
			return nil, fmt.Errorf("database: unable to create migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(dialect, d.SQL(), sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("database: unable to load migrations: %w", err)
	}
	return &Migrator{provider: p, db: d.SQL()}, nil
}

// Up applies every pending migration and returns how many were applied.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.provider.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("database: migrate up: %w", err)
	}
	return len(res), nil
}

// Down rolls back the most recent migration; it reports the version rolled back (0 if none).
func (m *Migrator) Down(ctx context.Context) (int64, error) {
	res, err := m.provider.Down(ctx)
	if errors.Is(err, goose.ErrNoNextVersion) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("database: migrate down: %w", err)
	}
	if res == nil || res.Source == nil {
		return 0, nil
	}
	return res.Source.Version, nil
}

// MigrationStatus is one line of `migrate status`.
type MigrationStatus struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// Status lists every known migration and whether it is applied.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("database: migrate status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{
			Version: s.Source.Version, Name: s.Source.Path,
			Applied: s.State == goose.StateApplied, AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// HasPending reports whether migrations remain to apply.
func (m *Migrator) HasPending(ctx context.Context) (bool, error) {
	return m.provider.HasPending(ctx)
}

// Versions lists the versions of the embedded migrations for this dialect.
func (m *Migrator) Versions() []int64 {
	var v []int64
	for _, s := range m.provider.ListSources() {
		v = append(v, s.Version)
	}
	return v
}

// Migrate opens nothing and applies everything pending: the start-up path of `serve`.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	m, err := d.NewMigrator()
	if err != nil {
		return 0, err
	}
	return m.Up(ctx)
}
