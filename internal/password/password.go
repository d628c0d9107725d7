// Package password hashes and verifies login passwords with argon2id and enforces the password policy.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/argine-pa/argine/internal/domain"
)

// Params are the argon2id costs. They are stored inside every encoded hash, so raising
// DefaultParams only affects new hashes; Verify flags the old ones for rehashing.
type Params struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLength  uint32 // bytes
	KeyLength   uint32 // bytes
}

// DefaultParams are close to RFC 9106's second recommended option (64 MiB, t=3), with p=2
// because the target servers are small; one hash or verification takes about 80 ms on 2 cores.
var DefaultParams = Params{Memory: 64 * 1024, Iterations: 3, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// Bounds on parameters, also applied to those read back from a stored hash: a corrupted or
// hostile value must not make Verify allocate gigabytes, run for minutes, or hit argon2's panics.
const (
	maxMemory     = 1 << 20 // KiB, 1 GiB
	maxIterations = 64
	minSaltLength = 8
	maxSaltLength = 64
	minKeyLength  = 16
	maxKeyLength  = 64
)

// ErrMalformedHash reports an encoded hash that is not a well-formed argon2id v19 PHC string.
var ErrMalformedHash = errors.New("password: malformed hash")

func (p Params) check() error {
	switch {
	case p.Iterations < 1 || p.Iterations > maxIterations:
		return fmt.Errorf("password: iterations %d out of range [1, %d]", p.Iterations, maxIterations)
	case p.Parallelism < 1:
		return errors.New("password: parallelism must be at least 1")
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemory: // argon2 needs 8 KiB per lane
		return fmt.Errorf("password: memory %d KiB out of range [%d, %d]", p.Memory, 8*uint32(p.Parallelism), maxMemory)
	case p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength:
		return fmt.Errorf("password: salt length %d out of range [%d, %d]", p.SaltLength, minSaltLength, maxSaltLength)
	case p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return fmt.Errorf("password: key length %d out of range [%d, %d]", p.KeyLength, minKeyLength, maxKeyLength)
	}
	return nil
}

// Hash hashes plain with DefaultParams and returns the PHC string to store.
func Hash(plain string) (string, error) { return HashWith(plain, DefaultParams) }

// HashWith is Hash with explicit costs; tests use it to stay fast.
func HashWith(plain string, p Params) (string, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(plain), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
	return fmt.Sprintf("$argon2id$v=%d$%s$%s$%s", argon2.Version, formatParams(p),
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

func formatParams(p Params) string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Iterations, p.Parallelism)
}

// Verify reports whether plain matches encoded. needsRehash is only ever true together with ok:
// the caller can then store a fresh Hash(plain), since the stored costs differ from DefaultParams.
func Verify(encoded, plain string) (ok, needsRehash bool, err error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(plain), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != DefaultParams, nil
}

// decode accepts only the exact form HashWith writes: anything else is corruption or tampering.
func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, fmt.Errorf("%w: want 5 $-separated fields", ErrMalformedHash)
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: unsupported algorithm %q", ErrMalformedHash, parts[1])
	}
	if parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", ErrMalformedHash, parts[2])
	}
	// Re-formatting rejects what Sscanf would tolerate: signs, leading zeros, trailing text.
	_, scanErr := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Iterations, &p.Parallelism)
	if scanErr != nil || formatParams(p) != parts[3] {
		return p, nil, nil, fmt.Errorf("%w: bad parameters %q", ErrMalformedHash, parts[3])
	}
	if salt, err = decodeBase64(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: bad salt", ErrMalformedHash)
	}
	if key, err = decodeBase64(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: bad key", ErrMalformedHash)
	}
	p.SaltLength, p.KeyLength = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	return p, salt, key, nil
}

// decodeBase64 round-trips because the decoder silently skips newlines and ignores trailing bits.
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if base64.RawStdEncoding.EncodeToString(b) != s {
		return nil, errors.New("non-canonical base64")
	}
	return b, nil
}

