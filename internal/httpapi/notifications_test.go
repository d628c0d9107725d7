package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
)

// An OIV note reaches the RPCT's inbox and nobody else's; a person reads and marks only their own
// notifications; preferences are versioned; the administrator sees the e-mail queued for it.
func TestNotificationsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newServer(t, db)
		// The demo users have no e-mail address; the RPCT gets one, so that an e-mail is queued too.
		if err := db.Gorm.Exec("UPDATE users SET email = 'rpct@cciaa.example' WHERE username = 'rpct'").Error; err != nil {
			t.Fatal(err)
		}
		rec := s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/oiv-notes", token: s.login("oiv"),
			body: `{"target_kind":"cycle","body":"Verificare i tempi di attuazione delle misure."}`})
		if rec.Code != http.StatusCreated {
			t.Fatalf("oiv note: %d %s", rec.Code, rec.Body)
		}
		var page struct {
			Items []struct {
				ID, Kind, Subject, Body, Link string
				ReadAt                        *string `json:"read_at"`
			}
			Total, Unread int
		}
		decode(t, s.get("/api/v1/me/notifications", s.login("rpct")), &page)
		if page.Total != 1 || page.Unread != 1 || page.Items[0].Kind != "oiv_note" || !strings.Contains(page.Items[0].Body, "Verificare i tempi") || page.Items[0].Link != "/ciclo?ciclo=2026-2028" {
			t.Fatalf("rpct's inbox: %+v", page)
		}
		id := page.Items[0].ID
		for _, who := range []string{"oiv", "dir1", "admin", "x-rpct"} {
			var other struct{ Total int }
			decode(t, s.get("/api/v1/me/notifications", s.login(who)), &other)
			if other.Total != 0 {
				t.Fatalf("%s was told: %d", who, other.Total)
			}
			if rec := s.do(request{method: http.MethodPost, path: "/api/v1/me/notifications/" + id + "/read", token: s.login(who)}); rec.Code != http.StatusNotFound {
				t.Fatalf("%s marked the RPCT's notification: %d", who, rec.Code)
			}
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/me/notifications/" + id + "/read", token: s.login("rpct")}); rec.Code != http.StatusNoContent {
			t.Fatalf("mark read: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/me/notifications/unread-count", s.login("rpct")); !strings.Contains(rec.Body.String(), `"unread":0`) {
			t.Fatalf("unread after reading: %s", rec.Body)
		}
		if rec := s.get("/api/v1/me/notifications?page_size=500", s.login("rpct")); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "page_size") {
			t.Fatalf("oversized page: %d %s", rec.Code, rec.Body)
		}
		// Preferences: defaults, then versioned saves.
		rec = s.get("/api/v1/me/notification-preferences", s.login("dir1"))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"digest":"daily"`) || !strings.Contains(rec.Body.String(), `"comment":true`) || !strings.Contains(rec.Body.String(), `"email_enabled":false`) {
			t.Fatalf("default preferences: %s", rec.Body)
		}
		body := `{"email":{"comment":false},"digest":"weekly","version":0}`
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/me/notification-preferences", token: s.login("dir1"), body: body}); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"comment":false`) || !strings.Contains(rec.Body.String(), `"version":1`) {
			t.Fatalf("save: %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/me/notification-preferences", token: s.login("dir1"), body: body}); rec.Code != http.StatusConflict {
			t.Fatalf("stale save: %d %s", rec.Code, rec.Body)
		}
		if rec := s.do(request{method: http.MethodPut, path: "/api/v1/me/notification-preferences", token: s.login("dir1"), body: `{"email":{"nonsense":false},"digest":"daily","version":1}`}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "email.nonsense") {
			t.Fatalf("unknown kind: %d %s", rec.Code, rec.Body)
		}
		// The administrator's outbox: the RPCT's e-mail is queued; no SMTP is configured and the page says so.
		rec = s.get("/api/v1/notifications/outbox?state=queued", s.login("admin"))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"smtp":""`) || strings.Contains(rec.Body.String(), "Verificare i tempi") {
			t.Fatalf("outbox: %d %s", rec.Code, rec.Body)
		}
		var ob struct {
			Items []struct{ ID, State string }
			Total int
		}
		decode(t, rec, &ob)
		if ob.Total != 1 || ob.Items[0].State != "queued" {
			t.Fatalf("queued e-mails: %+v", ob)
		}
		if rec := s.do(request{method: http.MethodPost, path: "/api/v1/notifications/outbox/" + ob.Items[0].ID + "/resend", token: s.login("admin")}); rec.Code != http.StatusConflict {
			t.Fatalf("resend of a queued e-mail: %d %s", rec.Code, rec.Body)
		}
		if rec := s.get("/api/v1/notifications/outbox?state=bogus", s.login("admin")); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("bad state: %d", rec.Code)
		}
	})
}
