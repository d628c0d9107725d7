package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

func auditFilter(c *gin.Context) store.AuditFilter {
	return store.AuditFilter{Entity: c.Query("entity"), EntityID: c.Query("entity_id"), ActorID: c.Query("actor"),
		Action: c.Query("action"), From: c.Query("from"), To: c.Query("to")}
}

func (a *api) listAudit(c *gin.Context) {
	page, _ := strconv.Atoi(c.DefaultQuery("page", "0"))
	size, _ := strconv.Atoi(c.DefaultQuery("page_size", "0"))
	p, err := a.Audit.List(c.Request.Context(), actorOf(c), auditFilter(c), page, size)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (a *api) verifyAudit(c *gin.Context) {
	v, err := a.Audit.Verify(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

var auditColumns = []string{"seq", "at", "actor_id", "actor_name", "client_addr", "request_id", "entity", "entity_id",
	"action", "before", "after", "prev_hash", "hash"}

// exportAudit streams the trail as CSV or JSON lines, oldest first: memory stays bounded however long it is.
func (a *api) exportAudit(c *gin.Context) {
	format := c.DefaultQuery("format", "csv")
	if format != "csv" && format != "json" {
		respondError(c, a.Log, &domain.ValidationError{Code: "format_invalid", Problems: []domain.FieldError{
			{Field: "format", Code: "format_invalid", Message: "format must be csv or json"}}})
		return
	}
	actor := actorOf(c)
	started := false
	var cw *csv.Writer
	enc := json.NewEncoder(c.Writer)
	err := a.Audit.Export(c.Request.Context(), actor, auditFilter(c), func(r domain.AuditRecord) error {
		if !started {
			started = true
			name := "audit-" + actor.EnteCode
			if format == "csv" {
				c.Header("Content-Type", "text/csv; charset=utf-8")
				c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
				c.Status(http.StatusOK)
				cw = csv.NewWriter(c.Writer)
				if err := cw.Write(auditColumns); err != nil {
					return err
				}
			} else {
				c.Header("Content-Type", "application/x-ndjson")
				c.Header("Content-Disposition", `attachment; filename="`+name+`.jsonl"`)
				c.Status(http.StatusOK)
			}
		}
		if cw != nil {
			cw.Write([]string{strconv.FormatInt(r.Seq, 10), r.At, r.ActorID, r.ActorName, r.ClientAddr, r.RequestID,
				r.Entity, r.EntityID, r.Action, r.Before, r.After, r.PrevHash, r.Hash})
			cw.Flush()
			return cw.Error()
		}
		return enc.Encode(r)
	})
	if err != nil && !started {
		respondError(c, a.Log, err)
		return
	}
	if !started { // nothing matched: an empty but well-formed export
		if format == "csv" {
			c.Header("Content-Type", "text/csv; charset=utf-8")
			c.Status(http.StatusOK)
			w := csv.NewWriter(c.Writer)
			w.Write(auditColumns)
			w.Flush()
		} else {
			c.Header("Content-Type", "application/x-ndjson")
			c.Status(http.StatusOK)
		}
	}
}
