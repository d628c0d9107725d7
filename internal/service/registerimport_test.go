package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/registerimport"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// layoutCols indexes the register layout's columns by key.
func layoutCols(p domain.Profile) map[string]int {
	out := map[string]int{}
	for i, c := range export.RegisterLayout(p) {
		out[c.Key] = i
	}
	return out
}

// otherAssessment exercises what sampleAssessment does not: an override, a manual-free judgement without
// residual, a measure no risk refers to, a phase without deadline, an indicator without baseline.
func otherAssessment() domain.Assessment {
	j := qualitative(2, 1, 1, 1, 1, 1, 2, 1, 1, 1)
	j.Override = &domain.Override{Level: "alto", Reason: "Deroga motivata dai precedenti giudiziari del settore"}
	return domain.Assessment{
		Risks: []domain.RiskEntry{{EventDescription: "Affidamento diretto ripetuto allo stesso operatore economico", Context: "Manutenzioni; urgenze",
			Inherent: j, Decision: domain.DecisionAnalyse, Priority: 2, Measures: []string{"x"}}},
		Measures: []domain.Measure{
			{Key: "x", Nature: "specific", Type: "T01", Title: "Rotazione degli affidatari", Owner: "Anna Bianchi", Unit: "AD2",
				Start: "2026-01-15", End: "2027-06-30", Phases: []domain.Phase{{Title: "Albo fornitori"}, {Title: "Verifica: rotazione", Start: "2026-06-01", Deadline: "2026-09-30"}},
				Indicators: []domain.MeasureIndicator{{Name: "affidamenti ruotati", Target: "100%"}}, Status: domain.MeasureModified},
			{Key: "y", Nature: "general", GeneralCode: "MG09", Type: "T06", Title: "Formazione specifica sugli affidamenti", Status: domain.MeasureConfirmed},
		}}
}

func importFixture(t *testing.T, db *database.DB) (registerFixture, *service.Cycles) {
	t.Helper()
	x, ctx := newRegisterFixture(t, db), context.Background()
	if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", otherAssessment()); err != nil {
		t.Fatal(err)
	}
	x.mustImport(t, x.tn, "2027-2029", dbtest.SmallMap())
	return x, service.NewCycles(x.store, x.authz, x.reg, x.maps)
}

