package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/service"
)

func TestSessionLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		first := s.freshLogin("dir1", demo.Password)
		if first.TokenType != "Bearer" || first.ExpiresIn != 900 || !strings.HasPrefix(first.RefreshToken, "argr_") {
			t.Fatalf("tokens %+v", first)
		}
		var me struct {
			User struct {
				Username string `json:"username"`
			} `json:"user"`
			Ente struct {
				Code string `json:"code"`
			} `json:"ente"`
			Grants []struct {
				Role string `json:"role"`
				Unit string `json:"unit"`
			} `json:"grants"`
			Allowed []struct {
				Object string   `json:"object"`
				Action string   `json:"action"`
				Units  []string `json:"units"`
			} `json:"allowed"`
		}
		rec := s.get("/api/v1/me", first.AccessToken)
		decode(t, rec, &me)
		if me.User.Username != "dir1" || me.Ente.Code != "cciaa-basilicata" || len(me.Grants) != 2 {
			t.Fatalf("me: %s", rec.Body)
		}
		allowed := map[string][]string{}
		for _, a := range me.Allowed {
			allowed[a.Object+":"+a.Action] = a.Units
		}
		if strings.Join(allowed["assessment:write"], ",") != "AD1,SG" || strings.Join(allowed["assessment:read"], ",") != "*" {
			t.Fatalf("allowed %v", allowed)
		}
		if _, ok := allowed["user:manage"]; ok {
			t.Fatal("a director may not manage users")
		}

		// Refresh rotates: the new pair works, the old refresh token is single-use.
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + first.RefreshToken + `"}`})
		var second service.Tokens
		decode(t, rec, &second)
		if rec.Code != 200 || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
			t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/me", second.AccessToken); rec.Code != 200 {
			t.Fatalf("new access token: %d", rec.Code)
		}
		// Reusing the rotated token closes the whole session: both access tokens and the new refresh token die.
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + first.RefreshToken + `"}`})
		decodeProblem(t, rec, 401, "refresh_token_reused")
		decodeProblem(t, s.get("/api/v1/me", second.AccessToken), 401, "session_closed")
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + second.RefreshToken + `"}`})
		decodeProblem(t, rec, 401, "refresh_token_invalid")

		// Logout closes the session at once.
		third := s.freshLogin("dir1", demo.Password)
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/logout", token: third.AccessToken}); rec.Code != 204 {
			t.Fatalf("logout %d", rec.Code)
		}
		decodeProblem(t, s.get("/api/v1/me", third.AccessToken), 401, "session_closed")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + third.RefreshToken + `"}`}), 401, "refresh_token_invalid")

		// Access tokens expire; a session unused past its lifetime cannot be refreshed.
		fourth := s.freshLogin("dir1", demo.Password)
		s.advance(16 * time.Minute)
		decodeProblem(t, s.get("/api/v1/me", fourth.AccessToken), 401, "token_invalid")
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + fourth.RefreshToken + `"}`}); rec.Code != 200 {
			t.Fatalf("refresh within the session lifetime: %d %s", rec.Code, rec.Body)
		}
		fifth := s.freshLogin("dir1", demo.Password)
		s.advance(8 * 24 * time.Hour)
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + fifth.RefreshToken + `"}`}), 401, "refresh_token_invalid")
	})
}

func TestPasswordChangeClosesOtherSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		a, b := s.freshLogin("dir3", demo.Password), s.freshLogin("dir3", demo.Password)
		p := decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/me/password", token: a.AccessToken,
			body: `{"current_password":"` + demo.Password + `","new_password":"password1234"}`}), 422, "password_invalid")
		if p.Errors[0].Field != "new_password" || p.Errors[0].Code != "password_common" {
			t.Fatalf("weak new password: %+v", p)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/me/password", token: a.AccessToken,
			body: `{"current_password":"nope-nope-nope","new_password":"una-frase-lunga-e-sicura"}`}), 422, "password_change_invalid")
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/me/password", token: a.AccessToken,
			body: `{"current_password":"` + demo.Password + `","new_password":"una-frase-lunga-e-sicura"}`})
		if rec.Code != 204 {
			t.Fatalf("change: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/me", a.AccessToken); rec.Code != 200 {
			t.Fatalf("the session that changed the password stays open: %d", rec.Code)
		}
		decodeProblem(t, s.get("/api/v1/me", b.AccessToken), 401, "session_closed")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("dir3", demo.Password)}), 401, "invalid_credentials")
		s.freshLogin("dir3", "una-frase-lunga-e-sicura")
	})
}

func TestDisabledUserIsCutOffAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		victim := s.freshLogin("ref2", demo.Password)
		rpct := s.login("rpct")
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/users/" + s.userID("ref2") + "/disable", token: rpct})
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"disabled":true`) {
			t.Fatalf("disable: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.get("/api/v1/cycles", victim.AccessToken), 401, "account_disabled")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + victim.RefreshToken + `"}`}), 401, "refresh_token_invalid")
		// The right password of a disabled account gets the answer of a wrong one: sign-in reveals nothing.
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("ref2", demo.Password)}), 401, "invalid_credentials")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users/" + s.userID("rpct") + "/disable", token: rpct}), 409, "cannot_disable_self")
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/users/" + s.userID("ref2") + "/enable", token: rpct}); rec.Code != 200 {
			t.Fatalf("enable %d", rec.Code)
		}
		s.freshLogin("ref2", demo.Password)
	})
}

