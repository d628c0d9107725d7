package service

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"

	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/password"
	"github.com/argine-pa/argine/internal/store"
)

// Separation of duties on user administration (who may change what, in the app):
//
//   - Nobody changes their own grants, disables themselves or resets their own password through
//     administration (their own password has its own route, which asks for the current one).
//   - The technical administrator manages users and director/referente grants, but does not touch the account
//     of anyone holding RPCT or OIV; the RPCT does not touch OIV accounts.
//   - Granting or revoking RPCT, OIV or admin, and resetting, disabling or enabling the account of someone
//     holding them, is never done by one person in the app (admin because administrators confirm requests:
//     whoever could set an administrator's password could confirm their own requests): it is a PrivilegedRequest that a second person (another
//     administrator or the RPCT, never the requester nor the person concerned) confirms. The operator's
//     command line (Operator) does it directly: whoever runs it already holds the database.
//   - Whatever the path, the administrator holds no register role, the OIV holds no other role, and the last
//     active RPCT of an ente can be neither revoked nor disabled.

// userOp is a change to someone's account made directly in the app.
type userOp int

const (
	opProfile userOp = iota
	opGrant
	opRevoke
	opDisable
	opEnable
	opResetPassword
)

func actorHolds(actor domain.Actor, r domain.Role) bool { return domain.Holds(actor.Grants, r) }

// guardTarget says whether actor may apply op (with role, for grants) to target directly.
func guardTarget(actor domain.Actor, target domain.User, op userOp, role domain.Role) error {
	if target.ID == actor.UserID {
		switch op {
		case opGrant, opRevoke:
			return domain.Forbidden("own_grants", "nobody changes their own grants: ask another administrator or the RPCT")
		case opDisable:
			return domain.Conflict("cannot_disable_self", "you cannot disable your own account")
		case opResetPassword:
			return domain.Forbidden("own_account", "change your own password from your profile, with your current password")
		}
	}
	held := domain.PrivilegedRole(target.Grants)
	if held != "" && target.ID != actor.UserID {
		// The RPCT manages RPCT accounts (through requests for what matters); nobody but the operator and a
		// confirmed request touches the OIV, and the administrator touches neither. Administrators' accounts
		// are managed by the administrators and the RPCT, through requests for what matters.
		if held == domain.RoleOIV || (held == domain.RoleRPCT && !actorHolds(actor, domain.RoleRPCT)) {
			return domain.Forbidden("privileged_target", "the account of a user holding the %s role is changed only by a confirmed request", held)
		}
	}
	if (op == opGrant || op == opRevoke) && role.Privileged() {
		return domain.Forbidden("request_required", "granting or revoking the %s role needs a request that a second person confirms", role)
	}
	if held != "" && (op == opDisable || op == opEnable || op == opResetPassword) {
		return domain.Forbidden("request_required", "this change to the account of a user holding the %s role needs a request that a second person confirms", held)
	}
	return nil
}

// roleConflictError refuses a grant that breaks a role combination rule.
func roleConflictError(have []domain.Grant, add domain.Role, field string) error {
	if why := domain.RoleConflict(have, add); why != "" {
		return &domain.ValidationError{Code: "grant_invalid", Problems: []domain.FieldError{{Field: field, Code: "role_incompatible", Message: why}}}
	}
	return nil
}

// keepOneRPCT refuses to take away the last active RPCT of the ente (by revoking the role or disabling the
// account). Run it in the transaction that makes the change.
func keepOneRPCT(ctx context.Context, tx *store.Store, enteID string, target domain.User) error {
	if target.Disabled || !domain.Holds(target.Grants, domain.RoleRPCT) {
		return nil
	}
	n, err := tx.OtherActiveHolders(ctx, enteID, domain.RoleRPCT, target.ID)
	if err != nil {
		return err
	}
	if n == 0 {
		return domain.Conflict("last_rpct", "%s is the ente's last active RPCT: give the role to someone else first", target.Username)
	}
	return nil
}

