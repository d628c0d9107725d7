package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

type transitionRequest struct {
	Action  domain.Transition `json:"action"`
	Comment string            `json:"comment"`
}

func (a *api) transitionAssessment(c *gin.Context) {
	var req transitionRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	res, err := a.Workflow.Transition(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"), req.Action, req.Comment)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (a *api) bulkTransition(c *gin.Context) {
	var req service.BulkTransition
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	res, err := a.Workflow.Bulk(c.Request.Context(), actorOf(c), c.Param("cycle"), req)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (a *api) listComments(c *gin.Context) {
	items, err := a.Workflow.Comments(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type commentRequest struct {
	Body string `json:"body"`
}

func (a *api) addComment(c *gin.Context) {
	var req commentRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	cm, err := a.Workflow.AddComment(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"), req.Body)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusCreated, cm)
}

func (a *api) getProgress(c *gin.Context) {
	p, err := a.Workflow.Progress(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type deadlineRequest struct {
	Deadline string `json:"deadline"`
}

func (a *api) setDeadline(c *gin.Context) {
	var req deadlineRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	p, err := a.Workflow.SetDeadline(c.Request.Context(), actorOf(c), c.Param("cycle"), req.Deadline)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
