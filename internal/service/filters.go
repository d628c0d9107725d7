package service

import (
	"context"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// checkRefFilters refuses unit, strategic objective and risk area filters that are not codes of the cycle's
// map, naming the parameter: a mistyped code would otherwise answer an empty list, which reads as "none".
// The map's tables are read only when such a filter is given.
func checkRefFilters(ctx context.Context, s *store.Store, enteID, cycleID, unit, objective, riskArea string) ([]domain.FieldError, error) {
	if unit == "" && objective == "" && riskArea == "" {
		return nil, nil
	}
	units, objectives, areas, err := s.Refs(ctx, enteID, cycleID)
	if err != nil {
		return nil, err
	}
	var problems []domain.FieldError
	for _, f := range []struct {
		param, value, what string
		items              []domain.RefItem
	}{
		{"unit", unit, "organisational units", units},
		{"objective", objective, "strategic objectives", objectives},
		{"risk_area", riskArea, "risk areas", areas},
	} {
		if f.value == "" {
			continue
		}
		known := false
		for _, it := range f.items {
			known = known || it.Code == f.value
		}
		if !known {
			problems = append(problems, domain.FieldError{Field: f.param, Code: "value_unknown",
				Message: f.param + " must be the code of one of the cycle's " + f.what})
		}
	}
	return problems, nil
}
