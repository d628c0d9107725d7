package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/store"
)

// documentNames loads the names a cycle's documents print instead of codes. An adopted cycle's units and
// areas come from its snapshot, as they were when the Giunta adopted it.
func (c *Cycles) documentNames(ctx context.Context, actor domain.Actor, cycle *domain.Cycle) (export.Names, error) {
	n := export.Names{Units: map[string]string{}, Areas: map[string]string{}, MeasureTypes: map[string]string{}, GeneralMeasures: map[string]string{},
		DeliberationNumber: cycle.DeliberationNumber, DeliberationDate: cycle.DeliberationDate, AdoptedAt: cycle.DeliberationDate}
	if e, err := c.store.EnteByCode(ctx, actor.EnteCode); err == nil {
		n.Ente = e.Name
	} else if !errors.Is(err, domain.ErrNotFound) {
		return n, err
	}
	var units, areas []domain.RefItem
	if cycle.State == domain.CycleAdopted || cycle.State == domain.CyclePublished {
		snap, err := c.store.CycleSnapshot(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return n, err
		}
		content := &SnapshotContent{}
		if err := json.Unmarshal([]byte(snap.Content), content); err != nil {
			return n, err
		}
		units, areas = content.Map.Units, content.Map.RiskAreas
	} else {
		var err error
		if units, _, areas, err = c.store.Refs(ctx, actor.EnteID, cycle.ID); err != nil {
			return n, err
		}
	}
	for _, u := range units {
		n.Units[u.Code] = u.Title
	}
	for _, a := range areas {
		n.Areas[a.Code] = a.Title
	}
	types, err := c.store.MeasureTypes(ctx, actor.EnteID)
	if err != nil {
		return n, err
	}
	for _, t := range types {
		n.MeasureTypes[t.Code] = t.Code + " – " + t.Name
	}
	gms, err := c.store.GeneralMeasures(ctx, actor.EnteID)
	if err != nil {
		return n, err
	}
	for _, g := range gms {
		n.GeneralMeasures[g.Code] = g.Code + " – " + g.Name
	}
	return n, nil
}

// statusCounts counts the measures by implementation status in a cycle's latest round closed by until (any
// closed round when until is zero).
func (c *Cycles) statusCounts(ctx context.Context, enteID, cycleID string, until time.Time) (map[string]int, error) {
	out := map[string]int{}
	rounds, err := c.store.RoundsOf(ctx, enteID, cycleID) // newest reference date first
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		if r.ClosedAt == nil || (!until.IsZero() && r.ClosedAt.After(until)) {
			continue
		}
		entries, err := c.store.MonitoringEntries(ctx, enteID, r.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			out[string(e.Status)]++
		}
		break
	}
	return out, nil
}

// previousCycle is the cycle a cycle is compared with: the one it was derived from, else the triennium before.
func (c *Cycles) previousCycle(ctx context.Context, enteID string, cycle *domain.Cycle) (*domain.Cycle, error) {
	prev := cycle.DerivedFrom
	if prev == "" {
		prev = fmt.Sprintf("%d-%d", cycle.StartYear-1, cycle.EndYear-1)
	}
	return c.store.CycleByCode(ctx, enteID, prev)
}

// CompareCycles compares the register of cycleCode with that of an earlier cycle (with; empty: the previous
// cycle): levels per leaf, measures added, withdrawn and carried over, and each cycle's monitoring outcome.
func (c *Cycles) CompareCycles(ctx context.Context, actor domain.Actor, cycleCode, with string) (*export.Comparison, error) {
	if err := c.reg.canRead(actor); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	var from *domain.Cycle
	if with == "" {
		if from, err = c.previousCycle(ctx, actor.EnteID, cycle); err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				return nil, domain.NotFound("previous_cycle_not_found", "cycle %s has no previous cycle to compare with", cycleCode)
			}
			return nil, err
		}
	} else if from, err = c.store.CycleByCode(ctx, actor.EnteID, with); err != nil {
		return nil, err
	}
	if from.ID == cycle.ID {
		return nil, &domain.ValidationError{Code: "comparison_invalid", Problems: []domain.FieldError{{Field: "with", Code: "same_cycle",
			Message: "a cycle is compared with another cycle"}}}
	}
	return c.compare(ctx, actor, from, cycle, time.Time{}, true)
}