// dummy is computed on first use so that processes which never log anyone in pay nothing.
var dummy = sync.OnceValue(func() string {
	h, err := Hash("argine: no user has this password")
	if err != nil {
		panic(err) // only reachable if DefaultParams were made invalid
	}
	return h
})

// Dummy returns a valid hash, with DefaultParams, of a password no user has.
func Dummy() string { return dummy() }

// VerifyDummy costs as much as a real Verify and always fails. Call it when the username is
// unknown, so that the response time does not reveal which usernames exist.
func VerifyDummy(plain string) { _, _, _ = Verify(dummy(), plain) }

// Length limits in runes: a user counts "è" as one character. The upper bound only stops
// absurd inputs; argon2 itself would hash anything.
const (
	MinLength = 12
	MaxLength = 256
)

// minCommonBase is the shortest listed word that Validate still recognises under a suffix of
// digits and symbols ("password2024!"). Shorter words need their variants in the list itself
// ("napoli1926"), because short bases would start rejecting unrelated passwords.
const minCommonBase = 8

// Validate checks plain against the password policy and returns a *domain.ValidationError
// listing every rule it breaks, or nil. username may be empty.
func Validate(plain, username string) error {
	var problems []domain.FieldError
	add := func(code, format string, args ...any) {
		problems = append(problems, domain.FieldError{Field: "password", Code: code, Message: fmt.Sprintf(format, args...)})
	}
	switch n := utf8.RuneCountInString(plain); {
	case n < MinLength:
		add("password_too_short", "password must be at least %d characters long", MinLength)
	case n > MaxLength:
		add("password_too_long", "password must be at most %d characters long", MaxLength)
	}
	lower := strings.ToLower(plain)
	// Usernames of one or two characters would forbid too many innocent passwords.
	if u := strings.ToLower(strings.TrimSpace(username)); utf8.RuneCountInString(u) >= 3 && strings.Contains(lower, u) {
		add("password_contains_username", "password must not contain the username")
	}
	if tooSimple(lower) {
		add("password_too_simple", "password must not be a repeated character or a simple sequence")
	}
	if isCommon(lower) {
		add("password_common", "password is too common")
	}
	if len(problems) == 0 {
		return nil
	}
	return &domain.ValidationError{Code: "password_invalid", Problems: problems}
}

// tooSimple reports one character repeated, or a run of digits or ASCII letters going up or
// down by one ("abcdef…", "9876…"). Digits wrap around, so "1234567890123" counts.
func tooSimple(lower string) bool {
	r := []rune(lower)
	if len(r) < 2 {
		return false // the length rule already rejects it
	}
	return steps(r, 0) || steps(r, 1) || steps(r, -1)
}

func steps(r []rune, step int) bool {
	isDigit := func(c rune) bool { return c >= '0' && c <= '9' }
	isLetter := func(c rune) bool { return c >= 'a' && c <= 'z' }
	for i := 1; i < len(r); i++ {
		a, b := r[i-1], r[i]
		switch {
		case step == 0:
			if a != b {
				return false
			}
		case isDigit(a) && isDigit(b):
			if (int(a-'0')+step+10)%10 != int(b-'0') {
				return false
			}
		case isLetter(a) && isLetter(b):
			if int(b-a) != step {
				return false
			}
		default:
			return false
		}
	}
	return true
}

//go:embed common-passwords.txt
var commonList string

// common holds the embedded list: one lower-case, trimmed password per line.
var common = func() map[string]bool {
	m := make(map[string]bool)
	for line := range strings.Lines(commonList) {
		if s := strings.TrimSpace(line); s != "" {
			m[s] = true
		}
	}
	return m
}()

// isCommon matches the whole password, then the password without its trailing digits, symbols
// and spaces, if what remains is a listed word of at least minCommonBase runes.
func isCommon(lower string) bool {
	if common[lower] {
		return true
	}
	base := strings.TrimRightFunc(lower, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	return base != lower && utf8.RuneCountInString(base) >= minCommonBase && common[base]
}
