package service_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// qualitative builds a PNA 2019 judgement: six likelihood values then four impact values (1 basso .. 3 alto).
func qualitative(values ...int) domain.Judgement {
	j := domain.Judgement{Reason: "Giudizio motivato sulla base dei dati disponibili"}
	for i, v := range values {
		code := fmt.Sprintf("KRI-%d", i+1)
		if i >= 6 {
			code = fmt.Sprintf("IMP-%d", i-5)
		}
		j.Values = append(j.Values, domain.IndicatorValue{Code: code, Value: v, Reason: "motivazione dell'indicatore " + code})
	}
	return j
}

func numeric(p [6]int, i [4]int) domain.Judgement {
	j := domain.Judgement{Reason: "Valutazione secondo l'Allegato 5 del PNA 2013"}
	for k, v := range p {
		j.Values = append(j.Values, domain.IndicatorValue{Code: fmt.Sprintf("P%d", k+1), Value: v, Reason: "risposta motivata"})
	}
	for k, v := range i {
		j.Values = append(j.Values, domain.IndicatorValue{Code: fmt.Sprintf("I%d", k+1), Value: v, Reason: "risposta motivata"})
	}
	return j
}

func sampleAssessment(version int64) domain.Assessment {
	residual := qualitative(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
	return domain.Assessment{Version: version,
		Risks: []domain.RiskEntry{
			{EventCode: "ER-D-01", Context: "Istruttoria delle domande di contributo", EnablingFactors: []string{"FA-a", "FA-d"},
				Inherent: qualitative(3, 3, 1, 2, 1, 2, 3, 2, 3, 2), Decision: domain.DecisionTreat, Priority: 1,
				Measures: []string{"m1", "m2"}, Residual: &residual},
			{EventDescription: "Il funzionario comunica in anticipo a un'impresa l'esito della graduatoria",
				Inherent: qualitative(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), Decision: domain.DecisionKeep, Measures: []string{"m2"}},
		},
		Measures: []domain.Measure{
			{Key: "m1", Nature: "specific", Type: "T01", Title: "Controllo a campione delle istruttorie", Unit: "AD1",
				Start: "2026-02-01", End: "2026-12-31", Phases: []domain.Phase{{Title: "Definizione criteri", Deadline: "2026-03-31"}},
				Indicators: []domain.MeasureIndicator{{Name: "pratiche controllate / pratiche", Baseline: "0%", Target: "10%"}}, StrategicObjective: "OS2"},
			{Key: "m2", Nature: "general", GeneralCode: "MG09", Type: "T06", Title: "Formazione anticorruzione del personale"},
		}}
}

type registerFixture struct {
	fixture
	reg                                *service.Register
	meths                              *service.Methodologies
	tn                                 service.Tenant
	dir1, dir2, ref1, oiv, rpct, admin domain.Actor
}

func newRegisterFixture(t *testing.T, db *database.DB) registerFixture {
	f := newFixture(db)
	tn := f.tenant(t, "ente-a")
	f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
	if _, err := service.NewCatalogues(f.store, f.authz).EnsureStarter(context.Background(), tn.EnteID); err != nil {
		t.Fatal(err)
	}
	meths := service.NewMethodologies(f.store, f.authz)
	return registerFixture{fixture: f, reg: service.NewRegister(f.store, f.authz, meths), meths: meths, tn: tn,
		dir1:  actorWith(tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"}),
		dir2:  actorWith(tn, "dir2", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD2"}),
		ref1:  actorWith(tn, "ref1", domain.Grant{Role: domain.RoleReferente, UnitCode: "AD1"}),
		oiv:   actorWith(tn, "oiv", domain.Grant{Role: domain.RoleOIV}),
		rpct:  actorWith(tn, "rpct", domain.Grant{Role: domain.RoleRPCT}),
		admin: actorWith(tn, "admin", domain.Grant{Role: domain.RoleAdmin})}
}

func TestAssessmentWriteAndRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		empty, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if err != nil || empty.Version != 0 || empty.State != domain.StateDraft || len(empty.Risks) != 0 {
			t.Fatalf("empty: %+v %v", empty, err)
		}
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 1 || saved.Level != "alto" || len(saved.Risks) != 2 || len(saved.Measures) != 2 {
			t.Fatalf("saved: %+v", saved)
		}
		r0 := saved.Risks[0]
		// Likelihood max(3,3,1,2,1,2)=alto, impact max(3,2,3,2)=alto → alto; residual all basso → basso.
		if r0.InherentScore == nil || r0.InherentScore.Level != "alto" || r0.ResidualScore.Level != "basso" ||
			!strings.HasPrefix(r0.EventDescription, strings.Split(r0.EventDescription, " ")[0]) || r0.EventDescription == "" {
			t.Fatalf("risk 0: %+v", r0)
		}
		if strings.Join(r0.Measures, ",") != saved.Measures[0].Key+","+saved.Measures[1].Key {
			t.Fatalf("risk 0 measures %v", r0.Measures)
		}
		if strings.Join(saved.Measures[1].Missing, ",") != "phases,dates,unit,indicator_target" || len(saved.Measures[0].Missing) != 0 {
			t.Fatalf("missing: %v / %v", saved.Measures[0].Missing, saved.Measures[1].Missing)
		}
		// Saving what was read keeps the ids of risks and measures.
		again, err := x.reg.SaveAssessment(ctx, x.ref1, "2026-2028", "A1.1.1.2", *saved)
		if err != nil || again.Version != 2 || again.Risks[0].ID != r0.ID || again.Measures[0].ID != saved.Measures[0].ID {
			t.Fatalf("resave: %+v %v", again, err)
		}
		// Stale version: refused with the current one, nothing written.
		var ce *domain.ConflictError
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(1)); !errors.As(err, &ce) || ce.CurrentVersion != 2 {
			t.Fatalf("stale: %v", err)
		}
		for name, c := range map[string]struct {
			actor domain.Actor
			code  string
			want  error
		}{
			"director of another unit": {x.dir2, "A1.1.1.2", domain.ErrForbidden},
			"oiv":                      {x.oiv, "A1.1.1.2", domain.ErrForbidden},
			"rpct":                     {x.rpct, "A1.1.1.2", domain.ErrForbidden},
			"admin":                    {x.admin, "A1.1.1.2", domain.ErrForbidden},
			"not a leaf":               {x.dir1, "A1.1.1", domain.ErrConflict},
			"unknown node":             {x.dir1, "Z9", domain.ErrNotFound},
		} {
			if _, err := x.reg.SaveAssessment(ctx, c.actor, "2026-2028", c.code, sampleAssessment(2)); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", name, err, c.want)
			}
		}
		if _, err := x.reg.Assessment(ctx, x.admin, "2026-2028", "A1.1.1.2"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the technical administrator reads register content: %v", err)
		}
		// A leaf owned by two units (SG;AD1) accepts either unit's director; a process that is a leaf too.
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.1 BIS", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		// Another ente sees none of it.
		other := actorWith(x.tenant(t, "ente-b"), "oiv", domain.Grant{Role: domain.RoleOIV})
		if _, err := x.reg.Assessment(ctx, other, "2026-2028", "A1.1.1.2"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("cross-ente read: %v", err)
		}
		// The map of a cycle with assessments can no longer be replaced by an import.
		changed := dbtest.SmallMap()
		changed.Nodes[0].Title = "Titolo cambiato"
		if _, err := x.maps.Import(ctx, x.tn, "2026-2028", changed); domain.CodeOf(err) != "processmap_has_register_data" {
			t.Fatalf("import over register data: %v", err)
		}
	})
}

func TestAssessmentValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		good, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		bad := sampleAssessment(1)
		bad.Risks[0].EventCode = "ER-NOPE"
		bad.Risks[0].EnablingFactors = []string{"FA-z"}
		bad.Risks[0].Inherent.Values[0].Value = 7
		bad.Risks[0].Inherent.Values[1].Reason = ""
		bad.Risks[0].Inherent.Values = bad.Risks[0].Inherent.Values[:9] // IMP-4 missing
		bad.Risks[0].Measures = []string{"m1", "m9"}
		bad.Risks[1].EventDescription = "corto"
		bad.Risks[1].Decision = "ignore"
		bad.Measures[0].End = "2026-01-15" // before its start
		bad.Measures[0].Phases[0].Deadline = "2027-05-01"
		bad.Measures[1].Type = "T99"
		bad.Measures[1].GeneralCode = "MG99"
		bad.Measures[0].Unit = "AD9"
		_, err = x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", bad)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("want a validation error, got %v", err)
		}
		var got []string
		for _, p := range ve.Problems {
			got = append(got, p.Field+":"+p.Code)
		}
		sort.Strings(got)
		want := []string{
			"measures[0].end:end_before_start", "measures[0].phases[0].deadline:phase_outside_measure", "measures[0].unit:unit_unknown",
			"measures[1].general_code:general_measure_unknown", "measures[1].type:measure_type_unknown",
			"risks[0].enabling_factors[0]:enabling_factor_unknown", "risks[0].event_code:event_unknown",
			"risks[0].inherent.values[0].value:value_out_of_scale", "risks[0].measures[1]:measure_unknown",
			"risks[1].decision:decision_invalid",
		}
		for _, w := range want {
			if !contains(got, w) {
				t.Errorf("missing problem %s in %v", w, got)
			}
		}
		// What is only missing (an indicator, a reason, a long enough own event) is no problem for a draft.
		for _, g := range got {
			if strings.Contains(g, "indicator_missing") || strings.Contains(g, "reason_required") || strings.Contains(g, "event_description") {
				t.Errorf("a missing item refused the save of a draft: %s", g)
			}
		}
		after, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if after.Version != good.Version || len(after.Risks) != 2 || after.Risks[0].EventCode != "ER-D-01" {
			t.Fatalf("a refused write changed the assessment: %+v", after)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestConcurrentWriters: two writers read version 1 and save at once; exactly one wins, the other gets a
// conflict naming the new version, and the winner's content is what is stored.
func TestConcurrentWriters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []domain.Actor{x.dir1, x.ref1} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := sampleAssessment(1)
				a.Risks[1].Context = "scritto da " + who.UserID
				_, errs[i] = x.reg.SaveAssessment(ctx, who, "2026-2028", "A1.1.1.2", a)
			}()
		}
		wg.Wait()
		wins, conflicts := 0, 0
		for _, err := range errs {
			var ce *domain.ConflictError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &ce) && ce.CurrentVersion == 2:
				conflicts++
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if wins != 1 || conflicts != 1 {
			t.Fatalf("wins %d conflicts %d", wins, conflicts)
		}
		final, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if final.Version != 2 || !strings.HasPrefix(final.Risks[1].Context, "scritto da ") {
			t.Fatalf("final %+v", final)
		}
	})
}

