package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

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
		// B2.2.1.1's assessment stays a draft (its leaf is excluded): its measures are never monitored.
		draft, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); domain.CodeOf(err) != "cycle_not_adopted" {
			t.Fatalf("a round of an open cycle: %v", err)
		}
		consolidateFor(t, x, "A1.1.1.2")
		if _, err := mon.SetPlan(ctx, x.dir1, "2026-2028", store.MonitoringPlan{Frequency: "semestrale", SamplePercent: 50}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director sets the plan: %v", err)
		}
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale",
			ReferenceDates: []string{"2026-06-30", "2026-12-31"}, SamplingCriteria: "casuale", SamplePercent: 50}); err != nil {
			t.Fatal(err)
		}
		opened, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if len(opened.Measures) != 2 || opened.Measures[0].ID != m1 || opened.Measures[1].ID != m2 {
			t.Fatalf("the round holds the approved measures only: %+v", opened.Measures)
		}
		for _, dm := range draft.Measures {
			if _, err := mon.SelfAssess(ctx, x.dir2, "2026-2028", "2026-12-31", dm.ID, store.MonitoringEntry{Status: "attuata"}); !errors.Is(err, domain.ErrNotFound) {
				t.Fatalf("a draft's measure self-assessed: %v", err)
			}
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
		// m1 (AD1) and m2 (no unit) are two strata of A1: half of each, rounded up, is each.
		if err != nil || len(s1.Round.Sample) != 2 || s1.Round.SampleSeed == 0 || s1.Measures[0].SampleReason != domain.SampleReasonRandom ||
			s1.Measures[0].SampleStratum != "AD1 / A1" {
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

// TestRoundListsEvidenceAndRounds: the round carries each measure's files (name, type, size, sha256, who and
// when; never the bytes), read with a number of statements that does not grow with the measures; the cycle's
// rounds are listed newest first with their counts.
func TestRoundListsEvidenceAndRounds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		ev := service.NewEvidence(x.store, x.authz, mon, service.EvidenceConfig{})
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		m1, m2 := saved.Measures[0].ID, saved.Measures[1].ID
		consolidateFor(t, x, "A1.1.1.2")
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale", SamplePercent: 50}); err != nil {
			t.Fatal(err)
		}
		if rounds, err := mon.Rounds(ctx, x.oiv, "2026-2028"); err != nil || len(rounds) != 0 {
			t.Fatalf("no round yet: %+v %v", rounds, err)
		}
		for _, d := range []string{"2026-06-30", "2026-12-31"} {
			if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", d); err != nil {
				t.Fatal(err)
			}
		}
		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 64)...)
		var sums []string
		for _, f := range []struct {
			name string
			data []byte
		}{{"verbale.pdf", pdf}, {"foto.png", png}} {
			got, err := ev.Upload(ctx, x.dir1, "2026-2028", "2026-06-30", m1, f.name, bytes.NewReader(f.data))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(f.data)
			if got.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("upload sha256 %s", got.SHA256)
			}
			sums = append(sums, got.SHA256)
		}
		counter := dbtest.CountStatements(t, db)
		v, err := mon.Round(ctx, x.oiv, "2026-2028", "2026-06-30")
		if err != nil {
			t.Fatal(err)
		}
		few := counter.Count()
		files := map[string][]store.Evidence{}
		for _, rm := range v.Measures {
			files[rm.ID] = rm.Evidence
		}
		if len(files[m1]) != 2 || files[m2] == nil || len(files[m2]) != 0 {
			t.Fatalf("evidence per measure: %+v", files)
		}
		for i, f := range files[m1] {
			if f.SHA256 != sums[i] || f.Size == 0 || f.ContentType == "" || f.UploadedBy == "" || f.UploadedAt.IsZero() || f.MeasureID != m1 {
				t.Fatalf("file %d: %+v", i, f)
			}
		}
		if other, _ := mon.Round(ctx, x.oiv, "2026-2028", "2026-12-31"); len(other.Measures[0].Evidence) != 0 {
			t.Fatal("another round's files are listed")
		}
		// More measures, more files: the same number of statements.
		forceStates(t, db, domain.CycleOpen, domain.StateDraft)
		more, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		forceStates(t, db, domain.CycleConsolidated, domain.StateApproved)
		if _, err := ev.Upload(ctx, x.dir1, "2026-2028", "2026-06-30", more.Measures[0].ID, "altro.pdf", bytes.NewReader(append(pdf, 'x'))); err != nil {
			t.Fatal(err)
		}
		counter.Reset()
		v, err = mon.Round(ctx, x.oiv, "2026-2028", "2026-06-30")
		if err != nil || len(v.Measures) != 4 {
			t.Fatalf("round with 4 measures: %d %v", len(v.Measures), err)
		}
		if counter.Count() != few {
			t.Fatalf("round read: %d statements with 2 measures, %d with 4", few, counter.Count())
		}

		if _, err := mon.SelfAssess(ctx, x.dir1, "2026-2028", "2026-06-30", m1, store.MonitoringEntry{Status: "attuata"}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.Check(ctx, x.rpct, "2026-2028", "2026-06-30", m1, store.MonitoringEntry{CheckOutcome: "confermato", Suitability: "idonea"}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.CloseRound(ctx, x.rpct, "2026-2028", "2026-06-30"); err != nil {
			t.Fatal(err)
		}
		rounds, err := mon.Rounds(ctx, x.dir2, "2026-2028")
		if err != nil || len(rounds) != 2 {
			t.Fatalf("rounds %+v %v", rounds, err)
		}
		newest, oldest := rounds[0], rounds[1]
		if newest.ReferenceDate != "2026-12-31" || newest.State != "open" || newest.ClosedAt != nil || newest.Measures != 4 || newest.SelfAssessed != 0 {
			t.Fatalf("newest round %+v", newest)
		}
		if oldest.ReferenceDate != "2026-06-30" || oldest.State != "closed" || oldest.ClosedAt == nil || oldest.SelfAssessed != 1 || oldest.Checked != 1 {
			t.Fatalf("oldest round %+v", oldest)
		}
		if _, err := mon.Rounds(ctx, x.admin, "2026-2028"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the administrator lists rounds: %v", err)
		}
		// A seed past int64 cannot be recorded: refused, not stored negative.
		var ve *domain.ValidationError
		if _, err := mon.DrawSample(ctx, x.rpct, "2026-2028", "2026-12-31", 1<<63); !errors.As(err, &ve) {
			t.Fatalf("seed 2^63: %v", err)
		}
	})
}

