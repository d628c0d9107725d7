package httpapi_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/httpapi"
)

// The callers of the matrix: anonymous, the seven demo users of cciaa-basilicata, and two users of another
// ente (x-rpct, x-dir) for whom every resource of the demo ente is another ente's.
var callers = []string{"anon", "admin", "rpct", "oiv", "dir1", "dir2", "dir3", "ref2", "x-rpct", "x-dir"}

// expect builds a caller -> status table from a default and exceptions.
func expect(def int, except map[string]int) map[string]int {
	out := map[string]int{}
	for _, c := range callers {
		out[c] = def
		if v, ok := except[c]; ok {
			out[c] = v
		}
	}
	return out
}

// signedIn: 401 for anonymous, def for everyone else, with exceptions.
func signedIn(def int, except map[string]int) map[string]int {
	e := expect(def, except)
	e["anon"] = http.StatusUnauthorized
	return e
}

// managers: the answer for admin and rpct of the demo ente (own), x-rpct (other ente), 403 for the rest.
func managers(own, other int) map[string]int {
	e := signedIn(http.StatusForbidden, nil)
	e["admin"], e["rpct"], e["x-rpct"] = own, own, other
	return e
}

// catalogueWriters: the RPCT (of either ente) writes catalogues and methodology, everyone else is refused.
func catalogueWriters(status int, except ...map[string]int) map[string]int {
	e := signedIn(http.StatusForbidden, nil)
	e["rpct"], e["x-rpct"] = status, status
	for _, m := range except {
		for k, v := range m {
			e[k] = v
		}
	}
	return e
}

// registerReaders: everyone but the technical administrator reads the register; another ente's users find
// nothing (404).
func registerReaders(status int, except ...map[string]int) map[string]int {
	e := signedIn(status, map[string]int{"admin": http.StatusForbidden, "x-rpct": http.StatusNotFound, "x-dir": http.StatusNotFound})
	for _, m := range except {
		for k, v := range m {
			e[k] = v
		}
	}
	return e
}

// auditors: the RPCT and the OIV read the trail (their own ente's: x-rpct reads cciaa-altra's).
func auditors() map[string]int {
	return signedIn(http.StatusForbidden, map[string]int{"rpct": 200, "oiv": 200, "x-rpct": 200})
}

// except overrides some callers' answers in a table.
func except(e map[string]int, over map[string]int) map[string]int {
	for k, v := range over {
		e[k] = v
	}
	return e
}

type matrixCase struct {
	method, path, body string
	fresh              bool // the request closes its session: sign in anew for it
	want               map[string]int
}

