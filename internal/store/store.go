// Package store is the only place with SQL. Every query on business data carries the ente it belongs to.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
)

// Store wraps a gorm handle, either the pool or an open transaction.
type Store struct {
	db      *gorm.DB
	dialect database.Dialect
}

// New returns a store over the pool.
func New(db *database.DB) *Store { return &Store{db: db.Gorm, dialect: db.Dialect} }

// WithTx runs fn in one transaction; fn's store writes inside it. An error or panic rolls everything back.
func (s *Store) WithTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, dialect: s.dialect})
	})
}

func (s *Store) q(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// forUpdate locks the selected rows until the transaction ends on PostgreSQL. SQLite needs no row lock:
// its immediate transactions already hold the database's single write lock.
func (s *Store) forUpdate(q *gorm.DB) *gorm.DB {
	if s.dialect == database.Postgres {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// scanner is the row a scanRows callback reads its columns from.
type scanner interface{ Scan(dest ...any) error }

// scanRows runs q and hands each row to fn, which scans it into destinations it names: for the reads that
// carry the most rows (the exports' register), where gorm's Find spends more on reflection than the database
// on the answer.
func scanRows(q *gorm.DB, fn func(scanner) error) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }() // a read: rows.Err below reports what went wrong
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: unable to "+format+": %w", append(args, err)...)
}

type enteRow struct {
	ID        string
	Code      string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (enteRow) TableName() string { return "entes" }

func (r enteRow) domain() *domain.Ente {
	return &domain.Ente{ID: r.ID, Code: r.Code, Name: r.Name, CreatedAt: r.CreatedAt}
}

// EnteByCode loads an ente; a missing one is domain.ErrNotFound.
func (s *Store) EnteByCode(ctx context.Context, code string) (*domain.Ente, error) {
	var r enteRow
	err := s.q(ctx).Where("code = ?", code).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, domain.NotFound("ente_not_found", "ente %q not found", code)
	}
	if err != nil {
		return nil, wrap(err, "load ente %q", code)
	}
	return r.domain(), nil
}

// Entes lists every ente, by code. Platform-level only: no tenant reads this.
func (s *Store) Entes(ctx context.Context) ([]domain.Ente, error) {
	var rows []enteRow
	if err := s.q(ctx).Order("code").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list entes")
	}
	out := make([]domain.Ente, len(rows))
	for i, r := range rows {
		out[i] = *r.domain()
	}
	return out, nil
}

// CreateEnte inserts an ente; an existing code is domain.ErrConflict.
func (s *Store) CreateEnte(ctx context.Context, code, name string) (*domain.Ente, error) {
	t := now()
	r := enteRow{ID: newID(), Code: code, Name: name, CreatedAt: t, UpdatedAt: t}
	err := s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, domain.Conflict("ente_exists", "ente %q already exists", code)
	}
	if err != nil {
		return nil, wrap(err, "create ente %q", code)
	}
	return r.domain(), nil
}

type cycleRow struct {
	ID            string
	EnteID        string
	Code          string
	StartYear     int
	EndYear       int
	State         string
	MapHash       string
	MapImportedAt *time.Time
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time

	DeliberationNumber string
	DeliberationDate   string
	PublishedURL       string
	PublishedOn        string
	SnapshotHash       string
	DerivedFrom        string
	Granularity        string `gorm:"column:assessment_granularity"`
}

func (cycleRow) TableName() string { return "cycles" }

func (r cycleRow) domain() *domain.Cycle {
	return &domain.Cycle{ID: r.ID, EnteID: r.EnteID, Code: r.Code, StartYear: r.StartYear, EndYear: r.EndYear,
		State: domain.CycleState(r.State), MapHash: r.MapHash, MapImportedAt: r.MapImportedAt, Version: r.Version,
		DeliberationNumber: r.DeliberationNumber, DeliberationDate: r.DeliberationDate, PublishedURL: r.PublishedURL,
		PublishedOn: r.PublishedOn, SnapshotHash: r.SnapshotHash, DerivedFrom: r.DerivedFrom,
		Granularity: domain.Granularity(r.Granularity)}
}

// CycleByCode loads a cycle of an ente; a missing one (or one of another ente) is domain.ErrNotFound.
func (s *Store) CycleByCode(ctx context.Context, enteID, code string) (*domain.Cycle, error) {
	return s.cycleByCode(ctx, s.q(ctx), enteID, code)
}

// LockCycle loads a cycle and, on PostgreSQL, locks it until the transaction ends, so that two imports into
// the same cycle run one after the other.
func (s *Store) LockCycle(ctx context.Context, enteID, code string) (*domain.Cycle, error) {
	return s.cycleByCode(ctx, s.forUpdate(s.q(ctx)), enteID, code)
}

func (s *Store) cycleByCode(ctx context.Context, q *gorm.DB, enteID, code string) (*domain.Cycle, error) {
	var r cycleRow
	err := q.Where("ente_id = ? AND code = ?", enteID, code).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, domain.NotFound("cycle_not_found", "cycle %q not found", code)
	}
	if err != nil {
		return nil, wrap(err, "load cycle %q", code)
	}
	return r.domain(), nil
}

// Cycles lists an ente's cycles, newest first.
func (s *Store) Cycles(ctx context.Context, enteID string) ([]domain.Cycle, error) {
	var rows []cycleRow
	if err := s.q(ctx).Where("ente_id = ?", enteID).Order("start_year DESC, code DESC").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list cycles")
	}
	out := make([]domain.Cycle, len(rows))
	for i, r := range rows {
		out[i] = *r.domain()
	}
	return out, nil
}

// EnsureCycle creates the open cycle if it does not exist. Two concurrent callers both succeed: on PostgreSQL
// the second waits for the first's transaction and then finds the row.
func (s *Store) EnsureCycle(ctx context.Context, enteID, code string, start, end int) error {
	t := now()
	r := cycleRow{ID: newID(), EnteID: enteID, Code: code, StartYear: start, EndYear: end,
		State: string(domain.CycleOpen), Version: 1, CreatedAt: t, UpdatedAt: t, Granularity: string(domain.GranularityLeaf)}
	err := s.q(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "ente_id"}, {Name: "code"}}, DoNothing: true}).
		Create(&r).Error
	return wrap(err, "ensure cycle %q", code)
}

// SetCycleMapHash records which map a cycle now carries.
func (s *Store) SetCycleMapHash(ctx context.Context, enteID, cycleID, hash string) error {
	t := now()
	res := s.q(ctx).Model(&cycleRow{}).Where("ente_id = ? AND id = ?", enteID, cycleID).
		Updates(map[string]any{"map_hash": hash, "map_imported_at": t, "updated_at": t, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return wrap(res.Error, "update cycle map hash")
	}
	if res.RowsAffected != 1 {
		return domain.NotFound("cycle_not_found", "cycle not found")
	}
	return nil
}
