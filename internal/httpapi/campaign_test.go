package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestHandOffAndCopyThroughHTTP: a referente saves half a draft and hands it off; the director finds it in
// the "da firmare" list with what it still lacks; a copy preview to a sibling writes nothing, applying it does.
func TestHandOffAndCopyThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		base := "/api/v1/cycles/2026-2028"
		leaf := base + "/nodes/B3.2.1.2/assessment" // an Area 2 leaf the demo leaves unassessed
		ref2, dir2, dir1 := s.login("ref2"), s.login("dir2"), s.login("dir1")
		partial := `{"version":0,"risks":[{"event_code":"ER-C-01","decision":"analyse_further","inherent":{"values":[{"code":"KRI-1","value":2,"reason":"molte pratiche"}]}},
		 {"event_code":"ER-C-01","decision":"analyse_further","inherent":{"values":[]}}],"measures":[]}`
		var saved struct {
			Warnings []struct{ Field, Code string } `json:"warnings"`
		}
		decode(t, s.do(request{method: http.MethodPut, path: leaf, token: ref2, body: partial}), &saved)
		if len(saved.Warnings) != 1 || saved.Warnings[0].Code != "duplicate_event" || saved.Warnings[0].Field != "risks[1].event_code" {
			t.Fatalf("duplicate event warning: %+v", saved.Warnings)
		}
		if rec := s.do(request{method: http.MethodPost, path: leaf + "/hand-off", token: dir1}); rec.Code != 403 {
			t.Fatalf("another unit hands off: %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPost, path: leaf + "/hand-off", token: ref2}); rec.Code != 200 {
			t.Fatalf("hand-off: %d %s", rec.Code, rec.Body)
		}
		var page struct {
			Total int `json:"total"`
			Items []struct {
				Code         string `json:"code"`
				State        string `json:"state"`
				MissingCount int    `json:"missing_count"`
				Complete     bool   `json:"complete"`
				HandedOff    *struct {
					ByName string `json:"by_name"`
				} `json:"handed_off"`
			} `json:"items"`
		}
		decode(t, s.get(base+"/leaves?to_sign=true", dir2), &page)
		if page.Total != 1 || page.Items[0].Code != "B3.2.1.2" || page.Items[0].Complete || page.Items[0].MissingCount == 0 ||
			page.Items[0].HandedOff == nil || page.Items[0].HandedOff.ByName == "" {
			t.Fatalf("da firmare: %+v", page)
		}
		if rec := s.get(base+"/leaves?to_sign=maybe", dir2); rec.Code != 422 {
			t.Fatalf("bad boolean: %d", rec.Code)
		}
		// Copy preview and apply, from the demo's assessed Area 2 leaf C1.1.1.1 to B3.2.1.2.
		var out struct {
			Applied int `json:"applied"`
			Targets []struct {
				Action        string `json:"action"`
				RisksReplaced int    `json:"risks_replaced"`
			} `json:"targets"`
		}
		decode(t, s.do(request{method: http.MethodPost, path: base + "/nodes/C1.1.1.1/assessment/copy", token: dir2,
			body: `{"targets":["B3.2.1.2"],"measures":"copy","dry_run":true}`}), &out)
		if out.Applied != 0 || out.Targets[0].Action != "overwrite" || out.Targets[0].RisksReplaced != 2 {
			t.Fatalf("preview: %+v", out)
		}
		decode(t, s.do(request{method: http.MethodPost, path: base + "/nodes/C1.1.1.1/assessment/copy", token: dir2,
			body: `{"targets":["B3.2.1.2"],"measures":"link"}`}), &out)
		if out.Applied != 1 {
			t.Fatalf("apply: %+v", out)
		}
	})
}
