package store

import (
	"context"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
)

type auditRow struct {
	ID         int64 `gorm:"primaryKey;autoIncrement"`
	EnteID     string
	Seq        int64
	At         string
	ActorID    string
	ActorName  string
	ClientAddr string
	RequestID  string
	Entity     string
	EntityID   string
	Action     string
	Before     string
	After      string
	PrevHash   string
	Hash       string
}

func (auditRow) TableName() string { return "audit_log" }

type auditHeadRow struct {
	EnteID string
	Seq    int64
	Hash   string
}

func (auditHeadRow) TableName() string { return "audit_heads" }

// AppendAudit adds a record to the ente's chain; call it in the transaction of the change it records, so a
// change cannot exist without its record. It fills Seq, PrevHash and Hash.
func (s *Store) AppendAudit(ctx context.Context, r *domain.AuditRecord) error {
	// Lock the head; an ente's first record creates it first (then locks it). Three statements per record
	// once the head exists: lock, append, move.
	var head auditHeadRow
	res := s.forUpdate(s.q(ctx)).Where("ente_id = ?", r.EnteID).Limit(1).Find(&head)
	if res.Error != nil {
		return wrap(res.Error, "lock audit head")
	}
	if res.RowsAffected == 0 {
		if err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&auditHeadRow{EnteID: r.EnteID}).Error; err != nil {
			return wrap(err, "create audit head")
		}
		if err := s.forUpdate(s.q(ctx)).Where("ente_id = ?", r.EnteID).Take(&head).Error; err != nil {
			return wrap(err, "lock audit head")
		}
	}
	r.Seq, r.PrevHash = head.Seq+1, head.Hash
	r.Hash = r.ComputeHash()
	row := auditRow{EnteID: r.EnteID, Seq: r.Seq, At: r.At, ActorID: r.ActorID, ActorName: r.ActorName,
		ClientAddr: r.ClientAddr, RequestID: r.RequestID, Entity: r.Entity, EntityID: r.EntityID, Action: r.Action,
		Before: r.Before, After: r.After, PrevHash: r.PrevHash, Hash: r.Hash}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "append audit record")
	}
	return wrap(s.q(ctx).Model(&auditHeadRow{}).Where("ente_id = ?", r.EnteID).
		Updates(map[string]any{"seq": r.Seq, "hash": r.Hash}).Error, "move audit head")
}

// AuditHead returns the sequence and hash of the ente's last record (0, "" when none).
func (s *Store) AuditHead(ctx context.Context, enteID string) (int64, string, error) {
	var head auditHeadRow
	res := s.q(ctx).Where("ente_id = ?", enteID).Limit(1).Find(&head)
	return head.Seq, head.Hash, wrap(res.Error, "load audit head")
}

func (r auditRow) domain() domain.AuditRecord {
	return domain.AuditRecord{EnteID: r.EnteID, Seq: r.Seq, At: r.At, ActorID: r.ActorID, ActorName: r.ActorName,
		ClientAddr: r.ClientAddr, RequestID: r.RequestID, Entity: r.Entity, EntityID: r.EntityID, Action: r.Action,
		Before: r.Before, After: r.After, PrevHash: r.PrevHash, Hash: r.Hash}
}

// AuditFilter selects records of the trail.
type AuditFilter struct {
	Entity, EntityID, ActorID, Action string
	From, To                          string // AuditTimeLayout prefixes, inclusive
	AfterSeq                          int64  // only records after this one
	// Leaf keeps the records about one leaf of the map (entity ids "<cycle>/<leaf>", in any cycle).
	Leaf string
	// HideSessions leaves out sign-ins, refreshes and sign-outs (entity "session"): the audit page's default.
	HideSessions bool
}

