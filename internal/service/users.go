package service

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/password"
	"github.com/argine-pa/argine/internal/store"
)

// Users manages the users and grants of an ente (RPCT and admin through the API, operators through the CLI).
type Users struct {
	store *store.Store
	authz *authz.Authorizer
	cache *AccessCache // the server's access cache, dropped on every change of access; nil in the CLI
}

// NewUsers builds the user service.
func NewUsers(s *store.Store, az *authz.Authorizer, cache *AccessCache) *Users {
	return &Users{store: s, authz: az, cache: cache}
}

// NewUser is the input of a user creation.
type NewUser struct {
	Username string         `json:"username"`
	FullName string         `json:"full_name"`
	Email    string         `json:"email"`
	Password string         `json:"password"`
	Grants   []domain.Grant `json:"grants"`
}

var (
	usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)
	emailRe    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

func (u *Users) require(actor domain.Actor, act authz.Action) error {
	if !u.authz.Can(actor, authz.ObjUser, act) {
		return domain.Forbidden("forbidden", "your role does not allow this")
	}
	return nil
}

// mayGrant enforces that only an RPCT hands out or takes away the RPCT and OIV roles: a technical
// administrator must not be able to make someone (or themselves) the ente's anticorruption authority.
func mayGrant(actor domain.Actor, role domain.Role) error {
	if role != domain.RoleRPCT && role != domain.RoleOIV {
		return nil
	}
	for _, g := range actor.Grants {
		if g.Role == domain.RoleRPCT {
			return nil
		}
	}
	return domain.Forbidden("grant_requires_rpct", "only an RPCT can grant or revoke the %s role", role)
}

func (u *Users) validateGrants(ctx context.Context, enteID string, grants []domain.Grant, field string) error {
	var problems []domain.FieldError
	for i, g := range grants {
		path := field
		if len(grants) > 1 || field == "grants" {
			path = field + "[" + strconv.Itoa(i) + "]"
		}
		if err := domain.ValidateGrant(g); err != nil {
			for _, p := range err.(*domain.ValidationError).Problems {
				p.Field = path + "." + p.Field
				problems = append(problems, p)
			}
			continue
		}
		if g.UnitCode != "" {
			ok, err := u.store.UnitCodeExists(ctx, enteID, g.UnitCode)
			if err != nil {
				return err
			}
			if !ok {
				problems = append(problems, domain.FieldError{Field: path + ".unit", Code: "unit_unknown",
					Message: "no organisational unit " + g.UnitCode + " in the ente's process map"})
			}
		}
	}
	if len(problems) > 0 {
		return &domain.ValidationError{Code: "grant_invalid", Problems: problems}
	}
	return nil
}

func (u *Users) create(ctx context.Context, by domain.Actor, enteID string, in NewUser) (domain.User, error) {
	in.Username = NormalizeUsername(in.Username)
	in.FullName, in.Email = strings.TrimSpace(in.FullName), strings.TrimSpace(in.Email)
	var problems []domain.FieldError
	if !usernameRe.MatchString(in.Username) {
		problems = append(problems, domain.FieldError{Field: "username", Code: "username_invalid",
			Message: "2-64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit"})
	}
	if in.Email != "" && !emailRe.MatchString(in.Email) {
		problems = append(problems, domain.FieldError{Field: "email", Code: "email_invalid", Message: "not an e-mail address"})
	}
	if err := password.Validate(in.Password, in.Username); err != nil {
		problems = append(problems, err.(*domain.ValidationError).Problems...)
	}
	if len(problems) > 0 {
		return domain.User{}, &domain.ValidationError{Code: "user_invalid", Problems: problems}
	}
	if err := u.validateGrants(ctx, enteID, in.Grants, "grants"); err != nil {
		return domain.User{}, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return domain.User{}, err
	}
	var out domain.User
	err = u.store.WithTx(ctx, func(tx *store.Store) error {
		out, err = tx.CreateUser(ctx, domain.User{EnteID: enteID, Username: in.Username, FullName: in.FullName,
			Email: in.Email, Grants: in.Grants}, hash)
		if err != nil {
			return err
		}
		return record(ctx, tx, by, "user", out.ID, "create", nil, out)
	})
	return out, err
}

// Create adds a user to the actor's ente.
func (u *Users) Create(ctx context.Context, actor domain.Actor, in NewUser) (domain.User, error) {
	if err := u.require(actor, authz.ActManage); err != nil {
		return domain.User{}, err
	}
	for _, g := range in.Grants {
		if err := mayGrant(actor, g.Role); err != nil {
			return domain.User{}, err
		}
	}
	return u.create(ctx, actor, actor.EnteID, in)
}

