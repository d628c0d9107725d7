package store

import "gorm.io/gorm"

// markerAbove is the condition "node m is n or one of its ancestors" for the register's leaf n (alias n): the
// map has four levels, so the leaf, its parent, grandparent and great-grandparent. Codes are not used, since a
// code's prefix may be a sibling's (B2.1 and B2.1 BIS).
const markerAbove = `m.ente_id = ? AND m.id IN (n.id, n.parent_id,
	(SELECT p.parent_id FROM process_nodes p WHERE p.id = n.parent_id),
	(SELECT g.parent_id FROM process_nodes p JOIN process_nodes g ON g.id = p.parent_id WHERE p.id = n.parent_id))`

// markerScope filters the register (leaf alias n) on the DM 7 March 2019 markers the source map puts on
// processes and sub-processes: "*" or "**" keeps the leaves under (or at) a node so marked, "none" those with no
// marker on the way up, "" filters nothing.
func markerScope(q *gorm.DB, enteID, marker string) *gorm.DB {
	switch marker {
	case "":
		return q
	case "none":
		return q.Where("NOT EXISTS (SELECT 1 FROM process_nodes m WHERE m.marker <> '' AND "+markerAbove+")", enteID)
	default:
		return q.Where("EXISTS (SELECT 1 FROM process_nodes m WHERE m.marker = ? AND "+markerAbove+")", marker, enteID)
	}
}
