package cli

import (
	"log/slog"
	"sort"

	"github.com/argine-pa/argine/internal/config"
	"github.com/argine-pa/argine/internal/oidclogin"
	"github.com/argine-pa/argine/internal/service"
)

// singleSignOn reads ARGINE_OIDC_CONFIG_FILE, when set, and prepares the sign-ins with the entes' identity
// providers; nil without it (passwords only). A bad file stops the server: a half-working sign-on would lock
// people out silently.
func singleSignOn(cfg config.Config, secret []byte, auth *service.Auth, log *slog.Logger) (*service.SingleSignOn, error) {
	if cfg.OIDCConfigFile == "" {
		return nil, nil
	}
	file, err := oidclogin.LoadFile(cfg.OIDCConfigFile)
	if err != nil {
		return nil, err
	}
	login, err := oidclogin.New(file, cfg.PublicURL, secret)
	if err != nil {
		return nil, err
	}
	entes := make([]string, 0, len(file.Providers))
	for ente := range file.Providers {
		entes = append(entes, ente)
	}
	sort.Strings(entes)
	for _, ente := range entes {
		p := file.Providers[ente]
		log.Info("single sign-on", "ente", ente, "provider", p.DisplayName, "issuer", p.Issuer, "mode", p.Mode,
			"local_accounts", p.LocalAccounts == nil || *p.LocalAccounts, "redirect_uri", login.RedirectURI(ente))
	}
	return service.NewSingleSignOn(auth, login, log), nil
}
