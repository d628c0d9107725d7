package oidclogin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte("il-segreto\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "oidc.json")
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(body, "SECRET", filepath.Join(dir, "secret"))), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The file is read with its defaults and the secret from its own file; local accounts can be switched off for
// all but the break-glass administrators.
func TestLoadFile(t *testing.T) {
	f, err := LoadFile(writeConfig(t, `{"providers": {"ente-a": {"display_name": "Entra ID", "issuer": "https://login.microsoftonline.com/t/v2.0",
		"client_id": "c", "client_secret_file": "SECRET", "local_accounts": false, "break_glass_users": [" Admin "]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	p := f.Providers["ente-a"]
	if p.clientSecret != "il-segreto" || p.UsernameClaim != "preferred_username" || p.Mode != ModeExistingUsers ||
		strings.Join(p.Scopes, " ") != "openid profile email" || strings.Join(p.SecondFactorAMR, ",") != "mfa,otp,hwk" {
		t.Fatalf("defaults: %+v", p)
	}
	if f.LocalLoginAllowed("ente-a", "dir2") || !f.LocalLoginAllowed("ente-a", "admin") || !f.LocalLoginAllowed("ente-b", "dir2") {
		t.Fatal("local accounts switch")
	}
}

// Each mistake is refused with the ente and the field named.
func TestLoadFileRefusesMistakes(t *testing.T) {
	for body, want := range map[string]string{
		`{"providers": {"e": {"display_name": "X", "issuer": "http://idp.example", "client_id": "c", "client_secret_file": "SECRET"}}}`:                           "issuer",
		`{"providers": {"e": {"display_name": "X", "issuer": "https://idp.example", "client_secret_file": "SECRET"}}}`:                                            "client_id",
		`{"providers": {"e": {"display_name": "X", "issuer": "https://idp.example", "client_id": "c"}}}`:                                                          "client_secret_file",
		`{"providers": {"e": {"issuer": "https://idp.example", "client_id": "c", "client_secret_file": "SECRET"}}}`:                                               "display_name",
		`{"providers": {"e": {"display_name": "X", "issuer": "https://idp.example", "client_id": "c", "client_secret_file": "SECRET", "mode": "all"}}}`:           "mode",
		`{"providers": {"e": {"display_name": "X", "issuer": "https://idp.example", "client_id": "c", "client_secret_file": "SECRET", "mode": "map_claims"}}}`:    "role_claim",
		`{"providers": {"e": {"display_name": "X", "issuer": "https://idp.example", "client_id": "c", "client_secret_file": "SECRET", "local_accounts": false}}}`: "break_glass_users",
		`{"providers": {"e": {"display_name": "X", "issuer": "https://idp.example", "client_id": "c", "client_secret_file": "SECRET", "mode": "map_claims",
			"role_claim": "groups", "role_mapping": {"g": [{"role": "director"}]}}}}`: `role_mapping["g"][0].unit`,
		`{"providers": {"e": {"display_name": "X", "issuer": "https://idp.example", "client_id": "c", "client_secret_file": "SECRET", "colour": "blue"}}}`: "colour",
	} {
		_, err := LoadFile(writeConfig(t, body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s", body, err, want)
		}
	}
}
