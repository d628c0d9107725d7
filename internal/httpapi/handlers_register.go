package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

func (a *api) getAssessment(c *gin.Context) {
	as, err := a.Register.Assessment(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, as)
}

func (a *api) putAssessment(c *gin.Context) {
	var req domain.Assessment
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	as, err := a.Register.SaveAssessment(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, as)
}

func decodeRegisterFilter(c *gin.Context) (store.RegisterFilter, error) {
	f := store.RegisterFilter{Unit: c.Query("unit"), RiskArea: c.Query("risk_area"), Level: c.Query("level"),
		MeasureType: c.Query("measure_type"), MeasureStatus: c.Query("measure_status"), State: c.Query("state"), Text: c.Query("q")}
	var problems []domain.FieldError
	if f.Marker = c.Query("marker"); f.Marker != "" && f.Marker != "none" && !domain.Marker(f.Marker).Valid() {
		problems = append(problems, domain.FieldError{Field: "marker", Code: "value_unknown", Message: `marker must be "*", "**" or "none"`})
	}
	for name, dst := range map[string]*int{"page": &f.Page, "page_size": &f.PageSize} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				problems = append(problems, domain.FieldError{Field: name, Code: "not_integer", Message: name + " must be an integer"})
				continue
			}
			*dst = n
		}
	}
	for _, p := range []struct {
		name string
		dst  **store.Cell
	}{{"inherent_cell", &f.InherentCell}, {"residual_cell", &f.ResidualCell}} {
		if v := c.Query(p.name); v != "" {
			cell, valid := parseCell(v)
			if !valid {
				problems = append(problems, domain.FieldError{Field: p.name, Code: "not_cell",
					Message: p.name + " must be likelihood-impact, two positive integers such as 3-2"})
				continue
			}
			*p.dst = &cell
		}
	}
	switch v := c.Query("with_total"); v {
	case "", "false":
	case "true":
		f.WithTotal = true
	default:
		problems = append(problems, domain.FieldError{Field: "with_total", Code: "not_boolean", Message: "with_total must be true or false"})
	}
	if len(problems) > 0 {
		return f, &domain.ValidationError{Code: "filter_invalid", Problems: problems}
	}
	return f, nil
}

// parseCell reads a heat-map cell written "likelihood-impact", e.g. "3-2".
func parseCell(v string) (store.Cell, bool) {
	l, i, ok := strings.Cut(v, "-")
	if !ok {
		return store.Cell{}, false
	}
	var cell store.Cell
	for k, part := range []string{l, i} {
		if part == "" || len(part) > 4 || strings.Trim(part, "0123456789") != "" {
			return store.Cell{}, false
		}
		n, _ := strconv.Atoi(part)
		if n < 1 {
			return store.Cell{}, false
		}
		cell[k] = n
	}
	return cell, true
}

func (a *api) listRegister(c *gin.Context) {
	f, err := decodeRegisterFilter(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	page, err := a.Register.ListFrom(c.Request.Context(), actorOf(c), c.Param("cycle"), f, c.Query("cursor"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (a *api) getHeatmap(c *gin.Context) {
	f, err := decodeRegisterFilter(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	h, err := a.Register.Heatmap(c.Request.Context(), actorOf(c), c.Param("cycle"), f)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, h)
}
