package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/metrics"
	"github.com/argine-pa/argine/internal/store"
)

const metricsToken = "scraper-token-0123456789"

// TestMetricsEndpoint: /metrics is off (404) without a token; with one it answers only its bearer, counting
// requests under their route template and status, timing them, and reporting the database pool, the audit
// records appended, the notification outbox and the build.
func TestMetricsEndpoint(t *testing.T) {
	rec := httptest.NewRecorder()
	httpapi.NewRouter(httpapi.Deps{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("metrics without a token: %d", rec.Code)
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		st := store.New(db)
		m := metrics.New(metrics.Sources{DB: db.SQL(), AuditRecords: st.AuditRecordCount, Outbox: st.OutboxCountsAll, Version: "test"})
		s := newServer(t, db, func(d *httpapi.Deps) { d.Metrics, d.MetricsToken = m, metricsToken })
		tok := s.login("dir2")
		for i := 0; i < 2; i++ {
			if rec := s.get("/api/v1/me", tok); rec.Code != 200 {
				t.Fatalf("me: %d", rec.Code)
			}
		}
		s.do(request{method: http.MethodGet, path: "/api/v1/no-such-route", token: tok})
		s.do(request{method: http.MethodGet, path: "/readyz"})
		// The outbox is read at scrape time: rows of each state, whichever instance sends them.
		var who struct{ ID, EnteID string }
		if err := db.Gorm.Raw("SELECT id, ente_id FROM users ORDER BY username LIMIT 1").Scan(&who).Error; err != nil || who.ID == "" {
			t.Fatalf("a user: %+v %v", who, err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		var mails []store.OutboxMail
		for i, state := range []string{"queued", "queued", "queued", "sent", "sent", "failed"} {
			id := store.NewID()
			mails = append(mails, store.OutboxMail{ID: id, EnteID: who.EnteID, UserID: who.ID, Kind: "comment", Day: "2027-01-1" + strconv.Itoa(i),
				ToAddress: "x@ente.example", Subject: "s", MessageID: id + "@argine", State: state, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now})
		}
		if err := st.InsertNotifications(context.Background(), nil, mails); err != nil {
			t.Fatal(err)
		}

		for _, bad := range []string{"", "wrong-token-0123456789"} {
			if rec := s.do(request{method: http.MethodGet, path: "/metrics", token: bad}); rec.Code != http.StatusUnauthorized {
				t.Fatalf("metrics with token %q: %d", bad, rec.Code)
			}
		}
		rec := s.do(request{method: http.MethodGet, path: "/metrics", token: metricsToken})
		body := rec.Body.String()
		if rec.Code != 200 {
			t.Fatalf("metrics: %d %s", rec.Code, body)
		}
		var audit int64
		if err := db.Gorm.Raw("SELECT COUNT(*) FROM audit_log").Scan(&audit).Error; err != nil || audit == 0 {
			t.Fatalf("audit count %d %v", audit, err)
		}
		for _, want := range []string{
			`argine_http_requests_total{method="GET",route="/api/v1/me",status="200"} 2`,
			`argine_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"} 1`,
			`argine_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
			`argine_http_requests_total{method="GET",route="/readyz",status="200"} 1`,
			`argine_http_request_duration_seconds_count{method="GET",route="/api/v1/me"} 2`,
			`argine_http_request_duration_seconds_bucket{method="GET",route="/api/v1/me",le="+Inf"} 2`,
			`go_sql_max_open_connections{db_name="argine"}`,
			`go_sql_in_use_connections{db_name="argine"}`,
			"argine_audit_records_total " + strconv.FormatInt(audit, 10) + "\n",
			`argine_notify_outbox{state="queued"} 3`,
			`argine_notify_outbox{state="sent"} 2`,
			`argine_notify_outbox{state="failed"} 1`,
			`argine_build_info{version="test"} 1`,
			"go_goroutines ",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		// Never a raw path with an id in it: series are per route template.
		if regexp.MustCompile(`route="[^"]*(C2\.|[0-9a-f]{8}-)`).MatchString(body) {
			t.Errorf("a route label carries a raw path")
		}
	})
}

// TestRequestIDEchoedAndLogged: a well-formed X-Request-Id from a proxy is kept, echoed and logged; a
// malformed one is replaced by a fresh id.
func TestRequestIDEchoedAndLogged(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	rec := s.do(request{method: http.MethodGet, path: "/healthz", header: map[string]string{"X-Request-Id": "proxy-42.a_b"}})
	if got := rec.Header().Get("X-Request-Id"); got != "proxy-42.a_b" {
		t.Fatalf("echoed id %q", got)
	}
	if !strings.Contains(s.logs.String(), "request_id=proxy-42.a_b") {
		t.Fatalf("log lacks the request id:\n%s", s.logs.String())
	}
	for _, bad := range []string{"has space", strings.Repeat("x", 65), "a\"b"} {
		rec := s.do(request{method: http.MethodGet, path: "/healthz", header: map[string]string{"X-Request-Id": bad}})
		got := rec.Header().Get("X-Request-Id")
		if got == bad || !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(got) {
			t.Fatalf("malformed id %q answered %q", bad, got)
		}
	}
}

// TestReadyzRefusesNewerSchema: a database migrated by a newer argine (an upgrade rolled back to the old
// binary) is not ready for this one.
func TestReadyzRefusesNewerSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		if rec := s.get("/readyz", ""); rec.Code != 200 {
			t.Fatalf("readyz %d %s", rec.Code, rec.Body)
		}
		if err := db.Gorm.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)").Error; err != nil {
			t.Fatal(err)
		}
		decodeProblem(t, s.get("/readyz", ""), 503, "migrations_newer")
	})
}