func canonicalOf(t *testing.T, x registerFixture, cycle, code string) string {
	t.Helper()
	ctx := context.Background()
	a, err := x.reg.Assessment(ctx, x.oiv, cycle, code)
	if err != nil {
		t.Fatal(err)
	}
	// Links to other leaves' measures compare as the spreadsheet names them: ids differ across cycles.
	c, err := x.store.CycleByCode(ctx, x.tn.EnteID, cycle)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := x.store.MeasureRefs(ctx, x.tn.EnteID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return registerimport.Canonical(registerimport.WithLinkRefs(a, refs))
}

// xlsxWithCell rewrites, in every sheet of a workbook, the cells whose text is from.
func xlsxWithCell(t *testing.T, data []byte, from, to string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range f.GetSheetList() {
		cells, err := f.SearchSheet(sh, "^"+regexp.QuoteMeta(from)+"$", true)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cells {
			if err := f.SetCellStr(sh, c, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// xlsxWithoutLeaf removes a leaf's rows from the consolidated sheet of a register workbook.
func xlsxWithoutLeaf(t *testing.T, data []byte, code string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(export.RegisterSheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(rows) - 1; i >= 0; i-- {
		if slices.Contains(rows[i], code) {
			if err := f.RemoveRow(export.RegisterSheet, i+1); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func auditCount(t *testing.T, x registerFixture) int64 {
	t.Helper()
	seq, _, err := x.store.AuditHead(context.Background(), x.tn.EnteID)
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// A register exported to registro.xlsx (or to the CSV for Excel, or as ODS) and imported again gives the same
// assessments; importing it again changes nothing and records nothing.
func TestRegisterImportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles := importFixture(t, db)
		ctx := context.Background()
		// A measure shared across leaves: B2.2.1.1's M2 also treats A1.1.1.2's first risk. A1.1.1.2 comes
		// first in the file, so the import must save B2.2.1.1 before it links.
		a0, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		b0, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "B2.2.1.1")
		a0.Risks[0].Measures = append(a0.Risks[0].Measures, b0.Measures[1].ID)
		// The enabling factors a measure addresses go out in their column and come back (Canonical compares them).
		a0.Measures[0].EnablingFactors = []string{"FA-a", "FA-g"}
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *a0); err != nil {
			t.Fatal(err)
		}
		src, err := cycles.ExportSource(ctx, x.rpct, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		xlsxData := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) })
		csvData := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteExcelCSV(b, s) })
		leaves := []string{"A1.1.1.2", "B2.2.1.1"}

		// The dry run previews two creations and writes nothing.
		before := auditCount(t, x)
		rep, err := x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "registro.xlsx", xlsxData, service.ImportOptions{DryRun: true})
		if err != nil || len(rep.Problems) != 0 || rep.Created != 2 || rep.Committed || rep.Sheet != export.RegisterSheet {
			t.Fatalf("dry run: %+v %v", rep, err)
		}
		linkRow := 0
		if l := rep.Leaves[0].Links; len(l) != 1 || l[0].Text != "collegamento alla misura M2 «Formazione specifica sugli affidamenti» di B2.2.1.1" {
			t.Fatalf("preview of the link: %+v", l)
		}
		linkRow = rep.Leaves[0].Links[0].Line
		if auditCount(t, x) != before {
			t.Fatal("a dry run wrote to the trail")
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.2"); a.Version != 0 {
			t.Fatal("a dry run wrote an assessment")
		}
		rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "registro.xlsx", xlsxData, service.ImportOptions{})
		if err != nil || rep.Created != 2 || !rep.Committed {
			t.Fatalf("commit: %+v %v", rep, err)
		}
		for _, code := range leaves {
			if got, want := canonicalOf(t, x, "2027-2029", code), canonicalOf(t, x, "2026-2028", code); got != want {
				t.Fatalf("%s after the round trip:\n got %s\nwant %s", code, got, want)
			}
		}
		// The shared measure exists once, B2.2.1.1's, and treats the risks of both leaves.
		aNew, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.2")
		bNew, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "B2.2.1.1")
		if len(aNew.Measures) != len(a0.Measures) || len(bNew.Measures) != 2 || !slices.Contains(aNew.Risks[0].Measures, bNew.Measures[1].ID) {
			t.Fatalf("the shared measure was not linked: A %+v / %+v, B %+v", aNew.Risks[0].Measures, aNew.Measures, bNew.Measures)
		}
		// Idempotent: the same file again, and the CSV and ODS forms of the same register, change nothing.
		imported, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.2")
		head := auditCount(t, x)
		for name, data := range map[string][]byte{"registro.xlsx": xlsxData, "registro-excel.csv": csvData, "registro.ods": odsFrom(t, xlsxData)} {
			rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", name, data, service.ImportOptions{})
			if err != nil || rep.Unchanged != 2 || rep.Created+rep.Updated+rep.Skipped != 0 || len(rep.Problems) != 0 {
				t.Fatalf("re-import of %s: %+v %v", name, rep, err)
			}
		}
		if auditCount(t, x) != head {
			t.Fatal("a re-import that changes nothing wrote to the trail")
		}
		if again, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "A1.1.1.2"); again.Version != imported.Version {
			t.Fatalf("a re-import made a new version: %d -> %d", imported.Version, again.Version)
		}
		// Without B2.2.1.1's rows, the link names the stored measure: A1.1.1.2 is unchanged; a reference
		// to a measure the register does not have is reported at its cell.
		onlyA := xlsxWithoutLeaf(t, xlsxData, "B2.2.1.1")
		rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "registro.xlsx", onlyA, service.ImportOptions{})
		if err != nil || rep.Unchanged != 1 || len(rep.Leaves) != 1 || rep.Leaves[0].Links[0].InFile {
			t.Fatalf("import of A1.1.1.2 alone: %+v %v", rep, err)
		}
		rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "registro.xlsx", xlsxWithCell(t, onlyA, "B2.2.1.1#M2", "B2.2.1.1#M3"), service.ImportOptions{DryRun: true})
		if err != nil || len(rep.Problems) != 1 || rep.Problems[0].Code != "linked_measure_unknown" || rep.Problems[0].Line != linkRow ||
			rep.Leaves[0].Action != service.ActionSkipped {
			t.Fatalf("link to a measure not stored: %+v %v", rep, err)
		}
		// A reference to a measure that does not exist is reported at its cell, and nothing is written.
		if !bytes.Contains(csvData, []byte(";B2.2.1.1#M2;")) {
			t.Fatal("the CSV does not carry the link as B2.2.1.1#M2")
		}
		_, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "registro.xlsx", xlsxWithCell(t, xlsxData, "B2.2.1.1#M2", "B2.2.1.1#M7"), service.ImportOptions{})
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Code != "linked_measure_unknown" || ve.Problems[0].Line != linkRow ||
			!strings.Contains(ve.Problems[0].Column, "(Chiave misura)") || auditCount(t, x) != head {
			t.Fatalf("bad link: %v %+v", err, ve)
		}

		// A change in the file updates that leaf only, keeping the identities of its risks and measures.
		edited := bytes.Replace(csvData, []byte("Rotazione degli affidatari"), []byte("Rotazione degli affidatari e degli inviti"), -1)
		rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "registro-excel.csv", edited, service.ImportOptions{})
		if err != nil || rep.Updated != 1 || rep.Unchanged != 1 {
			t.Fatalf("edited import: %+v %v", rep, err)
		}
		b1, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "B2.2.1.1")
		if b1.Measures[0].Title != "Rotazione degli affidatari e degli inviti" || b1.Measures[0].Version != 2 || b1.Measures[1].Version != 1 {
			t.Fatalf("updated measure: %+v", b1.Measures)
		}

		// Never over a submitted assessment: the preview says it is skipped, and why.
		wf := service.NewWorkflow(x.store, x.authz, x.reg)
		if _, err := wf.Transition(ctx, x.dir1, "2027-2029", "A1.1.1.2", domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		changed := bytes.Replace(csvData, []byte("Controllo a campione delle istruttorie"), []byte("Controllo a campione"), -1)
		rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "registro-excel.csv", changed, service.ImportOptions{})
		if err != nil || rep.Skipped != 1 || rep.Leaves[0].Reason != service.SkipNotEditable {
			t.Fatalf("submitted leaf: %+v %v", rep, err)
		}

		// Only the RPCT imports.
		if _, err := x.reg.ImportRegister(ctx, x.dir1, "2027-2029", "r.csv", csvData, service.ImportOptions{DryRun: true}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director imported: %v", err)
		}

		// The register adopted: its spreadsheet, from the snapshot, still writes the link on A1.1.1.2's row.
		bDone, _ := x.reg.Assessment(ctx, x.dir2, "2026-2028", "B2.2.1.1")
		for i := range bDone.Measures {
			m := &bDone.Measures[i]
			m.Start, m.End, m.Unit, m.Owner = "2027-01-15", "2027-06-30", "AD2", "Anna Bianchi"
			for j := range m.Phases {
				m.Phases[j].Start, m.Phases[j].Deadline = "", "2027-05-31"
			}
		}
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", *bDone); err != nil {
			t.Fatal(err)
		}
		for _, st := range []struct {
			who  domain.Actor
			code string
			tr   domain.Transition
		}{{x.dir1, "A1.1.1.2", domain.TransitionSubmit}, {x.dir2, "B2.2.1.1", domain.TransitionSubmit},
			{x.rpct, "A1.1.1.2", domain.TransitionApprove}, {x.rpct, "B2.2.1.1", domain.TransitionApprove}} {
			if _, err := wf.Transition(ctx, st.who, "2026-2028", st.code, st.tr, ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, code := range []string{"A1.1.1.1", "B2.1 BIS"} {
			if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", code, "Escluso dalla prova"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "4", Date: "2027-01-20"}); err != nil {
			t.Fatal(err)
		}
		adopted, err := cycles.ExportSource(ctx, x.oiv, "2026-2028")
		if err != nil || !adopted.Meta().Adopted {
			t.Fatalf("adopted source: %v", err)
		}
		col := layoutCols(adopted.Meta().Methodology)
		links := 0
		for _, row := range xlsxRows(t, render(t, adopted, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) }), export.RegisterSheet) {
			if len(row) > col[export.ColMeasure] && row[col[export.ColMeasureKey]] == "B2.2.1.1#M2" {
				links++
				if row[col[export.ColCode]] != "A1.1.1.2" || row[col[export.ColRiskNo]] != "1" || row[col[export.ColMeasure]] != "Formazione specifica sugli affidamenti" {
					t.Fatalf("adopted link row: %q", row)
				}
			}
		}
		if links != 1 {
			t.Fatalf("the adopted spreadsheet has %d link rows, want 1", links)
		}
	})
}

