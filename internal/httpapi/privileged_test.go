package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
)

type requestBody struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	TargetID       string `json:"target_id"`
	TargetUsername string `json:"target_username"`
	RequestedBy    string `json:"requested_by"`
	State          string `json:"state"`
	DecidedBy      string `json:"decided_by"`
	CanDecide      bool   `json:"can_decide"`
}

type decisionBody struct {
	Request           requestBody `json:"request"`
	TemporaryPassword string      `json:"temporary_password"`
}

func requestJSON(kind, target string) string {
	return `{"kind":"` + kind + `","target_id":"` + target + `"}`
}

// ask creates a privileged request and expects it to wait.
func (s *server) ask(token, kind, target string) requestBody {
	s.t.Helper()
	rec := s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: token, body: requestJSON(kind, target)})
	var r requestBody
	decode(s.t, rec, &r)
	if rec.Code != 201 || r.State != "pending" || rec.Header().Get("Location") != "/api/v1/privileged-requests/"+r.ID {
		s.t.Fatalf("request %s: %d %s", kind, rec.Code, rec.Body)
	}
	return r
}

// confirmed has one person ask for a change and another confirm it.
func (s *server) confirmed(asker, confirmer, kind, target string) decisionBody {
	s.t.Helper()
	r := s.ask(asker, kind, target)
	rec := s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: confirmer})
	var d decisionBody
	decode(s.t, rec, &d)
	if rec.Code != 200 || d.Request.State != "confirmed" {
		s.t.Fatalf("confirm %s: %d %s", kind, rec.Code, rec.Body)
	}
	return d
}

func (s *server) demoEnteID() string {
	s.t.Helper()
	e, err := s.store.EnteByCode(context.Background(), seed.DemoEnteCode)
	if err != nil {
		s.t.Fatal(err)
	}
	return e.ID
}

// grantID is the id of a user's grant of role, read through the store.
func (s *server) grantID(username string, role domain.Role) string {
	s.t.Helper()
	grants, err := s.store.Grants(context.Background(), s.demoEnteID(), s.userID(username))
	if err != nil {
		s.t.Fatal(err)
	}
	for _, g := range grants {
		if g.Role == role {
			return g.ID
		}
	}
	s.t.Fatalf("%s holds no %s grant", username, role)
	return ""
}

// operatorUser creates a user of the demo ente through the command line's path.
func (s *server) operatorUser(username string, grants ...domain.Grant) {
	s.t.Helper()
	_, err := s.users.AsOperator().Create(context.Background(), s.demoEnteID(),
		service.NewUser{Username: username, Password: demo.Password, Grants: grants, Permanent: true})
	if err != nil {
		s.t.Fatal(err)
	}
}

