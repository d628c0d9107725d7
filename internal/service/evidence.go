package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// EvidenceConfig says where evidence files go and how large they may be.
type EvidenceConfig struct {
	Dir      string // "" keeps files in the database
	MaxBytes int64
}

// DefaultEvidenceMaxBytes is 20 MB.
const DefaultEvidenceMaxBytes = 20 << 20

// Evidence manages the evidence files of the monitoring.
type Evidence struct {
	store *store.Store
	authz *authz.Authorizer
	mon   *Monitoring
	cfg   EvidenceConfig
}

// NewEvidence builds the evidence service.
func NewEvidence(s *store.Store, az *authz.Authorizer, mon *Monitoring, cfg EvidenceConfig) *Evidence {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultEvidenceMaxBytes
	}
	return &Evidence{store: s, authz: az, mon: mon, cfg: cfg}
}

// Upload attaches a file to a measure's self-assessment in an open round. The whole body is read (up to the
// limit) before anything is stored, its type is detected from its bytes, and the row and the file are written
// together: a failed or truncated upload leaves nothing behind.
func (e *Evidence) Upload(ctx context.Context, actor domain.Actor, cycleCode, date, measureID, name string, body io.Reader) (store.Evidence, error) {
	cycle, err := e.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return store.Evidence{}, err
	}
	cm, err := e.mon.measure(ctx, actor, cycle, measureID)
	if err != nil {
		return store.Evidence{}, err
	}
	if !e.authz.Can(actor, authz.ObjMeasure, authz.ActWrite, cm.Unit) {
		return store.Evidence{}, domain.Forbidden("forbidden", "only the measure's unit attaches evidence")
	}
	cleanName, badName := domain.CleanEvidenceName(name)
	if badName != nil {
		return store.Evidence{}, &domain.ValidationError{Code: "evidence_invalid", Problems: []domain.FieldError{*badName}}
	}
	data, err := io.ReadAll(io.LimitReader(body, e.cfg.MaxBytes+1))
	if err != nil {
		return store.Evidence{}, domain.Invalid("upload_incomplete", "the upload did not complete: nothing was stored")
	}
	if int64(len(data)) > e.cfg.MaxBytes {
		return store.Evidence{}, &domain.Error{Kind: domain.ErrTooLarge, Code: "file_too_large",
			Message: fmt.Sprintf("the file is larger than %d MB", e.cfg.MaxBytes>>20)}
	}
	if len(data) == 0 {
		return store.Evidence{}, &domain.ValidationError{Code: "evidence_invalid", Problems: []domain.FieldError{{Field: "file", Code: "file_empty", Message: "the file is empty"}}}
	}
	ctype, ok := domain.DetectEvidenceType(data)
	if !ok {
		return store.Evidence{}, &domain.ValidationError{Code: "evidence_invalid", Problems: []domain.FieldError{{Field: "file", Code: "file_type_refused",
			Message: "accepted: PDF, images, office documents, ODF, plain text, CSV; this file is " + ctype}}}
	}
	sum := sha256.Sum256(data)
	ev := store.Evidence{ID: store.NewEvidenceID(), MeasureID: measureID, Name: cleanName, ContentType: ctype,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: actor.UserID, Storage: "db",
		UploadedAt: time.Now().UTC().Truncate(time.Microsecond)}
	var path string
	err = e.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := openRound(ctx, tx, actor.EnteID, cycle, date)
		if err != nil {
			return err
		}
		ev.RoundID = round.ID
		stored := data
		if e.cfg.Dir != "" {
			ev.Storage, stored = "disk", nil
			if path, err = e.writeFile(ev.ID, data); err != nil {
				return err
			}
		}
		if err := tx.AddEvidence(ctx, actor.EnteID, ev, stored); err != nil {
			return err
		}
		return record(ctx, tx, actor, "evidence", ev.ID, "upload", nil, ev)
	})
	if err != nil && path != "" {
		// The row was not written: the file must not stay either. errors.Join keeps the cause visible to
		// errors.Is/As (the HTTP mapping) and adds the removal's failure, if any, for the log.
		err = errors.Join(err, os.Remove(path))
	}
	return ev, err
}