func TestRegisterAndHeatmap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		for _, c := range []struct {
			who  domain.Actor
			code string
		}{{x.dir1, "A1.1.1.1"}, {x.dir1, "A1.1.1.2"}, {x.dir2, "B2.2.1.1"}} {
			if _, err := x.reg.SaveAssessment(ctx, c.who, "2026-2028", c.code, sampleAssessment(0)); err != nil {
				t.Fatal(err)
			}
		}
		counter := dbtest.CountStatements(t, db)
		page, err := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{WithTotal: true})
		if err != nil || *page.Total != 6 || len(page.Items) != 6 {
			t.Fatalf("register: %+v %v", page, err)
		}
		oneStatements := counter.Count()
		first := page.Items[0]
		if first.Node != "A1.1.1.1" || strings.Join(first.Units, ",") != "SG,AD1" || first.InherentLevel != "alto" ||
			first.ResidualLevel != "basso" || first.Measures != 2 || strings.Join(first.MeasureTypes, ",") != "T01,T06" ||
			strings.Join(first.MeasuresMissing, ",") != "phases,dates,unit,indicator_target" {
			t.Fatalf("first row %+v", first)
		}
		for name, c := range map[string]struct {
			f    store.RegisterFilter
			want int64
		}{
			"unit AD2":         {store.RegisterFilter{Unit: "AD2"}, 2},
			"unit SG":          {store.RegisterFilter{Unit: "SG"}, 2},
			"level alto":       {store.RegisterFilter{Level: "alto"}, 3},
			"measure type T01": {store.RegisterFilter{MeasureType: "T01"}, 3},
			"risk area A":      {store.RegisterFilter{RiskArea: "A"}, 2},
			"text":             {store.RegisterFilter{Text: "graduatoria"}, 3},
			"state draft":      {store.RegisterFilter{State: "draft"}, 6},
			"measure status":   {store.RegisterFilter{MeasureStatus: "new"}, 6},
			"no such status":   {store.RegisterFilter{MeasureStatus: "dropped"}, 0},
			"page 2 of 4":      {store.RegisterFilter{PageSize: 4, Page: 2}, 6},
		} {
			p, err := x.reg.List(ctx, x.dir2, "2026-2028", withTotal(c.f))
			if err != nil || *p.Total != c.want {
				t.Errorf("%s: total %v, want %d (%v)", name, p, c.want, err)
			}
		}
		// The statement count does not depend on the number of rows.
		for _, code := range []string{"B2.1 BIS"} {
			x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", code, sampleAssessment(0))
		}
		counter.Reset()
		if p, _ := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{WithTotal: true}); *p.Total != 8 {
			t.Fatalf("total %d", *p.Total)
		}
		if counter.Count() != oneStatements {
			t.Fatalf("register read: %d statements with 6 rows, %d with 8", oneStatements, counter.Count())
		}
		h, err := x.reg.Heatmap(ctx, x.rpct, "2026-2028", store.RegisterFilter{})
		if err != nil {
			t.Fatal(err)
		}
		cells := map[string]int{}
		for _, c := range h.Inherent {
			cells[fmt.Sprintf("%d,%d", c.Likelihood, c.Impact)] = c.Count
		}
		if cells["3,3"] != 4 || cells["1,1"] != 4 || len(h.Residual) != 1 || h.Residual[0].Count != 4 || len(h.Likelihood) != 3 {
			t.Fatalf("heat map %+v", h)
		}
		// Each heat-map cell counts the rows carrying it, and the cell filter selects exactly them.
		all, _ := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{WithTotal: true})
		for _, side := range []struct {
			name  string
			cells []store.HeatCell
			of    func(store.RegisterRow) *store.Cell
			f     func(store.Cell) store.RegisterFilter
		}{
			{"inherent", h.Inherent, func(r store.RegisterRow) *store.Cell { return r.InherentCell },
				func(c store.Cell) store.RegisterFilter { return store.RegisterFilter{InherentCell: &c} }},
			{"residual", h.Residual, func(r store.RegisterRow) *store.Cell { return r.ResidualCell },
				func(c store.Cell) store.RegisterFilter { return store.RegisterFilter{ResidualCell: &c} }},
		} {
			counted := 0
			for _, hc := range side.cells {
				cell := store.Cell{hc.Likelihood, hc.Impact}
				carried := 0
				for _, r := range all.Items {
					if c := side.of(r); c != nil && *c == cell {
						carried++
					}
				}
				p, err := x.reg.List(ctx, x.oiv, "2026-2028", withTotal(side.f(cell)))
				if err != nil || carried != hc.Count || *p.Total != int64(hc.Count) {
					t.Fatalf("%s cell %v: heat map %d, rows carrying it %d, filtered %v (%v)", side.name, cell, hc.Count, carried, p, err)
				}
				counted += hc.Count
			}
			withCell := 0
			for _, r := range all.Items {
				if side.of(r) != nil {
					withCell++
				}
			}
			if withCell != counted {
				t.Fatalf("%s: %d rows carry a cell, the heat map counts %d", side.name, withCell, counted)
			}
		}
		if first := all.Items[0]; first.InherentCell == nil || *first.InherentCell != (store.Cell{3, 3}) || first.ResidualCell == nil {
			t.Fatalf("first row cells %v %v", first.InherentCell, first.ResidualCell)
		}
		if _, err := x.reg.List(ctx, x.admin, "2026-2028", store.RegisterFilter{WithTotal: true}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("admin reads the register: %v", err)
		}
	})
}

func TestNumericMethodologyAndLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2013-max"}); err != nil {
			t.Fatal(err)
		}
		a := domain.Assessment{Risks: []domain.RiskEntry{{EventCode: "ER-D-01", Decision: domain.DecisionAnalyse,
			Inherent: numeric([6]int{5, 5, 1, 5, 1, 3}, [4]int{1, 1, 0, 3})}}}
		// P = (5+5+1+5+1+3)/6 = 3.33, I = max(1,1,0,3) = 3, P×I = 10 → medio (bands 0-6-12-25).
		saved, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", a)
		if err != nil {
			t.Fatal(err)
		}
		s := saved.Risks[0].InherentScore
		if s.Level != "medio" || s.Impact != 3 || s.Product < 9.99 || s.Product > 10.01 || s.Cell != [2]int{3, 3} {
			t.Fatalf("numeric score %+v", s)
		}
		h, _ := x.reg.Heatmap(ctx, x.oiv, "2026-2028", store.RegisterFilter{})
		if h.Methodology != "pna2013-max" || len(h.Likelihood) != 6 || h.Inherent[0].Count != 1 {
			t.Fatalf("heat map %+v", h)
		}
		// Once an assessment is submitted the methodology is fixed.
		if err := db.Gorm.Exec("UPDATE assessments SET state = 'submitted'").Error; err != nil {
			t.Fatal(err)
		}
		if _, err := x.meths.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2019", Version: 1}); domain.CodeOf(err) != "methodology_locked" {
			t.Fatalf("methodology change after submission: %v", err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", *saved); domain.CodeOf(err) != "assessment_not_editable" {
			t.Fatalf("edit of a submitted assessment: %v", err)
		}
	})
}

