package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// liftAuditGuards plays the attacker with the owner's rights: the triggers protecting the trail go.
func liftAuditGuards(t *testing.T, db *database.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete", "DROP TRIGGER audit_heads_forward", "DROP TRIGGER audit_heads_no_delete"}
	if db.Dialect == database.Postgres {
		stmts = []string{"ALTER TABLE audit_log DISABLE TRIGGER USER", "ALTER TABLE audit_heads DISABLE TRIGGER USER"}
	}
	for _, s := range stmts {
		if err := db.Gorm.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditCheckpointCommands: keygen, a signed checkpoint, and verify failing once the trail is rewritten
// consistently (every hash recomputed) or deleted, which the chain alone cannot see.
func TestAuditCheckpointCommands(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		dir := t.TempDir()
		env := map[string]string{"ARGINE_DATABASE_URL": dbURL}
		if r := argine(t, env, "ente", "create", "--create", "--code", "ente-a", "--name", "Ente A"); r.code != 0 {
			t.Fatalf("ente: %+v", r)
		}
		prefix := filepath.Join(dir, "audit")
		r := argine(t, env, "audit", "keygen", "--out", prefix)
		if r.code != 0 || !strings.Contains(r.stdout, "fingerprint: ") {
			t.Fatalf("keygen: %+v", r)
		}
		if st, err := os.Stat(prefix + ".key"); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", st, err)
		}
		if r := argine(t, env, "audit", "keygen", "--out", prefix); r.code != 1 || !strings.Contains(r.stderr, "exists") {
			t.Fatalf("keygen over an existing key: %+v", r)
		}
		cpFile := filepath.Join(dir, "cp.json")
		if r := argine(t, env, "audit", "checkpoint", "--ente", "ente-a", "--out", cpFile); r.code != 1 || !strings.Contains(r.stderr, "ARGINE_AUDIT_SIGNING_KEY") {
			t.Fatalf("checkpoint without a key: %+v", r)
		}
		env["ARGINE_AUDIT_SIGNING_KEY_FILE"] = prefix + ".key"
		if r := argine(t, env, "audit", "checkpoint", "--ente", "ente-a", "--out", cpFile); r.code != 0 || !strings.Contains(r.stdout, "ente-a: checkpoint of record ") {
			t.Fatalf("checkpoint: %+v", r)
		}
		if r := argine(t, env, "audit", "checkpoint", "--out", filepath.Join(dir, "all")); r.code != 0 {
			t.Fatalf("checkpoint of every ente: %+v", r)
		}
		if _, err := auditanchor.ReadFile(filepath.Join(dir, "all", "ente-a.json")); err != nil {
			t.Fatal(err)
		}
		delete(env, "ARGINE_AUDIT_SIGNING_KEY_FILE") // the verifier needs only the public key
		// A published register JSON printing the head (here: the current head, as if adopted just now).
		cp, _ := auditanchor.ReadFile(cpFile)
		regFile := filepath.Join(dir, "registro.json")
		os.WriteFile(regFile, []byte(fmt.Sprintf(`{"ente":"ente-a","ciclo":"2026-2028","adottato":true,"audit_record_adozione":%d,"audit_hash_adozione":%q,"righe":[
{"codice":"A1"}]}`, cp.HeadSeq, cp.HeadHash)), 0o644)
		if r := argine(t, env, "audit", "verify", "--register", regFile); r.code != 0 || !strings.Contains(r.stdout, "and 1 published register(s)") {
			t.Fatalf("verify with the published register: %+v", r)
		}
		os.WriteFile(filepath.Join(dir, "draft.json"), []byte(`{"ente":"ente-a","adottato":false}`), 0o644)
		if r := argine(t, env, "audit", "verify", "--register", filepath.Join(dir, "draft.json")); r.code != 1 || !strings.Contains(r.stderr, "adopted register") {
			t.Fatalf("verify with a draft register: %+v", r)
		}
		verify := func(extra ...string) run {
			return argine(t, env, append([]string{"audit", "verify", "--checkpoint", cpFile, "--public-key", prefix + ".pub"}, extra...)...)
		}
		if r := verify(); r.code != 0 || !strings.Contains(r.stdout, " records, chain intact, holding the heads of 0 snapshot(s) and 1 checkpoint(s)") {
			t.Fatalf("verify: %+v", r)
		}
		if r := argine(t, env, "audit", "verify", "--checkpoint", cpFile); r.code != 1 || !strings.Contains(r.stderr, "--public-key") {
			t.Fatalf("verify without a key: %+v", r)
		}
		// A checkpoint signed by someone else's key is no evidence.
		other, _ := auditanchor.GenerateKey()
		os.WriteFile(filepath.Join(dir, "other.pub"), other.Public().PEM(), 0o644)
		if r := argine(t, env, "audit", "verify", "--checkpoint", cpFile, "--public-key", filepath.Join(dir, "other.pub")); r.code != 1 || !strings.Contains(r.stdout, "INVALID checkpoint") {
			t.Fatalf("verify with another key: %+v", r)
		}
		// The attacker rewrites the last record with a recomputed hash: the chain alone verifies, the checkpoint does not.
		db := dbtest.Open(t, dbURL)
		liftAuditGuards(t, db)
		s := store.New(db)
		var rec domain.AuditRecord
		ente, _ := s.EnteByCode(context.Background(), "ente-a")
		s.StreamAudit(context.Background(), ente.ID, store.AuditFilter{}, func(r domain.AuditRecord) error { rec = r; return nil })
		rec.EnteID, rec.ActorName = ente.ID, "qualcun altro"
		rec.Hash = rec.ComputeHash()
		if err := db.Gorm.Exec("UPDATE audit_log SET actor_name = ?, hash = ? WHERE ente_id = ? AND seq = ?", rec.ActorName, rec.Hash, ente.ID, rec.Seq).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("UPDATE audit_heads SET hash = ? WHERE ente_id = ?", rec.Hash, ente.ID).Error; err != nil {
			t.Fatal(err)
		}
		if r := argine(t, env, "audit", "verify", "--ente", "ente-a"); r.code != 0 {
			t.Fatalf("the rewritten chain verifies on its own: %+v", r)
		}
		if r := verify(); r.code != 1 || !strings.Contains(r.stdout, fmt.Sprintf("ente-a: BROKEN at record %d [anchor_mismatch]", rec.Seq)) {
			t.Fatalf("verify of the rewritten trail: %+v", r)
		}
		if r := argine(t, env, "audit", "verify", "--register", regFile); r.code != 1 || !strings.Contains(r.stdout, "[anchor_mismatch]") {
			t.Fatalf("verify of the rewritten trail against the published register: %+v", r)
		}
		// The whole trail deleted: never "0 records intact" against a checkpoint.
		if err := db.Gorm.Exec("DELETE FROM audit_log").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("DELETE FROM audit_heads").Error; err != nil {
			t.Fatal(err)
		}
		if r := verify("--ente", "ente-a"); r.code != 1 || !strings.Contains(r.stdout, "[trail_empty]") {
			t.Fatalf("verify of a deleted trail: %+v", r)
		}
		// The ente itself deleted too: the checkpoint still names what must be there.
		if err := db.Gorm.Exec("DELETE FROM entes").Error; err == nil {
			if r := verify(); r.code != 1 || !strings.Contains(r.stdout, "ente-a (ente not in the database): BROKEN at record 1 [trail_empty]") {
				t.Fatalf("verify after the ente was deleted: %+v", r)
			}
		}
	})
}

