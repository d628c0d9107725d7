package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
)

// The save of one assessment touches only what changed, in a number of statements that does not depend on the
// size of the register nor of the catalogues (issue 19): SaveTarget reads the node, the assessment's head and
// the catalogue codes the content names in one statement; SaveAssessment then moves the version (the optimistic
// lock, checked in the UPDATE itself), reads the current risks with their links and the current measures with
// their programme links (two statements), and writes the rows that changed, the new ones and the removals.

// RetiredMeasure is a measure a save withdrew instead of deleting, because something still refers to it.
type RetiredMeasure struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

// RowVersion is the identity and version of a saved risk or measure.
type RowVersion struct {
	ID          string
	Version     int64
	DerivedFrom string
}

// SaveResult says what a save did beyond writing the content: the new version, and the measures it removed
// (retired when they have history, deleted when nothing refers to them).
type SaveResult struct {
	Version int64
	Retired []RetiredMeasure
	Deleted []string
	// Risks and Measures are the id and version of each risk and measure saved, in the content's order.
	Risks, Measures []RowVersion
	// Withdrawn are the assessment's retired measures after the save, in stored order, with the ids of the
	// risks of this assessment they treated when withdrawn.
	Withdrawn []domain.Measure
	// Before is the head of the assessment before the save (nil: the save created it).
	Before *AssessmentHead
	// UpdatedAt is when the save was written.
	UpdatedAt time.Time
	// Changes is what the save changed, field by field: the audit record of the save.
	Changes AssessmentChanges
}

// AssessmentHead is the state, version and level of an assessment.
type AssessmentHead struct {
	State   string `json:"state"`
	Version int64  `json:"version"`
	Level   string `json:"level"`
}

// FieldChange is a field's value before and after a save (JSON values: strings, lists, judgements).
type FieldChange struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// ItemRef names a risk or a measure in a list of changes: its id and what a reader recognises it by.
type ItemRef struct {
	ID               string `json:"id"`
	EventCode        string `json:"event_code,omitempty"`
	EventDescription string `json:"event_description,omitempty"`
	Title            string `json:"title,omitempty"`
	Nature           string `json:"nature,omitempty"`
}

// ItemChange is a risk or measure kept by a save, with the fields that changed.
type ItemChange struct {
	ItemRef
	Fields map[string]FieldChange `json:"fields"`
}

// SectionChanges are the changes of the risks or of the measures: the added items in full, the removed ones
// by name, the changed ones field by field.
type SectionChanges struct {
	Added   []any        `json:"added"`
	Removed []ItemRef    `json:"removed"`
	Changed []ItemChange `json:"changed"`
}

// AssessmentChanges is the field-level difference a save made to an assessment. MeasureTitles names the
// measures the risks' measure lists refer to (by id), so a reader can show titles.
type AssessmentChanges struct {
	Risks         SectionChanges    `json:"risks"`
	Measures      SectionChanges    `json:"measures"`
	MeasureTitles map[string]string `json:"measure_titles"`
}

// Empty reports whether the save changed no risk and no measure.
func (c AssessmentChanges) Empty() bool {
	return len(c.Risks.Added)+len(c.Risks.Removed)+len(c.Risks.Changed)+
		len(c.Measures.Added)+len(c.Measures.Removed)+len(c.Measures.Changed) == 0
}

// SaveOptions are what the caller already knows before a save, so that it reads no more than it must.
type SaveOptions struct {
	// Head, when set, is the assessment as SaveTarget read it (Head.ID "": none yet): the save then moves the
	// version with a conditional UPDATE instead of reading and locking the row first.
	Head *SaveHead
	// MissingCount, when set, is stored with the content (domain.Assessment.CheckCompleteness), so the lists
	// of leaves read it without loading the content.
	MissingCount *int
	// Programme makes the save link each measure to the programme measure it names (ProgrammeMeasure), and
	// unlink those that name none.
	Programme bool
	// Methodology, when set, is the version of the cycle's methodology the content was scored with (0: none
	// chosen yet, the default profile). The save goes through only while the cycle's methodology is still that
	// one, a 409 methodology_changed otherwise: Methodologies.Choose rescores the saved risks in its own
	// transaction, and a save scored with the methodology it replaced must not land after that rescoring. On
	// PostgreSQL the check holds a share lock on the methodology's row until the save commits, so a Choose
	// either waits for the save (and then rescores what it wrote) or the save waits for the Choose (and is
	// refused). The check rides in the conditional UPDATE of an edit (no statement more); a new assessment pays
	// one read.
	Methodology *int64
}

// SaveHead is an assessment's identity and lock fields as read before a save.
type SaveHead struct {
	ID        string
	State     string
	Version   int64
	HandedOff bool
}

