package oidclogin

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/argine-pa/argine/internal/domain"
)

// CookieName is the cookie holding a sign-in in progress (state, nonce, PKCE verifier), signed with a key
// derived from the server's signing key. It is HttpOnly, SameSite=Lax (the provider's redirect back is a
// top-level GET, which Lax lets through) and Secure behind https, limited to the ente's OIDC paths.
const CookieName = "argine_oidc"

// FlowTTL is how long a person has at the provider between leaving Argine and coming back.
const FlowTTL = 10 * time.Minute

// discoveryTTL: a provider's discovery document (endpoints, keys' location) is read again after this long, so
// a provider that moves its endpoints is followed without a restart.
const discoveryTTL = time.Hour

// signingAlgorithms are the only ID token algorithms accepted: asymmetric ones. "none" and HS256 (which a
// provider could only use with the client secret as key) are refused whatever the discovery document says.
var signingAlgorithms = []string{oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512,
	oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA}

// Login runs the sign-ins with the configured providers.
type Login struct {
	file      File
	publicURL string
	cookieKey []byte
	secure    bool
	client    *http.Client
	now       func() time.Time

	mu         sync.Mutex
	discovered map[string]*discovered
}

type discovered struct {
	provider   *oidc.Provider
	endSession string
	at         time.Time
}

// New prepares the sign-ins. publicURL is ARGINE_PUBLIC_URL (the redirect URIs are built on it, so it is
// required); secret is the server's signing key, from which the cookie key is derived.
func New(f File, publicURL string, secret []byte) (*Login, error) {
	publicURL = strings.TrimRight(strings.TrimSpace(publicURL), "/")
	u, err := url.Parse(publicURL)
	if publicURL == "" || err != nil || u.Host == "" {
		return nil, errors.New("oidc: ARGINE_PUBLIC_URL is required with ARGINE_OIDC_CONFIG_FILE: the redirect URI registered at the provider is built on it")
	}
	if err := f.Check(); err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("argine oidc flow cookie"))
	return &Login{file: f, publicURL: publicURL, cookieKey: mac.Sum(nil), secure: u.Scheme == "https",
		client: &http.Client{Timeout: 15 * time.Second}, now: time.Now, discovered: map[string]*discovered{}}, nil
}

// SetClock replaces the clock that checks the flow's expiry and the ID token's (tests).
func (l *Login) SetClock(now func() time.Time) { l.now = now }

// File is the configuration the sign-ins run on.
func (l *Login) File() File { return l.file }

// PublicURL is ARGINE_PUBLIC_URL without a trailing slash.
func (l *Login) PublicURL() string { return l.publicURL }

// ProviderInfo is what the login page shows of an ente's provider.
type ProviderInfo struct {
	Ente        string `json:"ente"`
	DisplayName string `json:"display_name"`
	LoginURL    string `json:"login_url"`
	// LocalAccounts false: the ente's people sign in with the provider only (but a break-glass administrator).
	LocalAccounts bool `json:"local_accounts"`
}

// Providers lists the configured providers, by ente code.
func (l *Login) Providers() []ProviderInfo {
	out := make([]ProviderInfo, 0, len(l.file.Providers))
	for ente, p := range l.file.Providers {
		out = append(out, ProviderInfo{Ente: ente, DisplayName: p.DisplayName, LoginURL: LoginPath(ente),
			LocalAccounts: p.LocalAccounts == nil || *p.LocalAccounts})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ente < out[j].Ente })
	return out
}

// LoginPath is where the browser goes to sign in with an ente's provider.
func LoginPath(ente string) string { return "/api/v1/auth/oidc/" + url.PathEscape(ente) + "/login" }

// RedirectURI is the callback to register at the provider: ARGINE_PUBLIC_URL + /api/v1/auth/oidc/<ente>/callback.
func (l *Login) RedirectURI(ente string) string {
	return l.publicURL + "/api/v1/auth/oidc/" + url.PathEscape(ente) + "/callback"
}

