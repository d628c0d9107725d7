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

// TestSaveRefusedAfterTheMethodologyChanged holds a save to the methodology it scored its risks with. A save
// reads the methodology before its transaction; should a Choose commit in between, the save would store the
// replaced methodology's levels after Choose rescored the register, and the filters, the heat map and the
// dashboard would disagree with the levels shown until the leaf's next save. Such a save is refused (409
// methodology_changed) and writes nothing, for an edit and for a new assessment; on PostgreSQL this also runs
// the share lock the check takes. A save that reads the current methodology goes through as before.
func TestSaveRefusedAfterTheMethodologyChanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		first, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		m, err := x.meths.ForCycle(ctx, x.rpct, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		scoredWith := m.Version
		if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2019",
			ImpactAggregation: string(domain.AggregationMean), Version: m.Version}); err != nil {
			t.Fatal(err)
		}
		cycle, err := x.store.CycleByCode(ctx, x.tn.EnteID, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		// What SaveAssessment writes when it read the methodology just before the Choose committed.
		lateSave := func(code string, a domain.Assessment) error {
			target, err := x.store.SaveTarget(ctx, x.tn.EnteID, cycle.ID, code, store.RefCodes{})
			if err != nil {
				t.Fatal(err)
			}
			return x.store.WithTx(ctx, func(tx *store.Store) error {
				_, err := tx.SaveAssessmentWith(ctx, x.tn.EnteID, cycle.ID, target.NodeID, &a, a.Version, "dir1",
					store.SaveOptions{Head: &target.Head, Methodology: &scoredWith})
				return err
			})
		}
		refused := func(what string, err error) {
			t.Helper()
			var de *domain.Error
			if !errors.As(err, &de) || !errors.Is(err, domain.ErrConflict) || de.Code != "methodology_changed" {
				t.Fatalf("%s scored with the replaced methodology: %v, want a methodology_changed conflict", what, err)
			}
		}
		edit := *first
		edit.Risks = append([]domain.RiskEntry{}, first.Risks...)
		edit.Risks[0].Context = "Scritto con la metodologia di prima"
		refused("an edit", lateSave("A1.1.1.1", edit))
		refused("a new assessment", lateSave("A1.1.1.2", sampleAssessment(0)))

		// Nothing was written.
		now, err := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.1")
		if err != nil || now.Version != first.Version || now.Risks[0].Context != first.Risks[0].Context {
			t.Fatalf("after the refused edit: version %d, context %q (%v)", now.Version, now.Risks[0].Context, err)
		}
		if none, err := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2"); err == nil && none.Version != 0 {
			t.Fatalf("the refused new assessment was written: version %d", none.Version)
		}

		// Read again, the same edit and a new assessment go through.
		now.Risks[0].Context = edit.Risks[0].Context
		if saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", *now); err != nil || saved.Version != first.Version+1 {
			t.Fatalf("the edit read again: %+v %v", saved, err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
	})
}
