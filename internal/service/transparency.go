package service

import (
	"context"
	"fmt"
	"io"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/store"
)

// Transparency runs the transparency section of the sottosezione: the grid of publication obligations the RPCT
// adapts per cycle from the shipped one (with the units producing and publishing each datum), the state of
// publication recorded at each monitoring round, the OIV attestation grid built from it, and the yearly
// civic-access counts.
type Transparency struct {
	store *store.Store
	authz *authz.Authorizer
}

// NewTransparency builds the transparency service.
func NewTransparency(s *store.Store, az *authz.Authorizer) *Transparency {
	return &Transparency{store: s, authz: az}
}

func (t *Transparency) read(actor domain.Actor) error {
	if !t.authz.Can(actor, authz.ObjMeasure, authz.ActRead) {
		return domain.Forbidden("forbidden", "your role does not allow reading the transparency section")
	}
	return nil
}

func (t *Transparency) editable(ctx context.Context, actor domain.Actor, cycleCode string) (*domain.Cycle, error) {
	if !t.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return nil, domain.Forbidden("forbidden", "only the RPCT edits the grid of publication obligations")
	}
	cycle, err := t.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s: its transparency grid can no longer change", cycle.Code, cycle.State)
	}
	return cycle, nil
}

func (t *Transparency) units(ctx context.Context, enteID, cycleID string) (map[string]bool, error) {
	units, _, _, err := t.store.Refs(ctx, enteID, cycleID)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, u := range units {
		out[u.Code] = true
	}
	return out, nil
}

// Obligations returns the cycle's grid.
func (t *Transparency) Obligations(ctx context.Context, actor domain.Actor, cycleCode string) ([]domain.TransparencyObligation, error) {
	if err := t.read(actor); err != nil {
		return nil, err
	}
	cycle, err := t.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	return t.store.Obligations(ctx, actor.EnteID, cycle.ID)
}

