package service

import (
	"context"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// TransparencySnapshot is the transparency section as adopted: the grid of publication obligations and the
// civic-access counts known at adoption.
type TransparencySnapshot struct {
	Obligations []domain.TransparencyObligation `json:"obligations"`
	CivicAccess []domain.CivicAccessCount       `json:"civic_access"`
}

// programmeSnapshot adds the programme of general measures and the transparency section to a snapshot.
func programmeSnapshot(ctx context.Context, tx *store.Store, enteID, cycleID string, out *SnapshotContent) error {
	programme, err := tx.ProgrammeMeasures(ctx, enteID, cycleID)
	if err != nil {
		return err
	}
	for i := range programme {
		programme[i].UpdatedAt, programme[i].UpdatedBy = nil, "" // the content, not who typed it last
	}
	obligations, err := tx.Obligations(ctx, enteID, cycleID)
	if err != nil {
		return err
	}
	for i := range obligations {
		obligations[i].UpdatedAt = nil
	}
	civic, err := tx.CivicAccessCounts(ctx, enteID)
	if err != nil {
		return err
	}
	out.Programme = programme
	out.Transparency = &TransparencySnapshot{Obligations: obligations, CivicAccess: civic}
	return nil
}

// rollProgrammeForward carries the adopted programme and transparency grid into cycle `to`: each measure or
// obligation whose code `to` does not have yet is copied (derived_from the adopted one); those `to` already
// has are kept as the RPCT left them. It returns the adopted programme ids mapped to the new cycle's.
func rollProgrammeForward(ctx context.Context, tx *store.Store, actor domain.Actor, toID string, content *SnapshotContent) (map[string]string, error) {
	ids := map[string]string{}
	have, err := tx.ProgrammeMeasures(ctx, actor.EnteID, toID)
	if err != nil {
		return nil, err
	}
	byCode := map[string]string{}
	for _, p := range have {
		byCode[p.Code] = p.ID
	}
	for _, p := range content.Programme {
		if id, ok := byCode[p.Code]; ok {
			ids[p.ID] = id
			continue
		}
		old := p.ID
		p.ID, p.DerivedFrom, p.Version = "", old, 0
		id, err := tx.InsertProgrammeMeasure(ctx, actor.EnteID, toID, &p, actor.UserID)
		if err != nil {
			return nil, err
		}
		ids[old] = id
	}
	if content.Transparency != nil && len(content.Transparency.Obligations) > 0 {
		grid, err := tx.Obligations(ctx, actor.EnteID, toID)
		if err != nil {
			return nil, err
		}
		if len(grid) == 0 {
			rows := make([]domain.TransparencyObligation, len(content.Transparency.Obligations))
			for i, o := range content.Transparency.Obligations {
				o.DerivedFrom, o.ID, o.Version = o.ID, "", 0
				rows[i] = o
			}
			if err := tx.InsertObligations(ctx, actor.EnteID, toID, rows, actor.UserID); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// relinkProgramme links a carried-over assessment's general measures to the new cycle's programme.
func relinkProgramme(ctx context.Context, tx *store.Store, enteID, cycleID, nodeID string, measures []domain.Measure, ids map[string]string) error {
	sent := make([]domain.Measure, len(measures))
	for i, m := range measures {
		sent[i].ProgrammeMeasure = ids[m.ProgrammeMeasure] // '' when the adopted one had no link
	}
	return linkProgramme(ctx, tx, enteID, cycleID, nodeID, sent)
}
