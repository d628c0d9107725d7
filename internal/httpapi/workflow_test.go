package httpapi_test

import (
	"fmt"
	"net/http"
	"strconv"
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

// TestWholeCampaignThroughHTTP runs a whole year with the demo users through the API: directors submit their
// units' drafts in bulk, the RPCT approves them in bulk, excludes the leaves nobody assessed, consolidates,
// adopts and publishes, then rolls the adopted register forward into the next cycle.
func TestWholeCampaignThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct, oiv := s.login("rpct"), s.login("oiv")
		post := func(token, path, body string, want int) string {
			t.Helper()
			rec := s.do(request{method: http.MethodPost, path: path, token: token, body: body})
			if rec.Code != want {
				t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
			}
			return rec.Body.String()
		}
		for _, d := range []struct{ user, unit string }{{"dir1", "SG"}, {"dir1", "AD1"}, {"dir2", "AD2"}, {"dir3", "AD3"}} {
			post(s.login(d.user), "/api/v1/cycles/2026-2028/assessments/transitions", `{"action":"submit","unit":"`+d.unit+`"}`, 200)
		}
		var reg struct {
			Items []struct{ Node, State string } `json:"items"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/register?page_size=1000", rpct), &reg)
		seen := map[string]bool{}
		var nodes []string
		for _, r := range reg.Items {
			if !seen[r.Node] {
				seen[r.Node] = true
				nodes = append(nodes, `"`+r.Node+`"`)
			}
		}
		res := post(rpct, "/api/v1/cycles/2026-2028/assessments/transitions", `{"action":"approve","all_or_nothing":true,"nodes":[`+strings.Join(nodes, ",")+`]}`, 200)
		if !strings.Contains(res, `"failed":0`) {
			t.Fatalf("bulk approval: %s", res)
		}
		var tree struct {
			Nodes []treeNode `json:"nodes"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/process-map", rpct), &tree)
		excluded := 0
		var walk func([]treeNode)
		walk = func(ns []treeNode) {
			for _, n := range ns {
				if n.IsLeaf && !seen[n.Code] {
					post(rpct, "/api/v1/cycles/2026-2028/exclusions", `{"node":"`+n.Code+`","reason":"Non valutato nel ciclo dimostrativo"}`, 200)
					excluded++
				}
				walk(n.Children)
			}
		}
		walk(tree.Nodes)
		if excluded+len(nodes) != 265 {
			t.Fatalf("%d excluded + %d approved != 265 leaves", excluded, len(nodes))
		}
		post(rpct, "/api/v1/cycles/2026-2028/consolidate", "", 200)
		adopted := post(rpct, "/api/v1/cycles/2026-2028/adopt", `{"deliberation_number":"7","deliberation_date":"2027-01-27"}`, 200)
		first := s.get("/api/v1/cycles/2026-2028/snapshot", oiv)
		if first.Code != 200 || !strings.Contains(adopted, first.Header().Get("X-Content-SHA256")) {
			t.Fatalf("snapshot: %d %s", first.Code, adopted)
		}
		post(rpct, "/api/v1/cycles/2026-2028/publish", `{"url":"https://www.basilicata.camcom.it/amministrazione-trasparente","date":"2027-01-31"}`, 200)
		rolled := post(rpct, "/api/v1/cycles/2027-2029/roll-forward", `{"from":"2026-2028"}`, 200)
		if !strings.Contains(rolled, `"copied":`+strings.TrimSpace(itoa(len(nodes)))) {
			t.Fatalf("roll forward: %s", rolled)
		}
		// Work on the new cycle leaves the adopted snapshot byte for byte identical.
		post(s.login("dir2"), "/api/v1/cycles/2027-2029/assessments/transitions", `{"action":"submit","unit":"AD2"}`, 200)
		second := s.get("/api/v1/cycles/2026-2028/snapshot", oiv)
		if second.Body.String() != first.Body.String() {
			t.Fatal("the adopted snapshot changed")
		}
		// Its content hash is its ETag: a client holding it revalidates with a 304 and no body.
		etag := `"` + first.Header().Get("X-Content-SHA256") + `"`
		if second.Header().Get("ETag") != etag {
			t.Fatalf("snapshot ETag %q, want %q", second.Header().Get("ETag"), etag)
		}
		if rec := s.do(request{method: http.MethodGet, path: "/api/v1/cycles/2026-2028/snapshot", token: oiv,
			header: map[string]string{"If-None-Match": etag}}); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Fatalf("snapshot revalidation: %d, %d bytes", rec.Code, rec.Body.Len())
		}
		var v struct{ Valid bool }
		decode(t, s.get("/api/v1/audit/verify", oiv), &v)
		if !v.Valid {
			t.Fatal("audit chain broken")
		}
	})
}

