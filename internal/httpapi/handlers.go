package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
)

func (a *api) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": a.Version})
}

// readyz answers 200 only when the database answers, accepts writes and carries every migration, and the
// evidence folder (when configured) accepts files: an instance that can only read is not ready to serve.
func (a *api) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		writeProblem(c, Problem{Status: http.StatusServiceUnavailable, Code: "database_unreachable",
			Detail: "the database does not answer"})
		return
	}
	m, err := a.DB.NewMigrator()
	if err == nil {
		var pending bool
		if pending, err = m.HasPending(ctx); err == nil && pending {
			writeProblem(c, Problem{Status: http.StatusServiceUnavailable, Code: "migrations_pending",
				Detail: "the database schema is not up to date: run argine migrate up"})
			return
		}
		// A schema newer than this binary knows (an upgrade rolled back to the old binary) is not served either:
		// the old code would write rows the new schema's rules no longer expect.
		var v int64
		if err == nil {
			if v, err = m.DBVersion(ctx); err == nil && v > m.LatestVersion() {
				writeProblem(c, Problem{Status: http.StatusServiceUnavailable, Code: "migrations_newer",
					Detail: "the database schema is newer than this argine: run the version that migrated it"})
				return
			}
		}
	}
	if err != nil {
		writeProblem(c, Problem{Status: http.StatusServiceUnavailable, Code: "migrations_unknown",
			Detail: "the migration state cannot be read"})
		return
	}
	if err := a.DB.CheckWritable(ctx); err != nil {
		a.Log.WarnContext(ctx, "readiness: database refuses writes", "err", err)
		writeProblem(c, Problem{Status: http.StatusServiceUnavailable, Code: "database_read_only",
			Detail: "the database answers but does not accept writes"})
		return
	}
	if a.Evidence != nil {
		if err := a.Evidence.CheckWritable(); err != nil {
			a.Log.WarnContext(ctx, "readiness: evidence folder not writable", "err", err)
			writeProblem(c, Problem{Status: http.StatusServiceUnavailable, Code: "evidence_dir_unwritable",
				Detail: "the evidence folder does not accept files"})
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func (a *api) openapi(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/json", openAPIDocument)
}

func (a *api) listCycles(c *gin.Context) {
	cycles, err := a.Maps.Cycles(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": cycles})
}

func (a *api) getProcessMap(c *gin.Context) {
	tree, err := a.Maps.Tree(c.Request.Context(), actorOf(c), c.Param("cycle"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	jsonWithETag(c, tree)
}

func (a *api) getNode(c *gin.Context) {
	detail, err := a.Maps.Node(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("code"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, detail)
}

func (a *api) searchNodes(c *gin.Context) {
	f, err := decodeNodeFilter(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	page, err := a.Maps.Search(c.Request.Context(), actorOf(c), c.Param("cycle"), f)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func decodeNodeFilter(c *gin.Context) (domain.NodeFilter, error) {
	f := domain.NodeFilter{
		Text: c.Query("q"), Unit: c.Query("unit"), RiskArea: c.Query("risk_area"),
		Objective: c.Query("objective"), Level: domain.Level(c.Query("level")),
	}
	var problems []domain.FieldError
	intParam := func(name string, dst *int) {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				problems = append(problems, domain.FieldError{Field: name, Code: "not_integer", Message: name + " must be an integer"})
				return
			}
			*dst = n
		}
	}
	intParam("page", &f.Page)
	intParam("page_size", &f.PageSize)
	if v, ok := c.GetQuery("marker"); ok {
		// "none" selects unmarked nodes; "*" and "**" select the marked ones.
		m := domain.Marker(strings.TrimSpace(v))
		if m == "none" {
			m = domain.MarkerNone
		}
		f.Marker = &m
	}
	if v := c.Query("leaf"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problems = append(problems, domain.FieldError{Field: "leaf", Code: "not_boolean", Message: "leaf must be true or false"})
		} else {
			f.Leaf = &b
		}
	}
	if len(problems) > 0 {
		return f, &domain.ValidationError{Code: "filter_invalid", Problems: problems}
	}
	return f, nil
}

// noRoute answers 404 problems under /api and for probes, and hands every other path to the UI.
func (a *api) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/api" || a.UI == nil ||
		(c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		writeProblem(c, Problem{Status: http.StatusNotFound, Code: "route_not_found", Detail: "no such resource"})
		return
	}
	a.UI.ServeHTTP(c.Writer, c.Request)
}
