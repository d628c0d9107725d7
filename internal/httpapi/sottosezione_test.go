package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestSottosezioneAPI goes through the sottosezione's routes as the demo RPCT: read the demo's context,
// write it at the version read, refuse a stale version and an unknown field, and describe a process.
func TestSottosezioneAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tok := s.login("rpct")
		rec := s.get("/api/v1/cycles/2026-2028/sottosezione/context", tok)
		var view struct {
			Version  int64           `json:"version"`
			Content  json.RawMessage `json:"content"`
			Computed struct {
				Coverage struct {
					Processes int `json:"processes"`
					Marked    int `json:"marked"`
				} `json:"coverage"`
			} `json:"computed"`
		}
		decode(t, rec, &view)
		if rec.Code != 200 || view.Version != 1 || view.Computed.Coverage.Processes != 49 || view.Computed.Coverage.Marked != 49 {
			t.Fatalf("context: %d %s", rec.Code, rec.Body)
		}
		body := `{"version":1,"content":` + string(view.Content) + `}`
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/sottosezione/context", token: tok, body: body}); rec.Code != 200 ||
			!strings.Contains(rec.Body.String(), `"version":2`) {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		rec = s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/sottosezione/context", token: tok, body: body})
		decodeProblem(t, rec, 409, "version_conflict")
		rec = s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/sottosezione/objectives", token: tok,
			body: `{"version":1,"content":{"act":"x","objectives":[],"extra":1}}`})
		decodeProblem(t, rec, 422, "content_invalid")

		rec = s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/nodes/C2.1/description", token: tok,
			body: `{"input":"Domande di deposito","output":"Titoli","phases":"","responsibilities":"","timing":"","constraints":"","version":0}`})
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"node":"C2.1"`) {
			t.Fatalf("describe: %d %s", rec.Code, rec.Body)
		}
		rec = s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/nodes/C2.1.1.1/description", token: tok, body: `{"version":0}`})
		if rec.Code != 404 && rec.Code != 409 {
			t.Fatalf("describe an action: %d %s", rec.Code, rec.Body)
		}

		// Map fidelity: the markers are a field the node search filters on (21 processes, 28 sub-processes).
		for q, want := range map[string]string{"level=process&marker=*": `"total":18`, "level=process&marker=**": `"total":3`,
			"level=subprocess&marker=*": `"total":25`, "level=subprocess&marker=**": `"total":3`} {
			rec = s.get("/api/v1/cycles/2026-2028/nodes?page_size=100&"+q, tok)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
				t.Errorf("%s: %d, want %s: %.300s", q, rec.Code, want, rec.Body)
			}
		}
	})
}
