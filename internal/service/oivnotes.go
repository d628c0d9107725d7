package service

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// OIVNotes are the audit notes (rilievi) the OIV attaches to a cycle, a leaf or a measure; the RPCT reads them.
type OIVNotes struct {
	store *store.Store
	authz *authz.Authorizer
}

// NewOIVNotes builds the service.
func NewOIVNotes(s *store.Store, az *authz.Authorizer) *OIVNotes {
	return &OIVNotes{store: s, authz: az}
}

// List returns a cycle's notes.
func (o *OIVNotes) List(ctx context.Context, actor domain.Actor, cycleCode string) ([]store.OIVNote, error) {
	if !o.authz.Can(actor, authz.ObjOIVNote, authz.ActRead) {
		return nil, domain.Forbidden("forbidden", "only the OIV and the RPCT read the OIV's notes")
	}
	cycle, err := o.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	return o.notes(ctx, actor, cycle.ID, "", "")
}

// On returns the notes on one target of the cycle (a leaf, a measure, the cycle itself), oldest first: what
// the assessment, the review screen and the measure show beside their content, with the count as a badge.
func (o *OIVNotes) On(ctx context.Context, actor domain.Actor, cycleCode, kind, target string) ([]store.OIVNote, error) {
	if !o.authz.Can(actor, authz.ObjOIVNote, authz.ActRead) {
		return nil, domain.Forbidden("forbidden", "only the OIV and the RPCT read the OIV's notes")
	}
	switch kind {
	case "", "cycle", "node", "measure":
	default:
		return nil, &domain.ValidationError{Code: "filter_invalid", Problems: []domain.FieldError{{Field: "target_kind", Code: "target_kind_invalid",
			Message: "target_kind must be cycle, node or measure"}}}
	}
	if len(target) > 200 {
		return nil, &domain.ValidationError{Code: "filter_invalid", Problems: []domain.FieldError{{Field: "target", Code: "too_long", Message: "at most 200 characters"}}}
	}
	cycle, err := o.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	return o.notes(ctx, actor, cycle.ID, kind, target)
}

// notes lists the notes on a target with their authors' full names.
func (o *OIVNotes) notes(ctx context.Context, actor domain.Actor, cycleID, kind, target string) ([]store.OIVNote, error) {
	notes, err := o.store.OIVNotesOn(ctx, actor.EnteID, cycleID, kind, target)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(notes))
	for i, n := range notes {
		ids[i] = n.AuthorID
	}
	names, err := o.store.UserNames(ctx, actor.EnteID, ids)
	if err != nil {
		return nil, err
	}
	for i := range notes {
		notes[i].AuthorFullName = names[notes[i].AuthorID]
	}
	return notes, nil
}

// Add attaches a note; the target must exist in the cycle. Notes are on the audit trail like every write.
func (o *OIVNotes) Add(ctx context.Context, actor domain.Actor, cycleCode string, n store.OIVNote) (store.OIVNote, error) {
	if !o.authz.Can(actor, authz.ObjOIVNote, authz.ActWrite) {
		return store.OIVNote{}, domain.Forbidden("forbidden", "only the OIV writes audit notes")
	}
	cycle, err := o.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return store.OIVNote{}, err
	}
	n.Body, n.Target = strings.TrimSpace(n.Body), strings.TrimSpace(n.Target)
	var problems []domain.FieldError
	if n.Body == "" || len(n.Body) > 20000 {
		problems = append(problems, domain.FieldError{Field: "body", Code: "required", Message: "a note of 1 to 20000 characters"})
	}
	switch n.TargetKind {
	case "cycle":
		n.Target = cycle.Code
	case "node":
		if _, err := o.store.NodeByCode(ctx, actor.EnteID, cycle.ID, n.Target); err != nil {
			problems = append(problems, domain.FieldError{Field: "target", Code: "node_unknown", Message: "no node " + n.Target + " in the cycle"})
		}
	case "measure":
		ok := false
		if _, perr := uuid.Parse(n.Target); perr == nil {
			if ok, err = o.store.MeasureExists(ctx, actor.EnteID, cycle.ID, n.Target); err != nil {
				return store.OIVNote{}, err
			}
		}
		if !ok {
			problems = append(problems, domain.FieldError{Field: "target", Code: "measure_unknown", Message: "no measure " + n.Target + " in the cycle"})
		}
	default:
		problems = append(problems, domain.FieldError{Field: "target_kind", Code: "target_kind_invalid", Message: "target_kind must be cycle, node or measure"})
	}
	if len(problems) > 0 {
		return store.OIVNote{}, &domain.ValidationError{Code: "oiv_note_invalid", Problems: problems}
	}
	n.AuthorID, n.AuthorName = actor.UserID, actor.Username
	var out store.OIVNote
	err = o.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if out, err = tx.AddOIVNote(ctx, actor.EnteID, cycle.ID, n); err != nil {
			return err
		}
		if err := notifyOIVNote(ctx, tx, actor, cycle, out); err != nil {
			return err
		}
		return record(ctx, tx, actor, "oiv_note", out.ID, "create", nil, out)
	})
	return out, err
}
