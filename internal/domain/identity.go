package domain

import (
	"strings"
	"time"
)

// Role is what a grant lets a user do; casbin's policy (policies/policy.csv) maps roles to permissions.
type Role string

const (
	RoleAdmin     Role = "admin"     // technical administrator of an ente: users, units, reference data
	RoleRPCT      Role = "rpct"      // Responsabile della prevenzione della corruzione e della trasparenza
	RoleDirector  Role = "director"  // dirigente: writes and submits the assessments of their units
	RoleReferente Role = "referente" // drafts for a director's units, cannot submit
	RoleOIV       Role = "oiv"       // Organismo indipendente di valutazione: reads everything, writes nothing
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleRPCT, RoleDirector, RoleReferente, RoleOIV}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// UnitScoped reports whether grants of this role name organisational units (directors and referenti);
// the other roles act on the whole ente.
func (r Role) UnitScoped() bool { return r == RoleDirector || r == RoleReferente }

// Grant gives a user a role, on one organisational unit (by its code, stable across cycles) or, for roles
// that are not unit-scoped, on the whole ente (UnitCode empty).
type Grant struct {
	ID       string `json:"id"`
	Role     Role   `json:"role"`
	UnitCode string `json:"unit,omitempty"`
}

// ValidateGrant checks a grant's shape.
func ValidateGrant(g Grant) error {
	var problems []FieldError
	if !g.Role.Valid() {
		problems = append(problems, FieldError{Field: "role", Code: "role_unknown",
			Message: "role must be one of admin, rpct, director, referente, oiv"})
	}
	switch {
	case g.Role.UnitScoped() && strings.TrimSpace(g.UnitCode) == "":
		problems = append(problems, FieldError{Field: "unit", Code: "required", Message: "a " + string(g.Role) + " grant names a unit"})
	case g.Role.Valid() && !g.Role.UnitScoped() && g.UnitCode != "":
		problems = append(problems, FieldError{Field: "unit", Code: "not_allowed", Message: "a " + string(g.Role) + " grant covers the whole ente: leave unit empty"})
	}
	if len(problems) > 0 {
		return &ValidationError{Code: "grant_invalid", Problems: problems}
	}
	return nil
}

// User is a person who signs in to one ente.
type User struct {
	ID       string `json:"id"`
	EnteID   string `json:"-"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Email    string `json:"email"`
	Disabled bool   `json:"disabled"`
	// MustChangePassword: the password was set by someone else and the user must replace it before anything
	// else (the API refuses every other call with 403 password_change_required).
	MustChangePassword bool       `json:"must_change_password"`
	Grants             []Grant    `json:"grants"`
	GrantsVersion      int64      `json:"-"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	CreatedAt          time.Time  `json:"created_at"`
	Version            int64      `json:"version"`
}

// Actor is the signed-in user a request acts for, as the services see it.
type Actor struct {
	UserID        string
	EnteID        string
	EnteCode      string
	Username      string
	SessionID     string // the refresh-token family the access token was issued for
	Grants        []Grant
	GrantsVersion int64
	// MustChangePassword: the user signed in with a temporary password; only the password change is allowed.
	MustChangePassword bool
	// MustEnrolMFA: the user holds a role that requires a second factor and has none yet; only the enrolment
	// is allowed.
	MustEnrolMFA bool
}
