// Package authz answers "may this user do action A on object type T of unit U" with casbin (RBAC with
// domains). The static role→permission matrix lives in policies/; the user→role grants come from the
// database through Sync. Workflow-state rules and list scoping stay in the services and in SQL.
//
// Domains are "<enteID>/<unitCode>". A request for an ente-level resource, or for "anywhere in the ente",
// uses "<enteID>/*". Ente-wide grants are stored as "<enteID>/" (empty unit code), NOT "<enteID>/*":
// casbin's domain manager copies role links between domains without remembering where they came from,
// so a stored "<enteID>/*" domain would collect every unit grant (because the "anywhere" request matches
// every unit) and then hand them on to every unit, making a director of one unit a director of all.
package authz

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/policies"
)

// Object is a type of resource the policy talks about.
type Object string

const (
	ObjProcessMap  Object = "processmap"
	ObjAssessment  Object = "assessment" // the register entries of a leaf process
	ObjMeasure     Object = "measure"
	ObjCatalogue   Object = "catalogue" // risk events, enabling factors, measure types
	ObjMethodology Object = "methodology"
	ObjCycle       Object = "cycle"
	ObjUser        Object = "user" // users and grants of the ente
	ObjAudit       Object = "audit"
	ObjOIVNote     Object = "oiv_note"
	// ObjPrivilegedRequest is a two-person change to the RPCT or OIV role or to their holders' accounts: write
	// asks, review confirms or rejects. The services add who may decide which (never the requester).
	ObjPrivilegedRequest Object = "privileged_request"
	// ObjOutbox is the queue of notification e-mails: the administrator watches it and resends.
	ObjOutbox Object = "outbox"
)

// Action is what is done to an object.
type Action string

const (
	ActRead   Action = "read"
	ActImport Action = "import"
	ActWrite  Action = "write"
	ActSubmit Action = "submit"
	ActReview Action = "review" // approve or return
	ActManage Action = "manage" // cycles: deadlines, consolidation, adoption; users: accounts and grants
)

// IsWrite reports whether the action changes something (everything but read).
func (a Action) IsWrite() bool { return a != ActRead }

// Permission is one valid object/action pair.
type Permission struct {
	Object Object
	Action Action
}

// Permissions lists every valid pair; a policy row naming anything else is rejected.
var Permissions = []Permission{
	{ObjProcessMap, ActRead}, {ObjProcessMap, ActImport},
	{ObjAssessment, ActRead}, {ObjAssessment, ActWrite}, {ObjAssessment, ActSubmit}, {ObjAssessment, ActReview},
	{ObjMeasure, ActRead}, {ObjMeasure, ActWrite},
	{ObjCatalogue, ActRead}, {ObjCatalogue, ActWrite},
	{ObjMethodology, ActRead}, {ObjMethodology, ActWrite},
	{ObjCycle, ActRead}, {ObjCycle, ActManage},
	{ObjUser, ActRead}, {ObjUser, ActManage},
	{ObjAudit, ActRead},
	{ObjOIVNote, ActRead}, {ObjOIVNote, ActWrite},
	{ObjPrivilegedRequest, ActRead}, {ObjPrivilegedRequest, ActWrite}, {ObjPrivilegedRequest, ActReview},
	{ObjOutbox, ActRead}, {ObjOutbox, ActManage},
}

func known(obj Object, act Action) bool { return slices.Contains(Permissions, Permission{obj, act}) }

// Reach values of the policy's domain column.
const (
	reachAnywhere = "*"    // the user holds the role somewhere in the ente
	reachUnit     = "unit" // the user holds the role in the unit owning the resource
)

const anywhere = "*" // unit part of the request domain for ente-level resources and "anywhere in the ente"

// Allowance is an action the UI may offer: ente-wide (Units == ["*"]) or on the listed units only.
type Allowance struct {
	Object string   `json:"object"`
	Action string   `json:"action"`
	Units  []string `json:"units"`
}

// Authorizer checks permissions. It is safe for concurrent use.
type Authorizer struct {
	e *casbin.SyncedEnforcer

	mu       sync.RWMutex
	versions map[string]int64 // userID → GrantsVersion whose g rows are loaded

	log       atomic.Pointer[slog.Logger]
	syncFault func(userID string) error // tests: makes loading fail (under mu)
}

// SetLogger sets where authorization errors are logged (slog.Default() until then).
func (a *Authorizer) SetLogger(l *slog.Logger) { a.log.Store(l) }

func (a *Authorizer) logger() *slog.Logger {
	if l := a.log.Load(); l != nil {
		return l
	}
	return slog.Default()
}