// consolidateFor submits and approves the assessments already saved on leaves, excludes the other leaves of
// the small map and consolidates the cycle: only then are measures monitored.
func consolidateFor(t *testing.T, x registerFixture, leaves ...string) {
	t.Helper()
	ctx := context.Background()
	wf := service.NewWorkflow(x.store, x.authz, x.reg)
	cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
	submitter := map[string]domain.Actor{"A1.1.1.1": x.dir1, "A1.1.1.2": x.dir1, "B2.2.1.1": x.dir2}
	for _, code := range []string{"A1.1.1.1", "A1.1.1.2", "B2.1 BIS", "B2.2.1.1"} {
		if !slices.Contains(leaves, code) {
			if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", code, "Escluso: la prova monitora altre azioni"); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := wf.Transition(ctx, submitter[code], "2026-2028", code, domain.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Transition(ctx, x.rpct, "2026-2028", code, domain.TransitionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
		t.Fatal(err)
	}
}

// forceStates sets the cycle's and its assessments' states behind the services' back. The services never
// reopen a consolidated cycle, but the guarantees on measures with monitoring history (identities kept,
// withdrawal instead of deletion) must hold whatever path a future revision takes: the tests of those
// guarantees edit such assessments this way.
func forceStates(t *testing.T, db *database.DB, cycle domain.CycleState, assessments domain.AssessmentState) {
	t.Helper()
	if err := db.Gorm.Exec("UPDATE cycles SET state = ? WHERE code = '2026-2028'", cycle).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Exec("UPDATE assessments SET state = ?", assessments).Error; err != nil {
		t.Fatal(err)
	}
}

// TestSampleByPlanCriteria: the plan's criteria decide the sample (every measure of a high-level risk, every
// overdue one, then a share of the rest per unit and area), the round records the criteria and why each
// measure was drawn, and the recorded seed re-draws the same sample.
func TestSampleByPlanCriteria(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		low := sampleAssessment(0)
		low.Risks[0].Inherent = qualitative(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", low); err != nil {
			t.Fatal(err)
		}
		high := sampleAssessment(0)         // its first risk is alto
		high.Measures[0].End = "2027-06-30" // not due at the round: drawn only for its risk
		high.Measures[1].Unit = "AD2"
		if _, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", high); err != nil {
			t.Fatal(err)
		}
		consolidateFor(t, x, "A1.1.1.2", "B2.2.1.1")
		plan := store.MonitoringPlan{Frequency: "annuale", SamplingCriteria: "rischi alti, misure scadute, 0% delle altre",
			SampleHighRisk: true, SampleOverdue: true, SamplePercent: 0}
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", plan); err != nil {
			t.Fatal(err)
		}
		if got, err := mon.Plan(ctx, x.oiv, "2026-2028"); err != nil || !got.SampleHighRisk || !got.SampleOverdue {
			t.Fatalf("plan %+v %v", got, err)
		}
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		v, err := mon.DrawSample(ctx, x.rpct, "2026-2028", "2026-12-31", 7)
		if err != nil {
			t.Fatal(err)
		}
		if c := v.Round.SampleCriteria; c == nil || !c.HighRisk || !c.Overdue || c.Percent != 0 {
			t.Fatalf("criteria recorded: %+v", c)
		}
		why := map[string]string{}
		for _, m := range v.Measures {
			if m.Sampled {
				why[m.Leaf+" "+m.Title] = m.SampleReason
			}
			if m.Sampled != (m.SampleReason != "") {
				t.Fatalf("sampled without a reason or the reverse: %+v", m)
			}
		}
		// A1.1.1.2's m1 ended on 2026-12-31 (overdue); B2.2.1.1's measures treat its alto risk; A1.1.1.2's m2
		// (no dates, a basso risk) is left out by a 0% share.
		want := map[string]string{
			"A1.1.1.2 Controllo a campione delle istruttorie":  domain.SampleReasonOverdue,
			"B2.2.1.1 Controllo a campione delle istruttorie":  domain.SampleReasonHighRisk,
			"B2.2.1.1 Formazione anticorruzione del personale": domain.SampleReasonHighRisk,
		}
		if len(why) != len(want) {
			t.Fatalf("sample %v, want %v", why, want)
		}
		for k, r := range want {
			if why[k] != r {
				t.Fatalf("sample %v, want %v", why, want)
			}
		}
		// Now a random share of the rest: the same seed, the same sample and reasons.
		plan.SamplePercent = 50
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", plan); err != nil {
			t.Fatal(err)
		}
		a, err := mon.DrawSample(ctx, x.rpct, "2026-2028", "2026-12-31", 99)
		if err != nil {
			t.Fatal(err)
		}
		b, err := mon.DrawSample(ctx, x.rpct, "2026-2028", "2026-12-31", 99)
		if err != nil || strings.Join(a.Round.Sample, ",") != strings.Join(b.Round.Sample, ",") || len(a.Round.Sample) != 4 {
			t.Fatalf("re-draw: %v vs %v (%v)", a.Round.Sample, b.Round.Sample, err)
		}
		for id, r := range a.Round.SampleReasons {
			if b.Round.SampleReasons[id] != r {
				t.Fatalf("reasons differ for %s: %+v vs %+v", id, r, b.Round.SampleReasons[id])
			}
		}
		// The draw is in the audit trail with its seed, criteria and reasons.
		recs, _, err := x.store.AuditPage(ctx, x.tn.EnteID, store.AuditFilter{Entity: "monitoring_round", Action: "draw_sample"}, 1, 10)
		if err != nil || len(recs) != 3 || !strings.Contains(recs[0].After, `"seed":"99"`) || !strings.Contains(recs[0].After, `"reasons"`) {
			t.Fatalf("audit %+v %v", recs, err)
		}
	})
}

