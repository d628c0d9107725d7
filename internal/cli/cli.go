// Package cli implements argine's subcommands. It parses flags, wires the parts, and calls services.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/config"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// version, commit and date are set at build time (the Makefile's LDFLAGS), e.g.
// -ldflags "-X github.com/argine-pa/argine/internal/cli.version=v1.2.3". The date is the commit's, not the
// build's, so that two builds of one commit are the same bytes.
var (
	version = ""
	commit  = ""
	date    = ""
)

// BuildCommit and BuildDate say which commit a binary was built from and when that commit was made, from the
// build flags or else from what Go records of the checkout; "unknown" when neither says.
func BuildCommit() string { return buildSetting(commit, "vcs.revision") }

// BuildDate: see BuildCommit.
func BuildDate() string { return buildSetting(date, "vcs.time") }

func buildSetting(flag, key string) string {
	if flag != "" {
		return flag
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == key && s.Value != "" {
				if key == "vcs.revision" && len(s.Value) > 12 {
					return s.Value[:12]
				}
				return s.Value
			}
		}
	}
	return "unknown"
}

// Version returns the build's version, falling back to the VCS revision Go records.
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "-dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// Env is what a run of the command sees of the world.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         config.Getenv
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "start the HTTP server (migrates the database first)", runServe},
		{"migrate", "apply, roll back or list database migrations (up|down|status)", runMigrate},
		{"processmap", "import, export or validate a process map (import|export|validate)", runProcessMap},
		{"register", "import an existing risk register from a spreadsheet into a cycle's drafts (import)", runRegister},
		{"ente", "create or list the administrations hosted (create|list)", runEnte},
		{"cycle", "list an ente's cycles with their state (list)", runCycle},
		{"user", "manage users and role grants of an ente (create|list|grant|revoke|disable|enable|reset-password)", runUser},
		{"audit", "verify the audit trail, sign checkpoints of it, make their key (verify|checkpoint|keygen)", runAudit},
		{"notify", "send due reminders and digests and the queued notification e-mails once, for cron (run)", runNotify},
		{"backup", "write a backup archive (SQLite) or check an installation's consistency (--out FILE | --check)", runBackup},
		{"restore", "restore a backup archive into a new folder, checking every file (restore FILE --into DIR)", runRestore},
		{"demo", "create the demo ente cciaa-basilicata with cycle 2026-2028 and its real map", runDemo},
		{"healthcheck", "exit 0 when the running server answers /readyz with 200 (for container health checks)", runHealthcheck},
		{"version", "print the version", runVersion},
	}
}

// errUsage marks a mistake in the command line; its message has already been printed with the usage.
var errUsage = errors.New("usage")

// Run executes one command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, env, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			}
			printError(env.Stderr, err)
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "argine: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Argine: the anticorruption risk register (PTPCT / PIAO sottosezione 2.3).")
	fmt.Fprintln(w, "\nUsage: argine COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'argine COMMAND --help' for a command's flags. Settings can also come from the environment:")
	for _, v := range config.Variables {
		fmt.Fprintf(w, "  %-24s %s\n", v.Env, v.Help)
	}
	fmt.Fprintln(w, "Any variable may be given as NAME_FILE, naming a file that holds the value.")
}

func printError(w io.Writer, err error) {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(w, "argine: %d problem(s) found, nothing was written:\n", len(ve.Problems))
		for _, p := range ve.Problems {
			p.Field = cliField(p.Field)
			fmt.Fprintf(w, "  %s [%s]\n", p.String(), p.Code)
		}
		if ve.Truncated {
			fmt.Fprintf(w, "  ... more problems not shown; fix these and run again\n")
		}
		return
	}
	fmt.Fprintf(w, "argine: %v\n", err)
}

// grantPathRe matches the JSON path of a grant in an API request body ("grants[0].unit", ".unit").
var grantPathRe = regexp.MustCompile(`^(grants\[\d+\])?\.`)

// cliField names a problem's field as the command line knows it: the services name fields by their place in
// an API request body, which means nothing to someone who typed --unit.
func cliField(f string) string { return grantPathRe.ReplaceAllString(f, "") }

