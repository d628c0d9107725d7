package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/argine-pa/argine/internal/domain"
)

// errChainBroken makes `audit verify` exit non-zero after printing where the chain breaks.
var errChainBroken = errors.New("the audit trail does not verify")

func runAudit(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "audit", "audit verify [--ente CODE]",
		"Verify the hash chain of the audit trail of one ente, or of every ente, from its first record. It reads\n"+
			"the trail as a stream (constant memory) and names the first record that does not verify: altered,\n"+
			"missing, moved, or missing from the end. The exit status is 1 when any chain is broken.")
	cfg.DatabaseFlags(fs)
	enteCode := fs.String("ente", "", "ente code (default: every ente)")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "verify" {
		return usageError(fs, env, "audit needs the action verify")
	}
	a, err := openApp(ctx, cfg, nil, true)
	if err != nil {
		return err
	}
	defer a.close()
	var entes []domain.Ente
	if *enteCode != "" {
		e, err := a.store.EnteByCode(ctx, *enteCode)
		if err != nil {
			return err
		}
		entes = append(entes, *e)
	} else if entes, err = a.entes.List(ctx); err != nil {
		return err
	}
	broken := false
	for _, e := range entes {
		v, err := a.audit.VerifyEnte(ctx, e.ID)
		if err != nil {
			return err
		}
		if v.Valid {
			fmt.Fprintf(env.Stdout, "%s: %d records, chain intact\n", e.Code, v.Records)
			continue
		}
		broken = true
		fmt.Fprintf(env.Stdout, "%s: BROKEN at record %d [%s]: %s\n", e.Code, v.Break.Seq, v.Break.Code, v.Break.Reason)
	}
	if broken {
		return errChainBroken
	}
	return nil
}
