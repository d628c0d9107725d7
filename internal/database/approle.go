package database

import (
	"context"
	"fmt"
	"regexp"

	"gorm.io/gorm"
)

var roleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// GrantAppRole gives a PostgreSQL role what the application needs to run, and no more on the audit trail:
// it reads and writes every table of the schema, but may only SELECT and INSERT the audit records (never
// UPDATE, DELETE or TRUNCATE them), may move but never delete the chain heads (whose triggers, which only the
// owner could drop, let a head only move forward), and only reads the migration table, so it can start the
// server but not change the schema. Run it as the owner after every `migrate up`: new tables get their
// grants then. The role must exist.
func (d *DB) GrantAppRole(ctx context.Context, role string) error {
	if d.Dialect != Postgres {
		return fmt.Errorf("database: --app-role applies to PostgreSQL only (SQLite has no roles)")
	}
	if !roleName.MatchString(role) {
		return fmt.Errorf("database: role name %q: use lowercase letters, digits and underscores", role)
	}
	var schema string
	if err := d.Gorm.WithContext(ctx).Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		return fmt.Errorf("database: unable to read the current schema: %w", err)
	}
	q := func(id string) string { return `"` + id + `"` }
	stmts := []string{
		"GRANT USAGE ON SCHEMA " + q(schema) + " TO " + q(role),
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + q(schema) + " TO " + q(role),
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + q(schema) + " TO " + q(role),
		"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM " + q(role),
		"REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_heads FROM " + q(role),
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON goose_db_version FROM " + q(role),
	}
	return d.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, s := range stmts {
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("database: %s: %w", s, err)
			}
		}
		return nil
	})
}
