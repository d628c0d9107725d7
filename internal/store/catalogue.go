package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/domain"
)

type riskEventRow struct {
	ID          string
	EnteID      string
	Code        string
	Description string
	RiskAreas   string
	Source      string
	ToValidate  bool
	Active      bool
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (riskEventRow) TableName() string { return "risk_events" }

func (r riskEventRow) domain() domain.RiskEvent {
	areas := []string{}
	if r.RiskAreas != "" {
		areas = strings.Split(r.RiskAreas, ";")
	}
	return domain.RiskEvent{Code: r.Code, Description: r.Description, RiskAreas: areas, Source: r.Source,
		ToValidate: r.ToValidate, Active: r.Active, Version: r.Version}
}

type enablingFactorRow struct {
	ID          string
	EnteID      string
	Code        string
	Description string
	Source      string
	Active      bool
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (enablingFactorRow) TableName() string { return "enabling_factors" }

type measureTypeRow struct {
	ID, EnteID, Code, Name, ExampleIndicator string
}

func (measureTypeRow) TableName() string { return "measure_types" }

type generalMeasureRow struct {
	ID, EnteID, Code, Name, LegalBasis, MeasureType string
	EnablingFactors                                 string // ';'-separated factor codes
	Version                                         int64  // 1 as shipped; each edit of the factor links adds one
}

func (generalMeasureRow) TableName() string { return "general_measures" }

// AddMissingCatalogue inserts the entries of cat whose codes the ente does not have yet; entries the RPCT
// already has (perhaps edited) are left alone. It returns how many risk events were added.
func (s *Store) AddMissingCatalogue(ctx context.Context, enteID string, cat domain.Catalogue) (int64, error) {
	t := now()
	skip := clause.OnConflict{Columns: []clause.Column{{Name: "ente_id"}, {Name: "code"}}, DoNothing: true}
	var events []riskEventRow
	for _, e := range cat.RiskEvents {
		events = append(events, riskEventRow{ID: newID(), EnteID: enteID, Code: e.Code, Description: e.Description,
			RiskAreas: strings.Join(e.RiskAreas, ";"), Source: e.Source, ToValidate: e.ToValidate, Active: true,
			Version: 1, CreatedAt: t, UpdatedAt: t})
	}
	var factors []enablingFactorRow
	for _, f := range cat.EnablingFactors {
		factors = append(factors, enablingFactorRow{ID: newID(), EnteID: enteID, Code: f.Code, Description: f.Description,
			Source: f.Source, Active: true, Version: 1, CreatedAt: t, UpdatedAt: t})
	}
	var types []measureTypeRow
	for _, m := range cat.MeasureTypes {
		types = append(types, measureTypeRow{ID: newID(), EnteID: enteID, Code: m.Code, Name: m.Name, ExampleIndicator: m.ExampleIndicator})
	}
	var generals []generalMeasureRow
	for _, g := range cat.GeneralMeasures {
		generals = append(generals, generalMeasureRow{ID: newID(), EnteID: enteID, Code: g.Code, Name: g.Name,
			LegalBasis: g.LegalBasis, MeasureType: g.MeasureType, EnablingFactors: strings.Join(g.EnablingFactors, ";"), Version: 1})
	}
	insert := func(rows any, n int) (int64, error) {
		if n == 0 {
			return 0, nil
		}
		res := s.q(ctx).Clauses(skip).CreateInBatches(rows, batchSize)
		return res.RowsAffected, wrap(res.Error, "insert starter catalogue")
	}
	added, err := insert(&events, len(events))
	if err != nil {
		return 0, err
	}
	if _, err := insert(&factors, len(factors)); err != nil {
		return 0, err
	}
	if _, err := insert(&types, len(types)); err != nil {
		return 0, err
	}
	if _, err := insert(&generals, len(generals)); err != nil {
		return 0, err
	}
	return added, nil
}

// RiskEventFilter selects catalogue events.
type RiskEventFilter struct {
	Area            string
	Text            string
	IncludeInactive bool
}

// RiskEvents lists an ente's risk events by code.
func (s *Store) RiskEvents(ctx context.Context, enteID string, f RiskEventFilter) ([]domain.RiskEvent, error) {
	q := s.q(ctx).Where("ente_id = ?", enteID)
	if !f.IncludeInactive {
		q = q.Where("active = ?", true)
	}
	if f.Area != "" {
		q = q.Where("(';' || risk_areas || ';') LIKE ?", "%;"+escapeLike(f.Area)+";%")
	}
	for _, w := range strings.Fields(strings.ToLower(f.Text)) {
		q = q.Where(`(LOWER(code) LIKE ? ESCAPE '\' OR LOWER(description) LIKE ? ESCAPE '\')`, "%"+escapeLike(w)+"%", "%"+escapeLike(w)+"%")
	}
	var rows []riskEventRow
	if err := q.Order("code").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list risk events")
	}
	out := make([]domain.RiskEvent, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// RiskEvent loads one event by code.
func (s *Store) RiskEvent(ctx context.Context, enteID, code string) (domain.RiskEvent, error) {
	var r riskEventRow
	res := s.q(ctx).Where("ente_id = ? AND code = ?", enteID, code).Limit(1).Find(&r)
	if res.Error != nil {
		return domain.RiskEvent{}, wrap(res.Error, "load risk event")
	}
	if res.RowsAffected == 0 {
		return domain.RiskEvent{}, domain.NotFound("risk_event_not_found", "risk event %q not found", code)
	}
	return r.domain(), nil
}

// CreateRiskEvent adds an event; an existing code is a conflict.
func (s *Store) CreateRiskEvent(ctx context.Context, enteID string, e domain.RiskEvent) (domain.RiskEvent, error) {
	t := now()
	r := riskEventRow{ID: newID(), EnteID: enteID, Code: e.Code, Description: e.Description,
		RiskAreas: strings.Join(e.RiskAreas, ";"), Source: e.Source, ToValidate: e.ToValidate, Active: e.Active,
		Version: 1, CreatedAt: t, UpdatedAt: t}
	err := s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return domain.RiskEvent{}, domain.Conflict("risk_event_exists", "risk event %q already exists", e.Code)
	}
	return r.domain(), wrap(err, "create risk event")
}

// UpdateRiskEvent changes an event at the expected version; a stale version is a *domain.ConflictError.
func (s *Store) UpdateRiskEvent(ctx context.Context, enteID string, e domain.RiskEvent, expectVersion int64) (domain.RiskEvent, error) {
	res := s.q(ctx).Model(&riskEventRow{}).Where("ente_id = ? AND code = ? AND version = ?", enteID, e.Code, expectVersion).
		Updates(map[string]any{"description": e.Description, "risk_areas": strings.Join(e.RiskAreas, ";"),
			"source": e.Source, "to_validate": e.ToValidate, "active": e.Active, "version": gorm.Expr("version + 1"),
			"updated_at": now()})
	if res.Error != nil {
		return domain.RiskEvent{}, wrap(res.Error, "update risk event")
	}
	current, err := s.RiskEvent(ctx, enteID, e.Code)
	if err != nil {
		return domain.RiskEvent{}, err
	}
	if res.RowsAffected == 0 {
		return domain.RiskEvent{}, &domain.ConflictError{Code: "version_conflict", CurrentVersion: current.Version,
			Message: "the risk event was changed by someone else: reload and apply your change again"}
	}
	return current, nil
}

// EnablingFactors lists an ente's enabling factors by code.
func (s *Store) EnablingFactors(ctx context.Context, enteID string) ([]domain.EnablingFactor, error) {
	var rows []enablingFactorRow
	if err := s.q(ctx).Where("ente_id = ? AND active = ?", enteID, true).Order("code").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list enabling factors")
	}
	out := make([]domain.EnablingFactor, len(rows))
	for i, r := range rows {
		out[i] = domain.EnablingFactor{Code: r.Code, Description: r.Description, Source: r.Source}
	}
	return out, nil
}

// CreateEnablingFactor adds a factor of the ente's own.
func (s *Store) CreateEnablingFactor(ctx context.Context, enteID string, f domain.EnablingFactor) (domain.EnablingFactor, error) {
	t := now()
	r := enablingFactorRow{ID: newID(), EnteID: enteID, Code: f.Code, Description: f.Description, Source: f.Source,
		Active: true, Version: 1, CreatedAt: t, UpdatedAt: t}
	err := s.q(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return domain.EnablingFactor{}, domain.Conflict("enabling_factor_exists", "enabling factor %q already exists", f.Code)
	}
	return f, wrap(err, "create enabling factor")
}

// MeasureTypes lists the ente's measure types by code.
func (s *Store) MeasureTypes(ctx context.Context, enteID string) ([]domain.MeasureType, error) {
	var rows []measureTypeRow
	if err := s.q(ctx).Where("ente_id = ?", enteID).Order("code").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list measure types")
	}
	out := make([]domain.MeasureType, len(rows))
	for i, r := range rows {
		out[i] = domain.MeasureType{Code: r.Code, Name: r.Name, ExampleIndicator: r.ExampleIndicator}
	}
	return out, nil
}

