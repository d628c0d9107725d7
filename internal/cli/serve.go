package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/argine-pa/argine/frontend"
	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/config"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/metrics"
	"github.com/argine-pa/argine/internal/mfa"
	"github.com/argine-pa/argine/internal/replica"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
	"github.com/argine-pa/argine/internal/webui"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "demo", "demo [flags]",
		"Create the demo ente cciaa-basilicata (\"Camera di commercio, industria, artigianato e agricoltura della\n"+
			"Basilicata\") with cycle 2026-2028 and the curated real process map. Running it again changes nothing.")
	cfg.DatabaseFlags(fs)
	full := fs.Bool("full-register", false, "also assess every leaf not yet assessed (2 risks each): the fully assessed register of the performance checks")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	cfg.CreateDB = true // the demo brings its own data
	a, err := openApp(ctx, env, cfg, nil, true)
	if err != nil {
		return err
	}
	defer a.close()
	res, err := demo.Load(ctx, a.store, a.entes, a.maps, a.users, a.cats, a.reg)
	if err != nil {
		return err
	}
	// The previous cycle, adopted, whose measures monitoring follows (not in Load: the HTTP tests' fixture
	// loads the demo for every test and has no use for it).
	if err := demo.FillPrevious(ctx, a.store, a.maps, a.reg, res.EnteCode); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo ente %s, cycle %s: map %s\n", res.EnteCode, res.Cycle, res.Import.Outcome)
	printCounts(env, res.Import.Counts)
	fmt.Fprintf(env.Stdout, "demo users (password %s): %d created\n", demo.Password, res.UsersCreated)
	fmt.Fprintf(env.Stdout, "demo register: %d assessments written\n", res.Assessments)
	if *full {
		n, err := demo.FillRegister(ctx, a.store, a.reg, res.EnteCode, true, 0, 2)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "full register: %d more assessments written\n", n)
	}
	// The demo register is written one assessment at a time: refresh the planner's statistics once at the end.
	return a.store.Analyze(ctx, append(append([]string{}, store.MapTables...), store.RegisterTables...)...)
}

