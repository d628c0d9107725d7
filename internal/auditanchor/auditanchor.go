// Package auditanchor keeps the audit trail's anchors outside the database: signed checkpoints of an ente's
// chain head (their file format, the Ed25519 keys that sign them, signing and verifying), the directory where
// the server keeps them, and the daily ticker that writes them. Whoever can write the database can rewrite the
// trail and recompute every hash; they cannot forge a checkpoint without the signing key, which never enters
// the database.
package auditanchor

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Format names the checkpoint format and version; it is the first element of the signed message.
const Format = "argine-audit-checkpoint/1"

// Checkpoint is a signed statement that an ente's audit chain had, at CreatedAt, HeadSeq records ending with
// HeadHash. Any later chain must still hold exactly that record at that position.
type Checkpoint struct {
	Format          string `json:"format"`
	EnteID          string `json:"ente_id"`
	EnteCode        string `json:"ente_code"`
	HeadSeq         int64  `json:"head_seq"`
	HeadHash        string `json:"head_hash"`
	CreatedAt       string `json:"created_at"` // RFC 3339, UTC
	SoftwareVersion string `json:"software_version"`
	KeyID           string `json:"key_id"`     // first 16 hex digits of the public key's fingerprint
	PublicKey       string `json:"public_key"` // base64 of the 32-byte Ed25519 public key
	Signature       string `json:"signature"`  // base64 of the Ed25519 signature of SignedMessage
}

// SignedMessage is the canonical encoding the signature covers: the compact JSON array
// [format, ente_id, ente_code, head_seq, head_hash, created_at, software_version, key_id]. Being an array, it
// has one encoding whatever the order of the fields in the file.
func (c Checkpoint) SignedMessage() []byte {
	b, _ := json.Marshal([]any{c.Format, c.EnteID, c.EnteCode, c.HeadSeq, c.HeadHash, c.CreatedAt, c.SoftwareVersion, c.KeyID})
	return b
}

// Errors of checkpoint verification.
var (
	ErrBadSignature = errors.New("the checkpoint's signature does not verify")
	ErrWrongKey     = errors.New("the checkpoint was signed with another key")
	ErrMalformed    = errors.New("the checkpoint is malformed")
)

// Signer signs checkpoints with an Ed25519 private key.
type Signer struct {
	key ed25519.PrivateKey
}

// GenerateKey makes a new key pair.
func GenerateKey() (*Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return &Signer{key: priv}, nil
}

// ParsePrivateKey reads a private key as written by `argine audit keygen`: a PEM "PRIVATE KEY" block
// (PKCS #8, as openssl genpkey -algorithm ed25519 writes too), or the base64 of the 32-byte seed.
func ParsePrivateKey(text string) (*Signer, error) {
	text = strings.TrimSpace(text)
	if block, _ := pem.Decode([]byte(text)); block != nil {
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("audit signing key: %w", err)
		}
		priv, ok := k.(ed25519.PrivateKey)
		if !ok {
			return nil, errors.New("audit signing key: not an Ed25519 key")
		}
		return &Signer{key: priv}, nil
	}
	seed, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("audit signing key: want a PEM PRIVATE KEY block or the base64 of a 32-byte Ed25519 seed")
	}
	return &Signer{key: ed25519.NewKeyFromSeed(seed)}, nil
}

// PrivatePEM encodes the private key for a key file.
func (s *Signer) PrivatePEM() []byte {
	der, _ := x509.MarshalPKCS8PrivateKey(s.key)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// Public returns the verifying half.
func (s *Signer) Public() PublicKey { return PublicKey{key: s.key.Public().(ed25519.PublicKey)} }

// Sign fills the key id, public key and signature of c.
func (s *Signer) Sign(c *Checkpoint) {
	pub := s.Public()
	c.Format, c.KeyID, c.PublicKey = Format, pub.KeyID(), base64.StdEncoding.EncodeToString(pub.key)
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(s.key, c.SignedMessage()))
}

// PublicKey verifies checkpoints.
type PublicKey struct {
	key ed25519.PublicKey
}

// ParsePublicKey reads a PEM "PUBLIC KEY" block (PKIX) or the base64 of the 32-byte key.
func ParsePublicKey(text string) (PublicKey, error) {
	text = strings.TrimSpace(text)
	if block, _ := pem.Decode([]byte(text)); block != nil {
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return PublicKey{}, fmt.Errorf("audit public key: %w", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return PublicKey{}, errors.New("audit public key: not an Ed25519 key")
		}
		return PublicKey{key: pub}, nil
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return PublicKey{}, errors.New("audit public key: want a PEM PUBLIC KEY block or the base64 of a 32-byte Ed25519 key")
	}
	return PublicKey{key: ed25519.PublicKey(raw)}, nil
}

// IsZero reports a missing key.
func (p PublicKey) IsZero() bool { return len(p.key) == 0 }

// PEM encodes the key for a .pub file.
func (p PublicKey) PEM() []byte {
	der, _ := x509.MarshalPKIXPublicKey(p.key)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// Base64 is the raw 32-byte key in base64.
func (p PublicKey) Base64() string { return base64.StdEncoding.EncodeToString(p.key) }

// Fingerprint is the hex SHA-256 of the raw key: what the OIV compares with the key it was handed.
func (p PublicKey) Fingerprint() string {
	sum := sha256.Sum256(p.key)
	return hex.EncodeToString(sum[:])
}

// KeyID is the fingerprint's first 16 hex digits.
func (p PublicKey) KeyID() string { return p.Fingerprint()[:16] }

// Verify checks c's signature with this key (not with the key the file carries, which anyone could replace).
func (p PublicKey) Verify(c Checkpoint) error {
	if c.Format != Format || c.EnteID == "" || c.HeadSeq < 0 || (c.HeadSeq > 0 && len(c.HeadHash) != 64) {
		return ErrMalformed
	}
	if _, err := time.Parse(time.RFC3339, c.CreatedAt); err != nil {
		return ErrMalformed
	}
	if c.KeyID != p.KeyID() || c.PublicKey != p.Base64() {
		return fmt.Errorf("%w (key %s, expected %s)", ErrWrongKey, c.KeyID, p.KeyID())
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(p.key, c.SignedMessage(), sig) {
		return ErrBadSignature
	}
	return nil
}

// MaxFileBytes bounds a checkpoint file read from disk or from the command line.
const MaxFileBytes = 16 << 10

// Parse reads a checkpoint file, rejecting unknown fields and trailing data.
func Parse(b []byte) (Checkpoint, error) {
	var c Checkpoint
	if len(b) > MaxFileBytes {
		return c, fmt.Errorf("%w: larger than %d bytes", ErrMalformed, MaxFileBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return c, fmt.Errorf("%w: trailing data", ErrMalformed)
	}
	return c, nil
}

// Marshal encodes a checkpoint file, indented for people reading it.
func (c Checkpoint) Marshal() []byte {
	b, _ := json.MarshalIndent(c, "", "  ")
	return append(b, '\n')
}

// New builds an unsigned checkpoint of a head.
func New(enteID, enteCode string, seq int64, hash, version string, at time.Time) Checkpoint {
	return Checkpoint{Format: Format, EnteID: enteID, EnteCode: enteCode, HeadSeq: seq, HeadHash: hash,
		CreatedAt: at.UTC().Format(time.RFC3339), SoftwareVersion: version}
}
