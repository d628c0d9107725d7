// Package frontend embeds the built single-page app (frontend/dist). A placeholder index.html is committed so
// the Go binary builds without Node; `make ui` replaces it with the real build.
package frontend

import "embed"

//go:embed all:dist
var Dist embed.FS
