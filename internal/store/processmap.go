package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

type refRow struct {
	ID       string
	EnteID   string
	CycleID  string
	Code     string
	Title    string
	Position int
}

type nodeRow struct {
	ID         string
	EnteID     string
	CycleID    string
	ParentID   *string
	Code       string
	Level      string
	Title      string
	Function   string
	Marker     string
	Note       string
	IsLeaf     bool
	Position   int
	SearchText string
}

func (nodeRow) TableName() string { return "process_nodes" }

type linkRow struct {
	NodeID   string
	RefID    string
	EnteID   string
	CycleID  string
	Position int
}

// link describes one many-to-many table between nodes and a reference table.
type link struct {
	table, refColumn, refTable string
	get                        func(*domain.MapNode) *[]string
}

var (
	unitsRef      = "org_units"
	objectivesRef = "strategic_objectives"
	areasRef      = "risk_areas"
	links         = []link{
		{"process_node_units", "unit_id", unitsRef, func(n *domain.MapNode) *[]string { return &n.Units }},
		{"process_node_objectives", "objective_id", objectivesRef, func(n *domain.MapNode) *[]string { return &n.StrategicObjectives }},
		{"process_node_risk_areas", "risk_area_id", areasRef, func(n *domain.MapNode) *[]string { return &n.RiskAreas }},
	}
)

const batchSize = 500

// CycleHasMap reports whether a cycle carries any node.
func (s *Store) CycleHasMap(ctx context.Context, enteID, cycleID string) (bool, error) {
	var n int64
	err := s.q(ctx).Table("process_nodes").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Limit(1).Count(&n).Error
	return n > 0, wrap(err, "check cycle map")
}

// registerTables lists the tables holding register data attached to a cycle's map. While any of them has a
// row for the cycle, its map may not be replaced (nor a second roll-forward start it).
var registerTables = []string{"assessments", "roll_forward_reviews"}

