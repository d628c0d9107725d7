// Command testidp serves the test OpenID Provider of package oidctest for the browser end-to-end run (the
// Playwright configuration starts it with `go run`): a real provider on loopback that knows the demo's dir2
// (password only) and rpct (with a second factor, amr mfa), both with the password "password-di-prova". It writes
// the Argine configuration naming it (ARGINE_OIDC_CONFIG_FILE, with the client secret in a file beside it) and
// serves until stopped. It is a development tool: not part of the argine binary.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/argine-pa/argine/internal/oidctest"
)

// Password is every test person's password at the provider.
const Password = "password-di-prova"

func main() {
	addr := flag.String("addr", "127.0.0.1:9998", "loopback address to listen on")
	argineURL := flag.String("argine-url", "http://127.0.0.1:8080", "Argine's ARGINE_PUBLIC_URL")
	ente := flag.String("ente", "cciaa-basilicata", "ente code whose provider this is")
	configOut := flag.String("config-out", "", "where to write Argine's ARGINE_OIDC_CONFIG_FILE (the secret goes beside it)")
	flag.Parse()
	if err := run(*addr, strings.TrimRight(*argineURL, "/"), *ente, *configOut); err != nil {
		fmt.Fprintln(os.Stderr, "testidp:", err)
		os.Exit(1)
	}
}

func run(addr, argineURL, ente, configOut string) error {
	const clientID, secret = "argine-e2e", "segreto-del-client-di-prova"
	idp, err := oidctest.Listen(addr, oidctest.Options{ClientID: clientID, ClientSecret: secret,
		RedirectURIs:           []string{argineURL + "/api/v1/auth/oidc/" + ente + "/callback"},
		PostLogoutRedirectURIs: []string{argineURL + "/"},
		Users: []oidctest.User{
			{Username: "dir2", Password: Password, Name: "Dirigente Area2", Email: "dir2@example.org", AMR: []string{"pwd"}},
			{Username: "rpct", Password: Password, Name: "Responsabile Anticorruzione", Email: "rpct@example.org", AMR: []string{"pwd", "mfa"}},
		}})
	if err != nil {
		return err
	}
	defer idp.Close()
	if configOut != "" {
		secretFile := filepath.Join(filepath.Dir(configOut), "oidc-client-secret")
		if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
			return err
		}
		abs, _ := filepath.Abs(secretFile)
		cfg := map[string]any{"providers": map[string]any{ente: map[string]any{
			"display_name": "IdP di prova", "issuer": idp.Issuer, "client_id": clientID, "client_secret_file": abs,
			"username_claim": "preferred_username"}}}
		b, _ := json.MarshalIndent(cfg, "", "  ")
		// Written whole under another name, then renamed: whoever waits for the file never reads half of it.
		if err := os.WriteFile(configOut+".tmp", b, 0o600); err != nil {
			return err
		}
		if err := os.Rename(configOut+".tmp", configOut); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "testidp: serving", idp.Issuer)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}
