package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/mfa"
	"github.com/argine-pa/argine/internal/store"
)

// The second step of a sign-in. After the right password an account with a second factor gets no session but
// a challenge: a token signed with the server's key, for another audience than access tokens (so it opens no
// API route), naming the user and expiring after MFAChallengeTTL. Sending it back with a valid TOTP code or an
// unused recovery code opens the session. Codes are checked under the same throttle as passwords (per account
// and per address), and a TOTP code is good once.

type mfaClaims struct {
	jwt.RegisteredClaims
	Ente string `json:"ente"`
	// Via names the ente whose identity provider signed the person in (single sign-on without a second
	// factor from the provider); empty after a password.
	Via string `json:"via,omitempty"`
}

func (a *Auth) mfaAudience() string { return a.cfg.Audience + "-mfa" }

func (a *Auth) mfaChallenge(userID, enteID string, t time.Time) (string, error) {
	return a.mfaChallengeVia(userID, enteID, "", t)
}

// mfaChallengeVia is the challenge after a single sign-on with the provider of ente via.
func (a *Auth) mfaChallengeVia(userID, enteID, via string, t time.Time) (string, error) {
	ttl := a.cfg.MFAChallengeTTL
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	claims := mfaClaims{RegisteredClaims: jwt.RegisteredClaims{Issuer: a.cfg.Issuer, Subject: userID,
		Audience: jwt.ClaimStrings{a.mfaAudience()}, ExpiresAt: jwt.NewNumericDate(t.Add(ttl)),
		NotBefore: jwt.NewNumericDate(t), IssuedAt: jwt.NewNumericDate(t), ID: uuid.NewString()}, Ente: enteID, Via: via}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(a.cfg.Secret)
}

// MFASignIn is the second step of a sign-in: the challenge of the first and a TOTP code or a recovery code.
type MFASignIn struct {
	MFAToken     string `json:"mfa_token"`
	Code         string `json:"code"`
	RecoveryCode string `json:"recovery_code"`
}

