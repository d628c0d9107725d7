package service_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

type fixture struct {
	db    *database.DB
	store *store.Store
	authz *authz.Authorizer
	entes *service.Entes
	maps  *service.ProcessMaps
}

func newFixture(db *database.DB) fixture {
	s := store.New(db)
	az, err := authz.Default()
	if err != nil {
		panic(err)
	}
	return fixture{db: db, store: s, authz: az, entes: service.NewEntes(s), maps: service.NewProcessMaps(s, az)}
}

// reader is an actor of the tenant's ente allowed to read everything (an OIV).
func reader(tn service.Tenant) domain.Actor {
	return domain.Actor{UserID: "reader-" + tn.EnteCode, EnteID: tn.EnteID, EnteCode: tn.EnteCode,
		Grants: []domain.Grant{{Role: domain.RoleOIV}}, GrantsVersion: 1}
}

func (f fixture) tenant(t *testing.T, code string) service.Tenant {
	t.Helper()
	e, err := f.entes.Ensure(context.Background(), code, "Ente "+code)
	if err != nil {
		t.Fatal(err)
	}
	return service.Tenant{EnteID: e.ID, EnteCode: e.Code}
}

func (f fixture) mustImport(t *testing.T, tn service.Tenant, cycle string, m *domain.ProcessMap) service.ImportResult {
	t.Helper()
	res, err := f.maps.Import(context.Background(), tn, cycle, m)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportExportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		m := dbtest.SmallMap()
		res := f.mustImport(t, tn, "2026-2028", m)
		if res.Outcome != service.ImportCreated || res.Counts != (domain.Counts{Macro: 2, Process: 3, Subprocess: 2, Action: 3, Leaves: 4}) {
			t.Fatalf("unexpected result %+v", res)
		}
		back, err := f.maps.Export(ctx, tn, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, m) {
			t.Fatalf("export differs from import:\n%+v\n%+v", back, m)
		}
		again := f.mustImport(t, tn, "2026-2028", back)
		if again.Outcome != service.ImportUnchanged || again.Cycle.Version != res.Cycle.Version ||
			!again.Cycle.MapImportedAt.Equal(*res.Cycle.MapImportedAt) {
			t.Fatalf("re-import of the export must be a no-op: %+v vs %+v", again, res)
		}
	})
}

func TestImportNewCycleLeavesEarlierOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		first := dbtest.SmallMap()
		f.mustImport(t, tn, "2026-2028", first)
		changed := dbtest.SmallMap()
		changed.Nodes[1].Title = "Pianificazione e controllo"
		changed.Nodes = changed.Nodes[:5]
		if res := f.mustImport(t, tn, "2027-2029", changed); res.Outcome != service.ImportCreated {
			t.Fatalf("outcome %s", res.Outcome)
		}
		old, _ := f.maps.Export(ctx, tn, "2026-2028")
		if !reflect.DeepEqual(old, first) {
			t.Fatal("importing into a new cycle changed the earlier cycle")
		}
		cycles, _ := f.maps.Cycles(ctx, reader(tn))
		if len(cycles) != 2 || cycles[0].Code != "2027-2029" {
			t.Fatalf("cycles %+v", cycles)
		}
	})
}

func TestChangedMapReplacesWhileNoRegisterData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
		changed := dbtest.SmallMap()
		changed.Nodes = append(changed.Nodes[:9:9], domain.MapNode{Level: domain.LevelAction, Code: "B2.2.1.2",
			ParentCode: "B2.2.1", Title: "Nuova azione", Function: "Processi di supporto", Units: []string{"AD1", "AD2"},
			StrategicObjectives: []string{}, RiskAreas: []string{"A"}})
		res := f.mustImport(t, tn, "2026-2028", changed)
		if res.Outcome != service.ImportReplaced {
			t.Fatalf("outcome %s", res.Outcome)
		}
		back, _ := f.maps.Export(ctx, tn, "2026-2028")
		if !reflect.DeepEqual(back, changed) {
			t.Fatal("the replaced map is not the one imported")
		}
	})
}

// TestFailedImportWritesNothing makes the database refuse the map half-way (a unit code that only a
// validator would have caught) and checks the earlier map and cycle are intact, and no new cycle appears.
func TestFailedImportWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		good := dbtest.SmallMap()
		before := f.mustImport(t, tn, "2026-2028", good)
		bad := dbtest.SmallMap()
		bad.Nodes[0].Title = "Changed, so not a no-op"
		bad.Nodes[9].Units = []string{"UNKNOWN"}
		if _, err := f.maps.Import(ctx, tn, "2026-2028", bad); err == nil {
			t.Fatal("import with a dangling unit must fail")
		}
		after, _ := f.maps.Export(ctx, tn, "2026-2028")
		if !reflect.DeepEqual(after, good) {
			t.Fatal("a failed import changed the map")
		}
		cycles, _ := f.maps.Cycles(ctx, reader(tn))
		if len(cycles) != 1 || cycles[0].MapHash != before.Hash || cycles[0].Version != before.Cycle.Version {
			t.Fatalf("a failed import changed the cycle: %+v", cycles)
		}
		if _, err := f.maps.Import(ctx, tn, "2030-2032", bad); err == nil {
			t.Fatal("import with a dangling unit must fail")
		}
		if cycles, _ := f.maps.Cycles(ctx, reader(tn)); len(cycles) != 1 {
			t.Fatalf("a failed import into a new cycle left the cycle behind: %+v", cycles)
		}
	})
}

func TestConcurrentImportsOfTheSameMap(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(db)
		tn := f.tenant(t, "ente-a")
		var wg sync.WaitGroup
		outcomes := make([]service.ImportOutcome, 4)
		errs := make([]error, 4)
		for i := range outcomes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.maps.Import(context.Background(), tn, "2026-2028", dbtest.SmallMap())
				outcomes[i], errs[i] = res.Outcome, err
			}()
		}
		wg.Wait()
		created := 0
		for i := range errs {
			if errs[i] != nil {
				t.Fatalf("import %d: %v", i, errs[i])
			}
			if outcomes[i] == service.ImportCreated {
				created++
			}
		}
		if created != 1 {
			t.Fatalf("want exactly one import to create the map, got %v", outcomes)
		}
	})
}

func TestBadCycleAndEnte(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		tn := f.tenant(t, "ente-a")
		if _, err := f.maps.Import(ctx, tn, "2026-2027", dbtest.SmallMap()); !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("cycle not spanning three years: %v", err)
		}
		if _, err := f.maps.Tree(ctx, reader(tn), "2040-2042"); !errors.Is(err, domain.ErrNotFound) || domain.CodeOf(err) != "cycle_not_found" {
			t.Fatalf("unknown cycle: %v", err)
		}
		if _, err := f.entes.TenantByCode(ctx, "nope"); domain.CodeOf(err) != "ente_not_found" {
			t.Fatalf("unknown ente: %v", err)
		}
		if _, err := f.entes.Create(ctx, "Bad Code", ""); domain.CodeOf(err) != "ente_invalid" {
			t.Fatalf("invalid ente: %v", err)
		}
		if _, err := f.entes.Create(ctx, "ente-a", "Again"); domain.CodeOf(err) != "ente_exists" {
			t.Fatalf("duplicate ente: %v", err)
		}
	})
}
