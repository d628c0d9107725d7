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
	// Permanent keeps the password as the owner's own (demo and seeded accounts whose password is published):
	// otherwise a password chosen by whoever creates the account is temporary and must be changed at the
	// first sign-in. Never read from a request.
	Permanent bool `json:"-"`
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

func (u *Users) validateGrants(ctx context.Context, enteID string, grants []domain.Grant, field string) error {
	var problems []domain.FieldError
	var shaped []domain.Grant // the well-formed grants so far, for the role combination rules
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
		if why := domain.RoleConflict(shaped, g.Role); why != "" {
			problems = append(problems, domain.FieldError{Field: path + ".role", Code: "role_incompatible", Message: why})
		}
		shaped = append(shaped, g)
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

// create validates and inserts a user. Only the operator's path (privilegedOK) may give the RPCT or OIV role
// at creation; in the app that takes a confirmed request. The refusal comes after validation, so a form with
// several mistakes hears about all of them.
func (u *Users) create(ctx context.Context, by domain.Actor, enteID string, in NewUser, privilegedOK bool) (domain.User, error) {
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
	for _, g := range in.Grants {
		if g.Role.Privileged() && !privilegedOK {
			return domain.User{}, domain.Forbidden("request_required",
				"create the user without the %s role, then ask for it: a second person confirms", g.Role)
		}
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return domain.User{}, err
	}
	var out domain.User
	err = u.store.WithTx(ctx, func(tx *store.Store) error {
		out, err = tx.CreateUser(ctx, domain.User{EnteID: enteID, Username: in.Username, FullName: in.FullName,
			Email: in.Email, Grants: in.Grants, MustChangePassword: !in.Permanent}, hash)
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
	return u.create(ctx, actor, actor.EnteID, in, false)
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
	if err := guardTarget(actor, before, opProfile, ""); err != nil {
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
	target, err := u.store.User(ctx, actor.EnteID, id)
	if err != nil {
		return domain.Grant{}, err
	}
	if err := guardTarget(actor, target, opGrant, g.Role); err != nil {
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
		out, err = u.addGrantTx(ctx, tx, by, enteID, id, g)
		return err
	})
	return out, err
}

// addGrantTx gives a validated grant inside tx, refusing a role the user's other roles exclude (checked on
// the user as the transaction sees it).
func (u *Users) addGrantTx(ctx context.Context, tx *store.Store, by domain.Actor, enteID, id string, g domain.Grant) (domain.Grant, error) {
	if err := tx.LockUser(ctx, enteID, id); err != nil {
		return domain.Grant{}, err
	}
	have, err := tx.Grants(ctx, enteID, id)
	if err != nil {
		return domain.Grant{}, err
	}
	if err := roleConflictError(have, g.Role, "role"); err != nil {
		return domain.Grant{}, err
	}
	out, err := tx.AddGrant(ctx, enteID, id, g)
	if err != nil {
		return domain.Grant{}, err
	}
	return out, record(ctx, tx, by, "user", id, "grant", nil, out)
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
			if err := guardTarget(actor, user, opRevoke, g.Role); err != nil {
				return err
			}
			return u.revoke(ctx, actor, actor.EnteID, user, g)
		}
	}
	if err := guardTarget(actor, user, opRevoke, ""); err != nil {
		return err // an unknown grant of someone the caller may not touch is refused as such
	}
	return domain.NotFound("grant_not_found", "grant not found")
}

func (u *Users) revoke(ctx context.Context, by domain.Actor, enteID string, user domain.User, g domain.Grant) error {
	defer u.cache.ForgetUser(user.ID)
	return u.store.WithTx(ctx, func(tx *store.Store) error {
		current, err := tx.User(ctx, enteID, user.ID)
		if err != nil {
			return err
		}
		return u.revokeTx(ctx, tx, by, enteID, current, g)
	})
}

// revokeTx removes a grant inside tx; the last active RPCT keeps the role.
func (u *Users) revokeTx(ctx context.Context, tx *store.Store, by domain.Actor, enteID string, user domain.User, g domain.Grant) error {
	if g.Role == domain.RoleRPCT {
		if err := keepOneRPCT(ctx, tx, enteID, user); err != nil {
			return err
		}
	}
	if err := tx.RemoveGrant(ctx, enteID, user.ID, g.ID); err != nil {
		return err
	}
	return record(ctx, tx, by, "user", user.ID, "revoke", g, nil)
}

// SetDisabled disables (closing every session at once) or re-enables a user. Nobody disables themselves,
// so an ente cannot lock out its last administrator by mistake.
func (u *Users) SetDisabled(ctx context.Context, actor domain.Actor, id string, disabled bool) (domain.User, error) {
	if err := u.require(actor, authz.ActManage); err != nil {
		return domain.User{}, err
	}
	target, err := u.store.User(ctx, actor.EnteID, id)
	if err != nil {
		return domain.User{}, err
	}
	op := opEnable
	if disabled {
		op = opDisable
	}
	if err := guardTarget(actor, target, op, ""); err != nil {
		return domain.User{}, err
	}
	if err := u.setDisabled(ctx, actor, actor.EnteID, id, disabled); err != nil {
		return domain.User{}, err
	}
	return u.store.User(ctx, actor.EnteID, id)
}

func (u *Users) setDisabled(ctx context.Context, by domain.Actor, enteID, id string, disabled bool) error {
	defer u.cache.ForgetUser(id)
	return u.store.WithTx(ctx, func(tx *store.Store) error {
		user, err := tx.User(ctx, enteID, id)
		if err != nil {
			return err
		}
		return u.setDisabledTx(ctx, tx, by, enteID, user, disabled)
	})
}

// setDisabledTx disables (closing every session) or enables a user inside tx; the last active RPCT stays.
func (u *Users) setDisabledTx(ctx context.Context, tx *store.Store, by domain.Actor, enteID string, user domain.User, disabled bool) error {
	action := "enable"
	if disabled {
		action = "disable"
		if err := keepOneRPCT(ctx, tx, enteID, user); err != nil {
			return err
		}
	}
	if err := tx.SetDisabled(ctx, enteID, user.ID, disabled); err != nil {
		return err
	}
	if disabled {
		if err := tx.RevokeUserSessions(ctx, enteID, user.ID, "", "disabled"); err != nil {
			return err
		}
	}
	return record(ctx, tx, by, "user", user.ID, action, map[string]bool{"disabled": !disabled}, map[string]bool{"disabled": disabled})
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
	if err := guardTarget(actor, user, opResetPassword, ""); err != nil {
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
		return u.resetPasswordTx(ctx, tx, by, enteID, user, hash)
	})
}