// A title that does not match the map's needs confirmation; an unknown code comes with suggestions.
func TestRegisterImportTitleCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles := importFixture(t, db)
		ctx := context.Background()
		src, _ := cycles.ExportSource(ctx, x.rpct, "2026-2028")
		data := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteExcelCSV(b, s) })
		// The numbering shifted by one: B2.2.1.1's rows now carry another action's title.
		shifted := bytes.ReplaceAll(data, []byte("Gestione attività di manutenzione"), []byte("Relazione previsionale e programmatica annuale"))
		rep, err := x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "r.csv", shifted, service.ImportOptions{})
		if err != nil || rep.Created != 1 || rep.Skipped != 1 {
			t.Fatalf("unconfirmed: %+v %v", rep, err)
		}
		var plan *registerimport.LeafPlan
		for _, l := range rep.Leaves {
			if l.Code == "B2.2.1.1" {
				plan = l
			}
		}
		if plan == nil || !plan.NeedsConfirmation || plan.Reason != service.SkipUnconfirmed || plan.Similarity >= registerimport.TitleThreshold {
			t.Fatalf("plan %+v", plan)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2027-2029", "B2.2.1.1"); a.Version != 0 {
			t.Fatal("an unconfirmed row was attached")
		}
		rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "r.csv", shifted, service.ImportOptions{Confirmed: []string{"B2.2.1.1"}})
		if err != nil || rep.Created != 1 || rep.Unchanged != 1 {
			t.Fatalf("confirmed: %+v %v", rep, err)
		}
		// An unknown code: the closest titles of the map are suggested.
		unknown := bytes.ReplaceAll(data, []byte("B2.2.1.1;"), []byte("B9.9.9.9;"))
		rep, err = x.reg.ImportRegister(ctx, x.rpct, "2027-2029", "r.csv", unknown, service.ImportOptions{DryRun: true})
		if err != nil || len(rep.Unknown) == 0 || rep.Unknown[0].Code != "B9.9.9.9" || len(rep.Unknown[0].Suggestions) != 3 ||
			rep.Unknown[0].Suggestions[0].Code != "B2.2.1.1" {
			t.Fatalf("unknown code: %+v %v", rep, err)
		}
	})
}

