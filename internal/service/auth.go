package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/mfa"
	"github.com/argine-pa/argine/internal/password"
	"github.com/argine-pa/argine/internal/store"
)

// AuthConfig tunes sign-in, tokens and throttling.
//
// Throttling has two layers. The client address carries the weight: after AddrFreeFailures failed attempts
// within AddrWindow, every further one shuts the address out for AddrBaseDelay, doubling each time up to
// AddrMaxDelay, and the count only decays after a quiet AddrWindow, so one source gets a few dozen guesses a
// day at most. The account lock is short (LockDuration after MaxFailures failures within FailureWindow, and
// the count starts over once the lock has run out): it slows guessing spread over many addresses, yet an
// attacker cannot keep an account (the RPCT's) locked, because the addresses that would have to keep failing
// are themselves shut out for longer and longer.
type AuthConfig struct {
	Secret        []byte        // HS256 signing key, at least 32 bytes
	Issuer        string        // iss of access tokens
	Audience      string        // aud of access tokens
	AccessTTL     time.Duration // lifetime of an access token
	SessionTTL    time.Duration // a session (and its refresh token) lapses after this long unused (idle timeout)
	SessionMaxAge time.Duration // a session ends this long after its sign-in, however much it is used
	// MFARequiredRoles must have a confirmed second factor: such a user without one may only enrol. None by
	// default here; the server's configuration (ARGINE_MFA_REQUIRED_ROLES) defaults to admin and RPCT.
	MFARequiredRoles []domain.Role
	MFAChallengeTTL  time.Duration // how long the second step of a sign-in may wait after the password
	// MFAKey (32 bytes, ARGINE_MFA_KEY_FILE) encrypts the TOTP secrets at rest; none: they are stored in clear.
	MFAKey           []byte
	MaxFailures      int           // failed attempts on one account within FailureWindow that lock it
	FailureWindow    time.Duration // account failures older than this are forgotten
	LockDuration     time.Duration // how long an account lock lasts (short: see above)
	AddrFreeFailures int           // failed attempts from one client address before it is slowed
	AddrBaseDelay    time.Duration // first shut-out of an offending address; doubles with each further failure
	AddrMaxDelay     time.Duration // longest shut-out of an address
	AddrWindow       time.Duration // an address's count starts over this long after its first failure
	AccessCacheTTL   time.Duration // how long a request may reuse the access state read by another; 0: never
	// HashSlots bounds the argon2id computations (64 MiB each) running at once; HashQueue callers may wait at
	// most HashWait for one, the others get 503 with Retry-After. Zero: password.NewDefaultLimiter's sizes.
	HashSlots, HashQueue int
	HashWait             time.Duration
}

// DefaultAuthConfig returns the documented defaults; Secret must still be set.
func DefaultAuthConfig() AuthConfig {
	return AuthConfig{Issuer: "argine", Audience: "argine-api", AccessTTL: 15 * time.Minute,
		SessionTTL: 7 * 24 * time.Hour, SessionMaxAge: 12 * time.Hour,
		MFAChallengeTTL: 5 * time.Minute, MaxFailures: 5, FailureWindow: 15 * time.Minute, LockDuration: 5 * time.Minute,
		AddrFreeFailures: 10, AddrBaseDelay: 30 * time.Second, AddrMaxDelay: time.Hour, AddrWindow: 24 * time.Hour,
		AccessCacheTTL: 2 * time.Second}
}

func (c AuthConfig) accountPolicy() store.ThrottlePolicy {
	return store.ThrottlePolicy{Free: c.MaxFailures, Base: c.LockDuration, Max: c.LockDuration,
		Window: c.FailureWindow, ResetAfterLock: true}
}

func (c AuthConfig) addrPolicy() store.ThrottlePolicy {
	return store.ThrottlePolicy{Free: c.AddrFreeFailures, Base: c.AddrBaseDelay, Max: c.AddrMaxDelay, Window: c.AddrWindow}
}

// MinSecretLength is the shortest signing key accepted.
const MinSecretLength = 32

