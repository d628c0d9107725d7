package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func (a *api) listRiskEvents(c *gin.Context) {
	f := store.RiskEventFilter{Area: c.Query("risk_area"), Text: c.Query("q")}
	if v := c.Query("include_inactive"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			respondError(c, a.Log, &domain.ValidationError{Code: "filter_invalid", Problems: []domain.FieldError{
				{Field: "include_inactive", Code: "not_boolean", Message: "include_inactive must be true or false"}}})
			return
		}
		f.IncludeInactive = b
	}
	events, err := a.Catalogues.RiskEvents(c.Request.Context(), actorOf(c), f)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	jsonWithETag(c, gin.H{"items": events})
}

func (a *api) createRiskEvent(c *gin.Context) {
	var req domain.RiskEvent
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	e, err := a.Catalogues.CreateRiskEvent(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, e)
}

func (a *api) updateRiskEvent(c *gin.Context) {
	var req domain.RiskEvent
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	e, err := a.Catalogues.UpdateRiskEvent(c.Request.Context(), actorOf(c), c.Param("code"), req, req.Version)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (a *api) listEnablingFactors(c *gin.Context) {
	items, err := a.Catalogues.EnablingFactors(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	jsonWithETag(c, gin.H{"items": items})
}

func (a *api) createEnablingFactor(c *gin.Context) {
	var req domain.EnablingFactor
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	f, err := a.Catalogues.CreateEnablingFactor(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, f)
}

func (a *api) listMeasureTypes(c *gin.Context) {
	items, err := a.Catalogues.MeasureTypes(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	jsonWithETag(c, gin.H{"items": items})
}

func (a *api) listGeneralMeasures(c *gin.Context) {
	items, err := a.Catalogues.GeneralMeasures(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	jsonWithETag(c, gin.H{"items": items})
}

func (a *api) setGeneralMeasureFactors(c *gin.Context) {
	var req service.GeneralMeasureFactors
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	g, err := a.Catalogues.SetGeneralMeasureFactors(c.Request.Context(), actorOf(c), c.Param("code"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, g)
}

func (a *api) listProfiles(c *gin.Context) {
	items, err := a.Methodologies.Profiles(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) getMethodology(c *gin.Context) {
	m, err := a.Methodologies.ForCycle(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

func (a *api) chooseMethodology(c *gin.Context) {
	var req service.MethodologyChoice
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	m, err := a.Methodologies.Choose(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

func (a *api) scoreJudgement(c *gin.Context) {
	var req domain.Judgement
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	s, err := a.Methodologies.Score(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, s)
}