// List returns the users of the actor's ente.
func (u *Users) List(ctx context.Context, actor domain.Actor) ([]domain.User, error) {
	if err := u.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	return u.store.Users(ctx, actor.EnteID)
}

// Get returns one user of the actor's ente; another ente's user is not found.
func (u *Users) Get(ctx context.Context, actor domain.Actor, id string) (domain.User, error) {
	if err := u.require(actor, authz.ActRead); err != nil {
		return domain.User{}, err
	}
	return u.store.User(ctx, actor.EnteID, id)
}

// ProfileChange is a change of name and e-mail at a known version.
type ProfileChange struct {
	FullName string `json:"full_name"`
	Email    string `json:"email"`
	Version  int64  `json:"version"`
}

// UpdateProfile changes a user's name and e-mail; a stale version is refused.
func (u *Users) UpdateProfile(ctx context.Context, actor domain.Actor, id string, in ProfileChange) (domain.User, error) {
	if err := u.require(actor, authz.ActManage); err != nil {
		return domain.User{}, err
	}
	before, err := u.store.User(ctx, actor.EnteID, id)
	if err != nil {
		return domain.User{}, err
	}
	in.FullName, in.Email = strings.TrimSpace(in.FullName), strings.TrimSpace(in.Email)
	var problems []domain.FieldError
	if in.Version < 1 {
		problems = append(problems, domain.FieldError{Field: "version", Code: "required", Message: "the version you read is required"})
	}
	if in.Email != "" && !emailRe.MatchString(in.Email) {
		problems = append(problems, domain.FieldError{Field: "email", Code: "email_invalid", Message: "not an e-mail address"})
	}
	if len(problems) > 0 {
		return domain.User{}, &domain.ValidationError{Code: "user_invalid", Problems: problems}
	}
	var after domain.User
	err = u.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if err = tx.UpdateUserProfile(ctx, actor.EnteID, id, in.Version, in.FullName, in.Email); err != nil {
			return err
		}
		if after, err = tx.User(ctx, actor.EnteID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "user", id, "update_profile", before, after)
	})
	return after, err
}

// AddGrant gives a user of the actor's ente a role.
func (u *Users) AddGrant(ctx context.Context, actor domain.Actor, id string, g domain.Grant) (domain.Grant, error) {
	if err := u.require(actor, authz.ActManage); err != nil {
		return domain.Grant{}, err
	}
	if _, err := u.store.User(ctx, actor.EnteID, id); err != nil {
		return domain.Grant{}, err
	}
	if err := mayGrant(actor, g.Role); err != nil {
		return domain.Grant{}, err
	}
	return u.addGrant(ctx, actor, actor.EnteID, id, g)
}

func (u *Users) addGrant(ctx context.Context, by domain.Actor, enteID, id string, g domain.Grant) (domain.Grant, error) {
	if err := u.validateGrants(ctx, enteID, []domain.Grant{g}, ""); err != nil {
		return domain.Grant{}, err
	}
	var out domain.Grant
	defer u.cache.ForgetUser(id)
	err := u.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if out, err = tx.AddGrant(ctx, enteID, id, g); err != nil {
			return err
		}
		return record(ctx, tx, by, "user", id, "grant", nil, out)
	})
	return out, err
}

// RevokeGrant removes a grant of a user of the actor's ente.
func (u *Users) RevokeGrant(ctx context.Context, actor domain.Actor, id, grantID string) error {
	if err := u.require(actor, authz.ActManage); err != nil {
		return err
	}
	user, err := u.store.User(ctx, actor.EnteID, id)
	if err != nil {
		return err
	}
	for _, g := range user.Grants {
		if g.ID == grantID {
			if err := mayGrant(actor, g.Role); err != nil {
				return err
			}
			return u.revoke(ctx, actor, actor.EnteID, id, g)
		}
	}
	return domain.NotFound("grant_not_found", "grant not found")
}

func (u *Users) revoke(ctx context.Context, by domain.Actor, enteID, id string, g domain.Grant) error {
	defer u.cache.ForgetUser(id)
	return u.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.RemoveGrant(ctx, enteID, id, g.ID); err != nil {
			return err
		}
		return record(ctx, tx, by, "user", id, "revoke", g, nil)
	})
}

