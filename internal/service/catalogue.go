package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/store"
)

// Catalogues manages an ente's risk events, enabling factors, measure types and general measures.
type Catalogues struct {
	store *store.Store
	authz *authz.Authorizer
}

// NewCatalogues builds the catalogue service.
func NewCatalogues(s *store.Store, az *authz.Authorizer) *Catalogues {
	return &Catalogues{store: s, authz: az}
}

func (c *Catalogues) require(actor domain.Actor, act authz.Action) error {
	if !c.authz.Can(actor, authz.ObjCatalogue, act) {
		return domain.Forbidden("forbidden", "your role does not allow this on the catalogues")
	}
	return nil
}

// EnsureStarter gives an ente the entries of Argine's starter catalogue it does not have yet (idempotent;
// entries the RPCT changed are left as they are). It returns how many risk events were added.
func (c *Catalogues) EnsureStarter(ctx context.Context, enteID string) (int64, error) {
	cat, err := seed.StarterCatalogue()
	if err != nil {
		return 0, err
	}
	var added int64
	err = c.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if added, err = tx.AddMissingCatalogue(ctx, enteID, cat); err != nil {
			return err
		}
		if _, err = tx.LinkGeneralMeasureFactors(ctx, enteID, cat); err != nil {
			return err
		}
		if err = tx.MarkCatalogueRelease(ctx, enteID, seed.CatalogueRelease); err != nil || added == 0 {
			return err
		}
		return record(ctx, tx, operator(enteID), "catalogue", "starter", "seed", nil, map[string]any{"risk_events_added": added})
	})
	return added, err
}

// RiskEvents lists the ente's risk events, optionally by area and text.
func (c *Catalogues) RiskEvents(ctx context.Context, actor domain.Actor, f store.RiskEventFilter) ([]domain.RiskEvent, error) {
	if err := c.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	var problems []domain.FieldError
	if fe := domain.CheckSearchText("q", f.Text); fe != nil {
		problems = append(problems, *fe)
	}
	if f.Area != "" {
		areas, err := c.knownAreas(ctx, actor.EnteID)
		if err != nil {
			return nil, err
		}
		if !areas[f.Area] {
			problems = append(problems, domain.FieldError{Field: "risk_area", Code: "value_unknown",
				Message: "risk_area must be the code of one of the ente's risk areas"})
		}
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "filter_invalid", Problems: problems}
	}
	return c.store.RiskEvents(ctx, actor.EnteID, f)
}

func (c *Catalogues) knownAreas(ctx context.Context, enteID string) (map[string]bool, error) {
	areas, err := c.store.RiskAreaCodes(ctx, enteID)
	if err != nil {
		return nil, err
	}
	// The catalogue's events carry the standard ANAC/chamber areas even where the ente's map names fewer (or
	// none yet), so those codes are always valid filters.
	for _, a := range seed.StarterRiskAreaCodes() {
		areas[a] = true
	}
	return areas, nil
}

func normalizeEvent(e domain.RiskEvent) domain.RiskEvent {
	e.Code = strings.ToUpper(strings.TrimSpace(e.Code))
	e.Description = strings.TrimSpace(e.Description)
	e.Source = strings.TrimSpace(e.Source)
	if e.Source == "" {
		e.Source = "ENTE"
	}
	return e
}

// CreateRiskEvent adds an event of the ente's own.
func (c *Catalogues) CreateRiskEvent(ctx context.Context, actor domain.Actor, e domain.RiskEvent) (domain.RiskEvent, error) {
	if err := c.require(actor, authz.ActWrite); err != nil {
		return domain.RiskEvent{}, err
	}
	e = normalizeEvent(e)
	e.Active = true
	areas, err := c.knownAreas(ctx, actor.EnteID)
	if err != nil {
		return domain.RiskEvent{}, err
	}
	if err := domain.ValidateRiskEvent(e, areas); err != nil {
		return domain.RiskEvent{}, err
	}
	var out domain.RiskEvent
	err = c.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if out, err = tx.CreateRiskEvent(ctx, actor.EnteID, e); err != nil {
			return err
		}
		return record(ctx, tx, actor, "risk_event", out.Code, "create", nil, out)
	})
	return out, err
}

