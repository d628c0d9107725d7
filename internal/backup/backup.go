// Package backup owns Argine's backup archive: a gzip-compressed tar holding an online copy of the SQLite
// database, the evidence files kept on disk and the signed audit checkpoints, closed by a manifest that lists
// every file with its size and SHA-256. It writes the archive, restores it into a fresh folder (verifying
// every checksum before anything is put in place) and checks that a database and its evidence folder agree.
// PostgreSQL is backed up with pg_dump (docs/production.md); the consistency check works on both.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/store"
)

// Format names the archive layout; Restore refuses any other.
const Format = "argine-backup/1"

// Names inside the archive (and inside a restored folder).
const (
	DatabaseFile   = "argine.db"
	EvidenceDir    = "evidence"
	CheckpointsDir = "checkpoints"
	ManifestFile   = "manifest.json"
)

// File is one entry of the manifest.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest describes an archive; it is its last entry, written once every file's checksum is known.
type Manifest struct {
	Format           string    `json:"format"`
	CreatedAt        time.Time `json:"created_at"`
	ArgineVersion    string    `json:"argine_version"`
	Dialect          string    `json:"dialect"`
	MigrationVersion int64     `json:"migration_version"`
	EvidenceFiles    int       `json:"evidence_files"`
	Files            []File    `json:"files"`
	// Problems are what the backup could not include as it should (an evidence file missing or altered on
	// disk): the archive is written all the same, since a partial backup beats none, and the command fails.
	Problems []string `json:"problems,omitempty"`
}

// Options say where the files outside the database are.
type Options struct {
	EvidenceDir   string // ARGINE_EVIDENCE_DIR; "" when every file is kept in the database
	CheckpointDir string // ARGINE_AUDIT_CHECKPOINT_DIR; "" for none
	Version       string // the argine version writing the archive
	Now           func() time.Time
}

// Create writes the archive of a SQLite installation to w. The database is copied online (VACUUM INTO, one
// consistent snapshot while the server keeps serving); the evidence files included are those the copy refers
// to, each checked against the SHA-256 its row records.
func Create(ctx context.Context, db *database.DB, opts Options, w io.Writer) (Manifest, error) {
	if db.Dialect != database.SQLite {
		return Manifest{}, errors.New("backup: this archive is for SQLite; on PostgreSQL back up with pg_dump and copy " +
			"the evidence folder (docs/production.md), and check with argine backup --check")
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	tmp, err := os.MkdirTemp("", "argine-backup-")
	if err != nil {
		return Manifest{}, err
	}
	defer func() { _ = os.RemoveAll(tmp) }() // a temporary copy: nothing to keep
	copyPath := filepath.Join(tmp, DatabaseFile)
	if err := db.VacuumInto(ctx, copyPath); err != nil {
		return Manifest{}, err
	}
	m := Manifest{Format: Format, CreatedAt: now().UTC().Truncate(time.Second), ArgineVersion: opts.Version,
		Dialect: string(database.SQLite)}

	// What the copy refers to, read from the copy itself: a file uploaded after the snapshot is not in it,
	// one removed after it still is.
	var records []store.EvidenceRecord
	err = func() error {
		snap, err := database.Open(ctx, database.Target{Dialect: database.SQLite, DSN: copyPath + "?_pragma=query_only(1)"}, database.Options{})
		if err != nil {
			return err
		}
		defer func() { _ = snap.Close() }() // read-only
		mig, err := snap.NewMigrator()
		if err != nil {
			return err
		}
		if m.MigrationVersion, err = mig.DBVersion(ctx); err != nil {
			return err
		}
		return store.New(snap).EachEvidenceRecord(ctx, func(r store.EvidenceRecord) error {
			if r.Storage == "disk" {
				records = append(records, r)
			}
			return nil
		})
	}()
	if err != nil {
		return Manifest{}, err
	}

	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	if err := addFile(tw, &m, DatabaseFile, copyPath, ""); err != nil {
		return m, err
	}
	for _, r := range records {
		if opts.EvidenceDir == "" {
			m.Problems = append(m.Problems, fmt.Sprintf("evidence %s is kept on disk but no evidence folder is set (ARGINE_EVIDENCE_DIR)", r.ID))
			continue
		}
		err := addFile(tw, &m, path.Join(EvidenceDir, r.ID), filepath.Join(opts.EvidenceDir, r.ID), r.SHA256)
		var p problem
		switch {
		case errors.As(err, &p):
			m.Problems = append(m.Problems, string(p))
		case err != nil:
			return m, err
		default:
			m.EvidenceFiles++
		}
	}
	if opts.CheckpointDir != "" {
		entries, err := os.ReadDir(opts.CheckpointDir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return m, err
		}
		for _, e := range entries {
			if e.Type().IsRegular() && validName(e.Name()) {
				if err := addFile(tw, &m, path.Join(CheckpointsDir, e.Name()), filepath.Join(opts.CheckpointDir, e.Name()), ""); err != nil {
					return m, err
				}
			}
		}
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestFile, Mode: 0o644, Size: int64(len(body)), ModTime: m.CreatedAt,
		Typeflag: tar.TypeReg}); err != nil {
		return m, err
	}
	if _, err := tw.Write(body); err != nil {
		return m, err
	}
	if err := tw.Close(); err != nil {
		return m, err
	}
	return m, gz.Close()
}

