package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
	"github.com/argine-pa/argine/internal/webui"
)

const (
	secret     = "test-secret-test-secret-test-secret-0123"
	otherEnte  = "cciaa-altra"
	otherCycle = "2030-2032"
)

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is a real router over a real database holding the demo ente (with its seven demo users) and a
// second ente, cciaa-altra, with its own map (cycle 2030-2032) and users x-rpct and x-dir.
type server struct {
	t       testing.TB
	db      *database.DB
	store   *store.Store
	handler http.Handler
	engine  *gin.Engine // the router itself, under the contract check of handler
	auth    *service.Auth
	users   *service.Users
	logs    *lockedBuffer
	clock   time.Time
	mu      sync.Mutex
	tokens  map[string]service.Tokens
	ids     map[string]string // username -> user id
}

// newServer builds the server; opts may change the dependencies (e.g. an evidence folder, HSTS) first.
func newServer(t testing.TB, db *database.DB, opts ...func(*httpapi.Deps)) *server {
	t.Helper()
	seedServer(t, db)
	return newInstance(t, db, opts...)
}

// seedServer loads the demo ente and cciaa-altra with its users into db (fresh from dbtest): a copy of
// demoFixture, built once per database and test process. Building them again for each test took most of this
// package's minutes.
func seedServer(t testing.TB, db *database.DB) {
	t.Helper()
	demoFixture.Load(t, db)
}

// demoFixture is the demo ente (with its seven demo users) and cciaa-altra with its map and users.
var demoFixture = dbtest.NewFixture(func(ctx context.Context, db *database.DB) error {
	s := store.New(db)
	az, err := authz.Default()
	if err != nil {
		return err
	}
	entes, maps, users := service.NewEntes(s), service.NewProcessMaps(s, az), service.NewUsers(s, az, nil)
	cats, meths := service.NewCatalogues(s, az), service.NewMethodologies(s, az)
	reg := service.NewRegister(s, az, meths)
	if _, err := demo.Load(ctx, s, entes, maps, users, cats, reg); err != nil {
		return err
	}
	other, err := entes.Ensure(ctx, otherEnte, "Altra camera")
	if err != nil {
		return err
	}
	if _, err := maps.Import(ctx, service.Tenant{EnteID: other.ID, EnteCode: other.Code}, otherCycle, dbtest.SmallMap()); err != nil {
		return err
	}
	if _, err := cats.EnsureStarter(ctx, other.ID); err != nil {
		return err
	}
	for _, u := range []service.NewUser{
		{Username: "x-rpct", Password: demo.Password, Grants: []domain.Grant{{Role: domain.RoleRPCT}}, Permanent: true},
		{Username: "x-dir", Password: demo.Password, Grants: []domain.Grant{{Role: domain.RoleDirector, UnitCode: "AD1"}}, Permanent: true},
	} {
		if _, err := users.AsOperator().Create(ctx, other.ID, u); err != nil {
			return err
		}
	}
	return nil
})

