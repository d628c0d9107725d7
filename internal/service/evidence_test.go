package service_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestEvidenceOnDisk: files go to the folder under their id; a refused upload leaves no file behind.
func TestEvidenceOnDisk(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		dir := t.TempDir()
		mon := service.NewMonitoring(x.store, x.authz)
		ev := service.NewEvidence(x.store, x.authz, mon, service.EvidenceConfig{Dir: dir})
		saved, _ := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0))
		m1 := saved.Measures[0].ID
		consolidateFor(t, x, "A1.1.1.2")
		mon.SetPlan(ctx, x.rpct, "2026-2028", store.MonitoringPlan{Frequency: "annuale", SamplePercent: 0})
		mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31")
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 64)...)
		got, err := ev.Upload(ctx, x.dir1, "2026-2028", "2026-12-31", m1, "../../foto.png", bytes.NewReader(png))
		if err != nil || got.Storage != "disk" || got.Name != "foto.png" || got.ContentType != "image/png" {
			t.Fatalf("upload %+v %v", got, err)
		}
		onDisk, err := os.ReadFile(filepath.Join(dir, got.ID))
		if err != nil || !bytes.Equal(onDisk, png) {
			t.Fatalf("file on disk: %v", err)
		}
		if _, err := ev.Upload(ctx, x.dir1, "2026-2028", "2026-12-31", m1, "again.png", bytes.NewReader(png)); domain.CodeOf(err) != "evidence_duplicate" {
			t.Fatalf("duplicate: %v", err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("a refused upload left files: %d entries", len(entries))
		}
		_, data, err := ev.Download(ctx, x.oiv, got.ID)
		if err != nil || !bytes.Equal(data, png) {
			t.Fatalf("download: %v", err)
		}
	})
}
