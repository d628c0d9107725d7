package service_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

const programmeCostNote = "Costo: 4.000 euro annui per la piattaforma di formazione; docenti interni."

// TestProgrammeCostNoteAndFactors: a programme measure's cost note and enabling factors go through create and
// update, are read back, bounded and checked against the ente's catalogue (422 naming the field), and the
// change is in the audit record.
func TestProgrammeCostNoteAndFactors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		prog := service.NewProgramme(x.store, x.authz)
		bad := sampleProgrammeMeasure()
		bad.CostNote = strings.Repeat("€", domain.MaxCostNote+1)
		bad.EnablingFactors = []string{"FA-g", "FA-zz"}
		var ve *domain.ValidationError
		if _, err := prog.Create(ctx, x.rpct, "2026-2028", bad); !errors.As(err, &ve) || !hasProblem(ve, "cost_note", "too_long") ||
			!hasProblem(ve, "enabling_factors[1]", "enabling_factor_unknown") || len(ve.Problems) != 2 {
			t.Fatalf("invalid: %v", err)
		}
		in := sampleProgrammeMeasure()
		in.CostNote, in.EnablingFactors = programmeCostNote, []string{"FA-g", "FA-f", "FA-g"}
		created, err := prog.Create(ctx, x.rpct, "2026-2028", in)
		if err != nil || created.CostNote != programmeCostNote || strings.Join(created.EnablingFactors, ",") != "FA-g,FA-f" {
			t.Fatalf("created %+v %v", created, err)
		}
		upd := *created
		upd.EnablingFactors, upd.CostNote = []string{"FA-f"}, "Nessun costo aggiuntivo."
		if _, err := prog.Update(ctx, x.rpct, "2026-2028", created.ID, upd); err != nil {
			t.Fatal(err)
		}
		list, err := prog.List(ctx, x.oiv, "2026-2028")
		if err != nil || len(list) != 1 || list[0].CostNote != "Nessun costo aggiuntivo." || strings.Join(list[0].EnablingFactors, ",") != "FA-f" {
			t.Fatalf("read back %+v %v", list, err)
		}
		page, err := service.NewAudit(x.store, x.authz).List(ctx, x.rpct, store.AuditFilter{Entity: "programme_measure", Action: "update"}, 1, 10)
		if err != nil || page.Total != 1 {
			t.Fatalf("audit: %+v %v", page, err)
		}
		raw, _ := json.Marshal(page.Items[0])
		if !strings.Contains(string(raw), "Nessun costo aggiuntivo.") || !strings.Contains(string(raw), "FA-g") {
			t.Fatalf("the audit record lacks the change: %s", raw)
		}
	})
}

// TestMeasureFactorsSaved: an assessment's measures name the enabling factors they address; an unknown code is
// a 422 naming measures[i].enabling_factors[j]; the save's audit diff names the field; the register exports
// them in their own column.
func TestMeasureFactorsSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		a := sampleAssessment(0)
		a.Measures[1].EnablingFactors = []string{"FA-a", "NOPE"}
		var ve *domain.ValidationError
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a); !errors.As(err, &ve) ||
			!hasProblem(ve, "measures[1].enabling_factors[1]", "enabling_factor_unknown") {
			t.Fatalf("unknown factor: %v", err)
		}
		a.Measures[0].EnablingFactors = []string{"FA-a", "FA-d"}
		a.Measures[1].EnablingFactors = []string{"FA-g"}
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil || strings.Join(saved.Measures[0].EnablingFactors, ",") != "FA-a,FA-d" {
			t.Fatalf("save: %+v %v", saved, err)
		}
		read, err := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if err != nil || strings.Join(read.Measures[0].EnablingFactors, ",") != "FA-a,FA-d" || strings.Join(read.Measures[1].EnablingFactors, ",") != "FA-g" {
			t.Fatalf("read back: %+v %v", read.Measures, err)
		}
		read.Measures[0].EnablingFactors = []string{"FA-d"}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *read); err != nil {
			t.Fatal(err)
		}
		page, err := service.NewAudit(x.store, x.authz).List(ctx, x.rpct, store.AuditFilter{Entity: "assessment", Action: "save"}, 1, 10)
		if err != nil || page.Total != 2 {
			t.Fatalf("audit: %+v %v", page, err)
		}
		raw, _ := json.Marshal(page.Items[0]) // newest first
		if !strings.Contains(string(raw), `enabling_factors\":{\"before\":[\"FA-a\",\"FA-d\"],\"after\":[\"FA-d\"]}`) {
			t.Fatalf("the save's diff does not name the factors: %s", raw)
		}
		src, rows, col := registerExport(t, x)
		var got []string
		for _, r := range rows[2:] {
			if i := col[export.ColMeasureFactors]; i < len(r) && r[i] != "" {
				got = append(got, r[i])
			}
		}
		if rows[1][col[export.ColMeasureFactors]] != "Fattori abilitanti affrontati dalla misura" || !slices.Contains(got, "FA-d") || !slices.Contains(got, "FA-g") {
			t.Fatalf("export: %q", got)
		}
		var b bytes.Buffer
		if err := export.WriteCSV(&b, src); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "fattori_misure") || !strings.Contains(b.String(), ",FA-d | FA-g\n") {
			t.Fatalf("open data: %s", b.String())
		}
		b.Reset()
		if err := export.WriteJSON(&b, src); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), `"fattori_misure":"FA-d | FA-g"`) {
			t.Fatalf("registro.json: %s", b.String())
		}
	})
}

