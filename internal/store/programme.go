package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

// The ente-wide programme of general measures of a cycle, their scope, the assessments' links to them and
// their monitoring in the cycle's rounds.

type programmeRow struct {
	ID          string
	EnteID      string
	CycleID     string
	Position    int
	Code        string
	GeneralCode string
	MeasureType string
	Title       string
	Description string
	LegalBasis  string
	UnitCode    string
	Owner       string
	StartDate   string
	EndDate     string
	Phases      string
	Indicators  string
	Status      string
	Version     int64
	DerivedFrom string
	LegacyKey   string
	// CostNote and EnablingFactors (';'-separated codes) since migration 00035.
	CostNote        string
	EnablingFactors string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	UpdatedBy       string
}

func (programmeRow) TableName() string { return "programme_measures" }

type programmeScopeRow struct {
	ProgrammeMeasureID string
	EnteID             string
	Kind               string
	Code               string
}

func (programmeScopeRow) TableName() string { return "programme_measure_scope" }

func (r programmeRow) domain() (domain.ProgrammeMeasure, error) {
	updated := r.UpdatedAt
	p := domain.ProgrammeMeasure{ID: r.ID, Code: r.Code, GeneralCode: r.GeneralCode, Type: r.MeasureType, Title: r.Title,
		Description: r.Description, LegalBasis: r.LegalBasis, Unit: r.UnitCode, Owner: r.Owner, Start: r.StartDate, End: r.EndDate,
		Status: domain.MeasureStatus(r.Status), Version: r.Version, DerivedFrom: r.DerivedFrom, Areas: []string{}, Processes: []string{},
		CostNote: r.CostNote, EnablingFactors: splitCodes(r.EnablingFactors),
		UpdatedAt: &updated, UpdatedBy: r.UpdatedBy}
	if err := json.Unmarshal([]byte(r.Phases), &p.Phases); err != nil {
		return p, wrap(err, "decode phases")
	}
	if err := json.Unmarshal([]byte(r.Indicators), &p.Indicators); err != nil {
		return p, wrap(err, "decode indicators")
	}
	if p.Phases == nil {
		p.Phases = []domain.Phase{}
	}
	if p.Indicators == nil {
		p.Indicators = []domain.MeasureIndicator{}
	}
	p.Missing = p.AsMeasure().MissingForAdoption()
	return p, nil
}

func programmeRowOf(enteID, cycleID string, p *domain.ProgrammeMeasure) programmeRow {
	phases, _ := json.Marshal(p.Phases)
	indicators, _ := json.Marshal(p.Indicators)
	return programmeRow{ID: p.ID, EnteID: enteID, CycleID: cycleID, Code: p.Code, GeneralCode: p.GeneralCode,
		MeasureType: p.Type, Title: p.Title, Description: p.Description, LegalBasis: p.LegalBasis, UnitCode: p.Unit, Owner: p.Owner,
		StartDate: p.Start, EndDate: p.End, Phases: string(phases), Indicators: string(indicators), Status: string(p.Status),
		Version: p.Version, DerivedFrom: p.DerivedFrom, CostNote: p.CostNote, EnablingFactors: strings.Join(p.EnablingFactors, ";")}
}

// ProgrammeMeasures lists a cycle's programme, in order, with scope and how many assessments' measures link each.
func (s *Store) ProgrammeMeasures(ctx context.Context, enteID, cycleID string) ([]domain.ProgrammeMeasure, error) {
	var rows []programmeRow
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("position, code").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list programme measures")
	}
	out := make([]domain.ProgrammeMeasure, len(rows))
	index := map[string]int{}
	for i, r := range rows {
		p, err := r.domain()
		if err != nil {
			return nil, err
		}
		out[i], index[r.ID] = p, i
	}
	if len(rows) == 0 {
		return out, nil
	}
	var scope []programmeScopeRow
	if err := s.q(ctx).Table("programme_measure_scope sc").Select("sc.*").
		Joins("JOIN programme_measures p ON p.id = sc.programme_measure_id").
		Where("p.ente_id = ? AND p.cycle_id = ?", enteID, cycleID).Order("sc.kind, sc.code").Find(&scope).Error; err != nil {
		return nil, wrap(err, "load programme scope")
	}
	for _, sc := range scope {
		p := &out[index[sc.ProgrammeMeasureID]]
		if sc.Kind == "area" {
			p.Areas = append(p.Areas, sc.Code)
		} else {
			p.Processes = append(p.Processes, sc.Code)
		}
	}
	var links []struct {
		ProgrammeMeasureID string
		N                  int
	}
	if err := s.q(ctx).Table("measure_programme_links l").Select("l.programme_measure_id, COUNT(*) AS n").
		Joins("JOIN programme_measures p ON p.id = l.programme_measure_id").
		Where("p.ente_id = ? AND p.cycle_id = ?", enteID, cycleID).Group("l.programme_measure_id").Scan(&links).Error; err != nil {
		return nil, wrap(err, "count programme links")
	}
	for _, l := range links {
		out[index[l.ProgrammeMeasureID]].Links = l.N
	}
	return out, nil
}

