package database

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// VacuumInto writes a consistent copy of a SQLite database to path (which must not exist) while the database
// stays in use: SQLite's VACUUM INTO reads one snapshot inside a read transaction, so writers carry on and the
// copy holds exactly the committed state of one instant, compacted, without the WAL beside it.
func (d *DB) VacuumInto(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return errors.New("database: an online copy is made on SQLite only; on PostgreSQL use pg_dump")
	}
	if strings.ContainsRune(path, 0) {
		return fmt.Errorf("database: invalid backup path")
	}
	// The path is a parameter, never spliced into the SQL.
	if err := d.Gorm.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("database: copy to %s: %w", path, err)
	}
	return nil
}

// DBVersion is the highest migration version applied to the database (0 for none). It reads goose's table
// directly: goose's own GetDBVersion takes the migration lock on PostgreSQL, which a readiness probe must
// never wait for while another instance migrates.
func (m *Migrator) DBVersion(ctx context.Context) (int64, error) {
	var v *int64
	if err := m.db.QueryRowContext(ctx, "SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil {
		return 0, fmt.Errorf("database: migration version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// LatestVersion is the highest version among the migrations embedded in this binary.
func (m *Migrator) LatestVersion() int64 {
	var latest int64
	for _, v := range m.Versions() {
		latest = max(latest, v)
	}
	return latest
}
