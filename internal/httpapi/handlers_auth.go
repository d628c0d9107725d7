package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// maxJSONBody bounds a JSON request body; the API's inputs are small.
const maxJSONBody = 1 << 20

// decodeJSON reads a JSON body strictly: unknown fields and trailing data are errors that name the problem.
func decodeJSON(c *gin.Context, dst any) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON value")
	}
	if err == nil {
		return checkDecoded(dst) // NUL in text, ints beyond 32 bits: 422 naming the field (input.go)
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	fe := domain.FieldError{Code: "body_invalid", Message: "the body is not valid JSON: " + err.Error()}
	switch {
	case errors.As(err, &tooBig):
		return &domain.Error{Kind: domain.ErrTooLarge, Code: "body_too_large", Message: "the body is larger than 1 MiB"}
	case errors.Is(err, io.EOF):
		fe.Message = "the body is empty: a JSON object is expected"
	case errors.As(err, &typeErr):
		fe = domain.FieldError{Field: jsonFieldPath(typeErr.Field), Code: "type_invalid", Message: "expected a " + typeErr.Type.String()}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		fe = domain.FieldError{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`),
			Code: "field_unknown", Message: "unknown field"}
	}
	return &domain.ValidationError{Code: "body_invalid", Problems: []domain.FieldError{fe}}
}

// idParam reads a UUID path parameter naming a thing; anything else names no resource, so it is a 404.
func idParam(c *gin.Context, param, thing string) (string, error) {
	id, err := uuid.Parse(c.Param(param))
	if err != nil {
		return "", domain.NotFound(thing+"_not_found", "no such %s", thing)
	}
	return id.String(), nil
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Ente optionally names the ente signed in to (a page per ente): a user of another ente is then
	// answered exactly like an unknown username.
	Ente string `json:"ente"`
}

func (a *api) login(c *gin.Context) {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	tokens, err := a.Auth.LoginAt(c.Request.Context(), req.Ente, req.Username, req.Password, clientOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, tokens)
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (a *api) refresh(c *gin.Context) {
	var req refreshRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	tokens, err := a.Auth.Refresh(c.Request.Context(), req.RefreshToken, clientOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, tokens)
}

func (a *api) logout(c *gin.Context) {
	// Read before the session ends: a session opened by single sign-on may end the provider's session too.
	var providerLogout string
	if a.SSO != nil {
		providerLogout = a.SSO.LogoutURL(c.Request.Context(), actorOf(c))
	}
	if err := a.Auth.Logout(c.Request.Context(), actorOf(c)); err != nil {
		respondError(c, a.Log, err)
		return
	}
	if providerLogout != "" {
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, gin.H{"logout_url": providerLogout})
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *api) me(c *gin.Context) {
	me, err := a.Auth.Me(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, me)
}

type passwordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (a *api) changePassword(c *gin.Context) {
	var req passwordChange
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	if err := a.Auth.ChangePassword(c.Request.Context(), actorOf(c), req.CurrentPassword, req.NewPassword, clientOf(c)); err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *api) listUsers(c *gin.Context) {
	users, err := a.Users.List(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": users})
}

func (a *api) createUser(c *gin.Context) {
	var req service.NewUser
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	u, err := a.Users.Create(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Location", "/api/v1/users/"+u.ID)
	c.JSON(http.StatusCreated, u)
}

// userHandler is the shape of the handlers acting on one user: parse the id, call, respond.
func (a *api) userHandler(call func(c *gin.Context, id string) (any, int, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := idParam(c, "id", "user")
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		body, status, err := call(c, id)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		if body == nil {
			c.Status(status)
			return
		}
		c.JSON(status, body)
	}
}

func (a *api) getUser(c *gin.Context) {
	a.userHandler(func(c *gin.Context, id string) (any, int, error) {
		u, err := a.Users.Get(c.Request.Context(), actorOf(c), id)
		return u, http.StatusOK, err
	})(c)
}

func (a *api) updateUser(c *gin.Context) {
	a.userHandler(func(c *gin.Context, id string) (any, int, error) {
		var req service.ProfileChange
		if err := decodeJSON(c, &req); err != nil {
			return nil, 0, err
		}
		u, err := a.Users.UpdateProfile(c.Request.Context(), actorOf(c), id, req)
		return u, http.StatusOK, err
	})(c)
}

type grantRequest struct {
	Role string `json:"role"`
	Unit string `json:"unit"`
}

func (a *api) addGrant(c *gin.Context) {
	a.userHandler(func(c *gin.Context, id string) (any, int, error) {
		var req grantRequest
		if err := decodeJSON(c, &req); err != nil {
			return nil, 0, err
		}
		g, err := a.Users.AddGrant(c.Request.Context(), actorOf(c), id,
			domain.Grant{Role: domain.Role(req.Role), UnitCode: strings.TrimSpace(req.Unit)})
		return g, http.StatusCreated, err
	})(c)
}

func (a *api) revokeGrant(c *gin.Context) {
	a.userHandler(func(c *gin.Context, id string) (any, int, error) {
		grantID, err := idParam(c, "grant", "grant")
		if err != nil {
			return nil, 0, err
		}
		return nil, http.StatusNoContent, a.Users.RevokeGrant(c.Request.Context(), actorOf(c), id, grantID)
	})(c)
}

func (a *api) disableUser(c *gin.Context) {
	a.userHandler(func(c *gin.Context, id string) (any, int, error) {
		u, err := a.Users.SetDisabled(c.Request.Context(), actorOf(c), id, true)
		return u, http.StatusOK, err
	})(c)
}

func (a *api) enableUser(c *gin.Context) {
	a.userHandler(func(c *gin.Context, id string) (any, int, error) {
		u, err := a.Users.SetDisabled(c.Request.Context(), actorOf(c), id, false)
		return u, http.StatusOK, err
	})(c)
}

type passwordReset struct {
	Password string `json:"password"`
}

func (a *api) resetPassword(c *gin.Context) {
	a.userHandler(func(c *gin.Context, id string) (any, int, error) {
		var req passwordReset
		if err := decodeJSON(c, &req); err != nil {
			return nil, 0, err
		}
		return nil, http.StatusNoContent, a.Users.ResetPassword(c.Request.Context(), actorOf(c), id, req.Password)
	})(c)
}

// jsonFieldPath writes encoding/json's dotted field path ("risks.0.priority" since Go 1.27) the way every other
// field error names a path ("risks[0].priority"), so the client maps it to the same form field.
func jsonFieldPath(field string) string {
	parts := strings.Split(field, ".")
	var b strings.Builder
	for i, p := range parts {
		if _, err := strconv.Atoi(p); err == nil && i > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
