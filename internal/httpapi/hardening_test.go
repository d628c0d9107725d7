package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// A NUL character or an integer beyond the database's INTEGER reached PostgreSQL and came back as a 500:
// both are 422 naming the field, on either database, before anything is written.
func TestNULAndIntegerOverflowAre422NamingTheField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		path := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment"
		ref2 := s.login("ref2")
		body := strings.Replace(assessmentBody, "%d", "0", 1)
		for _, c := range []struct{ name, body, field, code string }{
			{"nul in a nested text", strings.Replace(body, `"context":"Sportello del registro"`, `"context":"Sportello\u0000del registro"`, 1), "risks[0].context", "nul_character"},
			{"nul in a list", strings.Replace(body, `"enabling_factors":["FA-b"]`, `"enabling_factors":["FA-b\u0000"]`, 1), "risks[0].enabling_factors[0]", "nul_character"},
			{"int beyond 32 bits", strings.Replace(body, `"priority":1`, `"priority":3000000000`, 1), "risks[0].priority", "out_of_range"},
			// encoding/json reports the index of the element only since Go 1.27 ("risks.0.priority", written
			// "risks[0].priority"); Go 1.26 says "risks.priority".
			{"int beyond 64 bits", strings.Replace(body, `"priority":1`, `"priority":300000000000000000000`, 1), "risks[0].priority", "type_invalid"},
		} {
			p := decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: ref2, body: c.body}), 422, "body_invalid")
			field := c.field
			if len(p.Errors) == 1 && c.code == "type_invalid" && p.Errors[0].Field == "risks.priority" {
				field = "risks.priority"
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != c.code {
				t.Errorf("%s: errors %+v, want %s %s", c.name, p.Errors, c.field, c.code)
			}
		}
		p := decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/catalogue/risk-events", token: s.login("rpct"),
			body: `{"code":"ER-X-01","description":"Il dipendente\u0000 omette","risk_areas":["B"]}`}), 422, "body_invalid")
		if p.Errors[0].Field != "description" || p.Errors[0].Code != "nul_character" {
			t.Errorf("risk event: %+v", p.Errors)
		}
		// Nothing was written: the leaf is still unassessed.
		if rec := s.get(path, ref2); !strings.Contains(rec.Body.String(), `"version":0`) {
			t.Errorf("the leaf was written: %s", rec.Body)
		}
		// Query and path parameters: NUL or invalid UTF-8 never reach a handler.
		oiv := s.login("oiv")
		for _, c := range []struct{ url, field string }{
			{"/api/v1/cycles/2026-2028/nodes?q=ab%00cd", "q"},
			{"/api/v1/cycles/2026-2028/register?unit=%ff%fe", "unit"},
			{"/api/v1/catalogue/risk-events?risk_area=B%00", "risk_area"},
			{"/api/v1/cycles/2026%00/process-map", "path"},
		} {
			p := decodeProblem(t, s.get(c.url, oiv), 422, "parameter_invalid")
			if p.Errors[0].Field != c.field {
				t.Errorf("%s: errors %+v, want field %s", c.url, p.Errors, c.field)
			}
		}
		decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes?page=99999999999", oiv), 422, "filter_invalid")
	})
}

// A search of 900 words held PostgreSQL for a minute: length and words are bounded, with a 422 naming q,
// on every endpoint that searches text.
func TestSearchTextIsBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tok := s.login("rpct")
		words := strings.TrimSpace(strings.Repeat("parola ", 900))
		for _, base := range []string{"/api/v1/cycles/2026-2028/nodes", "/api/v1/cycles/2026-2028/register",
			"/api/v1/cycles/2026-2028/heatmap", "/api/v1/catalogue/risk-events"} {
			start := time.Now()
			p := decodeProblem(t, s.get(base+"?q="+strings.ReplaceAll(words, " ", "+"), tok), 422, "filter_invalid")
			if p.Errors[0].Field != "q" || p.Errors[0].Code != "search_too_long" {
				t.Errorf("%s, 900 words: %+v", base, p.Errors)
			}
			t.Logf("%s with 900 words: 422 in %s", base, time.Since(start))
			p = decodeProblem(t, s.get(base+"?q="+strings.TrimSuffix(strings.Repeat("a+", 13), "+"), tok), 422, "filter_invalid")
			if p.Errors[0].Field != "q" || p.Errors[0].Code != "search_too_many_words" {
				t.Errorf("%s, 13 words: %+v", base, p.Errors)
			}
			if rec := s.get(base+"?q="+strings.TrimSuffix(strings.Repeat("a+", 12), "+"), tok); rec.Code != 200 {
				t.Errorf("%s, 12 words: %d %s", base, rec.Code, rec.Body)
			}
			if rec := s.get(base+"?q="+strings.Repeat("à", 200), tok); rec.Code != 200 {
				t.Errorf("%s, 200 characters: %d %s", base, rec.Code, rec.Body)
			}
		}
	})
}