// SigningKey returns the configured key, or in demo mode a random key generated once and kept in the
// database (so restarts keep sessions). Outside demo mode a missing or short key is an error.
func SigningKey(ctx context.Context, s *store.Store, configured string, demo bool) ([]byte, error) {
	if configured != "" {
		if len(configured) < MinSecretLength {
			return nil, fmt.Errorf("ARGINE_JWT_SECRET must be at least %d bytes (e.g. openssl rand -base64 48)", MinSecretLength)
		}
		return []byte(configured), nil
	}
	if !demo {
		return nil, fmt.Errorf("ARGINE_JWT_SECRET (or ARGINE_JWT_SECRET_FILE) is required: at least %d random bytes, e.g. openssl rand -base64 48", MinSecretLength)
	}
	fresh := make([]byte, 48)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	stored, err := s.SettingOrCreate(ctx, "demo_jwt_signing_key", base64.StdEncoding.EncodeToString(fresh))
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(stored)
}

// Auth signs users in and out and turns access tokens back into actors.
type Auth struct {
	store  *store.Store
	authz  *authz.Authorizer
	cache  *AccessCache
	cfg    AuthConfig
	hasher *password.Limiter // every argon2id computation of sign-in and password change runs in one of its slots
	now    func() time.Time
	// localLogin says whether a user of an ente may sign in with a password (single sign-on may switch it off
	// for all but a break-glass administrator); nil: everyone may.
	localLogin func(enteCode, username string) bool
	// providerNames: the display name of each ente's identity provider, for the trail.
	providerNames map[string]string
	box           *mfa.SecretBox // encrypts TOTP secrets at rest; nil: clear
}

func (a *Auth) providerName(ente string) string {
	if n, ok := a.providerNames[ente]; ok {
		return n
	}
	return ente
}

// SetLocalLoginPolicy sets who may sign in with a password (see SingleSignOn).
func (a *Auth) SetLocalLoginPolicy(allowed func(enteCode, username string) bool) {
	a.localLogin = allowed
}

// NewAuth builds the auth service. The cache must be the one given to the Users service, so that every change
// of access made in this process takes effect at once.
func NewAuth(s *store.Store, az *authz.Authorizer, cache *AccessCache, cfg AuthConfig) (*Auth, error) {
	if len(cfg.Secret) < MinSecretLength {
		return nil, fmt.Errorf("auth: signing key shorter than %d bytes", MinSecretLength)
	}
	hasher := password.NewDefaultLimiter()
	if cfg.HashSlots > 0 {
		wait := cfg.HashWait
		if wait <= 0 {
			wait = password.DefaultWait
		}
		hasher = password.NewLimiter(cfg.HashSlots, cfg.HashQueue, wait)
	}
	var box *mfa.SecretBox
	if len(cfg.MFAKey) > 0 {
		var err error
		if box, err = mfa.NewSecretBox(cfg.MFAKey); err != nil {
			return nil, err
		}
	}
	return &Auth{store: s, authz: az, cache: cache, cfg: cfg, hasher: hasher, box: box, now: func() time.Time { return time.Now().UTC() }}, nil
}

// Hasher is the limiter of password hashing (tests watch and hold its computations through it).
func (a *Auth) Hasher() *password.Limiter { return a.hasher }

// SetClock replaces the clock (tests of expiry and lockout).
func (a *Auth) SetClock(now func() time.Time) { a.now = now }

// Tokens is the answer to a sign-in or a refresh.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	// PasswordChangeRequired: the password was set by someone else; until the user changes it the API
	// answers only GET /me, POST /me/password and logout (403 password_change_required elsewhere).
	PasswordChangeRequired bool `json:"password_change_required"`
	// MFAEnrolmentRequired: the user's role requires a second factor and there is none yet; until it is
	// enrolled the API answers only GET /me, the enrolment routes and logout (403 mfa_enrolment_required).
	MFAEnrolmentRequired bool `json:"mfa_enrolment_required"`
	// MFARequired: the password was right and the account has a second factor. No session exists yet: the
	// other fields are empty and MFAToken, sent with a code to POST /auth/mfa, completes the sign-in.
	MFARequired bool   `json:"mfa_required,omitempty"`
	MFAToken    string `json:"mfa_token,omitempty"`
}

