package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/service"
)

// Handlers of the ente-defined methodology profiles, their preview and the wording correction of a cycle's
// profile (internal/service/methodology_ente.go).

func (a *api) listEnteProfiles(c *gin.Context) {
	items, err := a.Methodologies.EnteProfiles(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) getEnteProfile(c *gin.Context) {
	items, err := a.Methodologies.EnteProfile(c.Request.Context(), actorOf(c), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) createEnteProfile(c *gin.Context) {
	var req service.EnteProfileSave
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Methodologies.CreateEnteProfile(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (a *api) updateEnteProfile(c *gin.Context) {
	var req service.EnteProfileSave
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Methodologies.UpdateEnteProfile(c.Request.Context(), actorOf(c), c.Param("code"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	status := http.StatusOK
	if out.NewVersion {
		status = http.StatusCreated
	}
	c.JSON(status, out)
}

func (a *api) previewProfile(c *gin.Context) {
	var req service.ProfilePreview
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	items, err := a.Methodologies.Preview(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) correctMethodologyWording(c *gin.Context) {
	var req service.WordingCorrection
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	m, err := a.Methodologies.CorrectWording(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, m)
}