func runServe(ctx context.Context, env Env, args []string) error {
	started := time.Now()
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	flags := newFlagSet(env, "serve", "serve [flags]",
		"Start the HTTP server: the API under /api/v1, the probes /healthz and /readyz, and the web interface.\n"+
			"Pending migrations are applied first (several instances may start together on PostgreSQL).")
	cfg.ServeFlags(flags)
	if err := parse(flags, env, args); err != nil {
		return err
	}
	log, err := cfg.Logger(env.Stderr)
	if err != nil {
		return err
	}
	gc := tuneGC(env.Getenv)
	log.Info("garbage collector", "gogc", gc.Percent, "gogc_from_env", gc.PercentSet, "memory_limit_mib", max(-1, gc.MemoryLimit>>20),
		"memory_limit_from_env", gc.MemorySet)
	jwtKey, err := cfg.JWTKey() // before touching the database: the server cannot start without it
	if err != nil {
		return err
	}
	metricsToken, err := cfg.Metrics()
	if err != nil {
		return err
	}
	if metricsToken != "" && len(metricsToken) < metrics.MinTokenLength {
		return fmt.Errorf("ARGINE_METRICS_TOKEN must be at least %d characters (e.g. openssl rand -hex 24)", metrics.MinTokenLength)
	}
	if cfg.Demo {
		cfg.CreateDB = true // the demo brings its own data
	}
	if addr, loopbackOnly := listenAddr(cfg); loopbackOnly {
		cfg.Addr = addr
		log.Warn("demo mode listens on " + addr + " only, because its users have a published password; " +
			"pass --addr :8080 (or set ARGINE_ADDR) to reach it from other machines")
	}
	a, err := openApp(ctx, env, cfg, log, true)
	if err != nil {
		return err
	}
	defer a.close()
	if cfg.Demo {
		res, err := demo.Load(ctx, a.store, a.entes, a.maps, a.users, a.cats, a.reg)
		if err != nil {
			return err
		}
		if err := demo.FillPrevious(ctx, a.store, a.maps, a.reg, res.EnteCode); err != nil {
			return err
		}
		log.Info("demo data loaded", "ente", res.EnteCode, "cycle", res.Cycle, "map", string(res.Import.Outcome),
			"users_created", res.UsersCreated)
		// As `argine demo`: the register was written one assessment at a time, and without statistics
		// PostgreSQL may plan its register pages as if the tables were empty (nested loops: a page of the demo
		// took 147 ms instead of 19 ms once analysed; issue 19). A failed ANALYZE does not stop the server.
		if err := a.store.Analyze(ctx, append(append([]string{}, store.MapTables...), store.RegisterTables...)...); err != nil {
			log.Warn("demo data: planner statistics not refreshed", "error", err.Error())
		}
	}
	if present, err := demo.UsersPresent(ctx, a.store); err != nil {
		return err
	} else if present {
		log.Warn("demo users exist with the published password " + demo.Password +
			": do not use this instance for real data")
	}
	secret, err := service.SigningKey(ctx, a.store, jwtKey, cfg.Demo)
	if err != nil {
		return err
	}
	authCfg := service.DefaultAuthConfig()
	authCfg.Secret, authCfg.AccessTTL, authCfg.SessionTTL = secret, cfg.AccessTTL, cfg.SessionTTL
	authCfg.SessionMaxAge, authCfg.MFARequiredRoles = cfg.SessionMaxAge, nil
	// The demo's accounts have published passwords and no phone behind them: no second factor unless asked.
	for _, r := range cfg.MFARequiredRoles {
		if cfg.Demo && !cfg.MFARolesGiven {
			break
		}
		authCfg.MFARequiredRoles = append(authCfg.MFARequiredRoles, domain.Role(r))
	}
	if keyText, err := cfg.MFASecretKey(); err != nil {
		return err
	} else if keyText != "" {
		if authCfg.MFAKey, err = mfa.ParseKey(keyText); err != nil {
			return err
		}
		log.Info("TOTP secrets encrypted at rest (ARGINE_MFA_KEY)")
	}
	auth, err := service.NewAuth(a.store, a.authz, a.cache, authCfg)
	if err != nil {
		return err
	}
	a.authz.SetLogger(log) // authorization errors deny and are logged
	sso, err := singleSignOn(cfg, secret, auth, log)
	if err != nil {
		return err
	}
	log.Info("password hashing bounded", "concurrent_hashes", auth.Hasher().Slots())
	if !frontend.Built() {
		log.Warn("web interface not built into this binary: serving a placeholder page (install Node.js and run make build)")
	}
	// LibreOffice, when installed, renders the register annex as an accessible PDF; without it ODT and DOCX
	// still work and the PDF route says why it cannot answer (docs/documents.md).
	pdf := document.DetectRenderer()
	log.Info("PDF renderer", "engine", pdf.Describe(), "available", pdf.Available())
	mon := service.NewMonitoring(a.store, a.authz)
	cycles := service.NewCycles(a.store, a.authz, a.reg, a.maps)
	if err := anchorAudit(ctx, cfg, log, a, cycles); err != nil {
		return err
	}
	smtpDesc, err := startNotifications(ctx, cfg, log, a.store)
	if err != nil {
		return err
	}
	replicas, err := attachReplicas(ctx, cfg, log, a)
	if err != nil {
		return err
	}
	if replicas != nil {
		defer replicas.Close()
	}
	var mets *metrics.Metrics
	if metricsToken != "" {
		mets = metrics.New(metrics.Sources{DB: a.db.SQL(), AuditRecords: a.store.AuditRecordCount, Outbox: a.store.OutboxCountsAll, Version: Version()})
		log.Info("metrics on at /metrics for the bearer of ARGINE_METRICS_TOKEN")
	}
	handler := httpapi.NewRouter(httpapi.Deps{Metrics: mets, MetricsToken: metricsToken, DB: a.db, Auth: auth, Authz: a.authz, Users: a.users, Maps: a.maps,
		Catalogues: a.cats, Methodologies: a.meths, Register: a.reg, Audit: a.audit, Workflow: service.NewWorkflow(a.store, a.authz, a.reg), Cycles: cycles,
		OIVNotes: service.NewOIVNotes(a.store, a.authz), Notifications: service.NewNotifications(a.store, a.authz, smtpDesc), Calendar: service.NewCalendar(a.store, a.authz), Sottosezione: service.NewSottosezione(a.store, a.authz, a.maps), Programme: service.NewProgramme(a.store, a.authz), Transparency: service.NewTransparency(a.store, a.authz), Monitoring: mon, Evidence: service.NewEvidence(a.store, a.authz, mon, service.EvidenceConfig{Dir: cfg.EvidenceDir, MaxBytes: cfg.EvidenceMaxBytes}),
		Log: log, UI: webui.Handler(frontend.FS()), Version: Version(), TrustedProxies: cfg.TrustedProxies,
		HSTS: cfg.HTTPS(), Documents: pdf, SSO: sso, Replica: replicas})
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           http.MaxBytesHandler(handler, max(32<<20, cfg.EvidenceMaxBytes+1<<20)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("unable to listen on %s: %w", cfg.Addr, err)
	}
	log.Info("argine is ready", "addr", ln.Addr().String(), "version", Version(), "database", string(a.db.Dialect),
		"startup", time.Since(started).Round(time.Millisecond).String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listenAddr is where serve listens: the address given, or in demo mode without one loopback only
// (loopbackOnly true), since anyone reaching a demo can sign in with its published password.
func listenAddr(cfg config.Config) (addr string, loopbackOnly bool) {
	if cfg.Demo && !cfg.AddrGiven {
		return config.DemoAddr, true
	}
	return cfg.Addr, false
}

// auditCheckpointInterval is how often the server checkpoints every ente's trail, besides each adoption and
// publication.
const auditCheckpointInterval = 24 * time.Hour

// anchorAudit turns on the signed checkpoints when the server has a key and a folder for them: one at start-up
// and daily for every ente, one at each adoption and publication.
func anchorAudit(ctx context.Context, cfg config.Config, log *slog.Logger, a *app, cycles *service.Cycles) error {
	signer, err := auditSigner(cfg)
	if err != nil {
		return err
	}
	if signer == nil || cfg.AuditCheckpointDir == "" {
		log.Warn("audit checkpoints are off: set ARGINE_AUDIT_SIGNING_KEY_FILE and ARGINE_AUDIT_CHECKPOINT_DIR " +
			"(docs/audit-anchoring.md); without them whoever can write the database can rewrite the audit trail unseen " +
			"back to the last adopted snapshot")
		return nil
	}
	if err := os.MkdirAll(cfg.AuditCheckpointDir, 0o750); err != nil {
		return fmt.Errorf("audit checkpoint folder: %w", err)
	}
	a.audit.SetAnchoring(service.AnchorConfig{Signer: signer, Dir: &auditanchor.Dir{Path: cfg.AuditCheckpointDir},
		Version: Version(), Log: log})
	cycles.CheckpointWith(a.audit)
	log.Info("audit checkpoints on", "dir", cfg.AuditCheckpointDir, "key_fingerprint", signer.Public().Fingerprint())
	go auditanchor.RunDaily(ctx, auditCheckpointInterval, func(ctx context.Context) { a.audit.WriteCheckpoints(ctx, "daily") })
	return nil
}

// attachReplicas routes the read-only routes' reads to the PostgreSQL streaming replicas of
// ARGINE_DATABASE_REPLICA_URL (internal/replica); nil without any. A replica that is down at start-up is
// reported and skipped: the primary answers until it is back.
func attachReplicas(ctx context.Context, cfg config.Config, log *slog.Logger, a *app) (*replica.Router, error) {
	if len(cfg.ReplicaURLs) == 0 {
		return nil, nil
	}
	if a.db.Dialect != database.Postgres {
		return nil, errors.New("ARGINE_DATABASE_REPLICA_URL needs a PostgreSQL primary")
	}
	r, err := replica.Attach(a.db.Gorm, cfg.ReplicaURLs, replica.Options{MaxLag: cfg.ReplicaMaxLag,
		StatementTimeout: cfg.DBStatementTimeout})
	if err != nil {
		return nil, err
	}
	for _, st := range r.Statuses(ctx) {
		if st.Err != nil || !st.Usable {
			log.Warn("read replica not usable now: its reads go to the primary", "replica", st.Name, "error", st.Err)
			continue
		}
		log.Info("read replica", "replica", st.Name, "replayed", st.Replayed.String(), "max_lag", r.MaxLag())
	}
	return r, nil
}
