package service_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/mfa"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// idFixture is an ente with real users and an Auth on an injected clock.
type idFixture struct {
	fixture
	tn    service.Tenant
	auth  *service.Auth
	users *service.Users
	mu    sync.Mutex
	clock time.Time
}

func newIDFixture(t *testing.T, db *database.DB, cfgf func(*service.AuthConfig), accounts map[string]domain.Role) *idFixture {
	t.Helper()
	f := newFixture(db)
	x := &idFixture{fixture: f, tn: f.tenant(t, "ente-id"), clock: time.Now().UTC()}
	x.users = service.NewUsers(f.store, f.authz, nil)
	for name, role := range accounts {
		if _, err := x.users.AsOperator().Create(context.Background(), x.tn.EnteID, service.NewUser{Username: name,
			Password: demo.Password, Grants: []domain.Grant{{Role: role}}, Permanent: true}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := service.DefaultAuthConfig()
	cfg.Secret = []byte("identity-secret-identity-secret-0123456")
	if cfgf != nil {
		cfgf(&cfg)
	}
	var err error
	if x.auth, err = service.NewAuth(f.store, f.authz, nil, cfg); err != nil {
		t.Fatal(err)
	}
	x.auth.SetClock(x.now)
	return x
}

func (x *idFixture) now() time.Time {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.clock
}

func (x *idFixture) advance(d time.Duration) {
	x.mu.Lock()
	x.clock = x.clock.Add(d)
	x.mu.Unlock()
}

func (x *idFixture) login(t *testing.T, user, ua string) service.Tokens {
	t.Helper()
	tk, err := x.auth.Login(context.Background(), user, demo.Password, service.Client{Addr: "192.0.2.1", UserAgent: ua})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func (x *idFixture) actor(t *testing.T, tk service.Tokens) domain.Actor {
	t.Helper()
	a, err := x.auth.Authenticate(context.Background(), tk.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (x *idFixture) auditActions(t *testing.T, action string) int {
	t.Helper()
	_, n, err := x.store.AuditPage(context.Background(), x.tn.EnteID, store.AuditFilter{Action: action}, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

const firefoxUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
const androidUA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36"

// A person sees their sessions and ends one; an ended session can neither refresh nor call the API, and
// another person's session cannot be ended from one's profile.
func TestSessionsListAndEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x := newIDFixture(t, db, nil, map[string]domain.Role{"vale": domain.RoleOIV, "piero": domain.RoleOIV})
		ctx := context.Background()
		desk, phone := x.login(t, "vale", firefoxUA), x.login(t, "vale", androidUA)
		other := x.login(t, "piero", firefoxUA)
		me := x.actor(t, desk)
		list, err := x.auth.MySessions(ctx, me)
		if err != nil || len(list) != 2 {
			t.Fatalf("sessions: %+v %v", list, err)
		}
		var phoneID string
		for _, s := range list {
			switch {
			case s.Current:
				if s.Browser != "Firefox" || s.OS != "Windows" || s.ClientAddr != "192.0.2.1" {
					t.Fatalf("current session: %+v", s)
				}
			default:
				phoneID = s.ID
				if s.Browser != "Chrome" || s.OS != "Android" {
					t.Fatalf("phone session: %+v", s)
				}
			}
		}
		if err := x.auth.EndMySession(ctx, me, x.actor(t, other).SessionID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("ending another person's session: %v", err)
		}
		if err := x.auth.EndMySession(ctx, me, phoneID); err != nil {
			t.Fatal(err)
		}
		if err := x.auth.EndMySession(ctx, me, phoneID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("ending it twice: %v", err)
		}
		if _, err := x.auth.Authenticate(ctx, phone.AccessToken); err == nil {
			t.Fatal("the ended session's access token still works")
		}
		if _, err := x.auth.Refresh(ctx, phone.RefreshToken, service.Client{}); err == nil {
			t.Fatal("the ended session still refreshes")
		}
		if list, _ = x.auth.MySessions(ctx, me); len(list) != 1 || !list[0].Current {
			t.Fatalf("after ending: %+v", list)
		}
		if _, err := x.auth.Authenticate(ctx, other.AccessToken); err != nil {
			t.Fatalf("the other person's session was touched: %v", err)
		}
		if n := x.auditActions(t, "end_session"); n != 1 {
			t.Fatalf("end_session audited %d times", n)
		}
	})
}

// Every session ends SessionMaxAge after its sign-in however often it is refreshed, and earlier when idle.
func TestSessionAbsoluteAndIdleLifetime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x := newIDFixture(t, db, func(c *service.AuthConfig) { c.SessionTTL, c.SessionMaxAge = time.Hour, 3*time.Hour },
			map[string]domain.Role{"vale": domain.RoleOIV})
		ctx := context.Background()
		tk := x.login(t, "vale", firefoxUA)
		for range 3 { // refreshed every 50 minutes: busy, never idle
			x.advance(50 * time.Minute)
			var err error
			if tk, err = x.auth.Refresh(ctx, tk.RefreshToken, service.Client{}); err != nil {
				t.Fatalf("refresh within the lifetime: %v", err)
			}
		}
		x.advance(50 * time.Minute) // 3h20 after the sign-in
		if _, err := x.auth.Refresh(ctx, tk.RefreshToken, service.Client{}); err == nil {
			t.Fatal("a session outlived its maximum age")
		}
		if _, err := x.auth.Authenticate(ctx, tk.AccessToken); err == nil {
			t.Fatal("an access token outlived its session's maximum age")
		}
		idle := x.login(t, "vale", firefoxUA)
		x.advance(61 * time.Minute)
		if _, err := x.auth.Refresh(ctx, idle.RefreshToken, service.Client{}); err == nil {
			t.Fatal("an idle session was refreshed")
		}
	})
}

// The administrator ends a user's sessions, but not the RPCT's; the RPCT ends the administrator's.
func TestAdminEndsUserSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x := newIDFixture(t, db, nil, map[string]domain.Role{"capo": domain.RoleAdmin, "rita": domain.RoleRPCT, "vale": domain.RoleOIV})
		ctx := context.Background()
		admin, rpct := x.actor(t, x.login(t, "capo", firefoxUA)), x.actor(t, x.login(t, "rita", firefoxUA))
		vale := x.actor(t, x.login(t, "vale", androidUA))
		if _, err := x.users.EndUserSessions(ctx, admin, rpct.UserID); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("admin ending the RPCT's sessions: %v", err)
		}
		if _, err := x.users.EndUserSessions(ctx, admin, vale.UserID); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("admin ending the OIV's sessions: %v", err)
		}
		extra := x.login(t, "capo", androidUA)
		list, err := x.users.UserSessions(ctx, rpct, admin.UserID)
		if err != nil || len(list) != 2 {
			t.Fatalf("the RPCT lists the admin's sessions: %+v %v", list, err)
		}
		n, err := x.users.EndUserSessions(ctx, rpct, admin.UserID)
		if err != nil || n != 2 {
			t.Fatalf("ended %d: %v", n, err)
		}
		if _, err := x.auth.Authenticate(ctx, extra.AccessToken); err == nil {
			t.Fatal("an ended session still works")
		}
		if x.auditActions(t, "end_sessions") != 1 {
			t.Fatal("end_sessions not audited")
		}
	})
}