// temporaryPassword makes a 20-character password (plus dashes) from an alphabet without look-alike characters.
func temporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	for i := 0; i < 20; i++ {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b.WriteByte(alphabet[n.Int64()])
		if i%5 == 4 && i < 19 {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// RequestInput asks for a change to a control function.
type RequestInput struct {
	Kind     domain.RequestKind `json:"kind"`
	TargetID string             `json:"target_id"`
}

// PendingRequest is a waiting request with whether the caller may decide it.
type PendingRequest struct {
	domain.PrivilegedRequest
	CanDecide bool `json:"can_decide"`
}

// Decision is the outcome of a confirmation. TemporaryPassword is set for a confirmed password reset: it is
// shown once, to the confirmer, who hands it to its owner (who must replace it at the next sign-in); it is
// never stored in clear nor written to the trail.
type Decision struct {
	Request           domain.PrivilegedRequest `json:"request"`
	TemporaryPassword string                   `json:"temporary_password,omitempty"`
}

func (u *Users) requireRequests(actor domain.Actor, act authz.Action) error {
	if !u.authz.Can(actor, authz.ObjPrivilegedRequest, act) {
		return domain.Forbidden("forbidden", "your role does not allow this")
	}
	return nil
}

// mayConcern refuses requests about OIV accounts or the OIV role from a caller who is not an administrator:
// the RPCT, evaluated by the OIV, neither asks for nor confirms changes to it.
func mayConcern(actor domain.Actor, kind domain.RequestKind, target domain.User) error {
	if actorHolds(actor, domain.RoleAdmin) {
		return nil
	}
	if kind.Role() == domain.RoleOIV || domain.Holds(target.Grants, domain.RoleOIV) {
		return domain.Forbidden("privileged_target", "the RPCT does not act on OIV accounts")
	}
	return nil
}

// applicable checks that the change still makes sense for the target as it is now.
func applicable(kind domain.RequestKind, target domain.User) error {
	role := kind.Role()
	holds := domain.Holds(target.Grants, role)
	switch kind {
	case domain.RequestGrantRPCT, domain.RequestGrantOIV, domain.RequestGrantAdmin:
		if holds {
			return domain.Conflict("request_not_applicable", "%s already holds the %s role", target.Username, role)
		}
		return roleConflictError(target.Grants, role, "kind")
	case domain.RequestDisableRPCT, domain.RequestDisableOIV, domain.RequestDisableAdmin:
		if !holds || target.Disabled {
			return domain.Conflict("request_not_applicable", "%s is not an active %s", target.Username, role)
		}
	case domain.RequestEnableRPCT, domain.RequestEnableOIV, domain.RequestEnableAdmin:
		if !holds || !target.Disabled {
			return domain.Conflict("request_not_applicable", "%s is not a disabled %s", target.Username, role)
		}
	default: // revoke, reset password
		if !holds {
			return domain.Conflict("request_not_applicable", "%s does not hold the %s role", target.Username, role)
		}
	}
	return nil
}

// RequestChange asks for a change to a control function; another person confirms it.
func (u *Users) RequestChange(ctx context.Context, actor domain.Actor, in RequestInput) (domain.PrivilegedRequest, error) {
	if err := u.requireRequests(actor, authz.ActWrite); err != nil {
		return domain.PrivilegedRequest{}, err
	}
	var problems []domain.FieldError
	if !in.Kind.Valid() {
		problems = append(problems, domain.FieldError{Field: "kind", Code: "kind_unknown", Message: "kind must be grant_, revoke_, reset_password_, disable_ or enable_ followed by rpct, oiv or admin"})
	}
	if strings.TrimSpace(in.TargetID) == "" {
		problems = append(problems, domain.FieldError{Field: "target_id", Code: "required", Message: "name the user the change concerns"})
	} else if !validID(in.TargetID) {
		problems = append(problems, domain.FieldError{Field: "target_id", Code: "id_invalid", Message: "not a user id"})
	}
	if len(problems) > 0 {
		return domain.PrivilegedRequest{}, &domain.ValidationError{Code: "request_invalid", Problems: problems}
	}
	target, err := u.store.User(ctx, actor.EnteID, in.TargetID)
	if err != nil {
		return domain.PrivilegedRequest{}, err
	}
	if target.ID == actor.UserID {
		return domain.PrivilegedRequest{}, domain.Forbidden("own_account", "nobody asks for changes to their own account")
	}
	if err := mayConcern(actor, in.Kind, target); err != nil {
		return domain.PrivilegedRequest{}, err
	}
	if err := applicable(in.Kind, target); err != nil {
		return domain.PrivilegedRequest{}, err
	}
	var out domain.PrivilegedRequest
	err = u.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if in.Kind == domain.RequestRevokeRPCT || in.Kind == domain.RequestDisableRPCT {
			if err := keepOneRPCT(ctx, tx, actor.EnteID, target); err != nil {
				return err // refused now rather than at confirmation
			}
		}
		if out, err = tx.CreatePrivilegedRequest(ctx, actor.EnteID, in.Kind, target.ID, actor.UserID, domain.RequestTTL); err != nil {
			return err
		}
		if out.TargetUsername == "" {
			out.TargetUsername = target.Username
		}
		if err := notifyPrivilegedRequest(ctx, tx, actor, out); err != nil {
			return err
		}
		return record(ctx, tx, actor, "privileged_request", out.ID, "request", nil, requestAudit(out))
	})
	return out, err
}