// UpdateRiskEvent changes an event (e.g. the RPCT validates a starter event) at the version the caller read.
func (c *Catalogues) UpdateRiskEvent(ctx context.Context, actor domain.Actor, code string, e domain.RiskEvent, version int64) (domain.RiskEvent, error) {
	if err := c.require(actor, authz.ActWrite); err != nil {
		return domain.RiskEvent{}, err
	}
	before, err := c.store.RiskEvent(ctx, actor.EnteID, code)
	if err != nil {
		return domain.RiskEvent{}, err
	}
	e.Code = code
	e = normalizeEvent(e)
	areas, err := c.knownAreas(ctx, actor.EnteID)
	if err != nil {
		return domain.RiskEvent{}, err
	}
	if err := domain.ValidateRiskEvent(e, areas); err != nil {
		return domain.RiskEvent{}, err
	}
	if version < 1 {
		return domain.RiskEvent{}, &domain.ValidationError{Code: "risk_event_invalid", Problems: []domain.FieldError{
			{Field: "version", Code: "required", Message: "the version you read is required"}}}
	}
	var out domain.RiskEvent
	err = c.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if out, err = tx.UpdateRiskEvent(ctx, actor.EnteID, e, version); err != nil {
			return err
		}
		return record(ctx, tx, actor, "risk_event", out.Code, "update", before, out)
	})
	return out, err
}

// EnablingFactors lists the ente's enabling factors.
func (c *Catalogues) EnablingFactors(ctx context.Context, actor domain.Actor) ([]domain.EnablingFactor, error) {
	if err := c.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	return c.store.EnablingFactors(ctx, actor.EnteID)
}

// CreateEnablingFactor extends the factors with one of the ente's own.
func (c *Catalogues) CreateEnablingFactor(ctx context.Context, actor domain.Actor, f domain.EnablingFactor) (domain.EnablingFactor, error) {
	if err := c.require(actor, authz.ActWrite); err != nil {
		return domain.EnablingFactor{}, err
	}
	f.Code, f.Description, f.Source = strings.TrimSpace(f.Code), strings.TrimSpace(f.Description), strings.TrimSpace(f.Source)
	if f.Source == "" {
		f.Source = "ENTE"
	}
	if err := domain.ValidateEnablingFactor(f); err != nil {
		return domain.EnablingFactor{}, err
	}
	var out domain.EnablingFactor
	err := c.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if out, err = tx.CreateEnablingFactor(ctx, actor.EnteID, f); err != nil {
			return err
		}
		return record(ctx, tx, actor, "enabling_factor", out.Code, "create", nil, out)
	})
	return out, err
}

// MeasureTypes lists the eleven ANAC measure types as the ente holds them.
func (c *Catalogues) MeasureTypes(ctx context.Context, actor domain.Actor) ([]domain.MeasureType, error) {
	if err := c.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	return c.store.MeasureTypes(ctx, actor.EnteID)
}

// GeneralMeasures lists the general measures MG01..MG15 with their legal basis.
func (c *Catalogues) GeneralMeasures(ctx context.Context, actor domain.Actor) ([]domain.GeneralMeasure, error) {
	if err := c.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	return c.store.GeneralMeasures(ctx, actor.EnteID)
}

// GeneralMeasureFactors is the RPCT's edit of the enabling factors a catalogue general measure addresses, at
// the version read.
type GeneralMeasureFactors struct {
	EnablingFactors []string `json:"enabling_factors"`
	Version         int64    `json:"version"`
}