// writeFile writes a new file under its id (never an existing one), through a temporary file and a rename.
func (e *Evidence) writeFile(id string, data []byte) (string, error) {
	if err := os.MkdirAll(e.cfg.Dir, 0o750); err != nil {
		return "", err
	}
	path := filepath.Join(e.cfg.Dir, id)
	if _, err := os.Stat(path); err == nil {
		return "", fmt.Errorf("evidence: %s exists already", path)
	}
	tmp, err := os.CreateTemp(e.cfg.Dir, ".upload-*")
	if err != nil {
		return "", err
	}
	if _, err := tmp.Write(data); err != nil {
		return "", errors.Join(err, tmp.Close(), os.Remove(tmp.Name()))
	}
	if err := tmp.Close(); err != nil {
		return "", errors.Join(err, os.Remove(tmp.Name()))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", errors.Join(err, os.Remove(tmp.Name()))
	}
	return path, nil
}

// Download returns a file to who may read the measure.
func (e *Evidence) Download(ctx context.Context, actor domain.Actor, id string) (store.Evidence, []byte, error) {
	if !e.authz.Can(actor, authz.ObjMeasure, authz.ActRead) {
		return store.Evidence{}, nil, domain.Forbidden("forbidden", "your role does not allow reading the measures")
	}
	ev, data, err := e.store.EvidenceByID(ctx, actor.EnteID, id, true)
	if err != nil {
		return ev, nil, err
	}
	// Served as what Argine detected, under a clean name, whatever older rows recorded.
	ev.ContentType = domain.ServedEvidenceType(ev.ContentType)
	if name, bad := domain.CleanEvidenceName(ev.Name); bad == nil {
		ev.Name = name
	} else {
		ev.Name = "allegato.bin" // a stored name with a dangerous extension is never offered as such
	}
	if ev.Storage == "disk" {
		if data, err = os.ReadFile(filepath.Join(e.cfg.Dir, ev.ID)); err != nil {
			return ev, nil, fmt.Errorf("evidence: %s unreadable: %w", ev.ID, err)
		}
	}
	return ev, data, nil
}

// Remove deletes a file while its round is open; a closed round's evidence stays for good.
func (e *Evidence) Remove(ctx context.Context, actor domain.Actor, id string) error {
	ev, _, err := e.store.EvidenceByID(ctx, actor.EnteID, id, false)
	if err != nil {
		return err
	}
	round, err := e.store.RoundByID(ctx, actor.EnteID, ev.RoundID)
	if err != nil {
		return err
	}
	if round.State != "open" {
		return domain.Conflict("round_closed", "the round is closed: its evidence cannot be removed")
	}
	cycleMeasures, withdrawn, err := e.store.MeasureUnit(ctx, actor.EnteID, ev.MeasureID)
	if err != nil {
		return err
	}
	if !e.authz.Can(actor, authz.ObjMeasure, authz.ActWrite, cycleMeasures) {
		return domain.Forbidden("forbidden", "only the measure's unit removes its evidence")
	}
	if withdrawn {
		// What was recorded about a withdrawn measure is its history: it stays.
		return domain.Conflict("measure_withdrawn", "the measure was withdrawn: its evidence stays")
	}
	return e.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteEvidence(ctx, actor.EnteID, id); err != nil {
			return err
		}
		if err := record(ctx, tx, actor, "evidence", id, "remove", ev, nil); err != nil {
			return err
		}
		if ev.Storage == "disk" {
			if err := os.Remove(filepath.Join(e.cfg.Dir, ev.ID)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		return nil
	})
}

// CheckWritable proves uploads can be stored: with a folder configured, it creates the folder if needed and
// writes and removes a temporary file there (a full disk, a read-only mount or wrong ownership fail here,
// in the readiness probe, rather than in a user's upload). With files kept in the database there is nothing
// to check beyond the database itself.
func (e *Evidence) CheckWritable() error {
	if e.cfg.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(e.cfg.Dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(e.cfg.Dir, ".ready-*")
	if err != nil {
		return err
	}
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	rerr := os.Remove(f.Name())
	return errors.Join(werr, cerr, rerr)
}