// requestAudit is what the trail keeps of a request: who asked what for whom, and who decided.
func requestAudit(r domain.PrivilegedRequest) map[string]any {
	out := map[string]any{"kind": r.Kind, "target_id": r.TargetID, "target": r.TargetUsername,
		"requested_by": r.RequestedBy, "state": r.State, "expires_at": r.ExpiresAt}
	if r.DecidedBy != "" {
		out["decided_by"] = r.DecidedBy
	}
	return out
}

// PendingRequests lists the requests waiting for confirmation, saying which the caller may decide.
func (u *Users) PendingRequests(ctx context.Context, actor domain.Actor) ([]PendingRequest, error) {
	if err := u.requireRequests(actor, authz.ActRead); err != nil {
		return nil, err
	}
	reqs, err := u.store.PendingPrivilegedRequests(ctx, actor.EnteID)
	if err != nil {
		return nil, err
	}
	canReview := u.authz.Can(actor, authz.ObjPrivilegedRequest, authz.ActReview)
	out := make([]PendingRequest, len(reqs))
	for i, r := range reqs {
		out[i] = PendingRequest{PrivilegedRequest: r, CanDecide: canReview && mayDecide(actor, r) == nil}
	}
	return out, nil
}

// mayDecide: a second person, who is neither the requester nor the person concerned, and (unless an
// administrator) not the RPCT on an OIV matter.
func mayDecide(actor domain.Actor, r domain.PrivilegedRequest) error {
	switch {
	case r.RequestedBy == actor.UserID:
		return domain.Forbidden("request_own", "a second person must confirm or reject your request")
	case r.TargetID == actor.UserID:
		return domain.Forbidden("own_account", "you cannot decide a request about your own account")
	case r.Kind.Role() == domain.RoleOIV && !actorHolds(actor, domain.RoleAdmin):
		return domain.Forbidden("privileged_target", "the RPCT does not act on OIV accounts")
	}
	return nil
}

// decidable loads a request for a decision by actor; an expired one is marked so (and the expiry recorded)
// and refused.
func (u *Users) decidable(ctx context.Context, actor domain.Actor, id string) (domain.PrivilegedRequest, error) {
	if err := u.requireRequests(actor, authz.ActReview); err != nil {
		return domain.PrivilegedRequest{}, err
	}
	if !validID(id) {
		return domain.PrivilegedRequest{}, domain.NotFound("request_not_found", "request not found")
	}
	r, err := u.store.PrivilegedRequest(ctx, actor.EnteID, id, false)
	if err != nil {
		return r, err
	}
	if err := mayDecide(actor, r); err != nil {
		return r, err
	}
	switch r.State {
	case domain.RequestPending:
		return r, nil
	case domain.RequestExpired:
		err := u.store.WithTx(ctx, func(tx *store.Store) error {
			if err := tx.DecidePrivilegedRequest(ctx, actor.EnteID, r.ID, domain.RequestExpired, ""); err != nil {
				if domain.CodeOf(err) == "request_decided" {
					return nil // already marked
				}
				return err
			}
			return record(ctx, tx, actor, "privileged_request", r.ID, "expire", nil, requestAudit(r))
		})
		if err != nil {
			return r, err
		}
		return r, domain.Conflict("request_expired", "the request expired on %s: ask again", r.ExpiresAt.Format("2006-01-02 15:04 UTC"))
	}
	return r, domain.Conflict("request_decided", "the request was already %s", r.State)
}

