// Package oidclogin owns single sign-on with OpenID Connect: the per-ente provider configuration
// (ARGINE_OIDC_CONFIG_FILE), the provider's discovery, the authorization request (code flow with PKCE, state and
// nonce kept in a short-lived signed cookie), the code exchange, the verification of the ID token (issuer,
// audience, expiry, signature with a pinned list of algorithms, nonce), and what its claims say: the username,
// the grants of the claim → role mapping, the second factor the provider vouches for (amr/acr). It knows
// nothing of Argine's users and sessions: internal/service maps the identity to a user and opens the session.
package oidclogin

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/argine-pa/argine/internal/domain"
)

// Modes of mapping a provider's identity to Argine's users.
const (
	// ModeExistingUsers signs in only people who already have an Argine account with the username the claim
	// gives; their grants are Argine's. The default.
	ModeExistingUsers = "existing_users"
	// ModeMapClaims also creates the account of a person the provider vouches for on their first sign-in, with
	// the grants that RoleMapping gives to the values of RoleClaim; nobody is created without a grant. The grants
	// of an existing account are not changed by later sign-ins (Argine's user administration stays the record).
	ModeMapClaims = "map_claims"
)

// File is the JSON document named by ARGINE_OIDC_CONFIG_FILE: one provider per ente code.
//
//	{"providers": {"cciaa-demo": {"display_name": "Entra ID", "issuer": "https://login.microsoftonline.com/<tenant>/v2.0",
//	  "client_id": "...", "client_secret_file": "/run/secrets/oidc", "username_claim": "preferred_username"}}}
type File struct {
	Providers map[string]Provider `json:"providers"`
}

// Grant is one role, on a unit for director and referente, that a claim value gives.
type Grant struct {
	Role string `json:"role"`
	Unit string `json:"unit,omitempty"`
}

// Provider is one ente's identity provider.
type Provider struct {
	DisplayName      string   `json:"display_name"`       // shown on the login page: "Accedi con <display_name>"
	Issuer           string   `json:"issuer"`             // exactly as the provider's discovery document states it
	ClientID         string   `json:"client_id"`          // the audience of its ID tokens
	ClientSecretFile string   `json:"client_secret_file"` // the client secret is read from this file, never from this one
	Scopes           []string `json:"scopes,omitempty"`   // default openid, profile, email (openid is always added)
	UsernameClaim    string   `json:"username_claim,omitempty"`
	Mode             string   `json:"mode,omitempty"` // existing_users (default) or map_claims
	// RoleClaim names the claim (a string or a list of strings, e.g. "groups" or "roles") whose values
	// RoleMapping turns into grants, in map_claims mode.
	RoleClaim   string             `json:"role_claim,omitempty"`
	RoleMapping map[string][]Grant `json:"role_mapping,omitempty"`
	// LocalAccounts false switches the ente's password sign-in off, except for BreakGlassUsers (an
	// administrator who can still sign in when the provider is down or misconfigured). Default true.
	LocalAccounts   *bool    `json:"local_accounts,omitempty"`
	BreakGlassUsers []string `json:"break_glass_users,omitempty"`
	// SecondFactorAMR and SecondFactorACR are the amr and acr values of an ID token that prove a second factor
	// and stand in for Argine's TOTP. Default amr mfa, otp, hwk (RFC 8176); no acr.
	SecondFactorAMR []string `json:"second_factor_amr,omitempty"`
	SecondFactorACR []string `json:"second_factor_acr,omitempty"`

	clientSecret string
}

// Defaults.
const (
	DefaultUsernameClaim = "preferred_username"
)

// DefaultScopes are asked for when a provider names none.
var DefaultScopes = []string{"openid", "profile", "email"}

// DefaultSecondFactorAMR are the Authentication Method Reference values (RFC 8176) taken as a second factor:
// mfa (several factors), otp (a one-time password), hwk (a hardware key).
var DefaultSecondFactorAMR = []string{"mfa", "otp", "hwk"}