// TestSeparationOfDutiesOnUsers: what neither the administrator nor the RPCT may do directly any more.
func TestSeparationOfDutiesOnUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		admin, rpct := s.login("admin"), s.login("rpct")
		adminID, rpctID, oivID, dir2 := s.userID("admin"), s.userID("rpct"), s.userID("oiv"), s.userID("dir2")
		post := func(token, path, body string) *httptest.ResponseRecorder {
			return s.do(request{method: http.MethodPost, path: path, token: token, body: body})
		}

		// The administrator: no password reset, disabling, profile or grant change of the RPCT or the OIV,
		// no grant to itself, no register role ever.
		decodeProblem(t, post(admin, "/api/v1/users/"+rpctID+"/password", `{"password":"una-frase-lunga-e-sicura"}`), 403, "privileged_target")
		decodeProblem(t, post(admin, "/api/v1/users/"+rpctID+"/disable", ""), 403, "privileged_target")
		decodeProblem(t, post(admin, "/api/v1/users/"+oivID+"/password", `{"password":"una-frase-lunga-e-sicura"}`), 403, "privileged_target")
		decodeProblem(t, post(admin, "/api/v1/users/"+rpctID+"/grants", `{"role":"director","unit":"AD1"}`), 403, "privileged_target")
		decodeProblem(t, s.do(request{method: http.MethodDelete, path: "/api/v1/users/" + rpctID + "/grants/" + s.grantID("rpct", domain.RoleRPCT), token: admin}), 403, "privileged_target")
		decodeProblem(t, s.do(request{method: http.MethodPatch, path: "/api/v1/users/" + rpctID, token: admin, body: `{"full_name":"x","email":"","version":1}`}), 403, "privileged_target")
		decodeProblem(t, post(admin, "/api/v1/users/"+adminID+"/grants", `{"role":"director","unit":"AD1"}`), 403, "own_grants")
		p := decodeProblem(t, post(rpct, "/api/v1/users/"+adminID+"/grants", `{"role":"director","unit":"AD1"}`), 422, "grant_invalid")
		if len(p.Errors) != 1 || p.Errors[0].Field != "role" || p.Errors[0].Code != "role_incompatible" {
			t.Fatalf("admin made director: %+v", p)
		}
		// The administrator role is two-person too: administrators confirm requests, so whoever could make an
		// administrator of an account whose password they know, or set an administrator's password, could
		// confirm their own requests.
		decodeProblem(t, post(admin, "/api/v1/users/"+dir2+"/grants", `{"role":"admin"}`), 403, "request_required")
		decodeProblem(t, post(rpct, "/api/v1/users/"+dir2+"/grants", `{"role":"admin"}`), 403, "request_required")
		decodeProblem(t, post(admin, "/api/v1/users", `{"username":"tecnico3","password":"una-frase-lunga-e-sicura","grants":[{"role":"admin"}]}`), 403, "request_required")
		s.operatorUser("admin2", domain.Grant{Role: domain.RoleAdmin})
		decodeProblem(t, post(admin, "/api/v1/users/"+s.userID("admin2")+"/password", `{"password":"una-frase-lunga-e-sicura"}`), 403, "request_required")
		decodeProblem(t, post(rpct, "/api/v1/users/"+s.userID("admin2")+"/password", `{"password":"una-frase-lunga-e-sicura"}`), 403, "request_required")
		decodeProblem(t, post(rpct, "/api/v1/users/"+s.userID("admin2")+"/disable", ""), 403, "request_required")
		p = decodeProblem(t, post(admin, "/api/v1/users", `{"username":"tecnico2","password":"una-frase-lunga-e-sicura","grants":[{"role":"admin"},{"role":"director","unit":"AD1"}]}`), 422, "grant_invalid")
		if len(p.Errors) != 1 || p.Errors[0].Field != "grants[1].role" || p.Errors[0].Code != "role_incompatible" {
			t.Fatalf("admin and director at creation: %+v", p)
		}
		// What it still does: directors and referenti of other users.
		if rec := post(admin, "/api/v1/users/"+dir2+"/grants", `{"role":"referente","unit":"AD3"}`); rec.Code != 201 {
			t.Fatalf("admin grants referente: %d %s", rec.Code, rec.Body)
		}

		// The RPCT: nothing on OIV accounts, nothing on its own grants, no RPCT/OIV grant without a second person.
		decodeProblem(t, post(rpct, "/api/v1/users/"+oivID+"/password", `{"password":"una-frase-lunga-e-sicura"}`), 403, "privileged_target")
		decodeProblem(t, post(rpct, "/api/v1/users/"+oivID+"/disable", ""), 403, "privileged_target")
		decodeProblem(t, post(rpct, "/api/v1/users/"+oivID+"/grants", `{"role":"director","unit":"AD1"}`), 403, "privileged_target")
		decodeProblem(t, post(rpct, "/api/v1/users/"+rpctID+"/grants", `{"role":"oiv"}`), 403, "own_grants")
		decodeProblem(t, s.do(request{method: http.MethodDelete, path: "/api/v1/users/" + rpctID + "/grants/" + s.grantID("rpct", domain.RoleRPCT), token: rpct}), 403, "own_grants")
		decodeProblem(t, post(rpct, "/api/v1/users/"+rpctID+"/password", `{"password":"una-frase-lunga-e-sicura"}`), 403, "own_account")
		decodeProblem(t, post(rpct, "/api/v1/users/"+dir2+"/grants", `{"role":"rpct"}`), 403, "request_required")
		decodeProblem(t, post(rpct, "/api/v1/users/"+dir2+"/grants", `{"role":"oiv"}`), 403, "request_required")
		decodeProblem(t, post(rpct, "/api/v1/users", `{"username":"nuovo","password":"una-frase-lunga-e-sicura","grants":[{"role":"rpct"}]}`), 403, "request_required")
		// A second RPCT's credentials and account are not the first RPCT's to change alone either.
		s.operatorUser("rpct2", domain.Grant{Role: domain.RoleRPCT})
		decodeProblem(t, post(rpct, "/api/v1/users/"+s.userID("rpct2")+"/password", `{"password":"una-frase-lunga-e-sicura"}`), 403, "request_required")
		decodeProblem(t, post(rpct, "/api/v1/users/"+s.userID("rpct2")+"/disable", ""), 403, "request_required")

		// The OIV holds nothing else, whatever the path (the operator's included).
		_, err := s.users.AsOperator().Grant(context.Background(), s.demoEnteID(), "oiv", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		if domain.CodeOf(err) != "grant_invalid" || !strings.Contains(err.Error(), "OIV") {
			t.Fatalf("operator made the OIV a director: %v", err)
		}
	})
}

