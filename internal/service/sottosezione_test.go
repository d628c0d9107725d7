package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func partInput(t *testing.T, version int64, content any) service.PartInput {
	t.Helper()
	raw, err := json.Marshal(content)
	if err != nil {
		t.Fatal(err)
	}
	return service.PartInput{Version: version, Content: raw}
}

func fieldsOf(err error) []string {
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Field)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func sampleContext() domain.ContextAnalysis {
	return domain.ContextAnalysis{
		External: domain.ContextScope{Text: "Territorio a bassa densità imprenditoriale.", Items: []domain.ContextItem{
			{Category: "criminalita", Label: "Delitti denunciati per 100.000 abitanti", Value: ptr(2900.0), Year: 2023, Source: "ISTAT", SourceDate: "2024-11-30"},
			{Category: "criminalita", Label: "Delitti denunciati per 100.000 abitanti", Value: ptr(2750.0), Year: 2024, Source: "ISTAT", SourceDate: "2025-11-30"},
			{Category: "stakeholder", Label: "Associazioni di categoria", Text: "Confcommercio, Confartigianato"},
		}},
		Internal: domain.ContextScope{Items: []domain.ContextItem{
			{Category: "personale", Label: "Dipendenti in servizio", OrgUnit: "AD1", Value: ptr(12.0), Year: 2025, Unit: "persone"},
			{Category: "procedimenti_disciplinari", Label: "Procedimenti disciplinari avviati", Value: ptr(0.0), Year: 2025},
		}},
	}
}