// GeneralMeasures lists the ente's general measures by code.
func (s *Store) GeneralMeasures(ctx context.Context, enteID string) ([]domain.GeneralMeasure, error) {
	var rows []generalMeasureRow
	if err := s.q(ctx).Where("ente_id = ?", enteID).Order("code").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list general measures")
	}
	out := make([]domain.GeneralMeasure, len(rows))
	for i, r := range rows {
		factors := []string{}
		if r.EnablingFactors != "" {
			factors = strings.Split(r.EnablingFactors, ";")
		}
		out[i] = domain.GeneralMeasure{Code: r.Code, Name: r.Name, LegalBasis: r.LegalBasis, MeasureType: r.MeasureType,
			EnablingFactors: factors, Version: r.Version}
	}
	return out, nil
}

// GeneralMeasure loads one of the ente's catalogue general measures by code.
func (s *Store) GeneralMeasure(ctx context.Context, enteID, code string) (domain.GeneralMeasure, error) {
	var r generalMeasureRow
	res := s.q(ctx).Where("ente_id = ? AND code = ?", enteID, code).Limit(1).Find(&r)
	if res.Error != nil {
		return domain.GeneralMeasure{}, wrap(res.Error, "load general measure")
	}
	if res.RowsAffected == 0 {
		return domain.GeneralMeasure{}, domain.NotFound("general_measure_not_found", "no general measure %s in the catalogue", code)
	}
	return domain.GeneralMeasure{Code: r.Code, Name: r.Name, LegalBasis: r.LegalBasis, MeasureType: r.MeasureType,
		EnablingFactors: splitCodes(r.EnablingFactors), Version: r.Version}, nil
}

