package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/dbtest"
)

// demoServer runs serve --demo with env until the test ends, and returns its base URL.
func demoServer(t *testing.T, env map[string]string) (base string, stop func()) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errOut lockedBuffer
	go func() {
		done <- Run(ctx, []string{"serve", "--demo", "--addr", addr}, Env{Stdout: &lockedBuffer{}, Stderr: &errOut,
			Getenv: func(k string) string { return env[k] }})
	}()
	base = "http://" + addr
	// The demo loads first (two cycles, the previous one's monitoring round): the bound is how long to wait
	// before calling the server hung on a busy machine, not a budget.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("server did not come up:\n%s", errOut.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, errOut.String())
		}
	}
	t.Cleanup(stop)
	return base, stop
}

func call(t *testing.T, method, url, token, ctype string, body io.Reader, into any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if into != nil {
		_ = json.NewDecoder(resp.Body).Decode(into)
	}
	return resp.StatusCode
}

func demoLogin(t *testing.T, base, user string) string {
	t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if code := call(t, http.MethodPost, base+"/api/v1/auth/login", "", "application/json",
		strings.NewReader(`{"username":"`+user+`","password":"argine-demo-2026"}`), &tok); code != 200 {
		t.Fatalf("login %s: %d", user, code)
	}
	return tok.AccessToken
}

