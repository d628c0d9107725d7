package httpapi_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// newTunedServer is newServer with its own auth service, built from the default configuration changed by tune.
func newTunedServer(t *testing.T, db *database.DB, tune func(*service.AuthConfig)) *server {
	t.Helper()
	var auth *service.Auth
	s := newServer(t, db, func(d *httpapi.Deps) {
		cfg := service.DefaultAuthConfig()
		cfg.Secret = []byte(secret)
		tune(&cfg)
		var err error
		if auth, err = service.NewAuth(store.New(d.DB), d.Authz, service.NewAccessCache(cfg.AccessCacheTTL), cfg); err != nil {
			t.Fatal(err)
		}
		d.Auth = auth
	})
	auth.SetClock(s.now)
	s.auth = auth
	return s
}

func loginAt(s *server, user, pw, addr string) *httptest.ResponseRecorder {
	return s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(user, pw), addr: addr})
}

// holdHashes makes the first n password hashes wait until release is called; entered receives one value per
// hash that started (held or not).
func holdHashes(s *server, n int) (entered chan struct{}, release func()) {
	entered = make(chan struct{}, 64)
	gate := make(chan struct{})
	var count atomic.Int64
	s.auth.Hasher().SetHook(func() {
		entered <- struct{}{}
		if count.Add(1) <= int64(n) {
			<-gate
		}
	})
	var once sync.Once
	return entered, func() { once.Do(func() { close(gate) }) }
}

// TestBurstAfterTheLimitNeverLetsTheRightPasswordIn: the account has 4 failures (limit 5). Six wrong
// passwords arrive at once and are still hashing when the right password arrives: it must be refused, since
// the account passed its limit before it. Attempts are counted atomically before the hash, so only one of the
// six wrong ones is even hashed. (Before: the lock was checked, then the password hashed, then the failure
// written, so every attempt of a burst saw an unlocked account and the right one got in.)
func TestBurstAfterTheLimitNeverLetsTheRightPasswordIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newTunedServer(t, db, func(c *service.AuthConfig) { c.HashSlots, c.HashQueue, c.HashWait = 16, 16, time.Minute })
		for i := 1; i <= 4; i++ {
			decodeProblem(t, loginAt(s, "dir2", "wrong-password-"+strconv.Itoa(i), "198.51.100."+strconv.Itoa(i)+":1"), 401, "invalid_credentials")
		}
		const burst = 6
		entered, release := holdHashes(s, burst)
		defer release()
		codes := make(chan int, burst)
		for i := range burst {
			go func() {
				codes <- loginAt(s, "dir2", "wrong-burst-"+strconv.Itoa(i), "198.51.101."+strconv.Itoa(i)+":1").Code
			}()
		}
		// Wait until every wrong attempt is either hashing (held) or answered.
		var answered []int
		for range burst {
			select {
			case <-entered:
			case c := <-codes:
				answered = append(answered, c)
			}
		}
		right := loginAt(s, "dir2", demo.Password, "198.51.102.1:1")
		release()
		for len(answered) < burst {
			answered = append(answered, <-codes)
		}
		decodeProblem(t, right, 429, "too_many_attempts")
		for _, c := range answered {
			if c != 401 && c != 429 {
				t.Fatalf("a wrong password got %d", c)
			}
		}
		if p := s.auth.Hasher().Peak(); p > 1 {
			t.Errorf("%d wrong passwords were hashed at once: only the one within the limit should be", p)
		}
	})
}

// TestHashingIsBounded: with two hash slots and a queue of one, two sign-ins hash, a third waits, a fourth is
// refused at once with 503 and Retry-After; it is not counted as a failure. Thirty parallel sign-ins never hash
// more than two at a time.
func TestHashingIsBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newTunedServer(t, db, func(c *service.AuthConfig) { c.HashSlots, c.HashQueue, c.HashWait = 2, 1, time.Minute })
		entered, release := holdHashes(s, 2)
		defer release()
		codes := make(chan int, 3)
		for i := range 2 {
			go func() {
				codes <- loginAt(s, "dir"+strconv.Itoa(i+1), demo.Password, "198.51.100."+strconv.Itoa(i+1)+":1").Code
			}()
		}
		<-entered
		<-entered // both slots held
		go func() { codes <- loginAt(s, "dir3", demo.Password, "198.51.100.3:1").Code }()
		for s.auth.Hasher().Waiting() < 1 { // the third takes the one queue place
			time.Sleep(time.Millisecond)
		}
		busy := loginAt(s, "oiv", "wrong-password-x", "198.51.100.9:1")
		decodeProblem(t, busy, 503, "server_busy")
		if busy.Header().Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}
		release()
		for range 3 {
			if c := <-codes; c != 200 {
				t.Fatalf("a held sign-in got %d", c)
			}
		}
		if p := s.auth.Hasher().Peak(); p != 2 {
			t.Fatalf("peak of concurrent hashes %d, want 2", p)
		}
		// The refused attempt was not counted: four wrong passwords still leave oiv one try.
		for i := 1; i <= 4; i++ {
			decodeProblem(t, loginAt(s, "oiv", "wrong-password-"+strconv.Itoa(i), "198.51.103."+strconv.Itoa(i)+":1"), 401, "invalid_credentials")
		}
		s.auth.Hasher().SetHook(nil)

		var wg sync.WaitGroup
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				loginAt(s, "rpct", demo.Password, "198.51.104."+strconv.Itoa(i)+":1")
			}()
		}
		wg.Wait()
		if p := s.auth.Hasher().Peak(); p > 2 {
			t.Fatalf("30 parallel sign-ins hashed %d at once, bound is 2", p)
		}
	})
}