// SetSyncFault makes Sync fail with what fault returns (nil: no fault). Tests use it to check that a failed
// load of grants denies everywhere, and that the denial is logged.
func (a *Authorizer) SetSyncFault(fault func(userID string) error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.syncFault = fault
}

// Default loads the embedded policy.
func Default() (*Authorizer, error) { return New(policies.FS) }

// NewFromDir loads model.conf and policy.csv from dir (ARGINE_POLICY_DIR).
func NewFromDir(dir string) (*Authorizer, error) { return New(os.DirFS(dir)) }

// New loads model.conf and policy.csv from fsys and validates every policy row.
func New(fsys fs.FS) (*Authorizer, error) {
	conf, err := fs.ReadFile(fsys, "model.conf")
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	text, err := fs.ReadFile(fsys, "policy.csv")
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	m, err := model.NewModelFromString(string(conf))
	if err != nil {
		return nil, fmt.Errorf("authz: model.conf: %w", err)
	}
	rows, err := parsePolicy(text)
	if err != nil {
		return nil, fmt.Errorf("authz: policy.csv: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	e.AddFunction("reachMatch", func(args ...any) (any, error) {
		rdom, _ := args[0].(string)
		pdom, _ := args[1].(string)
		return reachMatch(rdom, pdom), nil
	})
	if !e.AddNamedDomainMatchingFunc("g", "unitMatch", unitMatch) {
		return nil, errors.New("authz: model.conf has no g = _, _, _ role definition")
	}
	if _, err := e.AddPolicies(rows); err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	// A broken overriding model.conf (wrong arity, unknown function) fails here rather than on every request.
	if _, err := e.Enforce("user:", "-/"+anywhere, string(ObjProcessMap), string(ActRead)); err != nil {
		return nil, fmt.Errorf("authz: model.conf: %w", err)
	}
	return &Authorizer{e: e, versions: map[string]int64{}}, nil
}

// parsePolicy reads the p rows of policy.csv ourselves, rather than with casbin's adapters, so that a typo
// is an error naming its line instead of a row that silently never matches.
func parsePolicy(text []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var rows [][]string
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if err := checkRow(rec); err != nil {
			return nil, fmt.Errorf("line %d %q: %w", line, strings.Join(rec, ", "), err)
		}
		key := strings.Join(rec, ",")
		if seen[key] {
			return nil, fmt.Errorf("line %d %q: duplicate row", line, strings.Join(rec, ", "))
		}
		seen[key] = true
		rows = append(rows, rec[1:])
	}
}

func checkRow(rec []string) error {
	switch {
	case len(rec) != 5 || rec[0] != "p":
		return errors.New(`want "p, role, reach, object, action" (grants come from the database)`)
	case !domain.Role(rec[1]).Valid():
		return fmt.Errorf("unknown role %q", rec[1])
	case rec[2] != reachAnywhere && rec[2] != reachUnit:
		return fmt.Errorf("unknown reach %q (want * or unit)", rec[2])
	case !known(Object(rec[3]), Action(rec[4])):
		return fmt.Errorf("unknown object/action %s/%s", rec[3], rec[4])
	}
	return nil
}

// reachMatch: reach "*" allows the request wherever the role is held in the ente; reach "unit" needs a
// request naming a specific unit, so it never allows ente-level or "anywhere" requests.
func reachMatch(rdom, pdom string) bool {
	return pdom == reachAnywhere || (pdom == reachUnit && !strings.HasSuffix(rdom, "/"+anywhere))
}

// unitMatch is the g domain matching function. casbin calls it as (request domain, stored domain): a
// domain's role manager receives the links of every stored domain for which it returns true. A unit
// request sees its own unit (casbin compares equal strings itself) and the ente-wide grants ("<e>/"); the
// "anywhere" request "<e>/*" sees every grant of the ente. Other entes never match.
func unitMatch(request, stored string) bool {
	re, ru, ok1 := strings.Cut(request, "/")
	se, su, ok2 := strings.Cut(stored, "/")
	return ok1 && ok2 && re == se && (su == "" || ru == anywhere)
}

func subject(userID string) string { return "user:" + userID }