func TestSottosezioneParts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		s := service.NewSottosezione(x.store, x.authz, x.maps)

		// Never written: empty at version 0; every register reader reads it, the administrator does not.
		v, err := s.Part(ctx, x.dir1, "2026-2028", domain.PartContext)
		if err != nil || v.Version != 0 {
			t.Fatalf("empty context: %+v %v", v, err)
		}
		if _, err := s.Part(ctx, x.admin, "2026-2028", domain.PartContext); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("admin reads: %v", err)
		}
		if _, err := s.Part(ctx, x.rpct, "2026-2028", "nope"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("unknown part: %v", err)
		}
		c := sampleContext()
		if _, err := s.SavePart(ctx, x.dir1, "2026-2028", domain.PartContext, partInput(t, 0, c)); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director writes the context: %v", err)
		}

		// Validation names the field path; unknown fields are refused, not dropped.
		bad := sampleContext()
		bad.Internal.Items[0].OrgUnit = "AD9"
		bad.External.Items[0].Year = 0
		_, err = s.SavePart(ctx, x.rpct, "2026-2028", domain.PartContext, partInput(t, 0, bad))
		if f := fieldsOf(err); !slices.Contains(f, "content.internal.items[0].org_unit") || !slices.Contains(f, "content.external.items[0].year") {
			t.Fatalf("invalid context: %v %v", err, f)
		}
		_, err = s.SavePart(ctx, x.rpct, "2026-2028", domain.PartContext, service.PartInput{Content: json.RawMessage(`{"external":{"txt":"x"}}`)})
		if domain.CodeOf(err) != "content_invalid" {
			t.Fatalf("unknown field: %v", err)
		}

		v, err = s.SavePart(ctx, x.rpct, "2026-2028", domain.PartContext, partInput(t, 0, c))
		if err != nil || v.Version != 1 {
			t.Fatalf("save context: %+v %v", v, err)
		}
		saved := v.Content.(*domain.ContextAnalysis)
		itemID := saved.Internal.Items[1].ID
		if itemID == "" || saved.External.Items[0].ID == saved.External.Items[1].ID {
			t.Fatalf("items get ids: %+v", saved)
		}
		computed := v.Computed.(map[string]any)
		trends := computed["trends"].([]domain.Trend)
		if len(trends) != 3 || trends[0].Change == nil || *trends[0].Change != -150 {
			t.Fatalf("year-over-year trends: %+v", trends)
		}
		cov := computed["coverage"].(*service.MapCoverage)
		if cov.Processes != 3 || cov.Leaves != 4 || cov.Marked != 2 || strings.Join(cov.ProcessesWithoutArea, ",") != "B2.2" {
			t.Fatalf("coverage: %+v", cov)
		}
		// A stale version is a conflict; the save was audited.
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartContext, partInput(t, 0, c)); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale save: %v", err)
		}
		recs, _, err := x.store.AuditPage(ctx, x.tn.EnteID, store.AuditFilter{Entity: "sottosezione_context"}, 1, 10)
		if err != nil || len(recs) != 1 || recs[0].EntityID != "2026-2028" {
			t.Fatalf("audit: %+v %v", recs, err)
		}

		// A judgement cites context items ("dati a supporto"); an unknown item is refused with its path.
		a := sampleAssessment(0)
		a.Risks[0].Inherent.SupportingData = []string{itemID}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", a); err != nil {
			t.Fatalf("cite a context item: %v", err)
		}
		got, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1")
		if err != nil || !slices.Equal(got.Risks[0].Inherent.SupportingData, []string{itemID}) {
			t.Fatalf("the citation is kept: %+v %v", got, err)
		}
		a = sampleAssessment(got.Version)
		a.Risks[0].Residual.SupportingData = []string{"00000000-0000-4000-8000-00000000dead"}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", a); !slices.Contains(fieldsOf(err), "risks[0].residual.supporting_data[0]") {
			t.Fatalf("cite an unknown item: %v", err)
		}

		// Objectives link the map's performance objectives.
		obj := domain.Objectives{Act: "Delibera di Giunta n. 3", Objectives: []domain.StrategicObjective{{Code: "OSA1", Kind: "anticorruzione",
			Title: "Rafforzare i controlli", PerformanceObjectives: []string{"OS9"}, Indicators: []domain.ObjectiveIndicator{{Name: "Controlli", Target: "100%", Year: 2026}}}}}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartObjectives, partInput(t, 0, obj)); !slices.Contains(fieldsOf(err), "content.objectives[0].performance_objectives[0]") {
			t.Fatalf("unknown performance objective: %v", err)
		}
		obj.Objectives[0].PerformanceObjectives = []string{"OS2"}
		obj.Objectives[0].Indicators[0].Results = []domain.ObjectiveResult{{Year: 2026, Value: "96%", Achieved: "parziale"}}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartObjectives, partInput(t, 0, obj)); err != nil {
			t.Fatal(err)
		}

		// The riesame's confirmation of the plan needs the simplified regime.
		r := domain.Riesame{Year: 2026, Worked: "Formazione svolta", Confirmation: &domain.Confirmation{NoCorruptionFacts: true,
			NoOrganisationalChanges: true, NoObjectiveChanges: true, NoMaladministration: true, Act: "Delibera n. 5"}}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartRiesame, partInput(t, 0, r)); !slices.Contains(fieldsOf(err), "content.confirmation") {
			t.Fatalf("confirmation without simplified regime: %v", err)
		}
		if _, err := s.SaveSettings(ctx, x.rpct, domain.SottosezioneSettings{Simplified: true, Headcount: ptr(60), HeadcountDate: "2025-12-31"}); !slices.Contains(fieldsOf(err), "headcount") {
			t.Fatalf("simplified with 60 employees: %v", err)
		}
		st, err := s.SaveSettings(ctx, x.rpct, domain.SottosezioneSettings{Simplified: true, Headcount: ptr(38), HeadcountDate: "2025-12-31"})
		if err != nil || st.Version != 1 || len(st.Waivers) != len(domain.SimplifiedWaivers) {
			t.Fatalf("settings: %+v %v", st, err)
		}
		if _, err := s.SaveSettings(ctx, x.rpct, domain.SottosezioneSettings{Headcount: ptr(38)}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale settings: %v", err)
		}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartRiesame, partInput(t, 0, r)); err != nil {
			t.Fatalf("confirmation under the simplified regime: %v", err)
		}

		// The self-check starts from the 12 questions and shows what Argine computes.
		v, err = s.Part(ctx, x.rpct, "2026-2028", domain.PartSelfCheck)
		if err != nil || len(v.Content.(*domain.SelfCheck).Questions) != 12 {
			t.Fatalf("self-check: %+v %v", v, err)
		}
		checks := v.Computed.(map[string]any)["checks"].(map[string]service.AutoCheck)
		if checks["map_complete"].Passed || !slices.Contains(checks["map_complete"].Details, "B2.2: nessuna area di rischio") ||
			checks["measures_programmed"].Passed || len(checks["measures_programmed"].Details) != 2 ||
			!strings.HasSuffix(checks["measures_programmed"].Details[1], "manca responsabile, date, fasi, indicatore") ||
			checks["monitoring_previous_year"].Passed || !checks["objectives_indicators"].Passed || checks["consultation_held"].Passed {
			t.Fatalf("computed checks: %+v", checks)
		}
		sc := *v.Content.(*domain.SelfCheck)
		sc.Questions[0].Answer, sc.Questions[0].Evidence = "si", []string{"/sottosezione/obiettivi"}
		sc.Questions[1].Evidence = []string{"javascript:alert(1)"}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartSelfCheck, partInput(t, 0, sc)); !slices.Contains(fieldsOf(err), "content.questions[1].evidence[0]") {
			t.Fatalf("bad evidence link: %v", err)
		}
		sc.Questions[1].Evidence = []string{}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartSelfCheck, partInput(t, 0, sc)); err != nil {
			t.Fatal(err)
		}

		// Consultation: the end cannot precede the start.
		k := domain.Consultation{Start: "2026-01-10", End: "2026-01-05", Channel: "online"}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartConsultation, partInput(t, 0, k)); !slices.Contains(fieldsOf(err), "content.end") {
			t.Fatalf("dates out of order: %v", err)
		}

		// Process descriptions: on processes and sub-processes only, versioned, audited.
		if _, err := s.SaveDescription(ctx, x.rpct, "2026-2028", "A1.1.1.1", domain.ProcessDescription{Input: "x"}); domain.CodeOf(err) != "node_not_describable" {
			t.Fatalf("describe an action: %v", err)
		}
		if _, err := s.SaveDescription(ctx, x.dir1, "2026-2028", "A1.1", domain.ProcessDescription{Input: "x"}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director describes: %v", err)
		}
		d, err := s.SaveDescription(ctx, x.rpct, "2026-2028", "A1.1", domain.ProcessDescription{Input: "Linee di indirizzo", Output: "Piano"})
		if err != nil || d.Version != 1 {
			t.Fatalf("describe: %+v %v", d, err)
		}
		if _, err := s.SaveDescription(ctx, x.rpct, "2026-2028", "A1.1", domain.ProcessDescription{Input: "y"}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale description: %v", err)
		}
		if d, err := s.Description(ctx, x.oiv, "2026-2028", "A1.1"); err != nil || d.Output != "Piano" {
			t.Fatalf("read description: %+v %v", d, err)
		}
	})
}

