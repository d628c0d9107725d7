// Package webui serves the embedded single-page app: real files as they are, index.html for every other path
// so the app's own router can handle deep links, and 404 for a file that does not exist (a stale asset,
// /favicon.ico): answering those with the app's page and 200 hides the mistake from browsers, caches and
// monitoring alike.
package webui

import (
	"bytes"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Handler serves fsys (the root holds index.html). Files under /assets/ carry a content hash in their name and
// are cached for a year; index.html is never cached so a new release is picked up at once.
func Handler(fsys fs.FS) http.Handler {
	files := http.FileServer(http.FS(fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "robots.txt" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "public, max-age=86400")
			_, _ = io.WriteString(w, Robots)
			return
		}
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(fsys, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				if servePrecompressed(w, r, fsys, name) {
					return
				}
				files.ServeHTTP(w, r)
				return
			}
		}
		if name != "index.html" && looksLikeFile(name) {
			http.NotFound(w, r)
			return
		}
		index, err := fs.ReadFile(fsys, "index.html")
		if err != nil {
			http.Error(w, "user interface not built", http.StatusNotFound)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK) // the router may have preset 404 for an unmatched path
		_, _ = w.Write(index)
	})
}

// Robots keeps every crawler out: a risk register is an ente's working tool, not a public page (what the ente
// publishes goes to its Amministrazione trasparente).
const Robots = "User-agent: *\nDisallow: /\n"

// staticExtensions are the kinds of file a browser or a crawler asks for by name. The app's own paths have no
// such ending: a node code such as C2.2.1 or "B2.1 BIS" in /valutazioni/C2.2.1 stays a deep link.
var staticExtensions = map[string]bool{".js": true, ".mjs": true, ".css": true, ".map": true, ".ico": true,
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".webp": true, ".avif": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".txt": true, ".xml": true, ".json": true,
	".webmanifest": true, ".html": true, ".htm": true, ".php": true, ".zip": true, ".pdf": true}

// looksLikeFile reports whether a missing path named a file rather than a screen of the app.
func looksLikeFile(name string) bool {
	return strings.HasPrefix(name, "assets/") || staticExtensions[strings.ToLower(path.Ext(name))]
}

// servePrecompressed answers with name.gz, written beside the asset at build time (frontend/scripts/
// precompress.mjs), when there is one and the client accepts gzip: the assets are compressed once, at the
// best level, instead of on every request. A client that does not accept gzip gets the plain file; either way
// the answer varies with Accept-Encoding. A Range request is left to the file server (ranges of the plain file).
func servePrecompressed(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string) bool {
	if _, err := fs.Stat(fsys, name+".gz"); err != nil {
		return false
	}
	if !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Encoding") {
		w.Header().Add("Vary", "Accept-Encoding")
	}
	if !AcceptsGzip(r) || r.Header.Get("Range") != "" {
		return false
	}
	data, err := fs.ReadFile(fsys, name+".gz")
	if err != nil {
		return false
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Encoding", "gzip")
	// The embedded files have no modification time; the content-hashed name makes the asset immutable.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	return true
}

// AcceptsGzip reports whether the request's Accept-Encoding allows gzip ("gzip" or "*" without q=0).
func AcceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.TrimSpace(name)
		if !strings.EqualFold(name, "gzip") && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
