package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/config"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// errChainBroken makes `audit verify` exit non-zero after printing where the chain breaks.
var errChainBroken = errors.New("the audit trail does not verify")

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// auditSigner reads the checkpoint signing key from the configuration; nil when none is set.
func auditSigner(cfg config.Config) (*auditanchor.Signer, error) {
	key, err := cfg.AuditKey()
	if err != nil || key == "" {
		return nil, err
	}
	return auditanchor.ParsePrivateKey(key)
}

func runAudit(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "audit", "audit verify|checkpoint|keygen [flags]",
		"verify [--ente CODE] [--checkpoint FILE ...] [--public-key FILE] [--register FILE ...]: verify the hash chain of the audit trail\n"+
			"  of one ente, or of every ente, from its first record, streaming (constant memory). The chain must hold\n"+
			"  the audit head of each adopted snapshot and of each checkpoint given (signed by --public-key, or by the\n"+
			"  key in ARGINE_AUDIT_SIGNING_KEY), of each published register JSON given, and of the server's latest\n"+
			"  checkpoint in ARGINE_AUDIT_CHECKPOINT_DIR.\n"+
			"  It names the first record that does not verify; the exit status is 1 when any chain is broken.\n"+
			"checkpoint [--ente CODE] --out FILE: verify the chain and write a checkpoint of its head signed with the\n"+
			"  key in ARGINE_AUDIT_SIGNING_KEY[_FILE]; without --ente, --out is a folder and gets one file per ente.\n"+
			"keygen --out PREFIX: create a checkpoint signing key pair, PREFIX.key (secret) and PREFIX.pub.")
	cfg.DatabaseFlags(fs)
	enteCode := fs.String("ente", "", "ente code (default: every ente)")
	var checkpoints stringList
	fs.Var(&checkpoints, "checkpoint", "verify: a checkpoint file the chain must extend (repeatable)")
	publicKey := fs.String("public-key", "", "verify: file with the public key that signed the checkpoints (PEM)")
	var registers stringList
	fs.Var(&registers, "register", "verify: a published register document (JSON open data) whose audit head the chain must hold (repeatable)")
	out := fs.String("out", "", "checkpoint: the file (or folder, for every ente) to write; keygen: the key files' prefix")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(fs, env, "audit needs one action: verify, checkpoint or keygen")
	}
	switch fs.Arg(0) {
	case "keygen":
		if *out == "" {
			return usageError(fs, env, "keygen needs --out PREFIX")
		}
		return auditKeygen(env, *out)
	case "verify", "checkpoint":
	default:
		return usageError(fs, env, "unknown audit action %q (want verify, checkpoint or keygen)", fs.Arg(0))
	}
	if fs.Arg(0) == "checkpoint" && *out == "" {
		return usageError(fs, env, "checkpoint needs --out FILE")
	}
	signer, err := auditSigner(cfg)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, cfg, nil, true)
	if err != nil {
		return err
	}
	defer a.close()
	if signer != nil && cfg.AuditCheckpointDir != "" {
		a.audit.SetAnchoring(service.AnchorConfig{Signer: signer, Dir: &auditanchor.Dir{Path: cfg.AuditCheckpointDir}, Version: Version()})
	}
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
	if fs.Arg(0) == "checkpoint" {
		if signer == nil {
			return fmt.Errorf("no signing key: set ARGINE_AUDIT_SIGNING_KEY_FILE to the key made by `argine audit keygen`")
		}
		return auditCheckpoint(ctx, env, a, signer, entes, *enteCode == "", *out)
	}
	return auditVerify(ctx, env, a, signer, entes, *enteCode, checkpoints, registers, *publicKey)
}

func auditKeygen(env Env, prefix string) error {
	s, err := auditanchor.GenerateKey()
	if err != nil {
		return err
	}
	keyFile, pubFile := prefix+".key", prefix+".pub"
	for _, f := range []string{keyFile, pubFile} {
		if _, err := os.Stat(f); err == nil {
			return fmt.Errorf("%s exists: not overwritten (a lost signing key cannot be recovered, a replaced one invalidates nothing but confuses everyone)", f)
		}
	}
	// O_EXCL: never follow or replace a file that appeared meanwhile.
	write := func(name string, b []byte, mode os.FileMode) error {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			return errors.Join(err, f.Close())
		}
		return f.Close()
	}
	if err := write(keyFile, s.PrivatePEM(), 0o600); err != nil {
		return err
	}
	pub := s.Public()
	if err := write(pubFile, pub.PEM(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "signing key: %s (secret: give it to the server as ARGINE_AUDIT_SIGNING_KEY_FILE, keep a copy offline)\n", keyFile)
	fmt.Fprintf(env.Stdout, "public key:  %s (give it to the OIV)\n", pubFile)
	fmt.Fprintf(env.Stdout, "fingerprint: %s\n%s", pub.Fingerprint(), pub.PEM())
	return nil
}