// TestPrivilegedRequestsTwoPeople: a request waits for a different person, who confirms it; the change
// happens in that transaction, and both steps are on the trail.
func TestPrivilegedRequestsTwoPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		admin, rpct, oiv := s.login("admin"), s.login("rpct"), s.login("oiv")
		dir3ID, oivID, rpctID := s.userID("dir3"), s.userID("oiv"), s.userID("rpct")
		dir3 := s.login("dir3")

		// Bad input names the field; the caller's own account is not theirs to ask about.
		p := decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: admin, body: `{"kind":"make_king","target_id":""}`}), 422, "request_invalid")
		if len(p.Errors) != 2 || p.Errors[0].Field != "kind" || p.Errors[1].Field != "target_id" {
			t.Fatalf("fields %+v", p.Errors)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: rpct, body: requestJSON("revoke_rpct", rpctID)}), 403, "own_account")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: rpct, body: requestJSON("reset_password_oiv", oivID)}), 403, "privileged_target")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: rpct, body: requestJSON("grant_oiv", dir3ID)}), 403, "privileged_target")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: admin, body: requestJSON("revoke_rpct", dir3ID)}), 409, "request_not_applicable")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: admin, body: requestJSON("grant_oiv", dir3ID)}), 422, "grant_invalid")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: dir3, body: requestJSON("grant_rpct", dir3ID)}), 403, "forbidden")

		// The administrator asks to make dir3 an RPCT; nobody asks twice; the asker cannot confirm.
		r := s.ask(admin, "grant_rpct", dir3ID)
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: rpct, body: requestJSON("grant_rpct", dir3ID)}), 409, "request_pending")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: admin}), 403, "request_own")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/reject", token: admin}), 403, "request_own")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: dir3}), 403, "forbidden")
		var list struct{ Items []requestBody }
		decode(t, s.get("/api/v1/privileged-requests", rpct), &list)
		if len(list.Items) != 1 || list.Items[0].ID != r.ID || !list.Items[0].CanDecide || list.Items[0].TargetUsername != "dir3" {
			t.Fatalf("rpct's list %+v", list.Items)
		}
		decode(t, s.get("/api/v1/privileged-requests", admin), &list)
		if len(list.Items) != 1 || list.Items[0].CanDecide {
			t.Fatalf("the asker's list %+v", list.Items)
		}
		// Another ente's RPCT finds nothing.
		decode(t, s.get("/api/v1/privileged-requests", s.login("x-rpct")), &list)
		if len(list.Items) != 0 {
			t.Fatalf("x-rpct sees %+v", list.Items)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: s.login("x-rpct")}), 404, "request_not_found")

		// The RPCT confirms: dir3 is RPCT at its very next request.
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: rpct})
		var d decisionBody
		decode(t, rec, &d)
		if rec.Code != 200 || d.Request.State != "confirmed" || d.Request.DecidedBy != rpctID || d.TemporaryPassword != "" {
			t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/users", dir3); rec.Code != 200 {
			t.Fatalf("dir3 after the confirmed grant: %d", rec.Code)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: rpct}), 409, "request_decided")
		decode(t, s.get("/api/v1/privileged-requests", rpct), &list)
		if len(list.Items) != 0 {
			t.Fatalf("a decided request still waits: %+v", list.Items)
		}

		// A rejected request changes nothing.
		r = s.ask(rpct, "disable_rpct", dir3ID)
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: dir3}), 403, "own_account")
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/reject", token: admin})
		var rejected requestBody
		decode(t, rec, &rejected)
		if rec.Code != 200 || rejected.State != "rejected" {
			t.Fatalf("reject: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/me", dir3); rec.Code != 200 {
			t.Fatalf("dir3 after a rejected disabling: %d", rec.Code)
		}

		// The OIV's password: the RPCT can neither ask nor confirm; a second administrator confirms and
		// receives the temporary password, once; the OIV's sessions end.
		s.operatorUser("admin2", domain.Grant{Role: domain.RoleAdmin})
		admin2 := s.login("admin2")
		r = s.ask(admin, "reset_password_oiv", oivID)
		decode(t, s.get("/api/v1/privileged-requests", rpct), &list)
		if len(list.Items) != 1 || list.Items[0].CanDecide {
			t.Fatalf("the RPCT may decide an OIV matter: %+v", list.Items)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: rpct}), 403, "privileged_target")
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: admin2})
		decode(t, rec, &d)
		if rec.Code != 200 || len(d.TemporaryPassword) < 20 || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("confirm reset: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.get("/api/v1/me", oiv), 401, "session_closed")
		fresh := s.freshLogin("oiv", d.TemporaryPassword)
		if rec := s.get("/api/v1/me", fresh.AccessToken); !strings.Contains(rec.Body.String(), `"must_change_password":true`) {
			t.Fatalf("the temporary password need not be changed: %s", rec.Body)
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("oiv", demo.Password)}); rec.Code != 401 {
			t.Fatalf("the old password still works: %d", rec.Code)
		}

		// Both steps of every request are on the trail, the password never.
		var trail struct {
			Items []struct {
				Action  string `json:"action"`
				ActorID string `json:"actor_id"`
				After   any    `json:"after"`
			} `json:"items"`
		}
		decode(t, s.get("/api/v1/audit?entity=privileged_request&page_size=50", rpct), &trail)
		var actions []string
		for i := len(trail.Items) - 1; i >= 0; i-- {
			actions = append(actions, trail.Items[i].Action)
			if strings.Contains(fmt.Sprint(trail.Items[i].After), d.TemporaryPassword) {
				t.Fatal("the temporary password is on the trail")
			}
		}
		if got := strings.Join(actions, " "); got != "request confirm request reject request confirm" {
			t.Fatalf("trail %s", got)
		}
		decode(t, s.get("/api/v1/audit?entity=user&action=reset_password", rpct), &trail)
		if len(trail.Items) != 1 || trail.Items[0].ActorID != s.userID("admin2") {
			t.Fatalf("the reset is not the confirmer's on the trail: %+v", trail.Items)
		}

		// A new administrator takes two people as well: the RPCT asks, an administrator confirms.
		s.operatorUser("tecnico")
		tecnico := s.login("tecnico")
		decodeProblem(t, s.get("/api/v1/users", tecnico), 403, "forbidden")
		s.confirmed(rpct, admin, "grant_admin", s.userID("tecnico"))
		if rec := s.get("/api/v1/users", tecnico); rec.Code != 200 {
			t.Fatalf("the new administrator: %d", rec.Code)
		}
	})
}

