package store

import (
	"context"
	"time"

	"github.com/argine-pa/argine/internal/domain"
)

// SessionInfo is one active session as its owner (or an administrator) sees it.
type SessionInfo struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	ClientAddr string    `json:"client_addr"`
	UserAgent  string    `json:"user_agent"`
}

// maxListedSessions bounds the list: a user with more open sessions sees the most recently used ones.
const maxListedSessions = 200

// ActiveSessions lists a user's sessions that are neither ended nor lapsed at t, most recently used first.
func (s *Store) ActiveSessions(ctx context.Context, enteID, userID string, t time.Time) ([]SessionInfo, error) {
	var rows []sessionRow
	err := s.q(ctx).Where("ente_id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?", enteID, userID, t).
		Order("last_used_at DESC, id").Limit(maxListedSessions).Find(&rows).Error
	out := make([]SessionInfo, 0, len(rows))
	for _, r := range rows {
		out = append(out, SessionInfo{ID: r.ID, CreatedAt: r.CreatedAt.UTC(), LastUsedAt: r.LastUsedAt.UTC(),
			ExpiresAt: r.ExpiresAt.UTC(), ClientAddr: r.ClientAddr, UserAgent: r.UserAgent})
	}
	return out, wrap(err, "list sessions")
}

// EndUserSession ends one open session of a user; a session of someone else, or one already ended, is
// domain.ErrNotFound.
func (s *Store) EndUserSession(ctx context.Context, enteID, userID, sessionID, reason string) error {
	res := s.q(ctx).Model(&sessionRow{}).Where("id = ? AND ente_id = ? AND user_id = ? AND revoked_at IS NULL", sessionID, enteID, userID).
		Updates(map[string]any{"revoked_at": now(), "revoke_reason": reason})
	if res.Error != nil {
		return wrap(res.Error, "end session")
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("session_not_found", "session not found")
	}
	return nil
}

// CountOpenSessions counts a user's sessions not ended (lapsed ones included: ending them is harmless).
func (s *Store) CountOpenSessions(ctx context.Context, enteID, userID string) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&sessionRow{}).Where("ente_id = ? AND user_id = ? AND revoked_at IS NULL", enteID, userID).Count(&n).Error
	return n, wrap(err, "count sessions")
}

type mfaRow struct {
	UserID      string `gorm:"primaryKey"`
	EnteID      string
	Secret      string
	ConfirmedAt *time.Time
	LastStep    int64
	CreatedAt   time.Time
}

func (mfaRow) TableName() string { return "user_mfa" }

