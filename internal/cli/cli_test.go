package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/config"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/migrations"
)

type run struct {
	code           int
	stdout, stderr string
}

func argine(t *testing.T, env map[string]string, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	return run{code, out.String(), errOut.String()}
}

func TestEverySubcommandHasHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"processmap", "--help"},
		{"processmap", "import", "--help"}, {"processmap", "export", "--help"}, {"processmap", "validate", "--help"},
		{"register", "--help"}, {"register", "import", "--help"},
		{"ente", "--help"}, {"cycle", "--help"}, {"demo", "--help"}, {"version", "--help"},
	} {
		r := argine(t, map[string]string{"ARGINE_DATABASE_URL": "postgres://argine:s3cret@db/argine"}, args...)
		if strings.Contains(r.stdout+r.stderr, "s3cret") {
			t.Errorf("argine %v prints the database password", args)
		}
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: argine") {
			t.Errorf("argine %v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := argine(t, nil, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: %+v", r)
	}
	if r := argine(t, nil, "migrate", "sideways"); r.code != 2 {
		t.Errorf("bad migrate action: %+v", r)
	}
	if r := argine(t, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "argine ") {
		t.Errorf("version: %+v", r)
	}
}

// A release binary says its version, the commit it was built from and that commit's date (make release sets
// them with -ldflags), so an ente can tell exactly what it runs.
func TestVersionSaysCommitAndDate(t *testing.T) {
	oldV, oldC, oldD := version, commit, date
	t.Cleanup(func() { version, commit, date = oldV, oldC, oldD })
	version, commit, date = "v9.8.7", "0123456789ab", "2026-12-03T05:00:00Z"
	r := argine(t, nil, "version")
	want := "argine v9.8.7\ncommit 0123456789ab\ndate 2026-12-03T05:00:00Z\nbuilt with " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("version: %q, want %q", r.stdout, want)
	}
}

