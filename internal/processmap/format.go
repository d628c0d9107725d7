// Package processmap reads and writes the public import/export format of a process map:
// four CSV files (UTF-8, comma, header row) or one XLSX workbook with four sheets of the same names.
// See docs/import-format.md. Reading validates everything and reports every problem with its position.
package processmap

import (
	"strings"

	"github.com/argine-pa/argine/internal/domain"
)

// File and sheet names of the format (the CSV files are these names plus ".csv").
const (
	MapName        = "process_map"
	UnitsName      = "units"
	ObjectivesName = "strategic_objectives"
	RiskAreasName  = "risk_areas"
)

// MapColumns is the exact header of process_map.
var MapColumns = []string{"level", "code", "parent_code", "title", "function", "units",
	"strategic_objectives", "risk_areas", "marker", "note"}

// RefColumns is the exact header of every reference table.
var RefColumns = []string{"code", "title"}

// MaxProblems caps how many problems one import reports; past it the list is marked truncated.
const MaxProblems = 100

const listSep = ";"

func joinList(codes []string) string { return strings.Join(codes, listSep) }

func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return []string{}
	}
	parts := strings.Split(s, listSep)
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func mapRecord(n domain.MapNode) []string {
	return []string{string(n.Level), n.Code, n.ParentCode, n.Title, n.Function, joinList(n.Units),
		joinList(n.StrategicObjectives), joinList(n.RiskAreas), string(n.Marker), n.Note}
}
