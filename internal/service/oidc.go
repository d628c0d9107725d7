package service

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/oidclogin"
	"github.com/argine-pa/argine/internal/store"
)

// SingleSignOn signs people in with their ente's OpenID provider (internal/oidclogin runs the protocol): it
// accepts each callback once, maps the provider's identity to an Argine user (existing users only, or created
// from the role claim), asks for Argine's TOTP when the role requires a second factor the provider did not
// prove, and opens the same session as a password sign-in. Failures are logged with their reason, never with a
// code, token or state.
type SingleSignOn struct {
	auth  *Auth
	login *oidclogin.Login
	log   *slog.Logger
}

// NewSingleSignOn builds the service and switches the password sign-in off where the configuration says so.
func NewSingleSignOn(auth *Auth, login *oidclogin.Login, log *slog.Logger) *SingleSignOn {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	file := login.File()
	auth.SetLocalLoginPolicy(file.LocalLoginAllowed)
	auth.providerNames = map[string]string{}
	for ente, p := range file.Providers {
		auth.providerNames[ente] = p.DisplayName
	}
	return &SingleSignOn{auth: auth, login: login, log: log}
}

// Providers lists the configured providers for the login page.
func (s *SingleSignOn) Providers() []oidclogin.ProviderInfo { return s.login.Providers() }

// Begin starts a sign-in with the ente's provider: where to send the browser, and the flow cookie.
func (s *SingleSignOn) Begin(ctx context.Context, ente string) (string, *http.Cookie, error) {
	to, cookie, err := s.login.Begin(ctx, ente)
	if err != nil {
		s.fail(ctx, ente, err)
	}
	return to, cookie, err
}

// ClearCookie deletes the flow cookie of an ente.
func (s *SingleSignOn) ClearCookie(ente string) *http.Cookie { return s.login.ClearCookie(ente) }

// PublicURL is where the browser is sent back to the interface.
func (s *SingleSignOn) PublicURL() string { return s.login.PublicURL() }

func (s *SingleSignOn) fail(ctx context.Context, ente string, err error) {
	var fe *oidclogin.FlowError
	if errors.As(err, &fe) {
		s.log.WarnContext(ctx, "oidc sign-in refused", "ente", ente, "code", fe.Code, "reason", fe.Reason)
		return
	}
	s.log.WarnContext(ctx, "oidc sign-in refused", "ente", ente, "code", domain.CodeOf(err), "reason", err.Error())
}

// Complete handles the provider's redirect back: the state must match the browser's flow cookie and not have
// been used before, the code is exchanged and the ID token verified, and the person is signed in. The answer is
// a session (Tokens) or, for an account with TOTP whose provider proved no second factor, a challenge
// (MFARequired) completed with POST /auth/mfa like a password sign-in.
func (s *SingleSignOn) Complete(ctx context.Context, ente string, query url.Values, cookieValue string, c Client) (Tokens, error) {
	out, err := s.complete(ctx, ente, query, cookieValue, c)
	if err != nil {
		s.fail(ctx, ente, err)
	}
	return out, err
}

func (s *SingleSignOn) complete(ctx context.Context, ente string, query url.Values, cookieValue string, c Client) (Tokens, error) {
	pending, err := s.login.CheckCallback(ente, query, cookieValue)
	if err != nil {
		return Tokens{}, err
	}
	a := s.auth
	fresh, err := a.store.UseOIDCState(ctx, pending.StateHash(), pending.ExpiresAt())
	if err != nil {
		return Tokens{}, err
	}
	if !fresh {
		return Tokens{}, &oidclogin.FlowError{Code: "oidc_state_used", Reason: "this sign-in's callback was already used (a replay)"}
	}
	id, err := s.login.Exchange(ctx, pending, query.Get("code"))
	if err != nil {
		return Tokens{}, err
	}
	return a.signInExternal(ctx, id, c)
}