// An import file with thirty kinds of mistakes reports each at its row and column, and writes nothing.
func TestRegisterImportMistakes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		const leaf, title = "A1.1.1.2", "Attività di verifica, con virgole, \"virgolette\""
		type mistake struct {
			cells  map[string]string
			code   string
			column string // the layout key the problem names ("" when it names none)
		}
		k1, k1r := export.IndicatorValueKey("KRI-1"), export.IndicatorReasonKey("KRI-1")
		res1 := export.ResidualPrefix + export.IndicatorValueKey("KRI-1")
		ms := []mistake{
			{map[string]string{export.ColCode: ""}, "code_missing", export.ColCode},
			{map[string]string{export.ColCode: "Z9.9"}, "action_unknown", export.ColCode},
			{map[string]string{export.ColCode: "A1.1.1"}, "node_not_leaf", export.ColCode},
			{map[string]string{export.ColTitle: "Un altro titolo del tutto diverso"}, "title_inconsistent", export.ColTitle},
			{map[string]string{export.ColRiskNo: "uno"}, "risk_number_invalid", export.ColRiskNo},
			{map[string]string{export.ColRiskNo: "1", export.ColEvent: "Evento rischioso della foglia", export.ColContext: "un contesto diverso"}, "risk_inconsistent", export.ColContext},
			{map[string]string{export.ColMeasureKey: "M1", export.ColMeasure: "Titolo diverso"}, "measure_inconsistent", export.ColMeasure},
			{map[string]string{k1r: "motivo senza valore"}, "indicator_value_missing", k1},
			{map[string]string{k1: "alto"}, "value_not_number", k1},
			{map[string]string{k1: "7"}, "value_not_on_scale", k1},
			{map[string]string{export.ColLikelihoodManual: "9"}, "value_not_on_scale", export.ColLikelihoodManual},
			{map[string]string{export.ColImpactManual: "x"}, "value_not_number", export.ColImpactManual},
			{map[string]string{export.ColEventCode: "ER-ZZ-99"}, "event_unknown", export.ColEventCode},
			{map[string]string{export.ColFactors: "FA-a, FA-zz"}, "enabling_factor_unknown", export.ColFactors},
			{map[string]string{export.ColOverrideLevel: "altissimo"}, "level_unknown", export.ColOverrideLevel},
			{map[string]string{export.ColDecision: "ignorare"}, "decision_unknown", export.ColDecision},
			{map[string]string{export.ColPriority: "-1"}, "priority_invalid", export.ColPriority},
			{map[string]string{export.ColNature: "mista"}, "nature_unknown", export.ColNature},
			{map[string]string{export.ColGeneralCode: "MG99"}, "general_measure_unknown", export.ColGeneralCode},
			{map[string]string{export.ColMeasureType: "T99"}, "measure_type_unknown", export.ColMeasureType},
			{map[string]string{export.ColMeasureUnit: "AD9"}, "unit_unknown", export.ColMeasureUnit},
			{map[string]string{export.ColObjective: "OS9"}, "objective_unknown", export.ColObjective},
			{map[string]string{export.ColStart: "domani"}, "date_invalid", export.ColStart},
			{map[string]string{export.ColEnd: "31/02/2026"}, "date_invalid", export.ColEnd},
			{map[string]string{export.ColStart: "01/06/2026", export.ColEnd: "01/01/2026"}, "end_before_start", export.ColEnd},
			{map[string]string{export.ColMeasureStatus: "forse"}, "measure_status_unknown", export.ColMeasureStatus},
			{map[string]string{export.ColPhases: "32/13/2026 – Avvio"}, "phase_date_invalid", export.ColPhases},
			{map[string]string{export.ColPhases: "dal 01/05/2026 al 01/04/2026 – Rovesciata"}, "phase_end_before_start", export.ColPhases},
			{map[string]string{export.ColStart: "01/01/2026", export.ColEnd: "30/06/2026", export.ColPhases: "31/12/2026 – Chiusura"}, "phase_outside_measure", export.ColPhases},
			{map[string]string{res1: "0"}, "value_not_on_scale", res1},
			{map[string]string{export.ColNature: "Specifica", export.ColGeneralCode: "MG09"}, "not_allowed", ""},
		}
		header := []string{export.ColCode, export.ColTitle, export.ColRiskNo, export.ColEventCode, export.ColEvent, export.ColContext,
			export.ColFactors, k1, k1r, res1, export.ColLikelihoodManual, export.ColImpactManual, export.ColOverrideLevel, export.ColDecision,
			export.ColPriority, export.ColMeasureKey, export.ColNature, export.ColGeneralCode, export.ColMeasureType, export.ColMeasure,
			export.ColMeasureUnit, export.ColObjective, export.ColStart, export.ColEnd, export.ColMeasureStatus, export.ColPhases}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(header)
		// Row 2: a good row the mistakes refer to (risk 1, measure M1).
		w.Write([]string{leaf, title, "1", "", "Evento rischioso della foglia", "contesto", "", "", "", "", "", "", "", "", "", "M1", "", "", "", "Misura buona"})
		for i, m := range ms {
			cells := map[string]string{export.ColCode: leaf, export.ColTitle: title, export.ColRiskNo: fmt.Sprint(i + 2),
				export.ColEvent: "Evento numero " + fmt.Sprint(i+2), export.ColMeasureKey: fmt.Sprintf("K%d", i)}
			for k, v := range m.cells {
				cells[k] = v
			}
			rec := make([]string, len(header))
			for j, h := range header {
				rec[j] = cells[h]
			}
			w.Write(rec)
		}
		w.Flush()
		head := auditCount(t, x)
		rep, err := x.reg.ImportRegister(ctx, x.rpct, "2026-2028", "errori.csv", b.Bytes(), service.ImportOptions{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range ms {
			line := i + 3
			if m.code == "not_allowed" {
				line = 2 // an assessment-level problem is placed at the leaf's first row
			}
			found := false
			for _, p := range rep.Problems {
				if p.Code == m.code && p.Line == line && p.File == "CSV" &&
					(m.column == "" || p.Field == m.column && strings.Contains(p.Column, "("+m.column+")")) {
					found = true
				}
			}
			if !found {
				t.Errorf("mistake %d (%s) not reported at row %d column %s: %+v", i, m.code, line, m.column, rep.Problems)
			}
		}
		if _, err := x.reg.ImportRegister(ctx, x.rpct, "2026-2028", "errori.csv", b.Bytes(), service.ImportOptions{}); !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("a file with mistakes was committed: %v", err)
		}
		if a, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", leaf); a.Version != 0 || auditCount(t, x) != head {
			t.Fatal("a refused import wrote something")
		}
	})
}

