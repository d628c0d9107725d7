package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestSaveStatementsConstant pins the statements of a save of one assessment and of a register page: the same
// number for a register of 3 and of 40 leaves, at most 10 for a save that edits one field, adds a measure or
// removes a risk, whatever the size of the ente's catalogues and of the cycle's register.
func TestSaveStatementsConstant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		counter := dbtest.CountStatements(t, db)
		dir := func(x registerFixture) domain.Actor {
			return actorWith(x.tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		}
		measure := func(x registerFixture) map[string]int64 {
			out := map[string]int64{}
			code := "X1.1.1.2"
			a, err := x.reg.Assessment(ctx, dir(x), "2026-2028", code)
			if err != nil {
				t.Fatal(err)
			}
			save := func(name string, edit func(a *domain.Assessment)) {
				edit(a)
				counter.Reset()
				saved, err := x.reg.SaveAssessment(ctx, dir(x), "2026-2028", code, *a)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				out[name] = counter.Count()
				a = saved
			}
			save("one-field", func(a *domain.Assessment) { a.Risks[0].Context = "Nuovo contesto" })
			save("unchanged", func(a *domain.Assessment) {})
			save("add-measure", func(a *domain.Assessment) {
				a.Measures = append(a.Measures, domain.Measure{Key: "m9", Nature: "specific", Type: "T01", Title: "Rotazione"})
				a.Risks[1].Measures = append(a.Risks[1].Measures, "m9")
			})
			save("remove-risk", func(a *domain.Assessment) { a.Risks = a.Risks[:1] })
			for name, f := range map[string]store.RegisterFilter{
				"page":       {Page: 1, PageSize: 10},
				"page-total": {Page: 1, PageSize: 10, WithTotal: true},
				"page-level": {Page: 1, PageSize: 10, Level: "alto", Unit: "AD1"},
			} {
				counter.Reset()
				if _, err := x.reg.List(ctx, x.oiv, "2026-2028", f); err != nil {
					t.Fatal(err)
				}
				out[name] = counter.Count()
			}
			// A page read by cursor (keyset pagination): as many statements as a page by number; with the
			// total, one more (the count cannot ride on a page that starts after a key).
			for name, f := range map[string]store.RegisterFilter{"page-cursor": {PageSize: 2}, "page-cursor-total": {PageSize: 2, WithTotal: true}} {
				first, err := x.reg.List(ctx, x.oiv, "2026-2028", store.RegisterFilter{PageSize: 2})
				if err != nil || first.NextCursor == "" {
					t.Fatalf("first page: %v, no next_cursor", err)
				}
				counter.Reset()
				if _, err := x.reg.ListFrom(ctx, x.oiv, "2026-2028", f, first.NextCursor); err != nil {
					t.Fatal(err)
				}
				out[name] = counter.Count()
			}
			return out
		}
		small, _, _ := exportCountRegister(t, db, "ente-small", 3)
		large, _, _ := exportCountRegister(t, db, "ente-large", 40)
		s, l := measure(small), measure(large)
		for name, n := range s {
			if l[name] != n {
				t.Errorf("%s: %d statements for 3 leaves, %d for 40", name, n, l[name])
			}
		}
		// A save that adds a measure and links it to a risk writes one table more (the link) than one that
		// edits a field: 10 statements, since the methodology comes with the save's target (SaveTarget) instead
		// of a statement of its own.
		for name, most := range map[string]int64{"one-field": 9, "unchanged": 8, "remove-risk": 9, "add-measure": 10, "page": 4, "page-total": 4, "page-level": 8,
			"page-cursor": 4, "page-cursor-total": 5} {
			if s[name] > most {
				t.Errorf("%s: %d statements, more than %d", name, s[name], most)
			}
		}
		t.Logf("statements: %v", fmt.Sprint(s))
	})
}

// TestSaveAnswerIsWhatAReadShows checks that the assessment a save answers, built from what it wrote, is the
// one a read of the assessment shows afterwards, byte for byte in JSON: on creation, on an edit, when a
// measure is added and linked, when a risk names another leaf's measure, when a measure with history is
// retired and when a risk is removed.
func TestSaveAnswerIsWhatAReadShows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(db)
		tn := f.tenant(t, "ente-answer")
		f.mustImport(t, tn, "2026-2028", wideMap(4))
		if _, err := service.NewCatalogues(f.store, f.authz).EnsureStarter(ctx, tn.EnteID); err != nil {
			t.Fatal(err)
		}
		meths := service.NewMethodologies(f.store, f.authz)
		x := registerFixture{fixture: f, reg: service.NewRegister(f.store, f.authz, meths), meths: meths, tn: tn}
		dir := actorWith(tn, "dir1", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		b := sampleAssessment(0)
		b.Measures[0].Unit, b.Measures[0].StrategicObjective = "AD1", "OS1"
		if _, err := x.reg.SaveAssessment(ctx, dir, "2026-2028", "X1.1.1.3", b); err != nil {
			t.Fatal(err)
		}
		check := func(step, code string, a domain.Assessment) *domain.Assessment {
			t.Helper()
			saved, err := x.reg.SaveAssessment(ctx, dir, "2026-2028", code, a)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			read, err := x.reg.Assessment(ctx, dir, "2026-2028", code)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(saved)
			want, _ := json.Marshal(read)
			if string(got) != string(want) {
				t.Fatalf("%s: the save answered\n%s\nbut a read shows\n%s", step, got, want)
			}
			return saved
		}
		a := sampleAssessment(0)
		a.Measures[0].Unit = "AD1"
		a.Measures[0].StrategicObjective = "OS1"
		two := check("create", "X1.1.1.4", a)
		two.Risks[0].Context = "Contesto cambiato"
		two = check("edit", "X1.1.1.4", *two)
		two.Measures = append(two.Measures, domain.Measure{Key: "nuova", Nature: "specific", Type: "T02", Title: "Rotazione"})
		two.Risks[1].Measures = append(two.Risks[1].Measures, "nuova")
		two = check("add measure", "X1.1.1.4", *two)
		shared := two.Measures[0].ID
		three, err := x.reg.Assessment(ctx, dir, "2026-2028", "X1.1.1.3")
		if err != nil {
			t.Fatal(err)
		}
		three.Risks[1].Measures = append(three.Risks[1].Measures, shared)
		check("foreign measure", "X1.1.1.3", *three)
		two.Measures = two.Measures[1:]
		for i := range two.Risks {
			var keep []string
			for _, id := range two.Risks[i].Measures {
				if id != shared {
					keep = append(keep, id)
				}
			}
			two.Risks[i].Measures = keep
		}
		two.Withdrawn = []domain.Measure{{ID: shared, WithdrawnReason: "sostituita"}}
		two = check("retire measure", "X1.1.1.4", *two)
		if len(two.Withdrawn) != 1 || two.Withdrawn[0].ID != shared || len(two.Withdrawn[0].TreatedRisks) != 1 {
			t.Fatalf("retired: %+v", two.Withdrawn)
		}
		two.Risks = two.Risks[1:]
		check("remove risk", "X1.1.1.4", *two)
	})
}

// withTotal asks a register filter for the total, as the tests that count rows do.
func withTotal(f store.RegisterFilter) store.RegisterFilter {
	f.WithTotal = true
	return f
}
