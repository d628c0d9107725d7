package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
)

// TestEnteMethodologyRoutes: the RPCT defines a profile (201), previews it (200), the cycle uses it, and saving
// it again adds version 2 (201); the default profile's wording is corrected before confirmation (200) and not
// after (409). Every answer is checked against openapi.json by the server's contract check.
func TestEnteMethodologyRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct := s.login("rpct")
		p := domain.PNA2019Qualitative()
		p.Code, p.Name = "ente-prudenziale", "Metodologia dell'ente"
		p.LikelihoodAggregation = domain.AggregationMode
		body, _ := json.Marshal(map[string]any{"profile": p})
		if r := s.do(request{method: http.MethodPost, path: "/api/v1/methodology/ente-profiles", token: rpct, body: string(body)}); r.Code != http.StatusCreated {
			t.Fatalf("create %d %s", r.Code, r.Body)
		}
		values := map[string]int{"KRI-1": 3, "KRI-2": 3, "KRI-3": 1, "KRI-4": 1, "KRI-5": 1, "KRI-6": 2, "IMP-1": 3, "IMP-2": 1, "IMP-3": 1, "IMP-4": 1}
		prev, _ := json.Marshal(map[string]any{"profile": p, "examples": []any{map[string]any{"values": values}}})
		r := s.do(request{method: http.MethodPost, path: "/api/v1/methodology/preview", token: rpct, body: string(prev)})
		// likelihood: mode of 3,3,1,1,1,2 = 1 (basso); impact: max = 3 (alto) → matrix[0][2] = medio
		if r.Code != http.StatusOK || !strings.Contains(r.Body.String(), `"level":"medio"`) {
			t.Fatalf("preview %d %s", r.Code, r.Body)
		}

		// Wording of the cycle's default profile, before confirmation.
		var meth struct {
			Profile domain.Profile `json:"profile"`
			Version int64          `json:"version"`
			Chosen  bool           `json:"chosen"`
		}
		_ = json.Unmarshal(s.get("/api/v1/cycles/2026-2028/methodology", rpct).Body.Bytes(), &meth)
		meth.Profile.Name = "PNA 2019 – formulazione dell'ente"
		wording, _ := json.Marshal(map[string]any{"profile": meth.Profile, "version": meth.Version})
		if r := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/methodology/wording", token: rpct, body: string(wording)}); r.Code != http.StatusOK {
			t.Fatalf("wording %d %s", r.Code, r.Body)
		}
		// Choosing the ente's profile confirms the methodology: the wording is closed.
		choice := `{"profile_code":"ente-prudenziale","version":1}`
		if r := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/methodology", token: rpct, body: choice}); r.Code != http.StatusOK ||
			!strings.Contains(r.Body.String(), `"profile_version":1`) {
			t.Fatalf("choose %d %s", r.Code, r.Body)
		}
		wording, _ = json.Marshal(map[string]any{"profile": meth.Profile, "version": 2})
		if r := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/methodology/wording", token: rpct, body: string(wording)}); r.Code != http.StatusConflict ||
			!strings.Contains(r.Body.String(), "methodology_confirmed") {
			t.Fatalf("wording after confirmation %d %s", r.Code, r.Body)
		}
		p.Name = "Metodologia dell'ente, rivista"
		update, _ := json.Marshal(map[string]any{"profile": p, "version": 1, "revision": 1})
		if r := s.do(request{method: http.MethodPut, path: "/api/v1/methodology/ente-profiles/ente-prudenziale", token: rpct, body: string(update)}); r.Code != http.StatusCreated ||
			!strings.Contains(r.Body.String(), `"version":2`) {
			t.Fatalf("edit of a used version %d %s", r.Code, r.Body)
		}
		list := s.get("/api/v1/methodology/ente-profiles/ente-prudenziale", s.login("oiv"))
		if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), `"used_by":["2026-2028"]`) {
			t.Fatalf("versions %d %s", list.Code, list.Body)
		}
	})
}
