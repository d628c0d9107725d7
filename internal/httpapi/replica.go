package httpapi

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/replica"
)

// replicaReadRoutes are the read-only routes whose reads a PostgreSQL streaming replica may answer
// (internal/replica decides, per request, whether one is current enough). They are the heavy reads: the tree,
// the catalogues, the register and what is computed from it, the exports and documents, the audit browser.
// Left out on purpose: everything about the caller, users, grants and sessions (authorization data is read
// on the primary only, so a revoked grant never lives on in a lagging copy), the notifications, and every
// route that writes. Authentication runs before the mark, so the session and grants a request carries are
// always read on the primary. TestReplicaReadRoutesAreReadOnlyRoutes keeps the list honest.
var replicaReadRoutes = map[string]bool{
	"GET /api/v1/cycles":                                                 true,
	"GET /api/v1/cycles/:cycle/process-map":                              true,
	"GET /api/v1/cycles/:cycle/nodes":                                    true,
	"GET /api/v1/cycles/:cycle/nodes/:code":                              true,
	"GET /api/v1/catalogue/risk-events":                                  true,
	"GET /api/v1/catalogue/enabling-factors":                             true,
	"GET /api/v1/catalogue/measure-types":                                true,
	"GET /api/v1/catalogue/general-measures":                             true,
	"GET /api/v1/methodology/profiles":                                   true,
	"GET /api/v1/cycles/:cycle/methodology":                              true,
	"GET /api/v1/cycles/:cycle/nodes/:code/assessment":                   true,
	"GET /api/v1/cycles/:cycle/nodes/:code/assessment/comments":          true,
	"GET /api/v1/cycles/:cycle/progress":                                 true,
	"GET /api/v1/cycles/:cycle/leaves":                                   true,
	"GET /api/v1/cycles/:cycle/snapshot":                                 true,
	"GET /api/v1/cycles/:cycle/exports/:file":                            true,
	"GET /api/v1/cycles/:cycle/comparison":                               true,
	"GET /api/v1/cycles/:cycle/dashboard":                                true,
	"GET /api/v1/cycles/:cycle/register":                                 true,
	"GET /api/v1/cycles/:cycle/heatmap":                                  true,
	"GET /api/v1/cycles/:cycle/monitoring/plan":                          true,
	"GET /api/v1/cycles/:cycle/monitoring/rounds":                        true,
	"GET /api/v1/cycles/:cycle/monitoring/rounds/:date":                  true,
	"GET /api/v1/cycles/:cycle/monitoring/rounds/:date/report.xlsx":      true,
	"GET /api/v1/cycles/:cycle/monitoring/rounds/:date/report.pdf":       true,
	"GET /api/v1/cycles/:cycle/monitoring/rounds/:date/oiv-grid.xlsx":    true,
	"GET /api/v1/cycles/:cycle/sottosezione/context":                     true,
	"GET /api/v1/cycles/:cycle/sottosezione/objectives":                  true,
	"GET /api/v1/cycles/:cycle/sottosezione/consultation":                true,
	"GET /api/v1/cycles/:cycle/sottosezione/riesame":                     true,
	"GET /api/v1/cycles/:cycle/sottosezione/self-check":                  true,
	"GET /api/v1/cycles/:cycle/nodes/:code/description":                  true,
	"GET /api/v1/cycles/:cycle/sottosezione/exports/:file":               true,
	"GET /api/v1/cycles/:cycle/general-measures":                         true,
	"GET /api/v1/cycles/:cycle/transparency/obligations":                 true,
	"GET /api/v1/audit":                                                  true,
	"GET /api/v1/audit/verify":                                           true,
	"GET /api/v1/audit/export":                                           true,
	"GET /api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures": true,
}

// readAfterCookie and readAfterHeader carry the primary's WAL position after the caller's last write: the
// browser sends the cookie back by itself; an API client may echo the header instead. Neither is a secret:
// a forged low position only shows its sender staler data (never older than the replica lag bound), a forged
// high one only sends its reads to the primary.
const (
	readAfterCookie = "argine_read_after"
	readAfterHeader = "Argine-Read-After"
)

