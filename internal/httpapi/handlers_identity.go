package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/service"
)

// Sessions and the second factor (service/sessions.go, service/mfa.go).

func (a *api) completeMFA(c *gin.Context) {
	var req service.MFASignIn
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	tokens, err := a.Auth.CompleteMFA(c.Request.Context(), req, clientOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, tokens)
}

func (a *api) mySessions(c *gin.Context) {
	list, err := a.Auth.MySessions(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list})
}

func (a *api) endMySession(c *gin.Context) {
	id, err := idParam(c, "id", "session")
	if err == nil {
		err = a.Auth.EndMySession(c.Request.Context(), actorOf(c), id)
	}
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *api) userSessions(c *gin.Context) {
	id, err := idParam(c, "id", "user")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	list, err := a.Users.UserSessions(c.Request.Context(), actorOf(c), id)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list})
}

func (a *api) endUserSessions(c *gin.Context) {
	id, err := idParam(c, "id", "user")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	n, err := a.Users.EndUserSessions(c.Request.Context(), actorOf(c), id)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"ended": n})
}

func (a *api) myMFA(c *gin.Context) {
	st, err := a.Auth.MyMFA(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

func (a *api) startMFA(c *gin.Context) {
	e, err := a.Auth.StartMFA(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, e)
}

type mfaConfirm struct {
	Code string `json:"code"`
}

func (a *api) confirmMFA(c *gin.Context) {
	var req mfaConfirm
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	codes, err := a.Auth.ConfirmMFA(c.Request.Context(), actorOf(c), req.Code, clientOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"recovery_codes": codes})
}
