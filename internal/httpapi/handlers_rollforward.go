package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

type granularityRequest struct {
	Granularity domain.Granularity `json:"granularity"`
	Version     int                `json:"version"`
}

func (a *api) setGranularity(c *gin.Context) {
	var req granularityRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	cycle, err := a.Cycles.SetGranularity(c.Request.Context(), actorOf(c), c.Param("cycle"), req.Granularity, req.Version)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, cycle)
}

func (a *api) listRollForwardReviews(c *gin.Context) {
	items, err := a.Cycles.RollForwardReviews(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type reviewDecisionsRequest struct {
	Decisions []service.ReviewDecision `json:"decisions"`
}

func (a *api) decideRollForwardReviews(c *gin.Context) {
	var req reviewDecisionsRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	items, err := a.Cycles.DecideRollForward(c.Request.Context(), actorOf(c), c.Param("cycle"), req.Decisions)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
