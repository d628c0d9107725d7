package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

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
}

const problemType = "https://argine.example/problems/"

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
	switch {
	case errors.As(err, &ve):
		p.Status = http.StatusUnprocessableEntity
		p.Detail = "the request has invalid values; see errors"
		p.Errors, p.Truncated = ve.Problems, ve.Truncated
	case errors.Is(err, domain.ErrInvalid):
		p.Status = http.StatusBadRequest
	case errors.Is(err, domain.ErrNotFound):
		p.Status = http.StatusNotFound
	case errors.Is(err, domain.ErrForbidden):
		p.Status = http.StatusForbidden
	case errors.Is(err, domain.ErrConflict):
		p.Status = http.StatusConflict
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		p.Status, p.Code, p.Detail = http.StatusServiceUnavailable, "request_cancelled", "the request was cancelled or timed out"
	default:
		log.ErrorContext(c.Request.Context(), "request failed", "err", err, "request_id", c.GetString(ctxRequestID))
		p.Status, p.Code, p.Detail = http.StatusInternalServerError, "internal_error", "an unexpected error occurred"
	}
	writeProblem(c, p)
}