// TestSignInRevealsNothing: an unknown username, a user of another ente, a disabled account (with its right
// password) and a wrong password get the same status and body, and each costs exactly one argon2id
// verification (a dummy one when there is no user), so the time does not tell them apart either.
func TestSignInRevealsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		creds, err := s.store.CredentialsByUsername(t.Context(), "ref2")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.store.SetDisabled(t.Context(), creds.EnteID, creds.UserID, true); err != nil {
			t.Fatal(err)
		}
		var hashes atomic.Int64
		s.auth.Hasher().SetHook(func() { hashes.Add(1) })
		body := func(user, pw, ente string) string {
			b, _ := json.Marshal(map[string]string{"username": user, "password": pw, "ente": ente})
			return string(b)
		}
		cases := map[string]string{
			"wrong password": body("dir1", "wrong-password-x", "cciaa-basilicata"),
			"unknown user":   body("nobody-here", demo.Password, "cciaa-basilicata"),
			"other ente":     body("x-rpct", demo.Password, "cciaa-basilicata"),
			"disabled":       body("ref2", demo.Password, "cciaa-basilicata"),
		}
		var first string
		i := 0
		for name, b := range cases {
			i++
			hashes.Store(0)
			rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: b, addr: "198.51.100." + strconv.Itoa(i) + ":1"})
			var p map[string]any
			decode(t, rec, &p)
			delete(p, "request_id")
			got, _ := json.Marshal(p)
			if rec.Code != 401 || p["code"] != "invalid_credentials" {
				t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
			}
			if first == "" {
				first = string(got)
			} else if string(got) != first {
				t.Fatalf("%s answers %s, another case %s", name, got, first)
			}
			if n := hashes.Load(); n != 1 {
				t.Fatalf("%s: %d argon2id computations, want exactly 1", name, n)
			}
		}
		// Naming the right ente signs in; without an ente the username alone decides.
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: body("x-rpct", demo.Password, otherEnte)}); rec.Code != 200 {
			t.Fatalf("right ente: %d %s", rec.Code, rec.Body)
		}
		s.freshLogin("x-rpct", demo.Password)
	})
}

// TestAttackerCannotKeepTheRPCTLockedOut: for half an hour an attacker tries the RPCT's account from one address
// every 10 seconds. The first five failures lock the account for 5 minutes; from then on the attacker's
// address is shut out for longer and longer, so it can never gather the failures that would lock the account
// again. The RPCT, signing in once a minute from their own address, is refused only during that first lock.
// (Before: a 15-minute lock that every fifth failure renewed kept the RPCT out the whole time.)
func TestAttackerCannotKeepTheRPCTLockedOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		refused := 0
		for minute := range 30 {
			for i := range 6 {
				rec := loginAt(s, "rpct", "guess-"+strconv.Itoa(minute)+"-"+strconv.Itoa(i), "203.0.113.66:1")
				if rec.Code != 401 && rec.Code != 429 {
					t.Fatalf("attacker got %d", rec.Code)
				}
				s.advance(10 * time.Second)
			}
			if loginAt(s, "rpct", demo.Password, "192.0.2.44:1").Code != 200 {
				refused++
			}
		}
		if refused > 6 {
			t.Fatalf("the RPCT was refused in %d of 30 minutes", refused)
		}
	})
}

