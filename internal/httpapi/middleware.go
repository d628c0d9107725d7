package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/reqctx"
	"github.com/argine-pa/argine/internal/service"
)

const (
	ctxRequestID = "argine.request_id"
	ctxActor     = "argine.actor"
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
		c.Request = c.Request.WithContext(reqctx.With(c.Request.Context(), reqctx.Info{RequestID: id, ClientAddr: c.ClientIP()}))
		c.Next()
	}
}

// statusClientClosedRequest is nginx's 499: the client closed the connection before the answer was ready.
const statusClientClosedRequest = 499

// accessLog writes one line per request. The query string is left out: it may carry search text. A request
// the client abandoned, which a handler then failed with a server status, is logged as 499 with
// client_closed=true: the failure was the client leaving, not the server.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		attrs := []slog.Attr{slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.Int("status", status), slog.Duration("duration", time.Since(start)),
			slog.String("request_id", c.GetString(ctxRequestID))}
		if errors.Is(c.Request.Context().Err(), context.Canceled) && (status >= 500 || status == statusClientClosedRequest) {
			attrs[2] = slog.Int("status", statusClientClosedRequest)
			attrs = append(attrs, slog.Bool("client_closed", true))
		}
		log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http", attrs...)
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

// securityHeaders sets the headers every response carries. API answers are personal and often confidential
// (a register, an audit trail): no-store keeps them out of browser and proxy caches (a handler may still
// set its own, e.g. the public OpenAPI document). hsts is on when users reach the server over https.
func securityHeaders(hsts bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		if p := c.Request.URL.Path; p == "/api" || strings.HasPrefix(p, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		if hsts {
			// One year, without includeSubDomains: the ente's other hosts are not ours to commit.
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "+
			"font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		c.Next()
	}
}

// authenticate turns the bearer token into the actor of the request, or answers 401.
func (a *api) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		respondError(c, a.Log, domain.Unauthenticated("token_missing", "sign in and send the access token as: Authorization: Bearer TOKEN"))
		return
	}
	actor, err := a.Auth.Authenticate(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	if actor.MustChangePassword && !allowedBeforePasswordChange[c.Request.Method+" "+c.FullPath()] {
		respondError(c, a.Log, domain.Forbidden("password_change_required",
			"your password was set by someone else: change it (POST /api/v1/me/password) before anything else"))
		return
	}
	if actor.MustEnrolMFA && !actor.MustChangePassword && !allowedBeforeMFAEnrolment[c.Request.Method+" "+c.FullPath()] {
		respondError(c, a.Log, domain.Forbidden("mfa_enrolment_required",
			"your role requires a second factor: enrol it (POST /api/v1/me/mfa/totp, then /confirm) before anything else"))
		return
	}
	c.Set(ctxActor, actor)
	c.Next()
}

// allowedBeforeMFAEnrolment are the routes a user who must enrol a second factor may call first.
var allowedBeforeMFAEnrolment = map[string]bool{
	http.MethodGet + " /api/v1/me":                   true,
	http.MethodGet + " /api/v1/me/mfa":               true,
	http.MethodPost + " /api/v1/me/mfa/totp":         true,
	http.MethodPost + " /api/v1/me/mfa/totp/confirm": true,
	http.MethodPost + " /api/v1/auth/logout":         true,
	http.MethodGet + " /api/v1/me/sessions":          true,
	http.MethodDelete + " /api/v1/me/sessions/:id":   true,
}

// allowedBeforePasswordChange are the routes a user with a temporary password may call: who they are, the
// change itself and signing out (refreshing is public). Every other route answers 403 until the change.
var allowedBeforePasswordChange = map[string]bool{
	http.MethodGet + " /api/v1/me":           true,
	http.MethodPost + " /api/v1/me/password": true,
	http.MethodPost + " /api/v1/auth/logout": true,
}

// require checks the route's permission at the ente level; services check the loaded resource again.
func (a *api) require(p Permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		actor := actorOf(c)
		var units []string
		if p.OnUnits {
			for _, g := range actor.Grants {
				units = append(units, g.UnitCode)
			}
		}
		if !a.Authz.Can(actor, p.Object, p.Action, units...) {
			respondError(c, a.Log, domain.Forbidden("forbidden", "your role does not allow %s", p.String()))
			return
		}
		c.Next()
	}
}

func actorOf(c *gin.Context) domain.Actor {
	v, _ := c.Get(ctxActor)
	return v.(domain.Actor) // set by authenticate on every non-public route; a missing one is a wiring bug
}

func clientOf(c *gin.Context) service.Client {
	return service.Client{Addr: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}