// Filter values outside their enumerations answer 422 naming the parameter, not 200 with nothing.
func TestRegisterFilterEnumerations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tok := s.login("oiv")
		for _, base := range []string{"/api/v1/cycles/2026-2028/register", "/api/v1/cycles/2026-2028/heatmap"} {
			for _, param := range []string{"measure_status", "state", "level", "measure_type", "unit", "risk_area", "marker"} {
				p := decodeProblem(t, s.get(base+"?"+param+"=bogus", tok), 422, "filter_invalid")
				if len(p.Errors) != 1 || p.Errors[0].Field != param || p.Errors[0].Code != "value_unknown" {
					t.Errorf("%s %s=bogus: %+v", base, param, p.Errors)
				}
			}
			for _, ok := range []string{"measure_status=new", "state=approved", "level=alto", "measure_type=T05", "unit=AD2", "risk_area=C",
				"marker=%2A", "marker=%2A%2A", "marker=none"} {
				if rec := s.get(base+"?"+ok, tok); rec.Code != 200 {
					t.Errorf("%s?%s: %d %s", base, ok, rec.Code, rec.Body)
				}
			}
		}
		for _, c := range []struct{ url, field string }{
			{"/api/v1/cycles/2026-2028/nodes?unit=NOPE", "unit"}, {"/api/v1/cycles/2026-2028/nodes?objective=NOPE", "objective"},
			{"/api/v1/cycles/2026-2028/nodes?risk_area=NOPE", "risk_area"}, {"/api/v1/catalogue/risk-events?risk_area=NOPE", "risk_area"},
		} {
			p := decodeProblem(t, s.get(c.url, tok), 422, "filter_invalid")
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field || p.Errors[0].Code != "value_unknown" {
				t.Errorf("%s: %+v", c.url, p.Errors)
			}
		}
		for _, ok := range []string{"/api/v1/cycles/2026-2028/nodes?unit=AD2&risk_area=C", "/api/v1/catalogue/risk-events?risk_area=C"} {
			if rec := s.get(ok, tok); rec.Code != 200 {
				t.Errorf("%s: %d %s", ok, rec.Code, rec.Body)
			}
		}
	})
}

// API answers are never stored by a browser or proxy; HSTS only when the public address is https.
func TestAPIResponsesNoStoreAndHSTS(t *testing.T) {
	db := dbtest.SQLite(t)
	s := newServer(t, db)
	tok := s.login("rpct")
	for _, path := range []string{"/api/v1/me", "/api/v1/cycles", "/api/v1/cycles/2026-2028/nodes/NOPE", "/api/v1/nope",
		"/api/v1/cycles/2026-2028/exports/registro.csv", "/api/v1/cycles/2026-2028/snapshot"} {
		rec := s.get(path, tok)
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, cc)
		}
		if h := rec.Header().Get("Strict-Transport-Security"); h != "" {
			t.Errorf("%s: HSTS %q without an https public address", path, h)
		}
	}
	hsts := newServer(t, dbtest.SQLite(t), func(d *httpapi.Deps) { d.HSTS = true })
	if h := hsts.get("/healthz", "").Header().Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=31536000") {
		t.Errorf("HSTS %q", h)
	}
}

// With the database gone, requests answer 503 with Retry-After (a client may retry), not 500.
func TestDatabaseDownIs503WithRetryAfter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tok := s.login("rpct")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		rec := s.get("/api/v1/cycles/2026-2028/register", tok)
		decodeProblem(t, rec, 503, "database_unavailable")
		if ra := rec.Header().Get("Retry-After"); ra != "5" {
			t.Errorf("Retry-After %q", ra)
		}
		if strings.Contains(s.logs.String(), "level=ERROR") {
			t.Errorf("an unavailable database is logged as a warning, not an error: %s", s.logs)
		}
	})
}

// /readyz fails when the database refuses writes or the evidence folder cannot take files.
func TestReadyzProbesWritesAndEvidenceFolder(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		db := dbtest.Open(t, url)
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		ready := func(db *database.DB, folder string) *httptest.ResponseRecorder {
			ev := service.NewEvidence(store.New(db), nil, nil, service.EvidenceConfig{Dir: folder})
			rec := httptest.NewRecorder()
			httpapi.NewRouter(httpapi.Deps{DB: db, Evidence: ev}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			return rec
		}
		folder := filepath.Join(t.TempDir(), "evidence")
		if rec := ready(db, folder); rec.Code != 200 {
			t.Fatalf("ready: %d %s", rec.Code, rec.Body)
		}
		if entries, _ := os.ReadDir(folder); len(entries) != 0 {
			t.Fatalf("the probe left files behind: %v", entries)
		}
		if rec := ready(db, ""); rec.Code != 200 {
			t.Fatalf("ready with evidence in the database: %d %s", rec.Code, rec.Body)
		}
		// The folder's place is taken by a file: nothing can be stored.
		blocked := filepath.Join(t.TempDir(), "blocked")
		os.WriteFile(blocked, []byte("x"), 0o600)
		decodeProblem(t, ready(db, blocked), 503, "evidence_dir_unwritable")
		// A read-only connection (a replica after a failover, a read-only file) answers pings but not writes.
		readOnly := url + "?_pragma=query_only(1)"
		if db.Dialect == database.Postgres {
			readOnly = url + "&default_transaction_read_only=on"
		}
		decodeProblem(t, ready(dbtest.Open(t, readOnly), folder), 503, "database_read_only")
	})
}