// TestMeasureMonitoringPage: a measure's page shows it as planned (phases with dates, indicators with targets,
// owner, unit by name) and its rounds newest first with the entry, who recorded it by full name, the sample
// reason and the files; a draft's measure is not found.
func TestMeasureMonitoringPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		mon := service.NewMonitoring(x.store, x.authz)
		users := service.NewUsers(x.store, x.authz, service.NewAccessCache(time.Minute))
		mario, err := users.AsOperator().Create(ctx, x.tn.EnteID, service.NewUser{Username: "mrossi", FullName: "Mario Rossi",
			Password: "Una-password-lunga-2026", Grants: []domain.Grant{{Role: domain.RoleReferente, UnitCode: "AD1"}}, Permanent: true})
		if err != nil {
			t.Fatal(err)
		}
		mrossi := actorWith(x.tn, "x", domain.Grant{Role: domain.RoleReferente, UnitCode: "AD1"})
		mrossi.UserID = mario.ID
		a := sampleAssessment(0)
		a.Measures[0].Owner = "Dirigente Area 1"
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", a)
		if err != nil {
			t.Fatal(err)
		}
		m1 := saved.Measures[0].ID
		draft, err := x.reg.SaveAssessment(ctx, x.dir2, "2026-2028", "B2.2.1.1", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mon.Measure(ctx, x.oiv, "2026-2028", m1); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("a measure of an open cycle: %v", err)
		}
		consolidateFor(t, x, "A1.1.1.2")
		if _, err := mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "semestrale", SampleOverdue: true}); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"2026-06-30", "2026-12-31"} {
			if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", d); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := mon.SelfAssess(ctx, mrossi, "2026-2028", "2026-06-30", m1, store.MonitoringEntry{Status: "in_corso_nei_tempi", Reason: "Criteri definiti, controlli da avviare"}); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.CloseRound(ctx, x.rpct, "2026-2028", "2026-06-30"); err != nil {
			t.Fatal(err)
		}
		if _, err := mon.DrawSample(ctx, x.rpct, "2026-2028", "2026-12-31", 3); err != nil {
			t.Fatal(err)
		}
		v, err := mon.Measure(ctx, x.oiv, "2026-2028", m1)
		if err != nil {
			t.Fatal(err)
		}
		if v.Measure.Title != "Controllo a campione delle istruttorie" || len(v.Measure.Phases) != 1 || v.Measure.Phases[0].Deadline != "2026-03-31" ||
			len(v.Measure.Indicators) != 1 || v.Measure.Indicators[0].Target != "10%" || v.Measure.Owner != "Dirigente Area 1" ||
			v.Measure.Unit != "AD1" || v.UnitTitle != "Area Dirigenziale n. 1" || v.Leaf != "A1.1.1.2" || !v.Monitored || v.RiskLevel == "" {
			t.Fatalf("measure as planned: %+v", v)
		}
		if len(v.Rounds) != 2 || v.Rounds[0].ReferenceDate != "2026-12-31" || v.Rounds[1].ReferenceDate != "2026-06-30" {
			t.Fatalf("rounds newest first: %+v", v.Rounds)
		}
		last, first := v.Rounds[0], v.Rounds[1]
		if !last.Sampled || last.SampleReason != domain.SampleReasonOverdue || !last.Overdue || last.Entry != nil || last.State != "open" {
			t.Fatalf("the open round: %+v", last)
		}
		if first.Entry == nil || first.Entry.Status != "in_corso_nei_tempi" || first.AssessedBy != "Mario Rossi" || first.State != "closed" || first.Sampled {
			t.Fatalf("the closed round: %+v", first)
		}
		if _, err := mon.Measure(ctx, x.oiv, "2026-2028", draft.Measures[0].ID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("a draft's measure shown: %v", err)
		}
		if _, err := mon.Measure(ctx, x.oiv, "2026-2028", "non-un-id"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("a bad id: %v", err)
		}
		if _, err := mon.Measure(ctx, x.admin, "2026-2028", m1); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the admin reads measures: %v", err)
		}
	})
}