// TestGeneralMeasureFactorsEdit: the RPCT edits which enabling factors a catalogue general measure addresses
// (audited, version-checked, codes checked); a director may not; a starter release does not overwrite it.
func TestGeneralMeasureFactorsEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		cat := service.NewCatalogues(x.store, x.authz)
		all, err := cat.GeneralMeasures(ctx, x.dir1)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(all, func(g domain.GeneralMeasure) bool { return g.Code == "MG09" })
		if i < 0 || all[i].Version != 1 {
			t.Fatalf("MG09: %+v", all)
		}
		if _, err := cat.SetGeneralMeasureFactors(ctx, x.dir1, "MG09", service.GeneralMeasureFactors{EnablingFactors: []string{"FA-f"}, Version: 1}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director edits the catalogue: %v", err)
		}
		var ve *domain.ValidationError
		if _, err := cat.SetGeneralMeasureFactors(ctx, x.rpct, "MG09", service.GeneralMeasureFactors{EnablingFactors: []string{"FA-f", "FA-?"}, Version: 1}); !errors.As(err, &ve) ||
			!hasProblem(ve, "enabling_factors[1]", "enabling_factor_unknown") {
			t.Fatalf("unknown factor: %v", err)
		}
		if _, err := cat.SetGeneralMeasureFactors(ctx, x.rpct, "MG99", service.GeneralMeasureFactors{Version: 1}); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("unknown measure: %v", err)
		}
		g, err := cat.SetGeneralMeasureFactors(ctx, x.rpct, "MG09", service.GeneralMeasureFactors{EnablingFactors: []string{}, Version: 1})
		if err != nil || len(g.EnablingFactors) != 0 || g.Version != 2 {
			t.Fatalf("cleared: %+v %v", g, err)
		}
		var ce *domain.ConflictError
		if _, err := cat.SetGeneralMeasureFactors(ctx, x.rpct, "MG09", service.GeneralMeasureFactors{EnablingFactors: []string{"FA-f"}, Version: 1}); !errors.As(err, &ce) || ce.CurrentVersion != 2 {
			t.Fatalf("stale: %v", err)
		}
		// The starter catalogue is applied again (a new release): the RPCT's empty choice stays.
		if _, err := cat.EnsureStarter(ctx, x.tn.EnteID); err != nil {
			t.Fatal(err)
		}
		all, _ = cat.GeneralMeasures(ctx, x.oiv)
		if i := slices.IndexFunc(all, func(g domain.GeneralMeasure) bool { return g.Code == "MG09" }); len(all[i].EnablingFactors) != 0 {
			t.Fatalf("the release overwrote the RPCT's links: %+v", all[i])
		}
		page, err := service.NewAudit(x.store, x.authz).List(ctx, x.rpct, store.AuditFilter{Entity: "general_measure", Action: "update_factors"}, 1, 10)
		if err != nil || page.Total != 1 {
			t.Fatalf("audit: %+v %v", page, err)
		}
	})
}