func TestMigrateCommands(t *testing.T) {
	entries, err := fs.ReadDir(migrations.FS, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	n := len(entries)
	// Version numbers may have gaps (a number reserved and not used): the last file names the newest version.
	var last int
	if _, err := fmt.Sscanf(entries[n-1].Name(), "%05d_", &last); err != nil {
		t.Fatal(err)
	}
	dbtest.EachURL(t, func(t *testing.T, url string) {
		env := map[string]string{"ARGINE_DATABASE_URL": url}
		if r := argine(t, env, "migrate", "up"); r.code != 0 || r.stdout != fmt.Sprintf("%d migration(s) applied\n", n) {
			t.Fatalf("up: %+v", r)
		}
		if r := argine(t, env, "migrate", "status"); r.code != 0 || strings.Count(r.stdout, "applied") != n {
			t.Fatalf("status: %+v", r)
		}
		if r := argine(t, env, "migrate", "down"); r.code != 0 || r.stdout != fmt.Sprintf("rolled back version %d\n", last) {
			t.Fatalf("down: %+v", r)
		}
		if r := argine(t, env, "migrate", "status"); !strings.Contains(r.stdout, "pending") {
			t.Fatalf("status after down: %+v", r)
		}
	})
}

// TestImportExportCommands drives the documented workflow: demo, export in both formats, import the export
// into another ente, re-import as a no-op, and a bad file reported with its positions.
func TestImportExportCommands(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		env := map[string]string{"ARGINE_DATABASE_URL": url}
		dir := t.TempDir()
		if r := argine(t, env, "demo"); r.code != 0 || !strings.Contains(r.stdout, "map created") ||
			!strings.Contains(r.stdout, "20 macro-processes, 49 processes, 121 sub-processes, 256 actions (265 leaves)") {
			t.Fatalf("demo: %+v", r)
		}
		if r := argine(t, env, "demo"); r.code != 0 || !strings.Contains(r.stdout, "map unchanged") {
			t.Fatalf("second demo must change nothing: %+v", r)
		}
		if r := argine(t, env, "cycle", "list", "--ente", "cciaa-basilicata"); r.code != 0 || !strings.HasPrefix(r.stdout, "2026-2028\topen\tmap loaded ") {
			t.Fatalf("cycle list: %+v", r)
		}
		if r := argine(t, env, "cycle", "list", "--ente", "nobody"); r.code != 1 || !strings.Contains(r.stderr, "argine ente list") {
			t.Fatalf("cycle list of an unknown ente: %+v", r)
		}
		if r := argine(t, env, "cycle", "list"); r.code != 2 || !strings.Contains(r.stderr, "--ente") {
			t.Fatalf("cycle list without --ente: %+v", r)
		}
		// the demo assessed 46 leaves; --full-register assesses the other 219, and only once
		if r := argine(t, env, "demo", "--full-register"); r.code != 0 || !strings.Contains(r.stdout, "full register: 219 more assessments written") {
			t.Fatalf("demo --full-register: %+v", r)
		}
		if r := argine(t, env, "demo", "--full-register"); r.code != 0 || !strings.Contains(r.stdout, "full register: 0 more assessments written") {
			t.Fatalf("second demo --full-register must write nothing: %+v", r)
		}
		// An existing register, as Italian Excel saves a CSV: dry run, then the import, then again (nothing).
		reg := filepath.Join(dir, "registro.csv")
		os.WriteFile(reg, []byte("\ufeffCodice;Attività / azione;N. rischio;Evento rischioso;Misura;Inizio\n"+
			"I1.1.1.1;Adempimenti e attività di cui all'art. 22 della legge 241/90;1;Diniego di accesso non motivato;Verifica a campione;01/03/2026\n"), 0o644)
		regArgs := []string{"register", "import", "--ente", "cciaa-basilicata", "--cycle", "2026-2028"}
		if r := argine(t, env, append(regArgs, "--dry-run", reg)...); r.code != 0 || !strings.Contains(r.stdout, "dry run: 0 created, 1 updated") {
			t.Fatalf("register import --dry-run: %+v", r)
		}
		if r := argine(t, env, append(regArgs, reg)...); r.code != 0 || !strings.Contains(r.stdout, "imported: 0 created, 1 updated") {
			t.Fatalf("register import: %+v", r)
		}
		if r := argine(t, env, append(regArgs, reg)...); r.code != 0 || !strings.Contains(r.stdout, "0 created, 0 updated, 1 unchanged") {
			t.Fatalf("register import again: %+v", r)
		}
		os.WriteFile(reg, []byte("Codice,N. rischio\nZ9.9,1\n"), 0o644)
		if r := argine(t, env, append(regArgs, reg)...); r.code != 1 || !strings.Contains(r.stderr, "action_unknown") {
			t.Fatalf("register import of an unknown code: %+v", r)
		}
		csvDir := filepath.Join(dir, "csv")
		xlsx := filepath.Join(dir, "map.xlsx")
		if r := argine(t, env, "processmap", "export", "--ente", "cciaa-basilicata", "--cycle", "2026-2028", "--out", csvDir); r.code != 0 {
			t.Fatalf("export csv: %+v", r)
		}
		if r := argine(t, env, "processmap", "export", "--ente", "cciaa-basilicata", "--cycle", "2026-2028", "--format", "xlsx", "--out", xlsx); r.code != 0 {
			t.Fatalf("export xlsx: %+v", r)
		}
		// Exported files are documents to share: 0644, not CreateTemp's 0600.
		for _, p := range []string{xlsx, filepath.Join(csvDir, "process_map.csv"), filepath.Join(csvDir, "units.csv")} {
			if st, err := os.Stat(p); err != nil {
				t.Error(err)
			} else if st.Mode().Perm() != 0o644 {
				t.Errorf("%s: mode %v, want 0644", p, st.Mode().Perm())
			}
		}
		// The export of the demo is the curated seed, byte for byte.
		for _, name := range []string{"process_map.csv", "units.csv", "strategic_objectives.csv", "risk_areas.csv"} {
			got, _ := os.ReadFile(filepath.Join(csvDir, name))
			want, _ := os.ReadFile(filepath.Join("..", "seed", "cciaa-basilicata", "2026-2028", name))
			if !bytes.Equal(got, want) {
				t.Errorf("exported %s differs from the seed file", name)
			}
		}
		if r := argine(t, env, "ente", "create", "--code", "cciaa-test", "--name", "Camera di prova"); r.code != 0 {
			t.Fatalf("ente create: %+v", r)
		}
		if r := argine(t, env, "ente", "list"); !strings.Contains(r.stdout, "cciaa-test\tCamera di prova") {
			t.Fatalf("ente list: %+v", r)
		}
		for _, src := range []string{xlsx, csvDir} {
			r := argine(t, env, "processmap", "import", "--ente", "cciaa-test", "--cycle", "2026-2028", src)
			if r.code != 0 {
				t.Fatalf("import %s: %+v", src, r)
			}
		}
		if r := argine(t, env, "processmap", "import", "--ente", "cciaa-test", "--cycle", "2026-2028", csvDir); !strings.Contains(r.stdout, "unchanged") {
			t.Fatalf("re-import must be a no-op: %+v", r)
		}
		again := filepath.Join(dir, "again")
		argine(t, env, "processmap", "export", "--ente", "cciaa-test", "--cycle", "2026-2028", "--out", again)
		a, _ := os.ReadFile(filepath.Join(csvDir, "process_map.csv"))
		b, _ := os.ReadFile(filepath.Join(again, "process_map.csv"))
		if !bytes.Equal(a, b) {
			t.Fatal("export, import into another ente, export again: the files differ")
		}

		// A broken file: every problem with file, line and column, and nothing written.
		bad := filepath.Join(dir, "bad")
		os.MkdirAll(bad, 0o755)
		for _, name := range []string{"units.csv", "strategic_objectives.csv", "risk_areas.csv"} {
			data, _ := os.ReadFile(filepath.Join(csvDir, name))
			os.WriteFile(filepath.Join(bad, name), data, 0o644)
		}
		os.WriteFile(filepath.Join(bad, "process_map.csv"), []byte(
			"level,code,parent_code,title,function,units,strategic_objectives,risk_areas,marker,note\n"+
				"macro,X1,,Nuovo,Funzione,,,,,\n"+
				"process,X1.1,X9,Processo,Funzione,SG,,,,\n"+
				"process,X1.2,X1,Processo,Funzione,AD7,,Q,,\n"), 0o644)
		r := argine(t, env, "processmap", "import", "--ente", "cciaa-test", "--cycle", "2027-2029", bad)
		for _, want := range []string{"3 problem(s) found, nothing was written",
			"process_map.csv, line 3, column 3 parent_code: unknown parent \"X9\" [parent_unknown]",
			"line 4, column 6 units: unknown unit \"AD7\"", "line 4, column 8 risk_areas: unknown risk area \"Q\""} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		if r.code != 1 {
			t.Errorf("exit %d, want 1", r.code)
		}
		if r := argine(t, env, "processmap", "export", "--ente", "cciaa-test", "--cycle", "2027-2029", "--out", filepath.Join(dir, "none")); r.code != 1 || !strings.Contains(r.stderr, "cycle \"2027-2029\" not found") {
			t.Fatalf("a failed import must not create its cycle: %+v", r)
		}
		if r := argine(t, env, "processmap", "import", "--ente", "nobody", "--cycle", "2026-2028", csvDir); r.code != 1 || !strings.Contains(r.stderr, "argine ente create") {
			t.Fatalf("unknown ente: %+v", r)
		}
	})
}