// LoadFile reads and checks the configuration file; every problem names the ente and the field.
func LoadFile(path string) (File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("oidc: ARGINE_OIDC_CONFIG_FILE: %w", err)
	}
	var f File
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("oidc: ARGINE_OIDC_CONFIG_FILE %s: %w", path, err)
	}
	for ente, p := range f.Providers {
		if p.ClientSecretFile != "" {
			b, err := os.ReadFile(p.ClientSecretFile)
			if err != nil {
				return File{}, fmt.Errorf("oidc: provider of %s: client_secret_file: %w", ente, err)
			}
			p.clientSecret = strings.TrimSpace(string(b))
		}
		f.Providers[ente] = p
	}
	return f, f.Check()
}

// WithSecret returns the provider with its client secret set (tests, and configurations built in code).
func (p Provider) WithSecret(secret string) Provider {
	p.clientSecret = secret
	return p
}

// Check validates every provider and fills in the defaults.
func (f *File) Check() error {
	enteCodes := make([]string, 0, len(f.Providers))
	for ente := range f.Providers {
		enteCodes = append(enteCodes, ente)
	}
	sort.Strings(enteCodes)
	for _, ente := range enteCodes {
		p := f.Providers[ente]
		fail := func(field, format string, args ...any) error {
			return fmt.Errorf("oidc: provider of %s: %s: %s", ente, field, fmt.Sprintf(format, args...))
		}
		if strings.TrimSpace(ente) == "" {
			return fmt.Errorf("oidc: a provider has an empty ente code")
		}
		if strings.TrimSpace(p.DisplayName) == "" {
			return fail("display_name", "required (the login page shows \"Accedi con <display_name>\")")
		}
		u, err := url.Parse(p.Issuer)
		if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))) {
			return fail("issuer", "an https URL is required (http only on loopback), got %q", p.Issuer)
		}
		if p.ClientID == "" {
			return fail("client_id", "required")
		}
		if p.clientSecret == "" {
			return fail("client_secret_file", "required: a file holding the client secret")
		}
		if p.UsernameClaim == "" {
			p.UsernameClaim = DefaultUsernameClaim
		}
		if len(p.Scopes) == 0 {
			p.Scopes = slices.Clone(DefaultScopes)
		}
		if !slices.Contains(p.Scopes, "openid") {
			p.Scopes = append([]string{"openid"}, p.Scopes...)
		}
		if p.SecondFactorAMR == nil {
			p.SecondFactorAMR = slices.Clone(DefaultSecondFactorAMR)
		}
		switch p.Mode {
		case "":
			p.Mode = ModeExistingUsers
		case ModeExistingUsers:
		case ModeMapClaims:
			if p.RoleClaim == "" || len(p.RoleMapping) == 0 {
				return fail("role_claim", "map_claims needs role_claim and role_mapping")
			}
		default:
			return fail("mode", "%q is not existing_users or map_claims", p.Mode)
		}
		for value, grants := range p.RoleMapping {
			for i, g := range grants {
				role := domain.Role(g.Role)
				if !role.Valid() {
					return fail(fmt.Sprintf("role_mapping[%q][%d].role", value, i), "unknown role %q", g.Role)
				}
				needsUnit := role == domain.RoleDirector || role == domain.RoleReferente
				if needsUnit != (g.Unit != "") {
					return fail(fmt.Sprintf("role_mapping[%q][%d].unit", value, i), "director and referente need a unit, other roles none")
				}
			}
		}
		for i, u := range p.BreakGlassUsers {
			p.BreakGlassUsers[i] = strings.ToLower(strings.TrimSpace(u))
		}
		if p.LocalAccounts != nil && !*p.LocalAccounts && len(p.BreakGlassUsers) == 0 {
			return fail("break_glass_users", "local_accounts false needs at least one break-glass administrator")
		}
		f.Providers[ente] = p
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LocalLoginAllowed says whether a username of an ente may sign in with a password: always, unless the ente's
// provider switched local accounts off and the user is not one of its break-glass administrators.
func (f File) LocalLoginAllowed(enteCode, username string) bool {
	p, ok := f.Providers[enteCode]
	if !ok || p.LocalAccounts == nil || *p.LocalAccounts {
		return true
	}
	return slices.Contains(p.BreakGlassUsers, strings.ToLower(strings.TrimSpace(username)))
}