// TestHTTPMatrix sends every route as every caller and checks the status: deny unless the policy allows,
// 404 (never 403 or 200) for another ente's resources, 401 without a valid token.
func TestHTTPMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		dir2 := s.userID("dir2")
		// Separation of duties: the accounts of the RPCT and the OIV, the admin's own grants.
		adminID, rpctID, oivID := s.userID("admin"), s.userID("rpct"), s.userID("oiv")
		rpctGrant := s.grantID("rpct", domain.RoleRPCT)
		strongPassword := `{"password":"una-frase-lunga-e-sicura"}`
		missing := uuid.NewString()
		cases := []matrixCase{
			{"GET", "/healthz", "", false, expect(200, nil)},
			{"GET", "/readyz", "", false, expect(200, nil)},
			{"GET", "/api/v1/openapi.json", "", false, expect(200, nil)},
			{"POST", "/api/v1/auth/login", loginBody("{who}", "wrong-password-123"), false, expect(401, nil)},
			{"POST", "/api/v1/auth/refresh", `{"refresh_token":"argr_nope"}`, false, expect(401, nil)},
			{"POST", "/api/v1/auth/logout", "", true, signedIn(204, nil)},
			{"GET", "/api/v1/me", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/me/password", `{"current_password":"wrong-password-1","new_password":"another-long-pass-9"}`, false, signedIn(422, nil)},
			{"POST", "/api/v1/auth/mfa", `{"mfa_token":"nope","code":"123456"}`, false, expect(401, nil)},
			// Single sign-on is not configured on the matrix's server: the list is empty, the flows name no provider.
			{"GET", "/api/v1/auth/oidc/providers", "", false, expect(200, nil)},
			{"GET", "/api/v1/auth/oidc/cciaa-basilicata/login", "", false, expect(404, nil)},
			{"GET", "/api/v1/auth/oidc/cciaa-basilicata/callback?code=x&state=y", "", false, expect(404, nil)},
			{"GET", "/api/v1/me/sessions", "", false, signedIn(200, nil)},
			{"DELETE", "/api/v1/me/sessions/" + missing, "", false, signedIn(404, nil)},
			{"GET", "/api/v1/me/mfa", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/me/mfa/totp", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/me/mfa/totp/confirm", `{"code":""}`, false, signedIn(422, nil)},
			{"GET", "/api/v1/cycles", "", false, signedIn(200, nil)},
			{"GET", "/api/v1/cycles/2026-2028/process-map", "", false, signedIn(200, map[string]int{"x-rpct": 404, "x-dir": 404})},
			{"GET", "/api/v1/cycles/2026-2028/nodes?q=registro", "", false, signedIn(200, map[string]int{"x-rpct": 404, "x-dir": 404})},
			{"GET", "/api/v1/cycles/2026-2028/nodes/C1.1.1", "", false, signedIn(200, map[string]int{"x-rpct": 404, "x-dir": 404})},
			{"GET", "/api/v1/cycles/" + otherCycle + "/process-map", "", false, signedIn(404, map[string]int{"x-rpct": 200, "x-dir": 200})},
			{"GET", "/api/v1/catalogue/risk-events?risk_area=D", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/catalogue/risk-events", `{"code":"??"}`, false, catalogueWriters(422)},
			{"PATCH", "/api/v1/catalogue/risk-events/ER-D-01", `{"description":"x","version":1}`, false, catalogueWriters(422)},
			{"PATCH", "/api/v1/catalogue/risk-events/NO-SUCH", `{"description":"x","version":1}`, false, catalogueWriters(404)},
			{"GET", "/api/v1/catalogue/enabling-factors", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/catalogue/enabling-factors", `{"code":""}`, false, catalogueWriters(422)},
			{"GET", "/api/v1/catalogue/measure-types", "", false, signedIn(200, nil)},
			{"GET", "/api/v1/catalogue/general-measures", "", false, signedIn(200, nil)},
			{"PUT", "/api/v1/catalogue/general-measures/MG01/enabling-factors", `{"enabling_factors":["NO-SUCH"],"version":1}`, false, catalogueWriters(422)},
			{"PUT", "/api/v1/catalogue/general-measures/NO-SUCH/enabling-factors", `{"enabling_factors":[],"version":1}`, false, catalogueWriters(404)},
			{"GET", "/api/v1/methodology/profiles", "", false, signedIn(200, nil)},
			{"GET", "/api/v1/cycles/2026-2028/methodology", "", false, signedIn(200, map[string]int{"x-rpct": 404, "x-dir": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/methodology", `{"profile_code":"nope","version":0}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/methodology/score", `{"values":[],"reason":""}`, false, signedIn(422, map[string]int{"x-rpct": 404, "x-dir": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/methodology/wording", `{"profile":{},"version":0}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/methodology/ente-profiles", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/methodology/ente-profiles", `{"profile":{"code":"x"}}`, false, catalogueWriters(422)},
			{"GET", "/api/v1/methodology/ente-profiles/nope", "", false, signedIn(404, nil)},
			{"PUT", "/api/v1/methodology/ente-profiles/nope", `{"profile":{},"version":1}`, false, catalogueWriters(404)},
			{"POST", "/api/v1/methodology/preview", `{"profile":{},"examples":[]}`, false, signedIn(422, nil)},
			{"GET", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", "", false, registerReaders(200)},
			{"GET", "/api/v1/cycles/2026-2028/nodes/C1.1/assessment", "", false, registerReaders(409)},
			// C1.1.1.1 belongs to Area 2: only dir2 and ref2 may write it (an empty body is then refused as invalid).
			{"PUT", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", `{"version":0,"risks":[{"decision":"x"}],"measures":[]}`, false,
				signedIn(403, map[string]int{"dir2": 422, "ref2": 422, "x-dir": 404})},
			{"GET", "/api/v1/cycles/2026-2028/register?unit=AD2", "", false, registerReaders(200)},
			{"GET", "/api/v1/cycles/2026-2028/heatmap", "", false, registerReaders(200)},
			{"POST", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment/transitions", `{"action":"approve"}`, false,
				registerReaders(403, map[string]int{"rpct": 409})}, // only the RPCT may approve; the demo draft is not submitted
			{"POST", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment/transitions", `{"action":"fly"}`, false, registerReaders(422)},
			{"POST", "/api/v1/cycles/2026-2028/assessments/transitions", `{"action":"approve","nodes":["NOPE"]}`, false, registerReaders(200)},
			{"GET", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment/comments", "", false, registerReaders(200)},
			{"POST", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment/comments", `{"body":""}`, false,
				registerReaders(403, map[string]int{"rpct": 422, "dir2": 422, "ref2": 422})},
			{"GET", "/api/v1/cycles/2026-2028/progress", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/campaign", `{"deadline":"31/03/2026"}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/exclusions", `{"node":"C1.1.1.1","reason":""}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/exclusions", `{"nodes":["C1.1.1.1","C1.1"],"reason":""}`, false, catalogueWriters(422)},
			{"DELETE", "/api/v1/cycles/2026-2028/exclusions/C1.1.1.1", "", false, catalogueWriters(404)}, // the demo excludes nothing
			{"GET", "/api/v1/cycles/2026-2028/leaves?mine=true", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/lead-unit", `{"unit":"NOPE"}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			// Hand-off, copy and measure links: the route lets directors and referenti through, the service checks
			// the leaf (C1.1 is not one), the body, the measure.
			{"POST", "/api/v1/cycles/2026-2028/nodes/C1.1/assessment/hand-off", "", false,
				signedIn(403, map[string]int{"dir1": 409, "dir2": 409, "dir3": 409, "ref2": 409, "x-dir": 404})},
			{"DELETE", "/api/v1/cycles/2026-2028/nodes/C1.1/assessment/hand-off", "", false,
				signedIn(403, map[string]int{"dir1": 409, "dir2": 409, "dir3": 409, "ref2": 409, "x-dir": 404})},
			{"POST", "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment/copy", `{"targets":[]}`, false,
				signedIn(403, map[string]int{"dir1": 422, "dir2": 422, "dir3": 422, "ref2": 422, "x-dir": 422})},
			{"POST", "/api/v1/cycles/2026-2028/measures/NOPE/links", `{"targets":["C1.1.1.1"]}`, false,
				signedIn(403, map[string]int{"dir1": 404, "dir2": 404, "dir3": 404, "ref2": 404, "x-dir": 404})},
			{"POST", "/api/v1/cycles/2026-2028/consolidate", "", false, catalogueWriters(409, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/adopt", `{"deliberation_number":"","deliberation_date":""}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/publish", `{"url":"https://x.example","date":"2027-02-01"}`, false, catalogueWriters(409, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/snapshot", "", false, registerReaders(404)},
			{"POST", "/api/v1/cycles/2027-2029/roll-forward", `{"from":"2026-2028"}`, false, catalogueWriters(409, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/revision", "", false, catalogueWriters(409, map[string]int{"x-rpct": 404})},
			// The roll-forward's reviews and the cycle's assessed level are the RPCT's; bad bodies are refused first.
			{"GET", "/api/v1/cycles/2026-2028/roll-forward/reviews", "", false, catalogueWriters(200, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/roll-forward/reviews", `{"decisions":[]}`, false, catalogueWriters(422)},
			{"PUT", "/api/v1/cycles/2026-2028/granularity", `{"granularity":"bogus","version":1}`, false, catalogueWriters(422)},
			{"GET", "/api/v1/cycles/2026-2028/oiv-notes", "", false, signedIn(403, map[string]int{"rpct": 200, "oiv": 200, "x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/oiv-notes", `{"target_kind":"node","target":"NOPE","body":"rilievo"}`, false, signedIn(403, map[string]int{"oiv": 422})},
			{"GET", "/api/v1/cycles/2026-2028/exports/registro.csv", "", false, registerReaders(200)},
			{"GET", "/api/v1/cycles/2026-2028/exports/registro.odt", "", false, registerReaders(200)},
			// The year-over-year comparison: the demo cycle compared with itself is a bad request.
			{"GET", "/api/v1/cycles/2026-2028/comparison?with=2026-2028", "", false, registerReaders(422)},
			// The register import is the RPCT's; a body that is not multipart is refused before anything is read.
			{"POST", "/api/v1/cycles/2026-2028/register-imports?dry_run=true", `{}`, false, catalogueWriters(422)},
			{"GET", "/api/v1/cycles/2026-2028/register-imports/registro-modello.xlsx", "", false, catalogueWriters(200, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/register-import-mapping", "", false, catalogueWriters(200)},
			{"PUT", "/api/v1/register-import-mapping", `{"columns":{"bogus":"Colonna"},"version":0}`, false, catalogueWriters(422)},
			{"GET", "/api/v1/cycles/2026-2028/dashboard", "", false, registerReaders(200)},
			// The demo ships a monitoring plan for its open cycle; another ente's people do not see it.
			{"GET", "/api/v1/cycles/2026-2028/monitoring/plan", "", false, signedIn(200, map[string]int{"admin": 403, "x-rpct": 404, "x-dir": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/monitoring/plan", `{"frequency":"","sample_percent":200}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/monitoring/rounds", `{"reference_date":"30/06"}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/rounds", "", false, signedIn(200, map[string]int{"admin": 403, "x-rpct": 404, "x-dir": 404})},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30", "", false, signedIn(404, map[string]int{"admin": 403})},
			{"PUT", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/measures/NOPE", `{"status":"attuata"}`, false,
				signedIn(403, map[string]int{"dir1": 404, "dir2": 404, "dir3": 404, "ref2": 404, "x-dir": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/measures/NOPE/check", `{"check_outcome":"confermato"}`, false, catalogueWriters(404)},
			{"POST", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/sample", `{}`, false, catalogueWriters(404)},
			{"POST", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/close", "", false, catalogueWriters(404)},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/suggestions", "", false, registerReaders(200)},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/measures/NOPE", "", false, signedIn(404, map[string]int{"admin": 403})},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/report.xlsx", "", false, signedIn(404, map[string]int{"admin": 403})},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/report.pdf", "", false, signedIn(404, map[string]int{"admin": 403})},
			{"POST", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/measures/NOPE/evidence", "", false,
				signedIn(403, map[string]int{"dir1": 422, "dir2": 422, "dir3": 422, "ref2": 422, "x-dir": 422})},
			{"GET", "/api/v1/evidence/" + missing, "", false, signedIn(404, map[string]int{"admin": 403})},
			{"DELETE", "/api/v1/evidence/" + missing, "", false, signedIn(403, map[string]int{"dir1": 404, "dir2": 404, "dir3": 404, "ref2": 404, "x-dir": 404})},
			{"GET", "/api/v1/cycles/2026-2028/sottosezione/exports/sottosezione.odt", "", false, registerReaders(200)},
			{"GET", "/api/v1/cycles/2026-2028/sottosezione/exports/piattaforma-anac.xlsx", "", false, registerReaders(200)},
			{"GET", "/api/v1/cycles/2026-2028/sottosezione/context", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/sottosezione/context", `{"version":0,"content":{"external":{"text":"","items":[{"category":"nope"}]},"internal":{"text":"","items":[]}}}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/sottosezione/objectives", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/sottosezione/objectives", `{"version":0,"content":{"act":"","objectives":[{"code":""}]}}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/sottosezione/consultation", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/sottosezione/consultation", `{"version":0,"content":{"channel":"piccione"}}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/sottosezione/riesame", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/sottosezione/riesame", `{"version":0,"content":{"year":1}}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/sottosezione/self-check", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/sottosezione/self-check", `{"version":0,"content":{"questions":[{"theme":"x"}]}}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/nodes/C1.1/description", "", false, registerReaders(200)},
			{"PUT", "/api/v1/cycles/2026-2028/nodes/C1.1/description", `{"input":"x","version":999}`, false, catalogueWriters(409, map[string]int{"x-rpct": 404})},
			{"GET", "/api/v1/sottosezione/settings", "", false, signedIn(200, nil)},
			{"PUT", "/api/v1/sottosezione/settings", `{"simplified":true,"headcount":99,"headcount_date":"2025-12-31","version":0}`, false, catalogueWriters(422)},
			// The programme of general measures and the transparency section (the demo has both; no round yet).
			{"GET", "/api/v1/cycles/2026-2028/general-measures", "", false, registerReaders(200)},
			{"POST", "/api/v1/cycles/2026-2028/general-measures", `{"code":""}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/general-measures/link-by-code", "", false, catalogueWriters(200, map[string]int{"x-rpct": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/general-measures/" + missing, `{"code":"MG99","title":"x","version":1}`, false, catalogueWriters(404)},
			{"DELETE", "/api/v1/cycles/2026-2028/general-measures/" + missing + "?version=1", "", false, catalogueWriters(404)},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/general-measures", "", false, signedIn(404, map[string]int{"admin": 403})},
			{"PUT", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/general-measures/" + missing, `{"status":"attuata"}`, false,
				signedIn(403, map[string]int{"dir1": 404, "dir2": 404, "dir3": 404, "ref2": 404, "x-dir": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/general-measures/" + missing + "/check", `{"check_outcome":"confermato","version":1}`, false, catalogueWriters(404)},
			{"GET", "/api/v1/cycles/2026-2028/transparency/obligations", "", false, registerReaders(200)},
			{"POST", "/api/v1/cycles/2026-2028/transparency/obligations", `{"code":""}`, false, catalogueWriters(422, map[string]int{"x-rpct": 404})},
			{"POST", "/api/v1/cycles/2026-2028/transparency/obligations/seed", "", false, catalogueWriters(409, map[string]int{"x-rpct": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/transparency/obligations/" + missing, `{"code":"AT-999","section":"x","obligation":"y","version":1}`, false, catalogueWriters(404)},
			{"DELETE", "/api/v1/cycles/2026-2028/transparency/obligations/" + missing + "?version=1", "", false, catalogueWriters(404)},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/publication", "", false, signedIn(404, map[string]int{"admin": 403})},
			{"PUT", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/publication/" + missing, `{"published":2}`, false,
				signedIn(403, map[string]int{"rpct": 404, "oiv": 404, "x-rpct": 404})},
			{"GET", "/api/v1/cycles/2026-2028/monitoring/rounds/2026-06-30/oiv-grid.xlsx", "", false, signedIn(404, map[string]int{"admin": 403})},
			{"GET", "/api/v1/transparency/civic-access", "", false, signedIn(200, map[string]int{"admin": 403})},
			{"PUT", "/api/v1/transparency/civic-access", `{"year":1990,"kind":"bogus"}`, false, catalogueWriters(422)},
			{"GET", "/api/v1/audit?entity=user", "", false, auditors()},
			{"GET", "/api/v1/audit/verify", "", false, auditors()},
			{"GET", "/api/v1/audit/export?format=json", "", false, auditors()},
			// This server signs no checkpoints: the auditors learn there is none, the others may not ask.
			{"GET", "/api/v1/audit/checkpoints/latest", "", false, signedIn(403, map[string]int{"rpct": 404, "oiv": 404, "x-rpct": 404})},
			{"GET", "/api/v1/audit/public-key", "", false, signedIn(403, map[string]int{"rpct": 404, "oiv": 404, "x-rpct": 404})},
			{"GET", "/api/v1/users", "", false, managers(200, 200)},
			{"POST", "/api/v1/users", `{"username":"Bad Name","password":"short"}`, false, managers(422, 422)},
			{"GET", "/api/v1/users/" + dir2, "", false, managers(200, 404)},
			{"PATCH", "/api/v1/users/" + dir2, `{"full_name":"x","email":"not-an-email","version":1}`, false, managers(422, 404)},
			{"POST", "/api/v1/users/" + dir2 + "/grants", `{"role":"bogus"}`, false, managers(422, 404)},
			{"DELETE", "/api/v1/users/" + dir2 + "/grants/" + missing, "", false, managers(404, 404)},
			{"POST", "/api/v1/users/" + missing + "/disable", "", false, managers(404, 404)},
			{"POST", "/api/v1/users/" + dir2 + "/enable", "", false, managers(200, 404)},
			{"POST", "/api/v1/users/" + dir2 + "/password", `{"password":"short"}`, false, managers(422, 404)},
			{"GET", "/api/v1/users/" + dir2 + "/sessions", "", false, managers(200, 404)},
			{"DELETE", "/api/v1/users/" + missing + "/sessions", "", false, managers(404, 404)},
			{"DELETE", "/api/v1/users/" + oivID + "/sessions", "", false, managers(403, 404)},
			{"GET", "/api/v1/users/" + rpctID + "/sessions", "", false, except(managers(403, 404), map[string]int{"rpct": 200})},
			// Nobody alone changes RPCT or OIV accounts or roles, nor their own grants (section 3 of issue 12).
			{"POST", "/api/v1/users/" + rpctID + "/password", strongPassword, false, managers(403, 404)},
			{"POST", "/api/v1/users/" + rpctID + "/disable", "", false, except(managers(403, 404), map[string]int{"rpct": 409})},
			{"POST", "/api/v1/users/" + oivID + "/password", strongPassword, false, managers(403, 404)},
			{"POST", "/api/v1/users/" + oivID + "/grants", `{"role":"director","unit":"AD1"}`, false, managers(403, 404)},
			{"POST", "/api/v1/users/" + adminID + "/grants", `{"role":"director","unit":"AD1"}`, false, except(managers(403, 404), map[string]int{"rpct": 422})},
			{"DELETE", "/api/v1/users/" + rpctID + "/grants/" + rpctGrant, "", false, managers(403, 404)},
			{"POST", "/api/v1/users/" + dir2 + "/grants", `{"role":"rpct"}`, false, managers(403, 404)},
			{"GET", "/api/v1/privileged-requests", "", false, managers(200, 200)},
			{"POST", "/api/v1/privileged-requests", `{"kind":"bogus","target_id":""}`, false, managers(422, 422)},
			{"POST", "/api/v1/privileged-requests", `{"kind":"revoke_rpct","target_id":"` + rpctID + `"}`, false, except(managers(409, 404), map[string]int{"rpct": 403})},
			{"POST", "/api/v1/privileged-requests", `{"kind":"reset_password_oiv","target_id":"` + oivID + `"}`, false, except(managers(201, 404), map[string]int{"rpct": 403})},
			{"POST", "/api/v1/privileged-requests/" + missing + "/confirm", "", false, managers(404, 404)},
			{"POST", "/api/v1/privileged-requests/" + missing + "/reject", "", false, managers(404, 404)},
			// Notifications: everyone's own inbox and preferences; the outbox is the administrator's.
			{"GET", "/api/v1/me/notifications?page=1&page_size=10", "", false, signedIn(200, nil)},
			{"GET", "/api/v1/me/notifications/unread-count", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/me/notifications/read-all", "", false, signedIn(200, nil)},
			{"POST", "/api/v1/me/notifications/" + missing + "/read", "", false, signedIn(404, nil)},
			{"GET", "/api/v1/me/notification-preferences", "", false, signedIn(200, nil)},
			{"PUT", "/api/v1/me/notification-preferences", `{"digest":"hourly","version":0}`, false, signedIn(422, nil)},
			{"GET", "/api/v1/notifications/outbox", "", false, signedIn(403, map[string]int{"admin": 200})},
			{"POST", "/api/v1/notifications/outbox/" + missing + "/resend", "", false, signedIn(403, map[string]int{"admin": 404})},
			{"GET", "/api/v1/cycles/2026-2028/calendar", "", false, signedIn(200, map[string]int{"x-rpct": 404, "x-dir": 404})},
			{"PUT", "/api/v1/cycles/2026-2028/calendar", `{"items":[{"phase":"bogus","due_on":"x"}],"version":0}`, false, signedIn(403, map[string]int{"rpct": 422, "x-rpct": 404})},
		}
		covered := map[string]bool{}
		for _, c := range cases {
			route := c.method + " " + strings.SplitN(c.path, "?", 2)[0]
			covered[route] = true
			for _, who := range callers {
				token := ""
				switch {
				case who == "anon":
				case c.fresh:
					token = s.freshLogin(who, "argine-demo-2026").AccessToken
				default:
					token = s.login(who)
				}
				addr := ""
				if c.path == "/api/v1/auth/login" {
					// Each caller's wrong password comes from its own address: the per-address sign-in throttle
					// would otherwise lock the one address every other request of the matrix comes from.
					addr = "203.0.113." + strconv.Itoa(slices.Index(callers, who)+1) + ":1"
				}
				rec := s.do(request{method: c.method, path: c.path, body: strings.ReplaceAll(c.body, "{who}", who), token: token, addr: addr})
				if rec.Code != c.want[who] {
					t.Errorf("%s as %s: status %d, want %d (%s)", route, who, rec.Code, c.want[who], strings.TrimSpace(rec.Body.String()))
				}
			}
		}
		// Every route of the table appears in the matrix (with its parameters filled in).
		for _, r := range httpapi.RouteTable() {
			found := false
			for route := range covered {
				if matchRoute(r.Method+" "+r.Path, route) {
					found = true
				}
			}
			if !found {
				t.Errorf("route %s %s is not in the HTTP matrix", r.Method, r.Path)
			}
		}
	})
}

func matchRoute(pattern, route string) bool {
	pp, rp := strings.Split(pattern, "/"), strings.Split(route, "/")
	if len(pp) != len(rp) {
		return false
	}
	for i := range pp {
		if !strings.HasPrefix(pp[i], ":") && pp[i] != rp[i] {
			return false
		}
	}
	return true
}