// ProgrammeMeasure loads one programme measure of a cycle by id; another cycle's or ente's is not found.
func (s *Store) ProgrammeMeasure(ctx context.Context, enteID, cycleID, id string) (domain.ProgrammeMeasure, error) {
	all, err := s.ProgrammeMeasures(ctx, enteID, cycleID)
	if err != nil {
		return domain.ProgrammeMeasure{}, err
	}
	for _, p := range all {
		if p.ID == id {
			return p, nil
		}
	}
	return domain.ProgrammeMeasure{}, domain.NotFound("programme_measure_not_found", "no general measure %s in the cycle's programme", id)
}

func (s *Store) writeScope(ctx context.Context, enteID, id string, p *domain.ProgrammeMeasure) error {
	if err := s.q(ctx).Exec("DELETE FROM programme_measure_scope WHERE programme_measure_id = ? AND ente_id = ?", id, enteID).Error; err != nil {
		return wrap(err, "clear programme scope")
	}
	var rows []programmeScopeRow
	for _, a := range p.Areas {
		rows = append(rows, programmeScopeRow{ProgrammeMeasureID: id, EnteID: enteID, Kind: "area", Code: a})
	}
	for _, n := range p.Processes {
		rows = append(rows, programmeScopeRow{ProgrammeMeasureID: id, EnteID: enteID, Kind: "process", Code: n})
	}
	if len(rows) == 0 {
		return nil
	}
	return wrap(s.q(ctx).CreateInBatches(rows, batchSize).Error, "write programme scope")
}

// InsertProgrammeMeasure adds a measure at the end of the programme; a code already used in the cycle is a
// code_taken conflict. It returns the new id.
func (s *Store) InsertProgrammeMeasure(ctx context.Context, enteID, cycleID string, p *domain.ProgrammeMeasure, by string) (string, error) {
	var n int64
	if err := s.q(ctx).Table("programme_measures").Where("ente_id = ? AND cycle_id = ? AND code = ?", enteID, cycleID, p.Code).Count(&n).Error; err != nil {
		return "", wrap(err, "check programme code")
	}
	if n > 0 {
		return "", domain.Conflict("code_taken", "the programme already has a measure %s", p.Code)
	}
	var pos int64
	if err := s.q(ctx).Table("programme_measures").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Count(&pos).Error; err != nil {
		return "", wrap(err, "count programme")
	}
	row := programmeRowOf(enteID, cycleID, p)
	t := now()
	row.ID, row.Position, row.Version, row.CreatedAt, row.UpdatedAt, row.UpdatedBy = newID(), int(pos), 1, t, t, by
	if err := s.q(ctx).Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return "", domain.Conflict("code_taken", "the programme already has a measure %s", p.Code)
		}
		return "", wrap(err, "insert programme measure")
	}
	return row.ID, s.writeScope(ctx, enteID, row.ID, p)
}

