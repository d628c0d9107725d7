package webui

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestPrecompressedAssets: an asset with a .gz beside it is sent compressed to a client accepting gzip (the
// body reads back as the plain file) and plain to the others, both with Vary: Accept-Encoding.
func TestPrecompressedAssets(t *testing.T) {
	plain := []byte(strings.Repeat("console.log('argine');\n", 200))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(plain)
	_ = zw.Close()
	h := Handler(fstest.MapFS{
		"index.html":            {Data: []byte("<html>app</html>")},
		"assets/app-1234.js":    {Data: plain},
		"assets/app-1234.js.gz": {Data: gz.Bytes()},
		"assets/other-1.css":    {Data: []byte("body{}")},
	})
	get := func(p, ae string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, p, nil)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae)
		}
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := get("/assets/app-1234.js", "gzip, deflate, br")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") || rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip client: %d %v", rec.Code, rec.Header())
	}
	r, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, plain) {
		t.Fatal("the precompressed asset does not read back as the plain one")
	}
	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		rec = get("/assets/app-1234.js", ae)
		if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), plain) || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: %v", ae, rec.Header())
		}
	}
	if rec = get("/assets/other-1.css", "gzip"); rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != "body{}" {
		t.Errorf("an asset without .gz: %v %q", rec.Header(), rec.Body)
	}
}
