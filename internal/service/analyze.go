package service

import (
	"context"

	"github.com/argine-pa/argine/internal/store"
)

// analyzeAfter refreshes the planner's statistics of tables once a bulk write that touched rows rows has
// committed (store.Analyze says why). A failure is not the write's failure: the data is stored, the statistics
// are an optimisation the database's own upkeep catches up with, so it is not reported to the caller.
func analyzeAfter(ctx context.Context, s *store.Store, rows int, tables ...[]string) {
	if rows < store.AnalyzeThreshold {
		return
	}
	var all []string
	for _, t := range tables {
		all = append(all, t...)
	}
	_ = s.Analyze(context.WithoutCancel(ctx), all...) // best effort, see above
}
