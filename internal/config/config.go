// Package config reads Argine's settings from flags and ARGINE_* environment variables. Any variable can be
// given as NAME_FILE instead, naming a file that holds the value (for secrets mounted by an orchestrator).
package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Getenv reads one environment variable; tests pass their own.
type Getenv func(string) string

// Lookup returns NAME's value, or the trimmed content of the file named by NAME_FILE. Setting both is an error,
// so a forgotten variable never silently wins over the intended secret file.
func Lookup(getenv Getenv, name string) (string, error) {
	v, file := getenv(name), getenv(name+"_FILE")
	if v != "" && file != "" {
		return "", fmt.Errorf("config: both %s and %s_FILE are set; keep one", name, name)
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("config: unable to read %s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return v, nil
}

// Config is the settings of one run. Subcommands register the flags they use.
type Config struct {
	DatabaseURL string
	Addr        string
	// AddrGiven is true when ARGINE_ADDR or --addr named the address: demo mode otherwise listens on
	// loopback only, since its users have a published password.
	AddrGiven bool
	// CreateDB lets a command create a SQLite file that does not exist yet; without it a mistyped path or a
	// command run in the wrong folder would silently start from an empty register.
	CreateDB         bool
	LogLevel         string
	LogFormat        string
	Demo             bool
	ShutdownTimeout  time.Duration
	JWTSecret        string        // HS256 key for access tokens; environment only, never a flag
	AccessTTL        time.Duration // lifetime of an access token
	SessionTTL       time.Duration // a session lapses after this long without a refresh
	SessionMaxAge    time.Duration // a session ends this long after its sign-in, used or not
	MFARequiredRoles []string      // roles that must have a second factor (none: empty list)
	MFARolesGiven    bool          // ARGINE_MFA_REQUIRED_ROLES or --mfa-required-roles was set (demo mode: none otherwise)
	PolicyDir        string        // folder with model.conf and policy.csv replacing the embedded policy
	TrustedProxies   []string      // proxies whose X-Forwarded-For is believed for the client address
	EvidenceDir      string        // where evidence files go; empty keeps them in the database
	EvidenceMaxBytes int64         // the largest evidence file accepted
	// DBStatementTimeout bounds each SQL statement on PostgreSQL; 0 leaves the server's own setting.
	DBStatementTimeout time.Duration
	PublicURL          string // the address users reach, e.g. https://argine.ente.it; https turns on HSTS
	// MFAKey encrypts the TOTP secrets at rest (32 bytes, base64); environment or file only, never a flag.
	MFAKey    string
	mfaKeyErr error
	// OIDCConfigFile names the JSON file of the entes' identity providers (single sign-on, internal/oidclogin).
	OIDCConfigFile string
	// AuditSigningKey signs the audit checkpoints (Ed25519, PEM or base64 seed); environment only, never a flag.
	AuditSigningKey    string
	AuditCheckpointDir string // where the server keeps its audit checkpoints, outside the database
	// SMTPURL is where notification e-mails leave (smtp:// or smtps://, with credentials and from=); empty:
	// notifications stay in the app. It holds a password: environment only, never a flag.
	SMTPURL string
	// MetricsToken is the bearer token that /metrics asks for; empty: no metrics. Environment only, never a flag.
	MetricsToken string
	// ReplicaURLs are PostgreSQL streaming replicas of DatabaseURL that may answer the read-only routes
	// (internal/replica); none: every read on the primary. They may hold passwords: environment only.
	ReplicaURLs []string
	// ReplicaMaxLag bounds how stale a replica may be for a reader who brings no position of their own.
	ReplicaMaxLag time.Duration

	jwtSecretErr, auditKeyErr, smtpErr error // why a secret could not be read; see JWTKey, AuditKey, SMTP
	metricsTokenErr                    error // see Metrics
}

// Metrics returns ARGINE_METRICS_TOKEN, or why ARGINE_METRICS_TOKEN[_FILE] could not be read.
func (c *Config) Metrics() (string, error) { return c.MetricsToken, c.metricsTokenErr }

// SMTP returns ARGINE_SMTP_URL, or why ARGINE_SMTP_URL[_FILE] could not be read.
func (c *Config) SMTP() (string, error) { return c.SMTPURL, c.smtpErr }

// MFASecretKey returns the key encrypting TOTP secrets, or why ARGINE_MFA_KEY[_FILE] could not be read.
func (c *Config) MFASecretKey() (string, error) { return c.MFAKey, c.mfaKeyErr }

// JWTKey returns the access-token key, or why ARGINE_JWT_SECRET[_FILE] could not be read.
func (c *Config) JWTKey() (string, error) { return c.JWTSecret, c.jwtSecretErr }

// AuditKey returns the checkpoint signing key, or why ARGINE_AUDIT_SIGNING_KEY[_FILE] could not be read.
func (c *Config) AuditKey() (string, error) { return c.AuditSigningKey, c.auditKeyErr }

// Defaults.
const (
	DefaultAddr = ":8080"
	// DemoAddr is where serve --demo listens when no address is given: the demo users' password is published.
	DemoAddr               = "127.0.0.1:8080"
	DefaultShutdownTimeout = 15 * time.Second
	// DefaultDBStatementTimeout is generous for the slowest legitimate statement (an export of a large
	// register) and still stops a runaway query long before an operator notices.
	DefaultDBStatementTimeout = 30 * time.Second
)

// Variable describes one setting for the documentation and for `--help`.
type Variable struct {
	Env, Flag, Default, Help string
}

// Variables lists every setting; the README's configuration table follows it.
var Variables = []Variable{
	{"ARGINE_DATABASE_URL", "--database-url", "(empty: SQLite file ./argine.db)", "postgres://user:pass@host:5432/db?sslmode=disable, or sqlite:PATH"},
	{"ARGINE_ADDR", "--addr", DefaultAddr, "address the HTTP server listens on (demo mode: " + DemoAddr + " unless given)"},
	{"ARGINE_LOG_LEVEL", "--log-level", "info", "debug, info, warn or error"},
	{"ARGINE_LOG_FORMAT", "--log-format", "text", "text or json"},
	{"ARGINE_DEMO", "--demo", "false", "serve: load the demo ente and map at start-up"},
	{"ARGINE_SHUTDOWN_TIMEOUT", "--shutdown-timeout", DefaultShutdownTimeout.String(), "serve: time allowed to finish requests on stop"},
	{"ARGINE_JWT_SECRET", "", "(required unless --demo)", "serve: key signing access tokens, at least 32 bytes (use ARGINE_JWT_SECRET_FILE)"},
	{"ARGINE_ACCESS_TTL", "--access-ttl", "15m", "serve: lifetime of an access token"},
	{"ARGINE_SESSION_TTL", "--session-ttl", "168h", "serve: a session ends after this long without a refresh"},
	{"ARGINE_SESSION_MAX_AGE", "--session-max-age", "12h", "serve: a session ends this long after its sign-in, however much it is used"},
	{"ARGINE_MFA_REQUIRED_ROLES", "--mfa-required-roles", "admin,rpct", "serve: comma-separated roles that must enrol a second factor (TOTP) before anything else; \"none\" for none"},
	{"ARGINE_POLICY_DIR", "--policy-dir", "(embedded policy)", "folder with model.conf and policy.csv overriding the access policy"},
	{"ARGINE_TRUSTED_PROXIES", "--trusted-proxies", "(none)", "serve: comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted"},
	{"ARGINE_EVIDENCE_DIR", "--evidence-dir", "(in the database)", "serve: folder for monitoring evidence files; empty keeps them in the database"},
	{"ARGINE_EVIDENCE_MAX_MB", "--evidence-max-mb", "20", "serve: largest evidence file accepted, in MB"},
	{"ARGINE_AUDIT_SIGNING_KEY", "", "(none: no checkpoints)", "Ed25519 key signing audit checkpoints, from `argine audit keygen` (use ARGINE_AUDIT_SIGNING_KEY_FILE)"},
	{"ARGINE_AUDIT_CHECKPOINT_DIR", "--audit-checkpoint-dir", "(none)", "serve: folder, outside the database, where signed audit checkpoints are kept"},
	{"ARGINE_DATABASE_REPLICA_URL", "", "(none: all reads on the primary)", "serve, PostgreSQL: streaming replicas answering the read-only routes, postgres://... separated by spaces (use ARGINE_DATABASE_REPLICA_URL_FILE); docs/production.md"},
	{"ARGINE_DATABASE_REPLICA_MAX_LAG", "", "30s", "serve: a replica further behind than this answers nobody; each caller's own writes are always seen"},
	{"ARGINE_DB_STATEMENT_TIMEOUT", "--db-statement-timeout", DefaultDBStatementTimeout.String(), "PostgreSQL: longest a single SQL statement may run (0: the server's setting); migrations are not bounded"},
	{"ARGINE_PUBLIC_URL", "--public-url", "(none)", "serve: the address users reach (https://...); with https the server sends Strict-Transport-Security"},
	{"ARGINE_MFA_KEY", "", "(none: TOTP secrets in clear)", "serve: 32 random bytes, base64 (openssl rand -base64 32), encrypting the TOTP secrets at rest; existing ones are encrypted at their next use (use ARGINE_MFA_KEY_FILE)"},
	{"ARGINE_OIDC_CONFIG_FILE", "--oidc-config-file", "(none: passwords only)", "serve: JSON file of the entes' OpenID Connect providers (single sign-on; docs/identity.md); needs ARGINE_PUBLIC_URL"},
	{"ARGINE_METRICS_TOKEN", "", "(none: no /metrics)", "serve: bearer token (16+ characters) that Prometheus sends to read /metrics (use ARGINE_METRICS_TOKEN_FILE)"},
	{"ARGINE_SMTP_URL", "", "(none: notifications in the app only)", "serve, notify run: smtp://user:pass@host:587?from=argine@ente.it (STARTTLS; tls=opportunistic|none) or smtps://... (use ARGINE_SMTP_URL_FILE)"},
}

// Load reads the environment into a Config.
func Load(getenv Getenv) (Config, error) {
	c := Config{Addr: DefaultAddr, LogLevel: "info", LogFormat: "text", ShutdownTimeout: DefaultShutdownTimeout,
		AccessTTL: 15 * time.Minute, SessionTTL: 7 * 24 * time.Hour, SessionMaxAge: 12 * time.Hour,
		MFARequiredRoles: []string{"admin", "rpct"}, EvidenceMaxBytes: 20 << 20,
		DBStatementTimeout: DefaultDBStatementTimeout}
	var err error
	if c.DatabaseURL, err = Lookup(getenv, "ARGINE_DATABASE_URL"); err != nil {
		return c, err
	}
	str := func(name string, dst *string) {
		if err != nil {
			return
		}
		var v string
		if v, err = Lookup(getenv, name); err == nil && v != "" {
			*dst = v
		}
	}
	str("ARGINE_ADDR", &c.Addr)
	c.AddrGiven = getenv("ARGINE_ADDR") != "" || getenv("ARGINE_ADDR_FILE") != ""
	str("ARGINE_LOG_LEVEL", &c.LogLevel)
	str("ARGINE_LOG_FORMAT", &c.LogFormat)
	var demo, shutdown, accessTTL, sessionTTL, proxies, sessionMaxAge, mfaRoles string
	str("ARGINE_DEMO", &demo)
	str("ARGINE_SHUTDOWN_TIMEOUT", &shutdown)
	// The secrets are kept apart: an operator's shell often exports the server's variables, and a secret file
	// only the server may read (or a path from the README that does not exist here) must not stop the commands
	// that never use it. Only those that do report the failure (JWTKey, AuditKey).
	c.JWTSecret, c.jwtSecretErr = Lookup(getenv, "ARGINE_JWT_SECRET")
	c.MFAKey, c.mfaKeyErr = Lookup(getenv, "ARGINE_MFA_KEY")
	c.AuditSigningKey, c.auditKeyErr = Lookup(getenv, "ARGINE_AUDIT_SIGNING_KEY")
	c.SMTPURL, c.smtpErr = Lookup(getenv, "ARGINE_SMTP_URL")
	c.MetricsToken, c.metricsTokenErr = Lookup(getenv, "ARGINE_METRICS_TOKEN")
	str("ARGINE_ACCESS_TTL", &accessTTL)
	str("ARGINE_SESSION_TTL", &sessionTTL)
	str("ARGINE_SESSION_MAX_AGE", &sessionMaxAge)
	str("ARGINE_MFA_REQUIRED_ROLES", &mfaRoles)
	str("ARGINE_POLICY_DIR", &c.PolicyDir)
	str("ARGINE_TRUSTED_PROXIES", &proxies)
	str("ARGINE_EVIDENCE_DIR", &c.EvidenceDir)
	str("ARGINE_AUDIT_CHECKPOINT_DIR", &c.AuditCheckpointDir)
	var evidenceMB, statementTimeout, replicaURLs, replicaMaxLag string
	str("ARGINE_DATABASE_REPLICA_URL", &replicaURLs)
	str("ARGINE_DATABASE_REPLICA_MAX_LAG", &replicaMaxLag)
	str("ARGINE_EVIDENCE_MAX_MB", &evidenceMB)
	str("ARGINE_DB_STATEMENT_TIMEOUT", &statementTimeout)
	str("ARGINE_PUBLIC_URL", &c.PublicURL)
	str("ARGINE_OIDC_CONFIG_FILE", &c.OIDCConfigFile)
	if err != nil {
		return c, err
	}
	if statementTimeout != "" {
		if c.DBStatementTimeout, err = parseStatementTimeout(statementTimeout); err != nil {
			return c, fmt.Errorf("config: ARGINE_DB_STATEMENT_TIMEOUT %w", err)
		}
	}
	if err = validatePublicURL(c.PublicURL); err != nil {
		return c, err
	}
	if c.ReplicaURLs, c.ReplicaMaxLag, err = parseReplicas(c.DatabaseURL, replicaURLs, replicaMaxLag); err != nil {
		return c, err
	}
	if evidenceMB != "" {
		mb, perr := strconv.Atoi(evidenceMB)
		if perr != nil || mb < 1 || mb > 1024 {
			return c, fmt.Errorf("config: ARGINE_EVIDENCE_MAX_MB must be a number of MB between 1 and 1024, got %q", evidenceMB)
		}
		c.EvidenceMaxBytes = int64(mb) << 20
	}
	c.TrustedProxies = splitComma(proxies)
	if mfaRoles != "" {
		c.MFARolesGiven = true
		if c.MFARequiredRoles, err = ParseMFARoles(mfaRoles); err != nil {
			return c, err
		}
	}
	for _, d := range []struct {
		name, value string
		dst         *time.Duration
	}{{"ARGINE_ACCESS_TTL", accessTTL, &c.AccessTTL}, {"ARGINE_SESSION_TTL", sessionTTL, &c.SessionTTL},
		{"ARGINE_SESSION_MAX_AGE", sessionMaxAge, &c.SessionMaxAge}} {
		if d.value == "" {
			continue
		}
		if *d.dst, err = time.ParseDuration(d.value); err != nil || *d.dst <= 0 {
			return c, fmt.Errorf("config: %s must be a positive duration such as 15m, got %q", d.name, d.value)
		}
	}
	if demo != "" {
		switch strings.ToLower(demo) {
		case "1", "true", "yes", "on":
			c.Demo = true
		case "0", "false", "no", "off":
		default:
			return c, fmt.Errorf("config: ARGINE_DEMO must be true or false, got %q", demo)
		}
	}
	if shutdown != "" {
		if c.ShutdownTimeout, err = time.ParseDuration(shutdown); err != nil {
			return c, fmt.Errorf("config: ARGINE_SHUTDOWN_TIMEOUT: %w", err)
		}
	}
	return c, c.validateLog()
}

// parseReplicas reads the replica URLs (PostgreSQL only, and only beside a PostgreSQL primary) and the lag bound.
func parseReplicas(primary, urls, maxLag string) ([]string, time.Duration, error) {
	lag := 30 * time.Second
	if maxLag != "" {
		d, err := time.ParseDuration(maxLag)
		if err != nil || d < time.Second || d > time.Hour {
			return nil, 0, fmt.Errorf("config: ARGINE_DATABASE_REPLICA_MAX_LAG must be a duration between 1s and 1h such as 30s, got %q", maxLag)
		}
		lag = d
	}
	list := strings.Fields(urls)
	if len(list) == 0 {
		return nil, lag, nil
	}
	isPG := func(u string) bool {
		return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
	}
	if !isPG(strings.TrimSpace(primary)) {
		return nil, 0, fmt.Errorf("config: ARGINE_DATABASE_REPLICA_URL needs a PostgreSQL ARGINE_DATABASE_URL (SQLite has no replicas)")
	}
	for i, u := range list {
		// The value is never quoted back: it may hold a password.
		if !isPG(u) {
			return nil, 0, fmt.Errorf("config: ARGINE_DATABASE_REPLICA_URL: replica %d is not a postgres:// URL", i+1)
		}
		if _, err := url.Parse(u); err != nil {
			return nil, 0, fmt.Errorf("config: ARGINE_DATABASE_REPLICA_URL: replica %d is not a valid URL", i+1)
		}
	}
	return list, lag, nil
}

// parseStatementTimeout reads a duration of 0 (no bound) or between 1s and 1h: below a second even a healthy
// export would fail, above an hour the bound protects nothing.
func parseStatementTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if v == "0" {
		d, err = 0, nil
	}
	if err != nil || (d != 0 && (d < time.Second || d > time.Hour)) {
		return 0, fmt.Errorf("must be 0 or a duration between 1s and 1h such as 30s, got %q", v)
	}
	return d, nil
}

// validatePublicURL accepts an empty value or an absolute http(s) URL.
func validatePublicURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("config: ARGINE_PUBLIC_URL must be an absolute http:// or https:// address, got %q", v)
	}
	return nil
}