func freeAddr(t *testing.T) string { return freeAddrB(t) }

func freeAddrB(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeDemo starts the real server with --demo and reads the map through HTTP, then stops it.
func TestServeDemo(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		var errOut bytes.Buffer
		go func() {
			done <- Run(ctx, []string{"serve", "--demo", "--addr", addr, "--log-format", "json"},
				Env{Stdout: &bytes.Buffer{}, Stderr: &errOut, Getenv: func(k string) string {
					return map[string]string{"ARGINE_DATABASE_URL": url}[k]
				}})
		}()
		base := "http://" + addr
		var resp *http.Response
		var err error
		// A bound on calling the server hung, not a budget: the demo loads two cycles (the adopted one with its
		// snapshot) before listening, on a busy machine.
		for i := 0; i < 2400; i++ {
			if resp, err = http.Get(base + "/readyz"); err == nil {
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("server did not come up: %v\n%s", err, errOut.String())
		}
		resp.Body.Close()
		resp, err = http.Post(base+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"username":"dir1","password":"argine-demo-2026"}`))
		if err != nil {
			t.Fatal(err)
		}
		var tokens struct {
			AccessToken string `json:"access_token"`
		}
		json.NewDecoder(resp.Body).Decode(&tokens)
		resp.Body.Close()
		if resp.StatusCode != 200 || tokens.AccessToken == "" {
			t.Fatalf("demo user sign-in: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/cycles/2026-2028/process-map", nil)
		req.Header.Set("Authorization", "Bearer "+tokens.AccessToken)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var tree struct {
			Counts map[string]int `json:"counts"`
		}
		json.NewDecoder(resp.Body).Decode(&tree)
		resp.Body.Close()
		if resp.StatusCode != 200 || tree.Counts["action"] != 256 || tree.Counts["macro"] != 20 {
			t.Fatalf("demo map through HTTP: %d %v", resp.StatusCode, tree.Counts)
		}
		// The demo register was written one assessment at a time: the server refreshed the planner's
		// statistics before listening, as `argine demo` does (without them PostgreSQL plans the register pages
		// as over empty tables).
		if !registerAnalyzed(t, url) {
			t.Error("serve --demo left the register without planner statistics (risk_entries)")
		}
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("serve exited %d: %s", code, errOut.String())
		}
		if !strings.Contains(errOut.String(), "demo users exist") || !strings.Contains(errOut.String(), "argine is ready") {
			t.Fatalf("log lacks the demo warning or the ready line:\n%s", errOut.String())
		}
	})
}

// registerAnalyzed reports whether the planner has statistics of risk_entries: on PostgreSQL the row estimate
// ANALYZE stores in pg_class (-1 or 0 until then), on SQLite rows of sqlite_stat1.
func registerAnalyzed(t *testing.T, url string) bool {
	t.Helper()
	target, err := database.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), target, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := `SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'risk_entries'`
	if db.Dialect == database.Postgres {
		q = `SELECT count(*) FROM pg_class WHERE oid = 'risk_entries'::regclass AND reltuples > 0`
	}
	var n int64
	if err := db.Gorm.Raw(q).Scan(&n).Error; err != nil {
		return false // SQLite: no sqlite_stat1 before the first ANALYZE
	}
	return n > 0
}

func TestConfigFromFileVariant(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "db-url")
	url := dbtest.SQLiteURL(t)
	os.WriteFile(secret, []byte(url+"\n"), 0o600)
	r := argine(t, map[string]string{"ARGINE_DATABASE_URL_FILE": secret}, "migrate", "up")
	if r.code != 0 {
		t.Fatalf("migrate with _FILE: %+v", r)
	}
	if _, err := os.Stat(strings.TrimPrefix(url, "sqlite:")); err != nil {
		t.Fatalf("the database named in the file was not used: %v", err)
	}
	r = argine(t, map[string]string{"ARGINE_DATABASE_URL_FILE": secret, "ARGINE_DATABASE_URL": url}, "migrate", "up")
	if r.code != 1 || !strings.Contains(r.stderr, "both ARGINE_DATABASE_URL and ARGINE_DATABASE_URL_FILE") {
		t.Fatalf("both set: %+v", r)
	}
}

// TestUserCommands is the fresh-install story: create the ente and import its map, then the first RPCT and a
// director from the command line.
func TestUserCommands(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		env := map[string]string{"ARGINE_DATABASE_URL": url}
		pwFile := filepath.Join(t.TempDir(), "pw")
		os.WriteFile(pwFile, []byte("una-frase-lunga-e-sicura\n"), 0o600)
		steps := [][]string{
			{"migrate", "up"}, // a fresh install starts by creating the database (README)
			{"ente", "create", "--code", "cciaa-nuova", "--name", "Camera nuova"},
			{"processmap", "import", "--ente", "cciaa-nuova", "--cycle", "2026-2028", "seed:cciaa-basilicata"},
			{"user", "create", "--ente", "cciaa-nuova", "--username", "rossi", "--full-name", "Mario Rossi", "--role", "rpct", "--password-file", pwFile},
			{"user", "create", "--ente", "cciaa-nuova", "--username", "bianchi", "--role", "director", "--unit", "AD2"},
			{"user", "grant", "--ente", "cciaa-nuova", "--username", "bianchi", "--role", "director", "--unit", "AD3"},
			{"user", "revoke", "--ente", "cciaa-nuova", "--username", "bianchi", "--role", "director", "--unit", "AD2"},
			{"user", "disable", "--ente", "cciaa-nuova", "--username", "bianchi"},
		}
		var generated string
		for _, args := range steps {
			r := argine(t, env, args...)
			if r.code != 0 {
				t.Fatalf("argine %v: %+v", args, r)
			}
			if _, pw, ok := strings.Cut(r.stdout, "password (shown once, change it at first sign-in): "); ok {
				generated = strings.TrimSpace(pw)
			}
		}
		if len(generated) != 23 {
			t.Fatalf("generated password %q", generated)
		}
		r := argine(t, env, "user", "list", "--ente", "cciaa-nuova")
		if !strings.Contains(r.stdout, "bianchi\tdisabled\tdirector@AD3\t") || !strings.Contains(r.stdout, "rossi\tactive\trpct\tMario Rossi") {
			t.Fatalf("list: %q", r.stdout)
		}
		if r := argine(t, env, "user", "create", "--ente", "cciaa-nuova", "--username", "verdi", "--role", "director", "--unit", "AD9"); r.code != 1 || !strings.Contains(r.stderr, "field unit: no organisational unit AD9") || strings.Contains(r.stderr, "grants[") {
			t.Fatalf("unknown unit: %+v", r)
		}
		if r := argine(t, env, "user", "create", "--ente", "cciaa-nuova", "--username", "neri", "--password-file", pwFile+"-weak"); r.code != 1 {
			t.Fatalf("missing password file: %+v", r)
		}
		os.WriteFile(pwFile+"-weak", []byte("password1234"), 0o600)
		if r := argine(t, env, "user", "reset-password", "--ente", "cciaa-nuova", "--username", "rossi", "--password-file", pwFile+"-weak"); r.code != 1 || !strings.Contains(r.stderr, "password_common") {
			t.Fatalf("weak password: %+v", r)
		}
		if r := argine(t, env, "user", "reset-password", "--ente", "cciaa-nuova", "--username", "rossi"); r.code != 0 || !strings.Contains(r.stdout, "new password (shown once)") {
			t.Fatalf("reset: %+v", r)
		}
		// The operator's path does what the app needs two people for (RPCT and OIV roles, their accounts), but
		// keeps the role rules: the last active RPCT stays, the OIV holds no other role.
		if r := argine(t, env, "user", "revoke", "--ente", "cciaa-nuova", "--username", "rossi", "--role", "rpct"); r.code != 1 || !strings.Contains(r.stderr, "last active RPCT") {
			t.Fatalf("revoke of the last RPCT: %+v", r)
		}
		for _, args := range [][]string{
			{"user", "create", "--ente", "cciaa-nuova", "--username", "gialli", "--role", "oiv"},
			{"user", "reset-password", "--ente", "cciaa-nuova", "--username", "gialli"},
			{"user", "disable", "--ente", "cciaa-nuova", "--username", "gialli"},
			{"user", "enable", "--ente", "cciaa-nuova", "--username", "bianchi"},
			{"user", "grant", "--ente", "cciaa-nuova", "--username", "bianchi", "--role", "rpct"},
			{"user", "revoke", "--ente", "cciaa-nuova", "--username", "rossi", "--role", "rpct"},
		} {
			if r := argine(t, env, args...); r.code != 0 {
				t.Fatalf("operator %v: %+v", args, r)
			}
		}
		if r := argine(t, env, "user", "grant", "--ente", "cciaa-nuova", "--username", "gialli", "--role", "director", "--unit", "AD2"); r.code != 1 || !strings.Contains(r.stderr, "role_incompatible") {
			t.Fatalf("the OIV made a director: %+v", r)
		}
		// serve refuses to start without a signing key outside demo mode.
		if r := argine(t, env, "serve", "--addr", "127.0.0.1:0"); r.code != 1 || !strings.Contains(r.stderr, "ARGINE_JWT_SECRET") {
			t.Fatalf("serve without a key: %+v", r)
		}
	})
}

// TestPolicyOverride: ARGINE_POLICY_DIR replaces the embedded policy; a broken policy stops the command with
// the offending line.
func TestPolicyOverride(t *testing.T) {
	dir := t.TempDir()
	model, _ := os.ReadFile("../../policies/model.conf")
	os.WriteFile(filepath.Join(dir, "model.conf"), model, 0o644)
	os.WriteFile(filepath.Join(dir, "policy.csv"), []byte("p, rpct, *, processmap, read\np, chief, *, processmap, read\n"), 0o644)
	env := map[string]string{"ARGINE_DATABASE_URL": dbtest.SQLiteURL(t), "ARGINE_POLICY_DIR": dir}
	if r := argine(t, env, "demo"); r.code != 1 || !strings.Contains(r.stderr, "access policy") || !strings.Contains(r.stderr, "chief") {
		t.Fatalf("broken policy: %+v", r)
	}
	os.WriteFile(filepath.Join(dir, "policy.csv"), []byte("p, rpct, *, processmap, read\n"), 0o644)
	if r := argine(t, env, "migrate", "up"); r.code != 0 {
		t.Fatalf("valid override: %+v", r)
	}
}

// TestAuditVerifyCommand: the chain of a demo database verifies; after a record is altered behind the
// application's back the command names it and fails.
func TestAuditVerifyCommand(t *testing.T) {
	url := dbtest.SQLiteURL(t)
	env := map[string]string{"ARGINE_DATABASE_URL": url}
	if r := argine(t, env, "demo"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	r := argine(t, env, "audit", "verify", "--ente", "cciaa-basilicata")
	if r.code != 0 || !strings.Contains(r.stdout, "chain intact") {
		t.Fatalf("verify: %+v", r)
	}
	db := dbtest.Open(t, url)
	for _, sql := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor_name = 'x' WHERE seq = 7"} {
		if err := db.Gorm.Exec(sql).Error; err != nil {
			t.Fatal(err)
		}
	}
	r = argine(t, env, "audit", "verify")
	if r.code != 1 || !strings.Contains(r.stdout, "cciaa-basilicata: BROKEN at record 7 [record_altered]") {
		t.Fatalf("verify after tampering: %+v", r)
	}
}

// TestDemoListensOnLoopbackUnlessTold: the demo's password is published, so serve --demo without an address
// listens on 127.0.0.1 only; an address given by flag or environment is kept, and a real server keeps :8080.
func TestDemoListensOnLoopbackUnlessTold(t *testing.T) {
	for _, c := range []struct {
		name     string
		env      map[string]string
		args     []string
		want     string
		loopback bool
	}{
		{"demo, nothing given", nil, []string{"--demo"}, "127.0.0.1:8080", true},
		{"demo, --addr", nil, []string{"--demo", "--addr", ":9090"}, ":9090", false},
		{"demo, ARGINE_ADDR", map[string]string{"ARGINE_ADDR": "0.0.0.0:8080"}, []string{"--demo"}, "0.0.0.0:8080", false},
		{"demo, ARGINE_DEMO", map[string]string{"ARGINE_DEMO": "true"}, nil, "127.0.0.1:8080", true},
		{"not a demo", nil, nil, ":8080", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Load(func(k string) string { return c.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			cfg.ServeFlags(fs)
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			if addr, loopback := listenAddr(cfg); addr != c.want || loopback != c.loopback {
				t.Fatalf("listenAddr = %q, %v; want %q, %v", addr, loopback, c.want, c.loopback)
			}
		})
	}
}

// TestNewDatabaseFileIsNotCreatedSilently: run in the wrong folder or with a mistyped path, a command would
// otherwise work on a new, empty SQLite register. Only migrate up, demo and serve --demo (or --create) make
// the file, and they say which one.
func TestNewDatabaseFileIsNotCreatedSilently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nuovo.db")
	env := map[string]string{"ARGINE_DATABASE_URL": "sqlite:" + path}
	for _, args := range [][]string{{"ente", "list"}, {"user", "list", "--ente", "x"}, {"migrate", "status"},
		{"audit", "verify"}, {"processmap", "export", "--ente", "x", "--cycle", "2026-2028"}, {"cycle", "list", "--ente", "x"}} {
		r := argine(t, env, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "database file "+path+" does not exist") ||
			!strings.Contains(r.stderr, "argine migrate up") || !strings.Contains(r.stderr, "--create") {
			t.Errorf("argine %v on a missing file: %+v", args, r)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("argine %v created %s", args, path)
		}
	}
	// The default ./argine.db is checked the same way.
	t.Chdir(t.TempDir())
	if r := argine(t, nil, "ente", "list"); r.code != 1 || !strings.Contains(r.stderr, "argine.db does not exist") {
		t.Errorf("default database in an empty folder: %+v", r)
	}
	if _, err := os.Stat("argine.db"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("ente list created ./argine.db")
	}
	if r := argine(t, env, "ente", "list", "--create"); r.code != 0 || !strings.Contains(r.stderr, "creating a new SQLite database "+path) {
		t.Fatalf("--create: %+v", r)
	}
	if r := argine(t, env, "ente", "list"); r.code != 0 || r.stderr != "" {
		t.Fatalf("an existing file is used quietly: %+v", r)
	}
	other := filepath.Join(t.TempDir(), "altro.db")
	if r := argine(t, map[string]string{"ARGINE_DATABASE_URL": "sqlite:" + other}, "migrate", "up"); r.code != 0 ||
		!strings.Contains(r.stderr, "creating a new SQLite database "+other) {
		t.Fatalf("migrate up creates the file and says so: %+v", r)
	}
}

// TestSecretFileOnlyMattersToItsCommands: the README's `export ARGINE_JWT_SECRET_FILE=/run/secrets/argine-jwt`
// in an operator's shell where that file is missing (or readable by the server only) must not break the
// commands that never sign a token; serve, which does, names the variable.
func TestSecretFileOnlyMattersToItsCommands(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "argine-jwt")
	env := map[string]string{"ARGINE_DATABASE_URL": dbtest.SQLiteURL(t), "ARGINE_JWT_SECRET_FILE": missing,
		"ARGINE_AUDIT_SIGNING_KEY_FILE": missing}
	for _, args := range [][]string{{"migrate", "up"}, {"ente", "create", "--code", "ente-a", "--name", "Ente A"},
		{"ente", "list"}, {"cycle", "list", "--ente", "ente-a"}, {"migrate", "status"}} {
		if r := argine(t, env, args...); r.code != 0 {
			t.Errorf("argine %v with an unreadable ARGINE_JWT_SECRET_FILE: %+v", args, r)
		}
	}
	if r := argine(t, env, "serve", "--addr", "127.0.0.1:0"); r.code != 1 || !strings.Contains(r.stderr, "unable to read ARGINE_JWT_SECRET_FILE") {
		t.Fatalf("serve must name the unreadable secret: %+v", r)
	}
	if r := argine(t, env, "audit", "checkpoint", "--out", filepath.Join(t.TempDir(), "cp")); r.code != 1 || !strings.Contains(r.stderr, "unable to read ARGINE_AUDIT_SIGNING_KEY_FILE") {
		t.Fatalf("audit checkpoint must name the unreadable key: %+v", r)
	}
}