// ConfirmRequest executes a waiting request in the transaction that marks it confirmed.
func (u *Users) ConfirmRequest(ctx context.Context, actor domain.Actor, id string) (Decision, error) {
	r, err := u.decidable(ctx, actor, id)
	if err != nil {
		return Decision{}, err
	}
	var out Decision
	var hash string
	if r.Kind == domain.RequestResetPasswordRPCT || r.Kind == domain.RequestResetPasswordOIV || r.Kind == domain.RequestResetPasswordAdmin {
		out.TemporaryPassword = temporaryPassword()
		if hash, err = password.Hash(out.TemporaryPassword); err != nil {
			return Decision{}, err
		}
	}
	defer u.cache.ForgetUser(r.TargetID)
	err = u.store.WithTx(ctx, func(tx *store.Store) error {
		if _, err := tx.PrivilegedRequest(ctx, actor.EnteID, r.ID, true); err != nil {
			return err
		}
		if err := tx.DecidePrivilegedRequest(ctx, actor.EnteID, r.ID, domain.RequestConfirmed, actor.UserID); err != nil {
			return err
		}
		target, err := tx.User(ctx, actor.EnteID, r.TargetID)
		if err != nil {
			return err
		}
		// The target may have changed since the request: check again against what it is now.
		if err := mayConcern(actor, r.Kind, target); err != nil {
			return err
		}
		if err := applicable(r.Kind, target); err != nil {
			return err
		}
		if err := u.execute(ctx, tx, actor, r.Kind, target, hash); err != nil {
			return err
		}
		if out.Request, err = tx.PrivilegedRequest(ctx, actor.EnteID, r.ID, false); err != nil {
			return err
		}
		return record(ctx, tx, actor, "privileged_request", r.ID, "confirm", requestAudit(r), requestAudit(out.Request))
	})
	if err != nil {
		return Decision{}, err
	}
	return out, nil
}

// execute applies a confirmed change, recording it on the trail as the confirmer's.
func (u *Users) execute(ctx context.Context, tx *store.Store, by domain.Actor, kind domain.RequestKind, target domain.User, hash string) error {
	role := kind.Role()
	switch kind {
	case domain.RequestGrantRPCT, domain.RequestGrantOIV, domain.RequestGrantAdmin:
		_, err := u.addGrantTx(ctx, tx, by, by.EnteID, target.ID, domain.Grant{Role: role})
		return err
	case domain.RequestRevokeRPCT, domain.RequestRevokeOIV, domain.RequestRevokeAdmin:
		for _, g := range target.Grants {
			if g.Role == role {
				return u.revokeTx(ctx, tx, by, by.EnteID, target, g)
			}
		}
		return domain.Conflict("request_not_applicable", "%s does not hold the %s role", target.Username, role)
	case domain.RequestDisableRPCT, domain.RequestDisableOIV, domain.RequestDisableAdmin:
		return u.setDisabledTx(ctx, tx, by, by.EnteID, target, true)
	case domain.RequestEnableRPCT, domain.RequestEnableOIV, domain.RequestEnableAdmin:
		return u.setDisabledTx(ctx, tx, by, by.EnteID, target, false)
	case domain.RequestResetPasswordRPCT, domain.RequestResetPasswordOIV, domain.RequestResetPasswordAdmin:
		return u.resetPasswordTx(ctx, tx, by, by.EnteID, target, hash)
	}
	return errors.New("service: unknown request kind " + string(kind))
}

// RejectRequest closes a waiting request without applying it.
func (u *Users) RejectRequest(ctx context.Context, actor domain.Actor, id string) (domain.PrivilegedRequest, error) {
	r, err := u.decidable(ctx, actor, id)
	if err != nil {
		return domain.PrivilegedRequest{}, err
	}
	var out domain.PrivilegedRequest
	err = u.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if err := tx.DecidePrivilegedRequest(ctx, actor.EnteID, r.ID, domain.RequestRejected, actor.UserID); err != nil {
			return err
		}
		if out, err = tx.PrivilegedRequest(ctx, actor.EnteID, r.ID, false); err != nil {
			return err
		}
		return record(ctx, tx, actor, "privileged_request", r.ID, "reject", requestAudit(r), requestAudit(out))
	})
	return out, err
}

// validID reports whether id is a well-formed identifier (PostgreSQL would refuse to compare anything else
// with a uuid column).
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}
