// Package oidctest runs a real OpenID Provider on loopback for tests and the browser end-to-end run: the op
// package of github.com/zitadel/oidc/v3 with its example server's storage and login page (a username and
// password form at /login/username), configured with the people and the one client a test needs. Each person
// may carry groups (a "groups" claim) and the amr values their sign-in proves. Nothing in the argine binary
// imports it: tests do, and `go run ./internal/oidctest/cmd/testidp` (the Playwright configuration starts it).
package oidctest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person the provider knows.
type User struct {
	Username, Password string
	Name, Email        string
	Groups             []string // the "groups" claim, in the ID token and at the userinfo endpoint
	AMR                []string // what their sign-in proves (RFC 8176); default ["pwd"]
}

// Options configure the provider.
type Options struct {
	ClientID, ClientSecret string
	RedirectURIs           []string // exact callback URIs of the client
	PostLogoutRedirectURIs []string // where the provider may send the person after signing out
	Users                  []User
}

// Provider is a running provider.
type Provider struct {
	Issuer string // http://127.0.0.1:<port>
	server *http.Server
	ln     net.Listener
}

// Start listens on a free loopback port and serves the provider.
func Start(opts Options) (*Provider, error) { return Listen("127.0.0.1:0", opts) }

// Listen serves the provider on addr (a loopback address).
func Listen(addr string, opts Options) (*Provider, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	issuer := "http://" + ln.Addr().String()
	users := userStore{byID: map[string]*storage.User{}, extra: map[string]User{}}
	for i, u := range opts.Users {
		id := fmt.Sprintf("user-%d", i+1)
		first, last, _ := strings.Cut(u.Name, " ")
		users.byID[id] = &storage.User{ID: id, Username: u.Username, Password: u.Password, FirstName: first, LastName: last,
			Email: u.Email, EmailVerified: true, PreferredLanguage: language.Italian}
		users.extra[id] = u
	}
	client := storage.WebClient(opts.ClientID, opts.ClientSecret, opts.RedirectURIs...)
	st := &opStorage{Storage: storage.NewStorageWithClients(users, map[string]*storage.Client{opts.ClientID: client}),
		users: users, postLogout: opts.PostLogoutRedirectURIs}
	router := exampleop.SetupServer(issuer, st, nil, false)
	p := &Provider{Issuer: issuer, ln: ln, server: &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := p.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			panic(err)
		}
	}()
	return p, nil
}

// Close stops the provider.
func (p *Provider) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = p.server.Shutdown(ctx)
}

type userStore struct {
	byID  map[string]*storage.User
	extra map[string]User
}

func (u userStore) GetUserByID(id string) *storage.User { return u.byID[id] }

func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, x := range u.byID {
		if x.Username == name {
			return x
		}
	}
	return nil
}

func (u userStore) ExampleClientID() string { return storage.ServiceUserID }

// opStorage is the example storage, with each person's amr and groups and the client's sign-out addresses.
type opStorage struct {
	*storage.Storage
	users      userStore
	postLogout []string
}

type authRequest struct {
	op.AuthRequest
	amr []string
}

func (r *authRequest) GetAMR() []string {
	if r.AuthRequest.GetAMR() == nil || len(r.amr) == 0 {
		return r.AuthRequest.GetAMR()
	}
	return r.amr
}

func (s *opStorage) wrap(r op.AuthRequest) op.AuthRequest {
	if u, ok := s.users.extra[r.GetSubject()]; ok && len(u.AMR) > 0 {
		return &authRequest{AuthRequest: r, amr: u.AMR}
	}
	return r
}

func unwrap[T any](r T) T {
	if w, ok := any(r).(*authRequest); ok {
		if inner, ok := w.AuthRequest.(T); ok {
			return inner
		}
	}
	return r
}

func (s *opStorage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	r, err := s.Storage.AuthRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.wrap(r), nil
}

func (s *opStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, err := s.Storage.AuthRequestByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.wrap(r), nil
}

func (s *opStorage) CreateAccessToken(ctx context.Context, r op.TokenRequest) (string, time.Time, error) {
	return s.Storage.CreateAccessToken(ctx, unwrap(r))
}

func (s *opStorage) CreateAccessAndRefreshTokens(ctx context.Context, r op.TokenRequest, current string) (string, string, time.Time, error) {
	return s.Storage.CreateAccessAndRefreshTokens(ctx, unwrap(r), current)
}

func (s *opStorage) groups(userinfo *oidc.UserInfo, subject string) {
	if u, ok := s.users.extra[subject]; ok && len(u.Groups) > 0 {
		userinfo.AppendClaims("groups", u.Groups)
	}
}

func (s *opStorage) SetUserinfoFromRequest(ctx context.Context, userinfo *oidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, userinfo, r, scopes); err != nil {
		return err
	}
	s.groups(userinfo, r.GetSubject())
	return nil
}

func (s *opStorage) SetUserinfoFromToken(ctx context.Context, userinfo *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, userinfo, tokenID, subject, origin); err != nil {
		return err
	}
	s.groups(userinfo, userinfo.Subject)
	return nil
}

type client struct {
	op.Client
	postLogout []string
}

func (c client) PostLogoutRedirectURIs() []string { return c.postLogout }

func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return client{Client: c, postLogout: s.postLogout}, nil
}