// SetDisabled disables (closing every session at once) or re-enables a user. Nobody disables themselves,
// so an ente cannot lock out its last administrator by mistake.
func (u *Users) SetDisabled(ctx context.Context, actor domain.Actor, id string, disabled bool) (domain.User, error) {
	if err := u.require(actor, authz.ActManage); err != nil {
		return domain.User{}, err
	}
	if id == actor.UserID && disabled {
		return domain.User{}, domain.Conflict("cannot_disable_self", "you cannot disable your own account")
	}
	if _, err := u.store.User(ctx, actor.EnteID, id); err != nil {
		return domain.User{}, err
	}
	if err := u.setDisabled(ctx, actor, actor.EnteID, id, disabled); err != nil {
		return domain.User{}, err
	}
	return u.store.User(ctx, actor.EnteID, id)
}

func (u *Users) setDisabled(ctx context.Context, by domain.Actor, enteID, id string, disabled bool) error {
	defer u.cache.ForgetUser(id)
	action := "enable"
	if disabled {
		action = "disable"
	}
	return u.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.SetDisabled(ctx, enteID, id, disabled); err != nil {
			return err
		}
		if disabled {
			if err := tx.RevokeUserSessions(ctx, enteID, id, "", "disabled"); err != nil {
				return err
			}
		}
		return record(ctx, tx, by, "user", id, action, map[string]bool{"disabled": !disabled}, map[string]bool{"disabled": disabled})
	})
}

// ResetPassword sets a new password for a user of the actor's ente and closes their sessions.
func (u *Users) ResetPassword(ctx context.Context, actor domain.Actor, id, plain string) error {
	if err := u.require(actor, authz.ActManage); err != nil {
		return err
	}
	user, err := u.store.User(ctx, actor.EnteID, id)
	if err != nil {
		return err
	}
	return u.resetPassword(ctx, actor, actor.EnteID, user, plain)
}

func (u *Users) resetPassword(ctx context.Context, by domain.Actor, enteID string, user domain.User, plain string) error {
	if err := password.Validate(plain, user.Username); err != nil {
		return err
	}
	hash, err := password.Hash(plain)
	if err != nil {
		return err
	}
	defer u.cache.ForgetUser(user.ID)
	return u.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.SetPasswordHash(ctx, enteID, user.ID, hash); err != nil {
			return err
		}
		if err := tx.RevokeUserSessions(ctx, enteID, user.ID, "", "password_reset"); err != nil {
			return err
		}
		// The trail says the password changed, never what it is.
		return record(ctx, tx, by, "user", user.ID, "reset_password", nil, nil)
	})
}

// Operator is the command line's access to user administration, for the first users of a fresh install.
type Operator struct{ u *Users }

// AsOperator returns the command-line operations.
func (u *Users) AsOperator() Operator { return Operator{u} }

// Create adds a user; whoever runs the command line already holds the database, so no role is checked.
func (o Operator) Create(ctx context.Context, enteID string, in NewUser) (domain.User, error) {
	return o.u.create(ctx, operator(enteID), enteID, in)
}

// List lists an ente's users.
func (o Operator) List(ctx context.Context, enteID string) ([]domain.User, error) {
	return o.u.store.Users(ctx, enteID)
}

// Grant gives a role.
func (o Operator) Grant(ctx context.Context, enteID, username string, g domain.Grant) (domain.Grant, error) {
	user, err := o.u.store.UserByUsername(ctx, enteID, NormalizeUsername(username))
	if err != nil {
		return domain.Grant{}, err
	}
	return o.u.addGrant(ctx, operator(enteID), enteID, user.ID, g)
}

// Revoke removes the grant with this role and unit.
func (o Operator) Revoke(ctx context.Context, enteID, username string, g domain.Grant) error {
	user, err := o.u.store.UserByUsername(ctx, enteID, NormalizeUsername(username))
	if err != nil {
		return err
	}
	for _, have := range user.Grants {
		if have.Role == g.Role && have.UnitCode == g.UnitCode {
			return o.u.revoke(ctx, operator(enteID), enteID, user.ID, have)
		}
	}
	return domain.NotFound("grant_not_found", "%s holds no %s grant on %q", username, g.Role, g.UnitCode)
}

// SetDisabled disables or enables a user.
func (o Operator) SetDisabled(ctx context.Context, enteID, username string, disabled bool) error {
	user, err := o.u.store.UserByUsername(ctx, enteID, NormalizeUsername(username))
	if err != nil {
		return err
	}
	return o.u.setDisabled(ctx, operator(enteID), enteID, user.ID, disabled)
}

// ResetPassword sets a new password.
func (o Operator) ResetPassword(ctx context.Context, enteID, username, plain string) error {
	user, err := o.u.store.UserByUsername(ctx, enteID, NormalizeUsername(username))
	if err != nil {
		return err
	}
	return o.u.resetPassword(ctx, operator(enteID), enteID, user, plain)
}