// UpdateProgrammeMeasure replaces a programme measure at the version the caller read (a stale one is a
// version_conflict with the current version) and mirrors its content into the assessments' measures that
// link it, so the register, the rounds and the exports read the programme's text.
func (s *Store) UpdateProgrammeMeasure(ctx context.Context, enteID, cycleID string, p *domain.ProgrammeMeasure, expectVersion int64, by string) (int64, error) {
	var cur programmeRow
	res := s.forUpdate(s.q(ctx)).Where("ente_id = ? AND cycle_id = ? AND id = ?", enteID, cycleID, p.ID).Limit(1).Find(&cur)
	if res.Error != nil {
		return 0, wrap(res.Error, "load programme measure")
	}
	if res.RowsAffected == 0 {
		return 0, domain.NotFound("programme_measure_not_found", "no general measure %s in the cycle's programme", p.ID)
	}
	if cur.Version != expectVersion {
		return 0, &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
			Message: "the general measure was changed by someone else: reload and apply your changes again"}
	}
	if p.Code != cur.Code {
		var n int64
		if err := s.q(ctx).Table("programme_measures").Where("ente_id = ? AND cycle_id = ? AND code = ? AND id <> ?", enteID, cycleID, p.Code, p.ID).Count(&n).Error; err != nil {
			return 0, wrap(err, "check programme code")
		}
		if n > 0 {
			return 0, domain.Conflict("code_taken", "the programme already has a measure %s", p.Code)
		}
	}
	row := programmeRowOf(enteID, cycleID, p)
	upd := s.q(ctx).Model(&programmeRow{}).Where("ente_id = ? AND id = ? AND version = ?", enteID, p.ID, expectVersion).
		Updates(map[string]any{"code": row.Code, "general_code": row.GeneralCode, "measure_type": row.MeasureType, "title": row.Title,
			"description": row.Description, "legal_basis": row.LegalBasis, "unit_code": row.UnitCode, "owner": row.Owner,
			"start_date": row.StartDate, "end_date": row.EndDate, "phases": row.Phases, "indicators": row.Indicators,
			"status": row.Status, "cost_note": row.CostNote, "enabling_factors": row.EnablingFactors,
			"version": gorm.Expr("version + 1"), "updated_at": now(), "updated_by": by})
	if upd.Error != nil {
		return 0, wrap(upd.Error, "update programme measure")
	}
	if upd.RowsAffected != 1 {
		return 0, &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version + 1,
			Message: "the general measure was changed by someone else: reload and apply your changes again"}
	}
	if err := s.writeScope(ctx, enteID, p.ID, p); err != nil {
		return 0, err
	}
	if err := s.q(ctx).Exec(`UPDATE measures SET general_code = ?, measure_type = ?, title = ?, description = ?, unit_code = ?,
		owner = ?, start_date = ?, end_date = ?, phases = ?, indicators = ?, status = ?
		WHERE ente_id = ? AND withdrawn_at IS NULL AND id IN (SELECT measure_id FROM measure_programme_links WHERE programme_measure_id = ?)`,
		row.GeneralCode, row.MeasureType, row.Title, row.Description, row.UnitCode, row.Owner, row.StartDate, row.EndDate,
		row.Phases, row.Indicators, row.Status, enteID, p.ID).Error; err != nil {
		return 0, wrap(err, "mirror programme measure into linked measures")
	}
	return expectVersion + 1, nil
}

// DeleteProgrammeMeasure removes a programme measure nothing refers to: one linked by an assessment or with
// monitoring history is a programme_measure_in_use conflict (the database's RESTRICT keys say the same).
func (s *Store) DeleteProgrammeMeasure(ctx context.Context, enteID, cycleID, id string, expectVersion int64) error {
	var cur programmeRow
	res := s.forUpdate(s.q(ctx)).Where("ente_id = ? AND cycle_id = ? AND id = ?", enteID, cycleID, id).Limit(1).Find(&cur)
	if res.Error != nil {
		return wrap(res.Error, "load programme measure")
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("programme_measure_not_found", "no general measure %s in the cycle's programme", id)
	}
	if cur.Version != expectVersion {
		return &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
			Message: "the general measure was changed by someone else: reload first"}
	}
	var links, entries int64
	if err := s.q(ctx).Table("measure_programme_links").Where("programme_measure_id = ?", id).Count(&links).Error; err != nil {
		return wrap(err, "count links")
	}
	if err := s.q(ctx).Table("programme_monitoring_entries").Where("programme_measure_id = ?", id).Count(&entries).Error; err != nil {
		return wrap(err, "count monitoring")
	}
	if links > 0 || entries > 0 {
		return domain.Conflict("programme_measure_in_use", "%d assessments link it and %d monitoring entries record it: set its status to dropped instead", links, entries)
	}
	if err := s.q(ctx).Exec("DELETE FROM programme_measure_scope WHERE programme_measure_id = ?", id).Error; err != nil {
		return wrap(err, "delete programme scope")
	}
	return wrap(s.q(ctx).Exec("DELETE FROM programme_measures WHERE ente_id = ? AND id = ?", enteID, id).Error, "delete programme measure")
}

