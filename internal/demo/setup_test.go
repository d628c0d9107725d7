package demo_test

import (
	"context"
	"testing"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/demo"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// demoEnte is the ente demo.Load fills.
const demoEnte = "cciaa-basilicata"

// demoSetup holds the store and the services demo.Load runs through, so that each test loads the demo (and
// reads it back) with the same services the command wires.
type demoSetup struct {
	ctx  context.Context
	s    *store.Store
	az   *authz.Authorizer
	maps *service.ProcessMaps
	reg  *service.Register
}

func newDemoSetup(t *testing.T, db *database.DB) demoSetup {
	t.Helper()
	s := store.New(db)
	az, err := authz.Default()
	if err != nil {
		t.Fatal(err)
	}
	return demoSetup{ctx: context.Background(), s: s, az: az, maps: service.NewProcessMaps(s, az),
		reg: service.NewRegister(s, az, service.NewMethodologies(s, az))}
}

// load runs demo.Load once.
func (d demoSetup) load(t *testing.T) demo.Result {
	t.Helper()
	res, err := demo.Load(d.ctx, d.s, service.NewEntes(d.s), d.maps, service.NewUsers(d.s, d.az, nil), service.NewCatalogues(d.s, d.az), d.reg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// loadWithPrevious runs demo.Load and then fills the demo's adopted previous cycle, as the demo command does.
func (d demoSetup) loadWithPrevious(t *testing.T) {
	t.Helper()
	d.load(t)
	if err := demo.FillPrevious(d.ctx, d.s, d.maps, d.reg, demoEnte); err != nil {
		t.Fatal(err)
	}
}

// ente is the demo ente as stored.
func (d demoSetup) ente(t *testing.T) *domain.Ente {
	t.Helper()
	ente, err := d.s.EnteByCode(d.ctx, demoEnte)
	if err != nil {
		t.Fatal(err)
	}
	return ente
}

// oiv is an OIV of the demo ente that no demo user stands behind: it reads everything and writes nothing.
func (d demoSetup) oiv(t *testing.T) domain.Actor {
	t.Helper()
	ente := d.ente(t)
	return domain.Actor{UserID: "oiv-test", EnteID: ente.ID, EnteCode: ente.Code, Grants: []domain.Grant{{Role: domain.RoleOIV}}, GrantsVersion: 1}
}

// user is the demo user called name, as an actor.
func (d demoSetup) user(t *testing.T, name string) domain.Actor {
	t.Helper()
	ente := d.ente(t)
	u, err := d.s.UserByUsername(d.ctx, ente.ID, name)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Actor{UserID: u.ID, EnteID: ente.ID, EnteCode: ente.Code, Username: u.Username, Grants: u.Grants, GrantsVersion: u.GrantsVersion}
}
