package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

func (a *api) listLeaves(c *gin.Context) {
	q := service.LeavesQuery{Unit: c.Query("unit"), State: c.Query("state")}
	var problems []domain.FieldError
	for name, dst := range map[string]*int{"page": &q.Page, "page_size": &q.PageSize} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				problems = append(problems, domain.FieldError{Field: name, Code: "not_integer", Message: name + " must be an integer"})
				continue
			}
			*dst = n
		}
	}
	for name, dst := range map[string]*bool{"mine": &q.Mine, "to_sign": &q.ToSign} {
		switch c.Query(name) {
		case "", "false":
		case "true":
			*dst = true
		default:
			problems = append(problems, domain.FieldError{Field: name, Code: "not_boolean", Message: name + " must be true or false"})
		}
	}
	if len(problems) > 0 {
		respondError(c, a.Log, &domain.ValidationError{Code: "filter_invalid", Problems: problems})
		return
	}
	page, err := a.Register.Leaves(c.Request.Context(), actorOf(c), c.Param("cycle"), q)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

type leadUnitRequest struct {
	Unit string `json:"unit"`
}

func (a *api) setLeadUnit(c *gin.Context) {
	var req leadUnitRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	leaf, err := a.Register.SetLeadUnit(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"), req.Unit)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, leaf)
}

func (a *api) handOff(c *gin.Context) {
	leaf, err := a.Register.HandOff(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, leaf)
}

func (a *api) withdrawHandOff(c *gin.Context) {
	leaf, err := a.Register.WithdrawHandOff(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, leaf)
}

func (a *api) copyAssessment(c *gin.Context) {
	var req service.CopyRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Register.CopyAssessment(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) linkMeasure(c *gin.Context) {
	var req service.LinkRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	out, err := a.Register.LinkMeasure(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("measure"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *api) includeLeaf(c *gin.Context) {
	items, err := a.Cycles.Include(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
