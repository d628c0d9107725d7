package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/store"
)

// DocumentSnapshot is what the sottosezione document needs beyond the register and the parts, frozen at
// adoption so the adopted document never reads live data: the body's name, the names of the measure types,
// the monitoring plan and the closed monitoring rounds (this cycle's and the previous cycle's).
type DocumentSnapshot struct {
	EnteName     string            `json:"ente_name"`
	MeasureTypes map[string]string `json:"measure_types"`
	// EnablingFactors names the catalogue's enabling factors as adopted (absent from snapshots taken before
	// measures named the factors they address: the document then prints the codes).
	EnablingFactors map[string]string      `json:"enabling_factors,omitempty"`
	MonitoringPlan  *export.MonitoringPlan `json:"monitoring_plan,omitempty"`
	Rounds          []export.RoundOutcome  `json:"monitoring_rounds"`
}

// documentSnapshot reads a cycle's DocumentSnapshot from st (the adoption's transaction, or the store for a
// draft). Only closed rounds count: an open round's entries still change.
func documentSnapshot(ctx context.Context, st *store.Store, actor domain.Actor, cycle *domain.Cycle) (*DocumentSnapshot, error) {
	out := &DocumentSnapshot{MeasureTypes: map[string]string{}, Rounds: []export.RoundOutcome{}}
	if e, err := st.EnteByCode(ctx, actor.EnteCode); err == nil {
		out.EnteName = e.Name
	} else if !errors.Is(err, domain.ErrNotFound) {
		return nil, err
	}
	types, err := st.MeasureTypes(ctx, actor.EnteID)
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		out.MeasureTypes[t.Code] = t.Code + " – " + t.Name
	}
	factors, err := st.EnablingFactors(ctx, actor.EnteID)
	if err != nil {
		return nil, err
	}
	out.EnablingFactors = make(map[string]string, len(factors))
	for _, f := range factors {
		out.EnablingFactors[f.Code] = f.Code + " – " + f.Description
	}
	if p, err := st.MonitoringPlanOf(ctx, actor.EnteID, cycle.ID); err == nil {
		out.MonitoringPlan = &export.MonitoringPlan{Frequency: p.Frequency, ReferenceDates: p.ReferenceDates, SamplingCriteria: p.SamplingCriteria,
			SamplePercent: p.SamplePercent, SampleHighRisk: p.SampleHighRisk, SampleOverdue: p.SampleOverdue}
	} else if !errors.Is(err, domain.ErrNotFound) {
		return nil, err
	}
	cycles := []*domain.Cycle{}
	if prev, err := previousCycle(ctx, st, actor.EnteID, cycle); err != nil {
		return nil, err
	} else if prev != nil {
		cycles = append(cycles, prev)
	}
	cycles = append(cycles, cycle)
	for _, cy := range cycles {
		rounds, err := st.RoundsOf(ctx, actor.EnteID, cy.ID) // newest first
		if err != nil {
			return nil, err
		}
		for i := len(rounds) - 1; i >= 0; i-- {
			r := rounds[i]
			if r.ClosedAt == nil {
				continue
			}
			o := export.RoundOutcome{Cycle: cy.Code, Date: r.ReferenceDate, Specific: map[string]int{}, Programme: map[string]int{}}
			entries, err := st.MonitoringEntries(ctx, actor.EnteID, r.ID)
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				o.Specific[string(e.Status)]++
			}
			pe, err := st.ProgrammeEntries(ctx, actor.EnteID, r.ID)
			if err != nil {
				return nil, err
			}
			for _, e := range pe {
				o.Programme[string(e.Status)]++
			}
			out.Rounds = append(out.Rounds, o)
		}
	}
	return out, nil
}

// previousCycle is the cycle before cycle (the one it was rolled forward from, else the one starting a year
// earlier), nil when the ente has none.
func previousCycle(ctx context.Context, st *store.Store, enteID string, cycle *domain.Cycle) (*domain.Cycle, error) {
	code := cycle.DerivedFrom
	if code == "" {
		code = fmt.Sprintf("%d-%d", cycle.StartYear-1, cycle.EndYear-1)
	}
	prev, err := st.CycleByCode(ctx, enteID, code)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	return prev, err
}

// sottosezioneContent is a cycle's content for the sottosezione documents: the adopted snapshot's header once
// adopted (nothing live is read), else the live parts gathered the way the adoption would freeze them.
func (c *Cycles) sottosezioneContent(ctx context.Context, actor domain.Actor, cycle *domain.Cycle) (*SnapshotContent, error) {
	if cycle.State == domain.CycleAdopted || cycle.State == domain.CyclePublished {
		snap, err := c.store.CycleSnapshot(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return nil, err
		}
		content := &SnapshotContent{}
		if err := json.Unmarshal([]byte(snap.Content), content); err != nil {
			return nil, err
		}
		return content, nil
	}
	m, err := c.maps.Export(ctx, Tenant{EnteID: actor.EnteID, EnteCode: actor.EnteCode}, cycle.Code)
	if err != nil {
		return nil, err
	}
	out := &SnapshotContent{Ente: actor.EnteCode, Cycle: cycle.Code,
		Map: SnapshotMap{Units: m.Units, StrategicObjectives: m.StrategicObjectives, RiskAreas: m.RiskAreas, Nodes: m.Nodes}}
	if out.Exclusions, err = c.store.Exclusions(ctx, actor.EnteID, cycle.ID); err != nil {
		return nil, err
	}
	if out.Sottosezione, err = sottosezioneSnapshot(ctx, c.store, actor.EnteID, cycle.ID); err != nil {
		return nil, err
	}
	if err := programmeSnapshot(ctx, c.store, actor.EnteID, cycle.ID, out); err != nil {
		return nil, err
	}
	if out.Document, err = documentSnapshot(ctx, c.store, actor, cycle); err != nil {
		return nil, err
	}
	return out, nil
}

