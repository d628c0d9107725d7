package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/replica"
)

type userRow struct {
	ID                string
	EnteID            string
	Username          string
	FullName          string
	Email             string
	PasswordHash      string
	DisabledAt        *time.Time
	GrantsVersion     int64
	PasswordChangedAt time.Time
	// MustChangePassword marks a password chosen by someone else (creation, reset): only a password change
	// is allowed until the owner replaces it.
	MustChangePassword bool
	LastLoginAt        *time.Time
	Version            int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) domain() domain.User {
	return domain.User{ID: r.ID, EnteID: r.EnteID, Username: r.Username, FullName: r.FullName, Email: r.Email,
		Disabled: r.DisabledAt != nil, MustChangePassword: r.MustChangePassword, GrantsVersion: r.GrantsVersion, LastLoginAt: r.LastLoginAt,
		CreatedAt: r.CreatedAt, Version: r.Version, Grants: []domain.Grant{}}
}

type grantRow struct {
	ID        string
	EnteID    string
	UserID    string
	Role      string
	UnitCode  string
	CreatedAt time.Time
}

func (grantRow) TableName() string { return "role_grants" }

// Credentials is what sign-in needs of a user; the hash never leaves the auth service.
type Credentials struct {
	UserID             string
	EnteID             string
	EnteCode           string
	PasswordHash       string
	Disabled           bool
	MustChangePassword bool
}

// CreateUser inserts a user with its grants; an existing username is domain.ErrConflict. u.MustChangePassword
// says the password is temporary (chosen by whoever creates the account).
func (s *Store) CreateUser(ctx context.Context, u domain.User, passwordHash string) (domain.User, error) {
	t := now()
	r := userRow{ID: newID(), EnteID: u.EnteID, Username: u.Username, FullName: u.FullName, Email: u.Email,
		PasswordHash: passwordHash, MustChangePassword: u.MustChangePassword, GrantsVersion: 1, PasswordChangedAt: t,
		Version: 1, CreatedAt: t, UpdatedAt: t}
	err := s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return domain.User{}, domain.Conflict("username_taken", "username %q is taken", u.Username)
	}
	if err != nil {
		return domain.User{}, wrap(err, "create user")
	}
	out := r.domain()
	for _, g := range u.Grants {
		ng, err := s.insertGrant(ctx, u.EnteID, r.ID, g)
		if err != nil {
			return domain.User{}, err
		}
		out.Grants = append(out.Grants, ng)
	}
	return out, nil
}

// CredentialsByUsername loads what sign-in checks; an unknown username is domain.ErrNotFound.
func (s *Store) CredentialsByUsername(ctx context.Context, username string) (Credentials, error) {
	var r struct {
		ID, EnteID, EnteCode, PasswordHash string
		DisabledAt                         *time.Time
		MustChangePassword                 bool
	}
	res := s.authQ(ctx).Table("users u").Joins("JOIN entes e ON e.id = u.ente_id").
		Select("u.id, u.ente_id, e.code AS ente_code, u.password_hash, u.disabled_at, u.must_change_password").
		Where("u.username = ?", username).Limit(1).Scan(&r)
	if res.Error != nil {
		return Credentials{}, wrap(res.Error, "load credentials")
	}
	if res.RowsAffected == 0 {
		return Credentials{}, domain.NotFound("user_not_found", "user not found")
	}
	return Credentials{UserID: r.ID, EnteID: r.EnteID, EnteCode: r.EnteCode, PasswordHash: r.PasswordHash,
		Disabled: r.DisabledAt != nil, MustChangePassword: r.MustChangePassword}, nil
}

// PasswordHash returns a user's hash, for a password change that checks the current one.
func (s *Store) PasswordHash(ctx context.Context, enteID, userID string) (string, error) {
	var r userRow
	res := s.q(ctx).Select("password_hash").Where("ente_id = ? AND id = ?", enteID, userID).Limit(1).Find(&r)
	if res.Error != nil {
		return "", wrap(res.Error, "load password hash")
	}
	if res.RowsAffected == 0 {
		return "", domain.NotFound("user_not_found", "user not found")
	}
	return r.PasswordHash, nil
}

