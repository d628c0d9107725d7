package oidclogin

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func testLogin(t *testing.T) *Login {
	t.Helper()
	f := File{Providers: map[string]Provider{"ente-a": Provider{DisplayName: "IdP", Issuer: "https://idp.example",
		ClientID: "c", SecondFactorACR: []string{"urn:livello:2"}}.WithSecret("s")}}
	l, err := New(f, "https://argine.ente.it/", []byte("server-key-server-key-server-key-0"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func flowCookie(l *Login, f flow) string {
	b, _ := json.Marshal(f)
	return l.sign(b)
}

func code(err error) string {
	var fe *FlowError
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

// The callback's checks that need no provider: the cookie must be ours, for this ente, in time, with the state
// sent back; the provider's refusal ends the sign-in.
func TestCheckCallback(t *testing.T) {
	l := testLogin(t)
	now := time.Now()
	l.SetClock(func() time.Time { return now })
	good := flow{Ente: "ente-a", State: "st", Nonce: "n", Verifier: "v", Expires: now.Add(FlowTTL).Unix()}
	q := url.Values{"state": {"st"}, "code": {"c"}}
	if p, err := l.CheckCallback("ente-a", q, flowCookie(l, good)); err != nil || p.Nonce != "n" || p.StateHash() == "st" {
		t.Fatalf("good callback: %+v %v", p, err)
	}
	expired := good
	expired.Expires = now.Add(-time.Second).Unix()
	otherEnte := good
	otherEnte.Ente = "ente-b"
	tampered := flowCookie(l, good)
	tampered = tampered[:len(tampered)-2] + "AA"
	forged := (&Login{cookieKey: []byte("another key")}).sign(mustJSON(good))
	for name, c := range map[string]struct {
		q      url.Values
		cookie string
		want   string
	}{
		"expired flow":       {q, flowCookie(l, expired), "oidc_state_invalid"},
		"cookie of another":  {q, flowCookie(l, otherEnte), "oidc_state_invalid"},
		"tampered signature": {q, tampered, "oidc_state_invalid"},
		"another server key": {q, forged, "oidc_state_invalid"},
		"no cookie":          {q, "", "oidc_state_invalid"},
		"wrong state":        {url.Values{"state": {"other"}, "code": {"c"}}, flowCookie(l, good), "oidc_state_invalid"},
		"no code":            {url.Values{"state": {"st"}}, flowCookie(l, good), "oidc_state_invalid"},
		"provider refused":   {url.Values{"state": {"st"}, "error": {"access_denied"}}, flowCookie(l, good), "oidc_provider_refused"},
	} {
		if _, err := l.CheckCallback("ente-a", c.q, c.cookie); code(err) != c.want {
			t.Errorf("%s: %v, want %s", name, err, c.want)
		}
	}
	if _, err := l.CheckCallback("ente-z", q, flowCookie(l, good)); err == nil || !strings.Contains(err.Error(), "no identity provider") {
		t.Errorf("unknown ente: %v", err)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// What the claims say: the second factor (amr, or a listed acr) and the grants of the role claim.
func TestClaims(t *testing.T) {
	p := testLogin(t).File().Providers["ente-a"]
	for want, claims := range map[string]map[string]any{
		"amr:mfa":           {"amr": []any{"pwd", "mfa"}},
		"amr:hwk":           {"amr": []any{"hwk"}},
		"acr:urn:livello:2": {"acr": "urn:livello:2"},
		"":                  {"amr": []any{"pwd"}, "acr": "urn:livello:1"},
	} {
		if got := secondFactor(p, claims); got != want {
			t.Errorf("%v: %q, want %q", claims, got, want)
		}
	}
	p.RoleMapping = map[string][]Grant{"rpct": {{Role: "rpct"}}, "dir": {{Role: "director", Unit: "AD2"}}, "dir-bis": {{Role: "director", Unit: "AD2"}}}
	grants := mapGrants(p, []any{"dir", "rpct", "dir-bis", "sconosciuto"})
	if len(grants) != 2 || grants[0].UnitCode != "AD2" || grants[1].Role != "rpct" {
		t.Fatalf("grants: %+v", grants)
	}
	if g := mapGrants(p, "rpct"); len(g) != 1 {
		t.Fatalf("a single string: %+v", g)
	}
}

// The sign-out address carries the hint, the client and where to come back.
func TestRedirectURIAndProviders(t *testing.T) {
	l := testLogin(t)
	if got := l.RedirectURI("ente-a"); got != "https://argine.ente.it/api/v1/auth/oidc/ente-a/callback" {
		t.Fatalf("redirect URI %q", got)
	}
	if ps := l.Providers(); len(ps) != 1 || ps[0].LoginURL != "/api/v1/auth/oidc/ente-a/login" || !ps[0].LocalAccounts {
		t.Fatalf("providers %+v", ps)
	}
	if _, err := New(l.File(), "", []byte("k")); err == nil {
		t.Fatal("accepted without ARGINE_PUBLIC_URL")
	}
	c := l.cookie("ente-a", "v", 600)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Secure || c.Path != "/api/v1/auth/oidc/ente-a/" {
		t.Fatalf("cookie %+v", c)
	}
}
