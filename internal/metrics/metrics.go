// Package metrics owns the Prometheus metrics the server exposes at /metrics: HTTP requests by route template,
// method and status with their latency, the database pool, the audit records appended, the notification
// outbox and the Go runtime. The endpoint is off unless a bearer token is configured (ARGINE_METRICS_TOKEN or
// ARGINE_METRICS_TOKEN_FILE): route names and volumes say what an office is doing, so they are not public.
package metrics

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MinTokenLength is the shortest bearer token accepted: a scraper's secret, not a password to remember.
const MinTokenLength = 16

// statusClientClosedRequest is nginx's 499, as in the access log: the client left before the answer.
const statusClientClosedRequest = 499

// Sources are the parts of the installation the metrics read at scrape time.
type Sources struct {
	DB *sql.DB // pool statistics
	// AuditRecords counts the audit records of every ente (committed ones only: a rolled-back change appends
	// nothing). Records are never deleted, so the count is a counter whose rate is the appends.
	AuditRecords func(ctx context.Context) (int64, error)
	// Outbox counts the notification e-mails of every ente by state (queued, sent, failed), read at each
	// scrape: every instance reports the same database, whichever of them runs the sender.
	Outbox  func(ctx context.Context) (map[string]int64, error)
	Version string
}

// Metrics is one registry with the server's collectors; each server (and each test) has its own.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New builds the registry.
func New(src Sources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "argine_http_requests_total",
			Help: "HTTP requests answered, by route template (unmatched: no route; ui: the web interface), method and status."},
			[]string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "argine_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}},
			[]string{"route", "method"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "argine_build_info", Help: "Always 1; the version serving.",
		ConstLabels: prometheus.Labels{"version": src.Version}})
	build.Set(1)
	m.reg.MustRegister(m.requests, m.duration, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.DB != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(src.DB, "argine"))
	}
	if src.AuditRecords != nil {
		m.reg.MustRegister(&auditCollector{count: src.AuditRecords})
	}
	if src.Outbox != nil {
		m.reg.MustRegister(&outboxCollector{count: src.Outbox})
	}
	return m
}

// Registry is for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Middleware counts and times every request under its route template (never the raw path: ids and codes
// would make a series per resource).
func (m *Metrics) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "ui"
			if p := c.Request.URL.Path; p == "/api" || strings.HasPrefix(p, "/api/") {
				route = "unmatched"
			}
		}
		status := c.Writer.Status()
		if errors.Is(c.Request.Context().Err(), context.Canceled) && status >= 500 {
			status = statusClientClosedRequest
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
	}
}

// Handler serves the registry to whoever presents the token as a bearer; anyone else gets 401.
func (m *Metrics) Handler(token string) http.Handler {
	want := sha256.Sum256([]byte(token))
	inner := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		// Hashes of equal length compared in constant time: the token's length and prefix stay secret.
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the token of ARGINE_METRICS_TOKEN as: Authorization: Bearer TOKEN", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		inner.ServeHTTP(w, r)
	})
}

// auditCollector reads the audit record count at each scrape, bounded in time.
type auditCollector struct {
	count func(ctx context.Context) (int64, error)
}

var auditDesc = prometheus.NewDesc("argine_audit_records_total",
	"Audit records appended (all entes); rate() gives the appends per second.", nil, nil)

func (a *auditCollector) Describe(ch chan<- *prometheus.Desc) { ch <- auditDesc }

func (a *auditCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := a.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(auditDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(auditDesc, prometheus.CounterValue, float64(n))
}

// outboxCollector reads the outbox's e-mails by state at each scrape, bounded in time.
type outboxCollector struct {
	count func(ctx context.Context) (map[string]int64, error)
}

var outboxDesc = prometheus.NewDesc("argine_notify_outbox",
	"Notification e-mails in the outbox by state (queued: waiting or to retry; sent; failed: given up), all entes.",
	[]string{"state"}, nil)

func (o *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- outboxDesc }

func (o *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := o.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDesc, err)
		return
	}
	for _, state := range []string{"queued", "sent", "failed"} {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(counts[state]), state)
	}
}
