package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

const (
	ctxRequestID = "argine.request_id"
	ctxTenant    = "argine.tenant"
)

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID keeps a well-formed incoming X-Request-Id (from a proxy) or makes one.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if !requestIDRe.MatchString(id) {
			id = uuid.NewString()
		}
		c.Set(ctxRequestID, id)
		c.Header("X-Request-Id", id)
		c.Next()
	}
}

// accessLog writes one line per request. The query string is left out: it may carry search text.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http",
			slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.Int("status", c.Writer.Status()), slog.Duration("duration", time.Since(start)),
			slog.String("request_id", c.GetString(ctxRequestID)))
	}
}

func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if rec := recover(); rec != nil {
				log.Error("panic in handler", "panic", fmt.Sprint(rec), "path", c.Request.URL.Path,
					"request_id", c.GetString(ctxRequestID))
				writeProblem(c, Problem{Status: http.StatusInternalServerError, Code: "internal_error",
					Detail: "an unexpected error occurred"})
			}
		}()
		c.Next()
	}
}

func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "+
			"font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		c.Next()
	}
}

// resolveTenant decides which ente a request acts for. Until sign-in exists the API is read-only and the
// ente comes from the "ente" query parameter, or is the only ente of the installation.
func (a *api) resolveTenant(c *gin.Context) {
	code := strings.TrimSpace(c.Query("ente"))
	if code == "" {
		entes, err := a.Entes.List(c.Request.Context())
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		if len(entes) != 1 {
			respondError(c, a.Log, &domain.ValidationError{Code: "ente_required", Problems: []domain.FieldError{{
				Field: "ente", Code: "required", Message: "this installation hosts several entes: name one with ?ente=CODE"}}})
			return
		}
		code = entes[0].Code
	}
	t, err := a.Entes.TenantByCode(c.Request.Context(), code)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Set(ctxTenant, t)
	c.Next()
}

func tenantOf(c *gin.Context) service.Tenant {
	t, _ := c.Get(ctxTenant)
	return t.(service.Tenant) // set by resolveTenant on every tenant route; a missing one is a wiring bug
}