// SetGeneralMeasureFactors replaces the enabling factors a catalogue general measure addresses: only who may
// edit the catalogues (the RPCT), with codes of the ente's enabling factors; audited with before and after.
func (c *Catalogues) SetGeneralMeasureFactors(ctx context.Context, actor domain.Actor, code string, in GeneralMeasureFactors) (domain.GeneralMeasure, error) {
	if err := c.require(actor, authz.ActWrite); err != nil {
		return domain.GeneralMeasure{}, err
	}
	before, err := c.store.GeneralMeasure(ctx, actor.EnteID, code)
	if err != nil {
		return domain.GeneralMeasure{}, err
	}
	known, err := c.store.EnablingFactors(ctx, actor.EnteID)
	if err != nil {
		return domain.GeneralMeasure{}, err
	}
	valid := map[string]bool{}
	for _, f := range known {
		valid[f.Code] = true
	}
	var problems []domain.FieldError
	factors := []string{}
	seen := map[string]bool{}
	for i, f := range in.EnablingFactors {
		f = strings.TrimSpace(f)
		if !valid[f] {
			problems = append(problems, domain.FieldError{Field: fmt.Sprintf("enabling_factors[%d]", i), Code: "enabling_factor_unknown",
				Message: fmt.Sprintf("unknown enabling factor %q", f)})
		} else if !seen[f] {
			seen[f] = true
			factors = append(factors, f)
		}
	}
	if in.Version < 1 {
		problems = append(problems, domain.FieldError{Field: "version", Code: "required", Message: "the version you read is required"})
	}
	if len(problems) > 0 {
		return domain.GeneralMeasure{}, &domain.ValidationError{Code: "general_measure_invalid", Problems: problems}
	}
	var out domain.GeneralMeasure
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		if _, err := tx.SetGeneralMeasureFactors(ctx, actor.EnteID, code, factors, in.Version); err != nil {
			return err
		}
		if out, err = tx.GeneralMeasure(ctx, actor.EnteID, code); err != nil {
			return err
		}
		return record(ctx, tx, actor, "general_measure", code, "update_factors",
			map[string]any{"enabling_factors": before.EnablingFactors}, map[string]any{"enabling_factors": out.EnablingFactors})
	})
	return out, err
}

// Methodologies manages the risk-assessment methodology of each cycle.
type Methodologies struct {
	store *store.Store
	authz *authz.Authorizer
}

// NewMethodologies builds the methodology service.
func NewMethodologies(s *store.Store, az *authz.Authorizer) *Methodologies {
	return &Methodologies{store: s, authz: az}
}

// DefaultProfileCode is the methodology a cycle uses until the RPCT chooses one.
const DefaultProfileCode = "pna2019"

// Methodology is a cycle's methodology as the API shows it.
type Methodology struct {
	Cycle   string         `json:"cycle"`
	Profile domain.Profile `json:"profile"`
	Chosen  bool           `json:"chosen"` // false: the default, not yet confirmed by the RPCT ("non confermata")
	Version int64          `json:"version"`
}

func (m *Methodologies) require(actor domain.Actor, act authz.Action) error {
	if !m.authz.Can(actor, authz.ObjMethodology, act) {
		return domain.Forbidden("forbidden", "your role does not allow this on the methodology")
	}
	return nil
}