// The whole second factor: forced enrolment of an administrator, confirmation, sign-in in two steps, replay,
// recovery codes, expiry of the challenge, throttling, and reset only through a confirmed request.
func TestTOTPSecondFactor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x := newIDFixture(t, db, func(c *service.AuthConfig) { c.MFARequiredRoles = []domain.Role{domain.RoleAdmin, domain.RoleRPCT} },
			map[string]domain.Role{"capo": domain.RoleAdmin, "vice": domain.RoleAdmin, "rita": domain.RoleRPCT, "vale": domain.RoleOIV})
		ctx := context.Background()
		cl := service.Client{Addr: "192.0.2.7"}
		first := x.login(t, "capo", firefoxUA)
		if !first.MFAEnrolmentRequired || first.MFARequired {
			t.Fatalf("an admin without a second factor: %+v", first)
		}
		capo := x.actor(t, first)
		if !capo.MustEnrolMFA {
			t.Fatal("the actor is not marked as having to enrol")
		}
		if vale := x.login(t, "vale", firefoxUA); vale.MFAEnrolmentRequired {
			t.Fatal("the OIV's role does not require a second factor here")
		}
		if _, err := x.auth.ConfirmMFA(ctx, capo, "123456", cl); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("confirming before starting: %v", err)
		}
		e, err := x.auth.StartMFA(ctx, capo)
		if err != nil || e.Secret == "" || len(e.QRPNG) < 100 {
			t.Fatalf("start: %+v %v", e, err)
		}
		var ve *domain.ValidationError
		if _, err := x.auth.ConfirmMFA(ctx, capo, "000000", cl); !errors.As(err, &ve) {
			t.Fatalf("a wrong code: %v", err)
		}
		code, _ := mfa.Code(e.Secret, x.now())
		codes, err := x.auth.ConfirmMFA(ctx, capo, code, cl)
		if err != nil || len(codes) != mfa.RecoveryCodeCount {
			t.Fatalf("confirm: %v %v", codes, err)
		}
		if capo = x.actor(t, first); capo.MustEnrolMFA {
			t.Fatal("still asked to enrol after enrolling")
		}
		if _, err := x.auth.StartMFA(ctx, capo); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("replacing an active second factor by oneself: %v", err)
		}
		if x.auditActions(t, "enrol_mfa") != 1 {
			t.Fatal("enrolment not audited")
		}

		// Sign-in in two steps; the code used to enrol cannot be used again.
		step1 := x.login(t, "capo", firefoxUA)
		if !step1.MFARequired || step1.MFAToken == "" || step1.AccessToken != "" || step1.RefreshToken != "" {
			t.Fatalf("step 1: %+v", step1)
		}
		if _, err := x.auth.Authenticate(ctx, step1.MFAToken); err == nil {
			t.Fatal("the challenge works as an access token")
		}
		if _, err := x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, Code: code}, cl); err == nil {
			t.Fatal("a used code was accepted again")
		}
		x.advance(time.Minute)
		code, _ = mfa.Code(e.Secret, x.now())
		tk, err := x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, Code: code}, cl)
		if err != nil || tk.AccessToken == "" || tk.MFAEnrolmentRequired {
			t.Fatalf("step 2: %+v %v", tk, err)
		}
		if _, err := x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, Code: code}, cl); err == nil {
			t.Fatal("a code was replayed")
		}
		if _, err := x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: first.AccessToken, Code: code}, cl); err == nil {
			t.Fatal("an access token works as a challenge")
		}

		// A recovery code works once.
		step1 = x.login(t, "capo", firefoxUA)
		if _, err := x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, RecoveryCode: codes[3]}, cl); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		if _, err := x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, RecoveryCode: codes[3]}, cl); err == nil {
			t.Fatal("a recovery code worked twice")
		}
		if st, _ := x.auth.MyMFA(ctx, capo); !st.Enrolled || st.RecoveryCodes != mfa.RecoveryCodeCount-1 || !st.Required {
			t.Fatalf("status: %+v", st)
		}
		if x.auditActions(t, "use_recovery_code") != 1 {
			t.Fatal("recovery code use not audited")
		}

		// The challenge expires.
		step1 = x.login(t, "capo", firefoxUA)
		x.advance(6 * time.Minute)
		code, _ = mfa.Code(e.Secret, x.now())
		if _, err := x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, Code: code}, cl); err == nil {
			t.Fatal("an expired challenge was accepted")
		}

		// Guessing codes is throttled like guessing passwords.
		step1 = x.login(t, "capo", firefoxUA)
		var throttled *domain.ThrottledError
		for i := 0; i < 8 && !errors.As(err, &throttled); i++ {
			_, err = x.auth.CompleteMFA(ctx, service.MFASignIn{MFAToken: step1.MFAToken, Code: "000000"}, cl)
		}
		if !errors.As(err, &throttled) {
			t.Fatalf("code guessing not throttled: %v", err)
		}
		x.advance(10 * time.Minute) // the account lock runs out

		// Reset: never by oneself, and for an administrator only through a request another person confirms.
		vice, rita := x.actor(t, x.login(t, "vice", firefoxUA)), x.actor(t, x.login(t, "rita", firefoxUA))
		if err := x.users.ResetPassword(ctx, capo, capo.UserID, "una-frase-lunga-e-sicura"); err == nil {
			t.Fatal("an administrator reset their own account")
		}
		if err := x.users.ResetPassword(ctx, vice, capo.UserID, "una-frase-lunga-e-sicura"); err == nil {
			t.Fatal("one administrator alone reset another's account")
		}
		req, err := x.users.RequestChange(ctx, vice, service.RequestInput{Kind: domain.RequestResetPasswordAdmin, TargetID: capo.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := x.auth.MyMFA(ctx, capo); !st.Enrolled {
			t.Fatal("the second factor went before the confirmation")
		}
		dec, err := x.users.ConfirmRequest(ctx, rita, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := x.auth.MyMFA(ctx, capo); st.Enrolled || st.RecoveryCodes != 0 {
			t.Fatalf("after the reset: %+v", st)
		}
		if x.auditActions(t, "reset_mfa") != 1 {
			t.Fatal("the reset of the second factor is not audited")
		}
		again, err := x.auth.Login(ctx, "capo", dec.TemporaryPassword, cl)
		if err != nil || again.MFARequired || !again.MFAEnrolmentRequired || !again.PasswordChangeRequired {
			t.Fatalf("sign-in after the reset: %+v %v", again, err)
		}
	})
}