// Italian Excel's CSV: semicolons, Windows-1252, decimal commas and Italian dates.
func TestRegisterImportWindows1252CSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		text := "Codice;Attività / azione;N. rischio;Evento rischioso;KRI-1 ;Misura;Inizio;Fine\r\n" +
			"A1.1.1.2;\"Attività di verifica, con virgole, \"\"virgolette\"\"\";1;Pressioni indebite sull'esito della verifica;;Controllo più frequente;1/2/2026;31/12/2026\r\n"
		enc, err := charmap.Windows1252.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := x.reg.ImportRegister(ctx, x.rpct, "2026-2028", "registro.csv", []byte(enc), service.ImportOptions{})
		if err != nil || len(rep.Problems) != 0 || rep.Created != 1 || !strings.Contains(rep.Detected, "semicolon") || !strings.Contains(rep.Detected, "Windows-1252") {
			t.Fatalf("import: %+v %v", rep, err)
		}
		a, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		if len(a.Risks) != 1 || a.Risks[0].EventDescription != "Pressioni indebite sull'esito della verifica" || len(a.Measures) != 1 ||
			a.Measures[0].Title != "Controllo più frequente" || a.Measures[0].Start != "2026-02-01" || a.Measures[0].End != "2026-12-31" ||
			strings.Join(a.Risks[0].Measures, ",") != a.Measures[0].Key {
			t.Fatalf("imported: %+v", a)
		}
		// What cannot be read says what was found and how to save the file.
		utf16 := append([]byte{0xff, 0xfe}, []byte("C\x00o\x00")...)
		_, err = x.reg.ImportRegister(ctx, x.rpct, "2026-2028", "registro.csv", utf16, service.ImportOptions{DryRun: true})
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Problems[0].Code != "csv_encoding" || !strings.Contains(ve.Problems[0].Message, "CSV UTF-8") {
			t.Fatalf("UTF-16: %v", err)
		}
	})
}

