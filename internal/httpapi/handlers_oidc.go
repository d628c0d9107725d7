package httpapi

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/oidclogin"
)

// Single sign-on with OpenID Connect (service/oidc.go, internal/oidclogin). The login and callback routes are
// browser navigations: they answer with redirects, and a failure after the provider is involved sends the
// browser back to the interface with #oidc_error=<code> (the interface explains it in Italian).

var errSSONotConfigured = domain.NotFound("oidc_not_configured", "no identity provider is configured for this ente")

func (a *api) oidcProviders(c *gin.Context) {
	items := []oidclogin.ProviderInfo{}
	if a.SSO != nil {
		items = a.SSO.Providers()
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// backToInterface sends the browser to the interface's home with a fragment (never sent to any server, so the
// token it may carry reaches only the page, which removes it from the address at once).
func (a *api) backToInterface(c *gin.Context, fragment url.Values) {
	redirect(c, http.StatusSeeOther, a.SSO.PublicURL()+"/#"+fragment.Encode())
}

// redirect answers a bare redirect: no HTML body (gin's would add one), never cached.
func redirect(c *gin.Context, status int, to string) {
	c.Header("Cache-Control", "no-store")
	c.Header("Location", to)
	c.Status(status)
}

func oidcErrorCode(err error) string {
	var fe *oidclogin.FlowError
	if errors.As(err, &fe) {
		return fe.Code
	}
	if code := domain.CodeOf(err); code != "" && code != "internal_error" {
		return code
	}
	return "oidc_failed"
}

func (a *api) oidcLogin(c *gin.Context) {
	ente := c.Param("ente")
	if a.SSO == nil {
		respondError(c, a.Log, errSSONotConfigured)
		return
	}
	to, cookie, err := a.SSO.Begin(c.Request.Context(), ente)
	if errors.Is(err, domain.ErrNotFound) {
		respondError(c, a.Log, err)
		return
	}
	if err != nil {
		a.backToInterface(c, url.Values{"oidc_error": {oidcErrorCode(err)}})
		return
	}
	http.SetCookie(c.Writer, cookie)
	redirect(c, http.StatusFound, to)
}

func (a *api) oidcCallback(c *gin.Context) {
	ente := c.Param("ente")
	if a.SSO == nil {
		respondError(c, a.Log, errSSONotConfigured)
		return
	}
	cookie, _ := c.Cookie(oidclogin.CookieName)
	tokens, err := a.SSO.Complete(c.Request.Context(), ente, c.Request.URL.Query(), cookie, clientOf(c))
	if errors.Is(err, domain.ErrNotFound) && domain.CodeOf(err) == "oidc_not_configured" {
		respondError(c, a.Log, err)
		return
	}
	http.SetCookie(c.Writer, a.SSO.ClearCookie(ente))
	switch {
	case err != nil:
		a.backToInterface(c, url.Values{"oidc_error": {oidcErrorCode(err)}})
	case tokens.MFARequired:
		a.backToInterface(c, url.Values{"oidc_mfa": {tokens.MFAToken}})
	default:
		// The refresh token is single use: the interface spends it at once for its own tokens, so the one in
		// the fragment is worthless afterwards (and presenting it again would close the session).
		a.backToInterface(c, url.Values{"oidc_refresh": {tokens.RefreshToken}})
	}
}