// TestBackupAndRestore: an archive taken while the server runs, holding an evidence file kept on disk, restores
// into a fresh folder where the audit trail verifies and the evidence file is back with its bytes; a damaged
// archive restores nothing, and the consistency check names a missing evidence file.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	evidenceDir := filepath.Join(dir, "evidence")
	env := map[string]string{"ARGINE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "argine.db"), "ARGINE_EVIDENCE_DIR": evidenceDir}
	base, stop := demoServer(t, env)

	// An evidence file, uploaded as a director would. Only the measures of a consolidated cycle are
	// monitored: the demo cycle is consolidated behind the services' back (the lifecycle has its own tests).
	db := dbtest.Open(t, env["ARGINE_DATABASE_URL"])
	for _, q := range []string{
		"UPDATE assessments SET state = 'approved' WHERE cycle_id IN (SELECT id FROM cycles WHERE code = '2026-2028')",
		"UPDATE cycles SET state = 'consolidated' WHERE code = '2026-2028'",
	} {
		if err := db.Gorm.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	rpct, dir2 := demoLogin(t, base, "rpct"), demoLogin(t, base, "dir2")
	cycle := base + "/api/v1/cycles/2026-2028"
	if code := call(t, http.MethodPut, cycle+"/monitoring/plan", rpct, "application/json",
		strings.NewReader(`{"frequency":"semestrale","reference_dates":["2026-06-30"],"sample_percent":20}`), nil); code != 200 {
		t.Fatalf("plan: %d", code)
	}
	if code := call(t, http.MethodPost, cycle+"/monitoring/rounds", rpct, "application/json",
		strings.NewReader(`{"reference_date":"2026-06-30"}`), nil); code != 201 {
		t.Fatalf("round: %d", code)
	}
	var a struct {
		Measures []struct{ ID string } `json:"measures"`
	}
	if code := call(t, http.MethodGet, cycle+"/nodes/C1.1.1.1/assessment", dir2, "", nil, &a); code != 200 || len(a.Measures) == 0 {
		t.Fatalf("assessment: %d %+v", code, a)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "verbale.pdf")
	fw.Write(pdf)
	mw.Close()
	var ev struct{ ID, Storage string }
	if code := call(t, http.MethodPost, cycle+"/monitoring/rounds/2026-06-30/measures/"+a.Measures[0].ID+"/evidence", dir2,
		mw.FormDataContentType(), &body, &ev); code != 201 || ev.Storage != "disk" {
		t.Fatalf("upload: %d %+v", code, ev)
	}

	// Online: the server is still running.
	archive := filepath.Join(dir, "argine-backup.tar.gz")
	r := argine(t, env, "backup", "--out", archive)
	if r.code != 0 || !strings.Contains(r.stdout, "1 evidence file(s)") {
		t.Fatalf("backup: %+v", r)
	}
	if st, err := os.Stat(archive); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("archive: %v %v", st, err)
	}
	if r := argine(t, env, "backup", "--out", archive); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("backup over an existing file: %+v", r)
	}
	stop()
	if r := argine(t, env, "backup", "--check"); r.code != 0 || !strings.Contains(r.stdout, "chain intact") ||
		!strings.Contains(r.stdout, "1 on disk, every one present") {
		t.Fatalf("check of the original: %+v", r)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	r = argine(t, nil, "restore", archive, "--into", restored)
	if r.code != 0 || !strings.Contains(r.stdout, "every checksum matches") || !strings.Contains(r.stdout, "cciaa-basilicata:") ||
		!strings.Contains(r.stdout, "chain intact") || !strings.Contains(r.stdout, "every one present") {
		t.Fatalf("restore: %+v", r)
	}
	renv := map[string]string{"ARGINE_DATABASE_URL": "sqlite:" + filepath.Join(restored, "argine.db"),
		"ARGINE_EVIDENCE_DIR": filepath.Join(restored, "evidence")}
	if r := argine(t, renv, "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "cciaa-basilicata: ") || !strings.Contains(r.stdout, "chain intact") {
		t.Fatalf("audit verify on the restored copy: %+v", r)
	}
	if got, err := os.ReadFile(filepath.Join(restored, "evidence", ev.ID)); err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("restored evidence: %v", err)
	}
	if r := argine(t, nil, "restore", archive, "--into", restored); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("restore over an existing folder: %+v", r)
	}

	// The check names an evidence file gone from the folder.
	if err := os.Remove(filepath.Join(restored, "evidence", ev.ID)); err != nil {
		t.Fatal(err)
	}
	if r := argine(t, renv, "backup", "--check"); r.code != 1 || !strings.Contains(r.stdout, "evidence "+ev.ID+" is missing") {
		t.Fatalf("check with a missing file: %+v", r)
	}

	// A damaged archive (one byte changed inside the compressed stream, or cut short) restores nothing.
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{"cut": data[:len(data)/2], "flipped": flip(data, len(data)/3)} {
		f := filepath.Join(dir, name+".tar.gz")
		if err := os.WriteFile(f, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		into := filepath.Join(dir, "restored-"+name)
		if r := argine(t, nil, "restore", f, "--into", into); r.code != 1 {
			t.Fatalf("%s archive restored: %+v", name, r)
		}
		if _, err := os.Stat(into); !os.IsNotExist(err) {
			t.Fatalf("%s archive left %s behind", name, into)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".restored-"+name+"*")); len(left) > 0 {
			t.Fatalf("%s archive left %v behind", name, left)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0xff
	return c
}

// TestBackupOnPostgres: the archive is SQLite's; on PostgreSQL the command points to pg_dump, and --check
// checks migrations, the audit trail and the evidence there too.
func TestBackupOnPostgres(t *testing.T) {
	url := dbtest.PostgresURL(t)
	env := map[string]string{"ARGINE_DATABASE_URL": url}
	if r := argine(t, env, "demo"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	if r := argine(t, env, "backup", "--check"); r.code != 0 || !strings.Contains(r.stdout, "as this argine expects") ||
		!strings.Contains(r.stdout, "cciaa-basilicata: ") || !strings.Contains(r.stdout, "chain intact") {
		t.Fatalf("check: %+v", r)
	}
	if r := argine(t, env, "backup", "--out", filepath.Join(t.TempDir(), "x.tar.gz")); r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
		t.Fatalf("backup on PostgreSQL: %+v", r)
	}
}

// TestHealthcheck: 0 against a ready server found through ARGINE_ADDR, 1 when nothing answers.
func TestHealthcheck(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ARGINE_DATABASE_URL": "sqlite:" + filepath.Join(dir, "argine.db")}
	base, stop := demoServer(t, env)
	env["ARGINE_ADDR"] = ":" + base[strings.LastIndex(base, ":")+1:]
	if r := argine(t, env, "healthcheck"); r.code != 0 || r.stdout != "ready\n" {
		t.Fatalf("healthcheck of a ready server: %+v", r)
	}
	stop()
	if r := argine(t, env, "healthcheck", "--timeout", "1s"); r.code != 1 || !strings.Contains(r.stderr, "not ready") {
		t.Fatalf("healthcheck of a stopped server: %+v", r)
	}
}

func TestReadyURL(t *testing.T) {
	for addr, want := range map[string]string{":8080": "http://127.0.0.1:8080/readyz", "0.0.0.0:9000": "http://127.0.0.1:9000/readyz",
		"[::]:8080": "http://127.0.0.1:8080/readyz", "10.0.0.5:8080": "http://10.0.0.5:8080/readyz", "[::1]:8080": "http://[::1]:8080/readyz"} {
		if got, err := readyURL(addr); err != nil || got != want {
			t.Errorf("readyURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
	if _, err := readyURL("127.0.0.1:0"); err == nil {
		t.Error("port 0 accepted")
	}
}