type recoveryRow struct {
	ID        string
	EnteID    string
	UserID    string
	CodeHash  string
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (recoveryRow) TableName() string { return "mfa_recovery_codes" }

// MFA is a user's second factor.
type MFA struct {
	Secret        string
	Confirmed     bool
	ConfirmedAt   *time.Time
	RecoveryCodes int // unused recovery codes
}

// MFAOf loads a user's second factor; none is domain.ErrNotFound.
func (s *Store) MFAOf(ctx context.Context, enteID, userID string) (MFA, error) {
	var r mfaRow
	res := s.q(ctx).Where("user_id = ? AND ente_id = ?", userID, enteID).Limit(1).Find(&r)
	if res.Error != nil {
		return MFA{}, wrap(res.Error, "load second factor")
	}
	if res.RowsAffected == 0 {
		return MFA{}, domain.NotFound("mfa_not_found", "no second factor")
	}
	var n int64
	if err := s.q(ctx).Model(&recoveryRow{}).Where("user_id = ? AND ente_id = ? AND used_at IS NULL", userID, enteID).Count(&n).Error; err != nil {
		return MFA{}, wrap(err, "count recovery codes")
	}
	return MFA{Secret: r.Secret, Confirmed: r.ConfirmedAt != nil, ConfirmedAt: r.ConfirmedAt, RecoveryCodes: int(n)}, nil
}

// StartMFA stores a fresh, unconfirmed secret, replacing an earlier unconfirmed one; a confirmed second
// factor is never replaced here (409): only its reset removes it.
func (s *Store) StartMFA(ctx context.Context, enteID, userID, secret string) error {
	res := s.q(ctx).Model(&mfaRow{}).Where("user_id = ? AND ente_id = ? AND confirmed_at IS NULL", userID, enteID).
		Updates(map[string]any{"secret": secret, "last_step": 0, "created_at": now()})
	if res.Error != nil {
		return wrap(res.Error, "start second factor")
	}
	if res.RowsAffected == 1 {
		return nil
	}
	if _, err := s.MFAOf(ctx, enteID, userID); err == nil {
		return domain.Conflict("mfa_already_enrolled", "a second factor is already active: it can only be reset through a confirmed request")
	}
	return wrap(s.q(ctx).Create(&mfaRow{UserID: userID, EnteID: enteID, Secret: secret, CreatedAt: now()}).Error, "start second factor")
}

// ReplaceMFASecret rewrites a user's stored secret (its encryption) if it is still old: a concurrent
// re-enrolment is not overwritten.
func (s *Store) ReplaceMFASecret(ctx context.Context, enteID, userID, old, replacement string) error {
	return wrap(s.q(ctx).Model(&mfaRow{}).Where("user_id = ? AND ente_id = ? AND secret = ?", userID, enteID, old).
		Update("secret", replacement).Error, "encrypt second factor secret")
}

// UseTOTPStep records that the code of step was accepted; false when that step (or a later one) was already
// used: the code is a replay.
func (s *Store) UseTOTPStep(ctx context.Context, enteID, userID string, step int64) (bool, error) {
	res := s.q(ctx).Model(&mfaRow{}).Where("user_id = ? AND ente_id = ? AND last_step < ?", userID, enteID, step).
		Update("last_step", step)
	return res.RowsAffected == 1, wrap(res.Error, "use code")
}

// ConfirmMFA activates the second factor and replaces the recovery codes with the given hashes.
func (s *Store) ConfirmMFA(ctx context.Context, enteID, userID string, codeHashes []string) error {
	res := s.q(ctx).Model(&mfaRow{}).Where("user_id = ? AND ente_id = ? AND confirmed_at IS NULL", userID, enteID).
		Update("confirmed_at", now())
	if res.Error != nil {
		return wrap(res.Error, "confirm second factor")
	}
	if res.RowsAffected == 0 {
		return domain.Conflict("mfa_already_enrolled", "the second factor is already active")
	}
	if err := s.q(ctx).Where("user_id = ? AND ente_id = ?", userID, enteID).Delete(&recoveryRow{}).Error; err != nil {
		return wrap(err, "replace recovery codes")
	}
	t := now()
	for _, h := range codeHashes {
		if err := s.q(ctx).Create(&recoveryRow{ID: newID(), EnteID: enteID, UserID: userID, CodeHash: h, CreatedAt: t}).Error; err != nil {
			return wrap(err, "store recovery code")
		}
	}
	return nil
}

// UseRecoveryCode consumes an unused recovery code of the user; false when there is none with that hash.
func (s *Store) UseRecoveryCode(ctx context.Context, enteID, userID, codeHash string) (bool, error) {
	res := s.q(ctx).Model(&recoveryRow{}).Where("user_id = ? AND ente_id = ? AND code_hash = ? AND used_at IS NULL", userID, enteID, codeHash).
		Update("used_at", now())
	return res.RowsAffected == 1, wrap(res.Error, "use recovery code")
}

// RemoveMFA deletes a user's second factor and recovery codes; true when there was one.
func (s *Store) RemoveMFA(ctx context.Context, enteID, userID string) (bool, error) {
	if err := s.q(ctx).Where("user_id = ? AND ente_id = ?", userID, enteID).Delete(&recoveryRow{}).Error; err != nil {
		return false, wrap(err, "remove recovery codes")
	}
	res := s.q(ctx).Where("user_id = ? AND ente_id = ?", userID, enteID).Delete(&mfaRow{})
	return res.RowsAffected > 0, wrap(res.Error, "remove second factor")
}