// ProgrammeLinks returns, for the given assessment measure ids, the programme measure each links (absent: none).
func (s *Store) ProgrammeLinks(ctx context.Context, enteID string, measureIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(measureIDs) == 0 {
		return out, nil
	}
	var rows []struct{ MeasureID, ProgrammeMeasureID string }
	if err := s.q(ctx).Table("measure_programme_links").Select("measure_id, programme_measure_id").
		Where("ente_id = ? AND measure_id IN ?", enteID, measureIDs).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "load programme links")
	}
	for _, r := range rows {
		out[r.MeasureID] = r.ProgrammeMeasureID
	}
	return out, nil
}

// SetProgrammeLinks makes each assessment measure (by id) link the given programme measure, or none ("").
func (s *Store) SetProgrammeLinks(ctx context.Context, enteID string, links map[string]string) error {
	for measureID, programmeID := range links {
		if err := s.q(ctx).Exec("DELETE FROM measure_programme_links WHERE ente_id = ? AND measure_id = ?", enteID, measureID).Error; err != nil {
			return wrap(err, "unlink measure")
		}
		if programmeID == "" {
			continue
		}
		if err := s.q(ctx).Exec("INSERT INTO measure_programme_links (measure_id, programme_measure_id, ente_id) VALUES (?, ?, ?)",
			measureID, programmeID, enteID).Error; err != nil {
			return wrap(err, "link measure")
		}
	}
	return nil
}

// ProgrammeEntry is a programme measure's self-assessment and check in a round.
type ProgrammeEntry struct {
	ProgrammeMeasureID string                      `json:"programme_measure_id"`
	Status             domain.ImplementationStatus `json:"status"`
	Reason             string                      `json:"reason"`
	IndicatorValues    []IndicatorValue            `json:"indicator_values"`
	Notes              string                      `json:"notes"`
	AssessedBy         string                      `json:"assessed_by"`
	CheckOutcome       string                      `json:"check_outcome"`
	CheckNotes         string                      `json:"check_notes"`
	CheckedBy          string                      `json:"checked_by"`
	Version            int64                       `json:"version"`
}

// ProgrammeEntries lists a round's entries for programme measures.
func (s *Store) ProgrammeEntries(ctx context.Context, enteID, roundID string) ([]ProgrammeEntry, error) {
	var rows []struct {
		ProgrammeMeasureID, Status, Reason, IndicatorValues, Notes, AssessedBy, CheckOutcome, CheckNotes, CheckedBy string
		Version                                                                                                     int64
	}
	if err := s.q(ctx).Table("programme_monitoring_entries").Where("ente_id = ? AND round_id = ?", enteID, roundID).Scan(&rows).Error; err != nil {
		return nil, wrap(err, "list programme monitoring entries")
	}
	out := make([]ProgrammeEntry, len(rows))
	for i, r := range rows {
		out[i] = ProgrammeEntry{ProgrammeMeasureID: r.ProgrammeMeasureID, Status: domain.ImplementationStatus(r.Status), Reason: r.Reason,
			Notes: r.Notes, AssessedBy: r.AssessedBy, CheckOutcome: r.CheckOutcome, CheckNotes: r.CheckNotes, CheckedBy: r.CheckedBy,
			Version: r.Version, IndicatorValues: []IndicatorValue{}}
		_ = json.Unmarshal([]byte(r.IndicatorValues), &out[i].IndicatorValues)
	}
	return out, nil
}

