package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// readCountGrowth is how many more of each list the larger register has: leaves assessed in the current and in
// the monitored cycle (with their measures, round entries, audit records and notifications), users, comments
// and OIV notes.
const readCountGrowth = 12

// readCountCase is one request of TestEveryReadRouteRunsAFixedNumberOfStatements: a GET of the route table with
// its parameters filled from the data, asked by a user who may read it.
type readCountCase struct {
	path   string // with the parameters filled in (and a query string where the route needs one)
	who    string // demo user asking; "" for a public route
	status int    // expected answer; 200 unless said
}

// readCountData are the identifiers the cases fill the route parameters with, read from the database.
type readCountData struct {
	leaf, measure, evidence, userID, enteProfile string
	roundMeasures                                int // how many measures the monitored round follows
}

// TestEveryReadRouteRunsAFixedNumberOfStatements asks every GET route of the route table (issue 19) on two
// databases holding the demo ente at two register sizes — the demo's register, and the same ente with
// readCountGrowth more assessed leaves in the current and in the monitored cycle, more users, comments and OIV
// notes — and pins that each request runs the same number of statements on both: no read of the API loops over
// the register, its measures, rounds, users or audit records one statement at a time. A GET route added to the
// table without a case here fails the test. The counts are logged as a table (docs/performance.md).
func TestEveryReadRouteRunsAFixedNumberOfStatements(t *testing.T) {
	dbtest.Dialects(t, func(t *testing.T, open func(t testing.TB) *database.DB) {
		small, smallData := readCountServer(t, open(t), 0)
		large, largeData := readCountServer(t, open(t), readCountGrowth)
		if largeData.roundMeasures <= smallData.roundMeasures {
			t.Fatalf("the larger register monitors %d measures, the demo's %d: it did not grow", largeData.roundMeasures, smallData.roundMeasures)
		}
		smallCases, largeCases := readCountCases(smallData), readCountCases(largeData)
		// Every GET route of the table has at least one case.
		for _, r := range httpapi.RouteTable() {
			if r.Method != http.MethodGet {
				continue
			}
			if !slices.ContainsFunc(smallCases, func(c readCountCase) bool {
				return matchRoute(r.Method+" "+r.Path, http.MethodGet+" "+strings.SplitN(c.path, "?", 2)[0])
			}) {
				t.Errorf("GET %s has no case in TestEveryReadRouteRunsAFixedNumberOfStatements: add one", r.Path)
			}
		}
		smallCounts := readCounts(t, small, smallCases)
		largeCounts := readCounts(t, large, largeCases)
		var table strings.Builder
		fmt.Fprintf(&table, "%-90s %6s %6s\n", "GET route (as)", "demo", "larger")
		for i, c := range smallCases {
			route := readCountRoute(c)
			fmt.Fprintf(&table, "%-90s %6d %6d\n", route+" ("+c.who+")", smallCounts[i], largeCounts[i])
			if smallCounts[i] != largeCounts[i] {
				t.Errorf("GET %s: %d statements on the demo register, %d on the larger one: the count grows with the data",
					route, smallCounts[i], largeCounts[i])
			}
		}
		t.Logf("statements per request:\n%s", table.String())
	})
}

// readCountRoute names a case by its route pattern, with the file of the export routes (each file its own
// writer) and the cycle (the live register and the adopted snapshot are read differently).
func readCountRoute(c readCountCase) string {
	path := strings.SplitN(c.path, "?", 2)[0]
	for _, r := range httpapi.RouteTable() {
		if r.Method == http.MethodGet && matchRoute(r.Method+" "+r.Path, http.MethodGet+" "+path) {
			name := r.Path
			parts, pattern := strings.Split(path, "/"), strings.Split(r.Path, "/")
			for i, p := range pattern {
				switch p {
				case ":file", ":cycle", ":date":
					name = strings.Replace(name, p, parts[i], 1)
				}
			}
			return name
		}
	}
	return path
}

// readCounts asks every case once, in order, and returns the statements each ran; the body is read whole
// (the recorder holds all a streaming export wrote).
func readCounts(t *testing.T, s *server, cases []readCountCase) []int64 {
	t.Helper()
	counter := dbtest.CountStatements(t, s.db)
	tokens := map[string]string{}
	for _, c := range cases {
		if c.who != "" && tokens[c.who] == "" {
			tokens[c.who] = s.login(c.who)
			s.get("/api/v1/me", tokens[c.who]) // the session's access is cached from here on, as in use
		}
	}
	out := make([]int64, len(cases))
	for i, c := range cases {
		counter.Reset()
		rec := s.get(c.path, tokens[c.who])
		out[i] = counter.Count()
		want := c.status
		if want == 0 {
			want = http.StatusOK
		}
		if rec.Code != want {
			t.Errorf("GET %s as %s: status %d, want %d: %.300s", c.path, c.who, rec.Code, want, rec.Body.String())
		}
	}
	return out
}