// Seed fills an empty grid with the shipped list (d.lgs. 33/2013, ANAC delibere 1310/2016 and 495/2024);
// a grid that already has rows is a grid_not_empty conflict.
func (t *Transparency) Seed(ctx context.Context, actor domain.Actor, cycleCode string) ([]domain.TransparencyObligation, error) {
	cycle, err := t.editable(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	rows, err := seed.TransparencyObligations()
	if err != nil {
		return nil, err
	}
	err = t.store.WithTx(ctx, func(tx *store.Store) error {
		have, err := tx.Obligations(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		if len(have) > 0 {
			return domain.Conflict("grid_not_empty", "the grid already has %d obligations", len(have))
		}
		if err := tx.InsertObligations(ctx, actor.EnteID, cycle.ID, rows, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "transparency_grid", cycle.Code, "seed", nil, map[string]int{"obligations": len(rows)})
	})
	if err != nil {
		return nil, err
	}
	return t.store.Obligations(ctx, actor.EnteID, cycle.ID)
}

// CreateObligation adds a row to the grid.
func (t *Transparency) CreateObligation(ctx context.Context, actor domain.Actor, cycleCode string, o domain.TransparencyObligation) (*domain.TransparencyObligation, error) {
	cycle, err := t.editable(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	units, err := t.units(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	if err := o.Validate(units); err != nil {
		return nil, err
	}
	o.DerivedFrom = ""
	err = t.store.WithTx(ctx, func(tx *store.Store) error {
		have, err := tx.Obligations(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		if len(have) >= domain.MaxObligations {
			return domain.Conflict("grid_full", "a grid holds at most %d obligations", domain.MaxObligations)
		}
		rows := []domain.TransparencyObligation{o}
		if err := tx.InsertObligations(ctx, actor.EnteID, cycle.ID, rows, actor.UserID); err != nil {
			return err
		}
		o = rows[0]
		return record(ctx, tx, actor, "transparency_obligation", cycle.Code+"/"+o.Code, "create", nil, o)
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func findObligation(obs []domain.TransparencyObligation, id string) (domain.TransparencyObligation, error) {
	for _, o := range obs {
		if o.ID == id {
			return o, nil
		}
	}
	return domain.TransparencyObligation{}, domain.NotFound("obligation_not_found", "no obligation %s in the cycle's grid", id)
}

// UpdateObligation replaces a row at the version read.
func (t *Transparency) UpdateObligation(ctx context.Context, actor domain.Actor, cycleCode, id string, o domain.TransparencyObligation) (*domain.TransparencyObligation, error) {
	cycle, err := t.editable(ctx, actor, cycleCode)
	if err != nil {
		return nil, err
	}
	units, err := t.units(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	if err := o.Validate(units); err != nil {
		return nil, err
	}
	o.ID = id
	var after domain.TransparencyObligation
	err = t.store.WithTx(ctx, func(tx *store.Store) error {
		obs, err := tx.Obligations(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		before, err := findObligation(obs, id)
		if err != nil {
			return err
		}
		o.DerivedFrom = before.DerivedFrom
		if _, err := tx.UpdateObligation(ctx, actor.EnteID, cycle.ID, &o, o.Version, actor.UserID); err != nil {
			return err
		}
		if obs, err = tx.Obligations(ctx, actor.EnteID, cycle.ID); err != nil {
			return err
		}
		if after, err = findObligation(obs, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "transparency_obligation", cycle.Code+"/"+after.Code, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// DeleteObligation removes a row no round has recorded, at the version read.
func (t *Transparency) DeleteObligation(ctx context.Context, actor domain.Actor, cycleCode, id string, version int64) error {
	cycle, err := t.editable(ctx, actor, cycleCode)
	if err != nil {
		return err
	}
	return t.store.WithTx(ctx, func(tx *store.Store) error {
		before, err := tx.DeleteObligation(ctx, actor.EnteID, cycle.ID, id, version)
		if err != nil {
			return err
		}
		return record(ctx, tx, actor, "transparency_obligation", cycle.Code+"/"+before.Code, "delete", before, nil)
	})
}

// PublicationRound is the grid with the state of publication recorded in a round.
type PublicationRound struct {
	Round store.Round          `json:"round"`
	Items []PublicationItem    `json:"items"`
	Score PublicationScoreCard `json:"summary"`
}

// PublicationItem is an obligation and its check in the round (nil when not recorded yet).
type PublicationItem struct {
	domain.TransparencyObligation
	Check *domain.PublicationCheck `json:"check"`
}

// PublicationScoreCard counts the round's obligations: recorded, published, and with complete content (3).
type PublicationScoreCard struct {
	Obligations int `json:"obligations"`
	Recorded    int `json:"recorded"`
	Published   int `json:"published"`
	Complete    int `json:"complete"`
}

// Round returns the state of publication of the grid in a monitoring round.
func (t *Transparency) Round(ctx context.Context, actor domain.Actor, cycleCode, date string) (*PublicationRound, error) {
	if err := t.read(actor); err != nil {
		return nil, err
	}
	cycle, err := t.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	round, err := t.store.RoundByDate(ctx, actor.EnteID, cycle.ID, date, false)
	if err != nil {
		return nil, err
	}
	obs, err := t.store.Obligations(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	checks, err := t.store.PublicationChecks(ctx, actor.EnteID, round.ID)
	if err != nil {
		return nil, err
	}
	by := map[string]*domain.PublicationCheck{}
	for i := range checks {
		by[checks[i].ObligationID] = &checks[i]
	}
	out := &PublicationRound{Round: round, Items: make([]PublicationItem, len(obs))}
	out.Score.Obligations = len(obs)
	for i, o := range obs {
		c := by[o.ID]
		out.Items[i] = PublicationItem{TransparencyObligation: o, Check: c}
		if c == nil {
			continue
		}
		out.Score.Recorded++
		if c.Published != nil && *c.Published == 2 {
			out.Score.Published++
		}
		if c.CompleteContent != nil && *c.CompleteContent == 3 {
			out.Score.Complete++
		}
	}
	return out, nil
}

// RecordCheck records an obligation's state of publication in an open round, at the version read. The RPCT
// monitors publication (art. 43 d.lgs. 33/2013) and the OIV attests it (art. 14 co. 4 lett. g d.lgs.
// 150/2009): either may record the grid.
func (t *Transparency) RecordCheck(ctx context.Context, actor domain.Actor, cycleCode, date, obligationID string, c domain.PublicationCheck) (*PublicationRound, error) {
	if !t.authz.Can(actor, authz.ObjCycle, authz.ActManage) && !t.authz.Can(actor, authz.ObjOIVNote, authz.ActWrite) {
		return nil, domain.Forbidden("forbidden", "only the RPCT or the OIV records the state of publication")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	cycle, err := t.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	obs, err := t.store.Obligations(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	o, err := findObligation(obs, obligationID)
	if err != nil {
		return nil, err
	}
	c.ObligationID = obligationID
	err = t.store.WithTx(ctx, func(tx *store.Store) error {
		round, err := tx.RoundByDate(ctx, actor.EnteID, cycle.ID, date, true)
		if err != nil {
			return err
		}
		if round.State != "open" {
			return domain.Conflict("round_closed", "the round of %s is closed: it can no longer change", date)
		}
		if _, err := tx.SavePublicationCheck(ctx, actor.EnteID, round.ID, c, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "publication_check", cycle.Code+"/"+date+"/"+o.Code, "record", nil, c)
	})
	if err != nil {
		return nil, err
	}
	return t.Round(ctx, actor, cycleCode, date)
}

// WriteOIVGrid writes the OIV attestation grid of a round as XLSX, in ANAC's column layout.
func (t *Transparency) WriteOIVGrid(ctx context.Context, actor domain.Actor, cycleCode, date string, w io.Writer) error {
	r, err := t.Round(ctx, actor, cycleCode, date)
	if err != nil {
		return err
	}
	rows := make([]export.OIVGridRow, len(r.Items))
	for i, it := range r.Items {
		row := export.OIVGridRow{Section: it.Section, Subsection: it.Subsection, Reference: it.LegalReference, Obligation: it.Obligation,
			Content: it.Content, Frequency: it.Frequency, ProducingUnit: it.ProducingUnit, PublishingUnit: it.PublishingUnit}
		if c := it.Check; c != nil {
			row.Recorded, row.Notes = true, c.Notes
			row.Published, row.CompleteContent, row.CompleteOffices, row.UpToDate, row.OpenFormat = c.Published, c.CompleteContent, c.CompleteOffices, c.UpToDate, c.OpenFormat
		}
		rows[i] = row
	}
	return export.WriteOIVGridXLSX(w, export.OIVGridHeader{Ente: actor.EnteCode, ReferenceDate: date, Cycle: cycleCode}, rows)
}

// CivicAccess returns the ente's yearly civic-access counts.
func (t *Transparency) CivicAccess(ctx context.Context, actor domain.Actor) ([]domain.CivicAccessCount, error) {
	if err := t.read(actor); err != nil {
		return nil, err
	}
	return t.store.CivicAccessCounts(ctx, actor.EnteID)
}

// SaveCivicAccess writes a year's count of one kind (the RPCT), at the version read (0: none yet).
func (t *Transparency) SaveCivicAccess(ctx context.Context, actor domain.Actor, c domain.CivicAccessCount) ([]domain.CivicAccessCount, error) {
	if !t.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return nil, domain.Forbidden("forbidden", "only the RPCT keeps the civic-access register")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err := t.store.WithTx(ctx, func(tx *store.Store) error {
		v, err := tx.SaveCivicAccessCount(ctx, actor.EnteID, c, actor.UserID)
		if err != nil {
			return err
		}
		c.Version = v
		return record(ctx, tx, actor, "civic_access", strconvYear(c.Year)+"/"+c.Kind, "save", nil, c)
	})
	if err != nil {
		return nil, err
	}
	return t.store.CivicAccessCounts(ctx, actor.EnteID)
}

func strconvYear(y int) string { return fmt.Sprintf("%d", y) }