// TestPrivilegedRequestExpires: a request not confirmed within its time cannot be confirmed, leaves the list,
// and does not block asking again.
func TestPrivilegedRequestExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		admin, rpct := s.login("admin"), s.login("rpct")
		dir3ID := s.userID("dir3")
		old, err := s.store.CreatePrivilegedRequest(context.Background(), s.demoEnteID(), domain.RequestGrantRPCT, dir3ID, s.userID("admin"), -time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var list struct{ Items []requestBody }
		decode(t, s.get("/api/v1/privileged-requests", rpct), &list)
		if len(list.Items) != 0 {
			t.Fatalf("an expired request waits: %+v", list.Items)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + old.ID + "/confirm", token: rpct}), 409, "request_expired")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + old.ID + "/reject", token: rpct}), 409, "request_expired")
		var trail struct{ Total int }
		decode(t, s.get("/api/v1/audit?entity=privileged_request&action=expire", rpct), &trail)
		if trail.Total != 1 {
			t.Fatalf("the expiry is recorded %d times, want once", trail.Total)
		}
		if got, _ := s.store.PrivilegedRequest(context.Background(), s.demoEnteID(), old.ID, false); got.State != domain.RequestExpired || got.DecidedAt == nil {
			t.Fatalf("stored %+v", got)
		}
		s.ask(admin, "grant_rpct", dir3ID)
		if _, err := s.store.CreatePrivilegedRequest(context.Background(), s.demoEnteID(), domain.RequestResetPasswordRPCT, s.userID("rpct"), s.userID("admin"), -time.Minute); err != nil {
			t.Fatal(err)
		}
		s.ask(admin, "reset_password_rpct", s.userID("rpct")) // the expired one is set aside, not a conflict
	})
}