// Text that a spreadsheet would run as a formula is written as text in every CSV (register, dictionary,
// audit trail), while the JSON keeps the exact text.
func TestCSVExportsNeutraliseFormulas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		const formula = `=HYPERLINK("http://evil.example","clic")`
		body := strings.Replace(strings.Replace(assessmentBody, "%d", "0", 1), "Digitalizzazione delle pratiche", `=HYPERLINK(\"http://evil.example\",\"clic\")`, 1)
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment", token: s.login("ref2"), body: body}); rec.Code != 200 {
			t.Fatalf("save %d %s", rec.Code, rec.Body)
		}
		rpct := s.login("rpct")
		noFormulaCells := func(name string, data []byte) {
			t.Helper()
			recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, r := range recs {
				for _, cell := range r {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("%s: a cell starts with a formula character: %q", name, cell)
					}
				}
			}
		}
		reg := s.get("/api/v1/cycles/2026-2028/exports/registro.csv", rpct)
		if reg.Code != 200 || !strings.Contains(reg.Body.String(), `'=HYPERLINK(""http://evil.example""`) {
			t.Fatalf("registro.csv %d: the formula is not escaped:\n%s", reg.Code, reg.Body)
		}
		noFormulaCells("registro.csv", reg.Body.Bytes())
		js := s.get("/api/v1/cycles/2026-2028/exports/registro.json", rpct)
		if !strings.Contains(js.Body.String(), `"=HYPERLINK(\"http://evil.example\",\"clic\")"`) {
			t.Fatalf("registro.json must keep the exact text:\n%s", js.Body)
		}
		dict := s.get("/api/v1/cycles/2026-2028/exports/dizionario-dati.csv", rpct)
		noFormulaCells("dizionario-dati.csv", dict.Body.Bytes())
		if !strings.Contains(dict.Body.String(), "apostrofo") {
			t.Fatalf("the data dictionary does not document the escaping:\n%s", dict.Body)
		}

		ente, _ := s.store.EnteByCode(context.Background(), "cciaa-basilicata")
		if err := s.store.WithTx(context.Background(), func(tx *store.Store) error {
			return tx.AppendAudit(context.Background(), &domain.AuditRecord{EnteID: ente.ID, At: domain.AuditTime(time.Now()),
				ActorID: "x", ActorName: formula, Entity: "assessment", EntityID: "-1+1", Action: "save", After: "{}"})
		}); err != nil {
			t.Fatal(err)
		}
		oiv := s.login("oiv")
		trail := s.get("/api/v1/audit/export?format=csv", oiv)
		if !strings.Contains(trail.Body.String(), `'=HYPERLINK(""http://evil.example""`) || !strings.Contains(trail.Body.String(), "'-1+1") {
			t.Fatalf("audit CSV not escaped:\n%s", trail.Body)
		}
		noFormulaCells("audit csv", trail.Body.Bytes())
		if !strings.Contains(s.get("/api/v1/audit/export?format=json", oiv).Body.String(), `"actor_name":"=HYPERLINK(\"http://evil.example\",\"clic\")"`) {
			t.Fatal("the audit JSON must keep the exact text")
		}
	})
}

// Audit filters of a wrong shape answer 422 naming the parameter instead of an empty trail.
func TestAuditFiltersAreValidated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		oiv := s.login("oiv")
		for _, c := range []struct{ query, field string }{
			{"entity=Bogus!", "entity"}, {"action=DROP%20TABLE", "action"}, {"from=31/12/2026", "from"},
			{"to=2026-13-45", "to"}, {"page=abc", "page"}, {"page_size=1e3", "page_size"},
		} {
			for _, base := range []string{"/api/v1/audit?", "/api/v1/audit/export?format=json&"} {
				if strings.Contains(base, "export") && strings.HasPrefix(c.query, "page") {
					continue
				}
				p := decodeProblem(t, s.get(base+c.query, oiv), 422, "filter_invalid")
				if p.Errors[0].Field != c.field {
					t.Errorf("%s%s: %+v", base, c.query, p.Errors)
				}
			}
		}
		for _, ok := range []string{"entity=assessment&action=save", "from=2026-01-01&to=2026-12-31", "from=2026-01-01T10:00:00Z", "page=2&page_size=10"} {
			if rec := s.get("/api/v1/audit?"+ok, oiv); rec.Code != 200 {
				t.Errorf("%s: %d %s", ok, rec.Code, rec.Body)
			}
		}
	})
}