// resetPasswordTx stores a password set by someone other than its owner and closes the owner's sessions.
func (u *Users) resetPasswordTx(ctx context.Context, tx *store.Store, by domain.Actor, enteID string, user domain.User, hash string) error {
	// Someone else chose it: the owner must replace it at the next sign-in. SetTemporaryPassword (in
	// internal/store/identity.go) is the one way to set another person's password.
	if err := tx.SetTemporaryPassword(ctx, enteID, user.ID, hash); err != nil {
		return err
	}
	if err := tx.RevokeUserSessions(ctx, enteID, user.ID, "", "password_reset"); err != nil {
		return err
	}
	// A reset recovers the account: the second factor goes too, and its owner enrols again (mfa.go).
	if err := removeMFATx(ctx, tx, by, enteID, user.ID); err != nil {
		return err
	}
	// The trail says the password changed, never what it is.
	return record(ctx, tx, by, "user", user.ID, "reset_password", nil, nil)
}

// Operator is the command line's access to user administration, for the first users of a fresh install.
type Operator struct{ u *Users }

// AsOperator returns the command-line operations.
func (u *Users) AsOperator() Operator { return Operator{u} }

// Create adds a user; whoever runs the command line already holds the database, so no role is checked.
func (o Operator) Create(ctx context.Context, enteID string, in NewUser) (domain.User, error) {
	return o.u.create(ctx, operator(enteID), enteID, in, true)
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
			return o.u.revoke(ctx, operator(enteID), enteID, user, have)
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
