package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestRegisterCursorThroughHTTP follows next_cursor through the demo register and checks that it reads the same
// rows as the pages by number (which keep working beside it), and that a cursor that is not one, one of other
// filters or one given with a page number is a 422 naming cursor.
func TestRegisterCursorThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		oiv := s.login("oiv")
		type page struct {
			Items []struct {
				Node   string `json:"node"`
				RiskID string `json:"risk_id"`
			} `json:"items"`
			HasMore    bool   `json:"has_more"`
			NextCursor string `json:"next_cursor"`
			Page       int    `json:"page"`
			Total      *int   `json:"total"`
		}
		get := func(query string) page {
			t.Helper()
			rec := s.get("/api/v1/cycles/2026-2028/register?"+query, oiv)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", query, rec.Code, rec.Body)
			}
			var p page
			decode(t, rec, &p)
			return p
		}
		for _, filter := range []string{"", "&level=alto", "&marker=none"} {
			var byNumber, byCursor []string
			for n := 1; ; n++ {
				p := get(fmt.Sprintf("page_size=7&page=%d%s", n, filter))
				for _, r := range p.Items {
					byNumber = append(byNumber, r.Node+"/"+r.RiskID)
				}
				if !p.HasMore {
					break
				}
			}
			cursor := ""
			for n := 0; ; n++ {
				q := "page_size=7" + filter
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				p := get(q)
				if cursor != "" && p.Page != 0 {
					t.Fatalf("a page by cursor says page %d", p.Page)
				}
				for _, r := range p.Items {
					byCursor = append(byCursor, r.Node+"/"+r.RiskID)
				}
				if !p.HasMore {
					if p.NextCursor != "" {
						t.Fatal("next_cursor on the last page")
					}
					break
				}
				if cursor = p.NextCursor; cursor == "" || n > 500 {
					t.Fatalf("has_more without next_cursor (or no end), after %d pages", n)
				}
			}
			if len(byNumber) == 0 || fmt.Sprint(byNumber) != fmt.Sprint(byCursor) {
				t.Fatalf("filter %q: by number %d rows, by cursor %d rows, or not the same", filter, len(byNumber), len(byCursor))
			}
		}
		first := get("page_size=3")
		for name, query := range map[string]string{
			"not a cursor":   "cursor=xyz",
			"other filters":  "level=alto&cursor=" + url.QueryEscape(first.NextCursor),
			"with page":      "page=2&cursor=" + url.QueryEscape(first.NextCursor),
			"truncated":      "cursor=" + url.QueryEscape(first.NextCursor[:len(first.NextCursor)-4]),
			"with a newline": "cursor=" + url.QueryEscape(first.NextCursor+"\n"),
		} {
			p := decodeProblem(t, s.get("/api/v1/cycles/2026-2028/register?page_size=3&"+query, oiv), http.StatusUnprocessableEntity, "filter_invalid")
			if len(p.Errors) != 1 || p.Errors[0].Field != "cursor" {
				t.Fatalf("%s: %+v, want the error on cursor", name, p)
			}
		}
		// The total of a page read by cursor is the whole filtered register's.
		all := get("with_total=true&page_size=3")
		next := get("with_total=true&page_size=3&cursor=" + url.QueryEscape(all.NextCursor))
		if all.Total == nil || next.Total == nil || *all.Total != *next.Total {
			t.Fatalf("totals %v and %v", all.Total, next.Total)
		}
	})
}
