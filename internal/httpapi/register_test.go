package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

const assessmentBody = `{"version":%d,"risks":[{"event_code":"ER-C-01","context":"Sportello del registro",
 "enabling_factors":["FA-b"],"decision":"treat_new_measures","priority":1,"measures":["m1"],
 "inherent":{"reason":"Giudizio motivato sulla base delle evidenze","values":[
  {"code":"KRI-1","value":2,"reason":"r1"},{"code":"KRI-2","value":3,"reason":"r2"},{"code":"KRI-3","value":1,"reason":"r3"},
  {"code":"KRI-4","value":2,"reason":"r4"},{"code":"KRI-5","value":1,"reason":"r5"},{"code":"KRI-6","value":2,"reason":"r6"},
  {"code":"IMP-1","value":2,"reason":"i1"},{"code":"IMP-2","value":1,"reason":"i2"},{"code":"IMP-3","value":1,"reason":"i3"},
  {"code":"IMP-4","value":2,"reason":"i4"}]}}],
 "measures":[{"key":"m1","nature":"specific","type":"T05","title":"Digitalizzazione delle pratiche","unit":"AD2",
  "start":"2026-03-01","end":"2026-11-30","phases":[{"title":"Analisi","deadline":"2026-04-30"}],
  "indicators":[{"name":"pratiche telematiche / totale","baseline":"80%","target":"95%"}]}]}`

func TestAssessmentThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		path := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment" // an Area 2 leaf the demo leaves unassessed
		ref2, dir2 := s.login("ref2"), s.login("dir2")
		rec := s.do(request{method: http.MethodPut, path: path, token: ref2, body: strings.Replace(assessmentBody, "%d", "0", 1)})
		if rec.Code != 200 {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		var saved struct {
			Version int64  `json:"version"`
			Level   string `json:"level"`
			Risks   []struct {
				InherentScore struct{ Level string } `json:"inherent_score"`
			} `json:"risks"`
		}
		decode(t, rec, &saved)
		// Likelihood max(2,3,1,2,1,2) = alto, impact max(2,1,1,2) = medio → alto.
		if saved.Version != 1 || saved.Level != "alto" || saved.Risks[0].InherentScore.Level != "alto" {
			t.Fatalf("saved %s", rec.Body)
		}
		// A second writer still holding version 0 gets 409 with the current version.
		p := decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: dir2, body: strings.Replace(assessmentBody, "%d", "0", 1)}), 409, "version_conflict")
		if p.CurrentVersion != 1 {
			t.Fatalf("current version %d", p.CurrentVersion)
		}
		bad := strings.Replace(strings.Replace(assessmentBody, "%d", "1", 1), `"end":"2026-11-30"`, `"end":"2026-01-01"`, 1)
		p = decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: dir2, body: bad}), 422, "assessment_invalid")
		if p.Errors[0].Field != "measures[0].end" || p.Errors[0].Code != "end_before_start" {
			t.Fatalf("errors %+v", p.Errors)
		}
		// The register and heat map show it to the OIV.
		var reg struct {
			Total int `json:"total"`
			Items []struct {
				Node          string   `json:"node"`
				MeasureTypes  []string `json:"measure_types"`
				InherentLevel string   `json:"inherent_level"`
			} `json:"items"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/register?level=alto&q=B3.2.1.2", s.login("oiv")), &reg)
		if reg.Total != 1 || reg.Items[0].Node != "B3.2.1.2" || reg.Items[0].MeasureTypes[0] != "T05" {
			t.Fatalf("register %+v", reg)
		}
		var heat map[string]json.RawMessage
		decode(t, s.get("/api/v1/cycles/2026-2028/heatmap?q=B3.2.1.2", s.login("rpct")), &heat)
		if !strings.Contains(string(heat["inherent"]), `"likelihood":3,"impact":2,"count":1`) {
			t.Fatalf("heat map %s", heat["inherent"])
		}
		// Director of Area 1 cannot write an Area 2 leaf even with a well-formed request.
		decodeProblem(t, s.do(request{method: http.MethodPut, path: path, token: s.login("dir1"), body: strings.Replace(assessmentBody, "%d", "1", 1)}), 403, "forbidden")
	})
}
