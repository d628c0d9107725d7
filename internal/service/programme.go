package service

import (
	"context"
	"errors"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Programme runs the ente-wide programme of general measures of a cycle: the RPCT plans each measure once
// (legal basis, ANAC type, responsible office, phases, indicators and targets, processes and areas covered),
// the leaves' assessments link them, and the responsible units self-assess them in the cycle's monitoring
// rounds, checked by the RPCT.
type Programme struct {
	store *store.Store
	authz *authz.Authorizer
}

// NewProgramme builds the programme service.
func NewProgramme(s *store.Store, az *authz.Authorizer) *Programme {
	return &Programme{store: s, authz: az}
}

func (p *Programme) can(actor domain.Actor, obj authz.Object, act authz.Action, units ...string) error {
	if !p.authz.Can(actor, obj, act, units...) {
		return domain.Forbidden("forbidden", "your role does not allow this on the programme of general measures")
	}
	return nil
}

// List returns the cycle's programme, readable by everyone of the ente who reads measures (OIV included).
func (p *Programme) List(ctx context.Context, actor domain.Actor, cycleCode string) ([]domain.ProgrammeMeasure, error) {
	if err := p.can(actor, authz.ObjMeasure, authz.ActRead); err != nil {
		return nil, err
	}
	cycle, err := p.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	return p.store.ProgrammeMeasures(ctx, actor.EnteID, cycle.ID)
}

func (p *Programme) editable(ctx context.Context, actor domain.Actor, cycleCode string) (*domain.Cycle, error) {
	if err := p.can(actor, authz.ObjCycle, authz.ActManage); err != nil {
		return nil, domain.Forbidden("forbidden", "only the RPCT plans the general measures")
	}
	cycle, err := p.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s: its programme can no longer change", cycle.Code, cycle.State)
	}
	return cycle, nil
}

func (p *Programme) refs(ctx context.Context, enteID, cycleID string) (domain.ProgrammeRefs, error) {
	refs := domain.ProgrammeRefs{MeasureTypes: map[string]bool{}, GeneralMeasures: map[string]bool{}, Units: map[string]bool{},
		RiskAreas: map[string]bool{}, Nodes: map[string]bool{}, EnablingFactors: map[string]bool{}}
	factors, err := p.store.EnablingFactors(ctx, enteID)
	if err != nil {
		return refs, err
	}
	for _, f := range factors {
		refs.EnablingFactors[f.Code] = true
	}
	if err := measureCatalogueCodes(ctx, p.store, enteID, refs.MeasureTypes, refs.GeneralMeasures); err != nil {
		return refs, err
	}
	units, _, areas, err := p.store.Refs(ctx, enteID, cycleID)
	if err != nil {
		return refs, err
	}
	for _, u := range units {
		refs.Units[u.Code] = true
	}
	for _, a := range areas {
		refs.RiskAreas[a.Code] = true
	}
	nodes, err := p.store.Nodes(ctx, enteID, cycleID)
	if err != nil {
		return refs, err
	}
	for _, n := range nodes {
		refs.Nodes[n.Code] = true
	}
	return refs, nil
}

func (p *Programme) find(ctx context.Context, tx *store.Store, enteID, cycleID, id string) (domain.ProgrammeMeasure, error) {
	return tx.ProgrammeMeasure(ctx, enteID, cycleID, id)
}