var errNotConfigured = domain.NotFound("oidc_not_configured", "no identity provider is configured for this ente")

func (l *Login) provider(ente string) (Provider, error) {
	p, ok := l.file.Providers[ente]
	if !ok {
		return Provider{}, errNotConfigured
	}
	return p, nil
}

// discover reads (or reuses) the provider's discovery document. A failure is not kept: the next sign-in tries
// again.
func (l *Login) discover(ctx context.Context, ente string, p Provider) (*discovered, error) {
	l.mu.Lock()
	d := l.discovered[ente]
	l.mu.Unlock()
	if d != nil && l.now().Sub(d.at) < discoveryTTL {
		return d, nil
	}
	op, err := oidc.NewProvider(oidc.ClientContext(ctx, l.client), p.Issuer)
	if err != nil {
		return nil, &FlowError{Code: "oidc_provider_unavailable", Reason: fmt.Sprintf("discovery of %s: %v", p.Issuer, err)}
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = op.Claims(&extra)
	d = &discovered{provider: op, endSession: extra.EndSession, at: l.now()}
	l.mu.Lock()
	l.discovered[ente] = d
	l.mu.Unlock()
	return d, nil
}

func (l *Login) oauth2Config(ente string, p Provider, d *discovered) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.clientSecret, Endpoint: d.provider.Endpoint(),
		RedirectURL: l.RedirectURI(ente), Scopes: p.Scopes}
}

// FlowError is a sign-in that failed at the provider or in its checks. Code is stable and safe to show
// (the interface translates it); Reason is for the server's log and holds no secret (no code, token or state).
type FlowError struct {
	Code   string
	Reason string
}

func (e *FlowError) Error() string { return e.Code + ": " + e.Reason }

// Unwrap makes every flow error an authentication failure for the HTTP layer.
func (e *FlowError) Unwrap() error { return domain.ErrUnauthenticated }

