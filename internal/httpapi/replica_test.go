package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/replica"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestReplicaReadRoutesAreReadOnlyRoutes: every route a replica may answer is a GET of the route table, and
// none of them reads who the caller is, their sessions, users or grants (those stay on the primary).
func TestReplicaReadRoutesAreReadOnlyRoutes(t *testing.T) {
	var table []string
	for _, rt := range httpapi.RouteTable() {
		table = append(table, rt.Method+" "+rt.Path)
	}
	for _, r := range httpapi.ReplicaReadRoutes() {
		if !slices.Contains(table, r) || !strings.HasPrefix(r, http.MethodGet+" ") {
			t.Errorf("%s: not a GET route of the table", r)
		}
		for _, segment := range strings.Split(r, "/") {
			switch segment {
			case "me", "auth", "users", "sessions", "grants", "notifications", "privileged-requests":
				t.Errorf("%s: authorization data must be read on the primary", r)
			}
		}
	}
}

// TestReplicaThroughTheRouter: with a streaming replica whose replay is paused, a reader without a position
// gets the replica's (older) version of the sottosezione context, which proves the route reads the replica,
// while the writer, sending back the position its save handed out, reads its own new version; a stale save
// is still refused with 409 on the primary, and once the replica catches up everyone sees the new version.
func TestReplicaThroughTheRouter(t *testing.T) {
	pair := dbtest.ReplicaPair(t)
	r, err := replica.Attach(pair.Primary.Gorm, []string{pair.ReplicaURL}, replica.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	// The demo ente is loaded by its services (the shared fixture copies from a template on the main test
	// server, which is not the pair's primary).
	ctx := context.Background()
	st := store.New(pair.Primary)
	az, err := authz.Default()
	if err != nil {
		t.Fatal(err)
	}
	meths := service.NewMethodologies(st, az)
	if _, err := demo.Load(ctx, st, service.NewEntes(st), service.NewProcessMaps(st, az), service.NewUsers(st, az, nil),
		service.NewCatalogues(st, az), service.NewRegister(st, az, meths)); err != nil {
		t.Fatal(err)
	}
	s := newInstance(t, pair.Primary, func(d *httpapi.Deps) { d.Replica = r })
	tok := s.login("rpct")
	const path = "/api/v1/cycles/2026-2028/sottosezione/context"
	version := func(header map[string]string) string {
		t.Helper()
		rec := s.do(request{method: http.MethodGet, path: path, token: tok, header: header})
		if rec.Code != 200 {
			t.Fatalf("read: %d %s", rec.Code, rec.Body)
		}
		var view struct {
			Version int64 `json:"version"`
		}
		decode(t, rec, &view)
		return map[int64]string{1: "v1", 2: "v2"}[view.Version]
	}
	dbtest.WaitReplayed(t, pair.Primary, pair.ReplicaURL)
	if v := version(nil); v != "v1" {
		t.Fatalf("before the save: %s", v)
	}
	var current struct {
		Content json.RawMessage `json:"content"`
	}
	decode(t, s.get(path, tok), &current)
	body := `{"version":1,"content":` + string(current.Content) + `}`

	dbtest.PauseReplay(t, pair.ReplicaURL)
	rec := s.do(request{method: http.MethodPut, path: path, token: tok, body: body})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"version":2`) {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	cookie := rec.Result().Cookies()
	position := rec.Header().Get("Argine-Read-After")
	if len(cookie) != 1 || cookie[0].Name != "argine_read_after" || cookie[0].Value != position || !cookie[0].HttpOnly ||
		cookie[0].SameSite != http.SameSiteStrictMode || cookie[0].MaxAge <= 0 {
		t.Fatalf("the save handed out no read-your-writes position: %v %q", cookie, position)
	}
	if v := version(nil); v != "v1" {
		t.Fatalf("a reader without a position did not read the paused replica: %s", v)
	}
	if v := version(map[string]string{"Cookie": "argine_read_after=" + position}); v != "v2" {
		t.Fatalf("the writer did not read its own write (cookie): %s", v)
	}
	if v := version(map[string]string{"Argine-Read-After": position}); v != "v2" {
		t.Fatalf("the writer did not read its own write (header): %s", v)
	}
	rec = s.do(request{method: http.MethodPut, path: path, token: tok, body: body})
	decodeProblem(t, rec, 409, "version_conflict")
	if rec.Header().Get("Argine-Read-After") == "" {
		t.Fatal("a conflict handed out no position: the loser's reload could show the stale version again")
	}
	dbtest.ResumeReplay(t, pair.ReplicaURL)
	dbtest.WaitReplayed(t, pair.Primary, pair.ReplicaURL)
	if v := version(nil); v != "v2" {
		t.Fatalf("after catching up: %s", v)
	}

	// The heavy reads are answered by the replica (the counts are the router's, over every request).
	for _, p := range []string{"/api/v1/cycles/2026-2028/process-map", "/api/v1/catalogue/risk-events",
		"/api/v1/cycles/2026-2028/register?page_size=1000", "/api/v1/cycles/2026-2028/heatmap",
		"/api/v1/cycles/2026-2028/dashboard", "/api/v1/cycles/2026-2028/progress",
		"/api/v1/cycles/2026-2028/exports/registro.json", "/api/v1/cycles/2026-2028/exports/registro.csv",
		"/api/v1/cycles/2026-2028/sottosezione/exports/sottosezione.odt", "/api/v1/audit", "/api/v1/audit/export?format=json",
	} {
		dbtest.WaitReplayed(t, pair.Primary, pair.ReplicaURL) // a sign-in or refresh may have written meanwhile
		before, primBefore, _ := r.Counts()
		rec := s.get(p, tok)
		after, primAfter, _ := r.Counts()
		if rec.Code != 200 || after == before {
			t.Errorf("%s: %d, %d reads on the replica", p, rec.Code, after-before)
		}
		t.Logf("%s: %d reads on the replica, %d on the primary", p, after-before, primAfter-primBefore)
	}
	// Who the caller is, never: /me reads the session and grants on the primary.
	before, _, _ := r.Counts()
	if rec := s.get("/api/v1/me", tok); rec.Code != 200 {
		t.Fatalf("me: %d", rec.Code)
	}
	if after, _, _ := r.Counts(); after != before {
		t.Fatalf("/me read %d statements on the replica", after-before)
	}
}

// TestNoReplicaNoPosition: without replicas nothing changes, not even a header.
func TestNoReplicaNoPosition(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	tok := s.login("rpct")
	const path = "/api/v1/cycles/2026-2028/sottosezione/context"
	var current struct {
		Content json.RawMessage `json:"content"`
	}
	decode(t, s.get(path, tok), &current)
	rec := s.do(request{method: http.MethodPut, path: path, token: tok, body: `{"version":1,"content":` + string(current.Content) + `}`})
	if rec.Code != 200 || rec.Header().Get("Argine-Read-After") != "" || len(rec.Result().Cookies()) != 0 {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
}
