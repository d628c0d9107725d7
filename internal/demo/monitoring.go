package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// FillMonitoringPlan gives the demo cycle its monitoring plan (two reference dates in its first year, a sample
// with every high-risk and overdue measure), so the sottosezione's monitoring part speaks; only when the cycle
// has none, through the service as the demo RPCT (audited). The previous cycle's monitoring is left to the RPCT
// (the monitoring walkthrough starts it).
func FillMonitoringPlan(ctx context.Context, s *store.Store, enteCode, cycle string) error {
	az, rpct, c, err := asDemoRPCT(ctx, s, enteCode, cycle)
	if err != nil {
		return err
	}
	mon := service.NewMonitoring(s, az)
	if _, err := mon.Plan(ctx, rpct, cycle); err == nil {
		return nil // the RPCT's own plan stays
	} else if !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	plan := store.MonitoringPlan{Frequency: "semestrale",
		ReferenceDates:   []string{fmt.Sprintf("%d-06-30", c.StartYear), fmt.Sprintf("%d-12-31", c.StartYear)},
		SamplingCriteria: DemoMarker + "tutte le misure dei rischi di livello alto e quelle scadute; delle altre, un quinto estratto a caso per unità organizzativa e area.",
		SamplePercent:    20, SampleHighRisk: true, SampleOverdue: true}
	if _, err := mon.SetPlan(ctx, rpct, cycle, plan); err != nil {
		return fmt.Errorf("demo: monitoring plan: %w", err)
	}
	return nil
}
