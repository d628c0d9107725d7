package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestMeasureFactorsAndCostHTTP: over the API, a programme measure's cost note and enabling factors and an
// assessment measure's factors go in and come back; an unknown factor is a 422 naming its field; the RPCT
// edits a catalogue general measure's factors (a director may not; a stale version is a 409).
func TestMeasureFactorsAndCostHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct, oiv, dir2 := s.login("rpct"), s.login("oiv"), s.login("dir2")
		body := `{"code":"MG97","type":"T06","title":"Formazione sul codice di comportamento","unit":"AD1",
			"cost_note":"Docenti interni: nessun costo aggiuntivo","enabling_factors":["FA-g","NOPE"],"areas":[],"processes":[]}`
		rec := s.do(request{method: "POST", path: "/api/v1/cycles/2026-2028/general-measures", token: rpct, body: body})
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), `"field":"enabling_factors[1]"`) {
			t.Fatalf("unknown factor: %d %s", rec.Code, rec.Body)
		}
		rec = s.do(request{method: "POST", path: "/api/v1/cycles/2026-2028/general-measures", token: rpct, body: strings.Replace(body, `,"NOPE"`, `,"FA-e"`, 1)})
		if rec.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		rec = s.get("/api/v1/cycles/2026-2028/general-measures", oiv)
		var list []struct {
			Code            string   `json:"code"`
			CostNote        string   `json:"cost_note"`
			EnablingFactors []string `json:"enabling_factors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
			t.Fatalf("%v %s", err, rec.Body)
		}
		found := false
		for _, m := range list {
			found = found || (m.Code == "MG97" && m.CostNote == "Docenti interni: nessun costo aggiuntivo" && strings.Join(m.EnablingFactors, ",") == "FA-g,FA-e")
		}
		if !found {
			t.Fatalf("read back: %s", rec.Body)
		}

		// An assessment's measure names the factors it addresses.
		rec = s.get("/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", dir2)
		var a map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || rec.Code != 200 {
			t.Fatalf("read: %d %s", rec.Code, rec.Body)
		}
		put := func(factors string) *struct {
			code int
			body string
		} {
			doc := fmt.Sprintf(`{"version":%v,"risks":[{"event_description":"Il funzionario favorisce un richiedente","context":"","enabling_factors":["FA-a"],
				"inherent":{"values":[],"reason":""},"measures":["m1"]}],
				"measures":[{"key":"m1","nature":"specific","type":"T01","title":"Doppia firma sui provvedimenti","enabling_factors":%s}]}`, a["version"], factors)
			r := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", token: dir2, body: doc})
			return &struct {
				code int
				body string
			}{r.Code, r.Body.String()}
		}
		if r := put(`["FA-a","FA-?"]`); r.code != 422 || !strings.Contains(r.body, `"field":"measures[0].enabling_factors[1]"`) {
			t.Fatalf("unknown factor on a measure: %d %s", r.code, r.body)
		}
		if r := put(`["FA-a","FA-d"]`); r.code != 200 || !strings.Contains(r.body, `"enabling_factors":["FA-a","FA-d"]`) {
			t.Fatalf("save: %d %s", r.code, r.body)
		}
		if rec = s.get("/api/v1/cycles/2026-2028/nodes/C1.1.1.1/assessment", oiv); !strings.Contains(rec.Body.String(), `"enabling_factors":["FA-a","FA-d"]`) {
			t.Fatalf("read back: %s", rec.Body)
		}

		// The catalogue's general measure: the RPCT edits its factors.
		path := "/api/v1/catalogue/general-measures/MG09/enabling-factors"
		if rec = s.do(request{method: http.MethodPut, path: path, token: dir2, body: `{"enabling_factors":["FA-f"],"version":1}`}); rec.Code != http.StatusForbidden {
			t.Fatalf("a director: %d", rec.Code)
		}
		if rec = s.do(request{method: http.MethodPut, path: path, token: rpct, body: `{"enabling_factors":["FA-f","FA-zz"],"version":1}`}); rec.Code != 422 ||
			!strings.Contains(rec.Body.String(), `"field":"enabling_factors[1]"`) {
			t.Fatalf("unknown factor: %d %s", rec.Code, rec.Body)
		}
		if rec = s.do(request{method: http.MethodPut, path: path, token: rpct, body: `{"enabling_factors":["FA-f","FA-b"],"version":1}`}); rec.Code != 200 ||
			!strings.Contains(rec.Body.String(), `"enabling_factors":["FA-f","FA-b"]`) || !strings.Contains(rec.Body.String(), `"version":2`) {
			t.Fatalf("edit: %d %s", rec.Code, rec.Body)
		}
		if rec = s.do(request{method: http.MethodPut, path: path, token: rpct, body: `{"enabling_factors":[],"version":1}`}); rec.Code != http.StatusConflict {
			t.Fatalf("stale: %d %s", rec.Code, rec.Body)
		}
		if rec = s.get("/api/v1/audit?entity=general_measure&action=update_factors", rpct); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"total":1`) {
			t.Fatalf("audit: %d %s", rec.Code, rec.Body)
		}
	})
}
