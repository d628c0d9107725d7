package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	if err := s.q(ctx).Where("ente_id = ? AND assessment_id = ?", enteID, a.ID).Order("position").Find(&measures).Error; err != nil {
		return nil, wrap(err, "load measures")
	}
	var links []measureRiskRow
	if err := s.q(ctx).Table("measure_risks mr").Select("mr.measure_id, mr.risk_entry_id").
		Joins("JOIN risk_entries r ON r.id = mr.risk_entry_id").Where("mr.ente_id = ? AND r.assessment_id = ?", enteID, a.ID).
		Order("mr.measure_id").Find(&links).Error; err != nil {
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
		if err := json.Unmarshal([]byte(r.Inherent), &dr.Inherent); err != nil {
			return nil, wrap(err, "decode judgement")
		}
		if r.Residual != "" {
			dr.Residual = &domain.Judgement{}
			if err := json.Unmarshal([]byte(r.Residual), dr.Residual); err != nil {
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
		StrategicObjective: m.StrategicObjective, Status: domain.MeasureStatus(m.Status), Version: m.Version,
		DerivedFrom: m.DerivedFrom, WithdrawnAt: m.WithdrawnAt, WithdrawnReason: m.WithdrawnReason}
	if err := json.Unmarshal([]byte(m.Phases), &dm.Phases); err != nil {
		return dm, wrap(err, "decode phases")
	}
	if err := json.Unmarshal([]byte(m.Indicators), &dm.Indicators); err != nil {
		return dm, wrap(err, "decode indicators")
	}
	dm.Missing = dm.MissingForAdoption()
	return dm, nil
}

// RetiredMeasure is a measure a save withdrew instead of deleting, because something still refers to it.
type RetiredMeasure struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

// SaveResult says what a save did beyond writing the content: the new version, and the measures it removed
// (retired when they have history, deleted when nothing refers to them).
type SaveResult struct {
	Version int64
	Retired []RetiredMeasure
	Deleted []string
}

// editableStates are the states in which an assessment's content may be written.
var editableStates = []string{string(domain.StateDraft), string(domain.StateReturned)}

// SaveAssessment writes an evaluated assessment of a node. expectVersion is the version the caller read (0:
// none existed); a stale one is a *domain.ConflictError with the current version, and an assessment no longer
// in an editable state is an assessment_not_editable conflict: both are checked on the locked row, so a
// submission that commits meanwhile cannot be overwritten. Run it in a transaction.
//
// Risks and measures keep their identity: one that carries the id of a row of this assessment updates that
// row in place (and only when it changed, bumping its version); one without id is a new row; an id that is
// not one of the assessment's own current rows is refused with the field's path. A removed measure that
// monitoring, evidence or another assessment's risks refer to is retired (withdrawn_at, with the reason given
// in a.Withdrawn or domain.DefaultWithdrawnReason), never deleted; nothing refers to a removed risk but its
// own links, which go with it.
func (s *Store) SaveAssessment(ctx context.Context, enteID, cycleID, nodeID string, a *domain.Assessment, expectVersion int64, by string) (SaveResult, error) {
	var res SaveResult
	t := now()
	rank := 0
	for _, r := range a.Risks {
		if r.InherentScore != nil && r.InherentScore.Rank > rank {
			rank = r.InherentScore.Rank
		}
	}
	if a.Level == "" {
		rank = 0 // a draft with a risk not fully judged has no level yet (see Assessment.Evaluate)
	}
	var row assessmentRow
	found := s.forUpdate(s.q(ctx)).Where("ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).Limit(1).Find(&row)
	if found.Error != nil {
		return res, wrap(found.Error, "load assessment")
	}
	stale := func(current int64) error {
		return &domain.ConflictError{Code: "version_conflict", CurrentVersion: current,
			Message: "the assessment was changed by someone else: reload, compare and apply your changes again"}
	}
	notEditable := func(state string) error {
		return domain.Conflict("assessment_not_editable", "the assessment is %s: it cannot be edited now", state)
	}
	var oldRisks []riskEntryRow
	var oldMeasures []measureRow
	var oldLinks []measureRiskRow
	if found.RowsAffected == 0 {
		if expectVersion != 0 {
			return res, stale(0)
		}
		row = assessmentRow{ID: newID(), EnteID: enteID, CycleID: cycleID, NodeID: nodeID, State: string(domain.StateDraft),
			Level: a.Level, LevelRank: rank, Version: 1, CreatedAt: t, UpdatedAt: t, UpdatedBy: by}
		err := s.q(ctx).Create(&row).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return res, stale(1)
		}
		if err != nil {
			return res, wrap(err, "create assessment")
		}
	} else {
		if !domain.AssessmentState(row.State).Editable() {
			return res, notEditable(row.State)
		}
		if row.Version != expectVersion {
			return res, stale(row.Version)
		}
		// The state and the version are checked again in the statement itself: the row lock above is
		// PostgreSQL's; this condition holds whatever the database.
		upd := s.q(ctx).Model(&assessmentRow{}).Where("id = ? AND version = ? AND state IN ?", row.ID, expectVersion, editableStates).
			Updates(map[string]any{"level": a.Level, "level_rank": rank, "version": gorm.Expr("version + 1"),
				"state": string(domain.StateDraft), "updated_at": t, "updated_by": by})
		if upd.Error != nil {
			return res, wrap(upd.Error, "update assessment")
		}
		if upd.RowsAffected != 1 {
			return res, stale(row.Version)
		}
		row.Version++
		if err := s.q(ctx).Where("ente_id = ? AND assessment_id = ?", enteID, row.ID).Find(&oldRisks).Error; err != nil {
			return res, wrap(err, "load risk entries")
		}
		if err := s.q(ctx).Where("ente_id = ? AND assessment_id = ?", enteID, row.ID).Find(&oldMeasures).Error; err != nil {
			return res, wrap(err, "load measures")
		}
		// The links this assessment owns: those of its own risks.
		if err := s.q(ctx).Table("measure_risks mr").Select("mr.measure_id, mr.risk_entry_id, mr.ente_id").
			Joins("JOIN risk_entries r ON r.id = mr.risk_entry_id").Where("mr.ente_id = ? AND r.assessment_id = ?", enteID, row.ID).
			Find(&oldLinks).Error; err != nil {
			return res, wrap(err, "load measure links")
		}
	}
	res.Version = row.Version

	var problems []domain.FieldError
	bad := func(field, code, format string, args ...any) {
		problems = append(problems, domain.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	activeMeasure, withdrawnMeasure := map[string]*measureRow{}, map[string]bool{}
	for i := range oldMeasures {
		if oldMeasures[i].WithdrawnAt != nil {
			withdrawnMeasure[oldMeasures[i].ID] = true
		} else {
			activeMeasure[oldMeasures[i].ID] = &oldMeasures[i]
		}
	}
	oldRisk := map[string]*riskEntryRow{}
	for i := range oldRisks {
		oldRisk[oldRisks[i].ID] = &oldRisks[i]
	}

	// Measures: match by id, build the rows as they should be.
	measureIDs := map[string]string{} // key -> id
	kept := map[string]bool{}
	var inserts []measureRow
	var updates []measureRow
	for i, m := range a.Measures {
		phases, _ := json.Marshal(m.Phases)
		indicators, _ := json.Marshal(m.Indicators)
		want := measureRow{ID: m.ID, EnteID: enteID, CycleID: cycleID, AssessmentID: row.ID, Position: i,
			Nature: m.Nature, GeneralCode: m.GeneralCode, MeasureType: m.Type, Title: m.Title, Description: m.Description,
			UnitCode: m.Unit, Owner: m.Owner, StartDate: m.Start, EndDate: m.End, Phases: string(phases),
			Indicators: string(indicators), StrategicObjective: m.StrategicObjective, Status: string(m.Status)}
		path := fmt.Sprintf("measures[%d].id", i)
		switch old := activeMeasure[m.ID]; {
		case m.ID == "":
			want.ID, want.Version, want.DerivedFrom = newID(), 1, m.DerivedFrom
			inserts = append(inserts, want)
		case kept[m.ID]:
			bad(path, "duplicate", "measure %s is listed twice", m.ID)
		case withdrawnMeasure[m.ID]:
			bad(path, "measure_withdrawn", "measure %s was withdrawn: it stays read-only; add a new measure instead", m.ID)
		case old == nil:
			bad(path, "unknown_id", "no measure %s in this assessment: leave the id out for a new measure", m.ID)
		default:
			kept[m.ID] = true
			want.Version, want.DerivedFrom = old.Version, old.DerivedFrom
			if want != *old {
				want.Version++
				updates = append(updates, want)
			}
		}
		measureIDs[m.Key] = want.ID
	}

	// Risks, the same way.
	var riskInserts, riskUpdates []riskEntryRow
	keptRisk := map[string]bool{}
	wantLinks := map[measureRiskRow]bool{}
	for i, r := range a.Risks {
		inherent, _ := json.Marshal(r.Inherent)
		want := riskEntryRow{ID: r.ID, EnteID: enteID, CycleID: cycleID, AssessmentID: row.ID, Position: i,
			EventCode: r.EventCode, EventDescription: r.EventDescription, Context: r.Context,
			EnablingFactors: strings.Join(r.EnablingFactors, ";"), Inherent: string(inherent),
			Decision: string(r.Decision), Priority: r.Priority}
		if sc := r.InherentScore; sc != nil {
			want.InherentLevel, want.InherentRank, want.InherentCellL, want.InherentCellI = sc.Level, sc.Rank, sc.Cell[0], sc.Cell[1]
		}
		if r.Residual != nil {
			residual, _ := json.Marshal(r.Residual)
			want.Residual = string(residual)
			if sc := r.ResidualScore; sc != nil {
				want.ResidualLevel, want.ResidualRank, want.ResidualCellL, want.ResidualCellI = sc.Level, sc.Rank, sc.Cell[0], sc.Cell[1]
			}
		}
		path := fmt.Sprintf("risks[%d].", i)
		switch old := oldRisk[r.ID]; {
		case r.ID == "":
			want.ID, want.Version = newID(), 1
			riskInserts = append(riskInserts, want)
		case keptRisk[r.ID]:
			bad(path+"id", "duplicate", "risk %s is listed twice", r.ID)
		case old == nil:
			bad(path+"id", "unknown_id", "no risk %s in this assessment: leave the id out for a new risk", r.ID)
		default:
			keptRisk[r.ID] = true
			want.Version = old.Version
			if want != *old {
				want.Version++
				riskUpdates = append(riskUpdates, want)
			}
		}
		for j, k := range r.Measures {
			id, own := measureIDs[k]
			if !own {
				id = k // the id of another leaf's measure
			}
			field := fmt.Sprintf("%smeasures[%d]", path, j)
			if withdrawnMeasure[id] {
				bad(field, "measure_withdrawn", "measure %s was withdrawn: it no longer treats risks", id)
				continue
			}
			if !own && activeMeasure[id] != nil && !kept[id] {
				bad(field, "measure_removed", "measure %s is removed by this save: it cannot treat a risk", id)
				continue
			}
			wantLinks[measureRiskRow{MeasureID: id, RiskEntryID: want.ID, EnteID: enteID}] = true
		}
	}
	if len(problems) > 0 {
		return res, &domain.ValidationError{Code: "assessment_invalid", Problems: problems}
	}

	// Removed rows. A measure anything outside this assessment's content refers to is retired, with its
	// links to the risks it treated kept as they were; the others go, with their links.
	var removedMeasures []string
	for _, m := range oldMeasures {
		if m.WithdrawnAt == nil && !kept[m.ID] {
			removedMeasures = append(removedMeasures, m.ID)
		}
	}
	retired := map[string]bool{}
	if len(removedMeasures) > 0 {
		var referenced []string
		if err := s.q(ctx).Table("measures m").Where("m.ente_id = ? AND m.id IN ?", enteID, removedMeasures).
			Where(`EXISTS (SELECT 1 FROM monitoring_entries e WHERE e.measure_id = m.id)
				OR EXISTS (SELECT 1 FROM evidence_files f WHERE f.measure_id = m.id)
				OR EXISTS (SELECT 1 FROM measure_risks mr JOIN risk_entries r ON r.id = mr.risk_entry_id
					WHERE mr.measure_id = m.id AND r.assessment_id <> ?)`, row.ID).
			Pluck("m.id", &referenced).Error; err != nil {
			return res, wrap(err, "find measures with history")
		}
		reasons := map[string]string{}
		for _, w := range a.Withdrawn {
			if r := strings.TrimSpace(w.WithdrawnReason); r != "" {
				reasons[w.ID] = r
			}
		}
		byReason := map[string][]string{}
		for _, id := range referenced {
			retired[id] = true
			reason := reasons[id]
			if reason == "" {
				reason = domain.DefaultWithdrawnReason
			}
			byReason[reason] = append(byReason[reason], id)
			res.Retired = append(res.Retired, RetiredMeasure{ID: id, Title: activeMeasure[id].Title, Reason: reason})
		}
		slices.SortFunc(res.Retired, func(x, y RetiredMeasure) int { return strings.Compare(x.ID, y.ID) })
		for reason, ids := range byReason {
			if err := s.q(ctx).Model(&measureRow{}).Where("ente_id = ? AND id IN ? AND withdrawn_at IS NULL", enteID, ids).
				Updates(map[string]any{"withdrawn_at": t, "withdrawn_reason": reason, "version": gorm.Expr("version + 1")}).Error; err != nil {
				return res, wrap(err, "retire measures")
			}
		}
		for _, id := range removedMeasures {
			if !retired[id] {
				res.Deleted = append(res.Deleted, id)
			}
		}
		if len(res.Deleted) > 0 {
			// Only this assessment's own links can remain (others made the measure referenced): they go first,
			// since no link is ever removed by a cascade from its measure.
			if err := s.q(ctx).Exec("DELETE FROM measure_risks WHERE ente_id = ? AND measure_id IN ?", enteID, res.Deleted).Error; err != nil {
				return res, wrap(err, "delete links of removed measures")
			}
			if err := s.q(ctx).Exec("DELETE FROM measures WHERE ente_id = ? AND id IN ? AND assessment_id = ?", enteID, res.Deleted, row.ID).Error; err != nil {
				return res, wrap(err, "delete removed measures")
			}
		}
	}
	var removedRisks []string
	for _, r := range oldRisks {
		if !keptRisk[r.ID] {
			removedRisks = append(removedRisks, r.ID)
		}
	}
	if len(removedRisks) > 0 {
		// A risk's links belong to it (and to this assessment): they go with it.
		if err := s.q(ctx).Exec("DELETE FROM risk_entries WHERE ente_id = ? AND id IN ? AND assessment_id = ?", enteID, removedRisks, row.ID).Error; err != nil {
			return res, wrap(err, "delete removed risks")
		}
	}

	// Changed and new rows.
	for _, m := range updates {
		if err := s.q(ctx).Select("*").Omit("id", "ente_id", "cycle_id", "assessment_id", "withdrawn_at", "withdrawn_reason", "derived_from").
			Where("ente_id = ? AND id = ?", enteID, m.ID).Updates(&m).Error; err != nil {
			return res, wrap(err, "update measure")
		}
	}
	if len(inserts) > 0 {
		if err := s.q(ctx).CreateInBatches(inserts, batchSize).Error; err != nil {
			return res, wrap(err, "insert measures")
		}
	}
	for _, r := range riskUpdates {
		if err := s.q(ctx).Select("*").Omit("id", "ente_id", "cycle_id", "assessment_id").
			Where("ente_id = ? AND id = ?", enteID, r.ID).Updates(&r).Error; err != nil {
			return res, wrap(err, "update risk entry")
		}
	}
	if len(riskInserts) > 0 {
		if err := s.q(ctx).CreateInBatches(riskInserts, batchSize).Error; err != nil {
			return res, wrap(err, "insert risk entries")
		}
	}

	// Links of the kept risks: those no longer wanted go (except the frozen links of retired measures), the
	// new ones are added.
	drop := map[string][]string{} // risk -> measures
	for _, l := range oldLinks {
		if !keptRisk[l.RiskEntryID] || withdrawnMeasure[l.MeasureID] || retired[l.MeasureID] {
			continue // gone with its risk, or kept as the history of a retired measure
		}
		l.EnteID = enteID
		if wantLinks[l] {
			delete(wantLinks, l)
		} else {
			drop[l.RiskEntryID] = append(drop[l.RiskEntryID], l.MeasureID)
		}
	}
	for risk, measures := range drop {
		if err := s.q(ctx).Exec("DELETE FROM measure_risks WHERE ente_id = ? AND risk_entry_id = ? AND measure_id IN ?", enteID, risk, measures).Error; err != nil {
			return res, wrap(err, "delete measure links")
		}
	}
	if len(wantLinks) > 0 {
		links := make([]measureRiskRow, 0, len(wantLinks))
		for l := range wantLinks {
			links = append(links, l)
		}
		slices.SortFunc(links, func(x, y measureRiskRow) int {
			return strings.Compare(x.MeasureID+x.RiskEntryID, y.MeasureID+y.RiskEntryID)
		})
		if err := s.q(ctx).CreateInBatches(links, batchSize).Error; err != nil {
			return res, wrap(err, "insert measure links")
		}
	}
	return res, nil
}

// RegisterFilter selects rows of the register.
type RegisterFilter struct {
	Unit, RiskArea, Level, MeasureType, MeasureStatus, State, Text string
	// InherentCell and ResidualCell, when set, keep the rows whose judgement falls in that heat-map cell
	// (likelihood, impact); a row without that judgement never matches.
	InherentCell, ResidualCell *Cell
	Page, PageSize             int
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
	MeasuresMissing []string `json:"measures_missing"`
	nodeID          string
}

func (s *Store) registerScope(ctx context.Context, enteID, cycleID string, f RegisterFilter) *gorm.DB {
	q := s.q(ctx).Table("risk_entries r").
		Joins("JOIN assessments a ON a.id = r.assessment_id").
		Joins("JOIN process_nodes n ON n.id = a.node_id").
		Where("r.ente_id = ? AND r.cycle_id = ? AND a.ente_id = ? AND n.ente_id = ?", enteID, cycleID, enteID, enteID)
	if f.Unit != "" {
		q = q.Where("EXISTS (SELECT 1 FROM process_node_units l JOIN org_units u ON u.id = l.unit_id WHERE l.node_id = n.id AND l.ente_id = ? AND u.code = ?)", enteID, f.Unit)
	}
	if f.RiskArea != "" {
		q = q.Where("EXISTS (SELECT 1 FROM process_node_risk_areas l JOIN risk_areas x ON x.id = l.risk_area_id WHERE l.node_id = n.id AND l.ente_id = ? AND x.code = ?)", enteID, f.RiskArea)
	}
	if f.Level != "" {
		q = q.Where("r.inherent_level = ?", f.Level)
	}
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
		q = q.Where("EXISTS (SELECT 1 FROM measure_risks mr JOIN measures m ON m.id = mr.measure_id WHERE mr.risk_entry_id = r.id AND mr.ente_id = ? AND m.withdrawn_at IS NULL AND m.status = ?)", enteID, f.MeasureStatus)
	}
	if f.MeasureType != "" {
		q = q.Where("EXISTS (SELECT 1 FROM measure_risks mr JOIN measures m ON m.id = mr.measure_id WHERE mr.risk_entry_id = r.id AND mr.ente_id = ? AND m.withdrawn_at IS NULL AND m.measure_type = ?)", enteID, f.MeasureType)
	}
	for _, w := range strings.Fields(domain.FoldSearch(f.Text)) {
		like := "%" + escapeLike(w) + "%"
		q = q.Where(`(n.search_text LIKE ? ESCAPE '\' OR LOWER(r.event_description) LIKE ? ESCAPE '\' OR LOWER(r.event_code) LIKE ? ESCAPE '\')`, like, like, like)
	}
	return q
}

// Register returns one page of the register in map order, and the total, with a fixed number of statements.
func (s *Store) Register(ctx context.Context, enteID, cycleID string, f RegisterFilter) ([]RegisterRow, int64, error) {
	var total int64
	if err := s.registerScope(ctx, enteID, cycleID, f).Count(&total).Error; err != nil {
		return nil, 0, wrap(err, "count register")
	}
	out := []RegisterRow{}
	if total == 0 {
		return out, 0, nil
	}
	rows, err := s.registerScope(ctx, enteID, cycleID, f).
		Select("n.id, n.code, n.title, a.state, r.id, r.event_code, r.event_description, r.inherent_level, r.residual_level, " +
			"r.inherent_cell_l, r.inherent_cell_i, r.residual_cell_l, r.residual_cell_i, r.decision, r.priority").
		Order("n.position, r.position").Offset((f.Page - 1) * f.PageSize).Limit(f.PageSize).Rows()
	if err != nil {
		return nil, 0, wrap(err, "read register")
	}
	defer rows.Close()
	for rows.Next() {
		var r RegisterRow
		var inherent, residual Cell
		if err := rows.Scan(&r.nodeID, &r.Node, &r.NodeTitle, &r.State, &r.RiskID, &r.EventCode, &r.EventDescription,
			&r.InherentLevel, &r.ResidualLevel, &inherent[0], &inherent[1], &residual[0], &residual[1], &r.Decision, &r.Priority); err != nil {
			return nil, 0, wrap(err, "scan register")
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
		return nil, 0, wrap(err, "read register")
	}
	// The node lists (units, areas) and the measures come in one query each for the whole page.
	nodes := make([]domain.Node, 0, len(out))
	seen := map[string]int{}
	for _, r := range out {
		if _, ok := seen[r.nodeID]; !ok {
			seen[r.nodeID] = len(nodes)
			nodes = append(nodes, domain.Node{ID: r.nodeID, MapNode: domain.MapNode{Units: []string{}, StrategicObjectives: []string{}, RiskAreas: []string{}}})
		}
	}
	if err := s.attachLists(ctx, enteID, cycleID, nodes, true); err != nil {
		return nil, 0, err
	}
	riskIdx := map[string]int{}
	riskIDs := make([]string, len(out))
	for i := range out {
		n := nodes[seen[out[i].nodeID]]
		out[i].Units, out[i].RiskAreas = n.Units, n.RiskAreas
		riskIdx[out[i].RiskID] = i
		riskIDs[i] = out[i].RiskID
	}
	mrows, err := s.q(ctx).Table("measure_risks mr").
		Select("mr.risk_entry_id, m.measure_type, m.description, m.unit_code, m.start_date, m.end_date, m.phases, m.indicators").
		Joins("JOIN measures m ON m.id = mr.measure_id AND m.withdrawn_at IS NULL").Where("mr.ente_id = ? AND mr.risk_entry_id IN ?", enteID, riskIDs).
		Order("m.measure_type").Rows()
	if err != nil {
		return nil, 0, wrap(err, "read register measures")
	}
	defer mrows.Close()
	for mrows.Next() {
		var rid, phases, indicators string
		var m domain.Measure
		if err := mrows.Scan(&rid, &m.Type, &m.Description, &m.Unit, &m.Start, &m.End, &phases, &indicators); err != nil {
			return nil, 0, wrap(err, "scan register measures")
		}
		_ = json.Unmarshal([]byte(phases), &m.Phases)
		_ = json.Unmarshal([]byte(indicators), &m.Indicators)
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
	return out, total, mrows.Err()
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
		q := s.registerScope(ctx, enteID, cycleID, f)
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
