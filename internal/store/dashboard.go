package store

import (
	"context"
	"strings"

	"github.com/argine-pa/argine/internal/domain"
)

// RegisterTally is what the dashboard counts of a cycle's live register, counted by the database: the same
// rows as the exports read (store.AssessedLeavesWithLists, store.AssessmentsOfNodes: every assessment whose node
// is in the cycle's map, its risks, its measures in force), never loaded one by one.
type RegisterTally struct {
	// Levels counts the risks by their stored inherent level ("": not scored). The stored level is the one
	// the cycle's methodology gives: every write scores with it (the saves, imports and copies through
	// Assessment.Evaluate and SaveAssessment), and a change of methodology rescores the stored risks
	// (service rescoreCycle), so no judgement need be decoded here.
	Levels map[string]int
	// Areas and Units count each risk once for every risk area and every unit of its leaf.
	Areas, Units map[string]int
	// MeasuresByStatus and MeasuresByType count the measures in force (retired ones are not).
	MeasuresByStatus, MeasuresByType map[string]int
}

// RegisterTally counts a cycle's live register in one statement whatever its size (TestExportStatementsConstant
// pins it). With levelsOnly it counts the levels only (the comparison with the previous cycle).
//
// Each part of the statement reads one table of the ente's cycle through its (ente_id, cycle_id) index and
// joins no other. Every risk and measure of the ente's cycle belongs to an assessment of a leaf of that cycle
// (written with it, in its ente and cycle; see riskScope), so the levels and the measures are counted from
// risk_entries and measures alone; the areas and units are tallied here from the cycle's risks per
// assessment, the assessments' leaves and the leaves' links (a few rows per leaf, read once each). Joined in
// SQL, among many entes PostgreSQL expected one row of each join of one ente's rows (its join estimate
// divides by the ids of every ente) and probed the assessments, nodes and references by key once per risk:
// 27,000 buffers against 580 alone, 7–11× the ente's time alone among 1,000 entes (BenchmarkManyEntes,
// docs/performance.md); SQLite, left free, had scanned the cycle's links for every risk.
func (s *Store) RegisterTally(ctx context.Context, enteID, cycleID string, levelsOnly bool) (RegisterTally, error) {
	out := RegisterTally{Levels: map[string]int{}, Areas: map[string]int{}, Units: map[string]int{},
		MeasuresByStatus: map[string]int{}, MeasuresByType: map[string]int{}}
	const scope = ` WHERE ente_id = ? AND cycle_id = ?`
	parts := []string{`SELECT 'level' AS kind, inherent_level AS k1, '' AS k2, COUNT(*) AS n FROM risk_entries` + scope +
		` GROUP BY inherent_level`}
	if !levelsOnly {
		parts = append(parts,
			`SELECT 'measure', status, measure_type, COUNT(*) FROM measures`+scope+` AND withdrawn_at IS NULL GROUP BY status, measure_type`,
			`SELECT 'risks', CAST(assessment_id AS TEXT), '', COUNT(*) FROM risk_entries`+scope+` GROUP BY assessment_id`,
			`SELECT 'leaf', CAST(id AS TEXT), CAST(node_id AS TEXT), 0 FROM assessments`+scope)
		for _, l := range []struct{ kind, table, refColumn, refTable string }{
			{"area", "process_node_risk_areas", "risk_area_id", areasRef},
			{"unit", "process_node_units", "unit_id", unitsRef},
		} {
			parts = append(parts,
				`SELECT '`+l.kind+`-link', CAST(node_id AS TEXT), CAST(`+l.refColumn+` AS TEXT), 0 FROM `+l.table+scope,
				`SELECT '`+l.kind+`', CAST(id AS TEXT), code, 0 FROM `+l.refTable+scope)
		}
	}
	args := make([]any, 0, 2*len(parts))
	for range parts {
		args = append(args, enteID, cycleID)
	}
	rows, err := s.q(ctx).Raw(strings.Join(parts, "\nUNION ALL\n"), args...).Rows()
	if err != nil {
		return out, wrap(err, "count the register")
	}
	defer rows.Close()
	risksOf := map[string]int{}       // assessment id -> its risks
	leafOf := map[string]string{}     // assessment id -> its node id
	links := map[string][][2]string{} // node id -> its (kind, reference id) links
	codes := map[string]string{}      // kind + "/" + reference id -> code
	for rows.Next() {
		var kind, k1, k2 string
		var n int
		if err := rows.Scan(&kind, &k1, &k2, &n); err != nil {
			return out, wrap(err, "scan the register's counts")
		}
		switch kind {
		case "level":
			out.Levels[k1] += n
		case "measure":
			out.MeasuresByStatus[k1] += n
			out.MeasuresByType[k2] += n
		case "risks":
			risksOf[k1] = n
		case "leaf":
			leafOf[k1] = k2
		case "area-link", "unit-link":
			links[k1] = append(links[k1], [2]string{strings.TrimSuffix(kind, "-link"), k2})
		case "area", "unit":
			codes[kind+"/"+k1] = k2
		}
	}
	if err := rows.Err(); err != nil {
		return out, wrap(err, "count the register")
	}
	for assessment, n := range risksOf {
		for _, l := range links[leafOf[assessment]] {
			code, ok := codes[l[0]+"/"+l[1]]
			if !ok {
				continue
			}
			if l[0] == "area" {
				out.Areas[code] += n
			} else {
				out.Units[code] += n
			}
		}
	}
	return out, nil
}

// SnapshotHash returns the content hash of a cycle's adopted snapshot, without reading the snapshot; none is
// domain.ErrNotFound. The snapshot never changes, so what is computed from it can be kept under its hash.
func (s *Store) SnapshotHash(ctx context.Context, enteID, cycleID string) (string, error) {
	var hashes []string
	err := s.q(ctx).Table("cycle_snapshots").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).
		Pluck("content_hash", &hashes).Error
	if err != nil {
		return "", wrap(err, "load snapshot hash")
	}
	if len(hashes) == 0 {
		return "", domain.NotFound("snapshot_not_found", "the cycle has not been adopted")
	}
	return hashes[0], nil
}