func (s *Store) auditScope(ctx context.Context, enteID string, f AuditFilter) *gorm.DB {
	q := s.q(ctx).Table("audit_log").Where("ente_id = ?", enteID)
	for col, v := range map[string]string{"entity": f.Entity, "entity_id": f.EntityID, "actor_id": f.ActorID, "action": f.Action} {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	if f.AfterSeq > 0 {
		q = q.Where("seq > ?", f.AfterSeq)
	}
	if f.Leaf != "" {
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)
		if s.dialect == database.Postgres {
			// The same suffix match said as a prefix match of the reversed id, which the index
			// audit_log_leaf (ente_id, reverse(entity_id) text_pattern_ops) of migration 00036 serves.
			q = q.Where(`(entity_id = ? OR reverse(entity_id) LIKE ? ESCAPE '\')`, f.Leaf, esc.Replace(reverseString(f.Leaf))+"/%")
		} else {
			q = q.Where(`(entity_id = ? OR entity_id LIKE ? ESCAPE '\')`, f.Leaf, "%/"+esc.Replace(f.Leaf))
		}
	}
	if f.HideSessions {
		q = q.Where("entity <> ?", "session")
	}
	if f.From != "" {
		q = q.Where("at >= ?", f.From)
	}
	if f.To != "" {
		// A date alone covers the whole day.
		to := f.To
		if len(to) == len("2006-01-02") {
			to += "T23:59:59.999999Z"
		}
		q = q.Where("at <= ?", to)
	}
	return q
}

// StreamAudit calls fn for each record of the ente matching f, in sequence order, reading row by row so
// memory stays bounded whatever the trail's length.
func (s *Store) StreamAudit(ctx context.Context, enteID string, f AuditFilter, fn func(domain.AuditRecord) error) error {
	rows, err := s.auditScope(ctx, enteID, f).Order("seq").Rows()
	if err != nil {
		return wrap(err, "read audit trail")
	}
	defer rows.Close()
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.ID, &r.EnteID, &r.Seq, &r.At, &r.ActorID, &r.ActorName, &r.ClientAddr, &r.RequestID,
			&r.Entity, &r.EntityID, &r.Action, &r.Before, &r.After, &r.PrevHash, &r.Hash); err != nil {
			return wrap(err, "scan audit record")
		}
		if err := fn(r.domain()); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "read audit trail")
}

// AuditPage returns one page of the ente's records matching f, newest first, and the total.
func (s *Store) AuditPage(ctx context.Context, enteID string, f AuditFilter, page, size int) ([]domain.AuditRecord, int64, error) {
	var total int64
	if err := s.auditScope(ctx, enteID, f).Count(&total).Error; err != nil {
		return nil, 0, wrap(err, "count audit trail")
	}
	var rows []auditRow
	if err := s.auditScope(ctx, enteID, f).Order("seq DESC").Offset((page - 1) * size).Limit(size).Find(&rows).Error; err != nil {
		return nil, 0, wrap(err, "read audit trail")
	}
	out := make([]domain.AuditRecord, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, total, nil
}

// AuditEntes lists the entes that have a trail.
func (s *Store) AuditEntes(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.q(ctx).Table("audit_heads").Order("ente_id").Pluck("ente_id", &ids).Error
	return ids, wrap(err, "list audit heads")
}

// SnapshotAuditHead is the audit head an adopted snapshot froze.
type SnapshotAuditHead struct {
	Cycle string
	Seq   int64
	Hash  string
}

// SnapshotAuditHeads lists the audit heads frozen by the ente's adopted snapshots, oldest first: anchors the
// chain must still hold.
func (s *Store) SnapshotAuditHeads(ctx context.Context, enteID string) ([]SnapshotAuditHead, error) {
	var out []SnapshotAuditHead
	err := s.q(ctx).Table("cycle_snapshots s").Select("c.code AS cycle, s.audit_head_seq AS seq, s.audit_head_hash AS hash").
		Joins("JOIN cycles c ON c.id = s.cycle_id AND c.ente_id = s.ente_id").
		Where("s.ente_id = ?", enteID).Order("s.audit_head_seq").Scan(&out).Error
	return out, wrap(err, "list snapshot audit heads")
}

// EnteCodeByID returns an ente's code; a missing ente is domain.ErrNotFound.
func (s *Store) EnteCodeByID(ctx context.Context, enteID string) (string, error) {
	var codes []string
	if err := s.q(ctx).Table("entes").Where("id = ?", enteID).Limit(1).Pluck("code", &codes).Error; err != nil {
		return "", wrap(err, "load ente")
	}
	if len(codes) == 0 {
		return "", domain.NotFound("ente_not_found", "ente %s not found", enteID)
	}
	return codes[0], nil
}

// reverseString reverses s by characters, as PostgreSQL's reverse() does.
func reverseString(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
