package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/store"
)

func (a *api) getMonitoringPlan(c *gin.Context) {
	p, err := a.Monitoring.Plan(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (a *api) setMonitoringPlan(c *gin.Context) {
	var req store.MonitoringPlan
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	p, err := a.Monitoring.SetPlan(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type openRoundRequest struct {
	ReferenceDate string `json:"reference_date"`
}

func (a *api) openRound(c *gin.Context) {
	var req openRoundRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := a.Monitoring.OpenRound(c.Request.Context(), actorOf(c), c.Param("cycle"), req.ReferenceDate)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (a *api) getRound(c *gin.Context) {
	v, err := a.Monitoring.Round(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (a *api) selfAssess(c *gin.Context) {
	var req store.MonitoringEntry
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := a.Monitoring.SelfAssess(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), c.Param("measure"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

type sampleRequest struct {
	Seed uint64 `json:"seed"`
}

func (a *api) drawSample(c *gin.Context) {
	var req sampleRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := a.Monitoring.DrawSample(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), req.Seed)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (a *api) checkMeasure(c *gin.Context) {
	var req store.MonitoringEntry
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := a.Monitoring.Check(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), c.Param("measure"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (a *api) closeRound(c *gin.Context) {
	v, err := a.Monitoring.CloseRound(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (a *api) monitoringSuggestions(c *gin.Context) {
	items, err := a.Monitoring.Suggestions(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