// HTTPS reports whether users reach the server over https, so browsers may be told to insist on it (HSTS).
func (c *Config) HTTPS() bool { return strings.HasPrefix(strings.ToLower(c.PublicURL), "https://") }

func (c *Config) validateLog() error {
	if _, err := c.Level(); err != nil {
		return err
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: log format must be text or json, got %q", c.LogFormat)
	}
	return nil
}

// Level parses the log level.
func (c *Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("config: log level must be debug, info, warn or error, got %q", c.LogLevel)
	}
	return l, nil
}

// secret is a flag value whose current value is never printed (by --help or elsewhere): a database URL may
// carry a password.
type secret struct{ p *string }

func (s secret) String() string     { return "" }
func (s secret) Set(v string) error { *s.p = v; return nil }

// DatabaseFlags registers the database flag on a subcommand, defaulting to the environment's value.
func (c *Config) DatabaseFlags(fs *flag.FlagSet) {
	fs.Var(secret{&c.DatabaseURL}, "database-url", "database URL (env ARGINE_DATABASE_URL[_FILE]); empty: SQLite file ./argine.db")
	fs.BoolVar(&c.CreateDB, "create", c.CreateDB, "SQLite: create the database file when it does not exist (migrate up, demo and serve --demo always may)")
}

// StatementTimeoutFlag registers the PostgreSQL statement bound on a subcommand that serves requests.
func (c *Config) StatementTimeoutFlag(fs *flag.FlagSet) {
	fs.Func("db-statement-timeout", "PostgreSQL: longest a single SQL statement may run, 0 for the server's setting (env ARGINE_DB_STATEMENT_TIMEOUT, default 30s)", func(v string) error {
		d, err := parseStatementTimeout(v)
		if err == nil {
			c.DBStatementTimeout = d
		}
		return err
	})
}

