package httpapi_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

type userBody struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Version  int64  `json:"version"`
	Grants   []struct {
		ID   string `json:"id"`
		Role string `json:"role"`
		Unit string `json:"unit"`
	} `json:"grants"`
}

func TestUserAdministration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		rpct, admin := s.login("rpct"), s.login("admin")

		// The RPCT creates a referente of Area 3.
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/users", token: rpct, body: `{"username":"Ref3","full_name":"Referente Tre",
			"email":"ref3@example.it","password":"una-frase-lunga-e-sicura","grants":[{"role":"referente","unit":"AD3"}]}`})
		var created userBody
		decode(t, rec, &created)
		if rec.Code != 201 || created.Username != "ref3" || len(created.Grants) != 1 || created.Grants[0].Unit != "AD3" ||
			rec.Header().Get("Location") != "/api/v1/users/"+created.ID {
			t.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users", token: rpct,
			body: `{"username":"ref3","password":"una-frase-lunga-e-sicura"}`}), 409, "username_taken")
		p := decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users", token: rpct,
			body: `{"username":"x","email":"nope","password":"ref4ref4","grants":[{"role":"director"},{"role":"oiv","unit":"AD1"},{"role":"director","unit":"AD9"}]}`}), 422, "user_invalid")
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field+":"+e.Code)
		}
		if got := strings.Join(fields, " "); !strings.Contains(got, "username:username_invalid") || !strings.Contains(got, "email:email_invalid") ||
			!strings.Contains(got, "password:password_too_short") {
			t.Fatalf("fields %s", got)
		}
		p = decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users", token: rpct,
			body: `{"username":"ref4","password":"una-frase-lunga-e-sicura","grants":[{"role":"director"},{"role":"oiv","unit":"AD1"},{"role":"director","unit":"AD9"}]}`}), 422, "grant_invalid")
		fields = nil
		for _, e := range p.Errors {
			fields = append(fields, e.Field+":"+e.Code)
		}
		if got := strings.Join(fields, " "); got != "grants[0].unit:required grants[1].unit:not_allowed grants[2].unit:unit_unknown" {
			t.Fatalf("grant fields %s", got)
		}

		// The new user signs in and can draft on Area 3 only.
		tok := s.freshLogin("ref3", "una-frase-lunga-e-sicura").AccessToken
		// The password the RPCT chose is temporary: ref3 replaces it first.
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/me/password", token: tok,
			body: `{"current_password":"una-frase-lunga-e-sicura","new_password":"la-mia-frase-personale-3"}`}); rec.Code != 204 {
			t.Fatalf("ref3 changes the temporary password: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/users", tok); rec.Code != 403 {
			t.Fatalf("a referente lists users: %d", rec.Code)
		}
		// The RPCT role is never granted by one person: the RPCT asks, the administrator confirms, and the
		// grant takes effect on the user's very next request.
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users/" + created.ID + "/grants", token: rpct, body: `{"role":"rpct"}`}), 403, "request_required")
		s.confirmed(rpct, admin, "grant_rpct", created.ID)
		if rec := s.get("/api/v1/users", tok); rec.Code != 200 {
			t.Fatalf("after the rpct grant: %d", rec.Code)
		}
		s.confirmed(rpct, admin, "revoke_rpct", created.ID)
		if rec := s.get("/api/v1/users", tok); rec.Code != 403 {
			t.Fatalf("after the revocation: %d", rec.Code)
		}
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users/" + created.ID + "/grants", token: rpct,
			body: `{"role":"referente","unit":"AD3"}`}), 409, "grant_exists")

		// The technical administrator cannot make anyone RPCT or OIV, nor revoke those roles, directly.
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users/" + created.ID + "/grants", token: admin, body: `{"role":"rpct"}`}), 403, "request_required")
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/users", token: admin,
			body: `{"username":"boss","password":"una-frase-lunga-e-sicura","grants":[{"role":"oiv"}]}`}), 403, "request_required")
		oiv := s.userID("oiv")
		var oivUser userBody
		decode(t, s.get("/api/v1/users/"+oiv, admin), &oivUser)
		decodeProblem(t, s.do(request{method: http.MethodDelete, path: "/api/v1/users/" + oiv + "/grants/" + oivUser.Grants[0].ID, token: admin}), 403, "privileged_target")
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/users/" + created.ID + "/grants", token: admin, body: `{"role":"director","unit":"AD3"}`}); rec.Code != 201 {
			t.Fatalf("admin grants director: %d %s", rec.Code, rec.Body)
		}

		// Optimistic locking on profile changes.
		v := strconv.FormatInt(created.Version, 10)
		rec = s.do(request{method: http.MethodPatch, path: "/api/v1/users/" + created.ID, token: rpct, body: `{"full_name":"Nome Nuovo","email":"","version":` + v + `}`})
		if rec.Code != 409 { // the grants above bumped the version
			var cur userBody
			decode(t, s.get("/api/v1/users/"+created.ID, rpct), &cur)
			t.Fatalf("stale version accepted: %d %s (current %d)", rec.Code, rec.Body, cur.Version)
		}
		p = decodeProblem(t, rec, 409, "version_conflict")
		rec = s.do(request{method: http.MethodPatch, path: "/api/v1/users/" + created.ID, token: rpct,
			body: `{"full_name":"Nome Nuovo","email":"nuovo@example.it","version":` + strconv.FormatInt(p.CurrentVersion, 10) + `}`})
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nome Nuovo") {
			t.Fatalf("update at the current version: %d %s", rec.Code, rec.Body)
		}

		// Password reset by the RPCT closes the user's sessions.
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/users/" + created.ID + "/password", token: rpct, body: `{"password":"altra-frase-molto-lunga"}`}); rec.Code != 204 {
			t.Fatalf("reset: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.get("/api/v1/me", tok), 401, "session_closed")
		s.freshLogin("ref3", "altra-frase-molto-lunga")

		// Lists are scoped to the caller's ente.
		var list struct{ Items []userBody }
		decode(t, s.get("/api/v1/users", rpct), &list)
		for _, u := range list.Items {
			if strings.HasPrefix(u.Username, "x-") {
				t.Fatalf("the list shows another ente's user %s", u.Username)
			}
		}
		if len(list.Items) != 8 {
			t.Fatalf("want the 7 demo users and ref3, got %d", len(list.Items))
		}
	})
}