// User loads one user of an ente with grants; another ente's user is domain.ErrNotFound.
func (s *Store) User(ctx context.Context, enteID, userID string) (domain.User, error) {
	var r userRow
	res := s.q(ctx).Where("ente_id = ? AND id = ?", enteID, userID).Limit(1).Find(&r)
	if res.Error != nil {
		return domain.User{}, wrap(res.Error, "load user")
	}
	if res.RowsAffected == 0 {
		return domain.User{}, domain.NotFound("user_not_found", "user not found")
	}
	users := []domain.User{r.domain()}
	return users[0], s.attachGrants(ctx, enteID, users)
}

// UserByUsername loads one user of an ente by username.
func (s *Store) UserByUsername(ctx context.Context, enteID, username string) (domain.User, error) {
	var r userRow
	res := s.q(ctx).Where("ente_id = ? AND username = ?", enteID, username).Limit(1).Find(&r)
	if res.Error != nil {
		return domain.User{}, wrap(res.Error, "load user")
	}
	if res.RowsAffected == 0 {
		return domain.User{}, domain.NotFound("user_not_found", "user %q not found", username)
	}
	users := []domain.User{r.domain()}
	return users[0], s.attachGrants(ctx, enteID, users)
}

// Users lists an ente's users by username, with grants (two queries whatever their number).
func (s *Store) Users(ctx context.Context, enteID string) ([]domain.User, error) {
	var rows []userRow
	if err := s.q(ctx).Where("ente_id = ?", enteID).Order("username").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list users")
	}
	users := make([]domain.User, len(rows))
	for i, r := range rows {
		users[i] = r.domain()
	}
	return users, s.attachGrants(ctx, enteID, users)
}

func (s *Store) attachGrants(ctx context.Context, enteID string, users []domain.User) error {
	if len(users) == 0 {
		return nil
	}
	idx := make(map[string]int, len(users))
	ids := make([]string, len(users))
	for i, u := range users {
		idx[u.ID] = i
		ids[i] = u.ID
	}
	var rows []grantRow
	if err := s.q(ctx).Where("ente_id = ? AND user_id IN ?", enteID, ids).Order("role, unit_code").Find(&rows).Error; err != nil {
		return wrap(err, "load grants")
	}
	for _, g := range rows {
		i := idx[g.UserID]
		users[i].Grants = append(users[i].Grants, domain.Grant{ID: g.ID, Role: domain.Role(g.Role), UnitCode: g.UnitCode})
	}
	return nil
}

// Grants loads one user's grants.
func (s *Store) Grants(ctx context.Context, enteID, userID string) ([]domain.Grant, error) {
	users := []domain.User{{ID: userID, Grants: []domain.Grant{}}}
	err := s.attachGrants(replica.Primary(ctx), enteID, users)
	return users[0].Grants, err
}

func (s *Store) insertGrant(ctx context.Context, enteID, userID string, g domain.Grant) (domain.Grant, error) {
	r := grantRow{ID: newID(), EnteID: enteID, UserID: userID, Role: string(g.Role), UnitCode: g.UnitCode, CreatedAt: now()}
	err := s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return domain.Grant{}, domain.Conflict("grant_exists", "the user already holds this grant")
	}
	if err != nil {
		return domain.Grant{}, wrap(err, "insert grant")
	}
	return domain.Grant{ID: r.ID, Role: g.Role, UnitCode: g.UnitCode}, nil
}

// AddGrant gives a user a grant and bumps their grants version so every instance reloads them.
func (s *Store) AddGrant(ctx context.Context, enteID, userID string, g domain.Grant) (domain.Grant, error) {
	ng, err := s.insertGrant(ctx, enteID, userID, g)
	if err != nil {
		return ng, err
	}
	return ng, s.bumpGrants(ctx, enteID, userID)
}

// RemoveGrant removes a grant of a user.
func (s *Store) RemoveGrant(ctx context.Context, enteID, userID, grantID string) error {
	res := s.q(ctx).Where("ente_id = ? AND user_id = ? AND id = ?", enteID, userID, grantID).Delete(&grantRow{})
	if res.Error != nil {
		return wrap(res.Error, "delete grant")
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("grant_not_found", "grant not found")
	}
	return s.bumpGrants(ctx, enteID, userID)
}

