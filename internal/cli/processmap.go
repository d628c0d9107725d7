package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/processmap"
	"github.com/argine-pa/argine/internal/seed"
)

func runProcessMap(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runMapImport(ctx, env, args[1:])
		case "export":
			return runMapExport(ctx, env, args[1:])
		case "validate":
			return runMapValidate(env, args[1:])
		}
	}
	fs := newFlagSet(env, "processmap", "processmap import|export|validate [flags]",
		"import:   load a map into a cycle (argine processmap import --help)\n"+
			"export:   write a cycle's map as CSV files or an XLSX workbook\n"+
			"validate: check a map file without touching the database\n\n"+
			"The format is described in docs/import-format.md.")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	return usageError(fs, env, "processmap needs one of import, export, validate")
}

func printCounts(env Env, c domain.Counts) {
	fmt.Fprintf(env.Stdout, "  %d macro-processes, %d processes, %d sub-processes, %d actions (%d leaves)\n",
		c.Macro, c.Process, c.Subprocess, c.Action, c.Leaves)
}

func runMapValidate(env Env, args []string) error {
	fs := newFlagSet(env, "processmap validate", "processmap validate PATH",
		"Check a map without touching the database. PATH is a directory with process_map.csv, units.csv,\n"+
			"strategic_objectives.csv and risk_areas.csv, the process_map.csv of such a directory, or an .xlsx\n"+
			"workbook with sheets of the same names. Every problem is reported with its file, line and column.")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(fs, env, "processmap validate needs exactly one PATH")
	}
	m, err := processmap.ReadPath(fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "valid map:")
	printCounts(env, m.Count())
	return nil
}

func runMapImport(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "processmap import", "processmap import --ente CODE --cycle YYYY-YYYY [flags] PATH",
		"Load a process map into a cycle of an ente, in one transaction: nothing is written unless the whole\n"+
			"input is valid. PATH is a directory with process_map.csv, units.csv, strategic_objectives.csv and\n"+
			"risk_areas.csv, the process_map.csv of such a directory, or an .xlsx workbook with sheets of the same\n"+
			"names. Importing the same map again changes nothing; a changed map replaces the cycle's map only while\n"+
			"no register data is attached to it. The cycle is created if it does not exist.\n"+
			"Use PATH 'seed:cciaa-basilicata' for the curated map shipped with Argine.")
	cfg.DatabaseFlags(fs)
	enteCode := fs.String("ente", "", "ente code (required)")
	cycle := fs.String("cycle", "", "cycle code, e.g. 2026-2028 (required)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if *enteCode == "" || *cycle == "" || fs.NArg() != 1 {
		return usageError(fs, env, "processmap import needs --ente, --cycle and one PATH")
	}
	if _, _, err := domain.ParseCycleCode(*cycle); err != nil {
		return err
	}
	var m *domain.ProcessMap
	if fs.Arg(0) == "seed:"+seed.DemoEnteCode {
		m, err = seed.BasilicataMap()
	} else {
		m, err = processmap.ReadPath(fs.Arg(0))
	}
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
		return fmt.Errorf("%w (create it with: argine ente create --code %s --name NAME)", err, *enteCode)
	}
	res, err := a.maps.Import(ctx, t, *cycle, m)
	if err != nil {
		return err
	}
	switch res.Outcome {
	case "unchanged":
		fmt.Fprintf(env.Stdout, "map of %s %s unchanged: nothing written\n", *enteCode, *cycle)
	case "replaced":
		fmt.Fprintf(env.Stdout, "map of %s %s replaced:\n", *enteCode, *cycle)
	default:
		fmt.Fprintf(env.Stdout, "map of %s %s imported:\n", *enteCode, *cycle)
	}
	printCounts(env, res.Counts)
	return nil
}

func runMapExport(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "processmap export", "processmap export --ente CODE --cycle YYYY-YYYY [--format csv|xlsx] [--out PATH]",
		"Write a cycle's map in the import format; importing the output again changes nothing.\n"+
			"csv writes four files into the directory --out (default ENTE_CYCLE); xlsx writes one workbook\n"+
			"(default ENTE_CYCLE.xlsx; --out - writes it to standard output).")
	cfg.DatabaseFlags(fs)
	enteCode := fs.String("ente", "", "ente code (required)")
	cycle := fs.String("cycle", "", "cycle code, e.g. 2026-2028 (required)")
	format := fs.String("format", "csv", "csv or xlsx")
	out := fs.String("out", "", "output directory (csv) or file (xlsx)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if *enteCode == "" || *cycle == "" || fs.NArg() != 0 {
		return usageError(fs, env, "processmap export needs --ente and --cycle, and no other argument")
	}
	if *format != "csv" && *format != "xlsx" {
		return usageError(fs, env, "unknown --format %q (want csv or xlsx)", *format)
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
	m, err := a.maps.Export(ctx, t, *cycle)
	if err != nil {
		return err
	}
	base := *enteCode + "_" + *cycle
	if *format == "csv" {
		dir := *out
		if dir == "" {
			dir = base
		}
		if err := processmap.WriteCSVDir(dir, m); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "map written to %s\n", dir)
		return nil
	}
	if *out == "-" {
		return processmap.WriteXLSX(env.Stdout, m)
	}
	path := *out
	if path == "" {
		path = base + ".xlsx"
	}
	return writeFileAtomically(path, func(f *os.File) error { return processmap.WriteXLSX(f, m) }, env)
}

// exportedFileMode is the mode of the files an export writes: readable by others, as a file saved by an editor.
const exportedFileMode = 0o644

// writeFileAtomically writes through a temporary file in the same directory, so a failure leaves no half file.
func writeFileAtomically(path string, write func(*os.File) error, env Env) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".argine-export-*")
	if err != nil {
		return err
	}
	// CreateTemp makes the file 0600; an exported map is a document to share, readable like any other file.
	if err := tmp.Chmod(exportedFileMode); err != nil {
		return errors.Join(err, tmp.Close(), os.Remove(tmp.Name()))
	}
	// On failure the temporary file goes; a failure to remove it is reported with the cause, as the file stays.
	if err := write(tmp); err != nil {
		return errors.Join(err, tmp.Close(), os.Remove(tmp.Name()))
	}
	if err := tmp.Close(); err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return errors.Join(err, os.Remove(tmp.Name()))
	}
	fmt.Fprintf(env.Stderr, "map written to %s\n", path)
	return nil
}
