package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/mfa"
	"github.com/argine-pa/argine/internal/oidclogin"
	"github.com/argine-pa/argine/internal/oidctest"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

const (
	ssoEnte         = "cciaa-basilicata"
	ssoClientID     = "argine"
	ssoClientSecret = "argine-client-secret"
	idpPassword     = "password-at-the-idp"
)

// ssoEnv is Argine served over real HTTP with single sign-on configured for the demo ente, and a browser-like
// client (a cookie jar, redirects followed by hand so each hop can be looked at or tampered with).
type ssoEnv struct {
	t      *testing.T
	s      *server
	url    string // Argine's public URL
	client *http.Client
	sso    *service.SingleSignOn
}

// startSSO serves Argine on loopback; provider builds the ente's provider configuration from Argine's URL.
func startSSO(t *testing.T, db *database.DB, mfaRoles []domain.Role, provider func(argineURL string) oidclogin.Provider) *ssoEnv {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	argineURL := "http://" + ts.Listener.Addr().String()
	file := oidclogin.File{Providers: map[string]oidclogin.Provider{ssoEnte: provider(argineURL)}}
	login, err := oidclogin.New(file, argineURL, []byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	env := &ssoEnv{t: t, url: argineURL}
	env.s = newServer(t, db, func(d *httpapi.Deps) {
		cfg := service.DefaultAuthConfig()
		cfg.Secret = []byte(secret)
		cfg.MFARequiredRoles = mfaRoles
		auth, err := service.NewAuth(store.New(d.DB), d.Authz, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		d.Auth = auth
		env.sso = service.NewSingleSignOn(auth, login, d.Log)
		d.SSO = env.sso
	})
	ts.Config.Handler = env.s.handler
	ts.Start()
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	env.client = &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return env
}

func (e *ssoEnv) get(raw string) *http.Response {
	e.t.Helper()
	res, err := e.client.Get(raw)
	if err != nil {
		e.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func (e *ssoEnv) location(res *http.Response, want int) string {
	e.t.Helper()
	if res.StatusCode != want {
		e.t.Fatalf("%s: status %d, want %d", res.Request.URL, res.StatusCode, want)
	}
	loc, err := res.Location()
	if err != nil {
		e.t.Fatalf("%s: no Location: %v", res.Request.URL, err)
	}
	return loc.String()
}

// begin starts a sign-in at Argine and answers the provider's authorization URL.
func (e *ssoEnv) begin() string {
	e.t.Helper()
	return e.location(e.get(e.url+"/api/v1/auth/oidc/"+ssoEnte+"/login"), http.StatusFound)
}

var loginID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// atProvider follows the provider's pages from its authorization URL, signs in as username on its login form,
// and answers the callback URL (to Argine) the provider redirects to, without calling it.
func (e *ssoEnv) atProvider(authURL, username string) string {
	e.t.Helper()
	to := authURL
	for range 10 {
		if strings.HasPrefix(to, e.url+"/api/v1/auth/oidc/") {
			return to
		}
		res, err := e.client.Get(to)
		if err != nil {
			e.t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK { // the provider's login form
			m := loginID.FindSubmatch(body)
			if m == nil {
				e.t.Fatalf("provider page without a login form: %s", body)
			}
			form := url.Values{"id": {string(m[1])}, "username": {username}, "password": {idpPassword}}
			next, _ := url.Parse(to)
			res, err = e.client.PostForm(next.Scheme+"://"+next.Host+"/login/username", form)
			if err != nil {
				e.t.Fatal(err)
			}
			res.Body.Close()
		}
		loc, err := res.Location()
		if err != nil {
			e.t.Fatalf("provider answered %d without a redirect at %s", res.StatusCode, to)
		}
		to = loc.String()
	}
	e.t.Fatal("too many redirects at the provider")
	return ""
}

// callback calls Argine's callback and answers the fragment it sends the browser back with.
func (e *ssoEnv) callback(callbackURL string) url.Values {
	e.t.Helper()
	loc := e.location(e.get(callbackURL), http.StatusSeeOther)
	base, fragment, _ := strings.Cut(loc, "#")
	if base != e.url+"/" {
		e.t.Fatalf("sent back to %q, want the interface %q", base, e.url+"/")
	}
	v, err := url.ParseQuery(fragment)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *ssoEnv) wantError(v url.Values, code string) {
	e.t.Helper()
	if got := v.Get("oidc_error"); got != code {
		e.t.Fatalf("sign-in answered %v, want oidc_error=%s", v, code)
	}
	if v.Get("oidc_refresh") != "" || v.Get("oidc_mfa") != "" {
		e.t.Fatalf("a refused sign-in carries tokens: %v", v)
	}
}

// session spends the refresh token of the fragment as the interface does and answers the tokens.
func (e *ssoEnv) session(v url.Values) service.Tokens {
	e.t.Helper()
	refresh := v.Get("oidc_refresh")
	if refresh == "" {
		e.t.Fatalf("no session: %v", v)
	}
	body, _ := json.Marshal(map[string]string{"refresh_token": refresh})
	rec := e.s.do(request{method: http.MethodPost, path: "/api/v1/auth/refresh", body: string(body)})
	if rec.Code != http.StatusOK {
		e.t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
	}
	var tk service.Tokens
	decode(e.t, rec, &tk)
	return tk
}

func (e *ssoEnv) me(access string) (username string, roles []string, mustEnrol bool) {
	e.t.Helper()
	rec := e.s.get("/api/v1/me", access)
	if rec.Code != http.StatusOK {
		e.t.Fatalf("GET /me: %d %s", rec.Code, rec.Body)
	}
	var me struct {
		User struct {
			Username string `json:"username"`
		} `json:"user"`
		Grants []struct {
			Role string `json:"role"`
			Unit string `json:"unit"`
		} `json:"grants"`
		MFAEnrolmentRequired bool `json:"mfa_enrolment_required"`
	}
	decode(e.t, rec, &me)
	for _, g := range me.Grants {
		roles = append(roles, g.Role+":"+g.Unit)
	}
	return me.User.Username, roles, me.MFAEnrolmentRequired
}

// lastLogin is the trail's record of the latest sign-in.
func (e *ssoEnv) lastLogin() map[string]string {
	e.t.Helper()
	var after string
	err := e.s.db.Gorm.Raw(`SELECT after FROM audit_log WHERE entity = 'session' AND action = 'login' ORDER BY id DESC LIMIT 1`).Scan(&after).Error
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]string{}
	if err := json.Unmarshal([]byte(after), &out); err != nil {
		e.t.Fatalf("%q: %v", after, err)
	}
	return out
}

func (e *ssoEnv) sessions() int64 {
	e.t.Helper()
	var n int64
	if err := e.s.db.Gorm.Raw(`SELECT COUNT(*) FROM sessions`).Scan(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

func realProvider(t *testing.T, users ...oidctest.User) func(string) oidclogin.Provider {
	return func(argineURL string) oidclogin.Provider {
		idp, err := oidctest.Start(oidctest.Options{ClientID: ssoClientID, ClientSecret: ssoClientSecret,
			RedirectURIs:           []string{argineURL + "/api/v1/auth/oidc/" + ssoEnte + "/callback"},
			PostLogoutRedirectURIs: []string{argineURL + "/"}, Users: users})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(idp.Close)
		return oidclogin.Provider{DisplayName: "IdP di prova", Issuer: idp.Issuer, ClientID: ssoClientID}.WithSecret(ssoClientSecret)
	}
}

func idpUser(username string, amr ...string) oidctest.User {
	return oidctest.User{Username: username, Password: idpPassword, Name: "Persona " + username, Email: username + "@example.org", AMR: amr}
}

// A person signs in through a real OpenID provider: redirect, the provider's login form, callback, code
// exchange, ID token verification, the Argine session (the refresh token of the fragment, spent like the
// interface does), then GET /me with the access token. The provider's amr "mfa" satisfies the second-factor
// requirement of the RPCT; an administrator whose provider proved only a password is held to the TOTP
// enrolment. Sign-out sends the browser to the provider's end_session_endpoint.
func TestOIDCSignInWithARealProvider(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := startSSO(t, db, []domain.Role{domain.RoleAdmin, domain.RoleRPCT},
			realProvider(t, idpUser("dir2", "pwd"), idpUser("rpct", "pwd", "mfa"), idpUser("admin", "pwd")))

		var providers struct {
			Items []oidclogin.ProviderInfo `json:"items"`
		}
		decode(t, e.s.get("/api/v1/auth/oidc/providers", ""), &providers)
		if len(providers.Items) != 1 || providers.Items[0].DisplayName != "IdP di prova" || providers.Items[0].LoginURL != "/api/v1/auth/oidc/"+ssoEnte+"/login" {
			t.Fatalf("providers: %+v", providers.Items)
		}

		authURL := e.begin()
		q, _ := url.Parse(authURL)
		for _, p := range []string{"state", "nonce", "code_challenge"} {
			if q.Query().Get(p) == "" {
				t.Fatalf("authorization request without %s: %s", p, authURL)
			}
		}
		if q.Query().Get("code_challenge_method") != "S256" {
			t.Fatalf("PKCE method: %s", authURL)
		}
		tk := e.session(e.callback(e.atProvider(authURL, "dir2")))
		user, roles, mustEnrol := e.me(tk.AccessToken)
		if user != "dir2" || strings.Join(roles, ",") != "director:AD2" || mustEnrol {
			t.Fatalf("GET /me: %s %v enrol=%v", user, roles, mustEnrol)
		}
		if got := e.lastLogin(); got["method"] != "oidc" || got["provider"] != "IdP di prova" || got["second_factor"] != "none" {
			t.Fatalf("trail of the sign-in: %v", got)
		}

		// The provider proved a second factor: the RPCT's requirement is met without Argine's TOTP.
		tk = e.session(e.callback(e.atProvider(e.begin(), "rpct")))
		user, roles, mustEnrol = e.me(tk.AccessToken)
		if user != "rpct" || strings.Join(roles, ",") != "rpct:" || mustEnrol {
			t.Fatalf("RPCT with amr mfa: %s %v enrol=%v", user, roles, mustEnrol)
		}
		if tk.MFAEnrolmentRequired {
			t.Fatal("the refresh after a sign-in with amr mfa asks for enrolment")
		}
		if got := e.lastLogin(); got["second_factor"] != "amr:mfa" {
			t.Fatalf("trail of the RPCT's sign-in: %v", got)
		}
		if rec := e.s.get("/api/v1/users", tk.AccessToken); rec.Code != http.StatusOK {
			t.Fatalf("the RPCT signed in with the provider's second factor is held back: %d %s", rec.Code, rec.Body)
		}

		// Sign-out ends the Argine session and names the provider's end_session_endpoint.
		rec := e.s.do(request{method: http.MethodPost, path: "/api/v1/auth/logout", token: tk.AccessToken})
		var out struct {
			LogoutURL string `json:"logout_url"`
		}
		decode(t, rec, &out)
		lo, err := url.Parse(out.LogoutURL)
		if rec.Code != http.StatusOK || err != nil || lo.Query().Get("id_token_hint") == "" || lo.Query().Get("post_logout_redirect_uri") != e.url+"/" {
			t.Fatalf("logout: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, e.s.get("/api/v1/me", tk.AccessToken), http.StatusUnauthorized, "session_closed")
		// The provider accepts the RP-initiated logout and sends the person back to Argine.
		if back := e.location(e.get(out.LogoutURL), http.StatusFound); back != e.url+"/" {
			t.Fatalf("the provider's sign-out sends back to %q", back)
		}

		// Only a password at the provider: the administrator must enrol Argine's TOTP before anything else.
		tk = e.session(e.callback(e.atProvider(e.begin(), "admin")))
		if !tk.MFAEnrolmentRequired {
			t.Fatalf("administrator without a second factor: %+v", tk)
		}
		decodeProblem(t, e.s.get("/api/v1/users", tk.AccessToken), http.StatusForbidden, "mfa_enrolment_required")

		// Once Argine's TOTP is enrolled, a sign-in whose provider proved no second factor asks for the code.
		rec = e.s.do(request{method: http.MethodPost, path: "/api/v1/me/mfa/totp", token: tk.AccessToken})
		var enrolment mfa.Enrolment
		decode(t, rec, &enrolment)
		code, _ := mfa.Code(enrolment.Secret, time.Now())
		body, _ := json.Marshal(map[string]string{"code": code})
		if rec := e.s.do(request{method: http.MethodPost, path: "/api/v1/me/mfa/totp/confirm", token: tk.AccessToken, body: string(body)}); rec.Code != http.StatusOK {
			t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
		}
		back := e.callback(e.atProvider(e.begin(), "admin"))
		if back.Get("oidc_mfa") == "" || back.Get("oidc_refresh") != "" {
			t.Fatalf("an account with TOTP, provider without a second factor: %v", back)
		}
		code, _ = mfa.Code(enrolment.Secret, time.Now().Add(mfa.Period*time.Second)) // the next step: the last one is used
		body, _ = json.Marshal(map[string]string{"mfa_token": back.Get("oidc_mfa"), "code": code})
		rec = e.s.do(request{method: http.MethodPost, path: "/api/v1/auth/mfa", body: string(body)})
		var second service.Tokens
		decode(t, rec, &second)
		if rec.Code != http.StatusOK || second.AccessToken == "" || second.MFAEnrolmentRequired {
			t.Fatalf("TOTP step after single sign-on: %d %s", rec.Code, rec.Body)
		}
		if got := e.lastLogin(); got["method"] != "oidc+totp" || got["provider"] != "IdP di prova" || got["second_factor"] != "totp" {
			t.Fatalf("trail of the sign-in with TOTP: %v", got)
		}
	})
}

// The attacks that need no forged token, against the real provider: each would open a session if its check
// were removed.
func TestOIDCRefusesTamperedCallbacks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		e := startSSO(t, db, nil, realProvider(t, idpUser("dir2"), idpUser("sconosciuto")))

		t.Run("wrong state", func(t *testing.T) {
			cb, _ := url.Parse(e.atProvider(e.begin(), "dir2"))
			q := cb.Query()
			q.Set("state", "stato-di-un-altro-browser")
			cb.RawQuery = q.Encode()
			before := e.sessions()
			e.wantError(e.callback(cb.String()), "oidc_state_invalid")
			if e.sessions() != before {
				t.Fatal("a session was opened")
			}
		})

		t.Run("callback without the browser's cookie", func(t *testing.T) {
			cb := e.atProvider(e.begin(), "dir2")
			jar, _ := cookiejar.New(nil)
			other := &ssoEnv{t: t, s: e.s, url: e.url, client: &http.Client{Jar: jar, CheckRedirect: e.client.CheckRedirect}}
			other.wantError(other.callback(cb), "oidc_state_invalid")
		})

		t.Run("replayed code", func(t *testing.T) {
			cb := e.atProvider(e.begin(), "dir2")
			argine, _ := url.Parse(e.url + "/api/v1/auth/oidc/" + ssoEnte + "/")
			cookies := e.client.Jar.Cookies(argine) // the flow cookie, as an attacker who copied it would hold it
			e.session(e.callback(cb))
			e.client.Jar.SetCookies(argine, cookies)
			before := e.sessions()
			e.wantError(e.callback(cb), "oidc_state_used")
			if e.sessions() != before {
				t.Fatal("the replay opened a session")
			}
		})

		t.Run("wrong nonce", func(t *testing.T) {
			// The state is this browser's, but the authorization request reaching the provider carries another
			// nonce (an ID token minted for another sign-in): the ID token does not belong to this flow.
			auth, _ := url.Parse(e.begin())
			q := auth.Query()
			q.Set("nonce", "nonce-di-un-altro-accesso")
			auth.RawQuery = q.Encode()
			e.wantError(e.callback(e.atProvider(auth.String(), "dir2")), "oidc_nonce_invalid")
		})

		t.Run("unknown user with existing users only", func(t *testing.T) {
			before := e.sessions()
			e.wantError(e.callback(e.atProvider(e.begin(), "sconosciuto")), "oidc_user_unknown")
			var n int64
			if err := e.s.db.Gorm.Raw(`SELECT COUNT(*) FROM users WHERE username = 'sconosciuto'`).Scan(&n).Error; err != nil || n != 0 {
				t.Fatalf("an account was created (%d, %v)", n, err)
			}
			if e.sessions() != before {
				t.Fatal("a session was opened")
			}
			if logs := e.s.logs.String(); !strings.Contains(logs, "oidc_user_unknown") || strings.Contains(logs, idpPassword) {
				t.Fatalf("the failure is not logged, or logged with a secret: %s", logs)
			}
		})
	})
}

// map_claims mode creates the account of a person the provider vouches for, with the grants of their groups;
// without a mapped group nobody is created.
func TestOIDCMapsClaimsToNewAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		nuovo := idpUser("nuovo.dirigente")
		nuovo.Groups = []string{"argine-dirigenti-ad2", "altro"}
		e := startSSO(t, db, nil, func(u string) oidclogin.Provider {
			p := realProvider(t, nuovo, idpUser("senza.gruppi"))(u)
			p.Mode, p.RoleClaim = oidclogin.ModeMapClaims, "groups"
			p.RoleMapping = map[string][]oidclogin.Grant{"argine-dirigenti-ad2": {{Role: "director", Unit: "AD2"}}}
			return p
		})
		tk := e.session(e.callback(e.atProvider(e.begin(), "nuovo.dirigente")))
		user, roles, _ := e.me(tk.AccessToken)
		if user != "nuovo.dirigente" || strings.Join(roles, ",") != "director:AD2" {
			t.Fatalf("created account: %s %v", user, roles)
		}
		e.wantError(e.callback(e.atProvider(e.begin(), "senza.gruppi")), "oidc_user_unknown")
		// The account has no password: the password sign-in cannot open it.
		rec := e.s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("nuovo.dirigente", "")})
		if rec.Code == http.StatusOK {
			t.Fatal("an account created by single sign-on signs in without a password")
		}
	})
}