// Sync makes the loaded grants of actor.UserID those of actor.Grants. It is cheap when
// actor.GrantsVersion is already loaded. Versions only move forward: a request that read the user before a
// concurrent grant change cannot put the older grants back. Malformed grants are skipped (fail closed).
func (a *Authorizer) Sync(actor domain.Actor) error {
	a.mu.RLock()
	v, ok := a.versions[actor.UserID]
	a.mu.RUnlock()
	if ok && v >= actor.GrantsVersion {
		return nil
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if v, ok := a.versions[actor.UserID]; ok && v >= actor.GrantsVersion {
		return nil // another goroutine loaded it (or a newer version) meanwhile
	}
	sub := subject(actor.UserID)
	delete(a.versions, actor.UserID) // if anything below fails, the next call retries
	if a.syncFault != nil {
		if err := a.syncFault(actor.UserID); err != nil {
			return fmt.Errorf("authz: sync %s: %w", actor.UserID, err)
		}
	}
	if _, err := a.e.RemoveFilteredGroupingPolicy(0, sub); err != nil {
		return fmt.Errorf("authz: sync %s: %w", actor.UserID, err)
	}
	var rows [][]string
	if validEnte(actor.EnteID) {
		for _, g := range actor.Grants {
			if domain.ValidateGrant(g) != nil || strings.Contains(g.UnitCode, "/") || g.UnitCode == anywhere {
				continue
			}
			rows = append(rows, []string{sub, string(g.Role), actor.EnteID + "/" + g.UnitCode})
		}
	}
	if len(rows) > 0 {
		// AddGroupingPoliciesEx skips rows already present (two grants of the same role and unit).
		if _, err := a.e.AddGroupingPoliciesEx(rows); err != nil {
			return fmt.Errorf("authz: sync %s: %w", actor.UserID, err)
		}
	}
	a.versions[actor.UserID] = actor.GrantsVersion
	return nil
}

// Forget drops the loaded grants of a user (signed out, disabled or deleted).
func (a *Authorizer) Forget(userID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.versions, userID)
	_, _ = a.e.RemoveFilteredGroupingPolicy(0, subject(userID))
}

func validEnte(id string) bool { return id != "" && !strings.Contains(id, "/") }

// Can reports whether actor may do act on obj owned by any of units (a leaf may have several responsible
// units); with no units the resource is ente-level. Errors deny.
func (a *Authorizer) Can(actor domain.Actor, obj Object, act Action, units ...string) bool {
	if !known(obj, act) || !validEnte(actor.EnteID) {
		return false
	}
	if err := a.Sync(actor); err != nil {
		a.logger().Error("authorization denied: the user's grants could not be loaded", "user_id", actor.UserID, "err", err)
		return false
	}
	sub := subject(actor.UserID)
	for _, u := range units {
		if u == "" || u == anywhere || strings.Contains(u, "/") {
			continue
		}
		if a.enforce(sub, actor.EnteID+"/"+u, obj, act) {
			return true
		}
	}
	return a.enforce(sub, actor.EnteID+"/"+anywhere, obj, act)
}

func (a *Authorizer) enforce(sub, dom string, obj Object, act Action) bool {
	ok, err := a.e.Enforce(sub, dom, string(obj), string(act))
	if err != nil {
		a.logger().Error("authorization denied: the policy could not be evaluated", "subject", sub, "err", err)
		return false
	}
	return ok
}

// Allowed lists what actor may do, for the UI to show or hide actions, sorted by object then action.
func (a *Authorizer) Allowed(actor domain.Actor) []Allowance {
	if !validEnte(actor.EnteID) {
		return nil
	}
	if err := a.Sync(actor); err != nil {
		a.logger().Error("no action allowed: the user's grants could not be loaded", "user_id", actor.UserID, "err", err)
		return nil
	}
	sub := subject(actor.UserID)
	var units []string
	for _, g := range actor.Grants {
		if g.UnitCode != "" && !slices.Contains(units, g.UnitCode) {
			units = append(units, g.UnitCode)
		}
	}
	slices.Sort(units)
	// A unit code no grant names: allowed there means allowed on every unit (an ente-wide grant of a
	// "unit"-reach permission, possible in an overriding policy).
	probe := actor.EnteID + "/\x00"

	var out []Allowance
	for _, p := range Permissions {
		al := Allowance{Object: string(p.Object), Action: string(p.Action)}
		if a.enforce(sub, actor.EnteID+"/"+anywhere, p.Object, p.Action) || a.enforce(sub, probe, p.Object, p.Action) {
			al.Units = []string{anywhere}
		} else {
			for _, u := range units {
				if a.enforce(sub, actor.EnteID+"/"+u, p.Object, p.Action) {
					al.Units = append(al.Units, u)
				}
			}
		}
		if len(al.Units) > 0 {
			out = append(out, al)
		}
	}
	slices.SortFunc(out, func(x, y Allowance) int {
		return strings.Compare(x.Object+"\x00"+x.Action, y.Object+"\x00"+y.Action)
	})
	return out
}
