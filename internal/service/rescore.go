package service

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// rescoreCycle rewrites the scores stored with a cycle's risks and the levels stored with its assessments to
// what profile p gives them, as a save with p would have stored them (Assessment.Evaluate,
// store.SaveAssessmentWith): a judgement p cannot score has no level and cell, an assessment with such a risk no
// level. Only the rows whose stored values change are written, in a number of statements that grows with the
// register by one per store.RescoreCycleRisks chunk. It returns how many risks were rescored. Run it in the
// transaction that changes the methodology.
func rescoreCycle(ctx context.Context, tx *store.Store, enteID, cycleID string, p domain.Profile) (int, error) {
	scorer, err := p.Scorer()
	if err != nil {
		return 0, err
	}
	stored, err := tx.CycleRiskScores(ctx, enteID, cycleID)
	if err != nil {
		return 0, err
	}
	// Registers repeat judgements (roll-forward, copies): each distinct one is decoded and scored once.
	type scored struct {
		s  domain.Score
		ok bool
	}
	cache := map[string]scored{}
	score := func(raw string) (scored, error) {
		if got, ok := cache[raw]; ok {
			return got, nil
		}
		var j domain.Judgement
		if err := json.Unmarshal([]byte(raw), &j); err != nil {
			return scored{}, fmt.Errorf("decode judgement: %w", err)
		}
		s, err := scorer.Score(j)
		got := scored{s: s, ok: err == nil}
		cache[raw] = got
		return got, nil
	}
	type level struct {
		level      string
		rank       int
		allScored  bool
		storedL    string
		storedRank int
	}
	levels := map[string]*level{}
	var order []string
	var risks []store.RiskRescore
	for _, r := range stored {
		var want store.RiskScores
		in, err := score(r.Inherent)
		if err != nil {
			return 0, err
		}
		if in.ok {
			want.InherentLevel, want.InherentRank, want.InherentCellL, want.InherentCellI = in.s.Level, in.s.Rank, in.s.Cell[0], in.s.Cell[1]
		}
		if r.Residual != "" {
			res, err := score(r.Residual)
			if err != nil {
				return 0, err
			}
			if res.ok {
				want.ResidualLevel, want.ResidualRank, want.ResidualCellL, want.ResidualCellI = res.s.Level, res.s.Rank, res.s.Cell[0], res.s.Cell[1]
			}
		}
		if want != r.Scores {
			risks = append(risks, store.RiskRescore{ID: r.ID, Scores: want})
		}
		l := levels[r.AssessmentID]
		if l == nil {
			l = &level{allScored: true, storedL: r.AssessmentLevel, storedRank: r.AssessmentRank}
			levels[r.AssessmentID] = l
			order = append(order, r.AssessmentID)
		}
		if !in.ok {
			l.allScored = false
		} else if in.s.Rank > l.rank {
			l.level, l.rank = in.s.Level, in.s.Rank
		}
	}
	var assessments []store.AssessmentRescore
	for _, id := range order {
		l := levels[id]
		if !l.allScored {
			l.level, l.rank = "", 0
		}
		if l.level != l.storedL || l.rank != l.storedRank {
			assessments = append(assessments, store.AssessmentRescore{ID: id, Level: l.level, Rank: l.rank})
		}
	}
	if err := tx.RescoreCycleRisks(ctx, enteID, cycleID, risks, assessments); err != nil {
		return 0, err
	}
	return len(risks), nil
}