// fakeIdP is a tiny provider whose token endpoint answers ID tokens the test forges with its own key: only
// for the attacks that need a token no real provider would issue.
type fakeIdP struct {
	srv   *httptest.Server
	key   *rsa.PrivateKey
	mu    sync.Mutex
	token string
}

func startFakeIdP(t *testing.T) *fakeIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeIdP{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		u := f.srv.URL
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": u, "authorization_endpoint": u + "/authorize",
			"token_endpoint": u + "/token", "jwks_uri": u + "/keys", "response_types_supported": []string{"code"},
			"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256", "none"}})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "opaque", "token_type": "Bearer", "expires_in": 300, "id_token": f.token})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIdP) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: f.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func unsigned(claims map[string]any) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	payload, _ := json.Marshal(claims)
	return header + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

// ID tokens no real provider would issue, each refused for its reason: another issuer, another audience,
// expired, unsigned (alg none). The well-formed token of the same fake provider is accepted, so each refusal
// is the check's and not the harness's.
func TestOIDCRefusesForgedIDTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		fake := startFakeIdP(t)
		e := startSSO(t, db, nil, func(string) oidclogin.Provider {
			return oidclogin.Provider{DisplayName: "Falso", Issuer: fake.srv.URL, ClientID: ssoClientID}.WithSecret(ssoClientSecret)
		})
		// try runs a sign-in whose token endpoint answers the token made from the flow's nonce.
		try := func(makeToken func(nonce string) string) url.Values {
			t.Helper()
			auth, err := url.Parse(e.begin())
			if err != nil {
				t.Fatal(err)
			}
			fake.mu.Lock()
			fake.token = makeToken(auth.Query().Get("nonce"))
			fake.mu.Unlock()
			return e.callback(e.url + "/api/v1/auth/oidc/" + ssoEnte + "/callback?code=any&state=" + url.QueryEscape(auth.Query().Get("state")))
		}
		claims := func(nonce string) map[string]any {
			now := time.Now()
			return map[string]any{"iss": fake.srv.URL, "aud": ssoClientID, "sub": "s-1", "preferred_username": "dir2",
				"nonce": nonce, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
		}
		cases := []struct {
			name, reason string
			token        func(nonce string) string
		}{
			{"another issuer", "different provider", func(n string) string {
				c := claims(n)
				c["iss"] = "https://idp.altro-ente.example"
				return fake.sign(t, c)
			}},
			{"another audience", "audience", func(n string) string {
				c := claims(n)
				c["aud"] = "un-altro-client"
				return fake.sign(t, c)
			}},
			{"expired", "expired", func(n string) string {
				c := claims(n)
				c["iat"], c["exp"] = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-30*time.Minute).Unix()
				return fake.sign(t, c)
			}},
			{"alg none", "none", func(n string) string { return unsigned(claims(n)) }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := e.sessions()
				e.wantError(try(c.token), "oidc_token_invalid")
				if e.sessions() != before {
					t.Fatal("a session was opened")
				}
				lines := strings.Split(e.s.logs.String(), "\n")
				last := ""
				for _, l := range lines {
					if strings.Contains(l, "oidc sign-in refused") {
						last = l
					}
				}
				if !strings.Contains(last, c.reason) {
					t.Fatalf("refused for another reason than %q: %s", c.reason, last)
				}
			})
		}
		t.Run("well-formed token (control)", func(t *testing.T) {
			tk := e.session(try(func(n string) string { return fake.sign(t, claims(n)) }))
			if user, _, _ := e.me(tk.AccessToken); user != "dir2" {
				t.Fatalf("signed in as %q", user)
			}
		})
	})
}

