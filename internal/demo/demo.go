// Package demo sets up the demonstration ente with its real process map and one user per role, idempotently.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// Password is the documented password of every demo user. Demo only: the server warns while they exist.
const Password = "argine-demo-2026"

// User is a demo account.
type User struct {
	Username, FullName string
	Grants             []domain.Grant
}

// Users lists the demo accounts, one per role (dir1 is also the Segretario Generale acting for Area 1).
var Users = []User{
	{"admin", "Amministratore di sistema (demo)", []domain.Grant{{Role: domain.RoleAdmin}}},
	{"rpct", "Responsabile prevenzione corruzione e trasparenza (demo)", []domain.Grant{{Role: domain.RoleRPCT}}},
	{"oiv", "Organismo indipendente di valutazione (demo)", []domain.Grant{{Role: domain.RoleOIV}}},
	{"dir1", "Segretario Generale, dirigente Area 1 (demo)", []domain.Grant{
		{Role: domain.RoleDirector, UnitCode: "SG"}, {Role: domain.RoleDirector, UnitCode: "AD1"}}},
	{"dir2", "Dirigente Area 2 (demo)", []domain.Grant{{Role: domain.RoleDirector, UnitCode: "AD2"}}},
	{"dir3", "Dirigente Area 3 (demo)", []domain.Grant{{Role: domain.RoleDirector, UnitCode: "AD3"}}},
	{"ref2", "Referente Area 2 (demo)", []domain.Grant{{Role: domain.RoleReferente, UnitCode: "AD2"}}},
}

// Result reports what Load did.
type Result struct {
	EnteCode     string
	Cycle        string
	Import       service.ImportResult
	UsersCreated int
	Assessments  int // demo assessments written by this run
}

const demoMarker = "demo_users"

// Load creates the ente cciaa-basilicata with cycle 2026-2028, the curated map, the starter catalogue and the
// demo users. Running it again changes nothing.
func Load(ctx context.Context, s *store.Store, entes *service.Entes, maps *service.ProcessMaps, users *service.Users, cats *service.Catalogues, reg *service.Register) (Result, error) {
	ente, err := entes.Ensure(ctx, seed.DemoEnteCode, seed.DemoEnteName)
	if err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	m, err := seed.BasilicataMap()
	if err != nil {
		return Result{}, fmt.Errorf("demo: embedded map is invalid: %w", err)
	}
	res := Result{EnteCode: ente.Code, Cycle: seed.DemoCycle}
	// A demo loaded before a correction of the dataset's markers or notes is corrected in place, keeping its
	// register; the import below then finds the map unchanged.
	if _, err := maps.Reannotate(ctx, service.Tenant{EnteID: ente.ID, EnteCode: ente.Code}, seed.DemoCycle, m); err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	if res.Import, err = maps.Import(ctx, service.Tenant{EnteID: ente.ID, EnteCode: ente.Code}, seed.DemoCycle, m); err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	if _, err := cats.EnsureStarter(ctx, ente.ID); err != nil {
		return Result{}, fmt.Errorf("demo: catalogue: %w", err)
	}
	op := users.AsOperator()
	for _, u := range Users {
		if _, err := s.UserByUsername(ctx, ente.ID, u.Username); err == nil {
			continue
		} else if !errors.Is(err, domain.ErrNotFound) {
			return Result{}, err
		}
		_, err := op.Create(ctx, ente.ID, service.NewUser{Username: u.Username, FullName: u.FullName, Password: Password, Grants: u.Grants,
			Permanent: true}) // the demo's password is published: asking to change it would only get in the way
		if err != nil && !errors.Is(err, domain.ErrConflict) { // another instance created it meanwhile
			return Result{}, fmt.Errorf("demo: user %s: %w", u.Username, err)
		}
		res.UsersCreated++
	}
	if _, err := s.SettingOrCreate(ctx, demoMarker, ente.Code); err != nil {
		return Result{}, err
	}
	// A few leaves per risk area, two risks each: enough for the register and the heat map to speak.
	if res.Assessments, err = FillRegister(ctx, s, reg, ente.Code, false, 4, 2); err != nil {
		return Result{}, err
	}
	// The sottosezione beside the register: context, objectives, consultation, riesame, self-check, descriptions.
	if err := FillSottosezione(ctx, s, maps, ente.Code, seed.DemoCycle); err != nil {
		return Result{}, err
	}
	// The programme of general measures (linked by the demo assessments) and the transparency section.
	if err := FillProgramme(ctx, s, ente.Code, seed.DemoCycle); err != nil {
		return Result{}, err
	}
	// The monitoring plan of the demo cycle, so the sottosezione's monitoring part is filled too.
	if err := FillMonitoringPlan(ctx, s, ente.Code, seed.DemoCycle); err != nil {
		return Result{}, err
	}
	// The campaign calendar, so that the home page shows the deadlines and the days left.
	if err := FillCalendar(ctx, s, ente.Code, seed.DemoCycle, time.Now()); err != nil {
		return Result{}, err
	}
	return res, nil
}

// UsersPresent reports whether the demo users were ever created in this database.
func UsersPresent(ctx context.Context, s *store.Store) (bool, error) {
	return s.HasSetting(ctx, demoMarker)
}
