package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestOIVNotesOnTheirTarget: the notes of one leaf or one measure are listed where they belong (the assessment,
// the review screen, the measure), oldest first; a bad kind is a 422 naming the field.
func TestOIVNotesOnTheirTarget(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		notes := service.NewOIVNotes(x.store, x.authz)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		m1 := saved.Measures[0].ID
		for _, n := range []store.OIVNote{
			{TargetKind: "node", Target: "A1.1.1.2", Body: "Motivazioni poco circostanziate"},
			{TargetKind: "node", Target: "A1.1.1.1", Body: "Altra azione"},
			{TargetKind: "measure", Target: m1, Body: "Indicatore non misurabile"},
			{TargetKind: "node", Target: "A1.1.1.2", Body: "Secondo rilievo"},
		} {
			if _, err := notes.Add(ctx, x.oiv, "2026-2028", n); err != nil {
				t.Fatal(err)
			}
		}
		leaf, err := notes.On(ctx, x.rpct, "2026-2028", "node", "A1.1.1.2")
		if err != nil || len(leaf) != 2 || leaf[0].Body != "Motivazioni poco circostanziate" || leaf[1].Body != "Secondo rilievo" {
			t.Fatalf("notes of the leaf: %+v %v", leaf, err)
		}
		measure, err := notes.On(ctx, x.oiv, "2026-2028", "measure", m1)
		if err != nil || len(measure) != 1 || measure[0].Body != "Indicatore non misurabile" {
			t.Fatalf("notes of the measure: %+v %v", measure, err)
		}
		if all, err := notes.On(ctx, x.rpct, "2026-2028", "", ""); err != nil || len(all) != 4 {
			t.Fatalf("all notes: %d %v", len(all), err)
		}
		var ve *domain.ValidationError
		if _, err := notes.On(ctx, x.rpct, "2026-2028", "leaf", "A1.1.1.2"); !errors.As(err, &ve) || ve.Problems[0].Field != "target_kind" {
			t.Fatalf("a bad kind: %v", err)
		}
		if _, err := notes.On(ctx, x.dir1, "2026-2028", "node", "A1.1.1.2"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director reads the OIV's notes: %v", err)
		}
	})
}
