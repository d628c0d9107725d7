// Package frontend embeds the web interface. `make ui` builds it into frontend/dist (ignored by git but for
// dist/.gitkeep, so the embed pattern always matches); a binary built without Node serves placeholder/index.html.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist placeholder
var files embed.FS

// FS returns the built interface when frontend/dist holds one, the placeholder page otherwise.
func FS() fs.FS {
	return pick(files)
}

func pick(root fs.FS) fs.FS {
	if _, err := fs.Stat(root, "dist/index.html"); err == nil {
		dist, _ := fs.Sub(root, "dist")
		return dist
	}
	placeholder, _ := fs.Sub(root, "placeholder")
	return placeholder
}

// Built reports whether the binary carries the real interface (not the placeholder).
func Built() bool {
	_, err := fs.Stat(files, "dist/index.html")
	return err == nil
}