// Profiles lists the profiles a cycle can choose: the shipped ones, then the latest version of each of the
// ente's own (whose ProfileVersion is set).
func (m *Methodologies) Profiles(ctx context.Context, actor domain.Actor) ([]domain.Profile, error) {
	if err := m.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	own, err := m.EnteProfiles(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := domain.ShippedProfiles()
	for _, p := range own {
		if p.Latest {
			out = append(out, p.Profile)
		}
	}
	return out, nil
}

func (m *Methodologies) load(ctx context.Context, enteID string, cycle *domain.Cycle) (Methodology, error) {
	return loadMethodology(ctx, m.store, enteID, cycle)
}

// loadMethodology reads the cycle's methodology through st (a transaction's store, when inside one).
func loadMethodology(ctx context.Context, st *store.Store, enteID string, cycle *domain.Cycle) (Methodology, error) {
	stored, err := st.CycleMethodology(ctx, enteID, cycle.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return methodologyOf(cycle, nil)
	}
	if err != nil {
		return Methodology{}, err
	}
	return methodologyOf(cycle, &stored)
}

// methodologyOf is the methodology of a cycle from its stored choice (nil: none chosen, the default profile).
func methodologyOf(cycle *domain.Cycle, stored *store.CycleMethodology) (Methodology, error) {
	if stored == nil {
		p, _ := domain.ProfileByCode(DefaultProfileCode)
		return Methodology{Cycle: cycle.Code, Profile: p}, nil
	}
	var p domain.Profile
	if err := json.Unmarshal([]byte(stored.Profile), &p); err != nil {
		return Methodology{}, err
	}
	p.ProfileVersion = stored.ProfileVersion
	return Methodology{Cycle: cycle.Code, Profile: p, Chosen: !stored.Unconfirmed, Version: stored.Version}, nil
}

// ForCycle returns the methodology of a cycle.
func (m *Methodologies) ForCycle(ctx context.Context, actor domain.Actor, cycleCode string) (Methodology, error) {
	if err := m.require(actor, authz.ActRead); err != nil {
		return Methodology{}, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return Methodology{}, err
	}
	return m.load(ctx, actor.EnteID, cycle)
}

// MethodologyChoice is the RPCT's choice of profile for a cycle, with the adjustments a profile allows.
type MethodologyChoice struct {
	ProfileCode       string        `json:"profile_code"`
	ProfileVersion    int           `json:"profile_version,omitempty"` // an ente profile's version; 0: its latest
	Version           int64         `json:"version"`                   // the version read; 0 when none was chosen yet
	ImpactAggregation string        `json:"impact_aggregation,omitempty"`
	Bands             []domain.Band `json:"bands,omitempty"` // numeric profiles: the P×I bands
}

// Choose sets the methodology of an open cycle.
func (m *Methodologies) Choose(ctx context.Context, actor domain.Actor, cycleCode string, in MethodologyChoice) (Methodology, error) {
	if err := m.require(actor, authz.ActWrite); err != nil {
		return Methodology{}, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return Methodology{}, err
	}
	if cycle.State != domain.CycleOpen {
		return Methodology{}, domain.Conflict("cycle_not_open", "cycle %s is %s: its methodology can no longer change", cycle.Code, cycle.State)
	}
	locked, err := m.store.CycleHasSubmittedAssessments(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return Methodology{}, err
	}
	if locked {
		return Methodology{}, domain.Conflict("methodology_locked", "assessments of cycle %s were already submitted: its methodology can no longer change", cycle.Code)
	}
	before, err := m.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return Methodology{}, err
	}
	p, err := m.chosenProfile(ctx, actor.EnteID, before, before.Version > 0, in)
	if err != nil {
		return Methodology{}, err
	}
	if in.ImpactAggregation != "" {
		p.ImpactAggregation = domain.Aggregation(in.ImpactAggregation)
	}
	if len(in.Bands) > 0 {
		p.Bands = in.Bands
	}
	if err := p.Validate(); err != nil {
		return Methodology{}, err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return Methodology{}, err
	}
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		if _, err := tx.SetCycleMethodology(ctx, actor.EnteID, cycle.ID,
			store.CycleMethodology{ProfileCode: p.Code, Profile: string(raw), ProfileVersion: p.ProfileVersion}, in.Version, actor.UserID); err != nil {
			return err
		}
		// The risks keep their judgements; what the new methodology makes of them is stored anew, so the
		// register's filters, the heat map and the dashboard read the levels the register shows.
		rescored, err := rescoreCycle(ctx, tx, actor.EnteID, cycle.ID, p)
		if err != nil {
			return err
		}
		// The record's after is the profile chosen, with how many risks it rescored.
		after := struct {
			domain.Profile
			RescoredRisks int `json:"rescored_risks"`
		}{p, rescored}
		return record(ctx, tx, actor, "methodology", cycle.Code, "choose", before.Profile, after)
	})
	if err != nil {
		return Methodology{}, err
	}
	return m.load(ctx, actor.EnteID, cycle)
}

// Score computes a judgement with the cycle's methodology, without storing anything: the editor's live
// preview uses it.
func (m *Methodologies) Score(ctx context.Context, actor domain.Actor, cycleCode string, j domain.Judgement) (domain.Score, error) {
	meth, err := m.ForCycle(ctx, actor, cycleCode)
	if err != nil {
		return domain.Score{}, err
	}
	return meth.Profile.Score(j)
}
