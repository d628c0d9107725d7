package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
)

type privilegedRequestRow struct {
	ID           string
	EnteID       string
	Kind         string
	TargetUserID string
	RequestedBy  string
	RequestedAt  time.Time
	ExpiresAt    time.Time
	State        string
	DecidedBy    *string
	DecidedAt    *time.Time
}

func (privilegedRequestRow) TableName() string { return "privileged_requests" }

// requestView is a request with the usernames a reader needs, read in one query.
type requestView struct {
	ID              string
	Kind            string
	TargetUserID    string
	RequestedBy     string
	RequestedAt     time.Time
	ExpiresAt       time.Time
	State           string
	DecidedBy       *string
	DecidedAt       *time.Time
	TargetUsername  string
	TargetFullName  string
	RequestedByName string
	DecidedByName   *string
}

// domain reports the state as of t: a pending request past its expiry is expired, even before any write
// has marked it so (expiry is decided in Go, where both databases compare times the same way).
func (r requestView) domain(t time.Time) domain.PrivilegedRequest {
	out := domain.PrivilegedRequest{ID: r.ID, Kind: domain.RequestKind(r.Kind), TargetID: r.TargetUserID,
		TargetUsername: r.TargetUsername, TargetFullName: r.TargetFullName, RequestedBy: r.RequestedBy,
		RequestedByName: r.RequestedByName, RequestedAt: r.RequestedAt, ExpiresAt: r.ExpiresAt,
		State: domain.RequestState(r.State), DecidedAt: r.DecidedAt}
	if r.DecidedBy != nil {
		out.DecidedBy = *r.DecidedBy
	}
	if r.DecidedByName != nil {
		out.DecidedByName = *r.DecidedByName
	}
	if out.State == domain.RequestPending && !t.Before(r.ExpiresAt) {
		out.State = domain.RequestExpired
	}
	return out
}

func (s *Store) requestViews(ctx context.Context) *gorm.DB {
	return s.q(ctx).Table("privileged_requests r").
		Select("r.id, r.kind, r.target_user_id, r.requested_by, r.requested_at, r.expires_at, r.state, r.decided_by, r.decided_at, t.username AS target_username, t.full_name AS target_full_name, q.username AS requested_by_name, d.username AS decided_by_name").
		Joins("JOIN users t ON t.id = r.target_user_id AND t.ente_id = r.ente_id").
		Joins("JOIN users q ON q.id = r.requested_by AND q.ente_id = r.ente_id").
		Joins("LEFT JOIN users d ON d.id = r.decided_by AND d.ente_id = r.ente_id")
}

// CreatePrivilegedRequest stores a pending request expiring after ttl. A pending one for the same change that
// has expired is marked expired first; one still waiting is a *domain.Error conflict "request_pending".
func (s *Store) CreatePrivilegedRequest(ctx context.Context, enteID string, kind domain.RequestKind, targetID, requestedBy string, ttl time.Duration) (domain.PrivilegedRequest, error) {
	t := now()
	var waiting []privilegedRequestRow
	err := s.q(ctx).Where("ente_id = ? AND target_user_id = ? AND kind = ? AND state = ?", enteID, targetID, string(kind), string(domain.RequestPending)).
		Find(&waiting).Error
	if err != nil {
		return domain.PrivilegedRequest{}, wrap(err, "load pending requests")
	}
	for _, w := range waiting {
		if t.Before(w.ExpiresAt) {
			return domain.PrivilegedRequest{}, domain.Conflict("request_pending", "the same change is already waiting for confirmation")
		}
		if err := s.expireRequest(ctx, w.ID, w.ExpiresAt); err != nil {
			return domain.PrivilegedRequest{}, err
		}
	}
	r := privilegedRequestRow{ID: newID(), EnteID: enteID, Kind: string(kind), TargetUserID: targetID, RequestedBy: requestedBy,
		RequestedAt: t, ExpiresAt: t.Add(ttl), State: string(domain.RequestPending)}
	err = s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) { // a concurrent identical request won the race
		return domain.PrivilegedRequest{}, domain.Conflict("request_pending", "the same change is already waiting for confirmation")
	}
	if err != nil {
		return domain.PrivilegedRequest{}, wrap(err, "create privileged request")
	}
	return s.PrivilegedRequest(ctx, enteID, r.ID, false)
}