// TestTemporaryPasswordMustBeChanged: a user created by an administrator, or whose password someone else
// reset, signs in with password_change_required; until they change it (giving the current password) every
// route but GET /me, POST /me/password and logout answers 403 password_change_required.
func TestTemporaryPasswordMustBeChanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		admin := s.login("admin")
		const temp, chosen = "temporanea-scelta-da-admin", "la-mia-frase-personale"
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/users", token: admin,
			body: `{"username":"nuova.referente","full_name":"Nuova","email":"","password":"` + temp + `","grants":[{"role":"referente","unit":"AD2"}]}`})
		if rec.Code != 201 || !strings.Contains(rec.Body.String(), `"must_change_password":true`) {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		tk := s.freshLogin("nuova.referente", temp)
		if !tk.PasswordChangeRequired {
			t.Fatal("login does not say the password must be changed")
		}
		if rec := s.get("/api/v1/me", tk.AccessToken); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"must_change_password":true`) {
			t.Fatalf("me: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.get("/api/v1/cycles", tk.AccessToken), 403, "password_change_required")
		decodeProblem(t, s.get("/api/v1/users", tk.AccessToken), 403, "password_change_required")
		// Refreshing keeps saying so.
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: `{"refresh_token":"` + tk.RefreshToken + `"}`})
		var again service.Tokens
		decode(t, rec, &again)
		if rec.Code != 200 || !again.PasswordChangeRequired {
			t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
		}
		change := func(current, next string) *httptest.ResponseRecorder {
			b, _ := json.Marshal(map[string]string{"current_password": current, "new_password": next})
			return s.do(request{method: http.MethodPost, path: "/api/v1/me/password", token: again.AccessToken, body: string(b)})
		}
		p := decodeProblem(t, change("not-the-current-one", chosen), 422, "password_change_invalid")
		if p.Errors[0].Field != "current_password" {
			t.Fatalf("wrong current password: %+v", p)
		}
		if rec := change(temp, chosen); rec.Code != 204 {
			t.Fatalf("change: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/cycles", again.AccessToken); rec.Code != 200 {
			t.Fatalf("after the change: %d %s", rec.Code, rec.Body)
		}
		if s.freshLogin("nuova.referente", chosen).PasswordChangeRequired {
			t.Fatal("still required after the change")
		}

		// A reset by someone else makes it temporary again.
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/users/" + s.userID("dir3") + "/password", token: admin,
			body: `{"password":"reimpostata-da-admin"}`}); rec.Code != 204 {
			t.Fatalf("reset: %d %s", rec.Code, rec.Body)
		}
		reset := s.freshLogin("dir3", "reimpostata-da-admin")
		if !reset.PasswordChangeRequired {
			t.Fatal("a reset password is not temporary")
		}
		decodeProblem(t, s.get("/api/v1/cycles", reset.AccessToken), 403, "password_change_required")
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/logout", token: reset.AccessToken}); rec.Code != 204 {
			t.Fatalf("logout: %d", rec.Code)
		}

		// The operator's command line creates temporary passwords too.
		creds, err := s.store.CredentialsByUsername(t.Context(), "dir1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.users.AsOperator().Create(t.Context(), creds.EnteID, service.NewUser{Username: "da.riga.di.comando", Password: "temporanea-da-operatore"}); err != nil {
			t.Fatal(err)
		}
		if !s.freshLogin("da.riga.di.comando", "temporanea-da-operatore").PasswordChangeRequired {
			t.Fatal("a password set by the operator is not temporary")
		}
	})
}

// TestPasswordChangeIsThrottled: the current password asked by POST /me/password is throttled like a sign-in
// (a stolen access token must not become a guessing oracle): the fifth wrong one locks, and then even the
// right one is refused with 429 until the lock ends.
func TestPasswordChangeIsThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tk := s.freshLogin("dir1", demo.Password)
		change := func(current string) *httptest.ResponseRecorder {
			b, _ := json.Marshal(map[string]string{"current_password": current, "new_password": "una-frase-lunga-e-nuova"})
			return s.do(request{method: http.MethodPost, path: "/api/v1/me/password", token: tk.AccessToken, body: string(b)})
		}
		for i := 1; i <= 4; i++ {
			decodeProblem(t, change("wrong-current-"+strconv.Itoa(i)), 422, "password_change_invalid")
		}
		rec := change("wrong-current-5")
		decodeProblem(t, rec, 429, "too_many_attempts")
		if rec.Header().Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		decodeProblem(t, change(demo.Password), 429, "too_many_attempts")
		s.advance(5*time.Minute + time.Second)
		if rec := change(demo.Password); rec.Code != 204 {
			t.Fatalf("after the lock: %d %s", rec.Code, rec.Body)
		}
	})
}

// TestGrantSyncFailureFailsClosed: when the policy cannot load a user's changed grants, the request is refused
// (500) and the error logged, instead of running on the grants loaded before.
func TestGrantSyncFailureFailsClosed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		var az *authz.Authorizer
		s := newServer(t, db, func(d *httpapi.Deps) { az = d.Authz })
		tk := s.login("dir2")
		if rec := s.get("/api/v1/me", tk); rec.Code != 200 {
			t.Fatalf("me: %d", rec.Code)
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/users/" + s.userID("dir2") + "/grants", token: s.login("admin"),
			body: `{"role":"referente","unit":"AD3"}`}); rec.Code != 201 {
			t.Fatalf("grant: %d %s", rec.Code, rec.Body)
		}
		az.SetSyncFault(func(string) error { return errors.New("policy store unavailable") })
		defer az.SetSyncFault(nil)
		decodeProblem(t, s.get("/api/v1/me", tk), 500, "internal_error")
		if !strings.Contains(s.logs.String(), "policy store unavailable") {
			t.Fatalf("the failure is not logged:\n%s", s.logs.String())
		}
		az.SetSyncFault(nil)
		if rec := s.get("/api/v1/me", tk); rec.Code != 200 {
			t.Fatalf("after the fault: %d", rec.Code)
		}
	})
}
