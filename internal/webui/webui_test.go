package webui

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

// TestMissingFilesAre404AndDeepLinksTheApp: a file that is not there (favicon, a stale hashed asset, a probe
// for /wp-login.php) answers 404; a screen of the app, even one whose node code has dots, gets index.html.
func TestMissingFilesAre404AndDeepLinksTheApp(t *testing.T) {
	h := Handler(fstest.MapFS{
		"index.html":         {Data: []byte("<html>app</html>")},
		"assets/app-1234.js": {Data: []byte("console.log(1)")},
	})
	get := func(p string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		return rec
	}
	for _, p := range []string{"/favicon.ico", "/assets/app-0000.js", "/assets/old", "/wp-login.php", "/sitemap.xml", "/x/y.css"} {
		if rec := get(p); rec.Code != http.StatusNotFound || rec.Body.String() == "<html>app</html>" {
			t.Errorf("%s: %d %q, want 404", p, rec.Code, rec.Body)
		}
	}
	for _, p := range []string{"/", "/registro", "/valutazioni/C2.2.1", "/valutazioni/B2.1%20BIS", "/revisione/A1.1.1.2", "/index.html"} {
		if rec := get(p); rec.Code != http.StatusOK || rec.Body.String() != "<html>app</html>" {
			t.Errorf("%s: %d %q, want the app", p, rec.Code, rec.Body)
		}
	}
	if rec := get("/assets/app-1234.js"); rec.Code != http.StatusOK || rec.Body.String() != "console.log(1)" {
		t.Errorf("an asset that exists: %d %q", rec.Code, rec.Body)
	}
	rec := get("/robots.txt")
	if rec.Code != http.StatusOK || rec.Body.String() != "User-agent: *\nDisallow: /\n" ||
		rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("robots.txt: %d %q %v", rec.Code, rec.Body, rec.Header())
	}
}
