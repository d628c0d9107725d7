package service_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// partialAssessment is a draft as an interrupted director leaves it: one risk with two indicators valued (one
// without its reason), no decision, no overall reason; a measure with a title and nature only; an own event still short.
func partialAssessment() domain.Assessment {
	return domain.Assessment{
		Risks: []domain.RiskEntry{
			{EventCode: "ER-D-01", Inherent: domain.Judgement{Values: []domain.IndicatorValue{
				{Code: "KRI-1", Value: 3, Reason: "molte domande"}, {Code: "KRI-2", Value: 2}}}},
			{EventDescription: "Il funz"},
		},
		Measures: []domain.Measure{{Key: "m1", Nature: "general", Title: "Controlli a campione"}, {Key: "m2", Nature: "specific", Type: "T01", Phases: []domain.Phase{{Title: "Avvio"}}}},
	}
}

// TestDraftSavesPartialContent: a draft with missing values, reasons and measure fields is saved as it is;
// its completeness lists every missing item by field path; the leaf has no level yet, and the register and
// heat map read it without counting its unjudged risks.
func TestDraftSavesPartialContent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", partialAssessment())
		if err != nil {
			t.Fatalf("partial draft refused: %v", err)
		}
		if saved.Level != "" || saved.Risks[0].InherentScore != nil || saved.Completeness == nil || saved.Completeness.Complete {
			t.Fatalf("an incomplete draft got a level or a score: %+v", saved)
		}
		got, err := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2")
		if err != nil {
			t.Fatal(err)
		}
		if got.Risks[0].Inherent.Values[0].Reason != "molte domande" || got.Risks[1].EventDescription != "Il funz" || got.Measures[0].Title != "Controlli a campione" {
			t.Fatalf("the draft was not kept as it was: %+v", got)
		}
		if got.Completeness == nil || got.Completeness.Complete {
			t.Fatalf("GET completeness: %+v", got.Completeness)
		}
		for _, want := range []string{
			"risks[0].inherent.indicators.KRI-2.reason", "risks[0].inherent.indicators.KRI-3.value", "risks[0].inherent.indicators.KRI-3.reason",
			"risks[0].inherent.indicators.IMP-4.value", "risks[0].inherent.reason", "risks[0].decision",
			"risks[1].event_description", "risks[1].inherent.indicators.KRI-1.value", "risks[1].decision",
			"measures[0].general_code", "measures[0].type", "measures[1].title", "measures[1].phases[0].deadline",
		} {
			if !slices.Contains(got.Completeness.Missing, want) {
				t.Errorf("completeness does not list %s: %v", want, got.Completeness.Missing)
			}
		}
		for _, notMissing := range []string{"risks[0].inherent.indicators.KRI-1.value", "risks[0].inherent.indicators.KRI-1.reason", "risks[0].inherent.indicators.KRI-2.value", "measures[0].title"} {
			if slices.Contains(got.Completeness.Missing, notMissing) {
				t.Errorf("completeness lists %s, which is there", notMissing)
			}
		}
		rows, err := x.reg.List(ctx, x.rpct, "2026-2028", store.RegisterFilter{WithTotal: true})
		if err != nil {
			t.Fatalf("register with an incomplete risk: %v", err)
		}
		if *rows.Total != 2 {
			t.Fatalf("the register lists %d risks of the draft, want 2", *rows.Total)
		}
		heat, err := x.reg.Heatmap(ctx, x.rpct, "2026-2028", store.RegisterFilter{})
		if err != nil {
			t.Fatalf("heat map with an incomplete risk: %v", err)
		}
		for _, c := range heat.Inherent {
			if c.Count > 0 {
				t.Fatalf("the heat map counts an unjudged risk: %+v", heat.Inherent)
			}
		}
	})
}