// readCountCases are the requests, one or more per GET route (every file of the export routes).
func readCountCases(d readCountData) []readCountCase {
	const cur, prev = seed.DemoCycle, demo.PreviousCycle
	cy := "/api/v1/cycles/" + cur
	pc := "/api/v1/cycles/" + prev
	round := pc + "/monitoring/rounds/2025-12-31"
	cases := []readCountCase{
		{path: "/healthz"},
		{path: "/readyz"},
		{path: "/api/v1/openapi.json"},
		{path: "/api/v1/me", who: "rpct"},
		{path: "/api/v1/auth/oidc/providers"},
		// Without single sign-on configured the two browser navigations answer without reading anything.
		{path: "/api/v1/auth/oidc/" + seed.DemoEnteCode + "/login", status: http.StatusNotFound},
		{path: "/api/v1/auth/oidc/" + seed.DemoEnteCode + "/callback", status: http.StatusNotFound},
		{path: "/api/v1/me/sessions", who: "rpct"},
		{path: "/api/v1/me/mfa", who: "rpct"},
		{path: "/api/v1/me/notifications?page=1&page_size=50", who: "rpct"},
		{path: "/api/v1/me/notifications/unread-count", who: "rpct"},
		{path: "/api/v1/me/notification-preferences", who: "rpct"},
		{path: "/api/v1/cycles", who: "rpct"},
		{path: cy + "/process-map", who: "rpct"},
		{path: cy + "/nodes?unit=AD2", who: "rpct"},
		{path: cy + "/nodes/" + d.leaf, who: "rpct"},
		{path: "/api/v1/catalogue/risk-events", who: "rpct"},
		{path: "/api/v1/catalogue/enabling-factors", who: "rpct"},
		{path: "/api/v1/catalogue/measure-types", who: "rpct"},
		{path: "/api/v1/catalogue/general-measures", who: "rpct"},
		{path: "/api/v1/methodology/profiles", who: "rpct"},
		{path: cy + "/methodology", who: "rpct"},
		{path: "/api/v1/methodology/ente-profiles", who: "rpct"},
		{path: "/api/v1/methodology/ente-profiles/" + d.enteProfile, who: "rpct"},
		{path: cy + "/nodes/" + d.leaf + "/assessment", who: "rpct"},
		{path: cy + "/nodes/" + d.leaf + "/assessment/comments", who: "rpct"},
		{path: cy + "/progress", who: "rpct"},
		{path: cy + "/calendar", who: "rpct"},
		{path: cy + "/leaves", who: "rpct"},
		{path: pc + "/snapshot", who: "rpct"},
		{path: cy + "/roll-forward/reviews", who: "rpct"},
		{path: cy + "/oiv-notes", who: "oiv"},
		{path: cy + "/register-imports/registro-modello.xlsx", who: "rpct"},
		{path: "/api/v1/register-import-mapping", who: "rpct"},
		{path: cy + "/comparison", who: "rpct"},
		{path: cy + "/dashboard", who: "rpct"},
		{path: pc + "/monitoring/plan", who: "rpct"},
		{path: pc + "/monitoring/rounds", who: "rpct"},
		{path: round, who: "rpct"},
		{path: round + "/report.xlsx", who: "oiv"},
		{path: round + "/report.pdf", who: "oiv"},
		{path: "/api/v1/evidence/" + d.evidence, who: "rpct"},
		{path: cy + "/monitoring/suggestions", who: "rpct"},
		{path: pc + "/monitoring/measures/" + d.measure, who: "oiv"},
		{path: cy + "/register", who: "rpct"},
		{path: pc + "/register", who: "oiv"},
		{path: cy + "/heatmap", who: "rpct"},
		{path: cy + "/sottosezione/context", who: "rpct"},
		{path: cy + "/sottosezione/objectives", who: "rpct"},
		{path: cy + "/sottosezione/consultation", who: "rpct"},
		{path: cy + "/sottosezione/riesame", who: "rpct"},
		{path: cy + "/sottosezione/self-check", who: "rpct"},
		// Descriptions are on processes and sub-processes: the leaf's parent.
		{path: cy + "/nodes/" + d.leaf[:strings.LastIndex(d.leaf, ".")] + "/description", who: "rpct"},
		{path: "/api/v1/sottosezione/settings", who: "rpct"},
		{path: cy + "/general-measures", who: "rpct"},
		{path: round + "/general-measures", who: "rpct"},
		{path: cy + "/transparency/obligations", who: "rpct"},
		{path: round + "/publication", who: "oiv"},
		{path: round + "/oiv-grid.xlsx", who: "oiv"},
		{path: "/api/v1/transparency/civic-access", who: "rpct"},
		{path: "/api/v1/audit?page=1&page_size=50", who: "rpct"},
		{path: "/api/v1/audit/verify", who: "rpct"},
		{path: "/api/v1/audit/export", who: "rpct"},
		{path: "/api/v1/audit/checkpoints/latest", who: "rpct"},
		{path: "/api/v1/audit/public-key", who: "rpct"},
		{path: "/api/v1/users", who: "admin"},
		{path: "/api/v1/users/" + d.userID, who: "admin"},
		{path: "/api/v1/users/" + d.userID + "/sessions", who: "admin"},
		{path: "/api/v1/privileged-requests", who: "admin"},
		{path: "/api/v1/notifications/outbox", who: "admin"},
	}
	// Every file of the export routes, of the live register (open campaign) and of the adopted snapshot. No
	// exception is needed: the live register is read 500 assessed leaves a page (service.exportPage), and both
	// registers here fit in one page; a larger one adds a fixed handful per page (TestExportStatementsConstant).
	for _, c := range []string{cy, pc} {
		for _, f := range []string{"registro.xlsx", "registro.csv", "registro-excel.csv", "registro.json", "dizionario-dati.csv",
			"registro.odt", "registro.docx", "registro.pdf", "relazione-annuale.xlsx"} {
			cases = append(cases, readCountCase{path: c + "/exports/" + f, who: "oiv"})
		}
		for _, f := range []string{"sottosezione.odt", "sottosezione.docx", "sottosezione.pdf", "piattaforma-anac.xlsx", "piattaforma-anac.csv"} {
			cases = append(cases, readCountCase{path: c + "/sottosezione/exports/" + f, who: "oiv"})
		}
	}
	return cases
}

