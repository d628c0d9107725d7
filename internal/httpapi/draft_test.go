package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestDraftThroughHTTP: a partial draft is saved (200) with its completeness; a present but wrong value is
// still 422; submitting the draft answers 422 assessment_incomplete with every missing item by field path.
func TestDraftThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		path := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment" // an Area 2 leaf the demo leaves unassessed
		ref2, dir2 := s.login("ref2"), s.login("dir2")
		partial := `{"version":0,"risks":[{"event_code":"ER-C-01","inherent":{"values":[{"code":"KRI-1","value":2,"reason":"molte pratiche"}]}}],
		 "measures":[{"key":"m1","nature":"specific","title":"","phases":[]}]}`
		for name, body := range map[string]string{
			"out of scale": `{"version":0,"risks":[{"event_code":"ER-C-01","inherent":{"values":[{"code":"KRI-1","value":9}]}}],"measures":[]}`,
			"NUL":          `{"version":0,"risks":[{"event_code":"ER-C-01","context":"a\u0000b","inherent":{"values":[]}}],"measures":[]}`,
		} {
			if rec := s.do(request{method: http.MethodPut, path: path, token: ref2, body: body}); rec.Code != 422 {
				t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
			}
		}
		rec := s.do(request{method: http.MethodPut, path: path, token: ref2, body: partial})
		if rec.Code != 200 {
			t.Fatalf("partial draft: %d %s", rec.Code, rec.Body)
		}
		var got struct {
			Version      int64  `json:"version"`
			Level        string `json:"level"`
			Completeness struct {
				Complete bool     `json:"complete"`
				Missing  []string `json:"missing"`
			} `json:"completeness"`
		}
		decode(t, s.do(request{method: http.MethodGet, path: path, token: dir2}), &got)
		if got.Version != 1 || got.Level != "" || got.Completeness.Complete {
			t.Fatalf("read back: %+v", got)
		}
		for _, want := range []string{"risks[0].inherent.indicators.KRI-2.value", "risks[0].inherent.indicators.KRI-2.reason",
			"risks[0].inherent.reason", "risks[0].decision", "measures[0].title", "measures[0].type"} {
			if !slices.Contains(got.Completeness.Missing, want) {
				t.Errorf("completeness lacks %s: %v", want, got.Completeness.Missing)
			}
		}
		p := decodeProblem(t, s.do(request{method: http.MethodPost, path: path + "/transitions", token: dir2, body: `{"action":"submit"}`}), 422, "assessment_incomplete")
		var fields []string
		for _, e := range p.Errors {
			if e.Code != "required" {
				t.Errorf("error %s: code %s", e.Field, e.Code)
			}
			fields = append(fields, e.Field)
		}
		if !slices.Equal(fields, got.Completeness.Missing) {
			t.Fatalf("submit lists %v, completeness %v", fields, got.Completeness.Missing)
		}
	})
}
