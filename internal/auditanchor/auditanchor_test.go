package auditanchor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const enteID = "01a239e9-e900-76a6-981d-342b94f68b37"

func signed(t *testing.T, s *Signer, seq int64) Checkpoint {
	t.Helper()
	c := New(enteID, "ente-a", seq, strings.Repeat("ab", 32), "v1.0.0", time.Date(2027, 1, 28, 10, 0, 0, 0, time.UTC))
	s.Sign(&c)
	return c
}

func TestSignAndVerify(t *testing.T) {
	s, _ := GenerateKey()
	c := signed(t, s, 42)
	back, err := Parse(c.Marshal())
	if err != nil || back != c {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	if err := s.Public().Verify(back); err != nil {
		t.Fatal(err)
	}
	// Every signed field counts.
	for name, change := range map[string]func(*Checkpoint){
		"seq":     func(c *Checkpoint) { c.HeadSeq-- },
		"hash":    func(c *Checkpoint) { c.HeadHash = strings.Repeat("cd", 32) },
		"ente":    func(c *Checkpoint) { c.EnteID = "another" },
		"code":    func(c *Checkpoint) { c.EnteCode = "ente-b" },
		"time":    func(c *Checkpoint) { c.CreatedAt = "2027-01-29T10:00:00Z" },
		"version": func(c *Checkpoint) { c.SoftwareVersion = "v9" },
	} {
		forged := back
		change(&forged)
		if err := s.Public().Verify(forged); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	// Another key, even one the file names as its own, does not verify it.
	other, _ := GenerateKey()
	if err := other.Public().Verify(c); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("other key: %v", err)
	}
	resigned := c
	other.Sign(&resigned)
	if err := s.Public().Verify(resigned); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("re-signed by an attacker: %v", err)
	}
	if _, err := Parse([]byte(`{"format":"x","extra":1}`)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("unknown field: %v", err)
	}
	if _, err := Parse([]byte(strings.Repeat(" ", MaxFileBytes+1))); !errors.Is(err, ErrMalformed) {
		t.Fatalf("oversized: %v", err)
	}
}

func TestKeyEncodings(t *testing.T) {
	s, _ := GenerateKey()
	back, err := ParsePrivateKey(string(s.PrivatePEM()))
	if err != nil || back.Public().Fingerprint() != s.Public().Fingerprint() {
		t.Fatalf("PEM private key: %v", err)
	}
	seed := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" // 32 bytes 0..31
	if _, err := ParsePrivateKey(seed); err != nil {
		t.Fatalf("base64 seed: %v", err)
	}
	pub, err := ParsePublicKey(string(s.Public().PEM()))
	if err != nil || pub.Fingerprint() != s.Public().Fingerprint() || len(pub.KeyID()) != 16 {
		t.Fatalf("PEM public key: %v", err)
	}
	if pub, err := ParsePublicKey(s.Public().Base64()); err != nil || pub.KeyID() != s.Public().KeyID() {
		t.Fatalf("base64 public key: %v", err)
	}
	for _, bad := range []string{"", "not a key", "AAEC"} {
		if _, err := ParsePrivateKey(bad); err == nil {
			t.Errorf("private key %q accepted", bad)
		}
		if _, err := ParsePublicKey(bad); err == nil {
			t.Errorf("public key %q accepted", bad)
		}
	}
}

// TestDirKeepsTheLatest: every checkpoint is kept; latest.json never moves back to a shorter chain.
func TestDirKeepsTheLatest(t *testing.T) {
	s, _ := GenerateKey()
	d := &Dir{Path: t.TempDir()}
	if _, _, err := d.Latest(enteID); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("empty folder: %v", err)
	}
	for _, seq := range []int64{10, 30, 20} {
		if _, err := d.Write(signed(t, s, seq)); err != nil {
			t.Fatal(err)
		}
	}
	latest, raw, err := d.Latest(enteID)
	if err != nil || latest.HeadSeq != 30 || s.Public().Verify(latest) != nil || len(raw) == 0 {
		t.Fatalf("latest: %+v %v", latest, err)
	}
	files, _ := filepath.Glob(filepath.Join(d.Path, enteID, "*.json"))
	if len(files) != 4 {
		t.Fatalf("files %v", files)
	}
	if _, err := d.Write(Checkpoint{EnteID: "../escape"}); err == nil {
		t.Fatal("an ente id with a path in it was accepted")
	}
}

// TestRunDaily: the ticker writes at start and again on each tick, and stops with its context.
func TestRunDaily(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan struct{}, 10)
	done := make(chan struct{})
	go func() {
		RunDaily(ctx, time.Millisecond, func(context.Context) {
			select {
			case calls <- struct{}{}:
			default: // never block the ticker
			}
		})
		close(done)
	}()
	<-calls // at start
	<-calls // a tick
	cancel()
	<-done
}
