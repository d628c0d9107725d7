// Package pagecursor owns the opaque cursors of keyset pagination: a cursor names the last row of a page (its
// key in the list's order) and the list it belongs to (the scope: the ente, the cycle, the order, the filters),
// so that a cursor given back with another list, another ente's or a changed filter is refused instead of
// silently reading from the wrong place. A cursor grants nothing: the rows it leads to are still read with the
// caller's own scope in SQL; the scope check only turns a misuse into a clear error.
package pagecursor

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
)

// version is the cursor format; a cursor of another version is malformed (a client must start again from the
// first page, as after any change of the list).
const version = 1

// alphabet is base64url's, unpadded: the only characters of a cursor.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// maxLen bounds what Decode reads: a cursor is a few hundred bytes.
const maxLen = 1024

var (
	// ErrMalformed is a cursor that is not one of ours (not base64url JSON of the current version).
	ErrMalformed = errors.New("pagecursor: malformed cursor")
	// ErrForeign is a well-formed cursor of another list (another ente, cycle, order or filter).
	ErrForeign = errors.New("pagecursor: cursor of another list")
)

type envelope struct {
	V     int             `json:"v"`
	Scope string          `json:"s"`
	Key   json.RawMessage `json:"k"`
}

// scopeHash is a short digest of the scope: it identifies the list without showing the ids it is made of.
func scopeHash(scope string) string {
	h := sha256.Sum256([]byte(scope))
	return hex.EncodeToString(h[:8])
}

// Encode returns the cursor of key (any JSON value) in the list named by scope.
func Encode(scope string, key any) (string, error) {
	k, err := json.Marshal(key)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(envelope{V: version, Scope: scopeHash(scope), Key: k})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Decode reads a cursor of the list named by scope into key (a pointer): ErrMalformed when it is not a cursor
// of this version, ErrForeign when it is another list's.
func Decode(cursor, scope string, key any) error {
	if cursor == "" || len(cursor) > maxLen || strings.Trim(cursor, alphabet) != "" {
		// The decoder would skip line breaks: a cursor is exactly what Encode wrote, nothing else.
		return ErrMalformed
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return ErrMalformed
	}
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil || env.V != version || len(env.Key) == 0 {
		return ErrMalformed
	}
	if env.Scope != scopeHash(scope) {
		return ErrForeign
	}
	kd := json.NewDecoder(bytes.NewReader(env.Key))
	kd.DisallowUnknownFields()
	if err := kd.Decode(key); err != nil {
		return ErrMalformed
	}
	return nil
}
