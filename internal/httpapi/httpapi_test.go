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
	"testing/fstest"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
	"github.com/argine-pa/argine/internal/webui"
)

type server struct {
	t       *testing.T
	handler http.Handler
	entes   *service.Entes
	maps    *service.ProcessMaps
}

func newServer(t *testing.T, db *database.DB) *server {
	s := store.New(db)
	srv := &server{t: t, entes: service.NewEntes(s), maps: service.NewProcessMaps(s)}
	ui := webui.Handler(fstest.MapFS{
		"index.html":         {Data: []byte("<html lang=\"it\">app</html>")},
		"assets/app-1234.js": {Data: []byte("console.log(1)")},
		"favicon.svg":        {Data: []byte("<svg/>")},
	})
	srv.handler = httpapi.NewRouter(httpapi.Deps{DB: db, Entes: srv.entes, Maps: srv.maps, UI: ui, Version: "test"})
	return srv
}

func (s *server) load(code string) {
	s.t.Helper()
	e, err := s.entes.Ensure(context.Background(), code, "Ente "+code)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.maps.Import(context.Background(), service.Tenant{EnteID: e.ID, EnteCode: e.Code}, "2026-2028", dbtest.SmallMap()); err != nil {
		s.t.Fatal(err)
	}
}

func (s *server) get(path string) *httptest.ResponseRecorder {
	s.t.Helper()
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

type problem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Errors []struct {
		Field string `json:"field"`
		Code  string `json:"code"`
	} `json:"errors"`
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != status || p.Code != code || p.Title == "" {
		t.Fatalf("problem %+v, want status %d code %s", p, status, code)
	}
	return p
}

func TestReadEndpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		s.load("ente-a")

		rec := s.get("/api/v1/cycles/2026-2028/process-map")
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
		if err := json.Unmarshal(rec.Body.Bytes(), &tree); err != nil {
			t.Fatal(err)
		}
		if tree.Counts["action"] != 3 || tree.Nodes[0].Code != "A1" || tree.Nodes[0].Children[0].Units[1] != "AD1" {
			t.Fatalf("tree body %s", rec.Body)
		}

		rec = s.get("/api/v1/cycles/2026-2028/nodes/" + url.PathEscape("B2.1 BIS"))
		var detail struct {
			Node      struct{ Code, Marker string } `json:"node"`
			Ancestors []struct{ Code string }       `json:"ancestors"`
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &detail) != nil || detail.Node.Marker != "*" ||
			len(detail.Ancestors) != 1 || detail.Ancestors[0].Code != "B2" {
			t.Fatalf("node: %d %s", rec.Code, rec.Body)
		}

		rec = s.get("/api/v1/cycles/2026-2028/nodes?unit=AD2&level=action&marker=none&page_size=10")
		var page struct {
			Items []struct{ Code string } `json:"items"`
			Total int                     `json:"total"`
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil || page.Total != 1 || page.Items[0].Code != "B2.2.1.1" {
			t.Fatalf("search: %d %s", rec.Code, rec.Body)
		}

		rec = s.get("/api/v1/cycles")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"code":"2026-2028"`) {
			t.Fatalf("cycles: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestErrorsAreProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		s.load("ente-a")
		decodeProblem(t, s.get("/api/v1/cycles/2099-2101/process-map"), 404, "cycle_not_found")
		decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes/NOPE"), 404, "node_not_found")
		decodeProblem(t, s.get("/api/v1/nope"), 404, "route_not_found")
		decodeProblem(t, s.get("/api/v1/cycles?ente=other"), 404, "ente_not_found")
		p := decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes?page=x&page_size=9999&leaf=maybe"), 422, "filter_invalid")
		fields := []string{}
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		if strings.Join(fields, ",") != "page,leaf" {
			t.Fatalf("fields %v", fields)
		}
		decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes?page_size=9999"), 422, "filter_invalid")
		decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes?level=step"), 422, "filter_invalid")
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/api/v1/cycles", nil))
		decodeProblem(t, rec, 405, "method_not_allowed")

		// With two entes and no ente named, the API cannot guess.
		s.load("ente-b")
		decodeProblem(t, s.get("/api/v1/cycles"), 422, "ente_required")
		if rec := s.get("/api/v1/cycles?ente=ente-b"); rec.Code != 200 {
			t.Fatalf("explicit ente: %d", rec.Code)
		}
	})
}

func TestProbes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		if rec := s.get("/healthz"); rec.Code != 200 {
			t.Fatalf("healthz %d", rec.Code)
		}
		if rec := s.get("/readyz"); rec.Code != 200 {
			t.Fatalf("readyz %d %s", rec.Code, rec.Body)
		}
		m, _ := db.NewMigrator()
		if _, err := m.Down(context.Background()); err != nil {
			t.Fatal(err)
		}
		decodeProblem(t, s.get("/readyz"), 503, "migrations_pending")
		if rec := s.get("/healthz"); rec.Code != 200 {
			t.Fatalf("healthz must not depend on the database: %d", rec.Code)
		}
		_ = db.Close()
		decodeProblem(t, s.get("/readyz"), 503, "database_unreachable")
	})
}

func TestSinglePageAppAndHeaders(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	rec := s.get("/registro/A1.1?x=1")
	if rec.Code != 200 || rec.Body.String() != "<html lang=\"it\">app</html>" || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("deep link: %d %q %q", rec.Code, rec.Body, rec.Header().Get("Cache-Control"))
	}
	rec = s.get("/assets/app-1234.js")
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("asset: %d %v", rec.Code, rec.Header())
	}
	for _, h := range []string{"X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options", "X-Request-Id"} {
		if rec.Header().Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
}

var paramRe = regexp.MustCompile(`:([a-z_]+)`)

// TestOpenAPIMatchesRoutes fails when a route is missing from the OpenAPI document, or the document lists a
// route that does not exist, or their permissions disagree.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	rec := s.get("/api/v1/openapi.json")
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
			var op struct {
				Permission string `json:"x-permission"`
			}
			_ = json.Unmarshal(raw, &op)
			documented[strings.ToUpper(method)+" "+path] = op.Permission
		}
	}
	routed := map[string]string{}
	for _, r := range httpapi.RouteTable() {
		if r.Permission == "" {
			t.Errorf("%s %s declares no permission", r.Method, r.Path)
		}
		routed[r.Method+" "+paramRe.ReplaceAllString(r.Path, "{$1}")] = string(r.Permission)
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