// flow is the content of the cookie: what the callback must find again.
type flow struct {
	Ente     string `json:"e"`
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"x"`
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (l *Login) sign(payload []byte) string {
	mac := hmac.New(sha256.New, l.cookieKey)
	mac.Write(payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (l *Login) unsign(value string) ([]byte, bool) {
	body, sig, ok := strings.Cut(value, ".")
	if !ok {
		return nil, false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(body)
	got, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	mac := hmac.New(sha256.New, l.cookieKey)
	mac.Write(payload)
	return payload, hmac.Equal(got, mac.Sum(nil))
}

func (l *Login) cookie(ente, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: CookieName, Value: value, Path: "/api/v1/auth/oidc/" + url.PathEscape(ente) + "/",
		MaxAge: maxAge, HttpOnly: true, Secure: l.secure, SameSite: http.SameSiteLaxMode}
}

// ClearCookie deletes the flow cookie (the callback sends it whatever the outcome).
func (l *Login) ClearCookie(ente string) *http.Cookie { return l.cookie(ente, "", -1) }

// Begin starts a sign-in: the provider's authorization URL (code flow, PKCE S256, state, nonce) and the
// cookie that keeps state, nonce and verifier until the callback.
func (l *Login) Begin(ctx context.Context, ente string) (string, *http.Cookie, error) {
	p, err := l.provider(ente)
	if err != nil {
		return "", nil, err
	}
	d, err := l.discover(ctx, ente, p)
	if err != nil {
		return "", nil, err
	}
	f := flow{Ente: ente, State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Expires: l.now().Add(FlowTTL).Unix()}
	payload, _ := json.Marshal(f)
	authURL := l.oauth2Config(ente, p, d).AuthCodeURL(f.State, oauth2.S256ChallengeOption(f.Verifier), oidc.Nonce(f.Nonce))
	return authURL, l.cookie(ente, l.sign(payload), int(FlowTTL.Seconds())), nil
}

// Pending is a callback whose state matched the cookie's: what remains is the exchange.
type Pending struct {
	flow
}

// StateHash identifies the sign-in (the callback is accepted once per state) without keeping the state itself.
func (p Pending) StateHash() string {
	sum := sha256.Sum256([]byte(p.State))
	return hex.EncodeToString(sum[:])
}

// ExpiresAt is when the sign-in's cookie lapses: its state need not be remembered longer.
func (p Pending) ExpiresAt() time.Time { return time.Unix(p.Expires, 0).UTC() }

// CheckCallback checks the provider's answer against the flow cookie: the cookie must be ours (signature),
// for this ente, not expired, and its state equal to the one the provider sent back; an error answer of the
// provider (error=access_denied...) ends the sign-in.
func (l *Login) CheckCallback(ente string, query url.Values, cookieValue string) (Pending, error) {
	if _, err := l.provider(ente); err != nil {
		return Pending{}, err
	}
	payload, ok := l.unsign(cookieValue)
	var f flow
	if !ok || json.Unmarshal(payload, &f) != nil {
		return Pending{}, &FlowError{Code: "oidc_state_invalid", Reason: "the sign-in cookie is missing or not ours"}
	}
	if f.Ente != ente {
		return Pending{}, &FlowError{Code: "oidc_state_invalid", Reason: "the sign-in cookie is for another ente"}
	}
	if !l.now().Before(time.Unix(f.Expires, 0)) {
		return Pending{}, &FlowError{Code: "oidc_state_invalid", Reason: "the sign-in took longer than " + FlowTTL.String()}
	}
	state := query.Get("state")
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return Pending{}, &FlowError{Code: "oidc_state_invalid", Reason: "the state sent back is not the one of this browser's sign-in"}
	}
	if e := query.Get("error"); e != "" {
		return Pending{}, &FlowError{Code: "oidc_provider_refused", Reason: "the provider answered " + truncate(e, 64)}
	}
	if query.Get("code") == "" {
		return Pending{}, &FlowError{Code: "oidc_state_invalid", Reason: "no authorization code was sent back"}
	}
	return Pending{flow: f}, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Identity is the person the provider vouches for, after every check.
type Identity struct {
	Ente, Provider   string // ente code and the provider's display name
	Issuer, Subject  string
	Username         string
	FullName, Email  string
	Grants           []domain.Grant // map_claims mode: the grants the role claim gives (empty: none)
	CreateUsers      bool           // map_claims mode: an unknown username may get an account
	SecondFactor     string         // "amr:<value>" or "acr:<value>" proving a second factor; empty: none
	IDToken          string         // raw, for the id_token_hint of the sign-out at the provider
	AuthenticationAt time.Time
}

// Exchange trades the code for tokens (with the PKCE verifier) and verifies the ID token: signature by one of
// the provider's keys with an asymmetric algorithm, issuer, audience (the client id), expiry, and the nonce of
// this browser's flow. It then reads the username and the claims.
func (l *Login) Exchange(ctx context.Context, pending Pending, code string) (Identity, error) {
	ente := pending.Ente
	p, err := l.provider(ente)
	if err != nil {
		return Identity{}, err
	}
	d, err := l.discover(ctx, ente, p)
	if err != nil {
		return Identity{}, err
	}
	ctx = oidc.ClientContext(ctx, l.client)
	tok, err := l.oauth2Config(ente, p, d).Exchange(ctx, code, oauth2.VerifierOption(pending.Verifier))
	if err != nil {
		return Identity{}, &FlowError{Code: "oidc_exchange_failed", Reason: "the provider refused the code: " + exchangeReason(err)}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, &FlowError{Code: "oidc_token_invalid", Reason: "the token answer has no id_token"}
	}
	verifier := d.provider.VerifierContext(ctx, &oidc.Config{ClientID: p.ClientID, SupportedSigningAlgs: signingAlgorithms, Now: l.now})
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, &FlowError{Code: "oidc_token_invalid", Reason: "ID token refused: " + err.Error()}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pending.Nonce)) != 1 {
		return Identity{}, &FlowError{Code: "oidc_nonce_invalid", Reason: "the ID token's nonce is not the one of this browser's sign-in"}
	}
	if tok.AccessToken != "" && idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return Identity{}, &FlowError{Code: "oidc_token_invalid", Reason: "at_hash does not match the access token"}
		}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, &FlowError{Code: "oidc_token_invalid", Reason: "ID token claims: " + err.Error()}
	}
	// The ID token of some providers carries only the subject: the rest comes from the userinfo endpoint,
	// whose answer counts only for the same subject.
	if _, ok := claims[p.UsernameClaim]; !ok && d.provider.UserInfoEndpoint() != "" {
		if info, err := d.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil && info.Subject == idt.Subject {
			more := map[string]any{}
			if info.Claims(&more) == nil {
				for k, v := range more {
					if _, exists := claims[k]; !exists {
						claims[k] = v
					}
				}
			}
		}
	}
	username, _ := claims[p.UsernameClaim].(string)
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" {
		return Identity{}, &FlowError{Code: "oidc_username_missing", Reason: "the claim " + p.UsernameClaim + " is missing or empty"}
	}
	id := Identity{Ente: ente, Provider: p.DisplayName, Issuer: idt.Issuer, Subject: idt.Subject, Username: username,
		IDToken: raw, CreateUsers: p.Mode == ModeMapClaims, SecondFactor: secondFactor(p, claims)}
	id.FullName, _ = claims["name"].(string)
	id.Email, _ = claims["email"].(string)
	if at, ok := claims["auth_time"].(float64); ok {
		id.AuthenticationAt = time.Unix(int64(at), 0).UTC()
	}
	if p.Mode == ModeMapClaims {
		id.Grants = mapGrants(p, claims[p.RoleClaim])
	}
	return id, nil
}

// exchangeReason keeps the provider's error code and drops the rest (which may echo the request).
func exchangeReason(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			return re.ErrorCode
		}
		if re.Response != nil {
			return re.Response.Status
		}
	}
	return "the token endpoint could not be reached"
}

// secondFactor names the first amr or acr value the provider's configuration accepts as a second factor.
func secondFactor(p Provider, claims map[string]any) string {
	if list, ok := claims["amr"].([]any); ok {
		for _, v := range list {
			if s, ok := v.(string); ok && slices.Contains(p.SecondFactorAMR, s) {
				return "amr:" + s
			}
		}
	}
	if acr, ok := claims["acr"].(string); ok && acr != "" && slices.Contains(p.SecondFactorACR, acr) {
		return "acr:" + acr
	}
	return ""
}

// mapGrants turns the role claim's values (a string or a list of strings) into grants, without duplicates.
func mapGrants(p Provider, value any) []domain.Grant {
	var values []string
	switch v := value.(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	var out []domain.Grant
	for _, v := range values {
		for _, g := range p.RoleMapping[v] {
			dg := domain.Grant{Role: domain.Role(g.Role), UnitCode: g.Unit}
			if !slices.ContainsFunc(out, func(x domain.Grant) bool { return x.Role == dg.Role && x.UnitCode == dg.UnitCode }) {
				out = append(out, dg)
			}
		}
	}
	return out
}

// LogoutURL is where the browser goes to end the provider's session too (RP-initiated logout), or "" when the
// provider's discovery has no end_session_endpoint. It carries the ID token as id_token_hint when there is one
// (else the client id) and asks the provider to send the person back to Argine's home.
func (l *Login) LogoutURL(ctx context.Context, ente, idToken string) string {
	p, err := l.provider(ente)
	if err != nil {
		return ""
	}
	d, err := l.discover(ctx, ente, p)
	if err != nil || d.endSession == "" {
		return ""
	}
	u, err := url.Parse(d.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	q.Set("client_id", p.ClientID)
	q.Set("post_logout_redirect_uri", l.publicURL+"/")
	u.RawQuery = q.Encode()
	return u.String()
}