// editableStates are the states in which an assessment's content may be written.
var editableStates = []string{string(domain.StateDraft), string(domain.StateReturned)}

// riskLinkRow is a risk entry of the assessment with one of its measure links (MeasureID "" when none).
type riskLinkRow struct {
	Risk          riskEntryRow `gorm:"embedded"`
	LinkMeasureID *string
}

// measureLinkRow is a measure of the assessment with the programme measure it links ("" when none).
type measureLinkRow struct {
	Measure            measureRow `gorm:"embedded"`
	ProgrammeMeasureID *string
}

// SaveAssessment writes an evaluated assessment of a node. expectVersion is the version the caller read (0:
// none existed); a stale one is a *domain.ConflictError with the current version, and an assessment no longer
// in an editable state is an assessment_not_editable conflict: both are checked by the UPDATE that moves the
// version, so a submission that commits meanwhile cannot be overwritten. Run it in a transaction.
//
// Risks and measures keep their identity: one that carries the id of a row of this assessment updates that
// row in place (and only when it changed, bumping its version); one without id is a new row; an id that is
// not one of the assessment's own current rows is refused with the field's path. A removed measure that
// monitoring, evidence or another assessment's risks refer to is retired (withdrawn_at, with the reason given
// in a.Withdrawn or domain.DefaultWithdrawnReason), never deleted; nothing refers to a removed risk but its
// own links, which go with it.
func (s *Store) SaveAssessment(ctx context.Context, enteID, cycleID, nodeID string, a *domain.Assessment, expectVersion int64, by string) (SaveResult, error) {
	return s.SaveAssessmentWith(ctx, enteID, cycleID, nodeID, a, expectVersion, by, SaveOptions{})
}

// SaveAssessmentWith is SaveAssessment with what the caller already read (see SaveOptions).
func (s *Store) SaveAssessmentWith(ctx context.Context, enteID, cycleID, nodeID string, a *domain.Assessment, expectVersion int64, by string, opts SaveOptions) (SaveResult, error) {
	var res SaveResult
	t := now()
	res.UpdatedAt = t
	rank := 0
	for _, r := range a.Risks {
		if r.InherentScore != nil && r.InherentScore.Rank > rank {
			rank = r.InherentScore.Rank
		}
	}
	if a.Level == "" {
		rank = 0 // a draft with a risk not fully judged has no level yet (see Assessment.Evaluate)
	}
	stale := func(current int64) error {
		return &domain.ConflictError{Code: "version_conflict", CurrentVersion: current,
			Message: "the assessment was changed by someone else: reload, compare and apply your changes again"}
	}
	notEditable := func(state string) error {
		return domain.Conflict("assessment_not_editable", "the assessment is %s: it cannot be edited now", state)
	}
	methodologyChanged := func() error {
		return domain.Conflict("methodology_changed", "the cycle's methodology changed while the assessment was being saved: save again to score it with the new one")
	}
	head := opts.Head
	if head == nil {
		var row assessmentRow
		found := s.forUpdate(s.q(ctx)).Where("ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).Limit(1).Find(&row)
		if found.Error != nil {
			return res, wrap(found.Error, "load assessment")
		}
		head = &SaveHead{}
		if found.RowsAffected > 0 {
			head = &SaveHead{ID: row.ID, State: row.State, Version: row.Version}
		}
	}
	var assessmentID string
	if head.ID == "" {
		if expectVersion != 0 {
			return res, stale(0)
		}
		if opts.Methodology != nil {
			var current int64 // 0: no methodology chosen
			q := s.q(ctx).Table("cycle_methodologies").Select("version").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID)
			if s.dialect == database.Postgres {
				q = q.Clauses(clause.Locking{Strength: "SHARE"})
			}
			if err := q.Limit(1).Scan(&current).Error; err != nil {
				return res, wrap(err, "check the cycle's methodology")
			}
			if current != *opts.Methodology {
				return res, methodologyChanged()
			}
		}
		row := assessmentRow{ID: newID(), EnteID: enteID, CycleID: cycleID, NodeID: nodeID, State: string(domain.StateDraft),
			Level: a.Level, LevelRank: rank, Version: 1, CreatedAt: t, UpdatedAt: t, UpdatedBy: by}
		q := s.q(ctx)
		if opts.MissingCount != nil {
			// missing_count is not a field of the row type (older rows have none): set it in the same INSERT.
			err := q.Table("assessments").Create(map[string]any{"id": row.ID, "ente_id": enteID, "cycle_id": cycleID, "node_id": nodeID,
				"state": row.State, "level": row.Level, "level_rank": rank, "version": 1, "created_at": t, "updated_at": t,
				"updated_by": by, "missing_count": *opts.MissingCount}).Error
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return res, stale(1)
			}
			if err != nil {
				return res, wrap(err, "create assessment")
			}
		} else if err := q.Create(&row).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return res, stale(1)
		} else if err != nil {
			return res, wrap(err, "create assessment")
		}
		assessmentID, res.Version = row.ID, 1
	} else {
		if head.State != "" && !domain.AssessmentState(head.State).Editable() {
			return res, notEditable(head.State)
		}
		if head.Version != expectVersion {
			return res, stale(head.Version)
		}
		// The state and the version are checked in the statement itself: it takes the row's lock, so a
		// concurrent save or submission either committed before (and the condition fails) or waits.
		set := map[string]any{"level": a.Level, "level_rank": rank, "version": gorm.Expr("version + 1"),
			"state": string(domain.StateDraft), "updated_at": t, "updated_by": by}
		if opts.MissingCount != nil {
			set["missing_count"] = *opts.MissingCount
		}
		cond := s.q(ctx).Model(&assessmentRow{}).Where("id = ? AND version = ? AND state IN ?", head.ID, expectVersion, editableStates)
		if opts.Methodology != nil {
			cond = cond.Where(s.methodologyStill(enteID, cycleID, *opts.Methodology))
		}
		upd := cond.Updates(set)
		if upd.Error != nil {
			return res, wrap(upd.Error, "update assessment")
		}
		if upd.RowsAffected != 1 {
			// Why not: read the row as it is now (only on this failure path).
			var row assessmentRow
			if err := s.q(ctx).Where("id = ?", head.ID).Limit(1).Find(&row).Error; err != nil {
				return res, wrap(err, "load assessment")
			}
			if !domain.AssessmentState(row.State).Editable() {
				return res, notEditable(row.State)
			}
			if row.Version == expectVersion && opts.Methodology != nil {
				return res, methodologyChanged() // editable, same version: the methodology's condition failed
			}
			return res, stale(row.Version)
		}
		// The level before is the one of the risks read below (see oldLevel).
		res.Before = &AssessmentHead{State: head.State, Version: head.Version}
		assessmentID, res.Version = head.ID, expectVersion+1
	}
	if err := s.writeContent(ctx, enteID, cycleID, assessmentID, a, t, opts, &res); err != nil {
		return res, err
	}
	return res, nil
}

