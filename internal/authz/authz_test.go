package authz

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/policies"
)

const (
	enteA = "0b5f8d3e-1c2a-4e7b-9f00-000000000001"
	enteB = "0b5f8d3e-1c2a-4e7b-9f00-000000000002"
)

// Where a permission holds for a role, in the three situations of the matrix.
const (
	everywhere = "own other ente" // any unit and ente-level resources
	ownOnly    = "own"            // only resources of a unit where the user holds the role
)

// allow is the whole expected matrix: every (role, permission) not listed is denied in every situation.
var allow = []struct {
	role  domain.Role
	perm  string // "object action"
	where string
}{
	{domain.RoleAdmin, "processmap read", everywhere},
	{domain.RoleAdmin, "processmap import", everywhere},
	{domain.RoleAdmin, "catalogue read", everywhere},
	{domain.RoleAdmin, "methodology read", everywhere},
	{domain.RoleAdmin, "cycle read", everywhere},
	{domain.RoleAdmin, "user read", everywhere},
	{domain.RoleAdmin, "user manage", everywhere},
	{domain.RoleAdmin, "privileged_request read", everywhere},
	{domain.RoleAdmin, "privileged_request write", everywhere},
	{domain.RoleAdmin, "privileged_request review", everywhere},
	{domain.RoleAdmin, "outbox read", everywhere},
	{domain.RoleAdmin, "outbox manage", everywhere},

	{domain.RoleRPCT, "processmap read", everywhere},
	{domain.RoleRPCT, "processmap import", everywhere},
	{domain.RoleRPCT, "assessment read", everywhere},
	{domain.RoleRPCT, "assessment review", everywhere},
	{domain.RoleRPCT, "measure read", everywhere},
	{domain.RoleRPCT, "catalogue read", everywhere},
	{domain.RoleRPCT, "catalogue write", everywhere},
	{domain.RoleRPCT, "methodology read", everywhere},
	{domain.RoleRPCT, "methodology write", everywhere},
	{domain.RoleRPCT, "cycle read", everywhere},
	{domain.RoleRPCT, "cycle manage", everywhere},
	{domain.RoleRPCT, "user read", everywhere},
	{domain.RoleRPCT, "user manage", everywhere},
	{domain.RoleRPCT, "privileged_request read", everywhere},
	{domain.RoleRPCT, "privileged_request write", everywhere},
	{domain.RoleRPCT, "privileged_request review", everywhere},
	{domain.RoleRPCT, "audit read", everywhere},
	{domain.RoleRPCT, "oiv_note read", everywhere},

	{domain.RoleDirector, "processmap read", everywhere},
	{domain.RoleDirector, "assessment read", everywhere},
	{domain.RoleDirector, "assessment write", ownOnly},
	{domain.RoleDirector, "assessment submit", ownOnly},
	{domain.RoleDirector, "measure read", everywhere},
	{domain.RoleDirector, "measure write", ownOnly},
	{domain.RoleDirector, "catalogue read", everywhere},
	{domain.RoleDirector, "methodology read", everywhere},
	{domain.RoleDirector, "cycle read", everywhere},

	{domain.RoleReferente, "processmap read", everywhere},
	{domain.RoleReferente, "assessment read", everywhere},
	{domain.RoleReferente, "assessment write", ownOnly},
	{domain.RoleReferente, "measure read", everywhere},
	{domain.RoleReferente, "measure write", ownOnly},
	{domain.RoleReferente, "catalogue read", everywhere},
	{domain.RoleReferente, "methodology read", everywhere},
	{domain.RoleReferente, "cycle read", everywhere},

	{domain.RoleOIV, "processmap read", everywhere},
	{domain.RoleOIV, "assessment read", everywhere},
	{domain.RoleOIV, "measure read", everywhere},
	{domain.RoleOIV, "catalogue read", everywhere},
	{domain.RoleOIV, "methodology read", everywhere},
	{domain.RoleOIV, "cycle read", everywhere},
	{domain.RoleOIV, "audit read", everywhere},
	{domain.RoleOIV, "oiv_note read", everywhere},
	{domain.RoleOIV, "oiv_note write", everywhere},
}

