package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
)

// Problem is an RFC 9457 problem document with Argine's stable code.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Code      string              `json:"code"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []domain.FieldError `json:"errors,omitempty"`
	Truncated bool                `json:"errors_truncated,omitempty"`
	// CurrentVersion tells the client of a stale write which version is current now.
	CurrentVersion int64 `json:"current_version,omitempty"`
	// CurrentState tells the client of an illegal transition where the assessment stands.
	CurrentState string `json:"current_state,omitempty"`
	// Pending and Blockers tell the client of a blocked operation (consolidation_blocked) how many items
	// hold it up and which (the first domain.MaxBlockers codes).
	Pending  int      `json:"pending,omitempty"`
	Blockers []string `json:"blockers,omitempty"`
}

const problemType = "https://argine.example/problems/"

// databaseRetryAfterSeconds is what a client is told to wait when the database is unavailable: long enough
// for a restart or a failover to settle, short enough for a person waiting at the screen.
const databaseRetryAfterSeconds = 5

// writeProblem sends a problem document; it is the only way handlers report errors.
func writeProblem(c *gin.Context, p Problem) {
	if p.Type == "" {
		p.Type = problemType + p.Code
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	p.Instance = c.Request.URL.Path
	p.RequestID = c.GetString(ctxRequestID)
	c.Header("Content-Type", "application/problem+json")
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(p.Status, p)
	c.Writer.Header().Set("Content-Type", "application/problem+json")
}

// respondError maps domain errors to HTTP in one place. Unknown errors are 500 and their text stays in the log.
func respondError(c *gin.Context, log *slog.Logger, err error) {
	p := Problem{Code: domain.CodeOf(err), Detail: err.Error()}
	var ve *domain.ValidationError
	var te *domain.ThrottledError
	var ce *domain.ConflictError
	var tr *domain.TransitionError
	var be *domain.BusyError
	switch {
	case errors.As(err, &ve):
		p.Status = http.StatusUnprocessableEntity
		p.Detail = "the request has invalid values; see errors"
		p.Errors, p.Truncated = ve.Problems, ve.Truncated
	case errors.As(err, &te):
		p.Status = http.StatusTooManyRequests
		p.Detail = "too many failed attempts: try again later"
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(te.RetryAfter.Seconds()))))
	case errors.As(err, &be):
		// Capacity, not the caller's fault: the same request may be sent again after Retry-After.
		p.Status = http.StatusServiceUnavailable
		p.Detail = "too many sign-ins in progress: try again shortly"
		c.Header("Retry-After", strconv.Itoa(max(1, int(math.Ceil(be.RetryAfter.Seconds())))))
	case errors.As(err, &tr):
		p.Status = http.StatusConflict
		p.CurrentState = string(tr.From)
	case errors.As(err, &ce):
		p.Status = http.StatusConflict
		p.CurrentVersion, p.Pending, p.Blockers = ce.CurrentVersion, ce.Pending, ce.Blockers
	case errors.Is(err, domain.ErrUnauthenticated):
		p.Status = http.StatusUnauthorized
		c.Header("WWW-Authenticate", `Bearer realm="argine"`)
	case errors.Is(err, domain.ErrTooLarge):
		p.Status = http.StatusRequestEntityTooLarge
	case errors.Is(err, domain.ErrInvalid):
		p.Status = http.StatusBadRequest
	case errors.Is(err, domain.ErrNotFound):
		p.Status = http.StatusNotFound
	case errors.Is(err, domain.ErrForbidden):
		p.Status = http.StatusForbidden
	case errors.Is(err, domain.ErrConflict):
		p.Status = http.StatusConflict
	case errors.Is(c.Request.Context().Err(), context.Canceled):
		// The client went away before the answer: nobody reads this status, the access log does. 499 (as
		// nginx names it) keeps a closed browser tab out of the server-error figures.
		p.Status, p.Code, p.Detail = statusClientClosedRequest, "request_cancelled", "the client closed the request"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), c.Request.Context().Err() != nil:
		// The client went away (or the request timed out): the database driver may then report a broken
		// connection, which is not a server fault worth an error line.
		p.Status, p.Code, p.Detail = http.StatusServiceUnavailable, "request_cancelled", "the request was cancelled or timed out"
	case database.Unavailable(err):
		// Down, restarting, out of connections, locked or too slow: not the request's fault nor a bug, and
		// worth retrying; the cause stays in the log for the operator.
		log.WarnContext(c.Request.Context(), "database unavailable", "err", err, "request_id", c.GetString(ctxRequestID))
		p.Status, p.Code, p.Detail = http.StatusServiceUnavailable, "database_unavailable",
			"the database cannot answer now: try again shortly"
		c.Header("Retry-After", strconv.Itoa(databaseRetryAfterSeconds))
	default:
		log.ErrorContext(c.Request.Context(), "request failed", "err", err, "request_id", c.GetString(ctxRequestID))
		p.Status, p.Code, p.Detail = http.StatusInternalServerError, "internal_error", "an unexpected error occurred"
	}
	writeProblem(c, p)
}
