package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// The parts of sottosezione 2.3 beside the register (service/sottosezione.go): one GET and one PUT per part,
// the process descriptions of process and sub-process nodes, and the ente's simplified regime.

func (a *api) getPart(kind domain.PartKind) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := a.Sottosezione.Part(c.Request.Context(), actorOf(c), c.Param("cycle"), kind)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		c.JSON(http.StatusOK, v)
	}
}

func (a *api) putPart(kind domain.PartKind) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req service.PartInput
		if err := decodeJSON(c, &req); err != nil {
			respondError(c, a.Log, err)
			return
		}
		v, err := a.Sottosezione.SavePart(c.Request.Context(), actorOf(c), c.Param("cycle"), kind, req)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		c.JSON(http.StatusOK, v)
	}
}

func (a *api) getDescription(c *gin.Context) {
	d, err := a.Sottosezione.Description(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (a *api) putDescription(c *gin.Context) {
	var req domain.ProcessDescription
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	d, err := a.Sottosezione.SaveDescription(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (a *api) getSottosezioneSettings(c *gin.Context) {
	s, err := a.Sottosezione.Settings(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, s)
}

func (a *api) putSottosezioneSettings(c *gin.Context) {
	var req domain.SottosezioneSettings
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	s, err := a.Sottosezione.SaveSettings(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, s)
}
