package store

import (
	"context"
	"fmt"
	"strings"
)

// A risk entry stores, beside its judgements, the level, rank and heat-map cell the cycle's methodology gave
// them when it was saved, and an assessment the level of its worst risk: the register's filters, the heat map,
// the map's levels and the dashboard read those columns. When the cycle's methodology changes
// (Methodologies.Choose) they are rewritten here, so that they never disagree with the levels the register shows.

// StoredRiskScore is a risk of a cycle with its stored judgements and the scores stored with them, and the level
// stored on its assessment.
type StoredRiskScore struct {
	ID, AssessmentID   string
	Inherent, Residual string // the judgements as JSON ("" residual: none)
	Scores             RiskScores
	AssessmentLevel    string
	AssessmentRank     int
}

// RiskScores are the score columns of a risk entry (level "" and zeros: not scored).
type RiskScores struct {
	InherentLevel               string
	InherentRank, InherentCellL int
	InherentCellI               int
	ResidualLevel               string
	ResidualRank, ResidualCellL int
	ResidualCellI               int
}

// RiskRescore is the new scores of a risk; AssessmentRescore the new level of an assessment.
type RiskRescore struct {
	ID     string
	Scores RiskScores
}

// AssessmentRescore is the level of an assessment recomputed from its rescored risks.
type AssessmentRescore struct {
	ID    string
	Level string
	Rank  int
}

// rescoreChunk bounds the rows one UPDATE rewrites: 8 columns × 2 parameters + the id each, about 8,500
// parameters, under both databases' limits (SQLite 32,766, PostgreSQL 65,535).
const rescoreChunk = 500

// CycleRiskScores reads every risk of a cycle with its judgements and stored scores, in one statement.
func (s *Store) CycleRiskScores(ctx context.Context, enteID, cycleID string) ([]StoredRiskScore, error) {
	rows, err := s.q(ctx).Raw(`SELECT r.id, r.assessment_id, r.inherent, r.residual,
		r.inherent_level, r.inherent_rank, r.inherent_cell_l, r.inherent_cell_i,
		r.residual_level, r.residual_rank, r.residual_cell_l, r.residual_cell_i, a.level, a.level_rank
		FROM risk_entries r JOIN assessments a ON a.id = r.assessment_id
		WHERE r.ente_id = ? AND r.cycle_id = ? ORDER BY r.assessment_id, r.position`, enteID, cycleID).Rows()
	if err != nil {
		return nil, wrap(err, "read the cycle's risk scores")
	}
	defer rows.Close()
	var out []StoredRiskScore
	for rows.Next() {
		var r StoredRiskScore
		sc := &r.Scores
		if err := rows.Scan(&r.ID, &r.AssessmentID, &r.Inherent, &r.Residual,
			&sc.InherentLevel, &sc.InherentRank, &sc.InherentCellL, &sc.InherentCellI,
			&sc.ResidualLevel, &sc.ResidualRank, &sc.ResidualCellL, &sc.ResidualCellI,
			&r.AssessmentLevel, &r.AssessmentRank); err != nil {
			return nil, wrap(err, "scan the cycle's risk scores")
		}
		out = append(out, r)
	}
	return out, wrap(rows.Err(), "read the cycle's risk scores")
}

// RescoreCycleRisks writes new scores on risks and new levels on assessments of a cycle, one UPDATE per
// rescoreChunk rows of each (a CASE on the id per column, the same on both databases). It changes neither the
// judgements nor any version: the content did not change, only what the methodology makes of it.
func (s *Store) RescoreCycleRisks(ctx context.Context, enteID, cycleID string, risks []RiskRescore, assessments []AssessmentRescore) error {
	for start := 0; start < len(risks); start += rescoreChunk {
		chunk := risks[start:min(start+rescoreChunk, len(risks))]
		// PostgreSQL types a CASE of parameters as text: the integer columns cast theirs.
		columns := []struct {
			name, then string
			value      func(RiskScores) any
		}{
			{"inherent_level", "?", func(s RiskScores) any { return s.InherentLevel }},
			{"inherent_rank", "CAST(? AS INTEGER)", func(s RiskScores) any { return s.InherentRank }},
			{"inherent_cell_l", "CAST(? AS INTEGER)", func(s RiskScores) any { return s.InherentCellL }},
			{"inherent_cell_i", "CAST(? AS INTEGER)", func(s RiskScores) any { return s.InherentCellI }},
			{"residual_level", "?", func(s RiskScores) any { return s.ResidualLevel }},
			{"residual_rank", "CAST(? AS INTEGER)", func(s RiskScores) any { return s.ResidualRank }},
			{"residual_cell_l", "CAST(? AS INTEGER)", func(s RiskScores) any { return s.ResidualCellL }},
			{"residual_cell_i", "CAST(? AS INTEGER)", func(s RiskScores) any { return s.ResidualCellI }},
		}
		var sql strings.Builder
		var args []any
		sql.WriteString("UPDATE risk_entries SET ")
		for i, c := range columns {
			if i > 0 {
				sql.WriteString(", ")
			}
			fmt.Fprintf(&sql, "%s = CASE id", c.name)
			for _, r := range chunk {
				sql.WriteString(" WHEN ? THEN " + c.then)
				args = append(args, r.ID, c.value(r.Scores))
			}
			sql.WriteString(" END")
		}
		sql.WriteString(" WHERE ente_id = ? AND cycle_id = ? AND id IN ?")
		ids := make([]string, len(chunk))
		for i, r := range chunk {
			ids[i] = r.ID
		}
		args = append(args, enteID, cycleID, ids)
		if err := s.q(ctx).Exec(sql.String(), args...).Error; err != nil {
			return wrap(err, "rescore risks")
		}
	}
	for start := 0; start < len(assessments); start += rescoreChunk {
		chunk := assessments[start:min(start+rescoreChunk, len(assessments))]
		var level, rank strings.Builder
		var levelArgs, rankArgs []any
		ids := make([]string, len(chunk))
		for i, a := range chunk {
			level.WriteString(" WHEN ? THEN ?")
			rank.WriteString(" WHEN ? THEN CAST(? AS INTEGER)")
			levelArgs = append(levelArgs, a.ID, a.Level)
			rankArgs = append(rankArgs, a.ID, a.Rank)
			ids[i] = a.ID
		}
		args := append(append(levelArgs, rankArgs...), enteID, cycleID, ids)
		if err := s.q(ctx).Exec("UPDATE assessments SET level = CASE id"+level.String()+" END, level_rank = CASE id"+
			rank.String()+" END WHERE ente_id = ? AND cycle_id = ? AND id IN ?", args...).Error; err != nil {
			return wrap(err, "rescore assessments")
		}
	}
	return nil
}
