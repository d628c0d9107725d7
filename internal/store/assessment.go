package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

type assessmentRow struct {
	ID        string
	EnteID    string
	CycleID   string
	NodeID    string
	State     string
	Level     string
	LevelRank int
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
}

func (assessmentRow) TableName() string { return "assessments" }

type riskEntryRow struct {
	ID               string
	EnteID           string
	CycleID          string
	AssessmentID     string
	Position         int
	EventCode        string
	EventDescription string
	Context          string
	EnablingFactors  string
	Inherent         string
	InherentLevel    string
	InherentRank     int
	InherentCellL    int
	InherentCellI    int
	Decision         string
	Priority         int
	Residual         string
	ResidualLevel    string
	ResidualRank     int
	ResidualCellL    int
	ResidualCellI    int
	Version          int64
}

func (riskEntryRow) TableName() string { return "risk_entries" }

type measureRow struct {
	ID                 string
	EnteID             string
	CycleID            string
	AssessmentID       string
	Position           int
	Nature             string
	GeneralCode        string
	MeasureType        string
	Title              string
	Description        string
	UnitCode           string
	Owner              string
	StartDate          string
	EndDate            string
	Phases             string
	Indicators         string
	StrategicObjective string
	CostNote           string
	EnablingFactors    string // ';'-separated factor codes
	Status             string
	Version            int64
	WithdrawnAt        *time.Time
	WithdrawnReason    string
	DerivedFrom        string
}

func (measureRow) TableName() string { return "measures" }

type measureRiskRow struct {
	MeasureID   string
	RiskEntryID string
	EnteID      string
}

func (measureRiskRow) TableName() string { return "measure_risks" }

func splitCodes(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ";")
}

