package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func TestMonitoringRound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		a := sampleAssessment(0) // m1 (AD1, ends 2026-12-31) and m2 (no unit, no dates)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil {
			t.Fatal(err)
		}
		m1, m2 := saved.Measures[0].ID, saved.Measures[1].ID
		if _, err := mon.SetPlan(ctx, x.dir1, "2026-2028", store.MonitoringPlan{Frequency: "semestrale", SamplePercent: 50}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director sets the plan: %v", err)
		}
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale",
			ReferenceDates: []string{"2026-06-30", "2026-12-31"}, SamplingCriteria: "casuale", SamplePercent: 50}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		var ve *domain.ValidationError
		if _, err := mon.SelfAssess(ctx, x.dir1, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{Status: "in_ritardo"}); !errors.As(err, &ve) {
			t.Fatalf("a delay without a reason: %v", err)
		}
		if _, err := mon.SelfAssess(ctx, x.dir2, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{Status: "attuata"}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("another unit self-assesses: %v", err)
		}
		v, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{Status: "attuata",
			IndicatorValues: []store.IndicatorValue{{Name: "pratiche controllate / pratiche", Value: "12%"}}})
		if err != nil {
			t.Fatal(err)
		}
		// m2 has no unit: nobody of a unit can self-assess it, so it stays missing and is overdue? (no end date: no).
		if v.Units["AD1"].Measures != 1 || v.Units["AD1"].MissingSelfAssessed != 0 || v.Units[""].MissingSelfAssessed != 1 {
			t.Fatalf("overview %+v %+v", v.Units["AD1"], v.Units[""])
		}
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-12-31", m2, store.MonitoringEntry{CheckOutcome: "confermato"}); domain.CodeOf(err) != "self_assessment_missing" {
			t.Fatalf("check without self-assessment: %v", err)
		}
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{CheckOutcome: "confermato", Suitability: "idonea"}); err != nil {
			t.Fatal(err)
		}
		// The sample is reproducible: the recorded seed re-draws it.
		s1, err := mon.DrawSample(ctx, x.rpct, "2026-2028", "2026-12-31", 0)
		if err != nil || len(s1.Round.Sample) != 1 || s1.Round.SampleSeed == 0 {
			t.Fatalf("sample %+v %v", s1.Round, err)
		}
		s2, _ := mon.DrawSample(ctx, x.rpct, "2026-2028", "2026-12-31", uint64(s1.Round.SampleSeed))
		if strings.Join(s2.Round.Sample, ",") != strings.Join(s1.Round.Sample, ",") {
			t.Fatal("the recorded seed does not re-draw the same sample")
		}
		if _, err := mon.CloseRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.SelfAssess(ctx, x.dir1, "2026-2028", "2026-12-31", m1, store.MonitoringEntry{Status: "attuata"}); domain.CodeOf(err) != "round_closed" {
			t.Fatalf("a closed round changed: %v", err)
		}
		// The latest round feeds the suggested "grado di attuazione" (m2 never assessed: prudently alto).
		sug, err := mon.Suggestions(ctx, x.oiv, "2026-2028")
		if err != nil || len(sug) != 1 || sug[0].Leaf != "A1.1.1.2" || sug[0].Value != 3 {
			t.Fatalf("suggestions %+v %v", sug, err)
		}
	})
}
