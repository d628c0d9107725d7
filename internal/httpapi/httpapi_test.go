package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/httpapi"
)

func TestReadEndpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tok := s.login("dir2")

		rec := s.get("/api/v1/cycles/2026-2028/process-map", tok)
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("tree: %d %s", rec.Code, rec.Body)
		}
		var tree struct {
			Counts map[string]int `json:"counts"`
			Nodes  []struct {
				Code     string `json:"code"`
				Children []struct {
					Code  string   `json:"code"`
					Units []string `json:"units"`
				} `json:"children"`
			} `json:"nodes"`
		}
		decode(t, rec, &tree)
		if tree.Counts["action"] != 256 || tree.Counts["leaves"] != 265 || tree.Nodes[0].Code != "A1" || tree.Nodes[0].Children[0].Units[0] != "SG" {
			t.Fatalf("tree body %v", tree.Counts)
		}

		rec = s.get("/api/v1/cycles/2026-2028/nodes/"+url.PathEscape("B2.1 BIS"), tok)
		var detail struct {
			Node      struct{ Code, Title string } `json:"node"`
			Ancestors []struct{ Code string }      `json:"ancestors"`
			Children  []struct{ Code string }      `json:"children"`
		}
		decode(t, rec, &detail)
		if rec.Code != 200 || detail.Node.Title != "Contratti pubblici in deroga (PNRR)" || len(detail.Ancestors) != 1 ||
			detail.Ancestors[0].Code != "B2" || len(detail.Children) != 1 {
			t.Fatalf("node: %d %s", rec.Code, rec.Body)
		}

		rec = s.get("/api/v1/cycles/2026-2028/nodes?unit=AD3&level=process&marker=*&page_size=100", tok)
		var page struct {
			Items []struct{ Code string } `json:"items"`
			Total int                     `json:"total"`
		}
		decode(t, rec, &page)
		if rec.Code != 200 || page.Total == 0 || len(page.Items) != page.Total {
			t.Fatalf("search: %d %s", rec.Code, rec.Body)
		}
		rec = s.get("/api/v1/cycles", tok)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"code":"2026-2028"`) {
			t.Fatalf("cycles: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestErrorsAreProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tok := s.login("rpct")
		decodeProblem(t, s.get("/api/v1/cycles/2099-2101/process-map", tok), 404, "cycle_not_found")
		decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes/NOPE", tok), 404, "node_not_found")
		decodeProblem(t, s.get("/api/v1/nope", tok), 404, "route_not_found")
		decodeProblem(t, s.get("/api/v1/users/not-a-uuid", tok), 404, "user_not_found")
		p := decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes?page=x&page_size=9999&leaf=maybe", tok), 422, "filter_invalid")
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		if strings.Join(fields, ",") != "page,leaf" {
			t.Fatalf("fields %v", fields)
		}
		decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes?page_size=9999", tok), 422, "filter_invalid")
		decodeProblem(t, s.do(request{method: http.MethodDelete, path: "/api/v1/cycles", token: tok}), 405, "method_not_allowed")
		p = decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users", token: tok, body: `{"username":"x","bogus":1}`}), 422, "body_invalid")
		if p.Errors[0].Field != "bogus" || p.Errors[0].Code != "field_unknown" {
			t.Fatalf("unknown field: %+v", p)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users", token: tok, body: `{"username":`}), 422, "body_invalid")
		big := `{"username":"` + strings.Repeat("a", 1<<20) + `"}`
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users", token: tok, body: big}), 413, "body_too_large")
		rec := s.get("/api/v1/cycles", "")
		decodeProblem(t, rec, 401, "token_missing")
		if rec.Header().Get("WWW-Authenticate") == "" {
			t.Fatal("401 without WWW-Authenticate")
		}
	})
}

func TestProbes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		if rec := s.get("/healthz", ""); rec.Code != 200 {
			t.Fatalf("healthz %d", rec.Code)
		}
		if rec := s.get("/readyz", ""); rec.Code != 200 {
			t.Fatalf("readyz %d %s", rec.Code, rec.Body)
		}
		m, _ := db.NewMigrator()
		if _, err := m.Down(context.Background()); err != nil {
			t.Fatal(err)
		}
		decodeProblem(t, s.get("/readyz", ""), 503, "migrations_pending")
		if rec := s.get("/healthz", ""); rec.Code != 200 {
			t.Fatalf("healthz must not depend on the database: %d", rec.Code)
		}
		_ = db.Close()
		decodeProblem(t, s.get("/readyz", ""), 503, "database_unreachable")
	})
}

func TestSinglePageAppAndHeaders(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	rec := s.get("/registro/A1.1?x=1", "")
	if rec.Code != 200 || rec.Body.String() != `<html lang="it">app</html>` || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("deep link: %d %q %q", rec.Code, rec.Body, rec.Header().Get("Cache-Control"))
	}
	rec = s.get("/assets/app-1234.js", "")
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("asset: %d %v", rec.Code, rec.Header())
	}
	for _, h := range []string{"X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options", "X-Request-Id"} {
		if rec.Header().Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	// CORS is closed: a cross-origin preflight gets no allowance.
	rec = s.do(request{method: http.MethodOptions, path: "/api/v1/cycles", header: map[string]string{
		"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}})
	if rec.Header().Get("Access-Control-Allow-Origin") != "" || rec.Code < 400 {
		t.Fatalf("preflight allowed: %d %v", rec.Code, rec.Header())
	}
}

var paramRe = regexp.MustCompile(`:([a-z_]+)`)

// TestOpenAPIMatchesRoutes fails when a route is missing from the OpenAPI document, or the document lists a
// route that does not exist, or their permissions disagree.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	rec := s.get("/api/v1/openapi.json", "")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi document: %v %q", err, doc.OpenAPI)
	}
	documented := map[string]string{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			var op struct {
				Permission string `json:"x-permission"`
			}
			_ = json.Unmarshal(raw, &op)
			documented[strings.ToUpper(method)+" "+path] = op.Permission
		}
	}
	routed := map[string]string{}
	for _, r := range httpapi.RouteTable() {
		if r.Permission == (httpapi.Permission{}) {
			t.Errorf("%s %s declares no permission", r.Method, r.Path)
		}
		routed[r.Method+" "+paramRe.ReplaceAllString(r.Path, "{$1}")] = r.Permission.String()
	}
	var missing, extra []string
	for k, perm := range routed {
		if got, ok := documented[k]; !ok {
			missing = append(missing, k)
		} else if got != perm {
			t.Errorf("%s: documented permission %q, route permission %q", k, got, perm)
		}
	}
	for k := range documented {
		if _, ok := routed[k]; !ok {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Fatalf("routes missing from OpenAPI: %v; documented but not routed: %v", missing, extra)
	}
}

// TestEveryRouteIsRegisteredWithItsPermission walks gin's own route table (what is really served) and checks
// each route is in the declared table with a permission, so nothing is reachable without one.
func TestEveryRouteIsRegisteredWithItsPermission(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	declared := map[string]bool{}
	for _, r := range httpapi.RouteTable() {
		declared[r.Method+" "+r.Path] = true
	}
	var served gin.RoutesInfo
	for _, r := range s.engine.Routes() {
		if r.Method+" "+r.Path != "GET /metrics" { // the operators' endpoint, outside the API's table (metrics.go)
			served = append(served, r)
		}
	}
	if len(served) != len(declared) {
		t.Fatalf("gin serves %d routes, the table declares %d", len(served), len(declared))
	}
	for _, r := range served {
		if !declared[r.Method+" "+r.Path] {
			t.Errorf("%s %s is served but not declared with a permission", r.Method, r.Path)
		}
	}
}

// TestCancelledRequestIsNotAServerError: a client that goes away mid-request gets no 500 and leaves no
// error line in the log.
func TestCancelledRequestIsNotAServerError(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	tok := s.login("oiv")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/cycles/2026-2028/register", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	if rec.Code == http.StatusInternalServerError || strings.Contains(s.logs.String(), "request failed") {
		t.Fatalf("cancelled request: %d\n%s", rec.Code, s.logs.String())
	}
	// Logged as the client's doing (499), not as a 503 the operator would chase.
	if rec.Code != 499 || !strings.Contains(s.logs.String(), "status=499") || !strings.Contains(s.logs.String(), "client_closed=true") ||
		strings.Contains(s.logs.String(), "status=503") {
		t.Fatalf("a request the client closed must be logged as 499: %d\n%s", rec.Code, s.logs.String())
	}
}