func randomName(t *testing.T) string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "argine_app_" + hex.EncodeToString(b)
}

// TestMigrateAppRole: on PostgreSQL `migrate up --app-role` leaves the application role able to run (start,
// append audit records) but never able to UPDATE, DELETE or TRUNCATE the trail, move a head back, or drop the
// triggers guarding it.
func TestMigrateAppRole(t *testing.T) {
	if r := argine(t, map[string]string{"ARGINE_DATABASE_URL": dbtest.SQLiteURL(t)}, "migrate", "up", "--app-role", "argine_app"); r.code != 1 || !strings.Contains(r.stderr, "PostgreSQL only") {
		t.Fatalf("--app-role on SQLite: %+v", r)
	}
	ownerURL := dbtest.PostgresURL(t)
	owner := dbtest.Open(t, ownerURL)
	role := randomName(t)
	if err := owner.Gorm.Exec("CREATE ROLE " + role + " LOGIN").Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = owner.Gorm.Exec("DROP OWNED BY " + role).Error
		_ = owner.Gorm.Exec("DROP ROLE " + role).Error
	})
	env := map[string]string{"ARGINE_DATABASE_URL": ownerURL}
	if r := argine(t, env, "migrate", "up", "--app-role", "Robert'); DROP TABLE x;--"); r.code != 1 || !strings.Contains(r.stderr, "role name") {
		t.Fatalf("bad role name: %+v", r)
	}
	if r := argine(t, env, "migrate", "up", "--app-role", role); r.code != 0 || !strings.Contains(r.stdout, "role "+role+" granted") {
		t.Fatalf("migrate --app-role: %+v", r)
	}
	if r := argine(t, env, "ente", "create", "--create", "--code", "ente-a", "--name", "Ente A"); r.code != 0 {
		t.Fatalf("ente: %+v", r)
	}
	u, _ := url.Parse(ownerURL)
	u.User = url.User(role)
	app := dbtest.Open(t, u.String())
	ctx := context.Background()
	if n, err := app.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("the application role starts (no pending migration): %d %v", n, err)
	}
	s := store.New(app)
	ente, err := s.EnteByCode(ctx, "ente-a")
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := s.AuditHead(ctx, ente.ID)
	err = s.WithTx(ctx, func(tx *store.Store) error {
		return tx.AppendAudit(ctx, &domain.AuditRecord{EnteID: ente.ID, At: domain.AuditTime(time.Now()), ActorID: "u", ActorName: "u",
			Entity: "test", EntityID: "1", Action: "append"})
	})
	if err != nil {
		t.Fatalf("the application role appends: %v", err)
	}
	if seq, _, _ := s.AuditHead(ctx, ente.ID); seq != before+1 {
		t.Fatalf("head after the append: %d", seq)
	}
	for _, sql := range []string{
		"UPDATE audit_log SET actor_name = 'x'",
		"DELETE FROM audit_log",
		"TRUNCATE audit_log",
		"DELETE FROM audit_heads",
		"TRUNCATE audit_heads",
		"ALTER TABLE audit_log DISABLE TRIGGER USER",
		"DROP TRIGGER audit_heads_guard ON audit_heads",
		"INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, true)",
	} {
		if err := app.Gorm.Exec(sql).Error; err == nil || !(strings.Contains(err.Error(), "permission denied") || strings.Contains(err.Error(), "must be owner")) {
			t.Errorf("the application role ran %q: %v", sql, err)
		}
	}
	if err := app.Gorm.Exec("UPDATE audit_heads SET seq = 1, hash = (SELECT hash FROM audit_log WHERE seq = 1) WHERE ente_id = ?", ente.ID).Error; err == nil || !strings.Contains(err.Error(), "only moves forward") {
		t.Errorf("the application role moved a head back: %v", err)
	}
	r := argine(t, env, "audit", "verify", "--ente", "ente-a")
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("%d records, chain intact", before+1)) {
		t.Fatalf("verify: %+v", r)
	}
}

