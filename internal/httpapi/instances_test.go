package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// TestTwoInstances runs two independent server stacks (their own pools, policy, access caches and
// services, as two `argine serve` behind a load balancer) on one PostgreSQL database, and checks that nothing
// kept in one process lets the other answer from a stale state. PostgreSQL only: a SQLite file is served by
// one process (docs/production.md).
func TestTwoInstances(t *testing.T) {
	url := dbtest.PostgresURL(t)
	dbA, dbB := dbtest.Open(t, url), dbtest.Open(t, url)
	if _, err := dbA.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	a := newServer(t, dbA)
	b := newInstance(t, dbB)

	t.Run("a save on A is read on B", func(t *testing.T) {
		dir2 := a.login("dir2")
		path := "/api/v1/cycles/2026-2028/nodes/B3.2.1.2/assessment"
		var before struct {
			Version int64 `json:"version"`
		}
		decode(t, b.get(path, dir2), &before)
		if rec := a.do(request{method: http.MethodPut, path: path, token: dir2,
			body: strings.Replace(assessmentBody, "%d", fmt.Sprint(before.Version), 1)}); rec.Code != http.StatusOK {
			t.Fatalf("save on A: %d %s", rec.Code, rec.Body)
		}
		var after struct {
			Version int64 `json:"version"`
		}
		decode(t, b.get(path, dir2), &after)
		if after.Version != before.Version+1 {
			t.Fatalf("B reads version %d after A saved over %d", after.Version, before.Version)
		}
		// A save on B over the version A replaced is the usual conflict, whichever instance answers.
		decodeProblem(t, b.do(request{method: http.MethodPut, path: path, token: dir2,
			body: strings.Replace(assessmentBody, "%d", fmt.Sprint(before.Version), 1)}), http.StatusConflict, "version_conflict")
	})

	t.Run("no stale 304 on B after a change on A", func(t *testing.T) {
		rpct := a.login("rpct")
		const path = "/api/v1/catalogue/risk-events"
		old := b.get(path, rpct).Header().Get("ETag")
		if rec := b.do(request{method: http.MethodGet, path: path, token: rpct, header: map[string]string{"If-None-Match": old}}); rec.Code != http.StatusNotModified {
			t.Fatalf("B revalidates an unchanged catalogue: %d", rec.Code)
		}
		if rec := a.do(request{method: http.MethodPost, path: path, token: rpct,
			body: `{"code":"er-x-09","description":"Il funzionario altera l'ordine delle pratiche di rimborso","risk_areas":["D"]}`}); rec.Code != http.StatusCreated {
			t.Fatalf("create on A: %d %s", rec.Code, rec.Body)
		}
		rec := b.do(request{method: http.MethodGet, path: path, token: rpct, header: map[string]string{"If-None-Match": old}})
		if rec.Code != http.StatusOK || !strings.Contains(strings.ToUpper(rec.Body.String()), "ER-X-09") {
			t.Fatalf("B after the change on A: %d (a 304 would be stale)", rec.Code)
		}
		if got, want := rec.Header().Get("ETag"), a.get(path, rpct).Header().Get("ETag"); got == old || got != want {
			t.Fatalf("ETag on B %q, on A %q, before %q", got, want, old)
		}
	})

	t.Run("a grant or a revocation on A is enforced on B", func(t *testing.T) {
		rpct := a.login("rpct")
		ref2 := b.login("ref2") // signed in on B, used on B: B has loaded ref2's grants
		const tree = "/api/v1/cycles/2026-2028/process-map"
		if rec := b.get(tree, ref2); rec.Code != http.StatusOK {
			t.Fatalf("ref2 reads the map on B: %d", rec.Code)
		}
		grants, err := a.store.Grants(context.Background(), a.demoEnteID(), a.userID("ref2"))
		if err != nil || len(grants) != 1 {
			t.Fatalf("ref2's grants %+v, %v", grants, err)
		}
		if rec := a.do(request{method: http.MethodDelete, path: "/api/v1/users/" + a.userID("ref2") + "/grants/" + grants[0].ID, token: rpct}); rec.Code != http.StatusNoContent {
			t.Fatalf("revoke on A: %d %s", rec.Code, rec.Body)
		}
		if rec := b.get(tree, ref2); rec.Code != http.StatusForbidden {
			t.Fatalf("B after the revocation on A: %d", rec.Code)
		}
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/users/" + a.userID("ref2") + "/grants", token: rpct,
			body: fmt.Sprintf(`{"role":%q,"unit":%q}`, grants[0].Role, grants[0].UnitCode)}); rec.Code != http.StatusCreated {
			t.Fatalf("grant on A: %d %s", rec.Code, rec.Body)
		}
		if rec := b.get(tree, ref2); rec.Code != http.StatusOK {
			t.Fatalf("B after the grant on A: %d", rec.Code)
		}
	})

	t.Run("logout on A is refused on B", func(t *testing.T) {
		tok := a.freshLogin("oiv", "argine-demo-2026").AccessToken
		if rec := b.get("/api/v1/me", tok); rec.Code != http.StatusOK {
			t.Fatalf("B before the logout: %d", rec.Code)
		}
		if rec := a.do(request{method: http.MethodPost, path: "/api/v1/auth/logout", token: tok}); rec.Code != http.StatusNoContent {
			t.Fatalf("logout on A: %d %s", rec.Code, rec.Body)
		}
		decodeProblem(t, b.get("/api/v1/me", tok), http.StatusUnauthorized, "session_closed")
	})

	t.Run("sign-in throttling counts both instances", func(t *testing.T) {
		failures := service.DefaultAuthConfig().MaxFailures
		for i := range failures {
			s := []*server{a, b}[i%2]
			rec := s.do(request{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("dir3", "not-the-password")})
			if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusTooManyRequests {
				t.Fatalf("failure %d on instance %d: %d %s", i+1, i%2, rec.Code, rec.Body)
			}
		}
		// Each instance saw half of the failures: the account is locked all the same, on both.
		for _, s := range []*server{a, b} {
			decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/auth/login",
				body: loginBody("dir3", "argine-demo-2026")}), http.StatusTooManyRequests, "too_many_attempts")
		}
	})

	t.Run("one scheduler holds the lease", func(t *testing.T) {
		ctx := context.Background()
		repA, err := service.NewScheduler(store.New(dbA), nil).RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		repB, err := service.NewScheduler(store.New(dbB), nil).RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !repA.Leader || repB.Leader {
			t.Fatalf("leaders: A %v, B %v (exactly the first should hold the lease)", repA.Leader, repB.Leader)
		}
	})
}
