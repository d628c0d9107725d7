package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

type exclusionRequest struct {
	Node   string `json:"node"`
	Reason string `json:"reason"`
}

func (a *api) excludeLeaf(c *gin.Context) {
	var req exclusionRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	items, err := a.Cycles.Exclude(c.Request.Context(), actorOf(c), c.Param("cycle"), req.Node, req.Reason)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) consolidateCycle(c *gin.Context) {
	cy, err := a.Cycles.Consolidate(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, cy)
}

func (a *api) adoptCycle(c *gin.Context) {
	var req service.AdoptionInput
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	cy, err := a.Cycles.Adopt(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, cy)
}

func (a *api) publishCycle(c *gin.Context) {
	var req service.PublicationInput
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	cy, err := a.Cycles.Publish(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, cy)
}

// getSnapshot sends the adopted register exactly as frozen: the same bytes every time, with their hash.
func (a *api) getSnapshot(c *gin.Context) {
	snap, err := a.Cycles.Snapshot(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("X-Content-SHA256", snap.ContentHash)
	c.Header("Content-Type", "application/x-ndjson")
	c.Status(http.StatusOK)
	if err := a.Cycles.WriteSnapshot(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Writer); err != nil {
		a.Log.ErrorContext(c.Request.Context(), "snapshot stream failed midway", "err", err)
	}
}

type rollForwardRequest struct {
	From string `json:"from"`
}

func (a *api) rollForward(c *gin.Context) {
	var req rollForwardRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	res, err := a.Cycles.RollForward(c.Request.Context(), actorOf(c), req.From, c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (a *api) reviseCycle(c *gin.Context) {
	res, err := a.Cycles.Revision(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, res)
}

func (a *api) listOIVNotes(c *gin.Context) {
	items, err := a.OIVNotes.List(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) addOIVNote(c *gin.Context) {
	var req store.OIVNote
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	n, err := a.OIVNotes.Add(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, n)
}