func auditCheckpoint(ctx context.Context, env Env, a *app, signer *auditanchor.Signer, entes []domain.Ente, every bool, out string) error {
	if every {
		if err := os.MkdirAll(out, 0o750); err != nil {
			return err
		}
	}
	for _, e := range entes {
		c, _, err := a.audit.Checkpoint(ctx, signer, e.ID, e.Code, Version())
		if err != nil {
			return fmt.Errorf("%s: %w", e.Code, err)
		}
		name := out
		if every {
			name = filepath.Join(out, e.Code+".json")
		}
		if err := os.WriteFile(name, c.Marshal(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: checkpoint of record %d (%s) written to %s, key %s\n", e.Code, c.HeadSeq, c.HeadHash, name, c.KeyID)
	}
	return nil
}

func auditVerify(ctx context.Context, env Env, a *app, signer *auditanchor.Signer, entes []domain.Ente, enteCode string, files, registers []string, publicKey string) error {
	published := map[string][]service.PublishedHead{} // by ente code
	for _, f := range registers {
		p, err := readPublishedHead(f)
		if err != nil {
			return err
		}
		published[p.EnteCode] = append(published[p.EnteCode], p)
	}
	var pub auditanchor.PublicKey
	switch {
	case publicKey != "":
		b, err := os.ReadFile(publicKey)
		if err != nil {
			return err
		}
		if pub, err = auditanchor.ParsePublicKey(string(b)); err != nil {
			return err
		}
	case signer != nil:
		pub = signer.Public()
	case len(files) > 0:
		return fmt.Errorf("checkpoints need the public key that signed them: give --public-key FILE")
	}
	byEnte := map[string][]auditanchor.Checkpoint{}
	broken := false
	for _, f := range files {
		c, err := auditanchor.ReadFile(f)
		if err == nil {
			err = pub.Verify(c)
		}
		if err != nil {
			// A checkpoint that does not verify is not evidence of anything: say so and fail.
			fmt.Fprintf(env.Stdout, "%s: INVALID checkpoint: %v\n", f, err)
			broken = true
			continue
		}
		if enteCode != "" && c.EnteCode != enteCode && (len(entes) == 0 || c.EnteID != entes[0].ID) {
			return fmt.Errorf("%s is a checkpoint of ente %s, not of %s", f, c.EnteCode, enteCode)
		}
		byEnte[c.EnteID] = append(byEnte[c.EnteID], c)
	}
	seen, codes := map[string]bool{}, map[string]bool{}
	for _, e := range entes {
		seen[e.ID], codes[e.Code] = true, true
	}
	for code := range published {
		if !codes[code] {
			return fmt.Errorf("a register given is of ente %s, which is not being verified (or not in the database)", code)
		}
	}
	// A checkpoint of an ente no longer in the database is checked too: its trail must still be there.
	for id, cs := range byEnte {
		if !seen[id] {
			entes = append(entes, domain.Ente{ID: id, Code: cs[0].EnteCode + " (ente not in the database)"})
		}
	}
	for _, e := range entes {
		v, err := a.audit.VerifyDocuments(ctx, e.ID, byEnte[e.ID], published[e.Code])
		if err != nil {
			return err
		}
		if v.Valid {
			fmt.Fprintf(env.Stdout, "%s: %d records, chain intact%s\n", e.Code, v.Records, anchorSummary(v.Anchors))
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

func anchorSummary(anchors []domain.AuditAnchor) string {
	var snaps, cps, docs int
	for _, a := range anchors {
		switch a.Kind {
		case "checkpoint":
			cps++
		case "register":
			docs++
		default:
			snaps++
		}
	}
	if snaps+cps+docs == 0 {
		return " (no snapshot or checkpoint to anchor it)"
	}
	out := fmt.Sprintf(", holding the heads of %d snapshot(s) and %d checkpoint(s)", snaps, cps)
	if docs > 0 {
		out += fmt.Sprintf(" and %d published register(s)", docs)
	}
	return out
}

var _ flag.Value = (*stringList)(nil)

// readPublishedHead reads the audit head printed in a published register JSON; the rows that follow it are
// read and dropped, so a document of any size is read in bounded memory.
func readPublishedHead(name string) (service.PublishedHead, error) {
	f, err := os.Open(name)
	if err != nil {
		return service.PublishedHead{}, err
	}
	defer func() { _ = f.Close() }() // read-only: closing cannot lose anything
	var p service.PublishedHead
	if err := json.NewDecoder(f).Decode(&p); err != nil {
		return p, fmt.Errorf("%s: not a register JSON document: %w", name, err)
	}
	if !p.Adopted || p.EnteCode == "" || p.Seq <= 0 || len(p.Hash) != 64 {
		return p, fmt.Errorf("%s: not the JSON of an adopted register with its audit head (audit_record_adozione, audit_hash_adozione)", name)
	}
	return p, nil
}
