package authz

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/domain"
)

// TestSyncFailureDeniesAndIsLogged: when a user's new grants cannot be loaded, Can denies even what the
// grants loaded before allowed, Allowed offers nothing, and both log why; once loading works again the new
// grants apply.
func TestSyncFailureDeniesAndIsLogged(t *testing.T) {
	a := newAuthz(t)
	var logs bytes.Buffer
	a.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	u := actor(enteA, "u", 1, grant(domain.RoleReferente, "SG"))
	if !a.Can(u, ObjMeasure, ActWrite, "SG") {
		t.Fatal("version 1: referente on SG")
	}
	a.SetSyncFault(func(string) error { return errors.New("policy store unavailable") })
	next := u
	next.GrantsVersion = 2
	if a.Can(next, ObjMeasure, ActWrite, "SG") || a.Can(next, ObjProcessMap, ActRead) {
		t.Fatal("a failed load still allowed on the grants loaded before")
	}
	if got := a.Allowed(next); got != nil {
		t.Fatalf("a failed load still offers %v", got)
	}
	if n := strings.Count(logs.String(), "policy store unavailable"); n < 3 {
		t.Fatalf("%d failures logged, want 3:\n%s", n, logs.String())
	}
	a.SetSyncFault(nil)
	if !a.Can(next, ObjMeasure, ActWrite, "SG") {
		t.Fatal("after the fault the grants load again")
	}
}
