package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
)

// BenchmarkAuditAppendSynchronous measures what synchronous=FULL costs SQLite against NORMAL on the most
// frequent write, one audit record appended in its own transaction (what every save commits at least):
//
//	go test ./internal/store -run '^$' -bench AuditAppendSynchronous -benchtime 300x
//
// The ratio FULL/NORMAL is reported by the FULL sub-benchmark as "x_normal".
func BenchmarkAuditAppendSynchronous(b *testing.B) {
	var normal float64
	for _, mode := range []string{"NORMAL", "FULL"} {
		b.Run(mode, func(b *testing.B) {
			target, err := database.ParseURL("sqlite:" + filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			if !strings.Contains(target.DSN, "synchronous(FULL)") {
				b.Fatalf("default DSN no longer sets synchronous(FULL): %s", target.DSN)
			}
			target.DSN = strings.Replace(target.DSN, "synchronous(FULL)", "synchronous("+mode+")", 1)
			ctx := context.Background()
			db, err := database.Open(ctx, target, database.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			s := New(db)
			ente, err := s.CreateEnte(ctx, "bench", "Bench")
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				err := s.WithTx(ctx, func(tx *Store) error {
					return tx.AppendAudit(ctx, &domain.AuditRecord{EnteID: ente.ID, At: "2026-01-01T00:00:00Z",
						ActorID: "bench", Entity: "assessment", EntityID: "x", Action: "assessment.save", After: `{"k":1}`})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if mode == "NORMAL" {
				normal = perOp
			} else if normal > 0 {
				b.ReportMetric(perOp/normal, "x_normal")
			}
		})
	}
}
