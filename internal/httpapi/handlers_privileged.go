package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/service"
)

// Two-person changes to the RPCT and OIV roles and to their holders' accounts (service/privileged.go).

func (a *api) listPrivilegedRequests(c *gin.Context) {
	items, err := a.Users.PendingRequests(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) createPrivilegedRequest(c *gin.Context) {
	var req service.RequestInput
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	r, err := a.Users.RequestChange(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Location", "/api/v1/privileged-requests/"+r.ID)
	c.JSON(http.StatusCreated, r)
}

func (a *api) confirmPrivilegedRequest(c *gin.Context) {
	id, err := idParam(c, "id", "request")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	d, err := a.Users.ConfirmRequest(c.Request.Context(), actorOf(c), id)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	// The answer may carry a temporary password: no cache, anywhere.
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, d)
}

func (a *api) rejectPrivilegedRequest(c *gin.Context) {
	id, err := idParam(c, "id", "request")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	r, err := a.Users.RejectRequest(c.Request.Context(), actorOf(c), id)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
