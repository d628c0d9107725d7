package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
		more, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.1", sampleAssessment(0))
		if err != nil {
			t.Fatal(err)
		}
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