// CycleHasRegisterData reports whether register data hangs off the cycle's map.
func (s *Store) CycleHasRegisterData(ctx context.Context, enteID, cycleID string) (bool, error) {
	for _, t := range registerTables {
		var n int64
		if err := s.q(ctx).Table(t).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Limit(1).Count(&n).Error; err != nil {
			return false, wrap(err, "check register data in %s", t)
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// DeleteMap removes a cycle's map and reference tables.
func (s *Store) DeleteMap(ctx context.Context, enteID, cycleID string) error {
	tables := []string{"process_node_units", "process_node_objectives", "process_node_risk_areas", "process_nodes",
		unitsRef, objectivesRef, areasRef}
	for _, t := range tables {
		if err := s.q(ctx).Exec("DELETE FROM "+t+" WHERE ente_id = ? AND cycle_id = ?", enteID, cycleID).Error; err != nil {
			return wrap(err, "delete %s", t)
		}
	}
	return nil
}

// InsertMap writes a validated map into an empty cycle.
func (s *Store) InsertMap(ctx context.Context, enteID, cycleID string, m *domain.ProcessMap) error {
	refIDs := map[string]map[string]string{}
	for _, ref := range []struct {
		table string
		items []domain.RefItem
	}{{unitsRef, m.Units}, {objectivesRef, m.StrategicObjectives}, {areasRef, m.RiskAreas}} {
		ids := map[string]string{}
		rows := make([]refRow, len(ref.items))
		for i, it := range ref.items {
			rows[i] = refRow{ID: newID(), EnteID: enteID, CycleID: cycleID, Code: it.Code, Title: it.Title, Position: i}
			ids[it.Code] = rows[i].ID
		}
		refIDs[ref.table] = ids
		if len(rows) > 0 {
			if err := s.q(ctx).Table(ref.table).CreateInBatches(rows, batchSize).Error; err != nil {
				return wrap(err, "insert %s", ref.table)
			}
		}
	}

	granularity, err := s.cycleGranularity(ctx, enteID, cycleID)
	if err != nil {
		return err
	}
	leaves := m.LeavesAt(granularity)
	nodeIDs := make(map[string]string, len(m.Nodes))
	for _, n := range m.Nodes {
		nodeIDs[n.Code] = newID()
	}
	// Parents are inserted before children, level by level, so the self-reference always resolves.
	byDepth := make([][]nodeRow, len(domain.Levels))
	linkRows := make([][]linkRow, len(links))
	for pos, n := range m.Nodes {
		r := nodeRow{ID: nodeIDs[n.Code], EnteID: enteID, CycleID: cycleID, Code: n.Code, Level: string(n.Level),
			Title: n.Title, Function: n.Function, Marker: string(n.Marker), Note: n.Note, IsLeaf: leaves[n.Code],
			Position: pos, SearchText: n.SearchText()}
		if n.ParentCode != "" {
			pid := nodeIDs[n.ParentCode]
			r.ParentID = &pid
		}
		d := n.Level.Depth() - 1
		byDepth[d] = append(byDepth[d], r)
		for li, l := range links {
			for i, code := range *l.get(&n) {
				linkRows[li] = append(linkRows[li], linkRow{NodeID: r.ID, RefID: refIDs[l.refTable][code],
					EnteID: enteID, CycleID: cycleID, Position: i})
			}
		}
	}
	for _, rows := range byDepth {
		if len(rows) == 0 {
			continue
		}
		if err := s.q(ctx).CreateInBatches(rows, batchSize).Error; err != nil {
			return wrap(err, "insert process nodes")
		}
	}
	for li, l := range links {
		if err := s.insertLinks(ctx, l, linkRows[li]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) insertLinks(ctx context.Context, l link, rows []linkRow) error {
	for start := 0; start < len(rows); start += batchSize {
		end := min(start+batchSize, len(rows))
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + l.table + " (node_id, " + l.refColumn + ", ente_id, cycle_id, position) VALUES ")
		args := make([]any, 0, (end-start)*5)
		for i, r := range rows[start:end] {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(?,?,?,?,?)")
			args = append(args, r.NodeID, r.RefID, r.EnteID, r.CycleID, r.Position)
		}
		if err := s.q(ctx).Exec(sb.String(), args...).Error; err != nil {
			return wrap(err, "insert %s", l.table)
		}
	}
	return nil
}

// Refs loads a cycle's three reference tables.
func (s *Store) Refs(ctx context.Context, enteID, cycleID string) (units, objectives, areas []domain.RefItem, err error) {
	load := func(table string) ([]domain.RefItem, error) {
		var rows []refRow
		if err := s.q(ctx).Table(table).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).
			Order("position").Find(&rows).Error; err != nil {
			return nil, wrap(err, "load %s", table)
		}
		out := make([]domain.RefItem, len(rows))
		for i, r := range rows {
			out[i] = domain.RefItem{Code: r.Code, Title: r.Title}
		}
		return out, nil
	}
	if units, err = load(unitsRef); err != nil {
		return
	}
	if objectives, err = load(objectivesRef); err != nil {
		return
	}
	areas, err = load(areasRef)
	return
}

// Nodes loads every node of a cycle in map order, with their lists.
func (s *Store) Nodes(ctx context.Context, enteID, cycleID string) ([]domain.Node, error) {
	rows, err := scanNodes(s.q(ctx).Table("process_nodes").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("position"))
	if err != nil {
		return nil, wrap(err, "load process nodes")
	}
	nodes := toNodes(rows)
	return nodes, s.attachLists(ctx, enteID, cycleID, nodes, false)
}

// NodeWithFamily loads one node by code, its ancestors (root first) and its children.
func (s *Store) NodeWithFamily(ctx context.Context, enteID, cycleID, code string) (node domain.Node, ancestors, children []domain.Node, err error) {
	self, err := scanNodes(s.q(ctx).Table("process_nodes").Where("ente_id = ? AND cycle_id = ? AND code = ?", enteID, cycleID, code))
	if err != nil {
		return node, nil, nil, wrap(err, "load node %q", code)
	}
	if len(self) == 0 {
		return node, nil, nil, domain.NotFound("node_not_found", "node %q not found", code)
	}
	r := self[0]
	var anc []nodeRow
	if r.ParentID != nil {
		// One recursive query walks up the tree whatever its depth; the ente and cycle bind every step.
		anc, err = scanNodes(s.q(ctx).Raw(`WITH RECURSIVE up AS (
				SELECT n.* FROM process_nodes n WHERE n.id = ? AND n.ente_id = ? AND n.cycle_id = ?
				UNION ALL
				SELECT p.* FROM process_nodes p JOIN up ON p.id = up.parent_id WHERE p.ente_id = ? AND p.cycle_id = ?
			) SELECT `+nodeColumns+` FROM up ORDER BY position`, *r.ParentID, enteID, cycleID, enteID, cycleID))
		if err != nil {
			return node, nil, nil, wrap(err, "load ancestors of %q", code)
		}
	}
	kids, err := scanNodes(s.q(ctx).Table("process_nodes").Where("ente_id = ? AND cycle_id = ? AND parent_id = ?", enteID, cycleID, r.ID).
		Order("position"))
	if err != nil {
		return node, nil, nil, wrap(err, "load children of %q", code)
	}
	all := toNodes(append(append([]nodeRow{r}, anc...), kids...))
	if err = s.attachLists(ctx, enteID, cycleID, all, true); err != nil {
		return node, nil, nil, err
	}
	return all[0], all[1 : 1+len(anc)], all[1+len(anc):], nil
}

// SearchNodes returns one page of the cycle's nodes matching the filter, in map order, and the total count.
func (s *Store) SearchNodes(ctx context.Context, enteID, cycleID string, f domain.NodeFilter) ([]domain.Node, int64, error) {
	q := s.q(ctx).Model(&nodeRow{}).Where("process_nodes.ente_id = ? AND process_nodes.cycle_id = ?", enteID, cycleID)
	for _, word := range strings.Fields(domain.FoldSearch(f.Text)) {
		q = q.Where(`process_nodes.search_text LIKE ? ESCAPE '\'`, "%"+escapeLike(word)+"%")
	}
	if f.Level != "" {
		q = q.Where("process_nodes.level = ?", string(f.Level))
	}
	if f.Marker != nil {
		q = q.Where("process_nodes.marker = ?", string(*f.Marker))
	}
	if f.Leaf != nil {
		q = q.Where("process_nodes.is_leaf = ?", *f.Leaf)
	}
	for _, c := range []struct{ value, link, refColumn, refTable string }{
		{f.Unit, "process_node_units", "unit_id", unitsRef},
		{f.Objective, "process_node_objectives", "objective_id", objectivesRef},
		{f.RiskArea, "process_node_risk_areas", "risk_area_id", areasRef},
	} {
		if c.value == "" {
			continue
		}
		q = q.Where("EXISTS (SELECT 1 FROM "+c.link+" l JOIN "+c.refTable+" r ON r.id = l."+c.refColumn+
			" WHERE l.node_id = process_nodes.id AND l.ente_id = ? AND r.code = ?)", enteID, c.value)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, wrap(err, "count nodes")
	}
	if total == 0 {
		return []domain.Node{}, 0, nil
	}
	rows, err := scanNodes(q.Order("process_nodes.position").Offset((f.Page - 1) * f.PageSize).Limit(f.PageSize))
	if err != nil {
		return nil, 0, wrap(err, "search nodes")
	}
	nodes := toNodes(rows)
	return nodes, total, s.attachLists(ctx, enteID, cycleID, nodes, true)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// nodeColumns are the columns reads need, in scanNodes' order (search_text stays in the database).
const nodeColumns = "id, parent_id, code, level, title, function, marker, note, is_leaf, position"

// scanNodes runs a node query and scans its rows by hand: on a whole map this is several times cheaper than
// gorm's reflection, and the tree is the API's hottest read.
func scanNodes(q *gorm.DB) ([]nodeRow, error) {
	if q.Statement.SQL.Len() == 0 {
		q = q.Select(qualify(q, nodeColumns))
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nodeRow
	for rows.Next() {
		var r nodeRow
		var parent sql.NullString
		if err := rows.Scan(&r.ID, &parent, &r.Code, &r.Level, &r.Title, &r.Function, &r.Marker, &r.Note, &r.IsLeaf, &r.Position); err != nil {
			return nil, err
		}
		if parent.Valid {
			r.ParentID = &parent.String
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// qualify prefixes each column with the query's table, so joins in filters cannot make a column ambiguous.
func qualify(q *gorm.DB, columns string) string {
	table := q.Statement.Table
	if table == "" {
		return columns
	}
	parts := strings.Split(columns, ", ")
	for i, c := range parts {
		parts[i] = table + "." + c
	}
	return strings.Join(parts, ", ")
}

func toNodes(rows []nodeRow) []domain.Node {
	byID := make(map[string]string, len(rows))
	for _, r := range rows {
		byID[r.ID] = r.Code
	}
	out := make([]domain.Node, len(rows))
	for i, r := range rows {
		n := domain.Node{ID: r.ID, IsLeaf: r.IsLeaf, Position: r.Position, MapNode: domain.MapNode{
			Level: domain.Level(r.Level), Code: r.Code, Title: r.Title, Function: r.Function,
			Marker: domain.Marker(r.Marker), Note: r.Note,
			Units: []string{}, StrategicObjectives: []string{}, RiskAreas: []string{},
		}}
		if r.ParentID != nil {
			n.ParentID = *r.ParentID
			n.ParentCode = byID[*r.ParentID]
		}
		out[i] = n
	}
	return out
}

// attachListsInOneStatement is the most nodes whose lists attachLists reads in one statement: the statement
// names their ids once per link table (and once more for missing parents), so a longer list falls back to one
// statement per table, which keeps each statement's parameters as before.
const attachListsInOneStatement = 2000

// attachLists fills the three code lists of nodes, and the parent codes of nodes loaded without their parent,
// in one statement (a UNION ALL of the link tables and the parents; issue 19: a single node read used to take
// four). With onlyThese, the query is restricted to the given nodes; otherwise it reads the whole cycle
// (cheaper than a long IN list for a tree).
func (s *Store) attachLists(ctx context.Context, enteID, cycleID string, nodes []domain.Node, onlyThese bool) error {
	if len(nodes) == 0 {
		return nil
	}
	if onlyThese && len(nodes) > attachListsInOneStatement {
		return s.attachListsPerTable(ctx, enteID, cycleID, nodes, onlyThese)
	}
	idx := make(map[string]int, len(nodes))
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		idx[n.ID] = i
		ids[i] = n.ID
	}
	var missingParents []string
	for _, n := range nodes {
		if n.ParentID != "" && n.ParentCode == "" {
			missingParents = append(missingParents, n.ParentID)
		}
	}
	// kind k < len(links) is the link table links[k], with the id of the row it references (as text, resolved
	// below); the parents come next; then kind refKind+k, the cycle's rows of links[k].refTable (id, code).
	// Each table's rows keep the order of their position, as when they were read one table at a time. The
	// references are read beside the links rather than joined to them: among many entes PostgreSQL expects
	// one row of the join of an ente's links with their references (its join estimate divides by the ids of
	// every ente), and so hashed every ente's references or probed them once per link (the tree at 2.4× the
	// ente alone among 1,000 entes, BenchmarkManyEntes, docs/performance.md). Each part now reads only the
	// ente's cycle through its (ente_id, cycle_id) index.
	var parts []string
	var args []any
	for k, l := range links {
		part := "SELECT " + strconv.Itoa(k) + " AS kind, l.node_id AS node_id, CAST(l." + l.refColumn + " AS TEXT) AS code, l.position AS position FROM " +
			l.table + " l WHERE l.ente_id = ? AND l.cycle_id = ?"
		args = append(args, enteID, cycleID)
		if onlyThese {
			part += " AND l.node_id IN ?"
			args = append(args, ids)
		}
		parts = append(parts, part)
	}
	parentKind := len(links)
	if len(missingParents) > 0 {
		parts = append(parts, "SELECT "+strconv.Itoa(parentKind)+" AS kind, id AS node_id, code, 0 AS position FROM process_nodes "+
			"WHERE ente_id = ? AND cycle_id = ? AND id IN ?")
		args = append(args, enteID, cycleID, missingParents)
	}
	refKind := parentKind + 1
	for k, l := range links {
		parts = append(parts, "SELECT "+strconv.Itoa(refKind+k)+" AS kind, id AS node_id, code, position FROM "+l.refTable+
			" WHERE ente_id = ? AND cycle_id = ?")
		args = append(args, enteID, cycleID)
	}
	rows, err := s.q(ctx).Raw(strings.Join(parts, " UNION ALL ")+" ORDER BY kind, position", args...).Rows()
	if err != nil {
		return wrap(err, "load node lists")
	}
	defer rows.Close()
	parentCodes := map[string]string{}
	type nodeRef struct {
		kind, node int
		ref        string
	}
	var nodeRefs []nodeRef // in the order of the rows: each list in its position order
	refCodes := make([]map[string]string, len(links))
	for k := range refCodes {
		refCodes[k] = map[string]string{}
	}
	for rows.Next() {
		var kind int
		var nodeID, code string
		var position int
		if err := rows.Scan(&kind, &nodeID, &code, &position); err != nil {
			return wrap(err, "scan node lists")
		}
		switch {
		case kind == parentKind:
			parentCodes[nodeID] = code
		case kind >= refKind:
			refCodes[kind-refKind][nodeID] = code
		default:
			if i, ok := idx[nodeID]; ok {
				nodeRefs = append(nodeRefs, nodeRef{kind: kind, node: i, ref: code})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return wrap(err, "load node lists")
	}
	for _, r := range nodeRefs {
		if code, ok := refCodes[r.kind][r.ref]; ok {
			list := links[r.kind].get(&nodes[r.node].MapNode)
			*list = append(*list, code)
		}
	}
	for i := range nodes {
		if nodes[i].ParentID != "" && nodes[i].ParentCode == "" {
			nodes[i].ParentCode = parentCodes[nodes[i].ParentID]
		}
	}
	return nil
}

// attachListsPerTable is attachLists with one statement per link table (and one for missing parents), for
// lists of nodes too long to name three times in one statement.
func (s *Store) attachListsPerTable(ctx context.Context, enteID, cycleID string, nodes []domain.Node, onlyThese bool) error {
	idx := make(map[string]int, len(nodes))
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		idx[n.ID] = i
		ids[i] = n.ID
	}
	// Parent codes of nodes loaded without their parent are resolved in the same pass as the unit list.
	var missingParents []string
	for _, n := range nodes {
		if n.ParentID != "" && n.ParentCode == "" {
			missingParents = append(missingParents, n.ParentID)
		}
	}
	if len(missingParents) > 0 {
		var parents []struct{ ID, Code string }
		if err := s.q(ctx).Table("process_nodes").Select("id, code").
			Where("ente_id = ? AND cycle_id = ? AND id IN ?", enteID, cycleID, missingParents).Scan(&parents).Error; err != nil {
			return wrap(err, "load parent codes")
		}
		codes := make(map[string]string, len(parents))
		for _, p := range parents {
			codes[p.ID] = p.Code
		}
		for i := range nodes {
			if nodes[i].ParentID != "" && nodes[i].ParentCode == "" {
				nodes[i].ParentCode = codes[nodes[i].ParentID]
			}
		}
	}
	for _, l := range links {
		q := s.q(ctx).Table(l.table+" l").Select("l.node_id AS node_id, r.code AS code").
			Joins("JOIN "+l.refTable+" r ON r.id = l."+l.refColumn).
			Where("l.ente_id = ? AND l.cycle_id = ?", enteID, cycleID)
		if onlyThese {
			q = q.Where("l.node_id IN ?", ids)
		}
		rows, err := q.Order("l.position").Rows()
		if err != nil {
			return wrap(err, "load %s", l.table)
		}
		for rows.Next() {
			var nodeID, code string
			if err := rows.Scan(&nodeID, &code); err != nil {
				rows.Close()
				return wrap(err, "scan %s", l.table)
			}
			if i, ok := idx[nodeID]; ok {
				list := l.get(&nodes[i].MapNode)
				*list = append(*list, code)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap(err, "load %s", l.table)
		}
	}
	return nil
}
