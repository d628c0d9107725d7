package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/database"
)

// ExplainRegister returns the database's plan (EXPLAIN, one line per row) of the query of a register page with
// the given filters, and ExplainAudit that of a page of the audit trail: what TestFilterIndexes checks on
// PostgreSQL (every filter of the register and of the audit browser is served by an index), and what an
// operator reads when a page is slow.
func (s *Store) ExplainRegister(ctx context.Context, enteID, cycleID string, f RegisterFilter) (string, error) {
	if f.PageSize == 0 {
		f.Page, f.PageSize = 1, 100
	}
	sql := s.db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		st := &Store{db: tx, dialect: s.dialect}
		q := st.registerScope(ctx, enteID, cycleID, f).Select("n.id, r.id").Order(registerOrder).Limit(f.PageSize + 1)
		if f.After != nil {
			q = afterKey(q, *f.After)
		} else {
			q = q.Offset((f.Page - 1) * f.PageSize)
		}
		return q.Find(&[]map[string]any{})
	})
	return s.explain(ctx, sql)
}

// ExplainAudit returns the plan of the query of a page of the audit trail (see ExplainRegister).
func (s *Store) ExplainAudit(ctx context.Context, enteID string, f AuditFilter) (string, error) {
	sql := s.db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		st := &Store{db: tx, dialect: s.dialect}
		return st.auditScope(ctx, enteID, f).Order("seq DESC").Limit(50).Find(&[]auditRow{})
	})
	return s.explain(ctx, sql)
}

func (s *Store) explain(ctx context.Context, sql string) (string, error) {
	prefix := "EXPLAIN "
	if s.dialect != database.Postgres {
		prefix = "EXPLAIN QUERY PLAN " // SQLite: id, parent, notused, detail
	}
	rows, err := s.q(ctx).Raw(prefix + sql).Rows()
	if err != nil {
		return "", wrap(err, "explain")
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if s.dialect == database.Postgres {
			err = rows.Scan(&line)
		} else {
			var id, parent, unused int
			err = rows.Scan(&id, &parent, &unused, &line)
		}
		if err != nil {
			return "", wrap(err, "scan plan")
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), wrap(rows.Err(), "read plan")
}