type treeNode struct {
	Code     string     `json:"code"`
	IsLeaf   bool       `json:"is_leaf"`
	Children []treeNode `json:"children"`
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestConsolidationBlockers checks that a blocked consolidation names its blockers in machine-readable
// members: how many leaves are neither approved nor excluded, and the first 50 of them in map order.
func TestConsolidationBlockers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct := s.login("rpct")
		post := func(token, path, body string, want int) {
			t.Helper()
			if rec := s.do(request{method: http.MethodPost, path: path, token: token, body: body}); rec.Code != want {
				t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
			}
		}
		// Area 2's drafts are submitted and approved, and two leaves at the head of the map are excluded.
		post(s.login("dir2"), "/api/v1/cycles/2026-2028/assessments/transitions", `{"action":"submit","unit":"AD2"}`, 200)
		var reg struct {
			Items []struct{ Node, State string } `json:"items"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/register?page_size=1000&state=submitted", rpct), &reg)
		approved := map[string]bool{}
		var nodes []string
		for _, r := range reg.Items {
			if !approved[r.Node] {
				approved[r.Node] = true
				nodes = append(nodes, `"`+r.Node+`"`)
			}
		}
		if len(nodes) == 0 {
			t.Fatal("no submitted leaves to approve")
		}
		post(rpct, "/api/v1/cycles/2026-2028/assessments/transitions", `{"action":"approve","all_or_nothing":true,"nodes":[`+strings.Join(nodes, ",")+`]}`, 200)
		excluded := map[string]bool{"A1.1.1.0": true, "A1.1.1.2": true}
		for code := range excluded {
			post(rpct, "/api/v1/cycles/2026-2028/exclusions", `{"node":"`+code+`","reason":"Processo non attivo nel triennio"}`, 200)
		}
		// The leaves that block, in map order, from the process map.
		var tree struct {
			Nodes []treeNode `json:"nodes"`
		}
		decode(t, s.get("/api/v1/cycles/2026-2028/process-map", rpct), &tree)
		var want []string
		var walk func([]treeNode)
		walk = func(ns []treeNode) {
			for _, n := range ns {
				if n.IsLeaf && !approved[n.Code] && !excluded[n.Code] {
					want = append(want, n.Code)
				}
				walk(n.Children)
			}
		}
		walk(tree.Nodes)
		if len(want) <= 50 || len(want) >= 265-len(excluded) {
			t.Fatalf("%d blocking leaves: the test needs more than 50, and fewer than all", len(want))
		}
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/consolidate", token: rpct})
		p := decodeProblem(t, rec, 409, "consolidation_blocked")
		if p.Pending != len(want) || strings.Join(p.Blockers, ",") != strings.Join(want[:50], ",") {
			t.Fatalf("pending %d blockers %v, want %d %v", p.Pending, p.Blockers, len(want), want[:50])
		}
		if !strings.Contains(rec.Body.String(), fmt.Sprintf(`"detail":"%d leaves are neither approved nor excluded, e.g. %s,`, len(want), want[0])) {
			t.Fatalf("detail: %s", rec.Body)
		}
		// A stale write's conflict carries no blockers.
		stale := s.do(request{method: http.MethodPut, path: "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment", token: s.login("dir2"),
			body: strings.Replace(assessmentBody, "%d", "7", 1)})
		if p := decodeProblem(t, stale, 409, "version_conflict"); p.Pending != 0 || strings.Contains(stale.Body.String(), `"blockers"`) {
			t.Fatalf("a version conflict lists blockers: %s", stale.Body)
		}
		// Under 50 blockers, all are listed: exclude all but three of them.
		for _, code := range want[3:] {
			post(rpct, "/api/v1/cycles/2026-2028/exclusions", `{"node":"`+code+`","reason":"Processo non attivo nel triennio"}`, 200)
		}
		p = decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/consolidate", token: rpct}), 409, "consolidation_blocked")
		if p.Pending != 3 || strings.Join(p.Blockers, ",") != strings.Join(want[:3], ",") {
			t.Fatalf("pending %d blockers %v, want 3 %v", p.Pending, p.Blockers, want[:3])
		}
	})
}
