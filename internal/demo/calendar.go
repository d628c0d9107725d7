package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// demoCalendar places the open cycle's dates around the day the demo is loaded, so that the home page shows
// deadlines and days left out of the box: the campaign opened two weeks ago, the units' self-assessment is due
// in three weeks, then the RPCT's review and the consolidation. Days before each date: the default (7 and 1).
var demoCalendar = []struct {
	phase string
	days  int // from the day of loading
}{{service.PhaseAssessmentOpen, -14}, {service.PhaseSelfAssessmentDue, 21}, {service.PhaseReviewDue, 42}, {service.PhaseConsolidationDue, 56}}

// FillCalendar sets the campaign calendar of the demo cycle, through the service as the demo RPCT (audited),
// only while the cycle is open and has no calendar yet: an RPCT's own dates are never overwritten. The Giunta's
// adoption date is added only when it can still fall by 31 January of the cycle's first year, after the
// consolidation.
func FillCalendar(ctx context.Context, s *store.Store, enteCode, cycle string, now time.Time) error {
	az, rpct, c, err := asDemoRPCT(ctx, s, enteCode, cycle)
	if err != nil {
		return err
	}
	if c.State != domain.CycleOpen {
		return nil
	}
	have, _, version, err := s.Calendar(ctx, rpct.EnteID, c.ID)
	if err != nil || len(have) > 0 || version > 0 {
		return err
	}
	y, m, d := now.In(notify.Location).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	var in service.CalendarInput
	add := func(phase, due string) {
		in.Items = append(in.Items, struct {
			Phase     string `json:"phase"`
			RoundDate string `json:"round_date"`
			DueOn     string `json:"due_on"`
		}{Phase: phase, DueOn: due})
	}
	last := today
	for _, p := range demoCalendar {
		last = today.AddDate(0, 0, p.days)
		add(p.phase, last.Format(time.DateOnly))
	}
	if adoption := fmt.Sprintf("%04d-01-31", c.StartYear); adoption > last.Format(time.DateOnly) {
		add(service.PhaseAdoptionDue, adoption)
	}
	if _, err := service.NewCalendar(s, az).Set(ctx, rpct, cycle, in); err != nil {
		return fmt.Errorf("demo: calendar: %w", err)
	}
	return nil
}

// asDemoRPCT is what every demo filler starts from: the policy, the demo RPCT and the cycle they write to.
func asDemoRPCT(ctx context.Context, s *store.Store, enteCode, cycle string) (*authz.Authorizer, domain.Actor, *domain.Cycle, error) {
	az, err := authz.Default()
	if err != nil {
		return nil, domain.Actor{}, nil, err
	}
	rpct, err := demoRPCT(ctx, s, enteCode)
	if err != nil {
		return nil, domain.Actor{}, nil, err
	}
	c, err := s.CycleByCode(ctx, rpct.EnteID, cycle)
	if err != nil {
		return nil, domain.Actor{}, nil, err
	}
	return az, rpct, c, nil
}

// demoRPCT is the demo ente's RPCT as an actor: the demo's content is written through the services in their
// name, audited like every change.
func demoRPCT(ctx context.Context, s *store.Store, enteCode string) (domain.Actor, error) {
	ente, err := s.EnteByCode(ctx, enteCode)
	if err != nil {
		return domain.Actor{}, err
	}
	u, err := s.UserByUsername(ctx, ente.ID, "rpct")
	if err != nil {
		return domain.Actor{}, err
	}
	return domain.Actor{UserID: u.ID, EnteID: ente.ID, EnteCode: ente.Code, Username: u.Username, Grants: u.Grants, GrantsVersion: u.GrantsVersion}, nil
}
