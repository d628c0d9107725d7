package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"

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
	Seed seedValue `json:"seed"`
}

// seedValue is a sample seed sent as a JSON number or as a string of digits (JavaScript cannot hold every
// 64-bit number): both decode to the same seed.
type seedValue uint64

func (s *seedValue) UnmarshalJSON(b []byte) error {
	text := string(b)
	if text == "null" {
		return nil
	}
	if uq, err := strconv.Unquote(text); err == nil {
		text = strings.TrimSpace(uq)
		if text == "" {
			*s = 0
			return nil
		}
	}
	v, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "seed " + string(b), Type: reflect.TypeFor[uint64](), Field: "seed"}
	}
	*s = seedValue(v)
	return nil
}

func (a *api) listRounds(c *gin.Context) {
	items, err := a.Monitoring.Rounds(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (a *api) drawSample(c *gin.Context) {
	var req sampleRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	v, err := a.Monitoring.DrawSample(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), uint64(req.Seed))
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

// getMeasureMonitoring serves a measure's monitoring page: the measure as planned and its rounds.
func (a *api) getMeasureMonitoring(c *gin.Context) {
	v, err := a.Monitoring.Measure(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("measure"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}
