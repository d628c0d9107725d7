package domain

import "time"

// Privileged reports whether a role needs two people to change in the app (a PrivilegedRequest) or the
// operator's command line: the ente's control functions, the RPCT who runs the register and the OIV who
// evaluates the RPCT, and the technical administrator, who confirms requests: whoever could set an
// administrator's password, or make an administrator of an account whose password they know, could confirm
// their own requests.
func (r Role) Privileged() bool { return r == RoleRPCT || r == RoleOIV || r == RoleAdmin }

// Holds reports whether the grants include the role (on any unit).
func Holds(grants []Grant, r Role) bool {
	for _, g := range grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// PrivilegedRole returns the privileged role a user holds (OIV first: it excludes every other role; then
// RPCT, then admin), or "".
func PrivilegedRole(grants []Grant) Role {
	switch {
	case Holds(grants, RoleOIV):
		return RoleOIV
	case Holds(grants, RoleRPCT):
		return RoleRPCT
	case Holds(grants, RoleAdmin):
		return RoleAdmin
	}
	return ""
}

// RoleConflict says why a user holding have cannot also be given add, or "" when they can. The technical
// administrator holds no register role (so it can never read or sign what it administers), and the OIV holds
// nothing else (it must stay independent of what it evaluates). Two grants of one role on different units
// are fine.
func RoleConflict(have []Grant, add Role) string {
	for _, g := range have {
		switch {
		case g.Role == add:
		case g.Role == RoleOIV || add == RoleOIV:
			return "the OIV holds no other role"
		case g.Role == RoleAdmin || add == RoleAdmin:
			return "the technical administrator holds no register role (rpct, director, referente, oiv)"
		}
	}
	return ""
}

// RequestKind is a change to a control function that needs a second person's confirmation in the app.
type RequestKind string

const (
	RequestGrantRPCT         RequestKind = "grant_rpct"
	RequestRevokeRPCT        RequestKind = "revoke_rpct"
	RequestGrantOIV          RequestKind = "grant_oiv"
	RequestRevokeOIV         RequestKind = "revoke_oiv"
	RequestResetPasswordRPCT RequestKind = "reset_password_rpct"
	RequestResetPasswordOIV  RequestKind = "reset_password_oiv"
	RequestDisableRPCT       RequestKind = "disable_rpct"
	RequestEnableRPCT        RequestKind = "enable_rpct"
	RequestDisableOIV        RequestKind = "disable_oiv"
	RequestEnableOIV         RequestKind = "enable_oiv"
	// The administrator's account and role, for the reason Role.Privileged gives.
	RequestGrantAdmin         RequestKind = "grant_admin"
	RequestRevokeAdmin        RequestKind = "revoke_admin"
	RequestResetPasswordAdmin RequestKind = "reset_password_admin"
	RequestDisableAdmin       RequestKind = "disable_admin"
	RequestEnableAdmin        RequestKind = "enable_admin"
)

// RequestKinds lists every kind.
var RequestKinds = []RequestKind{RequestGrantRPCT, RequestRevokeRPCT, RequestGrantOIV, RequestRevokeOIV,
	RequestResetPasswordRPCT, RequestResetPasswordOIV, RequestDisableRPCT, RequestEnableRPCT, RequestDisableOIV, RequestEnableOIV,
	RequestGrantAdmin, RequestRevokeAdmin, RequestResetPasswordAdmin, RequestDisableAdmin, RequestEnableAdmin}

// Valid reports whether k is a known kind.
func (k RequestKind) Valid() bool {
	for _, x := range RequestKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Role is the role the change concerns.
func (k RequestKind) Role() Role {
	switch k {
	case RequestGrantOIV, RequestRevokeOIV, RequestResetPasswordOIV, RequestDisableOIV, RequestEnableOIV:
		return RoleOIV
	case RequestGrantAdmin, RequestRevokeAdmin, RequestResetPasswordAdmin, RequestDisableAdmin, RequestEnableAdmin:
		return RoleAdmin
	}
	return RoleRPCT
}

// RequestState is where a request stands. A pending request past its expiry is expired, whether or not the
// row says so yet.
type RequestState string

const (
	RequestPending   RequestState = "pending"
	RequestConfirmed RequestState = "confirmed"
	RequestRejected  RequestState = "rejected"
	RequestExpired   RequestState = "expired"
)

// RequestTTL is how long a request waits for its confirmation.
const RequestTTL = 72 * time.Hour

// PrivilegedRequest is one asked-for change to a control function.
type PrivilegedRequest struct {
	ID              string       `json:"id"`
	Kind            RequestKind  `json:"kind"`
	TargetID        string       `json:"target_id"`
	TargetUsername  string       `json:"target_username"`
	TargetFullName  string       `json:"target_full_name"`
	RequestedBy     string       `json:"requested_by"`
	RequestedByName string       `json:"requested_by_username"`
	RequestedAt     time.Time    `json:"requested_at"`
	ExpiresAt       time.Time    `json:"expires_at"`
	State           RequestState `json:"state"`
	DecidedBy       string       `json:"decided_by,omitempty"`
	DecidedByName   string       `json:"decided_by_username,omitempty"`
	DecidedAt       *time.Time   `json:"decided_at,omitempty"`
}
