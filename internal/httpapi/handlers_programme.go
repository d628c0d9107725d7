package httpapi

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// versionQuery reads the ?version= a delete names (the version the caller read).
func versionQuery(c *gin.Context) (int64, error) {
	v, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || v < 1 {
		return 0, &domain.ValidationError{Code: "version_required", Problems: []domain.FieldError{{Field: "version", Code: "required",
			Message: "the version read, as ?version=N"}}}
	}
	return v, nil
}

func (a *api) listProgramme(c *gin.Context) {
	out, err := a.Programme.List(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) createProgrammeMeasure(c *gin.Context) {
	var req domain.ProgrammeMeasure
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Programme.Create(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (a *api) updateProgrammeMeasure(c *gin.Context) {
	id, err := idParam(c, "id", "programme_measure")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	var req domain.ProgrammeMeasure
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Programme.Update(c.Request.Context(), actorOf(c), c.Param("cycle"), id, req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) deleteProgrammeMeasure(c *gin.Context) {
	id, err := idParam(c, "id", "programme_measure")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := versionQuery(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	if err := a.Programme.Delete(c.Request.Context(), actorOf(c), c.Param("cycle"), id, v); err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *api) getProgrammeRound(c *gin.Context) {
	out, err := a.Programme.Round(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) selfAssessProgramme(c *gin.Context) {
	id, err := idParam(c, "id", "programme_measure")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	var req store.ProgrammeEntry
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Programme.SelfAssess(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), id, req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) checkProgramme(c *gin.Context) {
	id, err := idParam(c, "id", "programme_measure")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	var req store.ProgrammeEntry
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Programme.Check(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), id, req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) listObligations(c *gin.Context) {
	out, err := a.Transparency.Obligations(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) seedObligations(c *gin.Context) {
	out, err := a.Transparency.Seed(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (a *api) createObligation(c *gin.Context) {
	var req domain.TransparencyObligation
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Transparency.CreateObligation(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (a *api) updateObligation(c *gin.Context) {
	id, err := idParam(c, "id", "obligation")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	var req domain.TransparencyObligation
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Transparency.UpdateObligation(c.Request.Context(), actorOf(c), c.Param("cycle"), id, req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) deleteObligation(c *gin.Context) {
	id, err := idParam(c, "id", "obligation")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := versionQuery(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	if err := a.Transparency.DeleteObligation(c.Request.Context(), actorOf(c), c.Param("cycle"), id, v); err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *api) getPublicationRound(c *gin.Context) {
	out, err := a.Transparency.Round(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) recordPublication(c *gin.Context) {
	id, err := idParam(c, "id", "obligation")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	var req domain.PublicationCheck
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Transparency.RecordCheck(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), id, req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// oivGrid writes the OIV attestation grid of a round; the workbook is built before answering, so an error is
// still a problem response (a grid holds at most domain.MaxObligations rows).
func (a *api) oivGrid(c *gin.Context) {
	var buf bytes.Buffer
	if err := a.Transparency.WriteOIVGrid(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), &buf); err != nil {
		respondError(c, a.Log, err)
		return
	}
	name := "griglia_oiv_" + c.Param("cycle") + "_" + c.Param("date") + ".xlsx"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

func (a *api) listCivicAccess(c *gin.Context) {
	out, err := a.Transparency.CivicAccess(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) saveCivicAccess(c *gin.Context) {
	var req domain.CivicAccessCount
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Transparency.SaveCivicAccess(c.Request.Context(), actorOf(c), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) linkProgrammeByCode(c *gin.Context) {
	n, err := a.Programme.LinkByGeneralCode(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"linked": n})
}
