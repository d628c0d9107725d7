// Package migrations embeds the versioned SQL schema: one folder per database, same version numbers.
// A shipped file is never edited: a change is a new version in both folders.
package migrations

import "embed"

//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