// part decodes one written part of the sottosezione; nil when the RPCT has not written it.
func part[T any](s *SottosezioneSnapshot, k domain.PartKind) (*T, error) {
	if s == nil {
		return nil, nil
	}
	raw, ok := s.Parts[k]
	if !ok {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("sottosezione part %s: %w", k, err)
	}
	return v, nil
}

// SottosezioneData gathers what the sottosezione document and the ANAC platform workbook are written from:
// the register, the names, and the other parts; an adopted cycle's from its snapshot only.
func (c *Cycles) SottosezioneData(ctx context.Context, actor domain.Actor, cycleCode string) (export.Source, export.Names, *export.Sottosezione, error) {
	src, err := c.ExportSource(ctx, actor, cycleCode) // checks that the actor reads the register
	if err != nil {
		return nil, export.Names{}, nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, export.Names{}, nil, err
	}
	content, err := c.sottosezioneContent(ctx, actor, cycle)
	if err != nil {
		return nil, export.Names{}, nil, err
	}
	names := export.Names{Ente: actor.EnteCode, Units: map[string]string{}, Areas: map[string]string{}, MeasureTypes: map[string]string{},
		GeneralMeasures: map[string]string{}, DeliberationNumber: cycle.DeliberationNumber, DeliberationDate: cycle.DeliberationDate,
		AdoptedAt: cycle.DeliberationDate}
	if n := content.Deliberation["number"]; n != "" { // adopted: the act as the snapshot froze it
		names.DeliberationNumber, names.DeliberationDate, names.AdoptedAt = n, content.Deliberation["date"], content.Deliberation["date"]
	}
	if content.Document == nil {
		// A snapshot taken before the document existed: its names and monitoring are read as they are now.
		if content.Document, err = documentSnapshot(ctx, c.store, actor, cycle); err != nil {
			return nil, export.Names{}, nil, err
		}
	}
	if content.Document.EnteName != "" {
		names.Ente = content.Document.EnteName
	}
	names.MeasureTypes, names.EnablingFactors = content.Document.MeasureTypes, content.Document.EnablingFactors
	for _, u := range content.Map.Units {
		names.Units[u.Code] = u.Title
	}
	for _, a := range content.Map.RiskAreas {
		names.Areas[a.Code] = a.Title
	}
	s := &export.Sottosezione{Nodes: content.Map.Nodes, Exclusions: len(content.Exclusions), Programme: content.Programme,
		PerformanceObjectives: map[string]string{}, MonitoringPlan: content.Document.MonitoringPlan, Rounds: content.Document.Rounds}
	for _, o := range content.Map.StrategicObjectives {
		s.PerformanceObjectives[o.Code] = o.Code + " – " + o.Title
	}
	if t := content.Transparency; t != nil {
		s.Obligations, s.CivicAccess = t.Obligations, t.CivicAccess
	}
	if ss := content.Sottosezione; ss != nil {
		s.Settings, s.Descriptions = ss.Settings, ss.Descriptions
	}
	if s.Context, err = part[domain.ContextAnalysis](content.Sottosezione, domain.PartContext); err != nil {
		return nil, export.Names{}, nil, err
	}
	if s.Objectives, err = part[domain.Objectives](content.Sottosezione, domain.PartObjectives); err != nil {
		return nil, export.Names{}, nil, err
	}
	if s.Consultation, err = part[domain.Consultation](content.Sottosezione, domain.PartConsultation); err != nil {
		return nil, export.Names{}, nil, err
	}
	if s.Riesame, err = part[domain.Riesame](content.Sottosezione, domain.PartRiesame); err != nil {
		return nil, export.Names{}, nil, err
	}
	return src, names, s, nil
}

// SottosezioneDocument builds the whole sottosezione 2.3 as one document for the Giunta: from the adopted
// snapshot once adopted (with the deliberation and the hash), otherwise from the live data marked BOZZA.
func (c *Cycles) SottosezioneDocument(ctx context.Context, actor domain.Actor, cycleCode string) (*RegisterDocument, error) {
	src, names, s, err := c.SottosezioneData(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	doc, err := export.SottosezioneDocument(src, names, s, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	return &RegisterDocument{Doc: doc, Meta: src.Meta()}, nil
}
