package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// readPassword takes a password from a file, standard input ("-"), or generates a strong one.
func readPassword(file string, stdin io.Reader) (pw string, generated bool, err error) {
	switch file {
	case "":
		return generatePassword(), true, nil
	case "-":
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", false, err
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", false, err
	}
	return strings.TrimRight(string(b), "\r\n"), false, nil
}

// generatePassword makes a 20-character password from an alphabet without look-alike characters.
func generatePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	for i := 0; i < 20; i++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b.WriteByte(alphabet[n.Int64()])
		if i%5 == 4 && i < 19 {
			b.WriteByte('-')
		}
	}
	return b.String()
}

func runUser(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "user", "user ACTION --ente CODE [flags]",
		"Manage the users of an ente from the command line, e.g. the first RPCT of a fresh install:\n\n"+
			"  argine user create --ente cciaa-basilicata --username rpct --full-name \"Mario Rossi\" --role rpct\n\n"+
			"Actions:\n"+
			"  create          --username U [--full-name N] [--email E] [--role R [--unit CODE]] [--password-file F|-]\n"+
			"  list            users and their grants\n"+
			"  grant, revoke   --username U --role R [--unit CODE]  (director and referente grants name a unit)\n"+
			"  disable, enable --username U  (disabling closes every session at once)\n"+
			"  reset-password  --username U [--password-file F|-]  (closes every session)\n\n"+
			"Without --password-file a strong password is generated and printed once. Roles: admin, rpct,\n"+
			"director, referente, oiv.\n\n"+
			"This is the operator's path: it grants and revokes rpct and oiv and resets or disables their holders\n"+
			"directly, where the app needs a request confirmed by a second person. The role rules hold here too:\n"+
			"admin takes no register role, oiv takes no other role, the last active rpct stays.")
	cfg.DatabaseFlags(fs)
	enteCode := fs.String("ente", "", "ente code (required)")
	username := fs.String("username", "", "username")
	fullName := fs.String("full-name", "", "full name")
	email := fs.String("email", "", "e-mail address")
	role := fs.String("role", "", "role to grant or revoke")
	unit := fs.String("unit", "", "organisational unit code of a director or referente grant, e.g. AD1")
	pwFile := fs.String("password-file", "", "file holding the password, or - for standard input")
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *enteCode == "" {
		return usageError(fs, env, "user needs one action and --ente")
	}
	action := fs.Arg(0)
	needsUser := action != "list"
	if needsUser && *username == "" {
		return usageError(fs, env, "user %s needs --username", action)
	}
	a, err := openApp(ctx, env, cfg, nil, true)
	if err != nil {
		return err
	}
	defer a.close()
	ente, err := a.entes.TenantByCode(ctx, *enteCode)
	if err != nil {
		return err
	}
	op := a.users.AsOperator()
	grant := domain.Grant{Role: domain.Role(*role), UnitCode: *unit}
	switch action {
	case "create":
		pw, generated, err := readPassword(*pwFile, os.Stdin)
		if err != nil {
			return err
		}
		in := service.NewUser{Username: *username, FullName: *fullName, Email: *email, Password: pw}
		if *role != "" {
			in.Grants = []domain.Grant{grant}
		}
		u, err := op.Create(ctx, ente.EnteID, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "user %s created\n", u.Username)
		if generated {
			fmt.Fprintf(env.Stdout, "password (shown once, change it at first sign-in): %s\n", pw)
		}
	case "list":
		users, err := op.List(ctx, ente.EnteID)
		if err != nil {
			return err
		}
		for _, u := range users {
			var grants []string
			for _, g := range u.Grants {
				s := string(g.Role)
				if g.UnitCode != "" {
					s += "@" + g.UnitCode
				}
				grants = append(grants, s)
			}
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(env.Stdout, "%s\t%s\t%s\t%s\n", u.Username, state, strings.Join(grants, ","), u.FullName)
		}
	case "grant":
		if _, err := op.Grant(ctx, ente.EnteID, *username, grant); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s granted %s %s\n", *username, *role, *unit)
	case "revoke":
		if err := op.Revoke(ctx, ente.EnteID, *username, grant); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %s %s revoked\n", *username, *role, *unit)
	case "disable", "enable":
		if err := op.SetDisabled(ctx, ente.EnteID, *username, action == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s %sd\n", *username, action)
	case "reset-password":
		pw, generated, err := readPassword(*pwFile, os.Stdin)
		if err != nil {
			return err
		}
		if err := op.ResetPassword(ctx, ente.EnteID, *username, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "password of %s reset; every session closed\n", *username)
		if generated {
			fmt.Fprintf(env.Stdout, "new password (shown once): %s\n", pw)
		}
	default:
		return usageError(fs, env, "unknown user action %q", action)
	}
	return nil
}
