package cli

import (
	"context"
	"fmt"
	"strings"
)

// runCycle lists an ente's cycles, so an operator can find the code the other commands ask for.
func runCycle(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "cycle", "cycle list --ente CODE",
		"List the cycles (trienni) of an ente, newest first: code, state, whether the process map is loaded,\n"+
			"and the adoption and publication once they happened.")
	cfg.DatabaseFlags(fs)
	enteCode := fs.String("ente", "", "ente code (see argine ente list)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "list" {
		return usageError(fs, env, "cycle needs list")
	}
	if *enteCode == "" {
		return usageError(fs, env, "cycle list needs --ente CODE (see argine ente list)")
	}
	a, err := openApp(ctx, env, cfg, nil, true)
	if err != nil {
		return err
	}
	defer a.close()
	e, err := a.store.EnteByCode(ctx, *enteCode)
	if err != nil {
		return fmt.Errorf("%w (argine ente list shows the enti hosted)", err)
	}
	cycles, err := a.store.Cycles(ctx, e.ID)
	if err != nil {
		return err
	}
	if len(cycles) == 0 {
		fmt.Fprintf(env.Stdout, "ente %s has no cycle yet: argine processmap import --ente %s --cycle 2026-2028 PATH creates one\n", e.Code, e.Code)
		return nil
	}
	for _, c := range cycles {
		notes := []string{"no process map"}
		if c.MapImportedAt != nil {
			notes = []string{"map loaded " + c.MapImportedAt.UTC().Format("2006-01-02")}
		}
		if c.DeliberationNumber != "" {
			notes = append(notes, fmt.Sprintf("adopted by deliberation %s of %s", c.DeliberationNumber, c.DeliberationDate))
		}
		if c.PublishedURL != "" {
			notes = append(notes, fmt.Sprintf("published %s at %s", c.PublishedOn, c.PublishedURL))
		}
		if c.DerivedFrom != "" {
			notes = append(notes, "rolled forward from "+c.DerivedFrom)
		}
		fmt.Fprintf(env.Stdout, "%s\t%s\t%s\n", c.Code, c.State, strings.Join(notes, "; "))
	}
	return nil
}