// expireRequest records that a pending request lapsed, at its expiry time.
func (s *Store) expireRequest(ctx context.Context, id string, at time.Time) error {
	return wrap(s.q(ctx).Model(&privilegedRequestRow{}).Where("id = ? AND state = ?", id, string(domain.RequestPending)).
		Updates(map[string]any{"state": string(domain.RequestExpired), "decided_at": at}).Error, "expire privileged request")
}

// PrivilegedRequest loads one request of an ente; with lock, the row stays locked until the transaction ends
// (PostgreSQL; SQLite's immediate transactions already serialise writers), so two confirmations queue.
func (s *Store) PrivilegedRequest(ctx context.Context, enteID, id string, lock bool) (domain.PrivilegedRequest, error) {
	q := s.requestViews(ctx)
	if lock && s.dialect == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "r"}})
	}
	var v requestView
	res := q.Where("r.ente_id = ? AND r.id = ?", enteID, id).Limit(1).Scan(&v)
	if res.Error != nil {
		return domain.PrivilegedRequest{}, wrap(res.Error, "load privileged request")
	}
	if res.RowsAffected == 0 {
		return domain.PrivilegedRequest{}, domain.NotFound("request_not_found", "request not found")
	}
	return v.domain(now()), nil
}

// PendingPrivilegedRequests lists the requests of an ente still waiting, oldest first.
func (s *Store) PendingPrivilegedRequests(ctx context.Context, enteID string) ([]domain.PrivilegedRequest, error) {
	var rows []requestView
	err := s.requestViews(ctx).Where("r.ente_id = ? AND r.state = ?", enteID, string(domain.RequestPending)).
		Order("r.requested_at, r.id").Limit(1000).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "list privileged requests")
	}
	t := now()
	out := []domain.PrivilegedRequest{}
	for _, r := range rows {
		if d := r.domain(t); d.State == domain.RequestPending {
			out = append(out, d)
		}
	}
	return out, nil
}

// DecidePrivilegedRequest closes a pending request as confirmed, rejected or expired. A request decided
// meanwhile is a conflict "request_decided".
func (s *Store) DecidePrivilegedRequest(ctx context.Context, enteID, id string, state domain.RequestState, by string) error {
	changes := map[string]any{"state": string(state), "decided_at": now()}
	if by != "" {
		changes["decided_by"] = by
	}
	res := s.q(ctx).Model(&privilegedRequestRow{}).Where("ente_id = ? AND id = ? AND state = ?", enteID, id, string(domain.RequestPending)).
		Updates(changes)
	if res.Error != nil {
		return wrap(res.Error, "decide privileged request")
	}
	if res.RowsAffected != 1 {
		return domain.Conflict("request_decided", "the request was already decided")
	}
	return nil
}

// OtherActiveHolders counts the enabled users of an ente, other than userID, holding role. On PostgreSQL every
// holder's row (userID's included) is locked first, so two transactions each removing a different holder
// queue; the count is a second statement, so under READ COMMITTED it sees what the first one committed.
// SQLite's immediate transactions serialise writers anyway.
func (s *Store) OtherActiveHolders(ctx context.Context, enteID string, role domain.Role, userID string) (int, error) {
	holders := func() *gorm.DB {
		return s.q(ctx).Table("users u").Select("u.id").Where("u.ente_id = ?", enteID).
			Where("EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.ente_id = u.ente_id AND g.role = ?)", string(role))
	}
	if s.dialect == database.Postgres {
		var locked []string
		if err := holders().Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "u"}}).Scan(&locked).Error; err != nil {
			return 0, wrap(err, "lock holders of %s", role)
		}
	}
	var ids []string
	if err := holders().Where("u.disabled_at IS NULL AND u.id <> ?", userID).Scan(&ids).Error; err != nil {
		return 0, wrap(err, "count holders of %s", role)
	}
	return len(ids), nil
}

// LockUser locks a user's row until the transaction ends (PostgreSQL; SQLite's immediate transactions already
// serialise writers), so checks on the user's grants and the change they allow are not interleaved with
// another change of the same user.
func (s *Store) LockUser(ctx context.Context, enteID, userID string) error {
	if s.dialect != database.Postgres {
		return nil
	}
	var ids []string
	err := s.q(ctx).Table("users").Select("id").Where("ente_id = ? AND id = ?", enteID, userID).
		Clauses(clause.Locking{Strength: "UPDATE"}).Scan(&ids).Error
	return wrap(err, "lock user")
}