func (c *Cycles) compare(ctx context.Context, actor domain.Actor, from, to *domain.Cycle, until time.Time, withTo bool) (*export.Comparison, error) {
	a, err := c.ExportSource(ctx, actor, from.Code)
	if err != nil {
		return nil, err
	}
	b, err := c.ExportSource(ctx, actor, to.Code)
	if err != nil {
		return nil, err
	}
	cmp, err := export.Compare(a, b)
	if err != nil {
		return nil, err
	}
	if cmp.MonitoringFrom, err = c.statusCounts(ctx, actor.EnteID, from.ID, until); err != nil {
		return nil, err
	}
	if withTo {
		if cmp.MonitoringTo, err = c.statusCounts(ctx, actor.EnteID, to.ID, until); err != nil {
			return nil, err
		}
	}
	return cmp, nil
}

// RegisterDocument is a cycle's register annex, ready to be written in any format.
type RegisterDocument struct {
	Doc  *document.Document
	Meta export.Meta
}

// RegisterAnnex builds the register annex of a cycle: from the adopted snapshot once adopted (then with the
// deliberation, the snapshot hash and no watermark), otherwise from the live register marked BOZZA. When
// there is a previous cycle, the annex compares with it; an adopted annex counts only the monitoring rounds
// closed before the snapshot was taken, so it stays the same document afterwards.
func (c *Cycles) RegisterAnnex(ctx context.Context, actor domain.Actor, cycleCode string) (*RegisterDocument, error) {
	src, err := c.ExportSource(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	names, err := c.documentNames(ctx, actor, cycle)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	var until time.Time
	if src.Meta().Adopted {
		snap, err := c.store.CycleSnapshot(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return nil, err
		}
		until = snap.CreatedAt
	}
	var cmp *export.Comparison
	if prev, err := c.previousCycle(ctx, actor.EnteID, cycle); err == nil {
		if until.IsZero() || prev.State == domain.CycleAdopted || prev.State == domain.CyclePublished {
			if cmp, err = c.compare(ctx, actor, prev, cycle, until, !src.Meta().Adopted); err != nil {
				return nil, err
			}
		}
	} else if !errors.Is(err, domain.ErrNotFound) {
		return nil, err
	}
	doc, err := export.AnnexDocument(src, names, cmp, now)
	if err != nil {
		return nil, err
	}
	return &RegisterDocument{Doc: doc, Meta: src.Meta()}, nil
}

// KeptRendering returns the document of an adopted register as first rendered: the stored bytes when there
// are some, else render's output, stored for next time. A draft's document is rendered every time.
func (c *Cycles) KeptRendering(ctx context.Context, actor domain.Actor, meta export.Meta, name string, render func(*bytes.Buffer) error) ([]byte, error) {
	if err := c.reg.canRead(actor); err != nil {
		return nil, err
	}
	if !meta.Adopted || meta.SnapshotHash == "" {
		var b bytes.Buffer
		err := render(&b)
		return b.Bytes(), err
	}
	if kept, ok, err := c.store.RenderedDocument(ctx, actor.EnteID, meta.SnapshotHash, name); err != nil || ok {
		return kept, err
	}
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return nil, err
	}
	// A cache of a document already fixed by the adoption (whose audit record names the snapshot's hash):
	// keeping it is not a change of the register, so no audit record of its own.
	return c.store.KeepRenderedDocument(ctx, actor.EnteID, meta.SnapshotHash, name, b.Bytes())
}

// AnnualReportData is what relazione-annuale.xlsx is written from.
type AnnualReportData struct {
	Source export.Source
	Names  export.Names
	Rounds []export.MonitoringRound
}

// AnnualReport gathers the data of the RPCT's annual report workbook: the register (adopted snapshot or live
// draft), the names, and every monitoring round of the cycle with each measure's unit, type and status.
func (c *Cycles) AnnualReport(ctx context.Context, actor domain.Actor, cycleCode string) (*AnnualReportData, error) {
	src, err := c.ExportSource(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	names, err := c.documentNames(ctx, actor, cycle)
	if err != nil {
		return nil, err
	}
	out := &AnnualReportData{Source: src, Names: names}
	rounds, err := c.store.RoundsOf(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	if len(rounds) == 0 {
		return out, nil
	}
	measures, err := c.store.CycleMeasures(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		entries, err := c.store.MonitoringEntries(ctx, actor.EnteID, r.ID)
		if err != nil {
			return nil, err
		}
		byMeasure := map[string]store.MonitoringEntry{}
		for _, e := range entries {
			byMeasure[e.MeasureID] = e
		}
		mr := export.MonitoringRound{Date: r.ReferenceDate, Closed: r.ClosedAt != nil}
		for _, m := range measures {
			e, ok := byMeasure[m.ID]
			if !ok && !monitored(cycle, m) {
				continue
			}
			mr.Lines = append(mr.Lines, export.MonitoringLine{MeasureID: m.ID, Unit: m.Unit, Type: m.Type, Status: string(e.Status), Checked: ok && e.CheckedBy != ""})
		}
		out.Rounds = append(out.Rounds, mr)
	}
	return out, nil
}