// newInstance builds a server over a database already seeded: its own policy, access cache and services, as
// a second `argine serve` on the same database has (instances_test.go).
func newInstance(t testing.TB, db *database.DB, opts ...func(*httpapi.Deps)) *server {
	t.Helper()
	s := store.New(db)
	az, err := authz.Default()
	if err != nil {
		t.Fatal(err)
	}
	cache := service.NewAccessCache(service.AccessCacheTTL(db.Dialect == database.Postgres))
	maps, users := service.NewProcessMaps(s, az), service.NewUsers(s, az, cache)
	cats, meths := service.NewCatalogues(s, az), service.NewMethodologies(s, az)
	reg := service.NewRegister(s, az, meths)
	mon := service.NewMonitoring(s, az)
	cfg := service.DefaultAuthConfig()
	cfg.Secret = []byte(secret)
	auth, err := service.NewAuth(s, az, cache, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := &server{t: t, db: db, store: s, auth: auth, users: users, logs: &lockedBuffer{},
		clock: time.Now().UTC(), tokens: map[string]service.Tokens{}, ids: map[string]string{}}
	auth.SetClock(srv.now)
	ui := webui.Handler(fstest.MapFS{
		"index.html":         {Data: []byte(`<html lang="it">app</html>`)},
		"assets/app-1234.js": {Data: []byte("console.log(1)")},
	})
	log := slog.New(slog.NewTextHandler(srv.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	deps := httpapi.Deps{DB: db, Auth: auth, Authz: az, Users: users, Maps: maps,
		Catalogues: cats, Methodologies: meths, Register: reg, Audit: service.NewAudit(s, az), Workflow: service.NewWorkflow(s, az, reg), Cycles: service.NewCycles(s, az, reg, maps), OIVNotes: service.NewOIVNotes(s, az), Notifications: service.NewNotifications(s, az, ""), Calendar: service.NewCalendar(s, az), Sottosezione: service.NewSottosezione(s, az, maps), Programme: service.NewProgramme(s, az), Transparency: service.NewTransparency(s, az), Monitoring: mon, Evidence: service.NewEvidence(s, az, mon, service.EvidenceConfig{MaxBytes: 64 << 10}),
		Log: log, UI: ui, Version: "test"}
	for _, o := range opts {
		o(&deps)
	}
	srv.engine = httpapi.NewRouter(deps)
	srv.handler = withContract(t, srv.engine) // every answer checked against openapi.json (contract_test.go)
	return srv
}

func (s *server) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock
}

func (s *server) advance(d time.Duration) {
	s.mu.Lock()
	s.clock = s.clock.Add(d)
	s.mu.Unlock()
}

type request struct {
	method, path, token, body, addr string
	header                          map[string]string
}

func (s *server) do(r request) *httptest.ResponseRecorder {
	s.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	req.RemoteAddr = "192.0.2.10:5555"
	if r.addr != "" {
		req.RemoteAddr = r.addr
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec
}

func (s *server) get(path, token string) *httptest.ResponseRecorder {
	return s.do(request{method: http.MethodGet, path: path, token: token})
}

func loginBody(user, pw string) string {
	b, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	return string(b)
}

// login signs a user in (once per server) and returns the access token.
func (s *server) login(user string) string {
	s.t.Helper()
	if tk, ok := s.tokens[user]; ok {
		return tk.AccessToken
	}
	tk := s.freshLogin(user, demo.Password)
	s.tokens[user] = tk
	return tk.AccessToken
}

func (s *server) freshLogin(user, pw string) service.Tokens {
	s.t.Helper()
	rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(user, pw)})
	if rec.Code != http.StatusOK {
		s.t.Fatalf("login %s: %d %s", user, rec.Code, rec.Body)
	}
	var tk service.Tokens
	decode(s.t, rec, &tk)
	return tk
}

// userID returns the id of a user of either ente, through the store.
func (s *server) userID(username string) string {
	s.t.Helper()
	if id, ok := s.ids[username]; ok {
		return id
	}
	creds, err := s.store.CredentialsByUsername(context.Background(), username)
	if err != nil {
		s.t.Fatal(err)
	}
	s.ids[username] = creds.UserID
	return creds.UserID
}

func decode(t testing.TB, rec *httptest.ResponseRecorder, dst any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), dst); err != nil {
		t.Fatalf("decode %q: %v", rec.Body.String(), err)
	}
}

type problem struct {
	Status         int      `json:"status"`
	Code           string   `json:"code"`
	Title          string   `json:"title"`
	CurrentVersion int64    `json:"current_version"`
	CurrentState   string   `json:"current_state"`
	Pending        int      `json:"pending"`
	Blockers       []string `json:"blockers"`
	Errors         []struct {
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
	decode(t, rec, &p)
	if p.Status != status || p.Code != code || p.Title == "" {
		t.Fatalf("problem %+v, want status %d code %s", p, status, code)
	}
	return p
}