// CompleteMFA checks the second factor and opens the session.
func (a *Auth) CompleteMFA(ctx context.Context, in MFASignIn, c Client) (Tokens, error) {
	if strings.TrimSpace(in.Code) == "" && strings.TrimSpace(in.RecoveryCode) == "" {
		return Tokens{}, &domain.ValidationError{Code: "mfa_invalid", Problems: []domain.FieldError{
			{Field: "code", Code: "required", Message: "a code from the authenticator app or a recovery code is required"}}}
	}
	expired := domain.Unauthenticated("mfa_token_invalid", "the sign-in took too long or is not valid: sign in again")
	var claims mfaClaims
	_, err := jwt.ParseWithClaims(in.MFAToken, &claims, func(*jwt.Token) (any, error) { return a.cfg.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(a.cfg.Issuer),
		jwt.WithAudience(a.mfaAudience()), jwt.WithExpirationRequired(), jwt.WithTimeFunc(a.now))
	if err != nil || claims.Subject == "" || claims.Ente == "" {
		return Tokens{}, expired
	}
	u, err := a.store.User(ctx, claims.Ente, claims.Subject)
	if errors.Is(err, domain.ErrNotFound) {
		return Tokens{}, expired
	}
	if err != nil {
		return Tokens{}, err
	}
	at, err := a.beginAttempt(ctx, NormalizeUsername(u.Username), c)
	if err != nil {
		return Tokens{}, err
	}
	wrong := domain.Unauthenticated("mfa_code_invalid", "the code is not valid")
	second, err := a.store.MFAOf(ctx, u.EnteID, u.ID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		at.cancel(ctx)
		return Tokens{}, err
	}
	if u.Disabled || err != nil || !second.Confirmed {
		return Tokens{}, at.failed(ctx, expired)
	}
	first := "password"
	if claims.Via != "" {
		first = "oidc"
	}
	secret, err := a.totpSecret(ctx, u.EnteID, u.ID, second.Secret)
	if err != nil {
		at.cancel(ctx)
		return Tokens{}, err
	}
	method, bad := first+"+totp", false
	err = a.store.WithTx(ctx, func(tx *store.Store) error {
		if rc := strings.TrimSpace(in.RecoveryCode); rc != "" {
			ok, err := tx.UseRecoveryCode(ctx, u.EnteID, u.ID, mfa.HashRecoveryCode(rc))
			if err != nil {
				return err
			}
			if !ok {
				bad = true
				return wrong
			}
			method = first + "+recovery_code"
			who := domain.Actor{UserID: u.ID, Username: u.Username, EnteID: u.EnteID}
			return record(ctx, tx, who, "user", u.ID, "use_recovery_code", nil, map[string]int{"recovery_codes_left": second.RecoveryCodes - 1})
		}
		step, ok := mfa.Verify(secret, in.Code, at.t)
		if !ok {
			bad = true
			return wrong
		}
		fresh, err := tx.UseTOTPStep(ctx, u.EnteID, u.ID, step)
		if err != nil {
			return err
		}
		if !fresh { // a code already used is as good as a wrong one
			bad = true
			return wrong
		}
		return nil
	})
	if bad {
		return Tokens{}, at.failed(ctx, wrong)
	}
	if err != nil {
		at.cancel(ctx)
		return Tokens{}, err
	}
	if err := at.succeeded(ctx); err != nil {
		return Tokens{}, err
	}
	who := signIn{userID: u.ID, enteID: u.EnteID, username: u.Username, mustChange: u.MustChangePassword, method: method}
	if claims.Via != "" {
		who.provider, who.providerName = claims.Via, a.providerName(claims.Via)
	}
	return a.startSession(ctx, who, c, at.t)
}

// MFAStatus is the actor's second factor as their profile shows it.
type MFAStatus struct {
	Enrolled      bool       `json:"enrolled"`
	EnrolledAt    *time.Time `json:"enrolled_at"`
	Required      bool       `json:"required"` // one of the actor's roles requires it
	RecoveryCodes int        `json:"recovery_codes_left"`
}

// MyMFA returns the actor's second factor status.
func (a *Auth) MyMFA(ctx context.Context, actor domain.Actor) (MFAStatus, error) {
	out := MFAStatus{Required: a.mustEnrol(actor.Grants, false)}
	m, err := a.store.MFAOf(ctx, actor.EnteID, actor.UserID)
	if errors.Is(err, domain.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Enrolled, out.RecoveryCodes = m.Confirmed, m.RecoveryCodes
	if m.Confirmed {
		out.EnrolledAt = m.ConfirmedAt
	}
	return out, nil
}

// StartMFA begins (or begins again) the actor's enrolment: a new secret to add to an authenticator app. An
// active second factor is not replaced (409): that is a reset, which someone else confirms.
func (a *Auth) StartMFA(ctx context.Context, actor domain.Actor) (mfa.Enrolment, error) {
	issuer := "Argine"
	if actor.EnteCode != "" {
		issuer = "Argine " + actor.EnteCode
	}
	e, err := mfa.NewEnrolment(issuer, actor.Username)
	if err != nil {
		return mfa.Enrolment{}, err
	}
	sealed, err := a.box.Seal(actor.UserID, e.Secret)
	if err != nil {
		return mfa.Enrolment{}, err
	}
	return e, a.store.StartMFA(ctx, actor.EnteID, actor.UserID, sealed)
}

// totpSecret opens a user's stored TOTP secret. One stored in clear while a key is configured (enrolled before
// ARGINE_MFA_KEY_FILE was set) is encrypted on the way: the rows migrate as their owners sign in.
func (a *Auth) totpSecret(ctx context.Context, enteID, userID, stored string) (string, error) {
	secret, err := a.box.Open(userID, stored)
	if err != nil {
		return "", err
	}
	if a.box != nil && !mfa.Sealed(stored) {
		if sealed, err := a.box.Seal(userID, secret); err == nil {
			if err := a.store.ReplaceMFASecret(ctx, enteID, userID, stored, sealed); err != nil {
				return "", err
			}
		}
	}
	return secret, nil
}

// ConfirmMFA activates the enrolment with a code from the app and answers the recovery codes, shown once.
// The code is checked under the sign-in throttle.
func (a *Auth) ConfirmMFA(ctx context.Context, actor domain.Actor, code string, c Client) ([]string, error) {
	if strings.TrimSpace(code) == "" {
		return nil, &domain.ValidationError{Code: "mfa_invalid", Problems: []domain.FieldError{
			{Field: "code", Code: "required", Message: "the code shown by the authenticator app is required"}}}
	}
	m, err := a.store.MFAOf(ctx, actor.EnteID, actor.UserID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, domain.Conflict("mfa_not_started", "start the enrolment first")
	}
	if err != nil {
		return nil, err
	}
	if m.Confirmed {
		return nil, domain.Conflict("mfa_already_enrolled", "the second factor is already active")
	}
	at, err := a.beginAttempt(ctx, NormalizeUsername(actor.Username), c)
	if err != nil {
		return nil, err
	}
	wrong := &domain.ValidationError{Code: "mfa_invalid", Problems: []domain.FieldError{
		{Field: "code", Code: "code_wrong", Message: "the code is not valid: check the time of the device"}}}
	secret, err := a.totpSecret(ctx, actor.EnteID, actor.UserID, m.Secret)
	if err != nil {
		at.cancel(ctx)
		return nil, err
	}
	step, ok := mfa.Verify(secret, code, at.t)
	if !ok {
		return nil, at.failed(ctx, wrong)
	}
	if err := at.succeeded(ctx); err != nil {
		return nil, err
	}
	codes, err := mfa.NewRecoveryCodes()
	if err != nil {
		return nil, err
	}
	hashes := make([]string, len(codes))
	for i, rc := range codes {
		hashes[i] = mfa.HashRecoveryCode(rc)
	}
	defer a.cache.ForgetUser(actor.UserID)
	err = a.store.WithTx(ctx, func(tx *store.Store) error {
		if _, err := tx.UseTOTPStep(ctx, actor.EnteID, actor.UserID, step); err != nil {
			return err
		}
		if err := tx.ConfirmMFA(ctx, actor.EnteID, actor.UserID, hashes); err != nil {
			return err
		}
		return record(ctx, tx, actor, "user", actor.UserID, "enrol_mfa", nil, map[string]any{"method": "totp", "recovery_codes": len(codes)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// removeMFATx deletes a user's second factor as part of an account reset (resetPasswordTx): the reset is
// already under the separation rules (a second person confirms it for RPCT, OIV and administrators; nobody
// resets their own), and whoever can set someone's password can take over their account anyway.
func removeMFATx(ctx context.Context, tx *store.Store, by domain.Actor, enteID, userID string) error {
	had, err := tx.RemoveMFA(ctx, enteID, userID)
	if err != nil || !had {
		return err
	}
	return record(ctx, tx, by, "user", userID, "reset_mfa", nil, nil)
}