// TestLockout: five wrong passwords lock the account for a short time (5 minutes); while locked even the
// right password is refused with 429 and Retry-After; an unknown username behaves exactly the same; the lock
// lifts when it expires. The lock is short on purpose: the address throttle (TestAddressThrottle) carries
// the weight, so an attacker cannot keep an account locked.
func TestLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		for k, user := range []string{"dir2", "no-such-user"} {
			for i := 1; i <= 5; i++ {
				// Each from its own address: this test is about the account.
				addr := "198.51.100." + strconv.Itoa(10*k+i) + ":1"
				rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(user, "wrong-password-"+strconv.Itoa(i)), addr: addr})
				want, code := 401, "invalid_credentials"
				if i == 5 {
					want, code = 429, "too_many_attempts"
				}
				decodeProblem(t, rec, want, code)
				if i == 5 && rec.Header().Get("Retry-After") != "300" {
					t.Fatalf("%s: Retry-After %q", user, rec.Header().Get("Retry-After"))
				}
			}
			rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(user, demo.Password), addr: "198.51.100.99:1"})
			decodeProblem(t, rec, 429, "too_many_attempts")
		}
		s.advance(3 * time.Minute)
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("dir2", demo.Password), addr: "198.51.100.98:1"})
		decodeProblem(t, rec, 429, "too_many_attempts")
		if ra, _ := strconv.Atoi(rec.Header().Get("Retry-After")); ra != 120 {
			t.Fatalf("Retry-After after 3 minutes: %d", ra)
		}
		s.advance(2*time.Minute + time.Second)
		s.freshLogin("dir2", demo.Password)
		// Another account is unaffected.
		s.freshLogin("dir3", demo.Password)
	})
}

// TestAddressThrottle: an address gets AddrFreeFailures (10) failed attempts, whatever the accounts; then it
// is shut out for 30 s, and every further failure doubles the shut-out (60 s, 120 s, ...). Attempts while shut
// out are refused without counting, even with the right password; other addresses are unaffected, and a
// spoofed X-Forwarded-For does not dodge it.
func TestAddressThrottle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		const addr = "203.0.113.9:4000"
		for i := 1; i <= 10; i++ {
			rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("user-"+strconv.Itoa(i), "wrong-password-xx"), addr: addr})
			if (i < 10 && rec.Code != 401) || (i == 10 && rec.Code != 429) {
				t.Fatalf("attempt %d: %d", i, rec.Code)
			}
			if i == 10 && rec.Header().Get("Retry-After") != "30" {
				t.Fatalf("first shut-out: Retry-After %q", rec.Header().Get("Retry-After"))
			}
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("rpct", demo.Password), addr: "203.0.113.9:4001"}), 429, "too_many_attempts")
		s.freshLogin("rpct", demo.Password) // from another address
		// X-Forwarded-For is not trusted by default: it cannot be used to dodge the address lock.
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("rpct", demo.Password),
			addr: "203.0.113.9:4002", header: map[string]string{"X-Forwarded-For": "10.9.9.9"}})
		decodeProblem(t, rec, 429, "too_many_attempts")
		// Each further failure doubles the shut-out.
		for _, want := range []int{60, 120, 240, 480} {
			s.advance(time.Duration(want/2)*time.Second + time.Second)
			rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("user-x", "wrong-password-xx"), addr: addr})
			decodeProblem(t, rec, 429, "too_many_attempts")
			if got, _ := strconv.Atoi(rec.Header().Get("Retry-After")); got != want {
				t.Fatalf("shut-out %d s, want %d", got, want)
			}
		}
		// Once the shut-out has run out, the right password works from that address, and is not counted.
		s.advance(481 * time.Second)
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("rpct", demo.Password), addr: addr})
		if rec.Code != 200 {
			t.Fatalf("right password after the shut-out: %d %s", rec.Code, rec.Body)
		}
	})
}

