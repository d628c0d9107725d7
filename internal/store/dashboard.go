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

// registerRows and registerWhere join a row of the register (alias r: a risk or a measure, with ente_id,
// cycle_id and assessment_id) to its assessment and node, keeping what the exports read: the ente's cycle's
// assessments whose node is in the cycle's map. The row and the node are filtered on the ente and cycle (a risk
// or measure is always written with its assessment's ente and cycle), the assessment is reached by its key
// only: with the ente and cycle on it as well, both databases (PostgreSQL without planner statistics) scanned
// the cycle's assessments for every risk, seconds at 3,000 risks. The CROSS JOINs fix SQLite's order (the
// cycle's rows, then each one's assessment and node by key), which PostgreSQL plans freely as the inner joins
// they are. Parameters of registerWhere: enteID, cycleID twice.
const registerRows = ` CROSS JOIN assessments a CROSS JOIN process_nodes n`
const registerWhere = ` a.id = r.assessment_id AND n.id = a.node_id AND r.ente_id = ? AND r.cycle_id = ? AND n.ente_id = ? AND n.cycle_id = ?`

// RegisterTally counts a cycle's live register in one statement whatever its size (TestExportStatementsConstant
// pins it). With levelsOnly it counts the levels only (the comparison with the previous cycle).
func (s *Store) RegisterTally(ctx context.Context, enteID, cycleID string, levelsOnly bool) (RegisterTally, error) {
	out := RegisterTally{Levels: map[string]int{}, Areas: map[string]int{}, Units: map[string]int{},
		MeasuresByStatus: map[string]int{}, MeasuresByType: map[string]int{}}
	scope := []any{enteID, cycleID, enteID, cycleID}
	parts := []string{`SELECT 'level' AS kind, r.inherent_level AS k1, '' AS k2, COUNT(*) AS n FROM risk_entries r` +
		registerRows + ` WHERE` + registerWhere + ` GROUP BY r.inherent_level`}
	args := append([]any{}, scope...)
	if !levelsOnly {
		// A leaf's lists are its link rows (written with the node, in its ente and cycle), reached by the node's
		// key: filtering them on the ente and cycle as well made SQLite take that index and scan the cycle's
		// links for every risk.
		for _, l := range []struct{ kind, table, refColumn, refTable string }{
			{"area", "process_node_risk_areas", "risk_area_id", areasRef},
			{"unit", "process_node_units", "unit_id", unitsRef},
		} {
			// CROSS JOIN keeps SQLite's order (risks, then each one's assessment, node, links by key): left
			// free it drove from the links and scanned the cycle's risks for each, seconds at 3,000 risks.
			// PostgreSQL plans a CROSS JOIN with its WHERE as the inner join it is.
			parts = append(parts, `SELECT '`+l.kind+`', x.code, '', COUNT(*) FROM risk_entries r`+registerRows+
				` CROSS JOIN `+l.table+` l CROSS JOIN `+l.refTable+` x WHERE l.node_id = n.id AND x.id = l.`+l.refColumn+
				` AND`+registerWhere+` GROUP BY x.code`)
			args = append(args, scope...)
		}
		parts = append(parts, `SELECT 'measure', r.status, r.measure_type, COUNT(*) FROM measures r`+registerRows+
			` WHERE`+registerWhere+` AND r.withdrawn_at IS NULL GROUP BY r.status, r.measure_type`)
		args = append(args, scope...)
	}
	rows, err := s.q(ctx).Raw(strings.Join(parts, "\nUNION ALL\n"), args...).Rows()
	if err != nil {
		return out, wrap(err, "count the register")
	}
	defer rows.Close()
	for rows.Next() {
		var kind, k1, k2 string
		var n int
		if err := rows.Scan(&kind, &k1, &k2, &n); err != nil {
			return out, wrap(err, "scan the register's counts")
		}
		switch kind {
		case "level":
			out.Levels[k1] += n
		case "area":
			out.Areas[k1] += n
		case "unit":
			out.Units[k1] += n
		case "measure":
			out.MeasuresByStatus[k1] += n
			out.MeasuresByType[k2] += n
		}
	}
	return out, wrap(rows.Err(), "count the register")
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
