package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestLoadDefaultsAndOverrides(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.Addr != ":8080" || c.DatabaseURL != "" || c.Demo || c.ShutdownTimeout != 15*time.Second {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = Load(env(map[string]string{"ARGINE_ADDR": "127.0.0.1:9000", "ARGINE_DEMO": "yes",
		"ARGINE_LOG_FORMAT": "json", "ARGINE_LOG_LEVEL": "debug", "ARGINE_SHUTDOWN_TIMEOUT": "3s"}))
	if err != nil || c.Addr != "127.0.0.1:9000" || !c.Demo || c.LogFormat != "json" || c.ShutdownTimeout != 3*time.Second {
		t.Fatalf("overrides: %+v %v", c, err)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"demo":     {"ARGINE_DEMO": "perhaps"},
		"level":    {"ARGINE_LOG_LEVEL": "loud"},
		"format":   {"ARGINE_LOG_FORMAT": "xml"},
		"shutdown": {"ARGINE_SHUTDOWN_TIMEOUT": "soon"},
		"file":     {"ARGINE_DATABASE_URL_FILE": "/nonexistent/secret"},
		"both":     {"ARGINE_DATABASE_URL": "x", "ARGINE_DATABASE_URL_FILE": "y"},
	} {
		if _, err := Load(env(m)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestFileVariant(t *testing.T) {
	p := filepath.Join(t.TempDir(), "addr")
	os.WriteFile(p, []byte("  :7000\n"), 0o600)
	c, err := Load(env(map[string]string{"ARGINE_ADDR_FILE": p}))
	if err != nil || c.Addr != ":7000" {
		t.Fatalf("%+v %v", c, err)
	}
}

func TestVariablesDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Variables {
		if !strings.Contains(string(readme), "`"+v.Env+"`") || (v.Flag != "" && !strings.Contains(string(readme), "`"+v.Flag+"`")) {
			t.Errorf("README's configuration table lacks %s / %s", v.Env, v.Flag)
		}
	}
}

func TestStatementTimeoutAndPublicURL(t *testing.T) {
	c, err := Load(env(map[string]string{}))
	if err != nil || c.DBStatementTimeout != DefaultDBStatementTimeout || c.HTTPS() {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = Load(env(map[string]string{"ARGINE_DB_STATEMENT_TIMEOUT": "0", "ARGINE_PUBLIC_URL": "https://argine.ente.it"}))
	if err != nil || c.DBStatementTimeout != 0 || !c.HTTPS() {
		t.Fatalf("set: %+v %v", c, err)
	}
	p := filepath.Join(t.TempDir(), "timeout")
	os.WriteFile(p, []byte("45s\n"), 0o600)
	if c, err = Load(env(map[string]string{"ARGINE_DB_STATEMENT_TIMEOUT_FILE": p})); err != nil || c.DBStatementTimeout != 45*time.Second {
		t.Fatalf("file variant: %+v %v", c, err)
	}
	for _, bad := range []map[string]string{
		{"ARGINE_DB_STATEMENT_TIMEOUT": "soon"}, {"ARGINE_DB_STATEMENT_TIMEOUT": "10ms"}, {"ARGINE_DB_STATEMENT_TIMEOUT": "3h"},
		{"ARGINE_PUBLIC_URL": "argine.ente.it"}, {"ARGINE_PUBLIC_URL": "ftp://argine.ente.it"},
	} {
		if _, err := Load(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestAuditAnchoringSettings: the checkpoint key comes from the environment or a file, never a flag.
func TestAuditAnchoringSettings(t *testing.T) {
	p := filepath.Join(t.TempDir(), "audit.key")
	os.WriteFile(p, []byte("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n"), 0o600)
	c, err := Load(env(map[string]string{"ARGINE_AUDIT_SIGNING_KEY_FILE": p, "ARGINE_AUDIT_CHECKPOINT_DIR": "/srv/anchors"}))
	if err != nil || !strings.HasPrefix(c.AuditSigningKey, "-----BEGIN PRIVATE KEY-----") || c.AuditCheckpointDir != "/srv/anchors" {
		t.Fatalf("%+v %v", c, err)
	}
	for _, v := range Variables {
		if v.Env == "ARGINE_AUDIT_SIGNING_KEY" && v.Flag != "" {
			t.Fatal("the signing key must not be a flag: flags show in the process list")
		}
	}
}

func TestParseMFARoles(t *testing.T) {
	if r, err := ParseMFARoles("Admin, rpct"); err != nil || strings.Join(r, ",") != "admin,rpct" {
		t.Fatalf("%v %v", r, err)
	}
	if r, err := ParseMFARoles("none"); err != nil || len(r) != 0 {
		t.Fatalf("none: %v %v", r, err)
	}
	if _, err := ParseMFARoles("admin,boss"); err == nil {
		t.Fatal("an unknown role was accepted")
	}
	c, err := Load(func(k string) string {
		return map[string]string{"ARGINE_SESSION_MAX_AGE": "8h", "ARGINE_MFA_REQUIRED_ROLES": "rpct"}[k]
	})
	if err != nil || c.SessionMaxAge.Hours() != 8 || !c.MFARolesGiven || strings.Join(c.MFARequiredRoles, ",") != "rpct" {
		t.Fatalf("load: %+v %v", c, err)
	}
}

// TestReplicaSettings: replicas only beside a PostgreSQL primary, postgres:// URLs only, never quoted back in an
// error (they may hold a password), and none means today's configuration exactly.
func TestReplicaSettings(t *testing.T) {
	c, err := Load(env(map[string]string{}))
	if err != nil || len(c.ReplicaURLs) != 0 || c.ReplicaMaxLag != 30*time.Second {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	primary := "postgres://app:pw@db1/argine"
	c, err = Load(env(map[string]string{"ARGINE_DATABASE_URL": primary,
		"ARGINE_DATABASE_REPLICA_URL":     "postgres://app:pw@db2/argine\n postgresql://app:pw@db3/argine",
		"ARGINE_DATABASE_REPLICA_MAX_LAG": "5s"}))
	if err != nil || len(c.ReplicaURLs) != 2 || c.ReplicaURLs[1] != "postgresql://app:pw@db3/argine" || c.ReplicaMaxLag != 5*time.Second {
		t.Fatalf("set: %+v %v", c, err)
	}
	for _, bad := range []map[string]string{
		{"ARGINE_DATABASE_REPLICA_URL": "postgres://app:secret@db2/argine"}, // SQLite primary
		{"ARGINE_DATABASE_URL": primary, "ARGINE_DATABASE_REPLICA_URL": "mysql://app:secret@db2/argine"},
		{"ARGINE_DATABASE_URL": primary, "ARGINE_DATABASE_REPLICA_MAX_LAG": "10ms"},
		{"ARGINE_DATABASE_URL": primary, "ARGINE_DATABASE_REPLICA_MAX_LAG": "soon"},
	} {
		_, err := Load(env(bad))
		if err == nil || strings.Contains(err.Error(), "secret") {
			t.Errorf("%v: %v", bad, err)
		}
	}
}
