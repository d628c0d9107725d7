package password

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/domain"
)

// cheap keeps the argon2 tests fast; DefaultParams are exercised separately.
var cheap = Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func codes(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is %T, want *domain.ValidationError", err, err)
	}
	if ve.Code != "password_invalid" || !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("ValidationError code %q, want password_invalid wrapping ErrInvalid", ve.Code)
	}
	var out []string
	for _, p := range ve.Problems {
		if p.Field != "password" || p.Message == "" {
			t.Errorf("problem %+v: want field password and a message", p)
		}
		out = append(out, p.Code)
	}
	return out
}

func TestValidate(t *testing.T) {
	runes := func(s string, n int) string { return string([]rune(s)[:n]) }
	longPhrase := strings.Repeat("perché-sì ", 30)

	tests := []struct {
		name, plain, user string
		want              []string // every code that must be reported; nil means accepted
	}{
		{"demo password", "argine-demo-2026", "dir1", nil},
		{"italian passphrase with accents", "perché-la-montagna-è-alta", "mrossi", nil},
		{"12 runes but 15 bytes", "perché-là-sù", "", nil},
		{"passphrase with spaces", "Treni lenti per Matera, 7 caffè", "gbianchi", nil},
		{"mixed symbols", "V3rde!Ulivo#Pollino", "admin", nil},
		{"short username is not checked", "ab-qualcosa-di-molto-raro", "ab", nil},
		{"exactly max length", runes(longPhrase, MaxLength), "", nil},
		{"common word inside a passphrase", "la password del lunedì", "", nil},

		{"empty", "", "", []string{"password_too_short"}},
		{"11 chars", "Tr0ub4dor&3", "", []string{"password_too_short"}},
		{"short by runes though long in bytes", "èàìòùèàìòù!", "", []string{"password_too_short"}},
		{"one over max", runes(longPhrase, MaxLength+1), "", []string{"password_too_long"}},
		{"contains username", "xx-mario.rossi-è-il-capo", "Mario.Rossi", []string{"password_contains_username"}},
		{"contains username, other case", "Il-mio-nome-è-DIR1-ok", "dir1", []string{"password_contains_username"}},
		{"repeated char", "aaaaaaaaaaaaaa", "", []string{"password_too_simple"}},
		{"repeated accented char", "èèèèèèèèèèèè", "", []string{"password_too_simple"}},
		{"ascending letters", "abcdefghijklmn", "", []string{"password_too_simple"}},
		{"descending letters, mixed case", "ZYXWvutsrqpo", "", []string{"password_too_simple"}},
		{"ascending digits wrapping", "7890123456789", "", []string{"password_too_simple"}},
		{"descending digits wrapping", "9876543210987", "", []string{"password_too_simple"}},
		{"listed global", "qwertyuiop12", "", []string{"password_common"}},
		{"listed variant", "1q2w3e4r5t6y", "", []string{"password_common"}},
		{"listed italian, upper case", "JUVENTUS1897", "", []string{"password_common"}},
		{"listed italian suffix", "cambiami2026", "", []string{"password_common"}},
		{"doubled word", "passwordpassword", "", []string{"password_common"}},
		{"listed base plus year and symbol", "Password2024!", "", []string{"password_common"}},
		{"listed base plus symbols and space", "iloveyou !!!!", "", []string{"password_common"}},
		{"listed base plus digits", "anticorruzione77", "", []string{"password_common"}},
		{"short and common", "napoli", "", []string{"password_too_short", "password_common"}},
		{"several at once", "admin", "admin", []string{"password_too_short", "password_contains_username", "password_common"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := codes(t, Validate(tt.plain, tt.user))
			if tt.want == nil && got != nil {
				t.Fatalf("Validate(%q) = %v, want accepted", tt.plain, got)
			}
			for _, c := range tt.want {
				if !slices.Contains(got, c) {
					t.Errorf("Validate(%q) = %v, missing %s", tt.plain, got, c)
				}
			}
		})
	}
}

func TestDemoPasswordAccepted(t *testing.T) {
	if err := Validate("argine-demo-2026", "dir1"); err != nil {
		t.Fatalf("the documented demo password must stay valid: %v", err)
	}
}