// TestLastRPCTStays: the last active RPCT can be neither revoked nor disabled, in the app or by the operator;
// with a second RPCT it can.
func TestLastRPCTStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		ctx := context.Background()
		admin := s.login("admin")
		rpctID := s.userID("rpct")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: admin, body: requestJSON("revoke_rpct", rpctID)}), 409, "last_rpct")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: admin, body: requestJSON("disable_rpct", rpctID)}), 409, "last_rpct")
		op := s.users.AsOperator()
		if err := op.Revoke(ctx, s.demoEnteID(), "rpct", domain.Grant{Role: domain.RoleRPCT}); domain.CodeOf(err) != "last_rpct" {
			t.Fatalf("operator revokes the last RPCT: %v", err)
		}
		if err := op.SetDisabled(ctx, s.demoEnteID(), "rpct", true); domain.CodeOf(err) != "last_rpct" {
			t.Fatalf("operator disables the last RPCT: %v", err)
		}
		// A disabled RPCT does not count: with rpct2 disabled, rpct is still the last active one.
		s.operatorUser("rpct2", domain.Grant{Role: domain.RoleRPCT})
		if err := op.SetDisabled(ctx, s.demoEnteID(), "rpct2", true); err != nil {
			t.Fatal(err)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests", token: admin, body: requestJSON("revoke_rpct", rpctID)}), 409, "last_rpct")
		// Re-enabled (by request: the RPCT asks, the administrator confirms), rpct2 lets rpct go.
		s.confirmed(s.login("rpct"), admin, "enable_rpct", s.userID("rpct2"))
		r := s.ask(admin, "revoke_rpct", rpctID)
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: s.login("rpct2")})
		if rec.Code != 200 {
			t.Fatalf("revoke with a second RPCT: %d %s", rec.Code, rec.Body)
		}
		if err := op.SetDisabled(ctx, s.demoEnteID(), "rpct2", true); domain.CodeOf(err) != "last_rpct" {
			t.Fatalf("operator disables the new last RPCT: %v", err)
		}
	})
}

// TestConcurrentRemovalsKeepOneRPCT: two RPCTs removed at the same moment (each by a different hand) leave one:
// exactly one removal is refused with last_rpct, whatever the order the database serialises them in.
func TestConcurrentRemovalsKeepOneRPCT(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		ctx, ente, op := context.Background(), s.demoEnteID(), s.users.AsOperator()
		survivor := "rpct"
		for round, other := range []string{"rpct-a", "rpct-b", "rpct-c"} {
			s.operatorUser(other, domain.Grant{Role: domain.RoleRPCT})
			pair := []string{survivor, other}
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, who := range pair {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if round%2 == 0 {
						errs[i] = op.Revoke(ctx, ente, who, domain.Grant{Role: domain.RoleRPCT})
					} else {
						errs[i] = op.SetDisabled(ctx, ente, who, true)
					}
				}()
			}
			wg.Wait()
			refused := 0
			for i, err := range errs {
				switch {
				case err == nil:
				case domain.CodeOf(err) == "last_rpct":
					refused++
					survivor = pair[i]
				default:
					t.Fatalf("round %d %s: %v", round, pair[i], err)
				}
			}
			if refused != 1 {
				t.Fatalf("round %d: %d removals refused, want exactly 1 (%v)", round, refused, errs)
			}
			if n, err := s.store.OtherActiveHolders(ctx, ente, domain.RoleRPCT, uuid.NewString()); err != nil || n != 1 {
				t.Fatalf("round %d: %d active RPCTs (%v), want 1", round, n, err)
			}
		}
	})
}

// TestConcurrentConfirmations: the same request confirmed by two people at once is applied once.
func TestConcurrentConfirmations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		s.operatorUser("admin2", domain.Grant{Role: domain.RoleAdmin})
		r := s.ask(s.login("admin"), "grant_rpct", s.userID("dir3"))
		tokens := []string{s.login("rpct"), s.login("admin2")}
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, tok := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = s.do(request{method: http.MethodPost, path: "/api/v1/privileged-requests/" + r.ID + "/confirm", token: tok}).Code
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Fatalf("codes %v, want one 200 and one 409", codes)
		}
		var trail struct{ Total int }
		decode(t, s.get("/api/v1/audit?entity=user&action=grant&entity_id="+s.userID("dir3"), s.login("rpct")), &trail)
		if trail.Total != 1 {
			t.Fatalf("the grant was applied %d times", trail.Total)
		}
	})
}
