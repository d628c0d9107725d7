package httpapi

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// The programme of general measures and the transparency section (service/programme.go, transparency.go), in
// the shape of respond.go.

func (a *api) listProgramme(c *gin.Context) {
	a.answer(c, http.StatusOK)(a.Programme.List(c.Request.Context(), actorOf(c), c.Param("cycle")))
}

func (a *api) createProgrammeMeasure(c *gin.Context) {
	req, err := body[domain.ProgrammeMeasure](c)
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusCreated)(a.Programme.Create(c.Request.Context(), actorOf(c), c.Param("cycle"), req))
}

func (a *api) updateProgrammeMeasure(c *gin.Context) {
	id, req, err := idAndBody[domain.ProgrammeMeasure](c, "programme_measure")
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Programme.Update(c.Request.Context(), actorOf(c), c.Param("cycle"), id, req))
}

func (a *api) deleteProgrammeMeasure(c *gin.Context) {
	id, version, err := idAndVersion(c, "programme_measure")
	if a.failed(c, err) {
		return
	}
	a.noContent(c, a.Programme.Delete(c.Request.Context(), actorOf(c), c.Param("cycle"), id, version))
}

func (a *api) getProgrammeRound(c *gin.Context) {
	a.answer(c, http.StatusOK)(a.Programme.Round(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date")))
}

func (a *api) selfAssessProgramme(c *gin.Context) {
	id, req, err := idAndBody[store.ProgrammeEntry](c, "programme_measure")
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Programme.SelfAssess(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), id, req))
}

func (a *api) checkProgramme(c *gin.Context) {
	id, req, err := idAndBody[store.ProgrammeEntry](c, "programme_measure")
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Programme.Check(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), id, req))
}

func (a *api) listObligations(c *gin.Context) {
	a.answer(c, http.StatusOK)(a.Transparency.Obligations(c.Request.Context(), actorOf(c), c.Param("cycle")))
}

func (a *api) seedObligations(c *gin.Context) {
	a.answer(c, http.StatusCreated)(a.Transparency.Seed(c.Request.Context(), actorOf(c), c.Param("cycle")))
}

func (a *api) createObligation(c *gin.Context) {
	req, err := body[domain.TransparencyObligation](c)
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusCreated)(a.Transparency.CreateObligation(c.Request.Context(), actorOf(c), c.Param("cycle"), req))
}

func (a *api) updateObligation(c *gin.Context) {
	id, req, err := idAndBody[domain.TransparencyObligation](c, "obligation")
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Transparency.UpdateObligation(c.Request.Context(), actorOf(c), c.Param("cycle"), id, req))
}

func (a *api) deleteObligation(c *gin.Context) {
	id, version, err := idAndVersion(c, "obligation")
	if a.failed(c, err) {
		return
	}
	a.noContent(c, a.Transparency.DeleteObligation(c.Request.Context(), actorOf(c), c.Param("cycle"), id, version))
}

func (a *api) getPublicationRound(c *gin.Context) {
	a.answer(c, http.StatusOK)(a.Transparency.Round(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date")))
}

func (a *api) recordPublication(c *gin.Context) {
	id, req, err := idAndBody[domain.PublicationCheck](c, "obligation")
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Transparency.RecordCheck(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), id, req))
}

// oivGrid writes the OIV attestation grid of a round; the workbook is built before answering, so an error is
// still a problem response (a grid holds at most domain.MaxObligations rows).
func (a *api) oivGrid(c *gin.Context) {
	var buf bytes.Buffer
	if a.failed(c, a.Transparency.WriteOIVGrid(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), &buf)) {
		return
	}
	name := "griglia_oiv_" + c.Param("cycle") + "_" + c.Param("date") + ".xlsx"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

func (a *api) listCivicAccess(c *gin.Context) {
	a.answer(c, http.StatusOK)(a.Transparency.CivicAccess(c.Request.Context(), actorOf(c)))
}

func (a *api) saveCivicAccess(c *gin.Context) {
	req, err := body[domain.CivicAccessCount](c)
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Transparency.SaveCivicAccess(c.Request.Context(), actorOf(c), req))
}

func (a *api) linkProgrammeByCode(c *gin.Context) {
	n, err := a.Programme.LinkByGeneralCode(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if a.failed(c, err) {
		return
	}
	c.JSON(http.StatusOK, gin.H{"linked": n})
}