// Client describes where a request comes from.
type Client struct {
	Addr, UserAgent string
}

type accessClaims struct {
	jwt.RegisteredClaims
	Ente    string `json:"ente"`
	Session string `json:"sid"`
}

func throttleKey(kind, value string) string {
	sum := sha256.Sum256([]byte(value))
	return kind + ":" + hex.EncodeToString(sum[:16])
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newRefreshToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "argr_" + base64.RawURLEncoding.EncodeToString(b), nil
}

var errBadCredentials = domain.Unauthenticated("invalid_credentials", "invalid username or password")

// NormalizeUsername is how usernames are stored and compared.
func NormalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

// Login checks a username and password; see LoginAt.
func (a *Auth) Login(ctx context.Context, username, plain string, c Client) (Tokens, error) {
	return a.LoginAt(ctx, "", username, plain, c)
}

// attempt is one throttled try of a password on an account from an address.
//
// The account's count is taken BEFORE the password is checked, in one atomic statement: concurrent tries each
// get their own number, so a burst cannot slip past the limit while the first ones are still hashing, and
// the right password arriving after the limit is refused. The address is only checked before and charged
// after a failure (also atomically): an office behind one address signing in at nine must not be shut out by
// its own successful sign-ins in flight, and an address's budget is soft anyway (the shut-outs grow fast).
type attempt struct {
	a                   *Auth
	t                   time.Time
	accountKey, addrKey string
	account             store.ThrottleVerdict
}

// beginAttempt refuses (429) a shut-out address or a locked account, and counts the try on the account.
func (a *Auth) beginAttempt(ctx context.Context, username string, c Client) (*attempt, error) {
	at := &attempt{a: a, t: a.now(), accountKey: throttleKey("account", username), addrKey: throttleKey("addr", c.Addr)}
	until, err := a.store.ThrottleLockedUntil(ctx, at.addrKey, at.t)
	if err != nil {
		return nil, err
	}
	if !until.IsZero() {
		return nil, &domain.ThrottledError{RetryAfter: until.Sub(at.t)}
	}
	if at.account, err = a.store.ThrottleAttempt(ctx, at.accountKey, at.t, a.cfg.accountPolicy()); err != nil {
		return nil, err
	}
	if at.account.Refused {
		// Trying a locked account is a failure of the address: hammering it gets the address shut out.
		if _, err := a.store.ThrottleAttempt(ctx, at.addrKey, at.t, a.cfg.addrPolicy()); err != nil {
			return nil, err
		}
		return nil, &domain.ThrottledError{RetryAfter: at.account.LockedUntil.Sub(at.t)}
	}
	return at, nil
}

// failed charges the address and answers a wrong password: 429 when this try locked the account or shut the
// address out, else wrong.
func (at *attempt) failed(ctx context.Context, wrong error) error {
	addr, err := at.a.store.ThrottleAttempt(ctx, at.addrKey, at.t, at.a.cfg.addrPolicy())
	if err != nil {
		return err
	}
	until := at.account.LockedUntil
	if addr.LockedUntil.After(until) {
		until = addr.LockedUntil
	}
	if !until.IsZero() {
		return &domain.ThrottledError{RetryAfter: until.Sub(at.t)}
	}
	return wrong
}

// succeeded forgets the account's failures.
func (at *attempt) succeeded(ctx context.Context) error {
	return at.a.store.ThrottleClear(ctx, at.accountKey)
}

// cancel takes the try off the account's count: the password was never checked (the server was busy).
func (at *attempt) cancel(ctx context.Context) {
	_ = at.a.store.ThrottleSucceeded(ctx, at.accountKey, at.account.Attempts)
}

