package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestReviewStoryThroughHTTP is the whole story with the demo users: draft, submit, return with a comment,
// fix, resubmit, approve; and the OIV finds every step on a verified trail.
func TestReviewStoryThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		dir2, ref2, rpct, oiv := s.login("dir2"), s.login("ref2"), s.login("rpct"), s.login("oiv")
		base := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment"
		step := func(token, body string, want int) string {
			t.Helper()
			rec := s.do(request{method: http.MethodPost, path: base + "/transitions", token: token, body: body})
			if rec.Code != want {
				t.Fatalf("%s: %d %s", body, rec.Code, rec.Body)
			}
			return rec.Body.String()
		}
		if rec := s.do(request{method: http.MethodPut, path: base, token: ref2, body: strings.Replace(assessmentBody, "%d", "0", 1)}); rec.Code != 200 {
			t.Fatalf("draft: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: base + "/transitions", token: ref2, body: `{"action":"submit"}`}), 403, "forbidden")
		step(dir2, `{"action":"submit"}`, 200)
		p := decodeProblem(t, s.do(request{method: http.MethodPost, path: base + "/transitions", token: dir2, body: `{"action":"submit"}`}), 409, "transition_not_allowed")
		if p.CurrentState != "submitted" {
			t.Fatalf("current state %q", p.CurrentState)
		}
		step(rpct, `{"action":"return","comment":"Manca l'indicatore di risultato per la seconda fase"}`, 200)
		var current struct {
			Version int64 `json:"version"`
		}
		decode(t, s.get(base, dir2), &current)
		body := strings.Replace(assessmentBody, "%d", "3", 1)
		if current.Version != 3 {
			t.Fatalf("version after return %d", current.Version)
		}
		if rec := s.do(request{method: http.MethodPut, path: base, token: dir2, body: body}); rec.Code != 200 {
			t.Fatalf("fix: %d %s", rec.Code, rec.Body)
		}
		step(dir2, `{"action":"submit"}`, 200)
		if !strings.Contains(step(rpct, `{"action":"approve"}`, 200), `"state":"approved"`) {
			t.Fatal("not approved")
		}
		var thread struct {
			Items []struct{ Kind, Body string } `json:"items"`
		}
		decode(t, s.get(base+"/comments", oiv), &thread)
		if len(thread.Items) != 1 || thread.Items[0].Kind != "return" {
			t.Fatalf("thread %+v", thread)
		}
		var trail struct {
			Items []struct{ Action string } `json:"items"`
		}
		decode(t, s.get("/api/v1/audit?entity=assessment&entity_id=2026-2028/B3.2.1.2", oiv), &trail)
		var steps []string
		for i := len(trail.Items) - 1; i >= 0; i-- {
			steps = append(steps, trail.Items[i].Action)
		}
		if strings.Join(steps, " ") != "save submit return save submit approve" {
			t.Fatalf("trail %v", steps)
		}
		var v struct{ Valid bool }
		decode(t, s.get("/api/v1/audit/verify", oiv), &v)
		if !v.Valid {
			t.Fatal("chain does not verify")
		}
		var progress struct {
			Units []struct {
				Unit   string           `json:"unit"`
				States map[string]int64 `json:"states"`
			} `json:"units"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/progress", dir2), &progress)
		if len(progress.Units) != 1 || progress.Units[0].Unit != "AD2" || progress.Units[0].States["approved"] != 1 {
			t.Fatalf("progress %+v", progress)
		}
	})
}
