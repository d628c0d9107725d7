package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// TestETagRevalidation: the tree and the catalogues carry a strong ETag; asking again with If-None-Match (alone,
// in a list or weak) answers 304 with no body; a change of the content changes the ETag and the old one then
// gets the whole answer again.
func TestETagRevalidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		tok := s.login("rpct")
		getIf := func(path, inm string) *http.Response {
			rec := s.do(request{method: http.MethodGet, path: path, token: tok, header: map[string]string{"If-None-Match": inm}})
			res := rec.Result()
			if rec.Code == http.StatusNotModified && rec.Body.Len() != 0 {
				t.Errorf("%s: a 304 with a body", path)
			}
			return res
		}
		for _, path := range []string{"/api/v1/cycles/2026-2028/process-map", "/api/v1/catalogue/risk-events",
			"/api/v1/catalogue/enabling-factors", "/api/v1/catalogue/measure-types", "/api/v1/catalogue/general-measures"} {
			first := s.get(path, tok)
			etag := first.Header().Get("ETag")
			if first.Code != http.StatusOK || len(etag) < 10 || etag[0] != '"' || first.Header().Get("Cache-Control") != "private, no-cache" {
				t.Fatalf("%s: %d ETag %q Cache-Control %q", path, first.Code, etag, first.Header().Get("Cache-Control"))
			}
			if again := s.get(path, tok); again.Header().Get("ETag") != etag || again.Body.String() != first.Body.String() {
				t.Fatalf("%s: the ETag of the same content changed", path)
			}
			for _, inm := range []string{etag, `"other", ` + etag, "W/" + etag, "*"} {
				if res := getIf(path, inm); res.StatusCode != http.StatusNotModified || res.Header.Get("ETag") != etag {
					t.Errorf("%s If-None-Match %s: %d", path, inm, res.StatusCode)
				}
			}
			if res := getIf(path, `"stale"`); res.StatusCode != http.StatusOK {
				t.Errorf("%s with a stale ETag: %d", path, res.StatusCode)
			}
		}
		before := s.get("/api/v1/catalogue/risk-events", tok).Header().Get("ETag")
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/catalogue/risk-events", token: tok,
			body: `{"code":"er-x-01","description":"Il funzionario altera la graduatoria dei contributi","risk_areas":["D"]}`}); rec.Code != http.StatusCreated {
			t.Fatalf("create risk event: %d %s", rec.Code, rec.Body)
		}
		res := getIf("/api/v1/catalogue/risk-events", before)
		if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == before {
			t.Fatalf("after a change: %d, ETag %q (was %q)", res.StatusCode, res.Header.Get("ETag"), before)
		}
		// Another ente's answer is its own: the other ente's tree never matches this one's ETag.
		tree := s.get("/api/v1/cycles/2026-2028/process-map", tok).Header().Get("ETag")
		other := s.do(request{method: http.MethodGet, path: "/api/v1/cycles/2030-2032/process-map", token: s.login("x-rpct"),
			header: map[string]string{"If-None-Match": tree}})
		if other.Code != http.StatusOK {
			t.Fatalf("the other ente's tree: %d", other.Code)
		}
	})
}