// readCountServer builds the demo ente with its monitored previous cycle (demo.FillPrevious: adopted, its
// year-end round self-assessed with evidence, checked and closed) and, with growth > 0, growth more assessed
// leaves in each cycle, growth more users, comments on the leaf the cases read and OIV notes.
func readCountServer(t *testing.T, db *database.DB, growth int) (*server, readCountData) {
	t.Helper()
	start := time.Now()
	// The built-in PDF engine, and a signed checkpoint of the audit trail (for …/audit/checkpoints/latest,
	// …/public-key, and the verification against it).
	signer, err := auditanchor.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	var audit *service.Audit
	s := newServer(t, db, func(d *httpapi.Deps) {
		d.Documents = document.BuiltinRenderer()
		audit = d.Audit
		d.Audit.SetAnchoring(service.AnchorConfig{Signer: signer, Dir: &auditanchor.Dir{Path: t.TempDir()}, Version: "test"})
	})
	ctx := context.Background()
	az, err := authz.Default()
	if err != nil {
		t.Fatal(err)
	}
	maps := service.NewProcessMaps(s.store, az)
	reg := service.NewRegister(s.store, az, service.NewMethodologies(s.store, az))
	ente, err := s.store.EnteByCode(ctx, seed.DemoEnteCode)
	if err != nil {
		t.Fatal(err)
	}
	if growth > 0 {
		// The previous cycle's map first, with growth leaves assessed beyond those demo.FillPrevious assesses (the
		// first three of each risk area): FillPrevious then approves them all and monitors their measures.
		m, err := seed.BasilicataMap()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := maps.Import(ctx, service.Tenant{EnteID: ente.ID, EnteCode: ente.Code}, demo.PreviousCycle, m); err != nil {
			t.Fatal(err)
		}
		readCountAssessLeaves(t, s, reg, ente, demo.PreviousCycle, growth)
		readCountAssessLeaves(t, s, reg, ente, seed.DemoCycle, growth)
	}
	if err := demo.FillPrevious(ctx, s.store, maps, reg, ente.Code); err != nil {
		t.Fatal(err)
	}
	rpct, admin, oiv := s.login("rpct"), s.login("admin"), s.login("oiv")
	post := func(token, path, body string, want int) {
		t.Helper()
		if rec := s.do(request{method: http.MethodPost, path: path, token: token, body: body}); rec.Code != want {
			t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
	}
	var register struct {
		Items []struct {
			Node string `json:"node"`
		} `json:"items"`
	}
	readCountDecode(t, s.get("/api/v1/cycles/"+seed.DemoCycle+"/register", rpct), &register)
	var d readCountData
	d.leaf = register.Items[0].Node
	profile := domain.PNA2019Qualitative()
	profile.Code, profile.Name = "ente-conteggi", "Metodologia dell'ente"
	body, _ := json.Marshal(map[string]any{"profile": profile})
	post(rpct, "/api/v1/methodology/ente-profiles", string(body), http.StatusCreated)
	d.enteProfile = profile.Code
	d.userID = s.userID("dir2") // not the RPCT's: changing (and listing the sessions of) that account takes a request
	for i := range growth + 1 {
		post(rpct, "/api/v1/cycles/"+seed.DemoCycle+"/nodes/"+d.leaf+"/assessment/comments",
			fmt.Sprintf(`{"body":"Osservazione %d sulla valutazione."}`, i), http.StatusCreated)
		post(oiv, "/api/v1/cycles/"+seed.DemoCycle+"/oiv-notes",
			fmt.Sprintf(`{"target_kind":"cycle","body":"Rilievo %d sui tempi di attuazione."}`, i), http.StatusCreated)
	}
	for i := range growth {
		post(admin, "/api/v1/users", fmt.Sprintf(`{"username":"lettore%d","password":"una-frase-lunga-e-sicura","grants":[{"role":"director","unit":"AD2"}]}`, i), http.StatusCreated)
	}
	var round struct {
		Measures []struct {
			ID       string `json:"id"`
			Evidence []struct {
				ID string `json:"id"`
			} `json:"evidence"`
		} `json:"measures"`
	}
	readCountDecode(t, s.get("/api/v1/cycles/"+demo.PreviousCycle+"/monitoring/rounds/2025-12-31", rpct), &round)
	for _, m := range round.Measures {
		if d.measure == "" {
			d.measure = m.ID
		}
		if len(m.Evidence) > 0 && d.evidence == "" {
			d.evidence = m.Evidence[0].ID
		}
	}
	if d.measure == "" || d.evidence == "" {
		t.Fatalf("the demo round has no measure or evidence: %+v", d)
	}
	d.roundMeasures = len(round.Measures)
	audit.WriteCheckpoints(ctx, "test")
	t.Logf("growth %d: %d measures in the round, built in %s", growth, len(round.Measures), time.Since(start).Round(time.Millisecond))
	return s, d
}

func readCountDecode(t *testing.T, rec interface {
	Result() *http.Response
}, dst any) {
	t.Helper()
	res := rec.Result()
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(dst); err != nil {
		t.Fatal(err)
	}
}

// readCountAssessLeaves saves an assessment (demo.AssessmentFor) of the n last leaves of a cycle without one, as
// the director of each leaf's first unit: far from the first leaves of each area the demo assesses.
func readCountAssessLeaves(t *testing.T, s *server, reg *service.Register, ente *domain.Ente, cycleCode string, n int) {
	t.Helper()
	ctx := context.Background()
	cycle, err := s.store.CycleByCode(ctx, ente.ID, cycleCode)
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := s.store.Nodes(ctx, ente.ID, cycle.ID)
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.store.RiskEvents(ctx, ente.ID, store.RiskEventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	directors := map[string]string{"SG": "dir1", "AD1": "dir1", "AD2": "dir2", "AD3": "dir3"}
	for i := len(nodes) - 1; i >= 0 && n > 0; i-- {
		leaf := nodes[i]
		if !leaf.IsLeaf || len(leaf.Units) == 0 || directors[leaf.Units[0]] == "" {
			continue
		}
		u, err := s.store.UserByUsername(ctx, ente.ID, directors[leaf.Units[0]])
		if err != nil {
			t.Fatal(err)
		}
		actor := domain.Actor{UserID: u.ID, EnteID: ente.ID, EnteCode: ente.Code, Username: u.Username, Grants: u.Grants, GrantsVersion: u.GrantsVersion}
		current, err := reg.Assessment(ctx, actor, cycleCode, leaf.Code)
		if err != nil {
			t.Fatal(err)
		}
		if current.Version > 0 {
			continue
		}
		if _, err := reg.SaveAssessment(ctx, actor, cycleCode, leaf.Code, demo.AssessmentFor(leaf, events, 2, cycle.StartYear)); err != nil {
			t.Fatalf("assessment of %s: %v", leaf.Code, err)
		}
		n--
	}
	if n > 0 {
		t.Fatalf("%d leaves of %s left unassessed: the map has too few", n, cycleCode)
	}
}