// methodologyStill is the condition that the cycle's methodology is still at version (0: none chosen), as a
// sub-select of the save's conditional UPDATE; on PostgreSQL it takes a share lock on the methodology's row
// (see SaveOptions.Methodology).
func (s *Store) methodologyStill(enteID, cycleID string, version int64) clause.Expr {
	lock := ""
	if s.dialect == database.Postgres {
		lock = " FOR SHARE"
	}
	if version == 0 {
		return gorm.Expr("NOT EXISTS (SELECT 1 FROM cycle_methodologies WHERE ente_id = ? AND cycle_id = ?)", enteID, cycleID)
	}
	return gorm.Expr("EXISTS (SELECT 1 FROM cycle_methodologies WHERE ente_id = ? AND cycle_id = ? AND version = ?"+lock+")", enteID, cycleID, version)
}

// writeContent writes the risks, measures and links of an assessment whose head the save already moved.
func (s *Store) writeContent(ctx context.Context, enteID, cycleID, assessmentID string, a *domain.Assessment, t time.Time, opts SaveOptions, res *SaveResult) error {
	var oldRisks []riskEntryRow
	var oldMeasures []measureRow
	var oldLinks []measureRiskRow
	oldProgramme := map[string]string{}
	if res.Before != nil {
		// The risks with the links this assessment owns (those of its own risks), in one statement.
		var rl []riskLinkRow
		if err := s.q(ctx).Table("risk_entries r").Select("r.*, mr.measure_id AS link_measure_id").
			Joins("LEFT JOIN measure_risks mr ON mr.risk_entry_id = r.id AND mr.ente_id = r.ente_id").
			Where("r.ente_id = ? AND r.assessment_id = ?", enteID, assessmentID).Order("r.position, r.id, mr.measure_id").
			Find(&rl).Error; err != nil {
			return wrap(err, "load risk entries")
		}
		for _, r := range rl {
			if len(oldRisks) == 0 || oldRisks[len(oldRisks)-1].ID != r.Risk.ID {
				oldRisks = append(oldRisks, r.Risk)
			}
			if r.LinkMeasureID != nil {
				oldLinks = append(oldLinks, measureRiskRow{MeasureID: *r.LinkMeasureID, RiskEntryID: r.Risk.ID, EnteID: enteID})
			}
		}
		// The measures with the programme measure each links, in one statement.
		var ml []measureLinkRow
		if err := s.q(ctx).Table("measures m").Select("m.*, l.programme_measure_id AS programme_measure_id").
			Joins("LEFT JOIN measure_programme_links l ON l.measure_id = m.id").
			Where("m.ente_id = ? AND m.assessment_id = ?", enteID, assessmentID).Order("m.position, m.id").
			Find(&ml).Error; err != nil {
			return wrap(err, "load measures")
		}
		for _, m := range ml {
			oldMeasures = append(oldMeasures, m.Measure)
			if m.ProgrammeMeasureID != nil {
				oldProgramme[m.Measure.ID] = *m.ProgrammeMeasureID
			}
		}
		if len(oldRisks) > 0 {
			res.Before.Level = oldLevel(oldRisks)
		}
	}

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
	ch := AssessmentChanges{Risks: SectionChanges{Added: []any{}, Removed: []ItemRef{}, Changed: []ItemChange{}},
		Measures: SectionChanges{Added: []any{}, Removed: []ItemRef{}, Changed: []ItemChange{}}, MeasureTitles: map[string]string{}}

	// Measures: match by id, build the rows as they should be.
	measureIDs := map[string]string{} // key -> id
	kept := map[string]bool{}
	var inserts, updates []measureRow
	res.Measures = make([]RowVersion, len(a.Measures))
	programmeLinks := map[string]string{} // measure id -> programme measure ("" unlinks), the changes only
	for i, m := range a.Measures {
		phases, _ := json.Marshal(m.Phases)
		indicators, _ := json.Marshal(m.Indicators)
		want := measureRow{ID: m.ID, EnteID: enteID, CycleID: cycleID, AssessmentID: assessmentID, Position: i,
			Nature: m.Nature, GeneralCode: m.GeneralCode, MeasureType: m.Type, Title: m.Title, Description: m.Description,
			UnitCode: m.Unit, Owner: m.Owner, StartDate: m.Start, EndDate: m.End, Phases: string(phases),
			Indicators: string(indicators), StrategicObjective: m.StrategicObjective, CostNote: m.CostNote,
			EnablingFactors: strings.Join(m.EnablingFactors, ";"), Status: string(m.Status)}
		path := fmt.Sprintf("measures[%d].id", i)
		switch old := activeMeasure[m.ID]; {
		case m.ID == "":
			want.ID, want.Version, want.DerivedFrom = newID(), 1, m.DerivedFrom
			inserts = append(inserts, want)
			added := m
			added.ID, added.Key, added.Version, added.Missing = want.ID, want.ID, 1, nil
			ch.Measures.Added = append(ch.Measures.Added, added)
			if opts.Programme && m.ProgrammeMeasure != "" {
				programmeLinks[want.ID] = m.ProgrammeMeasure
			}
		case kept[m.ID]:
			bad(path, "duplicate", "measure %s is listed twice", m.ID)
		case withdrawnMeasure[m.ID]:
			bad(path, "measure_withdrawn", "measure %s was withdrawn: it stays read-only; add a new measure instead", m.ID)
		case old == nil:
			bad(path, "unknown_id", "no measure %s in this assessment: leave the id out for a new measure", m.ID)
		default:
			kept[m.ID] = true
			want.Version, want.DerivedFrom = old.Version, old.DerivedFrom
			fields := measureChanges(*old, want)
			if opts.Programme && oldProgramme[m.ID] != m.ProgrammeMeasure {
				programmeLinks[m.ID] = m.ProgrammeMeasure
				fields["programme_measure"] = FieldChange{Before: oldProgramme[m.ID], After: m.ProgrammeMeasure}
			}
			if want != *old {
				want.Version++
				updates = append(updates, want)
			}
			if len(fields) > 0 {
				ch.Measures.Changed = append(ch.Measures.Changed, ItemChange{ItemRef: ItemRef{ID: m.ID, Title: want.Title, Nature: want.Nature}, Fields: fields})
			}
		}
		measureIDs[m.Key] = want.ID
		res.Measures[i] = RowVersion{ID: want.ID, Version: want.Version, DerivedFrom: want.DerivedFrom}
		ch.MeasureTitles[want.ID] = want.Title
	}

	// Risks, the same way.
	var riskInserts, riskUpdates []riskEntryRow
	keptRisk := map[string]bool{}
	wantLinks := map[measureRiskRow]bool{}
	res.Risks = make([]RowVersion, len(a.Risks))
	oldLinksOf := map[string][]string{}
	for _, l := range oldLinks {
		if !withdrawnMeasure[l.MeasureID] {
			oldLinksOf[l.RiskEntryID] = append(oldLinksOf[l.RiskEntryID], l.MeasureID)
		}
	}
	type riskDiff struct {
		index int
		old   *riskEntryRow
		want  riskEntryRow
	}
	var keptDiffs []riskDiff
	wantLinksOf := map[string][]string{}
	for i, r := range a.Risks {
		inherent, _ := json.Marshal(r.Inherent)
		want := riskEntryRow{ID: r.ID, EnteID: enteID, CycleID: cycleID, AssessmentID: assessmentID, Position: i,
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
		isNew := false
		switch old := oldRisk[r.ID]; {
		case r.ID == "":
			want.ID, want.Version = newID(), 1
			riskInserts = append(riskInserts, want)
			isNew = true
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
			keptDiffs = append(keptDiffs, riskDiff{index: i, old: old, want: want})
		}
		res.Risks[i] = RowVersion{ID: want.ID, Version: want.Version}
		links := []string{}
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
			links = append(links, id)
		}
		slices.Sort(links)
		links = slices.Compact(links)
		wantLinksOf[want.ID] = links
		if isNew {
			added := r
			added.ID, added.Version, added.Measures = want.ID, 1, links
			ch.Risks.Added = append(ch.Risks.Added, added)
		}
	}
	if len(problems) > 0 {
		return &domain.ValidationError{Code: "assessment_invalid", Problems: problems}
	}
	for _, d := range keptDiffs {
		fields := riskChanges(*d.old, d.want)
		before, after := append([]string{}, oldLinksOf[d.old.ID]...), wantLinksOf[d.want.ID]
		slices.Sort(before)
		if !slices.Equal(before, after) {
			fields["measures"] = FieldChange{Before: before, After: after}
		}
		if len(fields) > 0 {
			ch.Risks.Changed = append(ch.Risks.Changed, ItemChange{ItemRef: ItemRef{ID: d.want.ID, EventCode: d.want.EventCode,
				EventDescription: d.want.EventDescription}, Fields: fields})
		}
	}

	// Removed rows. A measure anything outside this assessment's content refers to is retired, with its
	// links to the risks it treated kept as they were; the others go, with their links.
	var removedMeasures []string
	for _, m := range oldMeasures {
		if m.WithdrawnAt == nil && !kept[m.ID] {
			removedMeasures = append(removedMeasures, m.ID)
			ch.Measures.Removed = append(ch.Measures.Removed, ItemRef{ID: m.ID, Title: m.Title, Nature: m.Nature})
			if _, named := ch.MeasureTitles[m.ID]; !named {
				ch.MeasureTitles[m.ID] = m.Title
			}
		}
	}
	retired := map[string]bool{}
	if len(removedMeasures) > 0 {
		var referenced []string
		if err := s.q(ctx).Table("measures m").Where("m.ente_id = ? AND m.id IN ?", enteID, removedMeasures).
			Where(`EXISTS (SELECT 1 FROM monitoring_entries e WHERE e.measure_id = m.id)
				OR EXISTS (SELECT 1 FROM evidence_files f WHERE f.measure_id = m.id)
				OR EXISTS (SELECT 1 FROM measure_risks mr JOIN risk_entries r ON r.id = mr.risk_entry_id
					WHERE mr.measure_id = m.id AND r.assessment_id <> ?)`, assessmentID).
			Pluck("m.id", &referenced).Error; err != nil {
			return wrap(err, "find measures with history")
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
				return wrap(err, "retire measures")
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
				return wrap(err, "delete links of removed measures")
			}
			if err := s.q(ctx).Exec("DELETE FROM measures WHERE ente_id = ? AND id IN ? AND assessment_id = ?", enteID, res.Deleted, assessmentID).Error; err != nil {
				return wrap(err, "delete removed measures")
			}
		}
	}
	var removedRisks []string
	for _, r := range oldRisks {
		if !keptRisk[r.ID] {
			removedRisks = append(removedRisks, r.ID)
			ch.Risks.Removed = append(ch.Risks.Removed, ItemRef{ID: r.ID, EventCode: r.EventCode, EventDescription: r.EventDescription})
		}
	}
	if len(removedRisks) > 0 {
		// A risk's links belong to it (and to this assessment): they go with it.
		if err := s.q(ctx).Exec("DELETE FROM risk_entries WHERE ente_id = ? AND id IN ? AND assessment_id = ?", enteID, removedRisks, assessmentID).Error; err != nil {
			return wrap(err, "delete removed risks")
		}
	}

	// Changed and new rows.
	for _, m := range updates {
		if err := s.q(ctx).Select("*").Omit("id", "ente_id", "cycle_id", "assessment_id", "withdrawn_at", "withdrawn_reason", "derived_from").
			Where("ente_id = ? AND id = ?", enteID, m.ID).Updates(&m).Error; err != nil {
			return wrap(err, "update measure")
		}
	}
	if len(inserts) > 0 {
		if err := s.q(ctx).CreateInBatches(inserts, batchSize).Error; err != nil {
			return wrap(err, "insert measures")
		}
	}
	for _, r := range riskUpdates {
		if err := s.q(ctx).Select("*").Omit("id", "ente_id", "cycle_id", "assessment_id").
			Where("ente_id = ? AND id = ?", enteID, r.ID).Updates(&r).Error; err != nil {
			return wrap(err, "update risk entry")
		}
	}
	if len(riskInserts) > 0 {
		if err := s.q(ctx).CreateInBatches(riskInserts, batchSize).Error; err != nil {
			return wrap(err, "insert risk entries")
		}
	}

	// Links of the kept risks: those no longer wanted go (except the frozen links of retired measures), the
	// new ones are added.
	drop := map[string][]string{} // risk -> measures
	treated := map[string][]string{}
	for _, l := range oldLinks {
		if (withdrawnMeasure[l.MeasureID] || retired[l.MeasureID]) && keptRisk[l.RiskEntryID] {
			treated[l.MeasureID] = append(treated[l.MeasureID], l.RiskEntryID)
		}
		if !keptRisk[l.RiskEntryID] || withdrawnMeasure[l.MeasureID] || retired[l.MeasureID] {
			continue // gone with its risk, or kept as the history of a retired measure
		}
		if wantLinks[l] {
			delete(wantLinks, l)
		} else {
			drop[l.RiskEntryID] = append(drop[l.RiskEntryID], l.MeasureID)
		}
	}
	for risk, measures := range drop {
		if err := s.q(ctx).Exec("DELETE FROM measure_risks WHERE ente_id = ? AND risk_entry_id = ? AND measure_id IN ?", enteID, risk, measures).Error; err != nil {
			return wrap(err, "delete measure links")
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
			return wrap(err, "insert measure links")
		}
	}
	if len(programmeLinks) > 0 {
		if err := s.SetProgrammeLinks(ctx, enteID, programmeLinks); err != nil {
			return err
		}
	}

	// The retired measures as a read of the assessment now shows them.
	res.Withdrawn = []domain.Measure{}
	for _, m := range oldMeasures {
		if m.WithdrawnAt == nil && !retired[m.ID] {
			continue
		}
		if retired[m.ID] {
			at := t
			m.WithdrawnAt, m.Version = &at, m.Version+1
			for _, r := range res.Retired {
				if r.ID == m.ID {
					m.WithdrawnReason = r.Reason
				}
			}
		}
		dm, err := m.domain()
		if err != nil {
			return err
		}
		dm.ProgrammeMeasure = oldProgramme[m.ID]
		dm.TreatedRisks = treated[m.ID]
		slices.Sort(dm.TreatedRisks)
		if dm.TreatedRisks == nil {
			dm.TreatedRisks = []string{}
		}
		res.Withdrawn = append(res.Withdrawn, dm)
	}
	res.Changes = ch
	return nil
}

