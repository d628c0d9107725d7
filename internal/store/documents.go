package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm/clause"
)

type renderedDocumentRow struct {
	EnteID        string `gorm:"primaryKey"`
	SnapshotHash  string `gorm:"primaryKey"`
	Name          string `gorm:"primaryKey"`
	Content       []byte
	ContentSha256 string `gorm:"column:content_sha256"`
	CreatedAt     time.Time
}

func (renderedDocumentRow) TableName() string { return "rendered_documents" }

// RenderedDocument returns the kept rendering of an adopted register's document; ok is false when there is
// none yet.
func (s *Store) RenderedDocument(ctx context.Context, enteID, snapshotHash, name string) (content []byte, ok bool, err error) {
	var r renderedDocumentRow
	res := s.q(ctx).Where("ente_id = ? AND snapshot_hash = ? AND name = ?", enteID, snapshotHash, name).Limit(1).Find(&r)
	if res.Error != nil {
		return nil, false, wrap(res.Error, "load rendered document")
	}
	return r.Content, res.RowsAffected == 1, nil
}

// KeepRenderedDocument stores the first rendering of a document and returns the one kept: when two requests
// render at once, the first stored wins and both serve it.
func (s *Store) KeepRenderedDocument(ctx context.Context, enteID, snapshotHash, name string, content []byte) ([]byte, error) {
	sum := sha256.Sum256(content)
	err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&renderedDocumentRow{EnteID: enteID, SnapshotHash: snapshotHash,
		Name: name, Content: content, ContentSha256: hex.EncodeToString(sum[:]), CreatedAt: now()}).Error
	if err != nil {
		return nil, wrap(err, "keep rendered document")
	}
	kept, _, err := s.RenderedDocument(ctx, enteID, snapshotHash, name)
	return kept, err
}