// newFlagSet builds a subcommand's flag set whose --help prints a description and the flags.
func newFlagSet(env Env, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: argine %s\n\n%s\n", synopsis, description)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(out, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags, which may come before or after the positional arguments (as in
// "ente create --code x"); fs.Args() then holds the positional ones. --help prints to stdout and ends the
// command successfully.
func parse(fs *flag.FlagSet, env Env, args []string) error {
	fs.SetOutput(io.Discard)
	var positional []string
	err := fs.Parse(args)
	for err == nil && fs.NArg() > 0 {
		rest := fs.Args()
		if rest[0] == "--" {
			positional = append(positional, rest[1:]...)
			break
		}
		positional = append(positional, rest[0])
		err = fs.Parse(rest[1:])
	}
	if err == nil {
		_ = fs.Parse(append([]string{"--"}, positional...)) // leaves exactly the positional args in fs.Args()
	}
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(env.Stdout)
		fs.Usage()
		return flag.ErrHelp
	}
	fs.SetOutput(env.Stderr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "argine: %v\n\n", err)
		fs.Usage()
		return errUsage
	}
	return nil
}

func usageError(fs *flag.FlagSet, env Env, format string, args ...any) error {
	fmt.Fprintf(env.Stderr, "argine: "+format+"\n\n", args...)
	fs.SetOutput(env.Stderr)
	fs.Usage()
	return errUsage
}

func loadConfig(env Env) (config.Config, error) { return config.Load(env.Getenv) }

// app is what a command that touches the database needs.
type app struct {
	db    *database.DB
	store *store.Store
	authz *authz.Authorizer
	entes *service.Entes
	maps  *service.ProcessMaps
	users *service.Users
	cats  *service.Catalogues
	meths *service.Methodologies
	reg   *service.Register
	audit *service.Audit
	cache *service.AccessCache
	log   *slog.Logger
}

// openApp connects and, when migrate is true, brings the schema up to date. A SQLite file that does not
// exist is created only when cfg.CreateDB allows it, and then the command says which file it created.
func openApp(ctx context.Context, env Env, cfg config.Config, log *slog.Logger, migrate bool) (*app, error) {
	target, err := database.ParseURL(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	newFile, err := newSQLiteFile(target, cfg.CreateDB, cfg.DatabaseURL == "")
	if err != nil {
		return nil, err
	}
	if newFile != "" {
		if log != nil {
			log.Info("creating a new SQLite database", "file", newFile)
		} else {
			fmt.Fprintf(env.Stderr, "argine: creating a new SQLite database %s\n", newFile)
		}
	}
	// Migrations run on a connection without the statement bound: building an index on a large table may
	// rightly take longer than any request should.
	opts := database.Options{StatementTimeout: cfg.DBStatementTimeout}
	if migrate {
		opts.StatementTimeout = 0
	}
	db, err := database.Open(ctx, target, opts)
	if err != nil {
		return nil, err
	}
	if migrate {
		n, err := db.Migrate(ctx)
		if err != nil {
			return nil, errors.Join(err, db.Close())
		}
		if n > 0 && log != nil {
			log.Info("database migrated", "applied", n, "dialect", db.Dialect)
		}
		if cfg.DBStatementTimeout > 0 && db.Dialect == database.Postgres {
			if err := db.Close(); err != nil {
				return nil, fmt.Errorf("close the migration connection: %w", err)
			}
			if db, err = database.Open(ctx, target, database.Options{StatementTimeout: cfg.DBStatementTimeout}); err != nil {
				return nil, err
			}
		}
	}
	az, err := authz.Default()
	if cfg.PolicyDir != "" {
		az, err = authz.NewFromDir(cfg.PolicyDir)
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("access policy: %w", err), db.Close())
	}
	s := store.New(db)
	cache := service.NewAccessCache(service.AccessCacheTTL(db.Dialect == database.Postgres))
	meths := service.NewMethodologies(s, az)
	a := &app{db: db, store: s, authz: az, entes: service.NewEntes(s), maps: service.NewProcessMaps(s, az),
		users: service.NewUsers(s, az, cache), cats: service.NewCatalogues(s, az), meths: meths,
		reg: service.NewRegister(s, az, meths), audit: service.NewAudit(s, az), cache: cache, log: log}
	if migrate {
		// A newer shipped catalogue reaches the existing entes here, once (seed.CatalogueRelease).
		added, err := a.cats.ApplyCatalogueReleases(ctx)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("update the shipped catalogue: %w", err), db.Close())
		}
		if len(added) > 0 && log != nil {
			log.Info("shipped catalogue updated", "entes", len(added))
		}
	}
	return a, nil
}

func (a *app) close() { _ = a.db.Close() }