// LoginAt checks a username and password. enteCode, when not empty, is the ente the client signs in to; a
// user of another ente is then treated as unknown. An unknown username, a user of another ente, a disabled
// account and a wrong password all get the same answer (401 invalid_credentials, or 429 once throttled)
// after the same work: one argon2id verification (of a dummy hash when there is no user) and the same
// throttle counts, so neither the answer nor its time reveals whether an account exists or is disabled.
func (a *Auth) LoginAt(ctx context.Context, enteCode, username, plain string, c Client) (Tokens, error) {
	username, enteCode = NormalizeUsername(username), strings.TrimSpace(enteCode)
	if username == "" || plain == "" {
		return Tokens{}, &domain.ValidationError{Code: "login_invalid", Problems: []domain.FieldError{
			{Field: "username", Code: "required", Message: "username and password are required"}}}
	}
	at, err := a.beginAttempt(ctx, username, c)
	if err != nil {
		return Tokens{}, err
	}
	t := at.t
	creds, err := a.store.CredentialsByUsername(ctx, username)
	if err == nil && enteCode != "" && creds.EnteCode != enteCode {
		err = domain.NotFound("user_not_found", "user not found")
	}
	ok, rehash := false, false
	switch {
	case errors.Is(err, domain.ErrNotFound):
		err = a.hasher.VerifyDummy(ctx, plain)
	case err != nil:
		at.cancel(ctx)
		return Tokens{}, err
	default:
		ok, rehash, err = a.hasher.Verify(ctx, creds.PasswordHash, plain)
		if errors.Is(err, password.ErrMalformedHash) {
			ok, err = false, nil // a damaged stored hash matches nothing
		}
	}
	if err != nil { // busy (503) or cancelled: the password was not checked, so the attempt does not count
		at.cancel(ctx)
		return Tokens{}, err
	}
	if !ok || creds.Disabled {
		return Tokens{}, at.failed(ctx, errBadCredentials)
	}
	if err := at.succeeded(ctx); err != nil {
		return Tokens{}, err
	}
	// Checked after the password, so the answer tells nothing to whoever does not know it.
	if a.localLogin != nil && !a.localLogin(creds.EnteCode, username) {
		return Tokens{}, domain.Forbidden("local_login_disabled", "this ente signs its people in with its identity provider: use \"Accedi con\" on the login page")
	}
	if rehash {
		if h, err := a.hasher.Hash(ctx, plain); err == nil {
			_ = a.store.SetPasswordHash(ctx, creds.EnteID, creds.UserID, h)
		}
	}
	second, err := a.store.MFAOf(ctx, creds.EnteID, creds.UserID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return Tokens{}, err
	}
	if err == nil && second.Confirmed {
		// The password alone opens nothing: the challenge names the user and expires soon (mfa.go).
		challenge, err := a.mfaChallenge(creds.UserID, creds.EnteID, t)
		if err != nil {
			return Tokens{}, err
		}
		return Tokens{MFARequired: true, MFAToken: challenge}, nil
	}
	return a.startSession(ctx, signIn{userID: creds.UserID, enteID: creds.EnteID, username: username,
		mustChange: creds.MustChangePassword, method: "password"}, c, t)
}

// signIn is a user whose credentials have all been checked.
type signIn struct {
	userID, enteID, username string
	mustChange               bool
	method                   string // how they proved who they are, for the trail: password, password+totp, oidc, ...
	// Single sign-on: the ente code of the provider's configuration and its display name, the second factor it
	// proved ("amr:mfa"; empty: none) and its ID token (the hint of the sign-out at the provider).
	provider, providerName, secondFactor, idToken string
}

// startSession opens a session for a signed-in user and records the sign-in.
func (a *Auth) startSession(ctx context.Context, in signIn, c Client, t time.Time) (Tokens, error) {
	_ = a.store.TouchLastLogin(ctx, in.userID)
	refresh, err := newRefreshToken()
	if err != nil {
		return Tokens{}, err
	}
	expires := a.sessionExpiry(t, t)
	var sessionID string
	err = a.store.WithTx(ctx, func(tx *store.Store) (err error) {
		sessionID, err = tx.CreateSession(ctx, store.Session{EnteID: in.enteID, UserID: in.userID,
			ExpiresAt: expires, ClientAddr: c.Addr, UserAgent: truncate(c.UserAgent, 256),
			SecondFactor: in.secondFactor, OIDCProvider: in.provider, IDToken: in.idToken}, hashToken(refresh), expires)
		if err != nil {
			return err
		}
		who := domain.Actor{UserID: in.userID, Username: in.username, EnteID: in.enteID}
		after := map[string]string{"client_addr": c.Addr, "method": in.method}
		if in.provider != "" {
			after["provider"] = in.providerName
			after["second_factor"] = secondFactorUsed(in)
		}
		return record(ctx, tx, who, "session", sessionID, "login", nil, after)
	})
	if err != nil {
		return Tokens{}, err
	}
	out, err := a.tokens(in.userID, in.enteID, sessionID, refresh, t, in.mustChange)
	if err != nil {
		return Tokens{}, err
	}
	st, err := a.store.AuthState(ctx, in.enteID, in.userID, sessionID)
	if err != nil {
		return Tokens{}, err
	}
	out.MFAEnrolmentRequired = a.mustEnrol(st.Grants, st.MFAEnrolled)
	return out, nil
}