// oldLevel is the level an assessment had, from its stored risks: the worst inherent level, "" while one
// is not judged (as Assessment.Evaluate computes it).
func oldLevel(risks []riskEntryRow) string {
	level, rank := "", 0
	for _, r := range risks {
		if r.InherentLevel == "" {
			return ""
		}
		if r.InherentRank > rank {
			level, rank = r.InherentLevel, r.InherentRank
		}
	}
	return level
}

func jsonValue(s string) any {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

// riskChanges lists the fields of a risk entry a save changed (the order in the list is not one).
func riskChanges(old, want riskEntryRow) map[string]FieldChange {
	out := map[string]FieldChange{}
	str := func(name, b, a string) {
		if b != a {
			out[name] = FieldChange{Before: b, After: a}
		}
	}
	str("event_code", old.EventCode, want.EventCode)
	str("event_description", old.EventDescription, want.EventDescription)
	str("context", old.Context, want.Context)
	if old.EnablingFactors != want.EnablingFactors {
		out["enabling_factors"] = FieldChange{Before: splitCodes(old.EnablingFactors), After: splitCodes(want.EnablingFactors)}
	}
	if old.Inherent != want.Inherent || old.InherentLevel != want.InherentLevel {
		out["inherent"] = FieldChange{Before: jsonValue(old.Inherent), After: jsonValue(want.Inherent)}
		out["inherent_level"] = FieldChange{Before: old.InherentLevel, After: want.InherentLevel}
	}
	str("decision", old.Decision, want.Decision)
	if old.Priority != want.Priority {
		out["priority"] = FieldChange{Before: old.Priority, After: want.Priority}
	}
	if old.Residual != want.Residual || old.ResidualLevel != want.ResidualLevel {
		out["residual"] = FieldChange{Before: jsonValue(old.Residual), After: jsonValue(want.Residual)}
		out["residual_level"] = FieldChange{Before: old.ResidualLevel, After: want.ResidualLevel}
	}
	return out
}

// measureChanges lists the fields of a measure a save changed.
func measureChanges(old, want measureRow) map[string]FieldChange {
	out := map[string]FieldChange{}
	str := func(name, b, a string) {
		if b != a {
			out[name] = FieldChange{Before: b, After: a}
		}
	}
	str("nature", old.Nature, want.Nature)
	str("general_code", old.GeneralCode, want.GeneralCode)
	str("type", old.MeasureType, want.MeasureType)
	str("title", old.Title, want.Title)
	str("description", old.Description, want.Description)
	str("unit", old.UnitCode, want.UnitCode)
	str("owner", old.Owner, want.Owner)
	str("start", old.StartDate, want.StartDate)
	str("end", old.EndDate, want.EndDate)
	if old.Phases != want.Phases {
		out["phases"] = FieldChange{Before: jsonValue(old.Phases), After: jsonValue(want.Phases)}
	}
	if old.Indicators != want.Indicators {
		out["indicators"] = FieldChange{Before: jsonValue(old.Indicators), After: jsonValue(want.Indicators)}
	}
	str("strategic_objective", old.StrategicObjective, want.StrategicObjective)
	str("cost_note", old.CostNote, want.CostNote)
	if old.EnablingFactors != want.EnablingFactors {
		out["enabling_factors"] = FieldChange{Before: splitCodes(old.EnablingFactors), After: splitCodes(want.EnablingFactors)}
	}
	str("status", old.Status, want.Status)
	return out
}

// RefCodes are the catalogue codes and cycle references an assessment's content names, to be checked.
type RefCodes struct {
	Events, EnablingFactors, MeasureTypes, GeneralMeasures, Units, Objectives []string
	// Measures are ids of the cycle's measures in force that the risks name (measures of other leaves).
	Measures []string
}

// SaveTarget is what a save of a leaf's assessment needs before it writes: the node, the assessment's
// head, and which of the codes the content names exist.
type SaveTarget struct {
	NodeID     string
	IsLeaf     bool
	Level      domain.Level
	Units      []string
	LeadChoice string
	Head       SaveHead
	Refs       domain.AssessmentRefs
	// Methodology is the methodology chosen for the cycle, read in the same statement (nil: none chosen yet),
	// so that a save needs no statement of its own for it.
	Methodology *CycleMethodology
}

// SaveTarget reads, in one statement whatever the size of the map, the register or the catalogues, a node of
// a cycle by code with its units and chosen lead unit, the head of its assessment, and the references among
// codes that exist (active risk events and enabling factors, measure types, general measures, the cycle's
// units and objectives, the cycle's measures in force), and the cycle's methodology. A node that does not exist
// is node_not_found.
func (s *Store) SaveTarget(ctx context.Context, enteID, cycleID, code string, codes RefCodes) (SaveTarget, error) {
	node := "(SELECT id FROM process_nodes WHERE ente_id = ? AND cycle_id = ? AND code = ?)"
	parts := []string{
		`SELECT 'node' AS k, CAST(n.id AS TEXT) AS a, n.level AS b, CASE WHEN n.is_leaf THEN 1 ELSE 0 END AS n, 0 AS m
			FROM process_nodes n WHERE n.ente_id = ? AND n.cycle_id = ? AND n.code = ?`,
		`SELECT 'unit', u.code, '', l.position, 0 FROM process_node_units l JOIN org_units u ON u.id = l.unit_id
			WHERE l.ente_id = ? AND l.node_id = ` + node,
		`SELECT 'lead', unit_code, '', 0, 0 FROM node_lead_units WHERE ente_id = ? AND cycle_id = ? AND node_id = ` + node,
		`SELECT 'assessment', CAST(a.id AS TEXT), a.state, a.version, CASE WHEN a.handed_off_at IS NULL THEN 0 ELSE 1 END
			FROM assessments a WHERE a.ente_id = ? AND a.cycle_id = ? AND a.node_id = ` + node,
	}
	args := []any{enteID, cycleID, code, enteID, enteID, cycleID, code, enteID, cycleID, enteID, cycleID, code,
		enteID, cycleID, enteID, cycleID, code}
	// The cycle's methodology, its confirmation in the kind (the other columns are taken).
	parts = append(parts, `SELECT CASE WHEN confirmed THEN 'methodology' ELSE 'methodology_unconfirmed' END, profile_code, profile,
			profile_version, version FROM cycle_methodologies WHERE ente_id = ? AND cycle_id = ?`)
	args = append(args, enteID, cycleID)
	lookup := func(kind, sql string, values []string, extra ...any) {
		if len(values) == 0 {
			return
		}
		parts = append(parts, sql)
		args = append(args, extra...)
		args = append(args, values)
	}
	lookup("event", `SELECT 'event', code, description, 0, 0 FROM risk_events WHERE ente_id = ? AND active = ? AND code IN ?`, codes.Events, enteID, true)
	lookup("factor", `SELECT 'factor', code, '', 0, 0 FROM enabling_factors WHERE ente_id = ? AND active = ? AND code IN ?`, codes.EnablingFactors, enteID, true)
	lookup("type", `SELECT 'type', code, '', 0, 0 FROM measure_types WHERE ente_id = ? AND code IN ?`, codes.MeasureTypes, enteID)
	lookup("general", `SELECT 'general', code, '', 0, 0 FROM general_measures WHERE ente_id = ? AND code IN ?`, codes.GeneralMeasures, enteID)
	lookup("ref_unit", `SELECT 'ref_unit', code, '', 0, 0 FROM org_units WHERE ente_id = ? AND cycle_id = ? AND code IN ?`, codes.Units, enteID, cycleID)
	lookup("objective", `SELECT 'objective', code, '', 0, 0 FROM strategic_objectives WHERE ente_id = ? AND cycle_id = ? AND code IN ?`, codes.Objectives, enteID, cycleID)
	var ids []string
	for _, id := range codes.Measures {
		if _, err := uuid.Parse(id); err == nil {
			ids = append(ids, id) // anything else is no measure's id (and PostgreSQL would refuse it as a uuid)
		}
	}
	lookup("measure", `SELECT 'measure', CAST(id AS TEXT), '', 0, 0 FROM measures WHERE ente_id = ? AND cycle_id = ? AND withdrawn_at IS NULL AND id IN ?`, ids, enteID, cycleID)
	var out SaveTarget
	rows, err := s.q(ctx).Raw(strings.Join(parts, "\nUNION ALL\n"), args...).Rows()
	if err != nil {
		return out, wrap(err, "load save target")
	}
	defer rows.Close()
	refs := domain.AssessmentRefs{Events: map[string]domain.RiskEvent{}, EnablingFactors: map[string]bool{},
		MeasureTypes: map[string]bool{}, GeneralMeasures: map[string]bool{}, Units: map[string]bool{}, Objectives: map[string]bool{},
		CycleMeasures: map[string]bool{}, ProgrammeMeasures: map[string]domain.ProgrammeMeasure{}}
	type unit struct {
		code string
		pos  int64
	}
	var units []unit
	for rows.Next() {
		var k, a, b string
		var n, m int64
		if err := rows.Scan(&k, &a, &b, &n, &m); err != nil {
			return out, wrap(err, "scan save target")
		}
		switch k {
		case "node":
			out.NodeID, out.Level, out.IsLeaf = a, domain.Level(b), n == 1
		case "unit":
			units = append(units, unit{a, n})
		case "lead":
			out.LeadChoice = a
		case "assessment":
			out.Head = SaveHead{ID: a, State: b, Version: n, HandedOff: m == 1}
		case "methodology", "methodology_unconfirmed":
			out.Methodology = &CycleMethodology{ProfileCode: a, Profile: b, ProfileVersion: int(n), Version: m,
				Unconfirmed: k == "methodology_unconfirmed"}
		case "event":
			refs.Events[a] = domain.RiskEvent{Code: a, Description: b}
		case "factor":
			refs.EnablingFactors[a] = true
		case "type":
			refs.MeasureTypes[a] = true
		case "general":
			refs.GeneralMeasures[a] = true
		case "ref_unit":
			refs.Units[a] = true
		case "objective":
			refs.Objectives[a] = true
		case "measure":
			refs.CycleMeasures[a] = true
		}
	}
	if err := rows.Err(); err != nil {
		return out, wrap(err, "read save target")
	}
	if out.NodeID == "" {
		return out, domain.NotFound("node_not_found", "node %q not found", code)
	}
	slices.SortStableFunc(units, func(x, y unit) int { return int(x.pos - y.pos) })
	out.Units = make([]string, len(units))
	for i, u := range units {
		out.Units[i] = u.code
	}
	out.Refs = refs
	return out, nil
}
