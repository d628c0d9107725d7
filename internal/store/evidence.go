package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

// Evidence describes a stored evidence file.
type Evidence struct {
	ID          string    `json:"id"`
	RoundID     string    `json:"-"`
	MeasureID   string    `json:"measure_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Storage     string    `json:"storage"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

type evidenceRow struct {
	ID, EnteID, RoundID, MeasureID, Name, ContentType, Sha256, Storage, UploadedBy string
	Size                                                                           int64
	Data                                                                           []byte
	UploadedAt                                                                     time.Time
}

func (evidenceRow) TableName() string { return "evidence_files" }

// NewEvidenceID returns the id a new file will have (disk storage names the file after it before the row
// exists).
func NewEvidenceID() string { return newID() }

// AddEvidence stores the row of a file (with its bytes when kept in the database); the same content twice for
// a measure in a round is a conflict.
func (s *Store) AddEvidence(ctx context.Context, enteID string, e Evidence, data []byte) error {
	r := evidenceRow{ID: e.ID, EnteID: enteID, RoundID: e.RoundID, MeasureID: e.MeasureID, Name: e.Name,
		ContentType: e.ContentType, Size: e.Size, Sha256: e.SHA256, Storage: e.Storage, UploadedBy: e.UploadedBy,
		UploadedAt: e.UploadedAt, Data: data}
	err := s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return domain.Conflict("evidence_duplicate", "the same file is already attached to this measure in this round")
	}
	return wrap(err, "store evidence")
}

// EvidenceByID loads a file's row and, for database storage, its bytes.
func (s *Store) EvidenceByID(ctx context.Context, enteID, id string, withData bool) (Evidence, []byte, error) {
	var r evidenceRow
	q := s.q(ctx).Where("ente_id = ? AND id = ?", enteID, id)
	if !withData {
		q = q.Omit("data")
	}
	res := q.Limit(1).Find(&r)
	if res.Error != nil {
		return Evidence{}, nil, wrap(res.Error, "load evidence")
	}
	if res.RowsAffected == 0 {
		return Evidence{}, nil, domain.NotFound("evidence_not_found", "no such file")
	}
	return Evidence{ID: r.ID, RoundID: r.RoundID, MeasureID: r.MeasureID, Name: r.Name, ContentType: r.ContentType,
		Size: r.Size, SHA256: r.Sha256, Storage: r.Storage, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt}, r.Data, nil
}

// EvidenceOfRound lists the files of every measure of a round (without their bytes), by measure, in upload
// order: one statement whatever the number of measures.
func (s *Store) EvidenceOfRound(ctx context.Context, enteID, roundID string) (map[string][]Evidence, error) {
	var rows []evidenceRow
	if err := s.q(ctx).Omit("data").Where("ente_id = ? AND round_id = ?", enteID, roundID).
		Order("uploaded_at, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list evidence of the round")
	}
	out := map[string][]Evidence{}
	for _, r := range rows {
		out[r.MeasureID] = append(out[r.MeasureID], Evidence{ID: r.ID, RoundID: r.RoundID, MeasureID: r.MeasureID, Name: r.Name,
			ContentType: r.ContentType, Size: r.Size, SHA256: r.Sha256, Storage: r.Storage, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt})
	}
	return out, nil
}

// DeleteEvidence removes a file's row.
func (s *Store) DeleteEvidence(ctx context.Context, enteID, id string) error {
	return wrap(s.q(ctx).Where("ente_id = ? AND id = ?", enteID, id).Delete(&evidenceRow{}).Error, "delete evidence")
}

// RoundByID loads a round by id.
func (s *Store) RoundByID(ctx context.Context, enteID, id string) (Round, error) {
	var r roundRow
	res := s.q(ctx).Where("ente_id = ? AND id = ?", enteID, id).Limit(1).Find(&r)
	if res.Error != nil {
		return Round{}, wrap(res.Error, "load round")
	}
	if res.RowsAffected == 0 {
		return Round{}, domain.NotFound("round_not_found", "no such round")
	}
	return r.domain(), nil
}

// MeasureUnit returns the responsible unit of a measure, and whether it was withdrawn from its assessment.
func (s *Store) MeasureUnit(ctx context.Context, enteID, measureID string) (string, bool, error) {
	var rows []struct {
		UnitCode    string
		WithdrawnAt *time.Time
	}
	if err := s.q(ctx).Table("measures").Select("unit_code, withdrawn_at").Where("ente_id = ? AND id = ?", enteID, measureID).
		Scan(&rows).Error; err != nil {
		return "", false, wrap(err, "load measure unit")
	}
	if len(rows) == 0 {
		return "", false, domain.NotFound("measure_not_found", "no such measure")
	}
	return rows[0].UnitCode, rows[0].WithdrawnAt != nil, nil
}
