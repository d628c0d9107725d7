package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/document/doctest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// rewriteTrail plays the attacker who can write the database: it replaces the ente's whole trail with what
// change makes of it, recomputing every hash and the head, so the chain alone still verifies.
func rewriteTrail(t *testing.T, db *database.DB, s *store.Store, enteID string, change func([]domain.AuditRecord) []domain.AuditRecord) {
	t.Helper()
	ctx := context.Background()
	var records []domain.AuditRecord
	if err := s.StreamAudit(ctx, enteID, store.AuditFilter{}, func(r domain.AuditRecord) error {
		r.EnteID = enteID
		records = append(records, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	records = change(records)
	withoutAuditGuards(t, db)
	if err := db.Gorm.Exec("DELETE FROM audit_log WHERE ente_id = ?", enteID).Error; err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i := range records {
		r := &records[i]
		r.Seq, r.PrevHash = int64(i+1), prev
		r.Hash = r.ComputeHash()
		prev = r.Hash
		if err := db.Gorm.Exec(`INSERT INTO audit_log (ente_id, seq, at, actor_id, actor_name, client_addr, request_id,
			entity, entity_id, action, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			enteID, r.Seq, r.At, r.ActorID, r.ActorName, r.ClientAddr, r.RequestID, r.Entity, r.EntityID, r.Action,
			r.Before, r.After, r.PrevHash, r.Hash).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Gorm.Exec("UPDATE audit_heads SET seq = ?, hash = ? WHERE ente_id = ?", int64(len(records)), prev, enteID).Error; err != nil {
		t.Fatal(err)
	}
}

// attacks rewrite the trail consistently: each leaves a chain that verifies on its own.
var attacks = []struct {
	name   string
	change func([]domain.AuditRecord) []domain.AuditRecord
}{
	{"rewrite", func(rs []domain.AuditRecord) []domain.AuditRecord {
		rs[1].ActorName = "qualcun altro"
		return rs
	}},
	{"remove", func(rs []domain.AuditRecord) []domain.AuditRecord { return append(rs[:1], rs[2:]...) }},
	{"truncate", func(rs []domain.AuditRecord) []domain.AuditRecord { return rs[:2] }},
	{"delete all", func([]domain.AuditRecord) []domain.AuditRecord { return nil }},
}

// TestCheckpointAnchorsTheChain: a trail rewritten with every hash recomputed verifies on its own, but not
// against a signed checkpoint taken before.
func TestCheckpointAnchorsTheChain(t *testing.T) {
	want := map[string]string{"rewrite": "anchor_mismatch", "remove": "anchor_missing", "truncate": "anchor_missing", "delete all": "trail_empty"}
	for _, at := range attacks {
		t.Run(at.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				x, audit := auditFixture(t, db)
				ctx := context.Background()
				signer, _ := auditanchor.GenerateKey()
				cp, v, err := audit.Checkpoint(ctx, signer, x.tn.EnteID, x.tn.EnteCode, "test")
				if err != nil || cp.HeadSeq < 4 || cp.HeadSeq != v.Head || cp.HeadHash == "" || cp.EnteCode != x.tn.EnteCode {
					t.Fatalf("checkpoint %+v %v", cp, err)
				}
				if err := signer.Public().Verify(cp); err != nil {
					t.Fatal(err)
				}
				if v, _ := audit.VerifyEnte(ctx, x.tn.EnteID, cp); !v.Valid || len(v.Anchors) != 1 {
					t.Fatalf("intact chain against its checkpoint: %+v", v)
				}
				rewriteTrail(t, db, x.store, x.tn.EnteID, at.change)
				if v, _ := audit.VerifyEnte(ctx, x.tn.EnteID); !v.Valid {
					t.Fatalf("the rewritten chain should verify on its own (that is the weakness): %+v", v.Break)
				}
				v, err = audit.VerifyEnte(ctx, x.tn.EnteID, cp)
				if err != nil || v.Valid || v.Break.Code != want[at.name] {
					t.Fatalf("rewritten chain against the checkpoint: %+v %+v %v", v, v.Break, err)
				}
				// No checkpoint is signed over a chain that does not extend the last one.
				if _, _, err := audit.Checkpoint(ctx, signer, x.tn.EnteID, x.tn.EnteCode, "test", cp); !errors.Is(err, service.ErrChainNotVerified) {
					t.Fatalf("checkpoint of a tampered chain: %v", err)
				}
			})
		})
	}
}

// adoptFixture adopts cycle 2026-2028 (every leaf excluded) and returns the lifecycle service.
func adoptFixture(t *testing.T, x registerFixture) *service.Cycles {
	t.Helper()
	ctx := context.Background()
	cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
	for _, code := range []string{"A1.1.1.1", "A1.1.1.2", "B2.1 BIS", "B2.2.1.1"} {
		if _, err := cycles.Exclude(ctx, x.rpct, "2026-2028", code, "Escluso per la prova dell'ancoraggio"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
		t.Fatal(err)
	}
	return cycles
}

// TestSnapshotHeadAnchorsTheChain: the audit head frozen in an adopted snapshot is an anchor even without any
// checkpoint; an empty trail for an ente with a snapshot is a failure, never "0 records intact".
func TestSnapshotHeadAnchorsTheChain(t *testing.T) {
	want := map[string]string{"rewrite": "anchor_mismatch", "remove": "anchor_mismatch", "truncate": "anchor_missing", "delete all": "trail_empty"}
	for _, at := range attacks {
		t.Run(at.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				x, audit := auditFixture(t, db)
				ctx := context.Background()
				cycles := adoptFixture(t, x)
				if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "7", Date: "2027-01-10"}); err != nil {
					t.Fatal(err)
				}
				v, err := audit.Verify(ctx, x.oiv)
				if err != nil || !v.Valid || len(v.Anchors) != 1 || v.Anchors[0].Source != "snapshot of cycle 2026-2028" || v.Anchors[0].Seq < 4 {
					t.Fatalf("intact chain with its snapshot: %+v %v", v, err)
				}
				rewriteTrail(t, db, x.store, x.tn.EnteID, at.change)
				v, err = audit.Verify(ctx, x.oiv)
				if err != nil || v.Valid || v.Break.Code != want[at.name] || v.Records == v.Head && v.Valid {
					t.Fatalf("rewritten chain against the snapshot: %+v %+v %v", v, v.Break, err)
				}
			})
		})
	}
}

// TestServerCheckpoints: with a key and a folder, adoption and publication write a checkpoint, the API
// verification checks the chain against the latest one, the OIV downloads it, and a replaced file fails.
func TestServerCheckpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db)
		ctx := context.Background()
		if _, err := audit.LatestCheckpoint(ctx, x.oiv); domain.CodeOf(err) != "checkpoint_not_found" || audit.PublicKey() != nil {
			t.Fatalf("without a key: %v", err)
		}
		signer, _ := auditanchor.GenerateKey()
		dir := &auditanchor.Dir{Path: t.TempDir()}
		audit.SetAnchoring(service.AnchorConfig{Signer: signer, Dir: dir, Version: "v-test"})
		cycles := adoptFixture(t, x)
		cycles.CheckpointWith(audit)
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "7", Date: "2027-01-10"}); err != nil {
			t.Fatal(err)
		}
		afterAdoption, _, err := dir.Latest(x.tn.EnteID)
		headSeq, headHash, _ := x.store.AuditHead(ctx, x.tn.EnteID)
		if err != nil || afterAdoption.HeadSeq != headSeq || afterAdoption.HeadHash != headHash || afterAdoption.SoftwareVersion != "v-test" {
			t.Fatalf("checkpoint at adoption: %+v (head %d) %v", afterAdoption, headSeq, err)
		}
		if _, err := cycles.Publish(ctx, x.rpct, "2026-2028", service.PublicationInput{URL: "https://ente.example/piao", Date: "2027-02-01"}); err != nil {
			t.Fatal(err)
		}
		latest, raw, _ := dir.Latest(x.tn.EnteID)
		if latest.HeadSeq != afterAdoption.HeadSeq+1 {
			t.Fatalf("checkpoint at publication: %+v", latest)
		}
		files, _ := os.ReadDir(filepath.Join(dir.Path, x.tn.EnteID))
		if len(files) != 3 { // two checkpoints and latest.json
			t.Fatalf("checkpoint files: %v", files)
		}
		v, err := audit.Verify(ctx, x.oiv)
		if err != nil || !v.Valid || v.Checkpoint == nil || v.Checkpoint.HeadSeq != latest.HeadSeq || len(v.Anchors) != 2 ||
			v.PublicKey == nil || v.PublicKey.Fingerprint != signer.Public().Fingerprint() {
			t.Fatalf("verify with the server's checkpoint: %+v %v", v, err)
		}
		got, err := audit.LatestCheckpoint(ctx, x.oiv)
		if err != nil || string(got) != string(raw) {
			t.Fatalf("download: %v", err)
		}
		if _, err := audit.LatestCheckpoint(ctx, x.dir1); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director downloads the checkpoint: %v", err)
		}
		// Records removed after the publication checkpoint, head recomputed: the API verification fails.
		rewriteTrail(t, db, x.store, x.tn.EnteID, func(rs []domain.AuditRecord) []domain.AuditRecord { return rs[:len(rs)-1] })
		if v, _ := audit.Verify(ctx, x.oiv); v.Valid || v.Break.Code != "anchor_missing" {
			t.Fatalf("truncated after the checkpoint: %+v", v.Break)
		}
		// A checkpoint file replaced by one the key did not sign.
		forged := strings.Replace(string(raw), `"head_seq": `, `"head_seq": 1`, 1)
		if err := os.WriteFile(filepath.Join(dir.Path, x.tn.EnteID, auditanchor.LatestName), []byte(forged), 0o600); err != nil {
			t.Fatal(err)
		}
		if v, _ := audit.Verify(ctx, x.oiv); v.Valid || v.Break.Code != "checkpoint_invalid" {
			t.Fatalf("forged checkpoint file: %+v", v)
		}
	})
}

// TestDailyCheckpointsEveryEnte: the daily run writes one checkpoint per ente with a trail.
func TestDailyCheckpointsEveryEnte(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db)
		other := x.tenant(t, "ente-b")
		signer, _ := auditanchor.GenerateKey()
		dir := &auditanchor.Dir{Path: t.TempDir()}
		audit.SetAnchoring(service.AnchorConfig{Signer: signer, Dir: dir, Version: "v-test"})
		audit.WriteCheckpoints(context.Background(), "daily")
		for _, id := range []string{x.tn.EnteID, other.EnteID} {
			c, _, err := dir.Latest(id)
			if err != nil || signer.Public().Verify(c) != nil {
				t.Fatalf("ente %s: %+v %v", id, c, err)
			}
		}
	})
}

// TestAuditHeadOnlyMovesForward: even with direct database access (short of dropping the triggers, which the
// application role cannot do), a chain head is never rolled back, pointed elsewhere or deleted.
func TestAuditHeadOnlyMovesForward(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db)
		id := x.tn.EnteID
		before, _ := audit.VerifyEnte(context.Background(), id)
		for _, c := range []struct {
			sql  string
			args []any
		}{
			{"UPDATE audit_heads SET seq = 2, hash = (SELECT hash FROM audit_log WHERE ente_id = ? AND seq = 2) WHERE ente_id = ?", []any{id, id}},
			{"UPDATE audit_heads SET seq = seq + 1, hash = 'forged' WHERE ente_id = ?", []any{id}},
			{"UPDATE audit_heads SET seq = 0, hash = '' WHERE ente_id = ?", []any{id}},
			{"DELETE FROM audit_heads WHERE ente_id = ?", []any{id}},
			{"INSERT INTO audit_heads (ente_id, seq, hash) VALUES ('00000000-0000-0000-0000-000000000001', 5, 'x')", nil},
		} {
			if err := db.Gorm.Exec(c.sql, c.args...).Error; err == nil || !strings.Contains(err.Error(), "audit_heads") {
				t.Errorf("%s: %v", c.sql, err)
			}
		}
		if db.Dialect == database.Postgres {
			if err := db.Gorm.Exec("TRUNCATE audit_heads").Error; err == nil || !strings.Contains(err.Error(), "audit_heads") {
				t.Errorf("TRUNCATE: %v", err)
			}
		}
		// The application still appends.
		if _, err := x.meths.Choose(context.Background(), x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2019-5"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := audit.VerifyEnte(context.Background(), id); !v.Valid || v.Head != before.Head+1 {
			t.Fatalf("after the refused changes: %+v", v)
		}
	})
}

// TestAdoptedDocumentsPrintTheAuditHead: the adopted register's PDF and JSON carry the snapshot hash and the
// audit head the snapshot froze, so the published document is itself an anchor of the trail.
func TestAdoptedDocumentsPrintTheAuditHead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, _ := auditFixture(t, db)
		ctx := context.Background()
		cycles := adoptFixture(t, x)
		adopted, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "7", Date: "2027-01-10"})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := cycles.Snapshot(ctx, x.oiv, "2026-2028")
		if err != nil || snap.AuditHeadSeq < 4 || len(snap.AuditHeadHash) != 64 {
			t.Fatalf("snapshot %+v %v", snap, err)
		}
		src, err := cycles.ExportSource(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			SnapshotHash string `json:"hash_registro_adottato"`
			AuditSeq     int64  `json:"audit_record_adozione"`
			AuditHash    string `json:"audit_hash_adozione"`
		}
		data := render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteJSON(b, s) })
		if err := json.Unmarshal(data, &doc); err != nil || doc.SnapshotHash != adopted.SnapshotHash ||
			doc.AuditSeq != snap.AuditHeadSeq || doc.AuditHash != snap.AuditHeadHash {
			t.Fatalf("json head %+v %v", doc, err)
		}
		// The annex (the same model gives ODT, DOCX and PDF) prints them on its cover.
		annex, err := cycles.RegisterAnnex(ctx, x.oiv, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		var odt bytes.Buffer
		if err := document.WriteODT(&odt, annex.Doc); err != nil {
			t.Fatal(err)
		}
		cover, _, _ := doctest.ODTText(t, odt.Bytes())
		doctest.InOrder(t, cover, adopted.SnapshotHash, fmt.Sprintf("record n. %d, impronta SHA-256", snap.AuditHeadSeq), snap.AuditHeadHash)
		// What the document prints is what the verification holds the chain to.
		v, _ := service.NewAudit(x.store, x.authz).VerifyEnte(ctx, x.tn.EnteID)
		if !v.Valid || len(v.Anchors) != 1 || v.Anchors[0].Seq != doc.AuditSeq || v.Anchors[0].Hash != doc.AuditHash {
			t.Fatalf("anchors %+v", v)
		}
	})
}

// TestPublishedRegisterAnchorsTheChain: an attacker who rewrites the trail and the snapshot's recorded head
// too passes the database's own anchors, but not the head printed in the published register document.
func TestPublishedRegisterAnchorsTheChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, audit := auditFixture(t, db)
		ctx := context.Background()
		cycles := adoptFixture(t, x)
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "7", Date: "2027-01-10"}); err != nil {
			t.Fatal(err)
		}
		src, _ := cycles.ExportSource(ctx, x.oiv, "2026-2028")
		var published service.PublishedHead
		if err := json.Unmarshal(render(t, src, func(b *bytes.Buffer, s export.Source) error { return export.WriteJSON(b, s) }), &published); err != nil {
			t.Fatal(err)
		}
		if v, _ := audit.VerifyDocuments(ctx, x.tn.EnteID, nil, []service.PublishedHead{published}); !v.Valid || len(v.Anchors) != 2 {
			t.Fatalf("intact chain with its published register: %+v", v)
		}
		rewriteTrail(t, db, x.store, x.tn.EnteID, func(rs []domain.AuditRecord) []domain.AuditRecord {
			rs[1].ActorName = "qualcun altro"
			return rs
		})
		var newHash string
		db.Gorm.Raw("SELECT hash FROM audit_log WHERE ente_id = ? AND seq = ?", x.tn.EnteID, published.Seq).Scan(&newHash)
		if err := db.Gorm.Exec("UPDATE cycle_snapshots SET audit_head_hash = ? WHERE ente_id = ?", newHash, x.tn.EnteID).Error; err != nil {
			t.Fatal(err)
		}
		if v, _ := audit.VerifyEnte(ctx, x.tn.EnteID); !v.Valid {
			t.Fatalf("with the snapshot rewritten too, the database's anchors pass (the weakness): %+v", v.Break)
		}
		v, err := audit.VerifyDocuments(ctx, x.tn.EnteID, nil, []service.PublishedHead{published})
		if err != nil || v.Valid || v.Break.Code != "anchor_mismatch" || v.Break.Seq != published.Seq {
			t.Fatalf("against the published register: %+v %v", v.Break, err)
		}
	})
}