// problem is a file the backup could not include as it should; Create records it and carries on.
type problem string

func (p problem) Error() string { return string(p) }

// addFile copies one file into the archive, hashing it on the way; want, when given, is the SHA-256 the file
// must have (an evidence file's row). A missing or altered file is a problem, not an error.
func addFile(tw *tar.Writer, m *Manifest, name, src, want string) error {
	data, err := os.ReadFile(src)
	if errors.Is(err, os.ErrNotExist) && want != "" {
		return problem(fmt.Sprintf("evidence file %s is missing", src))
	}
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	if want != "" && got != want {
		return problem(fmt.Sprintf("evidence file %s does not match its recorded SHA-256 (altered or damaged): not included", src))
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o640, Size: int64(len(data)), ModTime: m.CreatedAt,
		Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	if _, err := tw.Write(data); err != nil {
		return err
	}
	m.Files = append(m.Files, File{Path: name, Size: int64(len(data)), SHA256: got})
	return nil
}

// validName accepts the file names Argine writes (ids, ente codes, timestamps): nothing that could climb out
// of a folder.
func validName(n string) bool {
	if n == "" || n == "." || n == ".." || strings.HasPrefix(n, ".") || len(n) > 200 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// allowedPath reports whether an archive entry is one Restore may write: the database, the manifest, or a
// plain file directly inside the evidence or checkpoints folder.
func allowedPath(name string) bool {
	switch name {
	case DatabaseFile, ManifestFile:
		return true
	}
	dir, file := path.Split(name)
	return (dir == EvidenceDir+"/" || dir == CheckpointsDir+"/") && validName(file)
}

// maxEntryBytes bounds one archive entry on restore (a damaged or hostile archive cannot fill the disk
// through a single header).
const maxEntryBytes = 64 << 30

// Restore unpacks an archive into dir, which must not exist yet: it is built beside dir under a temporary
// name, every file is checked against the manifest (present, same size and SHA-256, nothing extra), and only
// then renamed into place. A damaged archive leaves nothing behind.
func Restore(r io.Reader, dir string) (Manifest, error) {
	var m Manifest
	dir = filepath.Clean(dir)
	if _, err := os.Stat(dir); err == nil {
		return m, fmt.Errorf("restore: %s exists: restore into a new folder (nothing is overwritten)", dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return m, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
		return m, err
	}
	staging, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".restoring-")
	if err != nil {
		return m, err
	}
	keep := false
	defer func() {
		if !keep {
			_ = os.RemoveAll(staging) // a failed restore leaves nothing behind
		}
	}()
	gz, err := gzip.NewReader(r)
	if err != nil {
		return m, fmt.Errorf("restore: not an Argine backup (gzip): %w", err)
	}
	tr := tar.NewReader(gz)
	got := map[string]File{}
	var manifest []byte
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("restore: damaged archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg || !allowedPath(h.Name) || h.Size < 0 || h.Size > maxEntryBytes {
			return m, fmt.Errorf("restore: unexpected entry %q in the archive", h.Name)
		}
		if _, dup := got[h.Name]; dup || (h.Name == ManifestFile && manifest != nil) {
			return m, fmt.Errorf("restore: entry %q appears twice", h.Name)
		}
		if h.Name == ManifestFile {
			if manifest, err = io.ReadAll(io.LimitReader(tr, 64<<20)); err != nil {
				return m, fmt.Errorf("restore: damaged archive: %w", err)
			}
			continue
		}
		dst := filepath.Join(staging, filepath.FromSlash(h.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return m, err
		}
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if err != nil {
			return m, err
		}
		hash := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, hash), io.LimitReader(tr, h.Size))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return m, fmt.Errorf("restore: %s: %w", h.Name, err)
		}
		got[h.Name] = File{Path: h.Name, Size: n, SHA256: hex.EncodeToString(hash.Sum(nil))}
	}
	if manifest == nil {
		return m, errors.New("restore: the archive has no manifest (cut short?)")
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return m, fmt.Errorf("restore: unreadable manifest: %w", err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("restore: archive format %q, this argine reads %q", m.Format, Format)
	}
	if err := m.verify(got); err != nil {
		return m, err
	}
	if err := os.WriteFile(filepath.Join(staging, ManifestFile), manifest, 0o640); err != nil {
		return m, err
	}
	if err := os.Rename(staging, dir); err != nil {
		return m, err
	}
	keep = true
	return m, nil
}

// verify compares the files unpacked with the manifest: every listed file present with its size and hash,
// nothing unlisted, and the database among them.
func (m Manifest) verify(got map[string]File) error {
	var problems []string
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
		g, ok := got[f.Path]
		switch {
		case !ok:
			problems = append(problems, f.Path+" is listed in the manifest but missing from the archive")
		case g.Size != f.Size || g.SHA256 != f.SHA256:
			problems = append(problems, f.Path+" does not match its checksum in the manifest")
		}
	}
	for name := range got {
		if !listed[name] {
			problems = append(problems, name+" is in the archive but not in the manifest")
		}
	}
	if !listed[DatabaseFile] {
		problems = append(problems, "the archive holds no database")
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("restore: the archive does not verify, nothing was restored:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}