// secondFactorUsed names, for the trail of a single sign-on, the second factor of the sign-in: the provider's
// (amr:mfa...), Argine's TOTP or recovery code, or none.
func secondFactorUsed(in signIn) string {
	switch {
	case in.secondFactor != "":
		return in.secondFactor
	case strings.HasSuffix(in.method, "+totp"):
		return "totp"
	case strings.HasSuffix(in.method, "+recovery_code"):
		return "recovery_code"
	}
	return "none"
}

// sessionExpiry is when a session used at t lapses: after the idle timeout, but never past its absolute
// lifetime counted from the sign-in.
func (a *Auth) sessionExpiry(signedIn, t time.Time) time.Time {
	idle := t.Add(a.cfg.SessionTTL)
	if a.cfg.SessionMaxAge > 0 {
		if hard := signedIn.Add(a.cfg.SessionMaxAge); hard.Before(idle) {
			return hard
		}
	}
	return idle
}

// mustEnrol says whether grants require a second factor that the user does not have.
func (a *Auth) mustEnrol(grants []domain.Grant, enrolled bool) bool {
	if enrolled {
		return false
	}
	for _, r := range a.cfg.MFARequiredRoles {
		if domain.Holds(grants, r) {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (a *Auth) tokens(userID, enteID, sessionID, refresh string, t time.Time, mustChange bool) (Tokens, error) {
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: a.cfg.Issuer, Subject: userID, Audience: jwt.ClaimStrings{a.cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(t.Add(a.cfg.AccessTTL)), NotBefore: jwt.NewNumericDate(t),
			IssuedAt: jwt.NewNumericDate(t), ID: uuid.NewString(),
		},
		Ente: enteID, Session: sessionID,
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(a.cfg.Secret)
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{AccessToken: signed, RefreshToken: refresh, TokenType: "Bearer", ExpiresIn: int(a.cfg.AccessTTL.Seconds()),
		PasswordChangeRequired: mustChange}, nil
}

// Refresh exchanges a refresh token for new tokens. Each refresh token works once; presenting a used one
// again means it was stolen or replayed, so the whole session is revoked.
func (a *Auth) Refresh(ctx context.Context, token string, c Client) (Tokens, error) {
	t := a.now()
	invalid := domain.Unauthenticated("refresh_token_invalid", "the refresh token is not valid: sign in again")
	rt, err := a.store.RefreshTokenByHash(ctx, hashToken(strings.TrimSpace(token)))
	if errors.Is(err, domain.ErrNotFound) {
		return Tokens{}, invalid
	}
	if err != nil {
		return Tokens{}, err
	}
	reused := func() (Tokens, error) {
		err := a.store.WithTx(ctx, func(tx *store.Store) error {
			if err := tx.RevokeSession(ctx, rt.SessionID, "refresh_token_reuse"); err != nil {
				return err
			}
			who := domain.Actor{UserID: rt.UserID, EnteID: rt.EnteID}
			return record(ctx, tx, who, "session", rt.SessionID, "revoke_reused_refresh_token", nil, nil)
		})
		if err != nil {
			return Tokens{}, err
		}
		a.cache.ForgetSession(rt.SessionID)
		return Tokens{}, domain.Unauthenticated("refresh_token_reused", "this refresh token was already used: the session is closed, sign in again")
	}
	if rt.Used {
		return reused()
	}
	if rt.SessionRevoked || !t.Before(rt.ExpiresAt) || !t.Before(rt.SessionExpiresAt) {
		return Tokens{}, invalid
	}
	state, err := a.store.AuthState(ctx, rt.EnteID, rt.UserID, rt.SessionID)
	if err != nil || state.Disabled {
		return Tokens{}, invalid
	}
	refresh, err := newRefreshToken()
	if err != nil {
		return Tokens{}, err
	}
	consumed := false
	err = a.store.WithTx(ctx, func(tx *store.Store) error {
		var err error
		if consumed, err = tx.MarkRefreshTokenUsed(ctx, rt.ID); err != nil || !consumed {
			return err
		}
		expires := a.sessionExpiry(rt.SessionCreatedAt, t)
		if !t.Before(expires) {
			return domain.Unauthenticated("session_closed", "this session reached its maximum lifetime: sign in again")
		}
		if err := tx.AddRefreshToken(ctx, rt.SessionID, hashToken(refresh), expires); err != nil {
			return err
		}
		if err := tx.TouchSession(ctx, rt.SessionID, expires); err != nil {
			return err
		}
		return record(ctx, tx, domain.Actor{UserID: rt.UserID, EnteID: rt.EnteID}, "session", rt.SessionID, "refresh", nil, nil)
	})
	if err != nil {
		return Tokens{}, err
	}
	if !consumed { // a concurrent refresh with the same token won: this one is a replay
		return reused()
	}
	out, err := a.tokens(rt.UserID, rt.EnteID, rt.SessionID, refresh, t, state.MustChangePassword)
	out.MFAEnrolmentRequired = a.mustEnrol(state.Grants, state.MFAEnrolled)
	return out, err
}

// Authenticate turns a bearer token into the actor it stands for. The user, session and grants are read on
// every request, so disabling a user or closing a session takes effect at once.
func (a *Auth) Authenticate(ctx context.Context, bearer string) (domain.Actor, error) {
	invalid := domain.Unauthenticated("token_invalid", "the access token is missing, malformed, expired or not valid here")
	var claims accessClaims
	_, err := jwt.ParseWithClaims(bearer, &claims, func(*jwt.Token) (any, error) { return a.cfg.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), // pinned: "none" and other algorithms are refused
		jwt.WithIssuer(a.cfg.Issuer), jwt.WithAudience(a.cfg.Audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(a.now))
	if err != nil || claims.Subject == "" || claims.Ente == "" || claims.Session == "" || claims.NotBefore == nil {
		return domain.Actor{}, invalid
	}
	st, cached := a.cache.get(claims.Session, a.now())
	if !cached {
		st, err = a.store.AuthState(ctx, claims.Ente, claims.Subject, claims.Session)
		if errors.Is(err, domain.ErrNotFound) {
			return domain.Actor{}, invalid
		}
		if err != nil {
			return domain.Actor{}, err
		}
		a.cache.put(claims.Session, st, a.now())
	}
	if st.UserID != claims.Subject || st.EnteID != claims.Ente {
		return domain.Actor{}, invalid
	}
	switch {
	case st.Disabled:
		return domain.Actor{}, domain.Unauthenticated("account_disabled", "this account is disabled")
	case st.SessionRevoked || !a.now().Before(st.SessionExpiresAt):
		return domain.Actor{}, domain.Unauthenticated("session_closed", "this session was closed: sign in again")
	}
	actor := domain.Actor{UserID: st.UserID, EnteID: st.EnteID, EnteCode: st.EnteCode, Username: st.Username,
		SessionID: claims.Session, Grants: st.Grants, GrantsVersion: st.GrantsVersion, MustChangePassword: st.MustChangePassword,
		MustEnrolMFA: a.mustEnrol(st.Grants, st.MFAEnrolled)}
	// A failed load would leave the policy holding the user's previous grants: the request must not run on
	// them. The error is unknown to the HTTP layer, so it answers 500 and logs it.
	if err := a.authz.Sync(actor); err != nil {
		return domain.Actor{}, fmt.Errorf("auth: loading the grants of user %s: %w", actor.UserID, err)
	}
	return actor, nil
}

// Logout closes the session of the access token.
func (a *Auth) Logout(ctx context.Context, actor domain.Actor) error {
	defer a.cache.ForgetSession(actor.SessionID)
	return a.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.RevokeSession(ctx, actor.SessionID, "logout"); err != nil {
			return err
		}
		return record(ctx, tx, actor, "session", actor.SessionID, "logout", nil, nil)
	})
}

// ChangePassword replaces the actor's password after checking the current one, lifts the obligation to change
// a temporary password, and closes the actor's other sessions. The check of the current password is throttled
// like a sign-in (same account and address counts): a stolen access token must not become a guessing oracle.
func (a *Auth) ChangePassword(ctx context.Context, actor domain.Actor, current, next string, c Client) error {
	var problems []domain.FieldError
	if current == "" {
		problems = append(problems, domain.FieldError{Field: "current_password", Code: "required", Message: "the current password is required"})
	}
	if next == "" {
		problems = append(problems, domain.FieldError{Field: "new_password", Code: "required", Message: "the new password is required"})
	}
	if len(problems) > 0 {
		return &domain.ValidationError{Code: "password_change_invalid", Problems: problems}
	}
	hash, err := a.store.PasswordHash(ctx, actor.EnteID, actor.UserID)
	if err != nil {
		return err
	}
	at, err := a.beginAttempt(ctx, NormalizeUsername(actor.Username), c)
	if err != nil {
		return err
	}
	ok, _, err := a.hasher.Verify(ctx, hash, current)
	if err != nil && !errors.Is(err, password.ErrMalformedHash) {
		at.cancel(ctx)
		return err
	}
	if !ok {
		return at.failed(ctx, &domain.ValidationError{Code: "password_change_invalid", Problems: []domain.FieldError{
			{Field: "current_password", Code: "password_wrong", Message: "the current password is not correct"}}})
	}
	if err := at.succeeded(ctx); err != nil {
		return err
	}
	if current == next {
		return &domain.ValidationError{Code: "password_change_invalid", Problems: []domain.FieldError{
			{Field: "new_password", Code: "password_unchanged", Message: "the new password must differ from the current one"}}}
	}
	if err := password.Validate(next, actor.Username); err != nil {
		return renameField(err, "new_password")
	}
	newHash, err := a.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	defer a.cache.ForgetUser(actor.UserID)
	return a.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.SetOwnPassword(ctx, actor.EnteID, actor.UserID, newHash); err != nil {
			return err
		}
		if err := tx.RevokeUserSessions(ctx, actor.EnteID, actor.UserID, actor.SessionID, "password_changed"); err != nil {
			return err
		}
		return record(ctx, tx, actor, "user", actor.UserID, "change_password", nil, nil)
	})
}

// renameField points the field errors of a password check at the request's field name.
func renameField(err error, field string) error {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		for i := range ve.Problems {
			ve.Problems[i].Field = field
		}
	}
	return err
}

// Me describes the signed-in user for the interface.
type Me struct {
	User    domain.User       `json:"user"`
	Ente    domain.Ente       `json:"ente"`
	Grants  []domain.Grant    `json:"grants"`
	Allowed []authz.Allowance `json:"allowed"`
	// MFAEnrolmentRequired: the user must enrol a second factor before anything else.
	MFAEnrolmentRequired bool `json:"mfa_enrolment_required"`
}

// Me returns the actor's profile, ente, grants and the actions the interface may offer.
func (a *Auth) Me(ctx context.Context, actor domain.Actor) (Me, error) {
	u, err := a.store.User(ctx, actor.EnteID, actor.UserID)
	if err != nil {
		return Me{}, err
	}
	ente, err := a.store.EnteByCode(ctx, actor.EnteCode)
	if err != nil {
		return Me{}, err
	}
	return Me{User: u, Ente: *ente, Grants: actor.Grants, Allowed: a.authz.Allowed(actor), MFAEnrolmentRequired: actor.MustEnrolMFA}, nil
}
