package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/csvsafe"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

func auditFilter(c *gin.Context) (store.AuditFilter, error) {
	f := store.AuditFilter{Entity: c.Query("entity"), EntityID: c.Query("entity_id"), ActorID: c.Query("actor"),
		Action: c.Query("action"), From: c.Query("from"), To: c.Query("to"), Leaf: strings.TrimSpace(c.Query("leaf"))}
	err := checkAuditFilter(f)
	switch v := c.Query("hide_sessions"); v {
	case "", "false":
	case "true":
		f.HideSessions = true
	default:
		problem := domain.FieldError{Field: "hide_sessions", Code: "not_boolean", Message: "hide_sessions must be true or false"}
		if ve, ok := err.(*domain.ValidationError); ok {
			ve.Problems = append(ve.Problems, problem)
		} else {
			err = &domain.ValidationError{Code: "filter_invalid", Problems: []domain.FieldError{problem}}
		}
	}
	if len(f.Leaf) > 100 {
		problem := domain.FieldError{Field: "leaf", Code: "too_long", Message: "leaf must be at most 100 characters"}
		if ve, ok := err.(*domain.ValidationError); ok {
			ve.Problems = append(ve.Problems, problem)
		} else {
			err = &domain.ValidationError{Code: "filter_invalid", Problems: []domain.FieldError{problem}}
		}
	}
	return f, err
}

func (a *api) listAudit(c *gin.Context) {
	f, err := auditFilter(c)
	var problems []domain.FieldError
	if ve, ok := err.(*domain.ValidationError); ok {
		problems = ve.Problems
	}
	// A page that is not a number used to read as the first page: say so instead.
	page, size := 0, 0
	for name, dst := range map[string]*int{"page": &page, "page_size": &size} {
		if v := c.Query(name); v != "" {
			n, perr := strconv.Atoi(v)
			if perr != nil {
				problems = append(problems, domain.FieldError{Field: name, Code: "not_integer", Message: name + " must be an integer"})
			}
			*dst = n
		}
	}
	if len(problems) > 0 {
		respondError(c, a.Log, &domain.ValidationError{Code: "filter_invalid", Problems: problems})
		return
	}
	p, err := a.Audit.List(c.Request.Context(), actorOf(c), f, page, size)
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

// latestAuditCheckpoint serves the ente's latest signed checkpoint, as the server wrote it, for the OIV to keep
// outside the installation.
func (a *api) latestAuditCheckpoint(c *gin.Context) {
	actor := actorOf(c)
	b, err := a.Audit.LatestCheckpoint(c.Request.Context(), actor)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="audit-checkpoint-`+actor.EnteCode+`.json"`)
	c.Data(http.StatusOK, "application/json", b)
}

// auditPublicKey serves the key that verifies the checkpoints; 404 when the server signs none.
func (a *api) auditPublicKey(c *gin.Context) {
	if err := a.Audit.CanRead(actorOf(c)); err != nil {
		respondError(c, a.Log, err)
		return
	}
	k := a.Audit.PublicKey()
	if k == nil {
		respondError(c, a.Log, domain.NotFound("public_key_not_found", "this server signs no audit checkpoints"))
		return
	}
	c.JSON(http.StatusOK, k)
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
	filter, err := auditFilter(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	actor := actorOf(c)
	started := false
	var cw *csvsafe.Writer
	enc := json.NewEncoder(c.Writer)
	err = a.Audit.Export(c.Request.Context(), actor, filter, func(r domain.AuditRecord) error {
		if !started {
			started = true
			name := "audit-" + actor.EnteCode
			if format == "csv" {
				c.Header("Content-Type", "text/csv; charset=utf-8")
				c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
				c.Status(http.StatusOK)
				cw = csvsafe.NewWriter(c.Writer) // formulas written as text; the JSON keeps the exact text
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
			if err := cw.Write([]string{strconv.FormatInt(r.Seq, 10), r.At, r.ActorID, r.ActorName, r.ClientAddr, r.RequestID,
				r.Entity, r.EntityID, r.Action, r.Before, r.After, r.PrevHash, r.Hash}); err != nil {
				return err
			}
			cw.Flush()
			return cw.Error()
		}
		return enc.Encode(r)
	})
	if err != nil && !started {
		respondError(c, a.Log, err)
		return
	}
	if err != nil { // the status is sent: the client sees a cut file, the log says why
		a.Log.ErrorContext(c.Request.Context(), "audit export failed midway", "err", err)
		return
	}
	if !started { // nothing matched: an empty but well-formed export
		if format == "csv" {
			c.Header("Content-Type", "text/csv; charset=utf-8")
			c.Status(http.StatusOK)
			w := csvsafe.NewWriter(c.Writer)
			err := w.Write(auditColumns)
			if err == nil {
				w.Flush()
				err = w.Error()
			}
			if err != nil {
				a.Log.ErrorContext(c.Request.Context(), "audit export failed", "err", err)
			}
		} else {
			c.Header("Content-Type", "application/x-ndjson")
			c.Status(http.StatusOK)
		}
	}
}