// TestMeasureFactorsAdoptedAndRolledForward: the programme measure's cost note and factors and the assessment
// measures' factors are in the adopted snapshot, the sottosezione document's treatment section ("Fattori
// abilitanti affrontati", with the factors' names) and the ANAC platform sections, and the roll-forward
// copies them into the next cycle.
func TestMeasureFactorsAdoptedAndRolledForward(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		prog := service.NewProgramme(x.store, x.authz)
		in := sampleProgrammeMeasure()
		in.CostNote, in.EnablingFactors = programmeCostNote, []string{"FA-g"}
		if _, err := prog.Create(ctx, x.rpct, "2026-2028", in); err != nil {
			t.Fatal(err)
		}
		cycles := consolidateWith(t, x, func(code string) domain.Assessment {
			a := sampleAssessment(0)
			if code == "A1.1.1.2" {
				a.Measures[0].EnablingFactors = []string{"FA-a", "FA-d"}
				a.Measures[0].CostNote = "Due ore al mese del funzionario"
			}
			return a
		})
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); err != nil {
			t.Fatal(err)
		}

		// The snapshot carries them.
		var snap bytes.Buffer
		if err := cycles.WriteSnapshot(ctx, x.oiv, "2026-2028", &snap); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(&snap)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		sc.Scan()
		var head service.SnapshotContent
		if err := json.Unmarshal(sc.Bytes(), &head); err != nil {
			t.Fatal(err)
		}
		if len(head.Programme) != 1 || head.Programme[0].CostNote != programmeCostNote || strings.Join(head.Programme[0].EnablingFactors, ",") != "FA-g" {
			t.Fatalf("snapshot programme: %+v", head.Programme)
		}
		found := false
		for sc.Scan() {
			var a domain.Assessment
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			found = found || (a.Node == "A1.1.1.2" && strings.Join(a.Measures[0].EnablingFactors, ",") == "FA-a,FA-d")
		}
		if !found {
			t.Fatal("the snapshot lacks the measure's factors")
		}
		// The catalogue is the ente's, not the cycle's: its links are edited after adoption too.
		if _, err := service.NewCatalogues(x.store, x.authz).SetGeneralMeasureFactors(ctx, x.rpct, "MG09",
			service.GeneralMeasureFactors{EnablingFactors: []string{"FA-b"}, Version: 1}); err != nil {
			t.Fatal(err)
		}

		// The document's treatment section names them.
		content, _, _ := doctest.ODTText(t, sottosezioneBytes(t, cycles, x.oiv, writeODT))
		doctest.InOrder(t, content, export.SottosezioneSections[5], "5.1 Misure generali", export.FactorsHeading, "MG09 – Formazione anticorruzione del personale",
			"Costo e sostenibilità: "+programmeCostNote, "FA-g – inadeguata diffusione della cultura della legalità",
			"5.2 Misure specifiche", export.FactorsHeading, "Controllo a campione delle istruttorie", "Costo e sostenibilità: Due ore al mese del funzionario",
			"FA-a – mancanza di misure di trattamento del rischio e/o di controlli", "FA-d – ", export.SottosezioneSections[6])

		// The ANAC platform's sections I and L list them.
		src, names, s, err := cycles.SottosezioneData(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		sections, err := export.PlatformSections(src, names, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, sec := range sections {
			switch sec.Letter {
			case "I":
				r := sec.Tables[0].Rows[0]
				if r[len(r)-2] != "FA-g" || r[len(r)-1] != programmeCostNote {
					t.Fatalf("section I: %q", r)
				}
			case "L":
				ok := false
				for _, r := range sec.Tables[0].Rows {
					ok = ok || (r[len(r)-2] == "FA-a; FA-d" && r[len(r)-1] == "Due ore al mese del funzionario")
				}
				if !ok {
					t.Fatalf("section L: %q", sec.Tables[0].Rows)
				}
			}
		}

		// Next cycle: the programme and the measures come with their notes and factors.
		if _, err := x.maps.Import(ctx, x.tn, "2027-2029", dbtest.SmallMap()); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029"); err != nil {
			t.Fatal(err)
		}
		next, err := prog.List(ctx, x.rpct, "2027-2029")
		if err != nil || len(next) != 1 || next[0].CostNote != programmeCostNote || strings.Join(next[0].EnablingFactors, ",") != "FA-g" || next[0].DerivedFrom == "" {
			t.Fatalf("rolled-forward programme: %+v %v", next, err)
		}
		a, err := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.2")
		if err != nil || strings.Join(a.Measures[0].EnablingFactors, ",") != "FA-a,FA-d" || a.Measures[0].DerivedFrom == "" {
			t.Fatalf("rolled-forward assessment: %+v %v", a, err)
		}
	})
}