// serveBriefly starts the server, waits until it answers, runs check, and stops it.
func serveBriefly(t *testing.T, env map[string]string, check func(stderr func() string)) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errOut lockedBuffer
	go func() {
		done <- Run(ctx, []string{"serve", "--addr", addr}, Env{Stdout: &lockedBuffer{}, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	}()
	up := false
	for i := 0; i < 400 && !up; i++ {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			up = true
		} else {
			time.Sleep(25 * time.Millisecond)
		}
	}
	if !up {
		cancel()
		<-done
		t.Fatalf("server did not come up:\n%s", errOut.String())
	}
	check(errOut.String)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, errOut.String())
	}
}

// TestServeWritesCheckpoints: with a key and a folder the server checkpoints every ente at start-up; without,
// it says plainly that it does not.
func TestServeWritesCheckpoints(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		dir := t.TempDir()
		env := map[string]string{"ARGINE_DATABASE_URL": dbURL, "ARGINE_JWT_SECRET": strings.Repeat("s", 40)}
		if r := argine(t, env, "ente", "create", "--create", "--code", "ente-a", "--name", "Ente A"); r.code != 0 {
			t.Fatalf("ente: %+v", r)
		}
		serveBriefly(t, env, func(stderr func() string) {
			if !strings.Contains(stderr(), "audit checkpoints are off") {
				t.Errorf("no warning without a key:\n%s", stderr())
			}
		})
		if r := argine(t, env, "audit", "keygen", "--out", filepath.Join(dir, "k")); r.code != 0 {
			t.Fatalf("keygen: %+v", r)
		}
		env["ARGINE_AUDIT_SIGNING_KEY_FILE"] = filepath.Join(dir, "k.key")
		env["ARGINE_AUDIT_CHECKPOINT_DIR"] = filepath.Join(dir, "checkpoints")
		serveBriefly(t, env, func(stderr func() string) {
			// The start-up checkpoint is written in the background: wait for it (bounded).
			for i := 0; i < 400 && !strings.Contains(stderr(), "audit checkpoint written"); i++ {
				time.Sleep(25 * time.Millisecond)
			}
			if !strings.Contains(stderr(), "audit checkpoints on") || !strings.Contains(stderr(), "audit checkpoint written") {
				t.Fatalf("no start-up checkpoint:\n%s", stderr())
			}
		})
		files, _ := filepath.Glob(filepath.Join(dir, "checkpoints", "*", auditanchor.LatestName))
		if len(files) != 1 {
			t.Fatalf("latest checkpoints %v", files)
		}
		pubPEM, _ := os.ReadFile(filepath.Join(dir, "k.pub"))
		pub, _ := auditanchor.ParsePublicKey(string(pubPEM))
		if c, err := auditanchor.ReadFile(files[0]); err != nil || pub.Verify(c) != nil || c.EnteCode != "ente-a" {
			t.Fatalf("start-up checkpoint %+v %v", c, err)
		}
	})
}

// lockedBuffer is a bytes.Buffer the server's goroutines and the test may use at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