// LogFlags registers the logging flags.
func (c *Config) LogFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (env ARGINE_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env ARGINE_LOG_FORMAT)")
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type listFlag struct{ p *[]string }

func (l listFlag) String() string {
	if l.p == nil {
		return ""
	}
	return strings.Join(*l.p, ",")
}
func (l listFlag) Set(v string) error { *l.p = splitComma(v); return nil }

// PolicyFlags registers the policy override flag.
func (c *Config) PolicyFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.PolicyDir, "policy-dir", c.PolicyDir, "folder with model.conf and policy.csv overriding the embedded access policy (env ARGINE_POLICY_DIR)")
}

// ServeFlags registers the server's flags.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	c.DatabaseFlags(fs)
	c.LogFlags(fs)
	fs.Func("addr", "listen address (env ARGINE_ADDR; default "+DefaultAddr+", with --demo "+DemoAddr+")", func(v string) error {
		c.Addr, c.AddrGiven = v, true
		return nil
	})
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load the demo ente and its map at start-up (env ARGINE_DEMO)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "time allowed to finish requests on stop (env ARGINE_SHUTDOWN_TIMEOUT)")
	fs.DurationVar(&c.AccessTTL, "access-ttl", c.AccessTTL, "lifetime of an access token (env ARGINE_ACCESS_TTL)")
	fs.DurationVar(&c.SessionTTL, "session-ttl", c.SessionTTL, "a session ends after this long without a refresh (env ARGINE_SESSION_TTL)")
	fs.DurationVar(&c.SessionMaxAge, "session-max-age", c.SessionMaxAge, "a session ends this long after its sign-in (env ARGINE_SESSION_MAX_AGE)")
	fs.Func("mfa-required-roles", "roles that must enrol a second factor, or none (env ARGINE_MFA_REQUIRED_ROLES)", func(v string) error {
		roles, err := ParseMFARoles(v)
		c.MFARequiredRoles, c.MFARolesGiven = roles, true
		return err
	})
	fs.Var(listFlag{&c.TrustedProxies}, "trusted-proxies", "comma-separated proxies whose X-Forwarded-For is trusted (env ARGINE_TRUSTED_PROXIES)")
	c.PolicyFlags(fs)
	c.StatementTimeoutFlag(fs)
	fs.Func("public-url", "the address users reach; https turns on HSTS (env ARGINE_PUBLIC_URL)", func(v string) error {
		if err := validatePublicURL(v); err != nil {
			return err
		}
		c.PublicURL = v
		return nil
	})
	fs.StringVar(&c.OIDCConfigFile, "oidc-config-file", c.OIDCConfigFile, "JSON file of the entes' OpenID Connect providers (env ARGINE_OIDC_CONFIG_FILE)")
	fs.StringVar(&c.AuditCheckpointDir, "audit-checkpoint-dir", c.AuditCheckpointDir, "folder, outside the database, for the signed audit checkpoints (env ARGINE_AUDIT_CHECKPOINT_DIR)")
	fs.StringVar(&c.EvidenceDir, "evidence-dir", c.EvidenceDir, "folder for evidence files; empty keeps them in the database (env ARGINE_EVIDENCE_DIR)")
	fs.Func("evidence-max-mb", "largest evidence file accepted, in MB (env ARGINE_EVIDENCE_MAX_MB, default 20)", func(v string) error {
		mb, err := strconv.Atoi(v)
		if err != nil || mb < 1 || mb > 1024 {
			return fmt.Errorf("a number of MB between 1 and 1024")
		}
		c.EvidenceMaxBytes = int64(mb) << 20
		return nil
	})
}

// Logger builds the process logger on w.
func (c *Config) Logger(w io.Writer) (*slog.Logger, error) {
	if err := c.validateLog(); err != nil {
		return nil, err
	}
	lvl, _ := c.Level()
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// ParseMFARoles reads ARGINE_MFA_REQUIRED_ROLES: a comma-separated list of admin, rpct, director, referente
// and oiv, or "none".
func ParseMFARoles(v string) ([]string, error) {
	if strings.EqualFold(strings.TrimSpace(v), "none") {
		return []string{}, nil
	}
	out := []string{}
	for _, r := range splitComma(v) {
		r = strings.ToLower(r)
		switch r {
		case "admin", "rpct", "director", "referente", "oiv":
			out = append(out, r)
		default:
			return nil, fmt.Errorf("config: ARGINE_MFA_REQUIRED_ROLES: unknown role %q (admin, rpct, director, referente, oiv or none)", r)
		}
	}
	return out, nil
}