// With local accounts switched off for the ente, a password opens nothing but the break-glass administrator's;
// a wrong password still answers as before (the switch reveals nothing to who does not know the password).
func TestOIDCLocalAccountsSwitchedOff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		off := false
		e := startSSO(t, db, nil, func(u string) oidclogin.Provider {
			p := realProvider(t, idpUser("dir2"))(u)
			p.LocalAccounts, p.BreakGlassUsers = &off, []string{"admin"}
			return p
		})
		decodeProblem(t, e.s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("dir2", demo.Password)}),
			http.StatusForbidden, "local_login_disabled")
		decodeProblem(t, e.s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("dir2", "wrong-password-123")}),
			http.StatusUnauthorized, "invalid_credentials")
		if tk := e.s.freshLogin("admin", demo.Password); tk.AccessToken == "" {
			t.Fatal("the break-glass administrator cannot sign in")
		}
		// Another ente's people are not concerned.
		if tk := e.s.freshLogin("x-rpct", demo.Password); tk.AccessToken == "" {
			t.Fatal("another ente's password sign-in is off")
		}
		// The ente's people sign in with the provider.
		tk := e.session(e.callback(e.atProvider(e.begin(), "dir2")))
		if user, _, _ := e.me(tk.AccessToken); user != "dir2" {
			t.Fatalf("signed in as %q", user)
		}
		var providers struct {
			Items []oidclogin.ProviderInfo `json:"items"`
		}
		decode(t, e.s.get("/api/v1/auth/oidc/providers", ""), &providers)
		if providers.Items[0].LocalAccounts {
			t.Fatal("the login page is not told that passwords are off")
		}
	})
}
