package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/service"
)

// TestAuditAnchorsThroughHTTP: the OIV reads the public key, downloads the latest checkpoint, and the API
// verification fails once the trail is cut short behind the checkpoint, even with the head recomputed.
func TestAuditAnchorsThroughHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		signer, _ := auditanchor.GenerateKey()
		dir := &auditanchor.Dir{Path: t.TempDir()}
		var audit *service.Audit
		s := newServer(t, db, func(d *httpapi.Deps) {
			audit = d.Audit
			d.Audit.SetAnchoring(service.AnchorConfig{Signer: signer, Dir: dir, Version: "test"})
		})
		oiv, dir1 := s.login("oiv"), s.login("dir1")
		audit.WriteCheckpoints(context.Background(), "test")

		var key service.PublicKeyInfo
		decode(t, s.get("/api/v1/audit/public-key", oiv), &key)
		if key.Fingerprint != signer.Public().Fingerprint() || !strings.HasPrefix(key.PEM, "-----BEGIN PUBLIC KEY-----") {
			t.Fatalf("public key %+v", key)
		}
		decodeProblem(t, s.get("/api/v1/audit/public-key", dir1), 403, "forbidden")

		rec := s.get("/api/v1/audit/checkpoints/latest", oiv)
		cp, err := auditanchor.Parse(rec.Body.Bytes())
		if rec.Code != 200 || err != nil || signer.Public().Verify(cp) != nil || cp.EnteCode != "cciaa-basilicata" ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), "audit-checkpoint-cciaa-basilicata.json") {
			t.Fatalf("latest checkpoint: %d %v %+v", rec.Code, err, cp)
		}

		var v struct {
			Valid      bool                    `json:"valid"`
			Checkpoint *auditanchor.Checkpoint `json:"checkpoint"`
			PublicKey  *service.PublicKeyInfo  `json:"public_key"`
			Break      *struct {
				Code string `json:"code"`
			} `json:"break"`
		}
		decode(t, s.get("/api/v1/audit/verify", oiv), &v)
		if !v.Valid || v.Checkpoint == nil || v.Checkpoint.HeadSeq != cp.HeadSeq || v.PublicKey == nil {
			t.Fatalf("verify %+v", v)
		}

		// The attacker removes the records after the first ten and points the head at record ten.
		stmts := []string{"DROP TRIGGER audit_log_no_delete", "DROP TRIGGER audit_heads_forward"}
		if db.Dialect == database.Postgres {
			stmts = []string{"ALTER TABLE audit_log DISABLE TRIGGER USER", "ALTER TABLE audit_heads DISABLE TRIGGER USER"}
		}
		stmts = append(stmts, "DELETE FROM audit_log WHERE ente_id = '"+cp.EnteID+"' AND seq > 10",
			"UPDATE audit_heads SET seq = 10, hash = (SELECT hash FROM audit_log WHERE ente_id = '"+cp.EnteID+"' AND seq = 10) WHERE ente_id = '"+cp.EnteID+"'")
		for _, q := range stmts {
			if err := db.Gorm.Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		v.Break = nil
		decode(t, s.get("/api/v1/audit/verify", oiv), &v)
		if v.Valid || v.Break == nil || v.Break.Code != "anchor_missing" {
			t.Fatalf("verify of the truncated trail %+v", v)
		}
	})
}
