package cli

import (
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/notify/mailpittest"
)

// `argine notify run`, the cron entry point: one scheduler pass, then the queued e-mails; without SMTP it says
// the notifications stay in the app, a malformed ARGINE_SMTP_URL is an error, a second run while the first
// holds the scheduler's lease schedules nothing.
func TestNotifyRunCommand(t *testing.T) {
	env := map[string]string{"ARGINE_DATABASE_URL": dbtest.SQLiteURL(t)}
	if r := argine(t, env, "notify", "--help"); r.code != 0 || !strings.Contains(r.stdout, "Usage: argine") || !strings.Contains(r.stdout, "cron") {
		t.Fatalf("help: %+v", r)
	}
	if r := argine(t, env, "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	if r := argine(t, env, "notify", "sideways"); r.code != 2 {
		t.Fatalf("bad action: %+v", r)
	}
	r := argine(t, env, "notify", "run")
	if r.code != 0 || !strings.Contains(r.stdout, "scheduler: 0 campaign openings") || !strings.Contains(r.stdout, "no SMTP server configured") {
		t.Fatalf("run without SMTP: %+v", r)
	}
	// The lease of the first run (another process, as far as this one knows) is still held.
	if r := argine(t, env, "notify", "run"); r.code != 0 || !strings.Contains(r.stdout, "another instance holds the lease") {
		t.Fatalf("second run: %+v", r)
	}
	env["ARGINE_SMTP_URL"] = "smtp://user:pass@mail.example?tls=none&from=argine@ente.example"
	if r := argine(t, env, "notify", "run"); r.code != 1 || !strings.Contains(r.stderr, "refusing to send credentials without TLS") || strings.Contains(r.stderr, "pass@") {
		t.Fatalf("bad SMTP URL: %+v", r)
	}
	srv := mailpittest.Start(t)
	env["ARGINE_SMTP_URL"] = srv.SMTPURL("argine@ente.example")
	if r := argine(t, env, "notify", "run"); r.code != 0 || !strings.Contains(r.stdout, "e-mail: 0 sent, 0 to retry, 0 failed") {
		t.Fatalf("run with SMTP: %+v", r)
	}
}