// Exports write what the register screen shows: the same filters apply.
func TestFilteredExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, cycles := importFixture(t, db)
		ctx := context.Background()
		src, err := cycles.FilteredExportSource(ctx, x.oiv, "2026-2028", store.RegisterFilter{Unit: "AD2"})
		if err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteXLSX(b, s) }), export.RegisterSheet)
		col := layoutCols(src.Meta().Methodology)
		if len(rows) != 3 || rows[2][col[export.ColCode]] != "B2.2.1.1" {
			t.Fatalf("filtered export: %q", rows)
		}
		if _, err := cycles.FilteredExportSource(ctx, x.oiv, "2026-2028", store.RegisterFilter{Level: "bogus"}); !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("bad filter: %v", err)
		}
	})
}

// odsFrom writes the consolidated sheet of an XLSX register as an ODS spreadsheet: numbers typed as floats,
// the start and end dates as dates, runs of blanks repeated, as LibreOffice writes them.
func odsFrom(t *testing.T, xlsxData []byte) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsxData))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(export.RegisterSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var c strings.Builder
	c.WriteString(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>` +
		`<table:table table:name="Registro">`)
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xmlEscape(&b, s)
		return b.String()
	}
	for i, r := range rows {
		c.WriteString("<table:table-row>")
		for j, v := range r {
			switch {
			case v == "":
				c.WriteString(`<table:table-cell/>`)
			case i >= 2 && isNumber(v) && (rows[1][j] == "Inizio" || rows[1][j] == "Fine"):
				d, _ := registerimport.ParseDate(v)
				fmt.Fprintf(&c, `<table:table-cell office:value-type="date" office:date-value="%sT00:00:00"><text:p>x</text:p></table:table-cell>`, d)
			case i >= 2 && isNumber(v):
				fmt.Fprintf(&c, `<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>`, v, v)
			default:
				c.WriteString(`<table:table-cell office:value-type="string">`)
				for _, p := range strings.Split(v, "\n") {
					c.WriteString("<text:p>" + esc(p) + "</text:p>")
				}
				c.WriteString(`</table:table-cell>`)
			}
		}
		c.WriteString(`<table:table-cell table:number-columns-repeated="1000"/></table:table-row>`)
	}
	c.WriteString(`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>`)
	c.WriteString(`</table:table></office:spreadsheet></office:body></office:document-content>`)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	m, _ := zw.Create("mimetype")
	m.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	cw, _ := zw.Create("content.xml")
	cw.Write([]byte(c.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func xmlEscape(b *bytes.Buffer, s string) error { return xml.EscapeText(b, []byte(s)) }

// The bulk reading of the import gives, leaf by leaf, what the single reading gives.
func TestAssessmentsOfNodesMatchesAssessment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, _ := importFixture(t, db)
		ctx := context.Background()
		// A risk of B2.2.1.1 treated by a measure of A1.1.1.2, which A1.1.1.2 then drops: it is retired.
		a1, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "A1.1.1.2")
		b2, _ := x.reg.Assessment(ctx, x.oiv, "2026-2028", "B2.2.1.1")
		b2.Risks[0].Measures = append(b2.Risks[0].Measures, a1.Measures[0].ID)
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", *b2); err != nil {
			t.Fatal(err)
		}
		a1.Measures = a1.Measures[1:]
		a1.Risks[0].Measures = a1.Risks[0].Measures[1:]
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *a1); err != nil {
			t.Fatal(err)
		}
		cycle, err := x.store.CycleByCode(ctx, x.tn.EnteID, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := x.store.Nodes(ctx, x.tn.EnteID, cycle.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, n := range nodes {
			ids = append(ids, n.ID)
		}
		bulk, err := x.store.AssessmentsOfNodes(ctx, x.tn.EnteID, cycle.ID, ids)
		if err != nil || len(bulk) != 2 {
			t.Fatalf("bulk: %d %v", len(bulk), err)
		}
		for _, n := range nodes {
			one, err := x.store.Assessment(ctx, x.tn.EnteID, cycle.ID, n.ID)
			if errors.Is(err, domain.ErrNotFound) {
				if bulk[n.ID] != nil {
					t.Fatalf("%s: bulk has an assessment the single reading has not", n.Code)
				}
				continue
			}
			if n.Code == "A1.1.1.2" && len(one.Withdrawn) != 1 {
				t.Fatalf("the dropped measure is not retired: %+v", one.Withdrawn)
			}
			a, _ := json.Marshal(one)
			b, _ := json.Marshal(bulk[n.ID])
			if string(a) != string(b) {
				t.Fatalf("%s:\nsingle %s\nbulk   %s", n.Code, a, b)
			}
		}
	})
}

// The audit record of a saved import mapping has the same shape before and after ({"columns", "version"}), so
// the audit screen compares them field by field; the first save, with no mapping before, shows both as added.
func TestImportMappingAuditShape(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		layout := export.RegisterLayout(domain.Profile{})
		k1, k2 := layout[0].Key, layout[1].Key
		if _, err := x.reg.SaveImportMapping(ctx, x.rpct, map[string]string{k1: "Codice azione"}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := x.reg.SaveImportMapping(ctx, x.rpct, map[string]string{k1: "Cod.", k2: " Titolo "}, 1); err != nil {
			t.Fatal(err)
		}
		recs, _, err := x.store.AuditPage(ctx, x.tn.EnteID, store.AuditFilter{Entity: "register_import_mapping", Action: "save"}, 1, 10)
		if err != nil || len(recs) != 2 {
			t.Fatalf("records %d %v", len(recs), err)
		}
		slices.SortFunc(recs, func(a, b domain.AuditRecord) int { return int(a.Seq - b.Seq) })
		type mapping struct {
			Columns map[string]string `json:"columns"`
			Version int64             `json:"version"`
		}
		// decode reads a side of a record, refusing any field other than the two of a mapping.
		decode := func(side string) (mapping, []string) {
			t.Helper()
			var keys map[string]json.RawMessage
			if err := json.Unmarshal([]byte(side), &keys); err != nil {
				t.Fatalf("%q: %v", side, err)
			}
			var m mapping
			dec := json.NewDecoder(strings.NewReader(side))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&m); err != nil {
				t.Fatalf("%q: %v", side, err)
			}
			names := make([]string, 0, len(keys))
			for k := range keys {
				names = append(names, k)
			}
			slices.Sort(names)
			return m, names
		}
		both := []string{"columns", "version"}

		first, second := recs[0], recs[1]
		if b, names := decode(first.Before); len(names) != 0 || b.Columns != nil {
			t.Fatalf("first save, before: %s (want {}: nothing to compare, every field added)", first.Before)
		}
		if a, names := decode(first.After); !slices.Equal(names, both) || a.Version != 1 || a.Columns[k1] != "Codice azione" || len(a.Columns) != 1 {
			t.Fatalf("first save, after: %s", first.After)
		}

		b, bNames := decode(second.Before)
		a, aNames := decode(second.After)
		if !slices.Equal(bNames, both) || !slices.Equal(aNames, both) {
			t.Fatalf("second save: before %s and after %s differ in shape", second.Before, second.After)
		}
		if b.Version != 1 || len(b.Columns) != 1 || b.Columns[k1] != "Codice azione" {
			t.Fatalf("second save, before: %s (want the first mapping at version 1)", second.Before)
		}
		if a.Version != 2 || len(a.Columns) != 2 || a.Columns[k1] != "Cod." || a.Columns[k2] != "Titolo" {
			t.Fatalf("second save, after: %s", second.After)
		}
	})
}