// TestMeasureServesSeveralActions: a risk of one leaf is treated by a measure another leaf plans; the link
// survives edits of either assessment and shows in the register.
func TestMeasureServesSeveralActions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		owner, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		shared := owner.Measures[0].ID
		a := sampleAssessment(0)
		a.Risks = a.Risks[1:]
		a.Risks[0].Measures = []string{"m2", shared}
		user, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", a)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(user.Risks[0].Measures, ","); !strings.Contains(got, shared) {
			t.Fatalf("the shared measure is not linked: %s", got)
		}
		// Editing the owner keeps the other leaf's link (the measure keeps its id).
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *owner); err != nil {
			t.Fatal(err)
		}
		again, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.1")
		if !strings.Contains(strings.Join(again.Risks[0].Measures, ","), shared) {
			t.Fatalf("the link was lost when the owner was edited: %v", again.Risks[0].Measures)
		}
		page, _ := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{WithTotal: true, Text: "A1.1.1.1"})
		if *page.Total != 1 || page.Items[0].Measures != 2 || strings.Join(page.Items[0].MeasureTypes, ",") != "T01,T06" {
			t.Fatalf("register row %+v", page.Items)
		}
		bad := sampleAssessment(0)
		bad.Risks[0].Measures = []string{"m1", "00000000-0000-0000-0000-000000000000"}
		var ve *domain.ValidationError
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", bad); !errors.As(err, &ve) || ve.Problems[0].Code != "measure_unknown" {
			t.Fatalf("unknown measure id: %v", err)
		}
	})
}

// TestProcessLevelIsTheWorstOfItsLeaves: levels roll up from the assessed leaves in the tree and the node
// view; the technical administrator, who may not read the register, sees none.
func TestProcessLevelIsTheWorstOfItsLeaves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		low := sampleAssessment(0)
		low.Risks = low.Risks[1:] // basso only
		low.Risks[0].Measures = []string{"m2"}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", low); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil { // alto
			t.Fatal(err)
		}
		d, err := x.maps.Node(ctx, x.oiv, "2026-2028", "A1.1.1")
		if err != nil || d.Node.RiskLevel != "alto" || d.Children[0].RiskLevel != "basso" || d.Children[1].RiskLevel != "alto" {
			t.Fatalf("node levels: %+v %v", d, err)
		}
		top, _ := x.maps.Node(ctx, x.oiv, "2026-2028", "A1")
		if top.Node.RiskLevel != "alto" || top.Children[0].RiskLevel != "alto" {
			t.Fatalf("macro level: %+v", top)
		}
		if b, _ := x.maps.Node(ctx, x.oiv, "2026-2028", "B2"); b.Node.RiskLevel != "" {
			t.Fatalf("an unassessed branch has a level: %q", b.Node.RiskLevel)
		}
		tree, _ := x.maps.Tree(ctx, x.oiv, "2026-2028")
		if tree.Nodes[0].RiskLevel != "alto" || tree.Nodes[0].Children[0].Children[0].Children[0].RiskLevel != "basso" || tree.Nodes[1].RiskLevel != "" {
			t.Fatalf("tree levels: %+v", tree.Nodes[0])
		}
		if d, _ := x.maps.Node(ctx, x.admin, "2026-2028", "A1.1.1"); d.Node.RiskLevel != "" {
			t.Fatalf("the administrator sees register levels")
		}
	})
}