func TestCommonList(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(commonList, "\n"), "\n")
	if len(lines) < 600 {
		t.Fatalf("list has %d entries, want >= 600", len(lines))
	}
	seen := make(map[string]bool, len(lines))
	for i, s := range lines {
		switch {
		case s == "" || s != strings.TrimSpace(s):
			t.Errorf("line %d %q: empty or not trimmed", i+1, s)
		case s != strings.ToLower(s):
			t.Errorf("line %d %q: not lower-case", i+1, s)
		case seen[s]:
			t.Errorf("line %d %q: duplicate", i+1, s)
		}
		seen[s] = true
	}
	if len(common) != len(lines) {
		t.Errorf("loaded %d entries from %d lines", len(common), len(lines))
	}
}

func TestHashVerifyDefaultParams(t *testing.T) {
	h, err := Hash("perché-la-montagna-è-alta")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("unexpected encoding %q", h)
	}
	_, _, salt, key := splitHash(t, h)
	if len(salt) != 22 || len(key) != 43 { // 16 and 32 bytes in unpadded base64
		t.Errorf("salt %q / key %q have wrong lengths", salt, key)
	}
	ok, rehash, err := Verify(h, "perché-la-montagna-è-alta")
	if !ok || rehash || err != nil {
		t.Fatalf("Verify(right) = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	ok, rehash, err = Verify(h, "perche-la-montagna-e-alta")
	if ok || rehash || err != nil {
		t.Fatalf("Verify(wrong) = %v, %v, %v; want false, false, nil", ok, rehash, err)
	}
}

func TestHashWithRoundTrip(t *testing.T) {
	h1, err := HashWith("argine-demo-2026", cheap)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := HashWith("argine-demo-2026", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Fatal("two hashes of the same password are equal: salt is not random")
	}
	for _, h := range []string{h1, h2} {
		ok, rehash, err := Verify(h, "argine-demo-2026")
		if !ok || err != nil {
			t.Fatalf("Verify(%q) = %v, %v", h, ok, err)
		}
		if !rehash {
			t.Error("needsRehash = false for non-default params")
		}
		if ok, rehash, err := Verify(h, "argine-demo-2027"); ok || rehash || err != nil {
			t.Errorf("wrong password: %v, %v, %v", ok, rehash, err)
		}
		if ok, _, _ := Verify(h, ""); ok {
			t.Error("empty password verified")
		}
	}
}

func TestHashWithRejectsBadParams(t *testing.T) {
	for _, p := range []Params{
		{Memory: 64, Iterations: 0, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 0, SaltLength: 16, KeyLength: 32},
		{Memory: 7, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 4, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 8},
		{},
	} {
		if h, err := HashWith("x", p); err == nil {
			t.Errorf("HashWith(%+v) = %q, want error", p, h)
		}
	}
}

func splitHash(t *testing.T, h string) (alg, params, salt, key string) {
	t.Helper()
	f := strings.Split(h, "$")
	if len(f) != 6 {
		t.Fatalf("hash %q has %d fields", h, len(f))
	}
	return f[1], f[3], f[4], f[5]
}

// flip changes the first base64 character, keeping the string valid base64 of the same length.
func flip(s string) string {
	c := "A"
	if s[0] == 'A' {
		c = "B"
	}
	return c + s[1:]
}

func TestVerifyTampered(t *testing.T) {
	const plain = "argine-demo-2026"
	h, err := HashWith(plain, cheap)
	if err != nil {
		t.Fatal(err)
	}
	_, params, salt, key := splitHash(t, h)
	join := func(alg, ver, params, salt, key string) string {
		return strings.Join([]string{"", alg, ver, params, salt, key}, "$")
	}

	// Well-formed but altered: must simply fail to verify.
	for name, enc := range map[string]string{
		"salt":       join("argon2id", "v=19", params, flip(salt), key),
		"key":        join("argon2id", "v=19", params, salt, flip(key)),
		"iterations": join("argon2id", "v=19", "m=64,t=2,p=1", salt, key),
		"memory":     join("argon2id", "v=19", "m=128,t=1,p=1", salt, key),
		"truncated":  h[:len(h)-5],
	} {
		if ok, rehash, err := Verify(enc, plain); ok || rehash {
			t.Errorf("%s: Verify = %v, %v, %v; want false", name, ok, rehash, err)
		}
	}

	// Malformed: must be an error, never a panic.
	for name, enc := range map[string]string{
		"empty":            "",
		"garbage":          "not a hash at all",
		"dollars":          "$$$$$",
		"bcrypt":           "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":          join("argon2i", "v=19", params, salt, key),
		"argon2d":          join("argon2d", "v=19", params, salt, key),
		"upper algorithm":  join("ARGON2ID", "v=19", params, salt, key),
		"version 16":       join("argon2id", "v=16", params, salt, key),
		"no version":       "$argon2id$" + params + "$" + salt + "$" + key,
		"extra field":      h + "$x",
		"leading text":     "x" + h,
		"trailing newline": h + "\n",
		"cut in params":    h[:20],
		"no key":           join("argon2id", "v=19", params, salt, ""),
		"t=0":              join("argon2id", "v=19", "m=64,t=0,p=1", salt, key),
		"p=0":              join("argon2id", "v=19", "m=64,t=1,p=0", salt, key),
		"p=256":            join("argon2id", "v=19", "m=64,t=1,p=256", salt, key),
		"m=0":              join("argon2id", "v=19", "m=0,t=1,p=1", salt, key),
		"huge memory":      join("argon2id", "v=19", "m=4294967295,t=1,p=1", salt, key),
		"memory overflow":  join("argon2id", "v=19", "m=99999999999,t=1,p=1", salt, key),
		"huge iterations":  join("argon2id", "v=19", "m=64,t=100000,p=1", salt, key),
		"negative":         join("argon2id", "v=19", "m=-64,t=1,p=1", salt, key),
		"plus sign":        join("argon2id", "v=19", "m=+64,t=1,p=1", salt, key),
		"leading zero":     join("argon2id", "v=19", "m=064,t=1,p=1", salt, key),
		"reordered":        join("argon2id", "v=19", "t=1,m=64,p=1", salt, key),
		"spaces":           join("argon2id", "v=19", "m=64, t=1, p=1", salt, key),
		"trailing param":   join("argon2id", "v=19", params+",k=1", salt, key),
		"padded base64":    join("argon2id", "v=19", params, salt+"==", key),
		"url base64":       join("argon2id", "v=19", params, salt, strings.NewReplacer("+", "-", "/", "_").Replace(key)+"-_"),
		"bad base64":       join("argon2id", "v=19", params, "!!!!!!!!!!!!!!!!!!!!!!", key),
		"newline in salt":  join("argon2id", "v=19", params, salt[:10]+"\n"+salt[10:], key),
		"short salt":       join("argon2id", "v=19", params, "AAAAAA", key),
		"short key":        join("argon2id", "v=19", params, salt, "AAAAAAAAAA"),
		"long key":         join("argon2id", "v=19", params, salt, strings.Repeat("A", 200)),
	} {
		ok, rehash, err := Verify(enc, plain)
		if ok || rehash || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%s: Verify(%q) = %v, %v, %v; want ErrMalformedHash", name, enc, ok, rehash, err)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	old := DefaultParams
	t.Cleanup(func() { DefaultParams = old })

	DefaultParams = cheap
	h, err := Hash("argine-demo-2026")
	if err != nil {
		t.Fatal(err)
	}
	if ok, rehash, err := Verify(h, "argine-demo-2026"); !ok || rehash || err != nil {
		t.Fatalf("same params: %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
	for _, p := range []Params{
		{Memory: 128, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		{Memory: 64, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 32, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 64},
	} {
		DefaultParams = p
		if ok, rehash, err := Verify(h, "argine-demo-2026"); !ok || !rehash || err != nil {
			t.Errorf("defaults %+v: %v, %v, %v; want true, true, nil", p, ok, rehash, err)
		}
	}
}

func TestDummy(t *testing.T) {
	if Dummy() != Dummy() {
		t.Fatal("Dummy must be computed once")
	}
	if !strings.HasPrefix(Dummy(), "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Fatalf("Dummy must use DefaultParams, got %q", Dummy())
	}
	if _, _, _, err := decode(Dummy()); err != nil {
		t.Fatal(err)
	}
	VerifyDummy("argine-demo-2026") // must not panic
}

func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("perché-la-montagna-è-alta"); err != nil {
			b.Fatal(err)
		}
	}
}