// newSQLiteFile returns the absolute path of the SQLite file target names when that file does not exist yet
// ("" for PostgreSQL, in-memory databases and existing files), or an error when mayCreate is false: run in
// the wrong folder, or with a mistyped path, a command would otherwise work on a new, empty register.
func newSQLiteFile(target database.Target, mayCreate, defaultPath bool) (string, error) {
	if target.Dialect != database.SQLite {
		return "", nil
	}
	path, _, _ := strings.Cut(target.DSN, "?")
	path = strings.TrimPrefix(path, "file:")
	if path == "" || strings.Contains(path, ":memory:") || strings.Contains(target.DSN, "mode=memory") {
		return "", nil
	}
	if _, err := os.Stat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return "", nil // an unreadable file is reported by the driver with its own reason
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if !mayCreate {
		where := "check ARGINE_DATABASE_URL (or --database-url)"
		if defaultPath {
			where = "run this command in the folder that holds argine.db, or set ARGINE_DATABASE_URL (or " +
				"--database-url) to the existing database"
		}
		return "", fmt.Errorf("the database file %s does not exist: %s; to start a new one run "+
			"`argine migrate up`, or pass --create", abs, where)
	}
	return abs, nil
}

func runVersion(_ context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "version", "version", "Print the version of this build.")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "argine %s\ncommit %s\ndate %s\nbuilt with %s %s/%s\n", Version(), BuildCommit(), BuildDate(),
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

func runMigrate(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "migrate", "migrate up|down|status [flags]",
		"up: apply every pending migration (concurrent runs on PostgreSQL wait for each other).\n"+
			"down: roll back the most recent migration.\nstatus: list migrations and whether each is applied.")
	cfg.DatabaseFlags(fs)
	appRole := fs.String("app-role", "", "up, PostgreSQL: also grant this existing role what the application needs, with only SELECT and INSERT on the audit trail (docs/audit-anchoring.md)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(fs, env, "migrate needs one of up, down, status")
	}
	// A mistyped action is a usage error before anything is opened (or a database file created).
	if a := fs.Arg(0); a != "up" && a != "down" && a != "status" {
		return usageError(fs, env, "unknown migrate action %q (want up, down or status)", a)
	}
	if *appRole != "" && fs.Arg(0) != "up" {
		return usageError(fs, env, "--app-role goes with migrate up")
	}
	cfg.DBStatementTimeout = 0 // a migration may rightly run longer than any request
	if fs.Arg(0) == "up" {
		cfg.CreateDB = true // creating the schema is what migrate up is for
	}
	a, err := openApp(ctx, env, cfg, nil, false)
	if err != nil {
		return err
	}
	defer a.close()
	m, err := a.db.NewMigrator()
	if err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d migration(s) applied\n", n)
		if *appRole != "" {
			if err := a.db.GrantAppRole(ctx, *appRole); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "role %s granted the application's privileges (audit trail: SELECT, INSERT only)\n", *appRole)
		}
	case "down":
		v, err := m.Down(ctx)
		if err != nil {
			return err
		}
		if v == 0 {
			fmt.Fprintln(env.Stdout, "nothing to roll back")
		} else {
			fmt.Fprintf(env.Stdout, "rolled back version %d\n", v)
		}
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied " + s.AppliedAt.UTC().Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(env.Stdout, "%05d  %-32s %s\n", s.Version, s.Name, state)
		}
	default:
		return usageError(fs, env, "unknown migrate action %q (want up, down or status)", fs.Arg(0))
	}
	return nil
}

func runEnte(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "ente", "ente create --code CODE --name NAME | ente list",
		"Manage the administrations (enti) hosted by this installation. This is a platform-level command.")
	cfg.DatabaseFlags(fs)
	code := fs.String("code", "", "create: ente code, a lowercase slug (e.g. cciaa-basilicata)")
	name := fs.String("name", "", "create: full name of the administration")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "create" && fs.Arg(0) != "list") {
		return usageError(fs, env, "ente needs create or list")
	}
	a, err := openApp(ctx, env, cfg, nil, true)
	if err != nil {
		return err
	}
	defer a.close()
	if fs.Arg(0) == "create" {
		e, err := a.entes.Create(ctx, *code, *name)
		if err != nil {
			return err
		}
		added, err := a.cats.EnsureStarter(ctx, e.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "ente %s created, with the starter catalogue (%d risk events to validate)\n", e.Code, added)
		return nil
	}
	entes, err := a.entes.List(ctx)
	if err != nil {
		return err
	}
	for _, e := range entes {
		fmt.Fprintf(env.Stdout, "%s\t%s\n", e.Code, e.Name)
	}
	return nil
}
