package service_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/mfa"
	"github.com/argine-pa/argine/internal/service"
)

// With ARGINE_MFA_KEY the TOTP secrets are stored encrypted: a secret enrolled before the key is encrypted at its
// owner's next sign-in, and from then on the database alone (without the key, with another key, or copied onto
// another user's row) computes no code.
func TestTOTPSecretEncryptedAtRest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		cl := service.Client{Addr: "192.0.2.9"}
		x := newIDFixture(t, db, nil, map[string]domain.Role{"capo": domain.RoleAdmin, "vice": domain.RoleAdmin})
		key, other := make([]byte, 32), make([]byte, 32)
		_, _ = rand.Read(key)
		_, _ = rand.Read(other)
		withKey := func(k []byte) *service.Auth {
			cfg := service.DefaultAuthConfig()
			cfg.Secret = []byte("identity-secret-identity-secret-0123456")
			cfg.MFAKey = k
			a, err := service.NewAuth(x.store, x.authz, nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
			a.SetClock(x.now)
			return a
		}
		stored := func(username string) string {
			t.Helper()
			creds, err := x.store.CredentialsByUsername(ctx, username)
			if err != nil {
				t.Fatal(err)
			}
			m, err := x.store.MFAOf(ctx, x.tn.EnteID, creds.UserID)
			if err != nil {
				t.Fatal(err)
			}
			return m.Secret
		}
		enrol := func(a *service.Auth, username string) string {
			t.Helper()
			tk, err := a.Login(ctx, username, "argine-demo-2026", cl)
			if err != nil {
				t.Fatal(err)
			}
			actor, err := a.Authenticate(ctx, tk.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			e, err := a.StartMFA(ctx, actor)
			if err != nil {
				t.Fatal(err)
			}
			code, _ := mfa.Code(e.Secret, x.now())
			if _, err := a.ConfirmMFA(ctx, actor, code, cl); err != nil {
				t.Fatal(err)
			}
			return e.Secret
		}
		signIn := func(a *service.Auth, username, secret string) error {
			t.Helper()
			x.advance(time.Minute) // a fresh TOTP step each time
			step1, err := a.Login(ctx, username, "argine-demo-2026", cl)
			if err != nil || !step1.MFARequired {
				t.Fatalf("step 1: %+v %v", step1, err)
			}
			code, _ := mfa.Code(secret, x.now())
			_, err = a.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, Code: code}, cl)
			return err
		}

		// Enrolled before the key: in clear.
		capoSecret := enrol(x.auth, "capo")
		if stored("capo") != capoSecret {
			t.Fatal("without a key the secret is not stored as is")
		}
		keyed := withKey(key)
		if err := signIn(keyed, "capo", capoSecret); err != nil {
			t.Fatalf("sign-in with the key, secret in clear: %v", err)
		}
		sealed := stored("capo")
		if !strings.HasPrefix(sealed, "enc:v1:") || strings.Contains(sealed, capoSecret) {
			t.Fatalf("the secret was not encrypted at its use: %q", sealed)
		}
		if err := signIn(keyed, "capo", capoSecret); err != nil {
			t.Fatalf("sign-in with the encrypted secret: %v", err)
		}
		if err := signIn(x.auth, "capo", capoSecret); err == nil {
			t.Fatal("an encrypted secret opened without the key")
		}
		if err := signIn(withKey(other), "capo", capoSecret); err == nil {
			t.Fatal("an encrypted secret opened with another key")
		}

		// Enrolled with the key: encrypted from the start; a row copied onto another user does not open.
		viceSecret := enrol(keyed, "vice")
		if s := stored("vice"); !strings.HasPrefix(s, "enc:v1:") || strings.Contains(s, viceSecret) {
			t.Fatalf("enrolled with the key, stored %q", s)
		}
		viceID, _ := x.store.CredentialsByUsername(ctx, "vice")
		if err := db.Gorm.Exec(`UPDATE user_mfa SET secret = ? WHERE user_id = ?`, sealed, viceID.UserID).Error; err != nil {
			t.Fatal(err)
		}
		if err := signIn(keyed, "vice", capoSecret); err == nil {
			t.Fatal("another user's encrypted secret opened on this user's row")
		}
	})
}

func TestParseMFAKey(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, 32)
	for _, text := range []string{"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n", strings.Repeat("07", 32)} {
		if k, err := mfa.ParseKey(text); err != nil || !bytes.Equal(k, raw) {
			t.Errorf("%q: %v", text, err)
		}
	}
	for _, bad := range []string{"", "short", strings.Repeat("07", 16)} {
		if _, err := mfa.ParseKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
