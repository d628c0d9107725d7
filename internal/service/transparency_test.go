package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

func score(v int) *int { return &v }

// The RPCT seeds the grid from the shipped list and adapts it; the state of publication is recorded per round
// by the RPCT or the OIV and exported as ANAC's attestation grid; civic-access counts are kept per year.
func TestTransparencySection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		tr := service.NewTransparency(x.store, x.authz)
		if _, err := tr.Seed(ctx, x.dir1, "2026-2028"); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director seeds: %v", err)
		}
		grid, err := tr.Seed(ctx, x.rpct, "2026-2028")
		if err != nil || len(grid) < 50 {
			t.Fatalf("seed: %d %v", len(grid), err)
		}
		if _, err := tr.Seed(ctx, x.rpct, "2026-2028"); domain.CodeOf(err) != "grid_not_empty" {
			t.Fatalf("seed twice: %v", err)
		}
		first := grid[0]
		first.ProducingUnit, first.PublishingUnit = "SG", "AD1"
		upd, err := tr.UpdateObligation(ctx, x.rpct, "2026-2028", first.ID, first)
		if err != nil || upd.Version != 2 || upd.ProducingUnit != "SG" {
			t.Fatalf("assign units: %+v %v", upd, err)
		}
		var ce *domain.ConflictError
		if _, err := tr.UpdateObligation(ctx, x.rpct, "2026-2028", first.ID, first); !errors.As(err, &ce) || ce.CurrentVersion != 2 {
			t.Fatalf("stale: %v", err)
		}
		first.ProducingUnit, first.Version = "ZZ", 2
		var ve *domain.ValidationError
		if _, err := tr.UpdateObligation(ctx, x.rpct, "2026-2028", first.ID, first); !errors.As(err, &ve) || ve.Problems[0].Field != "producing_unit" {
			t.Fatalf("unknown unit: %v", err)
		}
		own, err := tr.CreateObligation(ctx, x.rpct, "2026-2028", domain.TransparencyObligation{Code: "AT-900", Section: "Altri contenuti",
			Subsection: "Dati ulteriori", Obligation: "Esiti delle ispezioni metrologiche", Frequency: "Annuale", Source: "Ente"})
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.DeleteObligation(ctx, x.rpct, "2026-2028", own.ID, 1); err != nil {
			t.Fatal(err)
		}
		read, err := tr.Obligations(ctx, x.oiv, "2026-2028")
		if err != nil || len(read) != len(grid) {
			t.Fatalf("the OIV reads the grid: %d %v", len(read), err)
		}

		saved, _ := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		_ = saved
		consolidateFor(t, x, "A1.1.1.2")
		mon := service.NewMonitoring(x.store, x.authz)
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-05-31"); err != nil {
			t.Fatal(err)
		}
		full := domain.PublicationCheck{Published: score(2), CompleteContent: score(3), CompleteOffices: nil, UpToDate: score(3), OpenFormat: score(3)}
		if _, err := tr.RecordCheck(ctx, x.dir1, "2026-2028", "2026-05-31", grid[0].ID, full); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director records: %v", err)
		}
		if _, err := tr.RecordCheck(ctx, x.oiv, "2026-2028", "2026-05-31", grid[0].ID, domain.PublicationCheck{Published: score(1)}); !errors.As(err, &ve) {
			t.Fatalf("publication scored 1: %v", err)
		}
		if _, err := tr.RecordCheck(ctx, x.oiv, "2026-2028", "2026-05-31", grid[0].ID, domain.PublicationCheck{Published: score(0), CompleteContent: score(2)}); !errors.As(err, &ve) {
			t.Fatalf("not published yet complete: %v", err)
		}
		r, err := tr.RecordCheck(ctx, x.oiv, "2026-2028", "2026-05-31", grid[0].ID, full)
		if err != nil || r.Score.Recorded != 1 || r.Score.Published != 1 || r.Score.Complete != 1 {
			t.Fatalf("recorded: %+v %v", r.Score, err)
		}
		partial := domain.PublicationCheck{Published: score(2), CompleteContent: score(1), UpToDate: score(2), OpenFormat: score(1), Notes: "Mancano i curricula", Version: 0}
		if _, err := tr.RecordCheck(ctx, x.rpct, "2026-2028", "2026-05-31", grid[1].ID, partial); err != nil {
			t.Fatal(err)
		}
		if _, err := tr.RecordCheck(ctx, x.rpct, "2026-2028", "2026-05-31", grid[1].ID, partial); !errors.As(err, &ce) || ce.CurrentVersion != 1 {
			t.Fatalf("stale check: %v", err)
		}
		var xlsx bytes.Buffer
		if err := tr.WriteOIVGrid(ctx, x.oiv, "2026-2028", "2026-05-31", &xlsx); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&xlsx)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Griglia di rilevazione")
		if len(rows) != 6+len(grid) || !strings.HasPrefix(rows[5][8], "Pubblicazione") || rows[6][8] != "2" || rows[6][10] != "n/a" ||
			rows[7][9] != "1" || rows[7][13] != "Mancano i curricula" || len(rows[8]) > 8 && rows[8][8] != "" {
			t.Fatalf("grid rows: %d %q %q %q", len(rows), rows[5], rows[6], rows[7])
		}

		if _, err := tr.SaveCivicAccess(ctx, x.oiv, domain.CivicAccessCount{Year: 2025, Kind: "generalizzato", Received: 3}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the OIV keeps the register: %v", err)
		}
		if _, err := tr.SaveCivicAccess(ctx, x.rpct, domain.CivicAccessCount{Year: 2025, Kind: "generalizzato", Received: 3, Accepted: 2, Refused: 2}); !errors.As(err, &ve) {
			t.Fatalf("more outcomes than requests: %v", err)
		}
		counts, err := tr.SaveCivicAccess(ctx, x.rpct, domain.CivicAccessCount{Year: 2025, Kind: "generalizzato", Received: 12, Accepted: 8, Refused: 3, Pending: 1})
		if err != nil || len(counts) != 1 || counts[0].Version != 1 {
			t.Fatalf("civic access: %+v %v", counts, err)
		}
		if _, err := tr.SaveCivicAccess(ctx, x.rpct, domain.CivicAccessCount{Year: 2025, Kind: "generalizzato", Received: 12}); !errors.As(err, &ce) {
			t.Fatalf("stale count: %v", err)
		}

		// Adoption freezes both parts; the next cycle starts from them.
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		prog := service.NewProgramme(x.store, x.authz)
		if _, err := db.SQL().ExecContext(ctx, "UPDATE cycles SET state = 'open'"); err != nil {
			t.Fatal(err)
		}
		pm, err := prog.Create(ctx, x.rpct, "2026-2028", sampleProgrammeMeasure())
		if err != nil {
			t.Fatal(err)
		}
		a, _ := x.reg.Assessment(ctx, x.dir1, "2026-2028", "A1.1.1.2")
		if _, err := db.SQL().ExecContext(ctx, "UPDATE assessments SET state = 'draft'"); err != nil {
			t.Fatal(err)
		}
		a.Measures[1].ProgrammeMeasure = pm.ID // the general measure already planned becomes a link, same row
		if _, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", *a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, "UPDATE assessments SET state = 'approved'"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, "UPDATE cycles SET state = 'consolidated'"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "7", Date: "2027-01-20"}); err != nil {
			t.Fatal(err)
		}
		snap, err := cycles.Snapshot(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var content service.SnapshotContent
		if err := json.Unmarshal([]byte(snap.Content), &content); err != nil {
			t.Fatal(err)
		}
		if len(content.Programme) != 1 || content.Programme[0].Code != "MG09" || content.Transparency == nil ||
			len(content.Transparency.Obligations) != len(grid) || content.Transparency.Obligations[0].ProducingUnit != "SG" ||
			len(content.Transparency.CivicAccess) != 1 {
			t.Fatalf("snapshot: %+v %+v", content.Programme, content.Transparency)
		}
		if _, err := cycles.RollForward(ctx, x.rpct, "2026-2028", "2027-2029"); err != nil {
			t.Fatal(err)
		}
		next, err := prog.List(ctx, x.rpct, "2027-2029")
		if err != nil || len(next) != 1 || next[0].DerivedFrom != pm.ID || next[0].ID == pm.ID || next[0].Links != 1 || len(next[0].Areas) != 2 {
			t.Fatalf("programme carried: %+v %v", next, err)
		}
		carried, err := x.reg.Assessment(ctx, x.dir1, "2027-2029", "A1.1.1.2")
		if err != nil || carried.Measures[1].ProgrammeMeasure != next[0].ID {
			t.Fatalf("link carried: %+v %v", carried.Measures, err)
		}
		nextGrid, err := tr.Obligations(ctx, x.rpct, "2027-2029")
		if err != nil || len(nextGrid) != len(grid) || nextGrid[0].DerivedFrom != grid[0].ID || nextGrid[0].PublishingUnit != "AD1" {
			t.Fatalf("grid carried: %d %v", len(nextGrid), err)
		}
	})
}
