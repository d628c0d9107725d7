package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/argine-pa/argine/internal/registerimport"
	"github.com/argine-pa/argine/internal/service"
)

func runRegister(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "import" {
		return runRegisterImport(ctx, env, args[1:])
	}
	fs := newFlagSet(env, "register", "register import [flags]",
		"import: read an existing register from a spreadsheet into a cycle's drafts (argine register import --help)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	return usageError(fs, env, "register needs import")
}

func runRegisterImport(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "register import", "register import --ente CODE --cycle YYYY-YYYY [--dry-run] [--confirm CODES] FILE",
		"Read an existing risk register from FILE (.xlsx, .ods or .csv, laid out as registro.xlsx or\n"+
			"registro-modello.xlsx; the ente's saved column mapping applies) into the cycle's draft assessments,\n"+
			"in one transaction: nothing is written if the file has problems, and never over a submitted or\n"+
			"approved assessment. --dry-run only reports what would be created, updated or skipped, and every\n"+
			"problem with its sheet, row and column. Leaves whose titles differ from the map's are attached only\n"+
			"when listed in --confirm (comma-separated codes). Importing the same file again changes nothing.")
	cfg.DatabaseFlags(fs)
	enteCode := fs.String("ente", "", "ente code (required)")
	cycle := fs.String("cycle", "", "cycle code, e.g. 2026-2028 (required)")
	dryRun := fs.Bool("dry-run", false, "report only, write nothing")
	confirm := fs.String("confirm", "", "codes of the leaves whose title mismatch is confirmed, comma-separated")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if *enteCode == "" || *cycle == "" || fs.NArg() != 1 {
		return usageError(fs, env, "register import needs --ente, --cycle and one FILE")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, registerimport.MaxFileSize+1))
	_ = f.Close() // read-only
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, cfg, nil, true)
	if err != nil {
		return err
	}
	defer a.close()
	t, err := a.entes.TenantByCode(ctx, *enteCode)
	if err != nil {
		return err
	}
	opt := service.ImportOptions{DryRun: *dryRun}
	for _, c := range strings.Split(*confirm, ",") {
		if c = strings.TrimSpace(c); c != "" {
			opt.Confirmed = append(opt.Confirmed, c)
		}
	}
	rep, err := a.reg.ImportRegister(ctx, service.CommandLineActor(t), *cycle, filepath.Base(fs.Arg(0)), data, opt)
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(env.Stdout, "problem: %s\n", p.String())
	}
	for _, l := range rep.Leaves {
		line := fmt.Sprintf("%-10s %s (%d risks, %d measures)", l.Action, l.Code, l.Risks, l.Measures)
		if l.Reason != "" {
			line += ": " + l.Reason
		}
		if l.NeedsConfirmation {
			line += fmt.Sprintf(" [title %q vs map %q, similarity %.2f]", l.FileTitle, l.MapTitle, l.Similarity)
		}
		fmt.Fprintln(env.Stdout, line)
	}
	verb := "imported"
	if *dryRun {
		verb = "dry run"
	}
	fmt.Fprintf(env.Stdout, "%s: %d created, %d updated, %d unchanged, %d skipped, %d problems\n", verb, rep.Created, rep.Updated,
		rep.Unchanged, rep.Skipped, len(rep.Problems))
	if len(rep.Problems) > 0 {
		return fmt.Errorf("the file has %d problems: nothing was written", len(rep.Problems))
	}
	return nil
}