func (s *Store) bumpGrants(ctx context.Context, enteID, userID string) error {
	return s.updateUser(ctx, enteID, userID, 0, map[string]any{"grants_version": gorm.Expr("grants_version + 1")})
}

// updateUser applies changes and bumps the row version. With expectVersion > 0 the write happens only on that
// version (optimistic locking); a stale version is a *domain.ConflictError carrying the current one.
func (s *Store) updateUser(ctx context.Context, enteID, userID string, expectVersion int64, changes map[string]any) error {
	changes["version"] = gorm.Expr("version + 1")
	changes["updated_at"] = now()
	q := s.q(ctx).Model(&userRow{}).Where("ente_id = ? AND id = ?", enteID, userID)
	if expectVersion > 0 {
		q = q.Where("version = ?", expectVersion)
	}
	res := q.Updates(changes)
	if res.Error != nil {
		return wrap(res.Error, "update user")
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var current userRow
	found := s.q(ctx).Select("version").Where("ente_id = ? AND id = ?", enteID, userID).Limit(1).Find(&current)
	if found.Error != nil {
		return wrap(found.Error, "load user version")
	}
	if found.RowsAffected == 0 {
		return domain.NotFound("user_not_found", "user not found")
	}
	return &domain.ConflictError{Code: "version_conflict", CurrentVersion: current.Version,
		Message: "the user was changed by someone else: reload and apply your change again"}
}

// UpdateUserProfile changes name and e-mail on the expected version.
func (s *Store) UpdateUserProfile(ctx context.Context, enteID, userID string, version int64, fullName, email string) error {
	return s.updateUser(ctx, enteID, userID, version, map[string]any{"full_name": fullName, "email": email})
}

// SetPasswordHash stores a new hash of the same password (a rehash with new costs): whether the password
// must still be changed is left as it is. A new password goes through SetOwnPassword or SetTemporaryPassword.
func (s *Store) SetPasswordHash(ctx context.Context, enteID, userID, hash string) error {
	return s.updateUser(ctx, enteID, userID, 0, map[string]any{"password_hash": hash})
}

// SetOwnPassword stores the password the user chose themselves, which lifts the obligation to change it.
func (s *Store) SetOwnPassword(ctx context.Context, enteID, userID, hash string) error {
	return s.updateUser(ctx, enteID, userID, 0, map[string]any{"password_hash": hash, "password_changed_at": now(),
		"must_change_password": false})
}

// SetTemporaryPassword stores a password chosen by someone else (an administrator's reset, a confirmed
// privileged request, the operator's command line): its owner must replace it at the next sign-in, and until
// then the API answers only the password change (403 password_change_required elsewhere). Every path that
// sets another person's password must use this, never SetOwnPassword or SetPasswordHash.
func (s *Store) SetTemporaryPassword(ctx context.Context, enteID, userID, hash string) error {
	return s.updateUser(ctx, enteID, userID, 0, map[string]any{"password_hash": hash, "password_changed_at": now(),
		"must_change_password": true})
}

// SetDisabled disables or re-enables a user.
func (s *Store) SetDisabled(ctx context.Context, enteID, userID string, disabled bool) error {
	var at any
	if disabled {
		at = now()
	}
	return s.updateUser(ctx, enteID, userID, 0, map[string]any{"disabled_at": at})
}

// TouchLastLogin records a successful sign-in.
func (s *Store) TouchLastLogin(ctx context.Context, userID string) error {
	return wrap(s.q(ctx).Model(&userRow{}).Where("id = ?", userID).Update("last_login_at", now()).Error, "touch last login")
}

// UnitCodeExists reports whether any cycle of the ente knows an organisational unit with this code.
func (s *Store) UnitCodeExists(ctx context.Context, enteID, code string) (bool, error) {
	var n int64
	err := s.q(ctx).Table(unitsRef).Where("ente_id = ? AND code = ?", enteID, code).Limit(1).Count(&n).Error
	return n > 0, wrap(err, "check unit")
}

// Session is one sign-in.
type Session struct {
	ID, EnteID, UserID    string
	CreatedAt, ExpiresAt  time.Time
	RevokedAt             *time.Time
	ClientAddr, UserAgent string
	// SecondFactor is the identity provider's proof of a second factor ("amr:mfa"), when it stands in for TOTP.
	SecondFactor string
	// OIDCProvider (the ente code of the provider's configuration) and IDToken: the session was opened by
	// single sign-on, and signing out may end the provider's session too (RP-initiated logout).
	OIDCProvider, IDToken string
}

type sessionRow struct {
	ID           string
	EnteID       string
	UserID       string
	CreatedAt    time.Time
	LastUsedAt   time.Time
	ExpiresAt    time.Time
	RevokedAt    *time.Time
	RevokeReason string
	ClientAddr   string
	UserAgent    string
	SecondFactor string
	OIDCProvider string `gorm:"column:oidc_provider"`
	IDToken      string `gorm:"column:id_token"`
}

func (sessionRow) TableName() string { return "sessions" }

type refreshRow struct {
	ID        string
	SessionID string
	TokenHash string
	IssuedAt  time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (refreshRow) TableName() string { return "refresh_tokens" }

// CreateSession starts a session with its first refresh token.
func (s *Store) CreateSession(ctx context.Context, sess Session, tokenHash string, tokenExpires time.Time) (string, error) {
	t := now()
	r := sessionRow{ID: newID(), EnteID: sess.EnteID, UserID: sess.UserID, CreatedAt: t, LastUsedAt: t,
		ExpiresAt: sess.ExpiresAt, ClientAddr: sess.ClientAddr, UserAgent: sess.UserAgent,
		SecondFactor: sess.SecondFactor, OIDCProvider: sess.OIDCProvider, IDToken: sess.IDToken}
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return "", wrap(err, "create session")
	}
	return r.ID, s.AddRefreshToken(ctx, r.ID, tokenHash, tokenExpires)
}

// AddRefreshToken stores the hash of a new refresh token of a session.
func (s *Store) AddRefreshToken(ctx context.Context, sessionID, tokenHash string, expires time.Time) error {
	r := refreshRow{ID: newID(), SessionID: sessionID, TokenHash: tokenHash, IssuedAt: now(), ExpiresAt: expires}
	return wrap(s.q(ctx).Create(&r).Error, "store refresh token")
}

// RefreshToken is a stored refresh token with its session's state.
type RefreshToken struct {
	ID, SessionID, UserID, EnteID string
	ExpiresAt, SessionExpiresAt   time.Time
	SessionCreatedAt              time.Time // the sign-in: the session's absolute lifetime counts from it
	Used, SessionRevoked          bool
}

// RefreshTokenByHash finds a refresh token; an unknown one is domain.ErrNotFound.
func (s *Store) RefreshTokenByHash(ctx context.Context, hash string) (RefreshToken, error) {
	var row struct {
		ID, SessionID, UserID, EnteID string
		ExpiresAt, SessionExpiresAt   time.Time
		SessionCreatedAt              time.Time
		UsedAt, RevokedAt             *time.Time
	}
	res := s.authQ(ctx).Table("refresh_tokens t").
		Select("t.id, t.session_id, s.user_id, s.ente_id, t.expires_at, s.expires_at AS session_expires_at, s.created_at AS session_created_at, t.used_at, s.revoked_at").
		Joins("JOIN sessions s ON s.id = t.session_id").Where("t.token_hash = ?", hash).Limit(1).Scan(&row)
	if res.Error != nil {
		return RefreshToken{}, wrap(res.Error, "load refresh token")
	}
	if res.RowsAffected == 0 {
		return RefreshToken{}, domain.NotFound("refresh_token_unknown", "refresh token unknown")
	}
	return RefreshToken{ID: row.ID, SessionID: row.SessionID, UserID: row.UserID, EnteID: row.EnteID,
		ExpiresAt: row.ExpiresAt, SessionExpiresAt: row.SessionExpiresAt, SessionCreatedAt: row.SessionCreatedAt, Used: row.UsedAt != nil,
		SessionRevoked: row.RevokedAt != nil}, nil
}

// MarkRefreshTokenUsed consumes a refresh token; false when it was already consumed (by a concurrent call).
func (s *Store) MarkRefreshTokenUsed(ctx context.Context, id string) (bool, error) {
	res := s.q(ctx).Model(&refreshRow{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", now())
	return res.RowsAffected == 1, wrap(res.Error, "consume refresh token")
}

// RevokeSession ends one session.
func (s *Store) RevokeSession(ctx context.Context, sessionID, reason string) error {
	return wrap(s.q(ctx).Model(&sessionRow{}).Where("id = ? AND revoked_at IS NULL", sessionID).
		Updates(map[string]any{"revoked_at": now(), "revoke_reason": reason}).Error, "revoke session")
}

// RevokeUserSessions ends every session of a user but keep (which may be empty).
func (s *Store) RevokeUserSessions(ctx context.Context, enteID, userID, keep, reason string) error {
	q := s.q(ctx).Model(&sessionRow{}).Where("ente_id = ? AND user_id = ? AND revoked_at IS NULL", enteID, userID)
	if keep != "" {
		q = q.Where("id <> ?", keep)
	}
	return wrap(q.Updates(map[string]any{"revoked_at": now(), "revoke_reason": reason}).Error, "revoke sessions")
}

// TouchSession records the session's last use and pushes its expiry.
func (s *Store) TouchSession(ctx context.Context, sessionID string, expires time.Time) error {
	return wrap(s.q(ctx).Model(&sessionRow{}).Where("id = ?", sessionID).
		Updates(map[string]any{"last_used_at": now(), "expires_at": expires}).Error, "touch session")
}

// AuthState is what every authenticated request checks: user, session and grants, read in one query.
type AuthState struct {
	UserID, EnteID, EnteCode, Username string
	Disabled, SessionRevoked           bool
	MustChangePassword                 bool
	MFAEnrolled                        bool // the user has a confirmed second factor, or the session's provider proved one
	SessionExpiresAt                   time.Time
	GrantsVersion                      int64
	Grants                             []domain.Grant
}

// authQ reads authorization data (credentials, sessions, grants) on the primary whatever the request: a
// lagging read replica (internal/replica) must never honour a revoked grant, session or password.
func (s *Store) authQ(ctx context.Context) *gorm.DB { return s.q(replica.Primary(ctx)) }

// AuthState loads the user and session named by an access token; a missing one is domain.ErrNotFound.
func (s *Store) AuthState(ctx context.Context, enteID, userID, sessionID string) (AuthState, error) {
	rows, err := s.authQ(ctx).Raw(`SELECT u.username, e.code, u.disabled_at IS NOT NULL, s.revoked_at IS NOT NULL, s.expires_at,
			u.grants_version, u.must_change_password, (m.confirmed_at IS NOT NULL OR s.second_factor <> ''), g.id, g.role, g.unit_code
		FROM users u
		JOIN sessions s ON s.user_id = u.id AND s.ente_id = u.ente_id
		JOIN entes e ON e.id = u.ente_id
		LEFT JOIN user_mfa m ON m.user_id = u.id AND m.ente_id = u.ente_id
		LEFT JOIN role_grants g ON g.user_id = u.id AND g.ente_id = u.ente_id
		WHERE u.id = ? AND u.ente_id = ? AND s.id = ?
		ORDER BY g.role, g.unit_code`, userID, enteID, sessionID).Rows()
	if err != nil {
		return AuthState{}, wrap(err, "load auth state")
	}
	defer rows.Close()
	st := AuthState{UserID: userID, EnteID: enteID, Grants: []domain.Grant{}}
	found := false
	for rows.Next() {
		var gid, role, unit sql.NullString
		if err := rows.Scan(&st.Username, &st.EnteCode, &st.Disabled, &st.SessionRevoked, &st.SessionExpiresAt,
			&st.GrantsVersion, &st.MustChangePassword, &st.MFAEnrolled, &gid, &role, &unit); err != nil {
			return AuthState{}, wrap(err, "scan auth state")
		}
		found = true
		if gid.Valid {
			st.Grants = append(st.Grants, domain.Grant{ID: gid.String, Role: domain.Role(role.String), UnitCode: unit.String})
		}
	}
	if err := rows.Err(); err != nil {
		return AuthState{}, wrap(err, "load auth state")
	}
	if !found {
		return AuthState{}, domain.NotFound("session_not_found", "session not found")
	}
	return st, nil
}

type throttleRow struct {
	Key         string
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
	LastRefused int
}

func (throttleRow) TableName() string { return "login_throttle" }

// ThrottlePolicy says how a throttle key (an account, a client address) answers to attempts.
type ThrottlePolicy struct {
	Free   int           // attempts counted in a window before the key locks (the Free-th locks it)
	Base   time.Duration // lock set by the Free-th attempt; each further counted attempt doubles it
	Max    time.Duration // cap of the lock
	Window time.Duration // an unlocked key whose count started longer ago than this starts over
	// ResetAfterLock: once a lock has run out the count starts over (short account locks); without it the
	// count goes on, so every further attempt locks again for twice as long (offending addresses).
	ResetAfterLock bool
}

// maxDoublings bounds the lock table written into the statement; past it the lock is Max anyway.
const maxDoublings = 24

// lockAfter is the lock set by the n-th counted attempt (zero: none).
func (p ThrottlePolicy) lockAfter(n int) time.Duration {
	if n < p.Free {
		return 0
	}
	d := p.Base
	for i := p.Free; i < n && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// ThrottleVerdict is the outcome of one attempt on a key.
type ThrottleVerdict struct {
	Attempts    int       // attempts counted in the window, this one included (unchanged when refused)
	Refused     bool      // the key was locked: the attempt must stop here; it was not counted
	LockedUntil time.Time // end of the lock in force after this attempt (zero: none)
}

// ThrottleAttempt counts an attempt on key at t BEFORE the password is checked, in one atomic statement:
// concurrent attempts each get their own count, so a burst cannot slip past the limit while the first
// checks are still hashing. An attempt on a locked key is refused and not counted. A successful attempt
// is undone by ThrottleSucceeded or ThrottleClear.
func (s *Store) ThrottleAttempt(ctx context.Context, key string, t time.Time, p ThrottlePolicy) (ThrottleVerdict, error) {
	ts := func(name string) string {
		if s.dialect == database.Postgres {
			return "CAST(@" + name + " AS TIMESTAMPTZ)" // a bare parameter inside CASE would be typed text
		}
		return "@" + name
	}
	args := map[string]any{"key": key, "t": t, "cutoff": t.Add(-p.Window)}
	// lockFor(n) is the end of the lock set by the n-th counted attempt, a CASE over ends computed here.
	var b strings.Builder
	for i := 0; i <= maxDoublings; i++ {
		name := "l" + strconv.Itoa(i)
		args[name] = t.Add(p.lockAfter(p.Free + i))
		if i < maxDoublings {
			fmt.Fprintf(&b, " WHEN %%[1]s = %d THEN %s", p.Free+i, ts(name))
		} else {
			fmt.Fprintf(&b, " WHEN %%[1]s >= %d THEN %s", p.Free+i, ts(name))
		}
	}
	lockFor := func(n string) string { return "CASE" + fmt.Sprintf(b.String(), n) + " ELSE NULL END" }
	locked := "(login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until > @t)"
	stale := "login_throttle.window_start < @cutoff"
	if p.ResetAfterLock {
		stale = "(" + stale + " OR login_throttle.locked_until IS NOT NULL)" // a lock that ran out (locked is false)
	}
	// Every SET expression reads the row as it was before the statement.
	sql := `INSERT INTO login_throttle (key, failures, window_start, locked_until, last_refused)
		VALUES (@key, 1, ` + ts("t") + `, ` + lockFor("1") + `, 0)
		ON CONFLICT (key) DO UPDATE SET
		failures = CASE WHEN ` + locked + ` THEN login_throttle.failures WHEN ` + stale + ` THEN 1
			ELSE login_throttle.failures + 1 END,
		window_start = CASE WHEN ` + locked + ` THEN login_throttle.window_start WHEN ` + stale + ` THEN ` + ts("t") + `
			ELSE login_throttle.window_start END,
		locked_until = CASE WHEN ` + locked + ` THEN login_throttle.locked_until WHEN ` + stale + ` THEN ` + lockFor("1") + `
			ELSE ` + lockFor("login_throttle.failures + 1") + ` END,
		last_refused = CASE WHEN ` + locked + ` THEN 1 ELSE 0 END
		RETURNING failures, locked_until, last_refused`
	var row throttleRow
	if err := s.q(ctx).Raw(sql, args).Scan(&row).Error; err != nil {
		return ThrottleVerdict{}, wrap(err, "count sign-in attempt")
	}
	v := ThrottleVerdict{Attempts: row.Failures, Refused: row.LastRefused == 1}
	if row.LockedUntil != nil && row.LockedUntil.After(t) {
		v.LockedUntil = *row.LockedUntil
	}
	return v, nil
}

// ThrottleLockedUntil returns when the lock on key ends (zero when it is not locked at t).
func (s *Store) ThrottleLockedUntil(ctx context.Context, key string, t time.Time) (time.Time, error) {
	var r throttleRow
	res := s.q(ctx).Where("key = ?", key).Limit(1).Find(&r)
	if res.Error != nil {
		return time.Time{}, wrap(res.Error, "load throttle")
	}
	if res.RowsAffected == 0 || r.LockedUntil == nil || !r.LockedUntil.After(t) {
		return time.Time{}, nil
	}
	return *r.LockedUntil, nil
}

// ThrottleSucceeded undoes the count of a successful attempt (the n-th) on key, and the lock that attempt
// set if nobody else was counted since.
func (s *Store) ThrottleSucceeded(ctx context.Context, key string, n int) error {
	return wrap(s.q(ctx).Exec(`UPDATE login_throttle SET failures = failures - 1,
		locked_until = CASE WHEN failures = ? THEN NULL ELSE locked_until END
		WHERE key = ? AND failures > 0`, n, key).Error, "undo sign-in attempt")
}

// ThrottleClear forgets the attempts on a key (an account after a successful sign-in).
func (s *Store) ThrottleClear(ctx context.Context, key string) error {
	return wrap(s.q(ctx).Where("key = ?", key).Delete(&throttleRow{}).Error, "clear throttle")
}

// SettingOrCreate returns the setting, storing value first if the key is absent (first writer wins, so
// concurrent instances agree).
func (s *Store) SettingOrCreate(ctx context.Context, key, value string) (string, error) {
	type settingRow struct {
		Key       string
		Value     string
		CreatedAt time.Time
	}
	err := s.q(ctx).Table("app_settings").Clauses(clause.OnConflict{DoNothing: true}).
		Create(&settingRow{Key: key, Value: value, CreatedAt: now()}).Error
	if err != nil {
		return "", wrap(err, "store setting")
	}
	var out settingRow
	if err := s.q(ctx).Table("app_settings").Where("key = ?", key).Take(&out).Error; err != nil {
		return "", wrap(err, "load setting")
	}
	return out.Value, nil
}

// HasSetting reports whether an installation setting exists.
func (s *Store) HasSetting(ctx context.Context, key string) (bool, error) {
	var n int64
	err := s.q(ctx).Table("app_settings").Where("key = ?", key).Count(&n).Error
	return n > 0, wrap(err, "check setting")
}

// SessionSignOn is how a session was opened by single sign-on: the provider's ente code and ID token (both
// empty for a password sign-in).
func (s *Store) SessionSignOn(ctx context.Context, enteID, sessionID string) (provider, idToken string, err error) {
	var r sessionRow
	err = s.q(ctx).Select("oidc_provider", "id_token").Where("ente_id = ? AND id = ?", enteID, sessionID).Take(&r).Error
	if err != nil {
		return "", "", wrap(err, "load session sign-on")
	}
	return r.OIDCProvider, r.IDToken, nil
}

// UseOIDCState records that the sign-in with this state (its hash) finished. fresh is false when it already
// had: the callback is a replay. Rows past their expiry are cleared on the way.
func (s *Store) UseOIDCState(ctx context.Context, stateHash string, expires time.Time) (fresh bool, err error) {
	t := now()
	if err := s.q(ctx).Exec(`DELETE FROM oidc_used_states WHERE expires_at < ?`, t).Error; err != nil {
		return false, wrap(err, "clear used sign-in states")
	}
	res := s.q(ctx).Exec(`INSERT INTO oidc_used_states (state_hash, expires_at) VALUES (?, ?) ON CONFLICT (state_hash) DO NOTHING`,
		stateHash, expires)
	if res.Error != nil {
		return false, wrap(res.Error, "record sign-in state")
	}
	return res.RowsAffected == 1, nil
}
