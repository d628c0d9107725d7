package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/dbtest"
)

// gunzip reads a gzip body back.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("broken gzip: %v", err)
	}
	return out
}

// TestCompressedAnswers: JSON and CSV answers are gzipped when the client accepts it and read back equal to
// the plain answer; the already-compressed formats (xlsx), small answers, a refusing client (q=0) and a HEAD
// get the bytes as they are. The router is called directly: the contract check reads plain JSON.
func TestCompressedAnswers(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	tok := s.login("rpct")
	get := func(path, ae string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae)
		}
		req.RemoteAddr = "192.0.2.10:5555"
		rec := httptest.NewRecorder()
		s.engine.ServeHTTP(rec, req)
		return rec
	}
	for _, tc := range []struct {
		path, contentType string
		gzipped           bool
	}{
		{"/api/v1/cycles/2026-2028/process-map", "application/json", true},
		{"/api/v1/catalogue/risk-events", "application/json", true},
		{"/api/v1/cycles/2026-2028/exports/registro.csv", "text/csv", true},
		{"/api/v1/cycles/2026-2028/exports/registro.json", "application/json", true},
		{"/api/v1/cycles/2026-2028/exports/registro.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false},
		{"/api/v1/me/notifications/unread-count", "application/json", false}, // below the minimum size
	} {
		plain := get(tc.path, "")
		if plain.Code != http.StatusOK || plain.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%s plain: %d %v", tc.path, plain.Code, plain.Header())
		}
		zipped := get(tc.path, "br;q=1.0, gzip;q=0.8, deflate")
		if zipped.Code != http.StatusOK || !strings.HasPrefix(zipped.Header().Get("Content-Type"), tc.contentType) {
			t.Fatalf("%s gzip: %d %v", tc.path, zipped.Code, zipped.Header())
		}
		if !strings.Contains(strings.Join(zipped.Header().Values("Vary"), ","), "Accept-Encoding") {
			t.Errorf("%s: no Vary: Accept-Encoding", tc.path)
		}
		body := zipped.Body.Bytes()
		if got := zipped.Header().Get("Content-Encoding") == "gzip"; got != tc.gzipped {
			t.Fatalf("%s: gzipped %v, want %v", tc.path, got, tc.gzipped)
		}
		if tc.gzipped {
			if zipped.Header().Get("Content-Length") != "" {
				t.Errorf("%s: Content-Length of the plain body kept", tc.path)
			}
			if len(body) >= plain.Body.Len() {
				t.Errorf("%s: %d bytes gzipped, %d plain", tc.path, len(body), plain.Body.Len())
			}
			t.Logf("%s: %d bytes plain, %d gzipped", tc.path, plain.Body.Len(), len(body))
			body = gunzip(t, body)
		}
		if tc.path == "/api/v1/cycles/2026-2028/exports/registro.xlsx" {
			// The workbook carries its own creation time: compare the container's size only.
			if len(body) < 1000 || !bytes.HasPrefix(body, []byte("PK")) {
				t.Errorf("%s: not the workbook", tc.path)
			}
			continue
		}
		if !bytes.Equal(body, plain.Body.Bytes()) && !strings.Contains(tc.path, "exports") {
			t.Errorf("%s: the decompressed answer differs from the plain one", tc.path)
		}
		if strings.Contains(tc.path, "exports") && len(body) != plain.Body.Len() {
			t.Errorf("%s: decompressed %d bytes, plain %d", tc.path, len(body), plain.Body.Len())
		}
	}
	if rec := get("/api/v1/cycles/2026-2028/process-map", "gzip;q=0, identity"); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got %q", rec.Header().Get("Content-Encoding"))
	}
	problem := get("/api/v1/cycles/2099-2101/process-map", "gzip")
	if problem.Code != http.StatusNotFound || problem.Header().Get("Content-Encoding") != "" || !strings.Contains(problem.Body.String(), "not") {
		t.Errorf("a small problem: %d %v %q", problem.Code, problem.Header(), problem.Body)
	}
}