// SetGeneralMeasureFactors replaces the enabling factors a catalogue general measure addresses, at the version
// the caller read (a stale one is a version_conflict with the current version). It returns the new version.
func (s *Store) SetGeneralMeasureFactors(ctx context.Context, enteID, code string, factors []string, expectVersion int64) (int64, error) {
	res := s.q(ctx).Model(&generalMeasureRow{}).Where("ente_id = ? AND code = ? AND version = ?", enteID, code, expectVersion).
		Updates(map[string]any{"enabling_factors": strings.Join(factors, ";"), "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return 0, wrap(res.Error, "update general measure factors")
	}
	if res.RowsAffected == 0 {
		cur, err := s.GeneralMeasure(ctx, enteID, code)
		if err != nil {
			return 0, err
		}
		return 0, &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
			Message: "the general measure was changed by someone else: reload and apply your change again"}
	}
	return expectVersion + 1, nil
}

// RiskAreaCodes returns the risk area codes the ente's maps know, across cycles.
func (s *Store) RiskAreaCodes(ctx context.Context, enteID string) (map[string]bool, error) {
	var codes []string
	if err := s.q(ctx).Table(areasRef).Where("ente_id = ?", enteID).Distinct().Pluck("code", &codes).Error; err != nil {
		return nil, wrap(err, "list risk area codes")
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}

type cycleMethodologyRow struct {
	CycleID        string
	EnteID         string
	ProfileCode    string
	Profile        string
	ProfileVersion int
	Confirmed      bool
	Version        int64
	UpdatedAt      time.Time
	UpdatedBy      string
}

func (cycleMethodologyRow) TableName() string { return "cycle_methodologies" }

// CycleMethodology is the stored methodology of a cycle (Profile is JSON). ProfileVersion is the version of
// an ente-defined profile (0: shipped). Unconfirmed marks the default profile whose wording the RPCT corrected
// before confirming it; the zero value, as every choice, is confirmed.
type CycleMethodology struct {
	ProfileCode    string
	Profile        string
	ProfileVersion int
	Unconfirmed    bool
	Version        int64
	UpdatedAt      time.Time
}

// CycleMethodology loads the methodology chosen for a cycle; none chosen yet is domain.ErrNotFound.
func (s *Store) CycleMethodology(ctx context.Context, enteID, cycleID string) (CycleMethodology, error) {
	var r cycleMethodologyRow
	res := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Limit(1).Find(&r)
	if res.Error != nil {
		return CycleMethodology{}, wrap(res.Error, "load cycle methodology")
	}
	if res.RowsAffected == 0 {
		return CycleMethodology{}, domain.NotFound("methodology_not_chosen", "no methodology chosen for the cycle")
	}
	return CycleMethodology{ProfileCode: r.ProfileCode, Profile: r.Profile, ProfileVersion: r.ProfileVersion,
		Unconfirmed: !r.Confirmed, Version: r.Version, UpdatedAt: r.UpdatedAt}, nil
}

// SetCycleMethodology stores the cycle's methodology. expectVersion 0 means none was chosen yet; a stale
// version (or a concurrent first choice) is a *domain.ConflictError.
func (s *Store) SetCycleMethodology(ctx context.Context, enteID, cycleID string, m CycleMethodology, expectVersion int64, by string) (CycleMethodology, error) {
	t := now()
	var affected int64
	if expectVersion == 0 {
		res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&cycleMethodologyRow{CycleID: cycleID, EnteID: enteID,
			ProfileCode: m.ProfileCode, Profile: m.Profile, ProfileVersion: m.ProfileVersion, Confirmed: !m.Unconfirmed,
			Version: 1, UpdatedAt: t, UpdatedBy: by})
		if res.Error != nil {
			return CycleMethodology{}, wrap(res.Error, "store cycle methodology")
		}
		affected = res.RowsAffected
	} else {
		res := s.q(ctx).Model(&cycleMethodologyRow{}).Where("ente_id = ? AND cycle_id = ? AND version = ?", enteID, cycleID, expectVersion).
			Updates(map[string]any{"profile_code": m.ProfileCode, "profile": m.Profile, "profile_version": m.ProfileVersion,
				"confirmed": !m.Unconfirmed, "version": gorm.Expr("version + 1"),
				"updated_at": t, "updated_by": by})
		if res.Error != nil {
			return CycleMethodology{}, wrap(res.Error, "update cycle methodology")
		}
		affected = res.RowsAffected
	}
	current, err := s.CycleMethodology(ctx, enteID, cycleID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return CycleMethodology{}, err
	}
	if affected == 0 {
		return CycleMethodology{}, &domain.ConflictError{Code: "version_conflict", CurrentVersion: current.Version,
			Message: "the methodology was changed by someone else: reload and choose again"}
	}
	return current, nil
}
