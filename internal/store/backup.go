package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

// EvidenceRecord is one evidence file as the backup and its consistency check see it, across every ente.
type EvidenceRecord struct {
	ID, EnteID, Storage, SHA256 string
	Size                        int64
	// DataSHA256 is the SHA-256 of the bytes kept in the database (storage "db"), computed by the query's
	// reader; empty for files kept on disk.
	DataSHA256 string
}

// EachEvidenceRecord calls fn for every evidence row of every ente, one row in memory at a time (the bytes of
// files kept in the database are hashed and dropped). A platform-level read for backups: no ente scope.
func (s *Store) EachEvidenceRecord(ctx context.Context, fn func(EvidenceRecord) error) error {
	rows, err := s.q(ctx).Model(&evidenceRow{}).Select("id, ente_id, storage, sha256, size").Order("id").Rows()
	if err != nil {
		return wrap(err, "list evidence")
	}
	var recs []EvidenceRecord
	for rows.Next() {
		var r EvidenceRecord
		if err := rows.Scan(&r.ID, &r.EnteID, &r.Storage, &r.SHA256, &r.Size); err != nil {
			_ = rows.Close() // the scan error is the one worth reporting
			return wrap(err, "list evidence")
		}
		recs = append(recs, r)
	}
	if err := rows.Close(); err != nil {
		return wrap(err, "list evidence")
	}
	if err := rows.Err(); err != nil {
		return wrap(err, "list evidence")
	}
	for _, r := range recs {
		if r.Storage == "db" {
			var data []byte
			if err := s.q(ctx).Model(&evidenceRow{}).Where("id = ?", r.ID).Select("data").Row().Scan(&data); err != nil {
				return wrap(err, "read evidence")
			}
			sum := sha256.Sum256(data)
			r.DataSHA256 = hex.EncodeToString(sum[:])
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// AuditRecordCount counts the audit records of every ente (for the metrics; records are never deleted).
func (s *Store) AuditRecordCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Table("audit_log").Count(&n).Error
	return n, wrap(err, "count audit records")
}
