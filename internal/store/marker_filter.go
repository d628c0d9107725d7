package store

import (
	"strings"

	"gorm.io/gorm"
)

// markedSubtree lists the nodes at or under a node m of the cycle that satisfies markedCond: m itself, its
// children, grandchildren and great-grandchildren (the map has four levels, so that is every leaf below).
// Codes are not used, since a code's prefix may be a sibling's (B2.1 and B2.1 BIS). The marked nodes are found
// through the index process_nodes (ente_id, cycle_id, marker) and their descendants through process_nodes_parent,
// so the filter reads the marked part of the map, not a check of every leaf's ancestors (issue 19).
// The descendant found by each branch is scoped to the ente's cycle too, so that a hash join reads the cycle's
// nodes by index, not the nodes of every ente.
const markedSubtree = `SELECT m.id FROM process_nodes m WHERE m.ente_id = ? AND m.cycle_id = ? AND markedCond
	UNION ALL SELECT c.id FROM process_nodes m JOIN process_nodes c ON c.parent_id = m.id
		WHERE m.ente_id = ? AND m.cycle_id = ? AND markedCond AND c.ente_id = ? AND c.cycle_id = ?
	UNION ALL SELECT g.id FROM process_nodes m JOIN process_nodes c ON c.parent_id = m.id JOIN process_nodes g ON g.parent_id = c.id
		WHERE m.ente_id = ? AND m.cycle_id = ? AND markedCond AND g.ente_id = ? AND g.cycle_id = ?
	UNION ALL SELECT l.id FROM process_nodes m JOIN process_nodes c ON c.parent_id = m.id JOIN process_nodes g ON g.parent_id = c.id
		JOIN process_nodes l ON l.parent_id = g.id
		WHERE m.ente_id = ? AND m.cycle_id = ? AND markedCond AND l.ente_id = ? AND l.cycle_id = ?`

// markerScope filters the register (leaf alias n) on the DM 7 March 2019 markers the source map puts on
// processes and sub-processes: "*" or "**" keeps the leaves under (or at) a node so marked, "none" those with no
// marker on the way up, "" filters nothing.
func markerScope(q *gorm.DB, enteID, cycleID, marker string) *gorm.DB {
	// The arguments of the four branches: the marked node's scope (and marker), then the descendant's scope.
	args := func(cond ...any) []any {
		out := append([]any{enteID, cycleID}, cond...)
		for i := 0; i < 3; i++ {
			out = append(append(append(out, enteID, cycleID), cond...), enteID, cycleID)
		}
		return out
	}
	switch marker {
	case "":
		return q
	case "none":
		// "IN" rather than "<> ''", so that the index on the marker serves it too.
		return q.Where("n.id NOT IN ("+strings.ReplaceAll(markedSubtree, "markedCond", "m.marker IN ('*', '**')")+")", args()...)
	default:
		return q.Where("n.id IN ("+strings.ReplaceAll(markedSubtree, "markedCond", "m.marker = ?")+")", args(marker)...)
	}
}
