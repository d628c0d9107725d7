package store

import (
	"context"
	"time"
)

// OIVNote is an audit note of the OIV.
type OIVNote struct {
	ID         string    `json:"id"`
	TargetKind string    `json:"target_kind"`
	Target     string    `json:"target"`
	Body       string    `json:"body"`
	AuthorID   string    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	CreatedAt  time.Time `json:"created_at"`
	// AuthorFullName is the author's full name as the ente knows it now (not stored with the note).
	AuthorFullName string `json:"author_full_name" gorm:"-"`
}

// AddOIVNote stores a note.
func (s *Store) AddOIVNote(ctx context.Context, enteID, cycleID string, n OIVNote) (OIVNote, error) {
	n.ID, n.CreatedAt = newID(), now()
	err := s.q(ctx).Table("oiv_notes").Create(map[string]any{"id": n.ID, "ente_id": enteID, "cycle_id": cycleID,
		"target_kind": n.TargetKind, "target": n.Target, "body": n.Body, "author_id": n.AuthorID,
		"author_name": n.AuthorName, "created_at": n.CreatedAt}).Error
	return n, wrap(err, "add OIV note")
}

// OIVNotes lists a cycle's notes, oldest first.
func (s *Store) OIVNotes(ctx context.Context, enteID, cycleID string) ([]OIVNote, error) {
	return s.OIVNotesOn(ctx, enteID, cycleID, "", "")
}

// OIVNotesOn lists a cycle's notes on one target (a kind alone: every note of that kind; both empty: all),
// oldest first.
func (s *Store) OIVNotesOn(ctx context.Context, enteID, cycleID, kind, target string) ([]OIVNote, error) {
	out := []OIVNote{}
	q := s.q(ctx).Table("oiv_notes").Select("id, target_kind, target, body, author_id, author_name, created_at").
		Where("ente_id = ? AND cycle_id = ?", enteID, cycleID)
	if kind != "" {
		q = q.Where("target_kind = ?", kind)
	}
	if target != "" {
		q = q.Where("target = ?", target)
	}
	err := q.Order("created_at, id").Scan(&out).Error
	return out, wrap(err, "list OIV notes")
}

// MeasureExists reports whether a measure id belongs to the cycle.
func (s *Store) MeasureExists(ctx context.Context, enteID, cycleID, id string) (bool, error) {
	var n int64
	err := s.q(ctx).Table("measures").Where("ente_id = ? AND cycle_id = ? AND id = ?", enteID, cycleID, id).Count(&n).Error
	return n > 0, wrap(err, "check measure")
}
