package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/argine-pa/argine/internal/store"
)

// EvidenceReport is what CheckEvidence found.
type EvidenceReport struct {
	InDatabase, OnDisk int
	Problems           []string
}

// CheckEvidence checks every evidence row of every ente against its bytes: a file kept in the database must
// hash to the SHA-256 its row records, a file kept on disk must be in evidenceDir and hash to it too. After a
// pg_restore, a copy of the evidence folder or a restore, this says whether the two halves belong together.
func CheckEvidence(ctx context.Context, s *store.Store, evidenceDir string) (EvidenceReport, error) {
	var rep EvidenceReport
	err := s.EachEvidenceRecord(ctx, func(r store.EvidenceRecord) error {
		if r.Storage == "db" {
			rep.InDatabase++
			if r.DataSHA256 != r.SHA256 {
				rep.Problems = append(rep.Problems, fmt.Sprintf("evidence %s (in the database) does not match its recorded SHA-256", r.ID))
			}
			return nil
		}
		rep.OnDisk++
		if evidenceDir == "" {
			rep.Problems = append(rep.Problems, fmt.Sprintf("evidence %s is kept on disk but no evidence folder is set (ARGINE_EVIDENCE_DIR)", r.ID))
			return nil
		}
		sum, err := fileSHA256(filepath.Join(evidenceDir, r.ID))
		switch {
		case errors.Is(err, os.ErrNotExist):
			rep.Problems = append(rep.Problems, fmt.Sprintf("evidence %s is missing from %s", r.ID, evidenceDir))
		case err != nil:
			return err
		case sum != r.SHA256:
			rep.Problems = append(rep.Problems, fmt.Sprintf("evidence %s in %s does not match its recorded SHA-256", r.ID, evidenceDir))
		}
		return nil
	})
	return rep, err
}

func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }() // read-only
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
