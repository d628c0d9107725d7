package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// fillTrail writes n chained records for the ente straight into the table, 500 per statement: appending them
// one by one through the application would take most of the benchmark's time budget. The head guards are
// lifted to move the head in one step, as no application path does.
func fillTrail(b *testing.B, db *database.DB, enteID string, n int) {
	b.Helper()
	stmts := []string{"DROP TRIGGER audit_heads_start", "DROP TRIGGER audit_heads_forward"}
	if db.Dialect == database.Postgres {
		stmts = []string{"ALTER TABLE audit_heads DISABLE TRIGGER USER"}
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s).Error; err != nil {
			b.Fatal(err)
		}
	}
	var headSeq int64
	var headHash string
	db.Gorm.Raw("SELECT seq FROM audit_heads WHERE ente_id = ?", enteID).Scan(&headSeq)
	db.Gorm.Raw("SELECT hash FROM audit_heads WHERE ente_id = ?", enteID).Scan(&headHash)
	prev, seq := headHash, headSeq
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 500
	for done := 0; done < n; {
		k := min(batch, n-done)
		var sql strings.Builder
		sql.WriteString(`INSERT INTO audit_log (ente_id, seq, at, actor_id, actor_name, client_addr, request_id, entity,
			entity_id, action, before, after, prev_hash, hash) VALUES `)
		args := make([]any, 0, k*14)
		for i := 0; i < k; i++ {
			seq++
			r := domain.AuditRecord{EnteID: enteID, Seq: seq, At: domain.AuditTime(at.Add(time.Duration(seq) * time.Second)),
				ActorID: "u-dir1", ActorName: "dir1", ClientAddr: "10.0.0.1", RequestID: fmt.Sprintf("req-%d", seq),
				Entity: "assessment", EntityID: "2026-2028/A1.1.1.2", Action: "save",
				Before: `{"state":"draft","version":1}`, After: `{"state":"draft","version":2,"risks":[{"event":"ER-D-01","level":"alto"}]}`, PrevHash: prev}
			r.Hash = r.ComputeHash()
			prev = r.Hash
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, r.EnteID, r.Seq, r.At, r.ActorID, r.ActorName, r.ClientAddr, r.RequestID, r.Entity, r.EntityID,
				r.Action, r.Before, r.After, r.PrevHash, r.Hash)
		}
		if err := db.Gorm.Exec(sql.String(), args...).Error; err != nil {
			b.Fatal(err)
		}
		done += k
	}
	if err := db.Gorm.Exec("UPDATE audit_heads SET seq = ?, hash = ? WHERE ente_id = ?", seq, prev, enteID).Error; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkVerifyWithCheckpoint100k verifies a trail of 100,000 records against a signed checkpoint at its
// head: the whole chain is recomputed (SHA-256 of every record) and read as a stream.
func BenchmarkVerifyWithCheckpoint100k(b *testing.B) {
	benchDialects(b, func(b *testing.B, open func(testing.TB) *database.DB) {
		db := open(b)
		f, ctx := newFixture(db), context.Background()
		tn := benchTenant(b, f, "bench-audit")
		fillTrail(b, db, tn.EnteID, 100_000)
		audit := service.NewAudit(f.store, f.authz)
		signer, _ := auditanchor.GenerateKey()
		cp, v, err := audit.Checkpoint(ctx, signer, tn.EnteID, tn.EnteCode, "bench")
		if err != nil || v.Records < 100_000 {
			b.Fatalf("checkpoint: %v %+v", err, v)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			v, err := audit.VerifyEnte(ctx, tn.EnteID, cp)
			if err != nil || !v.Valid || v.Records < 100_000 {
				b.Fatalf("verify: %v %+v", err, v)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/verify")
	})
}
