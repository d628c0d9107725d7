// Package demo sets up the demonstration ente with its real process map, idempotently.
package demo

import (
	"context"
	"fmt"

	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
)

// Result reports what Load did.
type Result struct {
	EnteCode string
	Cycle    string
	Import   service.ImportResult
}

// Load creates the ente cciaa-basilicata with cycle 2026-2028 and the curated map. Running it again changes
// nothing.
func Load(ctx context.Context, entes *service.Entes, maps *service.ProcessMaps) (Result, error) {
	ente, err := entes.Ensure(ctx, seed.DemoEnteCode, seed.DemoEnteName)
	if err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	m, err := seed.BasilicataMap()
	if err != nil {
		return Result{}, fmt.Errorf("demo: embedded map is invalid: %w", err)
	}
	res, err := maps.Import(ctx, service.Tenant{EnteID: ente.ID, EnteCode: ente.Code}, seed.DemoCycle, m)
	if err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	return Result{EnteCode: ente.Code, Cycle: seed.DemoCycle, Import: res}, nil
}