// signInExternal maps a verified identity to the ente's user and opens the session.
func (a *Auth) signInExternal(ctx context.Context, id oidclogin.Identity, c Client) (Tokens, error) {
	t := a.now()
	ent, err := a.store.EnteByCode(ctx, id.Ente)
	if err != nil {
		return Tokens{}, err
	}
	unknown := &oidclogin.FlowError{Code: "oidc_user_unknown", Reason: "no active account " + id.Username + " in ente " + id.Ente}
	creds, err := a.store.CredentialsByUsername(ctx, id.Username)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		if !id.CreateUsers || len(id.Grants) == 0 {
			return Tokens{}, unknown
		}
		if creds, err = a.createExternalUser(ctx, ent, id); err != nil {
			return Tokens{}, err
		}
	case err != nil:
		return Tokens{}, err
	case creds.EnteID != ent.ID || creds.Disabled:
		// A username of another ente is somebody else: the provider of this ente does not speak for them.
		return Tokens{}, unknown
	}
	method := "oidc"
	if id.SecondFactor == "" {
		second, err := a.store.MFAOf(ctx, creds.EnteID, creds.UserID)
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return Tokens{}, err
		}
		if err == nil && second.Confirmed {
			// The provider proved no second factor and the account has Argine's: ask for it, as after a password.
			challenge, err := a.mfaChallengeVia(creds.UserID, creds.EnteID, id.Ente, t)
			if err != nil {
				return Tokens{}, err
			}
			return Tokens{MFARequired: true, MFAToken: challenge}, nil
		}
	}
	return a.startSession(ctx, signIn{userID: creds.UserID, enteID: creds.EnteID, username: id.Username,
		method: method, provider: id.Ente, providerName: id.Provider, secondFactor: id.SecondFactor, idToken: id.IDToken}, c, t)
}

// createExternalUser gives an account to a person the provider vouches for, with the grants of the role claim
// (map_claims mode). The account has no password: only the provider signs it in. Audited as the operator's
// act (no person created it), with the provider named.
func (a *Auth) createExternalUser(ctx context.Context, ent *domain.Ente, id oidclogin.Identity) (store.Credentials, error) {
	for _, g := range id.Grants {
		if g.UnitCode == "" {
			continue
		}
		ok, err := a.store.UnitCodeExists(ctx, ent.ID, g.UnitCode)
		if err != nil {
			return store.Credentials{}, err
		}
		if !ok {
			return store.Credentials{}, &oidclogin.FlowError{Code: "oidc_mapping_invalid",
				Reason: "the role mapping names unit " + g.UnitCode + ", which ente " + ent.Code + " does not have"}
		}
	}
	var created domain.User
	err := a.store.WithTx(ctx, func(tx *store.Store) (err error) {
		created, err = tx.CreateUser(ctx, domain.User{EnteID: ent.ID, Username: id.Username, FullName: id.FullName,
			Email: id.Email, Grants: id.Grants}, "")
		if err != nil {
			return err
		}
		who := domain.Actor{UserID: created.ID, Username: created.Username, EnteID: ent.ID}
		return record(ctx, tx, who, "user", created.ID, "create_from_sso", nil,
			map[string]any{"provider": id.Provider, "grants": id.Grants})
	})
	if err != nil {
		return store.Credentials{}, err
	}
	return store.Credentials{UserID: created.ID, EnteID: ent.ID, EnteCode: ent.Code}, nil
}

// LogoutURL is where the browser goes to end the provider's session too, for a session opened by single
// sign-on whose provider has an end_session_endpoint; "" otherwise.
func (s *SingleSignOn) LogoutURL(ctx context.Context, actor domain.Actor) string {
	provider, idToken, err := s.auth.store.SessionSignOn(ctx, actor.EnteID, actor.SessionID)
	if err != nil || provider == "" {
		return ""
	}
	return s.login.LogoutURL(ctx, provider, idToken)
}