func newAuthz(t testing.TB) *Authorizer {
	t.Helper()
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// actor builds a signed-in user; unit-scoped roles get the unit, the others the whole ente.
func actor(ente, id string, version int64, grants ...domain.Grant) domain.Actor {
	return domain.Actor{UserID: id, EnteID: ente, Grants: grants, GrantsVersion: version}
}

func grant(role domain.Role, unit string) domain.Grant {
	return domain.Grant{Role: role, UnitCode: unit}
}

// roleGrant gives role on unit SG when the role is unit-scoped, on the whole ente otherwise.
func roleGrant(role domain.Role) domain.Grant {
	if role.UnitScoped() {
		return grant(role, "SG")
	}
	return grant(role, "")
}

// populate loads other people's grants in both entes, so that a leak between unit domains, or from the
// ente-wide domain into units, would show up in the matrix.
func populate(t testing.TB, a *Authorizer) {
	t.Helper()
	for _, ente := range []string{enteA, enteB} {
		for i, g := range []domain.Grant{
			grant(domain.RoleRPCT, ""), grant(domain.RoleAdmin, ""), grant(domain.RoleOIV, ""),
			grant(domain.RoleDirector, "AD2"), grant(domain.RoleReferente, "AD2"),
			grant(domain.RoleDirector, "SG"), grant(domain.RoleDirector, "AD3"),
		} {
			if err := a.Sync(actor(ente, fmt.Sprintf("bg-%s-%d", ente[len(ente)-1:], i), 1, g)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

type situation struct {
	name  string
	units []string
}

var situations = []situation{
	{"own", []string{"SG"}},    // a resource of the unit the user's grant names (any unit for ente-wide roles)
	{"other", []string{"AD2"}}, // a resource of a unit the user holds nothing in
	{"ente", nil},              // an ente-level resource
}

func TestPolicyMatrix(t *testing.T) {
	want := map[string]string{}
	for _, r := range allow {
		obj, act, _ := strings.Cut(r.perm, " ")
		if !known(Object(obj), Action(act)) {
			t.Fatalf("expected table names unknown permission %q", r.perm)
		}
		want[string(r.role)+" "+r.perm] = r.where
	}
	a := newAuthz(t)
	users := map[domain.Role]domain.Actor{}
	for _, role := range domain.Roles {
		users[role] = actor(enteA, "matrix-"+string(role), 1, roleGrant(role))
		if err := a.Sync(users[role]); err != nil {
			t.Fatal(err)
		}
	}
	// Other people's grants are loaded after the matrix users', so that unit domains created later must
	// not inherit the matrix users' unit grants.
	populate(t, a)
	cases := 0
	for _, role := range domain.Roles {
		who := users[role]
		for _, p := range Permissions {
			for _, s := range situations {
				cases++
				expect := slices.Contains(strings.Fields(want[fmt.Sprintf("%s %s %s", role, p.Object, p.Action)]), s.name)
				name := fmt.Sprintf("%s/%s/%s/%s", role, p.Object, p.Action, s.name)
				t.Run(name, func(t *testing.T) {
					if got := a.Can(who, p.Object, p.Action, s.units...); got != expect {
						t.Errorf("Can = %v, want %v", got, expect)
					}
				})
			}
		}
	}
	if n := len(domain.Roles) * len(Permissions) * len(situations); cases != n {
		t.Fatalf("matrix has %d cases, want %d", cases, n)
	}
	t.Logf("%d matrix cases", cases)
}

func TestOIVNeverWritesButNotes(t *testing.T) {
	a := newAuthz(t)
	oiv := actor(enteA, "oiv", 1, grant(domain.RoleOIV, ""))
	for _, p := range Permissions {
		for _, s := range situations {
			got := a.Can(oiv, p.Object, p.Action, s.units...)
			switch {
			case p == Permission{ObjOIVNote, ActWrite}:
				if !got {
					t.Errorf("oiv refused oiv_note write (%s)", s.name)
				}
			case p.Action.IsWrite() && got:
				t.Errorf("oiv allowed %s %s (%s)", p.Object, p.Action, s.name)
			case !p.Action.IsWrite() && p.Object != ObjUser && p.Object != ObjPrivilegedRequest && p.Object != ObjOutbox && !got: // user administration and the e-mail queue are not register content
				t.Errorf("oiv refused %s read (%s)", p.Object, s.name)
			}
		}
	}
}

func TestAdminSeesNoRegisterContent(t *testing.T) {
	a := newAuthz(t)
	admin := actor(enteA, "admin", 1, grant(domain.RoleAdmin, ""))
	for _, p := range Permissions {
		switch p.Object {
		case ObjAssessment, ObjMeasure, ObjAudit, ObjOIVNote:
			for _, s := range situations {
				if a.Can(admin, p.Object, p.Action, s.units...) {
					t.Errorf("admin allowed %s %s (%s)", p.Object, p.Action, s.name)
				}
			}
		}
	}
}

func TestSeveralGrants(t *testing.T) {
	a := newAuthz(t)
	populate(t, a)
	tests := []struct {
		obj   Object
		act   Action
		units []string
		want  bool
	}{
		{ObjAssessment, ActWrite, []string{"SG"}, true},
		{ObjAssessment, ActWrite, []string{"AD1"}, true},
		{ObjAssessment, ActWrite, []string{"AD2"}, false},
		{ObjAssessment, ActSubmit, []string{"AD1"}, true},
		{ObjAssessment, ActSubmit, []string{"AD2"}, false},
		{ObjAssessment, ActSubmit, []string{"AD2", "AD1"}, true}, // a leaf shared by two units
		{ObjMeasure, ActWrite, []string{"AD2", "AD3"}, false},
		{ObjAssessment, ActRead, []string{"AD2"}, true},
		{ObjAssessment, ActReview, []string{"SG"}, false},
		{ObjUser, ActManage, nil, false},
	}
	dir := actor(enteA, "multi", 1, grant(domain.RoleDirector, "SG"), grant(domain.RoleDirector, "AD1"))
	for _, tc := range tests {
		if got := a.Can(dir, tc.obj, tc.act, tc.units...); got != tc.want {
			t.Errorf("director SG+AD1: %s %s %v = %v, want %v", tc.obj, tc.act, tc.units, got, tc.want)
		}
	}

	// The same person is also the RPCT: reviewing and managing come in, writing elsewhere does not.
	both := dir
	both.Grants = append(slices.Clone(dir.Grants), grant(domain.RoleRPCT, ""))
	both.GrantsVersion = 2
	for _, tc := range []struct {
		obj   Object
		act   Action
		units []string
		want  bool
	}{
		{ObjAssessment, ActWrite, []string{"SG"}, true},
		{ObjAssessment, ActWrite, []string{"AD2"}, false},
		{ObjAssessment, ActWrite, nil, false},
		{ObjAssessment, ActSubmit, []string{"AD1"}, true},
		{ObjAssessment, ActReview, []string{"SG"}, true},
		{ObjAssessment, ActReview, []string{"AD2"}, true},
		{ObjUser, ActManage, nil, true},
		{ObjAudit, ActRead, nil, true},
		{ObjOIVNote, ActWrite, nil, false},
	} {
		if got := a.Can(both, tc.obj, tc.act, tc.units...); got != tc.want {
			t.Errorf("director SG+AD1 and rpct: %s %s %v = %v, want %v", tc.obj, tc.act, tc.units, got, tc.want)
		}
	}
}

func TestCrossTenant(t *testing.T) {
	a := newAuthz(t)
	populate(t, a)
	all := []domain.Grant{
		grant(domain.RoleAdmin, ""), grant(domain.RoleRPCT, ""), grant(domain.RoleOIV, ""),
		grant(domain.RoleDirector, "SG"), grant(domain.RoleReferente, "AD2"),
	}
	inA := actor(enteA, "tenant", 1, all...)
	if !a.Can(inA, ObjAssessment, ActWrite, "SG") {
		t.Fatal("setup: director of SG in ente A refused on SG")
	}
	// The same user and grants version presented for ente B: the g rows stay those of ente A.
	inB := inA
	inB.EnteID = enteB
	for _, p := range Permissions {
		for _, units := range [][]string{{"SG"}, {"AD2"}, {"AD1"}, nil} {
			if a.Can(inB, p.Object, p.Action, units...) {
				t.Errorf("grants in ente A allowed %s %s %v in ente B", p.Object, p.Action, units)
			}
		}
	}
	if got := a.Allowed(inB); len(got) != 0 {
		t.Errorf("Allowed in ente B = %v, want nothing", got)
	}
}

// The domain-matching function as the brief first described it (ente-wide grants stored as "<e>/*")
// made a director of one unit a director of every unit once anyone held an ente-wide grant; this pins
// the fix in the order of events that showed it.
func TestNoLeakThroughEnteWideGrants(t *testing.T) {
	a := newAuthz(t)
	steps := []domain.Actor{
		actor(enteA, "r", 1, grant(domain.RoleRPCT, "")),
		actor(enteA, "d", 1, grant(domain.RoleDirector, "U1")),
		actor(enteA, "x", 1, grant(domain.RoleDirector, "U2")),
	}
	for _, s := range steps {
		if err := a.Sync(s); err != nil {
			t.Fatal(err)
		}
	}
	d := steps[1]
	for _, u := range []string{"U2", "U3"} {
		if a.Can(d, ObjAssessment, ActWrite, u) {
			t.Errorf("director of U1 allowed to write on %s", u)
		}
	}
	if !a.Can(d, ObjAssessment, ActWrite, "U1") || !a.Can(d, ObjAssessment, ActRead, "U3") {
		t.Error("director of U1 refused on U1 or refused reading U3")
	}
}

func TestUnitMatchArguments(t *testing.T) {
	// casbin calls the g domain function as (request domain, stored domain).
	tests := []struct {
		request, stored string
		want            bool
	}{
		{"E/U1", "E/", true},    // ente-wide grant applies to every unit
		{"E/*", "E/", true},     // and to ente-level resources
		{"E/*", "E/U1", true},   // "anywhere in the ente" sees unit grants
		{"E/U1", "E/U2", false}, // another unit
		{"E/", "E/U1", false},   // the ente-wide domain never collects unit grants
		{"E/U1", "F/", false},   // another ente
		{"E/*", "F/U1", false},  // another ente
		{"E/U1", "EE/", false},  // prefix of an ente id is not the ente
	}
	for _, tc := range tests {
		if got := unitMatch(tc.request, tc.stored); got != tc.want {
			t.Errorf("unitMatch(%q, %q) = %v, want %v", tc.request, tc.stored, got, tc.want)
		}
	}
}

func TestSync(t *testing.T) {
	a := newAuthz(t)
	u := actor(enteA, "u", 1, grant(domain.RoleReferente, "SG"))
	if !a.Can(u, ObjMeasure, ActWrite, "SG") || a.Can(u, ObjMeasure, ActWrite, "AD1") {
		t.Fatal("version 1: want referente on SG only")
	}

	// Same version, different grants: the loaded rows are kept (Sync trusts GrantsVersion).
	same := u
	same.Grants = []domain.Grant{grant(domain.RoleReferente, "AD1")}
	if !a.Can(same, ObjMeasure, ActWrite, "SG") || a.Can(same, ObjMeasure, ActWrite, "AD1") {
		t.Error("same version reloaded the grants")
	}

	// A new version replaces them.
	next := same
	next.GrantsVersion = 2
	if a.Can(next, ObjMeasure, ActWrite, "SG") || !a.Can(next, ObjMeasure, ActWrite, "AD1") {
		t.Error("version 2: want referente on AD1 only")
	}

	// No grants at all: nothing is allowed.
	none := actor(enteA, "u", 3)
	if a.Can(none, ObjProcessMap, ActRead) {
		t.Error("version 3 without grants still allowed")
	}

	a.Forget("u")
	if rows, _ := a.e.GetFilteredGroupingPolicy(0, subject("u")); len(rows) != 0 {
		t.Errorf("Forget left %v", rows)
	}
	a.mu.RLock()
	_, ok := a.versions["u"]
	a.mu.RUnlock()
	if ok {
		t.Error("Forget left the version")
	}
	// After Forget the next request loads the grants again, even with a version seen before.
	if !a.Can(next, ObjMeasure, ActWrite, "AD1") {
		t.Error("after Forget the grants were not reloaded")
	}
}

func TestSyncSkipsMalformedGrants(t *testing.T) {
	a := newAuthz(t)
	u := actor(enteA, "m", 1,
		grant(domain.RoleDirector, ""),    // a director grant must name a unit
		grant(domain.RoleDirector, "*"),   // not a unit code
		grant(domain.RoleDirector, "A/B"), // would break the domain
		grant("superuser", ""),            // unknown role
		grant(domain.RoleAdmin, "SG"),     // admin is ente-wide
	)
	for _, p := range Permissions {
		for _, s := range append(situations, situation{"star", []string{"*"}}) {
			if a.Can(u, p.Object, p.Action, s.units...) {
				t.Errorf("malformed grants allowed %s %s (%s)", p.Object, p.Action, s.name)
			}
		}
	}
	if a.Can(actor("", "m2", 1, grant(domain.RoleRPCT, "")), ObjProcessMap, ActRead) {
		t.Error("an actor without ente was allowed")
	}
	rpct := actor(enteA, "m3", 1, grant(domain.RoleRPCT, ""))
	if a.Can(rpct, "register", ActRead) || a.Can(rpct, ObjAudit, ActWrite) {
		t.Error("unknown object/action allowed")
	}
}

func TestAllowed(t *testing.T) {
	a := newAuthz(t)
	populate(t, a)
	dir := actor(enteA, "al", 1, grant(domain.RoleDirector, "SG"), grant(domain.RoleDirector, "AD1"))
	got := a.Allowed(dir)
	want := []Allowance{
		{"assessment", "read", []string{"*"}},
		{"assessment", "submit", []string{"AD1", "SG"}},
		{"assessment", "write", []string{"AD1", "SG"}},
		{"catalogue", "read", []string{"*"}},
		{"cycle", "read", []string{"*"}},
		{"measure", "read", []string{"*"}},
		{"measure", "write", []string{"AD1", "SG"}},
		{"methodology", "read", []string{"*"}},
		{"processmap", "read", []string{"*"}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Allowed(director SG+AD1) =\n%v\nwant\n%v", got, want)
	}

	rpct := a.Allowed(actor(enteA, "al-r", 1, grant(domain.RoleRPCT, "")))
	if len(rpct) != 18 {
		t.Errorf("rpct has %d allowances, want 18: %v", len(rpct), rpct)
	}
	for _, al := range rpct {
		if !slices.Equal(al.Units, []string{"*"}) {
			t.Errorf("rpct %s %s on %v, want *", al.Object, al.Action, al.Units)
		}
	}
	if !slices.IsSortedFunc(rpct, func(x, y Allowance) int {
		return strings.Compare(x.Object+" "+x.Action, y.Object+" "+y.Action)
	}) {
		t.Errorf("not sorted: %v", rpct)
	}
}

// modelConf is the shipped model, reused for the bad-policy cases.
func modelConf(t *testing.T) []byte {
	t.Helper()
	b, err := fs.ReadFile(policies.FS, "model.conf")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPolicyValidation(t *testing.T) {
	if _, err := Default(); err != nil {
		t.Fatalf("shipped policy: %v", err)
	}
	if _, err := NewFromDir("../../policies"); err != nil {
		t.Fatalf("policy directory: %v", err)
	}
	conf := modelConf(t)
	tests := []struct {
		name, policy, wantErr string
	}{
		{"unknown role", "p, dirigente, *, assessment, read", `unknown role "dirigente"`},
		{"unknown object", "p, rpct, *, register, read", "unknown object/action register/read"},
		{"unknown action", "p, rpct, *, assessment, approve", "unknown object/action assessment/approve"},
		{"pair not valid", "p, rpct, *, audit, write", "unknown object/action audit/write"},
		{"unknown reach", "p, director, own, assessment, write", `unknown reach "own"`},
		{"grant row", "g, user:1, rpct, e/", "want"},
		{"short row", "p, rpct, *, assessment", "want"},
		{"duplicate", "p, admin,*,user,read", "duplicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			policy := "# comment\np, admin, *, user, read\n" + tc.policy + "\n"
			_, err := New(fstest.MapFS{
				"model.conf": {Data: conf},
				"policy.csv": {Data: []byte(policy)},
			})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "line 3") {
				t.Errorf("New = %v, want an error on line 3 containing %q", err, tc.wantErr)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		if _, err := New(fstest.MapFS{"model.conf": {Data: conf}}); err == nil {
			t.Error("New without policy.csv succeeded")
		}
	})
	t.Run("model without reach", func(t *testing.T) {
		bad := strings.Replace(string(conf), "reachMatch(r.dom, p.dom)", "nosuch(r.dom, p.dom)", 1)
		_, err := New(fstest.MapFS{
			"model.conf": {Data: []byte(bad)},
			"policy.csv": {Data: []byte("p, admin, *, user, read\n")},
		})
		if err == nil {
			t.Error("New with a model calling an unknown function succeeded")
		}
	})
}

func TestConcurrentCanAndSync(t *testing.T) {
	a := newAuthz(t)
	populate(t, a)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("c%d", g)
			for i := range 50 {
				// Alternate between director of SG and of AD1, each with its own version.
				unit, other := "SG", "AD1"
				if i%2 == 1 {
					unit, other = other, unit
				}
				u := actor(enteA, id, int64(i+1), grant(domain.RoleDirector, unit))
				if !a.Can(u, ObjAssessment, ActWrite, unit) || a.Can(u, ObjAssessment, ActWrite, other) ||
					a.Can(u, ObjAssessment, ActWrite, "AD2") || !a.Can(u, ObjAssessment, ActRead) {
					select {
					case errs <- fmt.Sprintf("%s v%d: wrong answer", id, i+1):
					default:
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// benchAuthz loads ~300 users spread over several entes and units.
func benchAuthz(b *testing.B) *Authorizer {
	a := newAuthz(b)
	for e := range 6 {
		ente := fmt.Sprintf("0b5f8d3e-1c2a-4e7b-9f00-%012d", e)
		for i := range 50 {
			var g domain.Grant
			switch i % 10 {
			case 0:
				g = grant(domain.RoleRPCT, "")
			case 1:
				g = grant(domain.RoleOIV, "")
			case 2, 3, 4, 5:
				g = grant(domain.RoleDirector, fmt.Sprintf("U%d", i%12))
			default:
				g = grant(domain.RoleReferente, fmt.Sprintf("U%d", i%12))
			}
			if err := a.Sync(actor(ente, fmt.Sprintf("b%d-%d", e, i), 1, g)); err != nil {
				b.Fatal(err)
			}
		}
	}
	return a
}

func BenchmarkCan(b *testing.B) {
	a := benchAuthz(b)
	ente := fmt.Sprintf("0b5f8d3e-1c2a-4e7b-9f00-%012d", 3)
	dir := actor(ente, "b3-2", 1, grant(domain.RoleDirector, "U2")) // already synced: Sync is a no-op
	cases := []struct {
		name  string
		obj   Object
		act   Action
		units []string
		want  bool
	}{
		{"director-own-unit-write", ObjAssessment, ActWrite, []string{"U2"}, true},
		{"director-other-unit-write-deny", ObjAssessment, ActWrite, []string{"U7"}, false},
		{"director-other-unit-read", ObjAssessment, ActRead, []string{"U7"}, true},
		{"director-user-manage-deny", ObjUser, ActManage, nil, false},
	}
	for _, c := range cases {
		if got := a.Can(dir, c.obj, c.act, c.units...); got != c.want {
			b.Fatalf("%s: Can = %v, want %v", c.name, got, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				a.Can(dir, c.obj, c.act, c.units...)
			}
		})
	}
}