// TestSottosezioneSnapshotAndRollForward: the parts go into the adoption snapshot, are frozen there, and start
// the next cycle (context and objectives as they were, the self-check without answers, descriptions by code).
func TestSottosezioneSnapshotAndRollForward(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		s := service.NewSottosezione(x.store, x.authz, x.maps)
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)

		v, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartContext, partInput(t, 0, sampleContext()))
		if err != nil {
			t.Fatal(err)
		}
		item := v.Content.(*domain.ContextAnalysis).External.Items[0].ID
		sc := domain.DefaultSelfCheck()
		sc.Questions[3].Answer = "si"
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartSelfCheck, partInput(t, 0, sc)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartConsultation, partInput(t, 0, domain.Consultation{Start: "2026-01-02", End: "2026-01-15", Channel: "online"})); err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"A1.1", "A1.1.1"} {
			if _, err := s.SaveDescription(ctx, x.rpct, "2026-2028", code, domain.ProcessDescription{Input: "in " + code}); err != nil {
				t.Fatal(err)
			}
		}
		// A director of every unit, whichever leads a leaf.
		boss := actorWith(x.tn, "boss", domain.Grant{Role: domain.RoleDirector, UnitCode: "SG"},
			domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"}, domain.Grant{Role: domain.RoleDirector, UnitCode: "AD2"})
		for _, leaf := range []struct {
			who  domain.Actor
			code string
		}{{boss, "A1.1.1.1"}, {boss, "A1.1.1.2"}, {boss, "B2.1 BIS"}, {boss, "B2.2.1.1"}} {
			a := sampleAssessment(0)
			a.Risks[0].Inherent.SupportingData = []string{item}
			if _, err := x.reg.SaveAssessment(ctx, leaf.who, "2026-2028", leaf.code, a); err != nil {
				t.Fatal(err)
			}
			if _, err := wf.Transition(ctx, leaf.who, "2026-2028", leaf.code, domain.TransitionSubmit, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := wf.Transition(ctx, x.rpct, "2026-2028", leaf.code, domain.TransitionApprove, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "7", Date: "2026-01-30"}); err != nil {
			t.Fatal(err)
		}
		snap, err := cycles.Snapshot(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var content service.SnapshotContent
		if err := json.Unmarshal([]byte(snap.Content), &content); err != nil || content.Sottosezione == nil ||
			len(content.Sottosezione.Parts) != 3 || len(content.Sottosezione.Descriptions) != 2 ||
			!strings.Contains(string(content.Sottosezione.Parts[domain.PartContext]), item) {
			t.Fatalf("snapshot: %v %+v", err, content.Sottosezione)
		}
		// Frozen after adoption: the context and the descriptions; the self-check goes on.
		if _, err := s.SavePart(ctx, x.rpct, "2026-2028", domain.PartContext, partInput(t, 1, sampleContext())); domain.CodeOf(err) != "cycle_adopted" {
			t.Fatalf("context after adoption: %v", err)
		}
		if _, err := s.SaveDescription(ctx, x.rpct, "2026-2028", "A1.1", domain.ProcessDescription{Version: 1}); domain.CodeOf(err) != "cycle_adopted" {
			t.Fatalf("description after adoption: %v", err)
		}

		// Next cycle: A1.1.1 becomes an action-less leaf? No: it is dropped from the map with its actions.
		next := dbtest.SmallMap()
		next.Nodes = append(next.Nodes[:2:2], next.Nodes[5:]...) // A1, A1.1, then B2...
		if _, err := x.maps.Import(ctx, x.tn, "2027-2029", next); err != nil {
			t.Fatal(err)
		}
		fw, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029")
		if err != nil || strings.Join(fw.DescriptionsDropped, ",") != "A1.1.1" {
			t.Fatalf("roll forward: %+v %v", fw, err)
		}
		// A1.1 is now a leaf process: still a process, so its description follows.
		if d, err := s.Description(ctx, x.rpct, "2027-2029", "A1.1"); err != nil || d.Input != "in A1.1" || d.Version != 1 {
			t.Fatalf("carried description: %+v %v", d, err)
		}
		cv, err := s.Part(ctx, x.rpct, "2027-2029", domain.PartContext)
		if err != nil || cv.Version != 1 || cv.Content.(*domain.ContextAnalysis).External.Items[0].ID != item {
			t.Fatalf("carried context: %+v %v", cv, err)
		}
		scv, err := s.Part(ctx, x.rpct, "2027-2029", domain.PartSelfCheck)
		if err != nil || scv.Version != 1 || scv.Content.(*domain.SelfCheck).Questions[3].Answer != "" {
			t.Fatalf("carried self-check keeps questions, not answers: %+v %v", scv, err)
		}
		if k, err := s.Part(ctx, x.rpct, "2027-2029", domain.PartConsultation); err != nil || k.Version != 0 {
			t.Fatalf("the consultation is the year's own: %+v %v", k, err)
		}
		// The carried judgements still cite items that exist in the new cycle's context.
		got, err := x.reg.Assessment(ctx, x.rpct, "2027-2029", "B2.2.1.1")
		if err != nil || !slices.Equal(got.Risks[0].Inherent.SupportingData, []string{item}) {
			t.Fatalf("carried citation: %+v %v", got, err)
		}
		if _, err := x.reg.SaveAssessment(ctx, boss, "2027-2029", "B2.2.1.1", *got); err != nil {
			t.Fatalf("the carried citation validates: %v", err)
		}
	})
}