func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestJWTAttacks presents forged and altered access tokens; every one is refused with 401.
func TestJWTAttacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		good := s.freshLogin("dir2", demo.Password).AccessToken
		parts := strings.Split(good, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var claims jwt.MapClaims
		if err := json.Unmarshal(payload, &claims); err != nil {
			t.Fatal(err)
		}
		with := func(changes map[string]any) jwt.MapClaims {
			c := jwt.MapClaims{}
			for k, v := range claims {
				c[k] = v
			}
			for k, v := range changes {
				if v == nil {
					delete(c, k)
				} else {
					c[k] = v
				}
			}
			return c
		}
		tamper := func(changes map[string]any) string {
			b, _ := json.Marshal(with(changes))
			return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
		}
		now := time.Now().Unix()
		rpctID := s.userID("rpct")
		otherRPCT := s.userID("x-rpct")
		noneToken, _ := jwt.NewWithClaims(jwt.SigningMethodNone, with(nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
		cases := map[string]string{
			"alg none":                         noneToken,
			"wrong key":                        sign(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-0123456"), with(nil)),
			"re-signed HS384":                  sign(t, jwt.SigningMethodHS384, []byte(secret), with(nil)),
			"re-signed HS512":                  sign(t, jwt.SigningMethodHS512, []byte(secret), with(nil)),
			"expired":                          sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"exp": now - 60})),
			"no expiry":                        sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"exp": nil})),
			"not yet valid":                    sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"nbf": now + 3600})),
			"no nbf":                           sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"nbf": nil})),
			"issued in the future":             sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"iat": now + 3600})),
			"wrong issuer":                     sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"iss": "someone-else"})),
			"wrong audience":                   sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"aud": []string{"other-api"}})),
			"tampered subject":                 tamper(map[string]any{"sub": rpctID}),
			"tampered ente":                    tamper(map[string]any{"ente": "00000000-0000-0000-0000-000000000000"}),
			"tampered role claim":              tamper(map[string]any{"role": "rpct"}),
			"tampered expiry":                  tamper(map[string]any{"exp": now + 86400*365}),
			"valid signature, foreign session": sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"sub": rpctID})),
			"valid signature, cross-ente user": sign(t, jwt.SigningMethodHS256, []byte(secret), with(map[string]any{"sub": otherRPCT})),
			"garbage":                          "not.a.token",
		}
		for name, tok := range cases {
			rec := s.get("/api/v1/me", tok)
			if rec.Code != 401 {
				t.Errorf("%s: status %d, want 401 (%s)", name, rec.Code, rec.Body)
			}
		}
		if rec := s.get("/api/v1/me", good); rec.Code != 200 {
			t.Fatalf("the genuine token must still work: %d", rec.Code)
		}
	})
}

// TestNoSecretsInLogs signs in, refreshes, reads and changes a password, then searches the log output for
// every secret involved.
func TestNoSecretsInLogs(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	tk := s.freshLogin("oiv", demo.Password)
	s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("oiv", "a-wrong-password-here")})
	rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + tk.RefreshToken + `"}`})
	var next service.Tokens
	decode(t, rec, &next)
	s.get("/api/v1/me?access_token="+next.AccessToken, next.AccessToken)
	s.do(request{method: http.MethodPost, path: "/api/v1/me/password", token: next.AccessToken,
		body: `{"current_password":"` + demo.Password + `","new_password":"una-nuova-frase-segreta"}`})
	creds, err := s.store.CredentialsByUsername(t.Context(), "oiv")
	if err != nil {
		t.Fatal(err)
	}
	logs := s.logs.String()
	if !strings.Contains(logs, "/api/v1/auth/login") {
		t.Fatalf("the log does not even show the requests:\n%s", logs)
	}
	for name, secretValue := range map[string]string{
		"password": demo.Password, "wrong password": "a-wrong-password-here", "new password": "una-nuova-frase-segreta",
		"access token": tk.AccessToken, "refresh token": tk.RefreshToken, "rotated refresh token": next.RefreshToken,
		"access token signature": strings.Split(next.AccessToken, ".")[2], "password hash": creds.PasswordHash,
		"signing key": secret,
	} {
		if strings.Contains(logs, secretValue) {
			t.Errorf("the log contains the %s", name)
		}
	}
}

// TestAccessCacheBoundsStaleness disables a user behind the server's back (as another instance or the
// command line would): the change is seen once the short cache entry lapses, while changes made through the
// API are seen at once (TestDisabledUserIsCutOffAtOnce).
func TestAccessCacheBoundsStaleness(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	tok := s.freshLogin("dir1", demo.Password).AccessToken
	if rec := s.get("/api/v1/me", tok); rec.Code != 200 {
		t.Fatal(rec.Code)
	}
	creds, _ := s.store.CredentialsByUsername(t.Context(), "dir1")
	if err := s.store.SetDisabled(t.Context(), creds.EnteID, creds.UserID, true); err != nil {
		t.Fatal(err)
	}
	s.advance(service.DefaultAuthConfig().AccessCacheTTL)
	decodeProblem(t, s.get("/api/v1/me", tok), 401, "account_disabled")
}

// TestConcurrentRefreshOneWins: the same refresh token presented twice at once yields one new pair; the
// other call is treated as a replay and closes the session.
func TestConcurrentRefreshOneWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tk := s.freshLogin("dir2", demo.Password)
		codes := make(chan int, 2)
		for i := 0; i < 2; i++ {
			go func() {
				rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + tk.RefreshToken + `"}`})
				codes <- rec.Code
			}()
		}
		a, b := <-codes, <-codes
		if a+b != 200+401 {
			t.Fatalf("statuses %d and %d, want one 200 and one 401", a, b)
		}
	})
}
