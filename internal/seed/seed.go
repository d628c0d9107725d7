// Package seed embeds curated reference data shipped with Argine: the real process map of the
// Camera di commercio della Basilicata (PIAO 2026-2028, Allegato 1), curated as documented in
// docs/process-map-curation.md.
package seed

import (
	"embed"
	"io/fs"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/processmap"
)

//go:embed cciaa-basilicata
var files embed.FS

// The demo ente and cycle.
const (
	DemoEnteCode = "cciaa-basilicata"
	DemoEnteName = "Camera di commercio, industria, artigianato e agricoltura della Basilicata"
	DemoCycle    = "2026-2028"
)

// BasilicataMapDir is the dataset's folder inside the embedded files.
const BasilicataMapDir = "cciaa-basilicata/2026-2028"

// BasilicataMapFS exposes the four CSV files of the curated map.
func BasilicataMapFS() fs.FS {
	sub, err := fs.Sub(files, BasilicataMapDir)
	if err != nil {
		panic(err) // the path is a compile-time constant of an embedded folder
	}
	return sub
}

// BasilicataMap parses the curated map with the same reader as any import.
func BasilicataMap() (*domain.ProcessMap, error) {
	return processmap.ReadCSV(BasilicataMapFS(), "seed/"+BasilicataMapDir)
}