// Create adds a general measure to the cycle's programme.
func (p *Programme) Create(ctx context.Context, actor domain.Actor, cycleCode string, in domain.ProgrammeMeasure) (*domain.ProgrammeMeasure, error) {
	cycle, err := p.editable(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	refs, err := p.refs(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(refs); err != nil {
		return nil, err
	}
	in.ID, in.DerivedFrom = "", ""
	var out domain.ProgrammeMeasure
	err = p.store.WithTx(ctx, func(tx *store.Store) error {
		all, err := tx.ProgrammeMeasures(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		if len(all) >= domain.MaxProgrammeMeasures {
			return domain.Conflict("programme_full", "a programme holds at most %d general measures", domain.MaxProgrammeMeasures)
		}
		id, err := tx.InsertProgrammeMeasure(ctx, actor.EnteID, cycle.ID, &in, actor.UserID)
		if err != nil {
			return err
		}
		if out, err = p.find(ctx, tx, actor.EnteID, cycle.ID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "programme_measure", cycle.Code+"/"+in.Code, "create", nil, out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Update replaces a general measure at the version the caller read; the assessments linking it follow.
func (p *Programme) Update(ctx context.Context, actor domain.Actor, cycleCode, id string, in domain.ProgrammeMeasure) (*domain.ProgrammeMeasure, error) {
	cycle, err := p.editable(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	refs, err := p.refs(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(refs); err != nil {
		return nil, err
	}
	in.ID = id
	var out domain.ProgrammeMeasure
	err = p.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := p.find(ctx, tx, actor.EnteID, cycle.ID, id)
		if err != nil {
			return err
		}
		in.DerivedFrom = before.DerivedFrom
		if _, err := tx.UpdateProgrammeMeasure(ctx, actor.EnteID, cycle.ID, &in, in.Version, actor.UserID); err != nil {
			return err
		}
		if out, err = p.find(ctx, tx, actor.EnteID, cycle.ID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "programme_measure", cycle.Code+"/"+out.Code, "update", before, out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete removes a general measure nothing links nor monitors, at the version read.
func (p *Programme) Delete(ctx context.Context, actor domain.Actor, cycleCode, id string, version int64) error {
	cycle, err := p.editable(ctx, actor, cycleCode)
	if err != nil {
		return err
	}
	return p.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := p.find(ctx, tx, actor.EnteID, cycle.ID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteProgrammeMeasure(ctx, actor.EnteID, cycle.ID, id, version); err != nil {
			return err
		}
		return record(ctx, tx, actor, "programme_measure", cycle.Code+"/"+before.Code, "delete", before, nil)
	})
}

// linkProgramme records, after an assessment's save, which programme measure each of its measures links. The
// saved measures come back in the order they were sent (by position), so the i-th sent is the i-th read.
func linkProgramme(ctx context.Context, tx *store.Store, enteID, cycleID, nodeID string, sent []domain.Measure) error {
	// The common save links nothing and had nothing linked: no need to read the assessment back.
	var kept []string
	wants := false
	for _, m := range sent {
		wants = wants || m.ProgrammeMeasure != ""
		if m.ID != "" {
			kept = append(kept, m.ID)
		}
	}
	if !wants {
		had, err := tx.ProgrammeLinks(ctx, enteID, kept)
		if err != nil || len(had) == 0 {
			return err
		}
	}
	saved, err := tx.Assessment(ctx, enteID, cycleID, nodeID)
	if err != nil {
		return err
	}
	if len(saved.Measures) != len(sent) {
		return errors.New("service: saved measures do not match the sent ones")
	}
	links := map[string]string{}
	for i, m := range saved.Measures {
		if m.ProgrammeMeasure != sent[i].ProgrammeMeasure {
			links[m.ID] = sent[i].ProgrammeMeasure
		}
	}
	return tx.SetProgrammeLinks(ctx, enteID, links)
}

// ProgrammeRound is the programme's measures with their entries in a monitoring round.
type ProgrammeRound struct {
	Round    store.Round             `json:"round"`
	Measures []ProgrammeRoundMeasure `json:"measures"`
}

// ProgrammeRoundMeasure is a programme measure and its entry in a round (nil when not self-assessed yet).
type ProgrammeRoundMeasure struct {
	domain.ProgrammeMeasure
	Entry   *store.ProgrammeEntry `json:"entry"`
	Overdue bool                  `json:"overdue"`
}

// Round returns the programme's monitoring in a round of the cycle.
func (p *Programme) Round(ctx context.Context, actor domain.Actor, cycleCode, date string) (*ProgrammeRound, error) {
	if err := p.can(actor, authz.ObjMeasure, authz.ActRead); err != nil {
		return nil, err
	}
	cycle, round, err := cycleAndRound(ctx, p.store, actor.EnteID, cycleCode, date)
	if err != nil {
		return nil, err
	}
	measures, err := p.store.ProgrammeMeasures(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	entries, err := p.store.ProgrammeEntries(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	by := map[string]*store.ProgrammeEntry{}
	for i := range entries {
		by[entries[i].ProgrammeMeasureID] = &entries[i]
	}
	out := &ProgrammeRound{Round: round, Measures: []ProgrammeRoundMeasure{}}
	for _, m := range measures {
		e := by[m.ID]
		if m.Status == domain.MeasureDropped && e == nil {
			continue // a dropped measure owes nothing
		}
		done := e != nil && (e.Status == domain.StatusImplemented || e.Status == domain.StatusNoLongerRelevant)
		out.Measures = append(out.Measures, ProgrammeRoundMeasure{ProgrammeMeasure: m, Entry: e, Overdue: m.End != "" && m.End <= date && !done})
	}
	return out, nil
}

// SelfAssess records the responsible unit's self-assessment of a programme measure in an open round.
func (p *Programme) SelfAssess(ctx context.Context, actor domain.Actor, cycleCode, date, id string, e store.ProgrammeEntry) (*ProgrammeRound, error) {
	cycle, err := p.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if err := p.can(actor, authz.ObjMeasure, authz.ActRead); err != nil {
		return nil, err
	}
	m, err := p.store.ProgrammeMeasure(ctx, actor.EnteID, cycle.ID, id)
	if err != nil {
		return nil, err
	}
	if err := p.can(actor, authz.ObjMeasure, authz.ActWrite, m.Unit); err != nil {
		return nil, domain.Forbidden("forbidden", "only the responsible office %s self-assesses %s", m.Unit, m.Code)
	}
	problems := statusProblems(e.Status, e.Reason)
	if len([]rune(e.Reason)) > domain.MaxProgrammeText || len([]rune(e.Notes)) > domain.MaxProgrammeText {
		problems = append(problems, domain.FieldError{Field: "notes", Code: "too_long", Message: "reason and notes are at most 4000 characters each"})
	}
	if len(e.IndicatorValues) > domain.MaxProgrammeItems {
		problems = append(problems, domain.FieldError{Field: "indicator_values", Code: "too_many", Message: "at most 50 values"})
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "self_assessment_invalid", Problems: problems}
	}
	if e.IndicatorValues == nil {
		e.IndicatorValues = []store.IndicatorValue{}
	}
	e.ProgrammeMeasureID, e.AssessedBy = id, actor.UserID
	err = p.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := openRound(ctx, tx, actor.EnteID, cycle, date)
		if err != nil {
			return err
		}
		if err := tx.SaveProgrammeSelfAssessment(ctx, actor.EnteID, round.ID, e); err != nil {
			return err
		}
		return record(ctx, tx, actor, "programme_monitoring", cycle.Code+"/"+date+"/"+m.Code, "self_assess", nil, e)
	})
	if err != nil {
		return nil, err
	}
	return p.Round(ctx, actor, cycleCode, date)
}

// Check records the RPCT's second-level check of a programme measure's self-assessment, at the version read.
func (p *Programme) Check(ctx context.Context, actor domain.Actor, cycleCode, date, id string, e store.ProgrammeEntry) (*ProgrammeRound, error) {
	if err := p.can(actor, authz.ObjAssessment, authz.ActReview); err != nil {
		return nil, err
	}
	cycle, err := p.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	m, err := p.store.ProgrammeMeasure(ctx, actor.EnteID, cycle.ID, id)
	if err != nil {
		return nil, err
	}
	if !domain.CheckOutcome(e.CheckOutcome).Valid() {
		return nil, &domain.ValidationError{Code: "check_invalid", Problems: []domain.FieldError{{Field: "check_outcome", Code: "value_unknown",
			Message: "confermato, non_confermato or integrazioni_richieste"}}}
	}
	if len([]rune(e.CheckNotes)) > domain.MaxProgrammeText {
		return nil, &domain.ValidationError{Code: "check_invalid", Problems: []domain.FieldError{{Field: "check_notes", Code: "too_long", Message: "at most 4000 characters"}}}
	}
	e.ProgrammeMeasureID, e.CheckedBy = id, actor.UserID
	err = p.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := openRound(ctx, tx, actor.EnteID, cycle, date)
		if err != nil {
			return err
		}
		if err := tx.SaveProgrammeCheck(ctx, actor.EnteID, round.ID, e); err != nil {
			return err
		}
		return record(ctx, tx, actor, "programme_monitoring", cycle.Code+"/"+date+"/"+m.Code, "check", nil, e)
	})
	if err != nil {
		return nil, err
	}
	return p.Round(ctx, actor, cycleCode, date)
}

// LinkByGeneralCode links the general measures the cycle's assessments plan on their own (e.g. typed before
// the programme existed) to the programme measure with the same general-measure code, so they take its
// content. The RPCT's, while the cycle is open; audited with the count.
func (p *Programme) LinkByGeneralCode(ctx context.Context, actor domain.Actor, cycleCode string) (int64, error) {
	cycle, err := p.editable(ctx, actor, cycleCode)
	if err != nil {
		return 0, err
	}
	var n int64
	err = p.store.WithTx(ctx, func(tx *store.Store) error {
		if n, err = tx.LinkGeneralMeasuresByCode(ctx, actor.EnteID, cycle.ID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "programme_measure", cycle.Code, "link_by_code", nil, map[string]int64{"linked": n})
	})
	return n, err
}
