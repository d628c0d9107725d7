package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

type exclusionRequest struct {
	Node   string   `json:"node"`
	Nodes  []string `json:"nodes"` // several leaves at once, with one reason
	Reason string   `json:"reason"`
}

func (a *api) excludeLeaf(c *gin.Context) {
	var req exclusionRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	var items []store.Exclusion
	var err error
	if len(req.Nodes) > 0 {
		if req.Node != "" {
			req.Nodes = append([]string{req.Node}, req.Nodes...)
		}
		items, err = a.Cycles.ExcludeMany(c.Request.Context(), actorOf(c), c.Param("cycle"), req.Nodes, req.Reason)
	} else {
		items, err = a.Cycles.Exclude(c.Request.Context(), actorOf(c), c.Param("cycle"), req.Node, req.Reason)
	}
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
	a.prerenderAdopted(actorOf(c), c.Param("cycle")) // the annex PDF, kept for the first download (docs/documents.md)
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
	// An adopted snapshot never changes: its content hash is its strong ETag.
	if notModified(c, `"`+snap.ContentHash+`"`) {
		return
	}
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
	// Filtered on a target (target_kind, target): the notes an assessment, the review screen or a measure shows.
	items, err := a.OIVNotes.On(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Query("target_kind"), c.Query("target"))
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