// replicaRouting marks the reads of a replica route as read-only for internal/replica, with the position the
// caller must see, and hands a new position to the caller after every request that may have written.
func (a *api) replicaRouting(rt Route) gin.HandlerFunc {
	eligible := replicaReadRoutes[rt.Method+" "+rt.Path]
	safe := rt.Method == http.MethodGet || rt.Method == http.MethodHead
	return func(c *gin.Context) {
		min := readAfter(c.Request)
		w := &readAfterWriter{ResponseWriter: c.Writer, a: a, c: c, min: min, always: !safe}
		if eligible {
			ctx, st := a.Replica.ReadOnly(c.Request.Context(), min)
			c.Request = c.Request.WithContext(ctx)
			w.st = st
		}
		if !w.always && w.st == nil {
			c.Next() // a read on the primary that writes nothing: no position to hand out
			return
		}
		c.Writer = w
		defer func() { c.Writer = w.ResponseWriter }()
		c.Next()
	}
}

// readAfter is the highest valid position the request carries (cookie or header); 0 for none.
func readAfter(r *http.Request) replica.LSN {
	var min replica.LSN
	if ck, err := r.Cookie(readAfterCookie); err == nil {
		if l, err := replica.ParseLSN(ck.Value); err == nil {
			min = max(min, l)
		}
	}
	if h := r.Header.Get(readAfterHeader); h != "" {
		if l, err := replica.ParseLSN(h); err == nil {
			min = max(min, l)
		}
	}
	return min
}

// readAfterWriter adds the primary's position to the answer's headers just before they go out: by then the
// handler's transaction has committed (or failed: a 409 also hands out the position, so the caller's next
// read shows the version that beat theirs).
type readAfterWriter struct {
	gin.ResponseWriter
	a      *api
	c      *gin.Context
	st     *replica.State
	min    replica.LSN
	always bool // a write method: hand out the position whatever happened
	done   bool
}

func (w *readAfterWriter) stamp() {
	if w.done {
		return
	}
	w.done = true
	if !w.always && (w.st == nil || !w.st.Wrote()) {
		return
	}
	lsn, err := w.a.Replica.PrimaryLSN(w.c.Request.Context())
	if err != nil {
		// Without a position the caller's next reads may be stale for up to the lag bound; the answer itself
		// is unaffected, so it goes out.
		w.a.Log.Warn("read-your-writes position unavailable", "error", err, "request_id", w.c.GetString(ctxRequestID))
		return
	}
	lsn = max(lsn, w.min)
	maxAge := max(2*w.a.Replica.MaxLag(), time.Minute)
	http.SetCookie(w.ResponseWriter, &http.Cookie{Name: readAfterCookie, Value: lsn.String(), Path: "/api/",
		MaxAge: int(maxAge / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: w.a.HSTS || w.c.Request.TLS != nil})
	w.Header().Set(readAfterHeader, lsn.String())
}

func (w *readAfterWriter) WriteHeader(code int) { w.stamp(); w.ResponseWriter.WriteHeader(code) }
func (w *readAfterWriter) WriteHeaderNow()      { w.stamp(); w.ResponseWriter.WriteHeaderNow() }
func (w *readAfterWriter) Write(b []byte) (int, error) {
	w.stamp()
	return w.ResponseWriter.Write(b)
}
func (w *readAfterWriter) Flush() { w.stamp(); w.ResponseWriter.Flush() }
func (w *readAfterWriter) WriteString(s string) (int, error) {
	w.stamp()
	return w.ResponseWriter.WriteString(s)
}

// ReplicaReadRoutes lists the routes a replica may answer ("GET /path"), sorted, for tests and documentation.
func ReplicaReadRoutes() []string {
	out := make([]string, 0, len(replicaReadRoutes))
	for k := range replicaReadRoutes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
