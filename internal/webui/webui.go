// Package webui serves the embedded single-page app: real files as they are, index.html for every other path
// so the app's own router can handle deep links.
package webui

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Handler serves fsys (the root holds index.html). Files under /assets/ carry a content hash in their name and
// are cached for a year; index.html is never cached so a new release is picked up at once.
func Handler(fsys fs.FS) http.Handler {
	files := http.FileServer(http.FS(fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(fsys, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
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
