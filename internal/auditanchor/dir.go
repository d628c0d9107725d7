package auditanchor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"
)

// Dir is the folder where the server keeps its checkpoints, one sub-folder per ente (named by the ente's id):
// every checkpoint written, as SEQ-TIME.json, and latest.json, the one with the highest sequence. It lives
// outside the database on purpose: put it on storage the database's users cannot write (another volume, a
// WORM bucket mount, a backed-up share).
type Dir struct {
	Path string
	mu   sync.Mutex // one writer at a time inside this process; latest.json only moves forward anyway
}

// LatestName is the file holding an ente's most recent checkpoint.
const LatestName = "latest.json"

var safeID = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

func (d *Dir) enteDir(enteID string) (string, error) {
	if !safeID.MatchString(enteID) {
		return "", fmt.Errorf("auditanchor: unexpected ente id %q", enteID)
	}
	return filepath.Join(d.Path, enteID), nil
}

// Write stores a signed checkpoint and makes it the ente's latest unless the latest already covers a longer
// chain (another instance got there first). Files are written to a temporary name and renamed, so a reader
// never sees half a checkpoint.
func (d *Dir) Write(c Checkpoint) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dir, err := d.enteDir(c.EnteID)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("auditanchor: %w", err)
	}
	stamp, _ := time.Parse(time.RFC3339, c.CreatedAt)
	name := filepath.Join(dir, fmt.Sprintf("%012d-%s.json", c.HeadSeq, stamp.UTC().Format("20060102T150405Z")))
	if err := writeAtomic(name, c.Marshal()); err != nil {
		return "", err
	}
	prev, err := d.latestRaw(c.EnteID)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err == nil && prev.HeadSeq > c.HeadSeq {
		return name, nil
	}
	return name, writeAtomic(filepath.Join(dir, LatestName), c.Marshal())
}

func writeAtomic(name string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return fmt.Errorf("auditanchor: %w", err)
	}
	// After a successful rename the name is gone and this removal fails harmlessly; after a failure it removes
	// the half-written file, and there is nothing more to do if even that fails.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("auditanchor: %w", errors.Join(err, tmp.Close()))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("auditanchor: %w", errors.Join(err, tmp.Close()))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("auditanchor: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return fmt.Errorf("auditanchor: %w", err)
	}
	return os.Rename(tmp.Name(), name)
}

func (d *Dir) latestRaw(enteID string) (Checkpoint, error) {
	dir, err := d.enteDir(enteID)
	if err != nil {
		return Checkpoint{}, err
	}
	b, err := readBounded(filepath.Join(dir, LatestName))
	if err != nil {
		return Checkpoint{}, err
	}
	return Parse(b)
}

// Latest returns the ente's most recent checkpoint and its file's bytes; fs.ErrNotExist when there is none.
// The caller verifies the signature.
func (d *Dir) Latest(enteID string) (Checkpoint, []byte, error) {
	dir, err := d.enteDir(enteID)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	b, err := readBounded(filepath.Join(dir, LatestName))
	if err != nil {
		return Checkpoint{}, nil, err
	}
	c, err := Parse(b)
	return c, b, err
}

// ReadFile reads a checkpoint file, bounded in size.
func ReadFile(name string) (Checkpoint, error) {
	b, err := readBounded(name)
	if err != nil {
		return Checkpoint{}, err
	}
	c, err := Parse(b)
	if err != nil {
		return c, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

func readBounded(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	// Read-only: closing cannot lose anything.
	defer func() { _ = f.Close() }()
	return io.ReadAll(io.LimitReader(f, MaxFileBytes+1)) // Parse refuses anything longer
}

// RunDaily calls fn now and then every interval until ctx ends: the server's daily checkpoint of every ente.
// fn's failures are its own to log; the ticker keeps going.
func RunDaily(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	fn(ctx)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}
