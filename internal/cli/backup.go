package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/argine-pa/argine/internal/backup"
	"github.com/argine-pa/argine/internal/database"
)

// errInconsistent makes backup --check (and restore) exit 1 after printing what does not hold.
var errInconsistent = errors.New("the installation does not check out")

func runBackup(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "backup", "backup --out FILE | backup --check [flags]",
		"--out FILE (SQLite): write one archive (.tar.gz) with an online copy of the database (taken while the\n"+
			"  server keeps running), the evidence files kept on disk and the signed audit checkpoints, closed by a\n"+
			"  manifest with every file's SHA-256. Restore it with argine restore FILE --into DIR.\n"+
			"--check (SQLite and PostgreSQL): check that the database carries this binary's migrations, that every\n"+
			"  ente's audit trail verifies and that every evidence file is there with its recorded SHA-256. Run it\n"+
			"  after a pg_restore or a restore; exit status 1 when anything does not hold.\n"+
			"On PostgreSQL the database is backed up with pg_dump (docs/production.md).")
	cfg.DatabaseFlags(fs)
	out := fs.String("out", "", "file to write the archive to (must not exist)")
	check := fs.Bool("check", false, "check the installation's consistency instead of writing an archive")
	fs.StringVar(&cfg.EvidenceDir, "evidence-dir", cfg.EvidenceDir, "folder of the evidence files kept on disk (env ARGINE_EVIDENCE_DIR)")
	fs.StringVar(&cfg.AuditCheckpointDir, "audit-checkpoint-dir", cfg.AuditCheckpointDir, "folder of the signed audit checkpoints (env ARGINE_AUDIT_CHECKPOINT_DIR)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || (*out == "") == !*check {
		return usageError(fs, env, "backup needs either --out FILE or --check")
	}
	a, err := openApp(ctx, env, cfg, nil, false)
	if err != nil {
		return err
	}
	defer a.close()
	if *check {
		return consistencyCheck(ctx, env, a, cfg.EvidenceDir)
	}
	if a.db.Dialect != database.SQLite {
		return errors.New("on PostgreSQL back up the database with pg_dump -Fc and copy the evidence folder " +
			"(docs/production.md, \"Backups\"); argine backup --check then checks a restored copy")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists: not overwritten", *out)
	}
	// Written under a temporary name and renamed when complete: a file named FILE is always a whole archive.
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".partial-")
	if err != nil {
		return err
	}
	// The archive holds the whole register, password hashes included: readable by its owner only.
	if err := tmp.Chmod(0o600); err != nil {
		return errors.Join(err, tmp.Close(), os.Remove(tmp.Name()))
	}
	m, err := backup.Create(ctx, a.db, backup.Options{EvidenceDir: cfg.EvidenceDir, CheckpointDir: cfg.AuditCheckpointDir,
		Version: Version()}, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	fmt.Fprintf(env.Stdout, "backup written to %s: database at migration %d, %d evidence file(s), %d file(s), %d bytes before compression\n",
		*out, m.MigrationVersion, m.EvidenceFiles, len(m.Files), size)
	if len(m.Problems) > 0 {
		fmt.Fprintf(env.Stdout, "%d problem(s), the archive lacks what they name:\n", len(m.Problems))
		for _, p := range m.Problems {
			fmt.Fprintf(env.Stdout, "  %s\n", p)
		}
		return errInconsistent
	}
	return nil
}

func runRestore(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "restore", "restore FILE --into DIR",
		"Unpack an archive written by argine backup into DIR, a folder that must not exist: DIR/argine.db,\n"+
			"DIR/evidence and DIR/checkpoints. Every file is checked against the archive's manifest before anything is\n"+
			"put in place; then the restored database's migrations, audit trail and evidence files are checked.\n"+
			"A PostgreSQL installation is restored with pg_restore (docs/production.md).")
	into := fs.String("into", "", "folder to restore into (must not exist)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *into == "" {
		return usageError(fs, env, "restore needs one FILE and --into DIR")
	}
	if strings.Contains(*into, "://") {
		return errors.New("--into takes a folder: the archive is a SQLite installation; a PostgreSQL one is restored " +
			"with pg_restore (docs/production.md)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read-only
	m, err := backup.Restore(f, *into)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(*into)
	if err != nil {
		abs = *into
	}
	fmt.Fprintf(env.Stdout, "restored %d file(s) of the backup of %s (argine %s) into %s; every checksum matches\n",
		len(m.Files), m.CreatedAt.Format("2006-01-02 15:04:05Z"), m.ArgineVersion, abs)
	cfg.DatabaseURL = "sqlite:" + filepath.Join(abs, backup.DatabaseFile)
	cfg.CreateDB = false
	a, err := openApp(ctx, env, cfg, nil, false)
	if err != nil {
		return err
	}
	defer a.close()
	if err := consistencyCheck(ctx, env, a, filepath.Join(abs, backup.EvidenceDir)); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "to run on it:\n  ARGINE_DATABASE_URL=sqlite:%s\n  ARGINE_EVIDENCE_DIR=%s\n  ARGINE_AUDIT_CHECKPOINT_DIR=%s\n",
		filepath.Join(abs, backup.DatabaseFile), filepath.Join(abs, backup.EvidenceDir), filepath.Join(abs, backup.CheckpointsDir))
	return nil
}

// consistencyCheck prints and checks what a restored or running installation must hold: the migrations this
// binary expects, every ente's audit chain intact, every evidence file present with its SHA-256.
func consistencyCheck(ctx context.Context, env Env, a *app, evidenceDir string) error {
	ok := true
	m, err := a.db.NewMigrator()
	if err != nil {
		return err
	}
	v, err := m.DBVersion(ctx)
	if err != nil {
		return err
	}
	switch latest := m.LatestVersion(); {
	case v == latest:
		fmt.Fprintf(env.Stdout, "migrations: at version %d, as this argine expects\n", v)
	case v < latest:
		ok = false
		fmt.Fprintf(env.Stdout, "migrations: at version %d, this argine expects %d: run argine migrate up\n", v, latest)
	default:
		ok = false
		fmt.Fprintf(env.Stdout, "migrations: at version %d, newer than this argine (%d): use the argine that wrote it\n", v, latest)
	}
	entes, err := a.entes.List(ctx)
	if err != nil {
		return err
	}
	if err := auditVerify(ctx, env, a, nil, entes, "", nil, nil, ""); errors.Is(err, errChainBroken) {
		ok = false
	} else if err != nil {
		return err
	}
	rep, err := backup.CheckEvidence(ctx, a.store, evidenceDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "evidence: %d file(s) in the database, %d on disk", rep.InDatabase, rep.OnDisk)
	if len(rep.Problems) == 0 {
		fmt.Fprintln(env.Stdout, ", every one present with its recorded SHA-256")
	} else {
		ok = false
		fmt.Fprintf(env.Stdout, ", %d problem(s):\n", len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(env.Stdout, "  %s\n", p)
		}
	}
	if !ok {
		return errInconsistent
	}
	return nil
}
