package mfa

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// sealedPrefix marks a TOTP secret stored encrypted (version 1: AES-256-GCM).
const sealedPrefix = "enc:v1:"

// ErrNoKey: a secret is stored encrypted but the server has no ARGINE_MFA_KEY to open it.
var ErrNoKey = errors.New("mfa: the TOTP secrets are encrypted and ARGINE_MFA_KEY (or ARGINE_MFA_KEY_FILE) is not set")

// SecretBox encrypts TOTP secrets at rest with a key kept outside the database (ARGINE_MFA_KEY_FILE), so
// whoever reads the database (a backup, a dump) cannot compute the codes. AES-256-GCM with a random nonce; the
// user's id is the additional data, so a sealed secret copied onto another user's row does not open. A nil box
// stores secrets in clear (no key configured).
type SecretBox struct {
	aead cipher.AEAD
}

// ParseKey reads the key: 32 bytes as base64 (openssl rand -base64 32) or hex.
func ParseKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if b, err := base64.StdEncoding.DecodeString(text); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := hex.DecodeString(text); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("mfa: ARGINE_MFA_KEY must be 32 random bytes as base64 or hex (openssl rand -base64 32)")
}

// NewSecretBox builds the box for a 32-byte key.
func NewSecretBox(key []byte) (*SecretBox, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("mfa: the secret key has %d bytes, 32 are needed", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretBox{aead: aead}, nil
}

// Sealed says whether a stored value is an encrypted secret.
func Sealed(stored string) bool { return strings.HasPrefix(stored, sealedPrefix) }

// Seal encrypts a user's secret for storage; a nil box returns it unchanged.
func (b *SecretBox) Seal(userID, secret string) (string, error) {
	if b == nil {
		return secret, nil
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(secret), []byte(userID))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open returns a user's secret from its stored form: a sealed one is decrypted (ErrNoKey without a box), a
// clear one (stored before a key was configured) is returned as is.
func (b *SecretBox) Open(userID, stored string) (string, error) {
	if !Sealed(stored) {
		return stored, nil
	}
	if b == nil {
		return "", ErrNoKey
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", errors.New("mfa: a stored TOTP secret is damaged")
	}
	plain, err := b.aead.Open(nil, raw[:b.aead.NonceSize()], raw[b.aead.NonceSize():], []byte(userID))
	if err != nil {
		return "", errors.New("mfa: a stored TOTP secret does not open with ARGINE_MFA_KEY (another key, or another user's row)")
	}
	return string(plain), nil
}