// SaveProgrammeSelfAssessment records (or replaces) the self-assessment of a programme measure in a round;
// a changed self-assessment clears a check made before it (it must be looked at again).
func (s *Store) SaveProgrammeSelfAssessment(ctx context.Context, enteID, roundID string, e ProgrammeEntry) error {
	vals, _ := json.Marshal(e.IndicatorValues)
	res := s.q(ctx).Exec(`UPDATE programme_monitoring_entries SET status = ?, reason = ?, indicator_values = ?, notes = ?,
		assessed_by = ?, assessed_at = ?, check_outcome = '', check_notes = '', checked_by = '', version = version + 1
		WHERE ente_id = ? AND round_id = ? AND programme_measure_id = ?`,
		string(e.Status), e.Reason, string(vals), e.Notes, e.AssessedBy, now(), enteID, roundID, e.ProgrammeMeasureID)
	if res.Error != nil {
		return wrap(res.Error, "save programme self-assessment")
	}
	if res.RowsAffected > 0 {
		return nil
	}
	return wrap(s.q(ctx).Exec(`INSERT INTO programme_monitoring_entries (id, ente_id, round_id, programme_measure_id, status, reason,
		indicator_values, notes, assessed_by, assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		newID(), enteID, roundID, e.ProgrammeMeasureID, string(e.Status), e.Reason, string(vals), e.Notes, e.AssessedBy, now()).Error,
		"save programme self-assessment")
}

// SaveProgrammeCheck records the RPCT's check of a programme measure's self-assessment at the version read.
func (s *Store) SaveProgrammeCheck(ctx context.Context, enteID, roundID string, e ProgrammeEntry) error {
	res := s.q(ctx).Exec(`UPDATE programme_monitoring_entries SET check_outcome = ?, check_notes = ?, checked_by = ?, version = version + 1
		WHERE ente_id = ? AND round_id = ? AND programme_measure_id = ? AND version = ?`,
		e.CheckOutcome, e.CheckNotes, e.CheckedBy, enteID, roundID, e.ProgrammeMeasureID, e.Version)
	if res.Error != nil {
		return wrap(res.Error, "save programme check")
	}
	if res.RowsAffected == 0 {
		var cur []int64
		if err := s.q(ctx).Table("programme_monitoring_entries").Where("ente_id = ? AND round_id = ? AND programme_measure_id = ?",
			enteID, roundID, e.ProgrammeMeasureID).Pluck("version", &cur).Error; err != nil {
			return wrap(err, "find programme self-assessment")
		}
		if len(cur) == 0 {
			return domain.Conflict("self_assessment_missing", "the unit has not assessed this general measure yet")
		}
		return &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur[0],
			Message: "the self-assessment changed after you read it: reload and check it again"}
	}
	return nil
}

// fillProgrammeLinks sets, on an assessment's measures, the programme measure each links.
func (s *Store) fillProgrammeLinks(ctx context.Context, enteID string, a *domain.Assessment) error {
	var ids []string
	for _, m := range a.Measures {
		ids = append(ids, m.ID)
	}
	for _, m := range a.Withdrawn {
		ids = append(ids, m.ID)
	}
	links, err := s.ProgrammeLinks(ctx, enteID, ids)
	if err != nil || len(links) == 0 {
		return err
	}
	for i := range a.Measures {
		a.Measures[i].ProgrammeMeasure = links[a.Measures[i].ID]
	}
	for i := range a.Withdrawn {
		a.Withdrawn[i].ProgrammeMeasure = links[a.Withdrawn[i].ID]
	}
	return nil
}

// LinkGeneralMeasuresByCode links every general measure of the cycle's assessments that links nothing yet to
// the programme measure with its general-measure code, and mirrors the programme's content into it. It
// returns how many it linked.
func (s *Store) LinkGeneralMeasuresByCode(ctx context.Context, enteID, cycleID string) (int64, error) {
	res := s.q(ctx).Exec(`INSERT INTO measure_programme_links (measure_id, programme_measure_id, ente_id)
		SELECT m.id, p.id, m.ente_id FROM measures m
		JOIN programme_measures p ON p.ente_id = m.ente_id AND p.cycle_id = m.cycle_id AND p.general_code = m.general_code
		WHERE m.ente_id = ? AND m.cycle_id = ? AND m.nature = 'general' AND m.general_code <> '' AND m.withdrawn_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM measure_programme_links l WHERE l.measure_id = m.id)
		AND CAST(p.id AS TEXT) = (SELECT min(CAST(p2.id AS TEXT)) FROM programme_measures p2 WHERE p2.ente_id = m.ente_id AND p2.cycle_id = m.cycle_id AND p2.general_code = m.general_code)`,
		enteID, cycleID)
	if res.Error != nil {
		return 0, wrap(res.Error, "link general measures")
	}
	all, err := s.ProgrammeMeasures(ctx, enteID, cycleID)
	if err != nil {
		return 0, err
	}
	for i := range all {
		r := programmeRowOf(enteID, cycleID, &all[i])
		if err := s.q(ctx).Exec(`UPDATE measures SET general_code = ?, measure_type = ?, title = ?, description = ?, unit_code = ?,
			owner = ?, start_date = ?, end_date = ?, phases = ?, indicators = ?, status = ?
			WHERE ente_id = ? AND withdrawn_at IS NULL AND id IN (SELECT measure_id FROM measure_programme_links WHERE programme_measure_id = ?)`,
			r.GeneralCode, r.MeasureType, r.Title, r.Description, r.UnitCode, r.Owner, r.StartDate, r.EndDate,
			r.Phases, r.Indicators, r.Status, enteID, r.ID).Error; err != nil {
			return 0, wrap(err, "mirror programme measures")
		}
	}
	return res.RowsAffected, nil
}
