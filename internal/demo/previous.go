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

// PreviousCycle is the demo's adopted cycle before the current one: its measures are what monitoring rounds
// follow (only a consolidated or adopted register is monitored), while 2026-2028 is still in assessment.
const PreviousCycle = "2025-2027"

// PreviousDeliberation is the Giunta's (demo) deliberation adopting PreviousCycle.
var PreviousDeliberation = service.AdoptionInput{Number: "12/2025", Date: "2025-01-30"}

// excludedReason is the reason the leaves not assessed in PreviousCycle carry.
const excludedReason = DemoMarker + "azione non valutata nel ciclo precedente (dati dimostrativi)"

// FillPrevious (run by `argine demo` and `serve --demo` after Load) builds PreviousCycle as the RPCT would have left it: the same map, a few assessed leaves per
// risk area submitted by their directors and approved, every other leaf excluded with a reason, then consolidated
// and adopted with its snapshot. Each step runs only if the cycle has not gone past it, so loading again changes
// nothing; a cycle that is already adopted (or later) is left alone.
func FillPrevious(ctx context.Context, s *store.Store, maps *service.ProcessMaps, reg *service.Register, enteCode string) error {
	ente, err := s.EnteByCode(ctx, enteCode)
	if err != nil {
		return err
	}
	cycle, err := s.CycleByCode(ctx, ente.ID, PreviousCycle)
	switch {
	case errors.Is(err, domain.ErrNotFound):
	case err != nil:
		return err
	case cycle.State != domain.CycleOpen && cycle.State != domain.CycleConsolidated:
		// Adopted already (or later): its register stays; only the year-end monitoring may be missing.
		return fillPreviousMonitoring(ctx, s, ente)
	}
	tenant := service.Tenant{EnteID: ente.ID, EnteCode: ente.Code}
	if cycle == nil || cycle.State == domain.CycleOpen {
		m, err := seed.BasilicataMap()
		if err != nil {
			return err
		}
		if _, err := maps.Import(ctx, tenant, PreviousCycle, m); err != nil {
			return fmt.Errorf("demo: previous cycle map: %w", err)
		}
		if _, err := fillRegister(ctx, s, reg, enteCode, PreviousCycle, "", false, 3, 2); err != nil {
			return err
		}
		// The programme of general measures the cycle was adopted with, monitored in its rounds.
		az, rpct, c, err := asDemoRPCT(ctx, s, enteCode, PreviousCycle)
		if err != nil {
			return err
		}
		if err := fillGeneralMeasures(ctx, service.NewProgramme(s, az), rpct, PreviousCycle, c.StartYear); err != nil {
			return err
		}
	}
	rpct, err := s.UserByUsername(ctx, ente.ID, "rpct")
	if err != nil {
		return err
	}
	rpctActor := domain.Actor{UserID: rpct.ID, EnteID: ente.ID, EnteCode: ente.Code, Username: rpct.Username,
		Grants: rpct.Grants, GrantsVersion: rpct.GrantsVersion}
	wf := service.NewWorkflow(s, reg.Authorizer(), reg)
	cycles := service.NewCycles(s, reg.Authorizer(), reg, maps)
	if cycle, err = s.CycleByCode(ctx, ente.ID, PreviousCycle); err != nil {
		return err
	}
	if cycle.State == domain.CycleOpen {
		nodes, err := s.Nodes(ctx, ente.ID, cycle.ID)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			if !n.IsLeaf || len(n.Units) == 0 {
				continue
			}
			a, err := reg.Assessment(ctx, rpctActor, PreviousCycle, n.Code)
			if err != nil {
				return err
			}
			if a.Version == 0 || a.State == domain.StateApproved {
				continue
			}
			if a.State != domain.StateSubmitted {
				director, err := actorFor(ctx, s, ente, "", n.Units[0])
				if err != nil {
					return err
				}
				if _, err := wf.Transition(ctx, director, PreviousCycle, n.Code, domain.TransitionSubmit, ""); err != nil {
					return fmt.Errorf("demo: submit %s: %w", n.Code, err)
				}
			}
			if _, err := wf.Transition(ctx, rpctActor, PreviousCycle, n.Code, domain.TransitionApprove, ""); err != nil {
				return fmt.Errorf("demo: approve %s: %w", n.Code, err)
			}
		}
		pending, err := s.Unconsolidated(ctx, ente.ID, cycle.ID)
		if err != nil {
			return err
		}
		if len(pending) > 0 {
			if _, err := cycles.ExcludeMany(ctx, rpctActor, PreviousCycle, pending, excludedReason); err != nil {
				return fmt.Errorf("demo: exclusions: %w", err)
			}
		}
		if _, err := cycles.Consolidate(ctx, rpctActor, PreviousCycle); err != nil {
			return fmt.Errorf("demo: consolidate: %w", err)
		}
	}
	if _, err := cycles.Adopt(ctx, rpctActor, PreviousCycle, PreviousDeliberation); err != nil {
		return fmt.Errorf("demo: adopt: %w", err)
	}
	return fillPreviousMonitoring(ctx, s, ente)
}

// fillPreviousMonitoring runs the adopted PreviousCycle's year-end monitoring round when it is missing, then marks
// what it notified as read, like the submissions and approvals before it.
func fillPreviousMonitoring(ctx context.Context, s *store.Store, ente *domain.Ente) error {
	wrote, err := FillPreviousRound(ctx, s, ente.Code)
	if err != nil || !wrote {
		return err
	}
	// The submissions, approvals and the round notified the demo users, as they would have a year ago: read
	// long since, so the bell speaks of the current campaign only.
	for _, u := range Users {
		user, err := s.UserByUsername(ctx, ente.ID, u.Username)
		if err != nil {
			return err
		}
		if _, err := s.MarkAllRead(ctx, ente.ID, user.ID, time.Now().UTC()); err != nil {
			return err
		}
	}
	return nil
}