// TestDraftStillRefusesInvalidValues: what is present is still validated in a draft.
func TestDraftStillRefusesInvalidValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		for name, c := range map[string]struct {
			change func(a *domain.Assessment)
			field  string
			code   string
		}{
			"out of scale":      {func(a *domain.Assessment) { a.Risks[0].Inherent.Values[1].Value = 7 }, "risks[0].inherent.values[1].value", "value_out_of_scale"},
			"unknown indicator": {func(a *domain.Assessment) { a.Risks[0].Inherent.Values[1].Code = "KRI-99" }, "risks[0].inherent.values[1].code", "indicator_unknown"},
			"unknown event":     {func(a *domain.Assessment) { a.Risks[0].EventCode = "ER-NOPE" }, "risks[0].event_code", "event_unknown"},
			"unknown type":      {func(a *domain.Assessment) { a.Measures[1].Type = "T99" }, "measures[1].type", "measure_type_unknown"},
			"bad decision":      {func(a *domain.Assessment) { a.Risks[1].Decision = "ignore" }, "risks[1].decision", "decision_invalid"},
			"bad nature":        {func(a *domain.Assessment) { a.Measures[0].Nature = "other" }, "measures[0].nature", "nature_invalid"},
			"no nature":         {func(a *domain.Assessment) { a.Measures[0].Nature = "" }, "measures[0].nature", "nature_invalid"},
			"bad deadline":      {func(a *domain.Assessment) { a.Measures[1].Phases[0].Deadline = "domani" }, "measures[1].phases[0].deadline", "date_invalid"},
			"unknown override":  {func(a *domain.Assessment) { a.Risks[0].Inherent.Override = &domain.Override{Level: "enorme"} }, "risks[0].inherent.override.level", "level_unknown"},
		} {
			a := partialAssessment()
			c.change(&a)
			_, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%s: want a validation error, got %v", name, err)
			}
			found := false
			for _, p := range ve.Problems {
				found = found || (p.Field == c.field && p.Code == c.code)
			}
			if !found {
				t.Errorf("%s: want %s:%s in %+v", name, c.field, c.code, ve.Problems)
			}
		}
		if a, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2"); a.Version != 0 {
			t.Fatalf("a refused draft was written: version %d", a.Version)
		}
	})
}

// TestSubmitListsEveryMissingItem: submitting an incomplete draft answers 422 with one problem per missing
// item; once completed, the same assessment is submitted.
func TestSubmitListsEveryMissingItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", partialAssessment())
		if err != nil {
			t.Fatal(err)
		}
		_, err = wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, "")
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Code != "assessment_incomplete" {
			t.Fatalf("submit of an incomplete draft: %v", err)
		}
		var fields []string
		for _, p := range ve.Problems {
			fields = append(fields, p.Field)
		}
		if !slices.Equal(fields, saved.Completeness.Missing) || len(fields) < 13 {
			t.Fatalf("submit lists %v, completeness %v", fields, saved.Completeness.Missing)
		}
		if a, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2"); a.State != domain.StateDraft {
			t.Fatalf("a refused submission moved the assessment to %s", a.State)
		}
		// The bulk submission names the same refusal.
		res, err := wf.Bulk(ctx, x.dir1, "2026-2028", service.BulkTransition{Action: domain.TransitionSubmit, Nodes: []string{"A1.1.1.2"}})
		if err != nil || res.Results[0].OK || res.Results[0].Code != "assessment_incomplete" {
			t.Fatalf("bulk submit of an incomplete draft: %+v %v", res, err)
		}
		complete := sampleAssessment(saved.Version)
		done, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", complete)
		if err != nil {
			t.Fatal(err)
		}
		if !done.Completeness.Complete || len(done.Completeness.Missing) != 0 || done.Level != "alto" {
			t.Fatalf("a complete assessment: %+v level %q", done.Completeness, done.Level)
		}
		if r, err := wf.Transition(ctx, x.dir1, "2026-2028", "A1.1.1.2", domain.TransitionSubmit, ""); err != nil || r.State != domain.StateSubmitted {
			t.Fatalf("submit of a complete assessment: %+v %v", r, err)
		}
	})
}
