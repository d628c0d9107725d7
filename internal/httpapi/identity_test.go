package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/httpapi"
	"github.com/argine-pa/argine/internal/mfa"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// An administrator of an installation requiring a second factor signs in, is held to the enrolment, enrols,
// then signs in in two steps; they see their sessions and end one. Every answer is checked against
// openapi.json.
func TestHTTPSecondFactorAndSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock := time.Now().UTC()
		s := newServer(t, db, func(d *httpapi.Deps) {
			cfg := service.DefaultAuthConfig()
			cfg.Secret = []byte(secret)
			cfg.MFARequiredRoles = []domain.Role{domain.RoleAdmin, domain.RoleRPCT}
			auth, err := service.NewAuth(store.New(d.DB), d.Authz, nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
			auth.SetClock(func() time.Time { return clock })
			d.Auth = auth
		})
		tk := s.freshLogin("admin", demo.Password)
		if !tk.MFAEnrolmentRequired {
			t.Fatalf("login: %+v", tk)
		}
		decodeProblem(t, s.get("/api/v1/users", tk.AccessToken), http.StatusForbidden, "mfa_enrolment_required")
		var me struct {
			MFAEnrolmentRequired bool `json:"mfa_enrolment_required"`
		}
		decode(t, s.get("/api/v1/me", tk.AccessToken), &me)
		if !me.MFAEnrolmentRequired {
			t.Fatal("GET /me does not say the enrolment is required")
		}
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/me/mfa/totp", token: tk.AccessToken})
		var e mfa.Enrolment
		decode(t, rec, &e)
		if rec.Code != http.StatusOK || e.Secret == "" {
			t.Fatalf("start: %d %s", rec.Code, rec.Body)
		}
		code, _ := mfa.Code(e.Secret, clock)
		body, _ := json.Marshal(map[string]string{"code": code})
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/me/mfa/totp/confirm", token: tk.AccessToken, body: string(body)})
		if rec.Code != http.StatusOK {
			t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/users", tk.AccessToken); rec.Code != http.StatusOK {
			t.Fatalf("after enrolling: %d %s", rec.Code, rec.Body)
		}

		step1 := s.freshLogin("admin", demo.Password)
		if !step1.MFARequired || step1.AccessToken != "" {
			t.Fatalf("step 1: %+v", step1)
		}
		clock = clock.Add(time.Minute)
		code, _ = mfa.Code(e.Secret, clock)
		body, _ = json.Marshal(map[string]string{"mfa_token": step1.MFAToken, "code": "999999"})
		decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/mfa", body: string(body)}), http.StatusUnauthorized, "mfa_code_invalid")
		body, _ = json.Marshal(map[string]string{"mfa_token": step1.MFAToken, "code": code})
		rec = s.do(request{method: http.MethodPost, path: "/api/v1/auth/mfa", body: string(body)})
		var second service.Tokens
		decode(t, rec, &second)
		if rec.Code != http.StatusOK || second.AccessToken == "" {
			t.Fatalf("step 2: %d %s", rec.Code, rec.Body)
		}

		var list struct {
			Items []service.SessionView `json:"items"`
		}
		decode(t, s.get("/api/v1/me/sessions", second.AccessToken), &list)
		if len(list.Items) != 2 {
			t.Fatalf("sessions: %+v", list.Items)
		}
		other := list.Items[0].ID
		if list.Items[0].Current {
			other = list.Items[1].ID
		}
		if rec := s.do(request{method: http.MethodDelete, path: "/api/v1/me/sessions/" + other, token: second.AccessToken}); rec.Code != http.StatusNoContent {
			t.Fatalf("end: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, s.get("/api/v1/me", tk.AccessToken), http.StatusUnauthorized, "session_closed")
	})
}
