package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// The programme and the transparency grid over HTTP: created, read by the OIV, a stale write is a 409 with
// the current version, a bad field a 422 naming it, a delete needs the version read.
func TestProgrammeAndTransparencyHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct, oiv := s.login("rpct"), s.login("oiv")
		body := `{"code":"MG99","type":"T06","title":"Formazione dei neoassunti","unit":"AD1","start":"2026-02-01","end":"2026-12-31",
			"phases":[{"title":"Corso","deadline":"2026-06-30"}],"indicators":[{"name":"neoassunti formati / neoassunti","target":"100%"}],
			"areas":["A"],"processes":[]}`
		rec := s.do(request{method: "POST", path: "/api/v1/cycles/2026-2028/general-measures", token: rpct, body: body})
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		var pm struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &pm)
		rec = s.get("/api/v1/cycles/2026-2028/general-measures", oiv)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Formazione dei neoassunti") {
			t.Fatalf("the OIV reads: %d", rec.Code)
		}
		upd := strings.Replace(body, `"code":"MG99"`, `"code":"MG99","version":1`, 1)
		if rec = s.do(request{method: "PUT", path: "/api/v1/cycles/2026-2028/general-measures/" + pm.ID, token: rpct, body: upd}); rec.Code != 200 {
			t.Fatalf("update: %d %s", rec.Code, rec.Body)
		}
		rec = s.do(request{method: "PUT", path: "/api/v1/cycles/2026-2028/general-measures/" + pm.ID, token: rpct, body: upd})
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), `"current_version":2`) {
			t.Fatalf("stale: %d %s", rec.Code, rec.Body)
		}
		bad := strings.Replace(body, `"unit":"AD1"`, `"unit":"NOPE"`, 1)
		rec = s.do(request{method: "POST", path: "/api/v1/cycles/2026-2028/general-measures", token: rpct, body: strings.Replace(bad, "MG99", "MG98", 1)})
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), `"unit"`) {
			t.Fatalf("bad unit: %d %s", rec.Code, rec.Body)
		}
		if rec = s.do(request{method: "DELETE", path: "/api/v1/cycles/2026-2028/general-measures/" + pm.ID, token: rpct}); rec.Code != 422 {
			t.Fatalf("delete without version: %d", rec.Code)
		}
		if rec = s.do(request{method: "DELETE", path: "/api/v1/cycles/2026-2028/general-measures/" + pm.ID + "?version=2", token: rpct}); rec.Code != 204 {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}

		rec = s.get("/api/v1/cycles/2026-2028/transparency/obligations", oiv)
		var grid []struct {
			ID, Code string
			Version  int64
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &grid) != nil || len(grid) < 50 {
			t.Fatalf("grid: %d", rec.Code)
		}
		rec = s.do(request{method: "PUT", path: "/api/v1/transparency/civic-access", token: rpct,
			body: `{"year":2026,"kind":"generalizzato","received":4,"accepted":3,"refused":0,"pending":1,"version":0}`})
		if rec.Code != 200 {
			t.Fatalf("civic access: %d %s", rec.Code, rec.Body)
		}
		rec = s.do(request{method: "PUT", path: "/api/v1/cycles/2026-2028/transparency/obligations/" + grid[0].ID, token: rpct,
			body: `{"code":"` + grid[0].Code + `","section":"Disposizioni generali","obligation":"Piano","version":` + strconv.FormatInt(grid[0].Version-1, 10) + `}`})
		if rec.Code != http.StatusConflict {
			t.Fatalf("stale obligation: %d %s", rec.Code, rec.Body)
		}
	})
}