// Assessment loads the assessment of a node; none yet is domain.ErrNotFound.
func (s *Store) Assessment(ctx context.Context, enteID, cycleID, nodeID string) (*domain.Assessment, error) {
	var a assessmentRow
	res := s.q(ctx).Where("ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).Limit(1).Find(&a)
	if res.Error != nil {
		return nil, wrap(res.Error, "load assessment")
	}
	if res.RowsAffected == 0 {
		return nil, domain.NotFound("assessment_not_found", "no assessment yet")
	}
	var risks []riskEntryRow
	if err := s.q(ctx).Where("ente_id = ? AND assessment_id = ?", enteID, a.ID).Order("position").Find(&risks).Error; err != nil {
		return nil, wrap(err, "load risk entries")
	}
	var measures []measureRow
	if err := s.q(ctx).Where("ente_id = ? AND assessment_id = ?", enteID, a.ID).Order("position, id").Find(&measures).Error; err != nil {
		return nil, wrap(err, "load measures")
	}
	var links []measureRiskRow
	if err := s.q(ctx).Table("measure_risks mr").Select("mr.measure_id, mr.risk_entry_id").
		Joins("JOIN risk_entries r ON r.id = mr.risk_entry_id").Where("mr.ente_id = ? AND r.assessment_id = ?", enteID, a.ID).
		Order("mr.measure_id, mr.risk_entry_id").Find(&links).Error; err != nil {
		return nil, wrap(err, "load measure links")
	}
	out := &domain.Assessment{State: domain.AssessmentState(a.State), Version: a.Version, Level: a.Level,
		Risks: make([]domain.RiskEntry, len(risks)), Measures: []domain.Measure{}, Withdrawn: []domain.Measure{}}
	updated := a.UpdatedAt
	out.UpdatedAt = &updated
	keyOf := map[string]string{}
	withdrawn := map[string]int{}
	for _, m := range measures {
		dm, err := m.domain()
		if err != nil {
			return nil, err
		}
		if dm.WithdrawnAt != nil {
			// A retired measure is shown apart, with the risks it treated when withdrawn; it no longer
			// counts among the measures treating them.
			dm.TreatedRisks = []string{}
			withdrawn[m.ID] = len(out.Withdrawn)
			out.Withdrawn = append(out.Withdrawn, dm)
			continue
		}
		keyOf[m.ID] = dm.Key
		out.Measures = append(out.Measures, dm)
	}
	byRisk := map[string][]string{}
	for _, l := range links {
		if i, ok := withdrawn[l.MeasureID]; ok {
			out.Withdrawn[i].TreatedRisks = append(out.Withdrawn[i].TreatedRisks, l.RiskEntryID)
			continue
		}
		ref, own := keyOf[l.MeasureID]
		if !own {
			ref = l.MeasureID // a measure planned by another leaf's assessment
		}
		byRisk[l.RiskEntryID] = append(byRisk[l.RiskEntryID], ref)
	}
	for i, r := range risks {
		dr := domain.RiskEntry{ID: r.ID, EventCode: r.EventCode, EventDescription: r.EventDescription, Context: r.Context,
			EnablingFactors: splitCodes(r.EnablingFactors), Decision: domain.Decision(r.Decision), Priority: r.Priority,
			Measures: byRisk[r.ID], Version: r.Version}
		if dr.Measures == nil {
			dr.Measures = []string{}
		}
		if err := decodeJudgement(r.Inherent, &dr.Inherent); err != nil {
			return nil, wrap(err, "decode judgement")
		}
		if r.Residual != "" {
			dr.Residual = &domain.Judgement{}
			if err := decodeJudgement(r.Residual, dr.Residual); err != nil {
				return nil, wrap(err, "decode judgement")
			}
		}
		out.Risks[i] = dr
	}
	if err := s.fillProgrammeLinks(ctx, enteID, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (m measureRow) domain() (domain.Measure, error) {
	dm := domain.Measure{ID: m.ID, Key: m.ID, Nature: m.Nature, GeneralCode: m.GeneralCode, Type: m.MeasureType,
		Title: m.Title, Description: m.Description, Unit: m.UnitCode, Owner: m.Owner, Start: m.StartDate, End: m.EndDate,
		StrategicObjective: m.StrategicObjective, CostNote: m.CostNote, EnablingFactors: splitCodes(m.EnablingFactors),
		Status: domain.MeasureStatus(m.Status), Version: m.Version,
		DerivedFrom: m.DerivedFrom, WithdrawnAt: m.WithdrawnAt, WithdrawnReason: m.WithdrawnReason}
	if err := decodePhases(m.Phases, &dm.Phases); err != nil {
		return dm, wrap(err, "decode phases")
	}
	if err := decodeIndicators(m.Indicators, &dm.Indicators); err != nil {
		return dm, wrap(err, "decode indicators")
	}
	dm.Missing = dm.MissingForAdoption()
	return dm, nil
}

// RegisterFilter selects rows of the register.
type RegisterFilter struct {
	Unit, RiskArea, Level, MeasureType, MeasureStatus, State, Text string
	// Marker keeps the rows whose leaf, or a process or sub-process above it, carries that marker ("*", "**");
	// "none" keeps those with no marker on the way up (see markerScope).
	Marker string
	// InherentCell and ResidualCell, when set, keep the rows whose judgement falls in that heat-map cell
	// (likelihood, impact); a row without that judgement never matches.
	InherentCell, ResidualCell *Cell
	Page, PageSize             int
	// WithTotal asks for the number of rows the filter keeps; without it a page says only whether more follow.
	WithTotal bool
	// After, when set, asks for the rows that follow this one in map order instead of a page by number
	// (keyset pagination): the page then reads only its own rows, however deep in the register, and Page is
	// not used. The key is the last row of the previous page (RegisterRow.Key).
	After *RegisterKey
}

// RegisterKey is the place of a register row in map order: the leaf's position and id, then the risk's
// position and id. The ids make it unique (positions are not constrained to be), so a page that starts after
// a key neither repeats nor skips a row.
type RegisterKey struct {
	NodePosition int    `json:"np"`
	NodeID       string `json:"n"`
	RiskPosition int    `json:"rp"`
	RiskID       string `json:"r"`
}

// registerOrder is the register's one order (map order), with the ids as tie-breakers; the keyset condition
// (afterKey) follows the same columns.
const registerOrder = "n.position, n.id, r.position, r.id"

// afterKey keeps the rows after k in registerOrder. The leading "n.position >= ?" is implied by the rest; it is
// said so that the planner can start the walk of process_nodes (ente_id, cycle_id, position) at the key.
func afterKey(q *gorm.DB, k RegisterKey) *gorm.DB {
	return q.Where(`n.position >= ? AND (n.position > ? OR (n.position = ? AND (n.id > ? OR (n.id = ? AND
		(r.position > ? OR (r.position = ? AND r.id > ?))))))`, k.NodePosition, k.NodePosition, k.NodePosition,
		k.NodeID, k.NodeID, k.RiskPosition, k.RiskPosition, k.RiskID)
}

// Cell is a heat-map cell, [likelihood, impact] in JSON.
type Cell [2]int

// RegisterRow is one leaf × risk entry of the register.
type RegisterRow struct {
	Node             string   `json:"node"`
	NodeTitle        string   `json:"node_title"`
	Units            []string `json:"units"`
	RiskAreas        []string `json:"risk_areas"`
	State            string   `json:"state"`
	RiskID           string   `json:"risk_id"`
	EventCode        string   `json:"event_code"`
	EventDescription string   `json:"event_description"`
	InherentLevel    string   `json:"inherent_level"`
	ResidualLevel    string   `json:"residual_level"`
	// InherentCell and ResidualCell are the heat-map cells of the judgements, as the heat map counts them;
	// null when that judgement is absent.
	InherentCell *Cell    `json:"inherent_cell"`
	ResidualCell *Cell    `json:"residual_cell"`
	Decision     string   `json:"decision"`
	Priority     int      `json:"priority"`
	MeasureTypes []string `json:"measure_types"`
	Measures     int      `json:"measures"`
	// MeasuresMissing lists what the row's measures still need before adoption (phases, dates, unit,
	// indicator_target), so nothing incomplete passes unnoticed.
	MeasuresMissing  []string `json:"measures_missing"`
	nodeID           string
	nodePos, riskPos int
}

// Key is the row's place in map order, from which the next page starts (RegisterFilter.After).
func (r RegisterRow) Key() RegisterKey {
	return RegisterKey{NodePosition: r.nodePos, NodeID: r.nodeID, RiskPosition: r.riskPos, RiskID: r.RiskID}
}

// needsLeaf says whether the filter reads the leaf (n) or its assessment (a) of a register row; a count that
// reads no column of theirs can then leave them out (riskScope).
func (f RegisterFilter) needsLeaf() bool {
	return f.Unit != "" || f.RiskArea != "" || f.Marker != "" || f.State != ""
}

func (s *Store) registerScope(ctx context.Context, enteID, cycleID string, f RegisterFilter) *gorm.DB {
	q := s.q(ctx).Table("risk_entries r").
		Joins("JOIN assessments a ON a.id = r.assessment_id").
		Joins("JOIN process_nodes n ON n.id = a.node_id").
		// The ente and cycle are said of the leaf and its assessment (the cycle is implied for a and n), so that
		// the walk in map order can follow the index process_nodes (ente_id, cycle_id, position) and stop at the
		// page's end (keyset pagination).
		Where("a.ente_id = ? AND a.cycle_id = ? AND n.ente_id = ? AND n.cycle_id = ?", enteID, cycleID, enteID, cycleID)
	if f.readsRiskIndexes() {
		// Said of the risks too only for a filter on their own columns, whose indexes lead with (ente_id,
		// cycle_id): the search then starts from the risks that match. Without one, the risks are reached
		// through their assessment's id alone: among many entes PostgreSQL, which misjudges the join of one
		// ente's leaves and assessments as a single row, otherwise probed the risks for every leaf with the
		// (ente_id, cycle_id) index ANDed to the assessment's, 1.5–1.9× the same page of the ente alone
		// (BenchmarkManyEntes, docs/performance.md).
		q = q.Where("r.ente_id = ? AND r.cycle_id = ?", enteID, cycleID)
	}
	return registerFilters(q, enteID, cycleID, f)
}

// readsRiskIndexes says whether the filter keeps rows by columns of risk_entries that its indexes
// (ente_id, cycle_id, …) serve: the level and the heat-map cells.
func (f RegisterFilter) readsRiskIndexes() bool {
	return f.Level != "" || f.InherentCell != nil || f.ResidualCell != nil
}

// riskScope is registerScope for a count that reads only risk_entries' columns with a filter that needs
// neither the leaf nor its assessment (!f.needsLeaf()): every risk of the ente's cycle belongs to an assessment
// of a leaf of that cycle, so the joins keep every row and are left out. With many entes PostgreSQL misjudges
// the size of the join of one ente's nodes and assessments (its join estimate divides by the distinct node ids
// of every ente: one row, at 1,000 entes) and then probes the risks' (ente, cycle) index once per assessment
// (BenchmarkManyEntes, docs/performance.md).
func (s *Store) riskScope(ctx context.Context, enteID, cycleID string, f RegisterFilter) *gorm.DB {
	if f.needsLeaf() {
		return s.registerScope(ctx, enteID, cycleID, f)
	}
	q := s.q(ctx).Table("risk_entries r").Where("r.ente_id = ? AND r.cycle_id = ?", enteID, cycleID)
	return registerFilters(q, enteID, cycleID, f)
}

// registerFilters adds the filter's conditions to a scope of the register (r, and a and n when
// f.needsLeaf()).
func registerFilters(q *gorm.DB, enteID, cycleID string, f RegisterFilter) *gorm.DB {
	if f.Unit != "" {
		q = q.Where("EXISTS (SELECT 1 FROM process_node_units l JOIN org_units u ON u.id = l.unit_id WHERE l.node_id = n.id AND l.ente_id = ? AND u.code = ?)", enteID, f.Unit)
	}
	if f.RiskArea != "" {
		q = q.Where("EXISTS (SELECT 1 FROM process_node_risk_areas l JOIN risk_areas x ON x.id = l.risk_area_id WHERE l.node_id = n.id AND l.ente_id = ? AND x.code = ?)", enteID, f.RiskArea)
	}
	if f.Level != "" {
		q = q.Where("r.inherent_level = ?", f.Level)
	}
	q = markerScope(q, enteID, cycleID, f.Marker)
	if f.State != "" {
		q = q.Where("a.state = ?", f.State)
	}
	// The same conditions as the heat map's cells, so a cell's count equals the rows this filter keeps.
	if c := f.InherentCell; c != nil {
		q = q.Where("r.inherent_level <> '' AND r.inherent_cell_l = ? AND r.inherent_cell_i = ?", c[0], c[1])
	}
	if c := f.ResidualCell; c != nil {
		q = q.Where("r.residual_level <> '' AND r.residual_cell_l = ? AND r.residual_cell_i = ?", c[0], c[1])
	}
	if f.MeasureStatus != "" {
		// The measure's ente and cycle are the risk's: said here so that the index on the status serves it.
		q = q.Where("EXISTS (SELECT 1 FROM measure_risks mr JOIN measures m ON m.id = mr.measure_id WHERE mr.risk_entry_id = r.id AND mr.ente_id = ? AND m.ente_id = ? AND m.cycle_id = ? AND m.withdrawn_at IS NULL AND m.status = ?)", enteID, enteID, cycleID, f.MeasureStatus)
	}
	if f.MeasureType != "" {
		q = q.Where("EXISTS (SELECT 1 FROM measure_risks mr JOIN measures m ON m.id = mr.measure_id WHERE mr.risk_entry_id = r.id AND mr.ente_id = ? AND m.ente_id = ? AND m.cycle_id = ? AND m.withdrawn_at IS NULL AND m.measure_type = ?)", enteID, enteID, cycleID, f.MeasureType)
	}
	// Node titles are stored folded (search_text); event descriptions are not, so each word is also looked for as
	// typed (lower case, accents kept): "rappresentatività" finds the event that says it.
	folded, typed := strings.Fields(domain.FoldSearch(f.Text)), strings.Fields(strings.ToLower(f.Text))
	for i, w := range folded {
		like := "%" + escapeLike(w) + "%"
		asTyped := like
		if len(typed) == len(folded) {
			asTyped = "%" + escapeLike(typed[i]) + "%"
		}
		// Said as the set of the risks that match (through their leaf's title, or their own event), so that the
		// planner can find them first, through the trigram indexes of migration 00036 where PostgreSQL has
		// pg_trgm, instead of testing every row of the register.
		q = q.Where(`r.id IN (SELECT e.id FROM process_nodes p JOIN assessments pa ON pa.node_id = p.id AND pa.cycle_id = p.cycle_id
				JOIN risk_entries e ON e.assessment_id = pa.id
				WHERE p.ente_id = ? AND p.cycle_id = ? AND p.search_text LIKE ? ESCAPE '\'
			UNION ALL SELECT e.id FROM risk_entries e WHERE e.ente_id = ? AND e.cycle_id = ? AND (LOWER(e.event_description) LIKE ? ESCAPE '\'
				OR LOWER(e.event_description) LIKE ? ESCAPE '\' OR LOWER(e.event_code) LIKE ? ESCAPE '\'))`,
			enteID, cycleID, like, enteID, cycleID, like, asTyped, like)
	}
	return q
}

// Register returns one page of the register in map order, and whether more rows follow, with a fixed number
// of statements (three; TestSaveStatementsConstant). The total is counted only when f.WithTotal asks for it,
// in the same statement as the page (a window count): a page no longer costs a second pass over the register
// (a page after a key, f.After, counts in a statement of its own). total is -1 when not asked.
func (s *Store) Register(ctx context.Context, enteID, cycleID string, f RegisterFilter) (out []RegisterRow, total int64, more bool, err error) {
	out, total = []RegisterRow{}, -1
	cols := "n.id, n.code, n.title, a.state, r.id, r.event_code, r.event_description, r.inherent_level, r.residual_level, " +
		"r.inherent_cell_l, r.inherent_cell_i, r.residual_cell_l, r.residual_cell_i, r.decision, r.priority, n.position, r.position"
	// A page after a key counts apart: the window would count only the rows after the key.
	windowTotal := f.WithTotal && f.After == nil
	if windowTotal {
		cols += ", COUNT(*) OVER ()"
	}
	// One row more than the page tells whether another page follows.
	q := s.registerScope(ctx, enteID, cycleID, f).Select(cols).Order(registerOrder).Limit(f.PageSize + 1)
	if f.After != nil {
		q = afterKey(q, *f.After)
	} else {
		q = q.Offset((f.Page - 1) * f.PageSize)
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, 0, false, wrap(err, "read register")
	}
	defer rows.Close()
	for rows.Next() {
		var r RegisterRow
		var inherent, residual Cell
		dest := []any{&r.nodeID, &r.Node, &r.NodeTitle, &r.State, &r.RiskID, &r.EventCode, &r.EventDescription,
			&r.InherentLevel, &r.ResidualLevel, &inherent[0], &inherent[1], &residual[0], &residual[1], &r.Decision, &r.Priority,
			&r.nodePos, &r.riskPos}
		if windowTotal {
			dest = append(dest, &total)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, false, wrap(err, "scan register")
		}
		if len(out) == f.PageSize {
			more = true
			continue
		}
		// A judgement without a level is absent, and the heat map does not count its cell either.
		if r.InherentLevel != "" {
			r.InherentCell = &inherent
		}
		if r.ResidualLevel != "" {
			r.ResidualCell = &residual
		}
		r.MeasureTypes, r.MeasuresMissing = []string{}, []string{}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, wrap(err, "read register")
	}
	if f.WithTotal && total < 0 {
		// A page past the end has no row to carry the window count, and a page after a key has none.
		if err := s.registerScope(ctx, enteID, cycleID, f).Count(&total).Error; err != nil {
			return nil, 0, false, wrap(err, "count register")
		}
	}
	if len(out) == 0 {
		return out, total, false, nil
	}
	// The node lists (units, areas) of the whole page in one statement, and its measures in another.
	nodeIDs := make([]string, 0, len(out))
	seen := map[string]bool{}
	for _, r := range out {
		if !seen[r.nodeID] {
			seen[r.nodeID] = true
			nodeIDs = append(nodeIDs, r.nodeID)
		}
	}
	units, areas, err := s.nodeUnitsAndAreas(ctx, enteID, cycleID, nodeIDs)
	if err != nil {
		return nil, 0, false, err
	}
	for i := range out {
		out[i].Units, out[i].RiskAreas = orEmptyList(units[out[i].nodeID]), orEmptyList(areas[out[i].nodeID])
	}
	riskIdx := map[string]int{}
	riskIDs := make([]string, len(out))
	for i := range out {
		riskIdx[out[i].RiskID] = i
		riskIDs[i] = out[i].RiskID
	}
	mrows, err := s.q(ctx).Table("measure_risks mr").
		Select("mr.risk_entry_id, m.measure_type, m.description, m.unit_code, m.start_date, m.end_date, m.phases, m.indicators").
		Joins("JOIN measures m ON m.id = mr.measure_id AND m.withdrawn_at IS NULL").Where("mr.ente_id = ? AND mr.risk_entry_id IN ?", enteID, riskIDs).
		Order("m.measure_type").Rows()
	if err != nil {
		return nil, 0, false, wrap(err, "read register measures")
	}
	defer mrows.Close()
	for mrows.Next() {
		var rid, phases, indicators string
		var m domain.Measure
		if err := mrows.Scan(&rid, &m.Type, &m.Description, &m.Unit, &m.Start, &m.End, &phases, &indicators); err != nil {
			return nil, 0, false, wrap(err, "scan register measures")
		}
		_ = decodePhases(phases, &m.Phases)
		_ = decodeIndicators(indicators, &m.Indicators)
		r := &out[riskIdx[rid]]
		r.Measures++
		if len(r.MeasureTypes) == 0 || r.MeasureTypes[len(r.MeasureTypes)-1] != m.Type {
			r.MeasureTypes = append(r.MeasureTypes, m.Type)
		}
		for _, missing := range m.MissingForAdoption() {
			if !slices.Contains(r.MeasuresMissing, missing) {
				r.MeasuresMissing = append(r.MeasuresMissing, missing)
			}
		}
	}
	return out, total, more, wrap(mrows.Err(), "read register measures")
}

func orEmptyList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// nodeUnitsAndAreas reads the unit and risk-area codes of the given nodes, in the map's order, in one statement.
func (s *Store) nodeUnitsAndAreas(ctx context.Context, enteID, cycleID string, nodeIDs []string) (units, areas map[string][]string, err error) {
	units, areas = map[string][]string{}, map[string][]string{}
	rows, err := s.q(ctx).Raw(`SELECT 'u' AS k, l.node_id, x.code, l.position FROM process_node_units l JOIN org_units x ON x.id = l.unit_id
			WHERE l.ente_id = ? AND l.cycle_id = ? AND l.node_id IN ?
		UNION ALL
		SELECT 'a', l.node_id, x.code, l.position FROM process_node_risk_areas l JOIN risk_areas x ON x.id = l.risk_area_id
			WHERE l.ente_id = ? AND l.cycle_id = ? AND l.node_id IN ?
		ORDER BY 1, 2, 4`, enteID, cycleID, nodeIDs, enteID, cycleID, nodeIDs).Rows()
	if err != nil {
		return nil, nil, wrap(err, "load node units and areas")
	}
	defer rows.Close()
	for rows.Next() {
		var k, node, code string
		var pos int
		if err := rows.Scan(&k, &node, &code, &pos); err != nil {
			return nil, nil, wrap(err, "scan node units and areas")
		}
		if k == "u" {
			units[node] = append(units[node], code)
		} else {
			areas[node] = append(areas[node], code)
		}
	}
	return units, areas, wrap(rows.Err(), "read node units and areas")
}

// HeatCell is the count of risk entries in one likelihood × impact cell.
type HeatCell struct {
	Likelihood int `json:"likelihood"`
	Impact     int `json:"impact"`
	Count      int `json:"count"`
}

// Heatmap counts the register's risk entries per cell, inherent and residual.
func (s *Store) Heatmap(ctx context.Context, enteID, cycleID string, f RegisterFilter) (inherent, residual []HeatCell, err error) {
	count := func(l, i, extra string) ([]HeatCell, error) {
		q := s.riskScope(ctx, enteID, cycleID, f)
		if extra != "" {
			q = q.Where(extra)
		}
		rows, err := q.Select(l + ", " + i + ", COUNT(*)").Group(l + ", " + i).Order(l + ", " + i).Rows()
		if err != nil {
			return nil, wrap(err, "count heat map")
		}
		defer rows.Close()
		out := []HeatCell{}
		for rows.Next() {
			var c HeatCell
			if err := rows.Scan(&c.Likelihood, &c.Impact, &c.Count); err != nil {
				return nil, wrap(err, "scan heat map")
			}
			out = append(out, c)
		}
		return out, rows.Err()
	}
	// A judgement counts when it has a level; RegisterRow's cells and RegisterFilter's cell filters say the same.
	if inherent, err = count("r.inherent_cell_l", "r.inherent_cell_i", "r.inherent_level <> ''"); err != nil {
		return nil, nil, err
	}
	residual, err = count("r.residual_cell_l", "r.residual_cell_i", "r.residual_level <> ''")
	return inherent, residual, err
}

// CycleHasSubmittedAssessments reports whether any assessment of the cycle left the draft state; from then
// on the cycle's methodology is fixed.
func (s *Store) CycleHasSubmittedAssessments(ctx context.Context, enteID, cycleID string) (bool, error) {
	var n int64
	err := s.q(ctx).Table("assessments").Where("ente_id = ? AND cycle_id = ? AND state <> ?", enteID, cycleID, string(domain.StateDraft)).
		Limit(1).Count(&n).Error
	return n > 0, wrap(err, "check submitted assessments")
}

// LevelOf is the worst assessed level under a node.
type LevelOf struct {
	NodeID string
	Level  string
	Rank   int
}

// AssessedLevels returns the level of every assessed leaf of a cycle.
func (s *Store) AssessedLevels(ctx context.Context, enteID, cycleID string) ([]LevelOf, error) {
	var out []LevelOf
	err := s.q(ctx).Table("assessments").Select("node_id, level, level_rank AS rank").
		Where("ente_id = ? AND cycle_id = ? AND level <> ''", enteID, cycleID).Scan(&out).Error
	return out, wrap(err, "load assessed levels")
}

// WorstLevelsUnder returns, for each of the given nodes, the worst level assessed among its descendant leaves
// (or itself), in one recursive query.
func (s *Store) WorstLevelsUnder(ctx context.Context, enteID, cycleID string, nodeIDs []string) (map[string]LevelOf, error) {
	out := map[string]LevelOf{}
	if len(nodeIDs) == 0 {
		return out, nil
	}
	rows, err := s.q(ctx).Raw(`WITH RECURSIVE down AS (
			SELECT n.id, n.id AS top FROM process_nodes n WHERE n.ente_id = ? AND n.cycle_id = ? AND n.id IN ?
			UNION ALL
			SELECT c.id, d.top FROM process_nodes c JOIN down d ON c.parent_id = d.id WHERE c.ente_id = ? AND c.cycle_id = ?
		) SELECT d.top, a.level, a.level_rank FROM down d JOIN assessments a ON a.node_id = d.id
		WHERE a.ente_id = ? AND a.level <> ''`, enteID, cycleID, nodeIDs, enteID, cycleID, enteID).Rows()
	if err != nil {
		return nil, wrap(err, "load levels under nodes")
	}
	defer rows.Close()
	for rows.Next() {
		var l LevelOf
		if err := rows.Scan(&l.NodeID, &l.Level, &l.Rank); err != nil {
			return nil, wrap(err, "scan levels")
		}
		if cur, ok := out[l.NodeID]; !ok || l.Rank > cur.Rank {
			out[l.NodeID] = l
		}
	}
	return out, rows.Err()
}

// MeasureIDs lists the ids of a cycle's measures in force (withdrawn ones can no longer treat a risk).
func (s *Store) MeasureIDs(ctx context.Context, enteID, cycleID string) ([]string, error) {
	var ids []string
	err := s.q(ctx).Table("measures").Where("ente_id = ? AND cycle_id = ? AND withdrawn_at IS NULL", enteID, cycleID).Pluck("id", &ids).Error
	return ids, wrap(err, "list measures")
}

// NodeByCode loads one node of a cycle with its lists.
func (s *Store) NodeByCode(ctx context.Context, enteID, cycleID, code string) (domain.Node, error) {
	rows, err := scanNodes(s.q(ctx).Table("process_nodes").Where("ente_id = ? AND cycle_id = ? AND code = ?", enteID, cycleID, code))
	if err != nil {
		return domain.Node{}, wrap(err, "load node %q", code)
	}
	if len(rows) == 0 {
		return domain.Node{}, domain.NotFound("node_not_found", "node %q not found", code)
	}
	nodes := toNodes(rows)
	return nodes[0], s.attachLists(ctx, enteID, cycleID, nodes, true)
}
