package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

// Part is a stored part of the sottosezione: its JSON content at a version (0: never written).
type Part struct {
	Kind      domain.PartKind
	Content   string
	Version   int64
	UpdatedBy string
	UpdatedAt *time.Time
}

type partRow struct {
	EnteID, CycleID, Kind, Content, UpdatedBy string
	Version                                   int64
	UpdatedAt                                 time.Time
}

func (partRow) TableName() string { return "sottosezione_parts" }

// SottosezionePart loads a part of a cycle; one never written comes back empty at version 0.
func (s *Store) SottosezionePart(ctx context.Context, enteID, cycleID string, kind domain.PartKind) (Part, error) {
	var rows []partRow
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ? AND kind = ?", enteID, cycleID, string(kind)).Find(&rows).Error; err != nil {
		return Part{}, wrap(err, "load sottosezione part")
	}
	if len(rows) == 0 {
		return Part{Kind: kind}, nil
	}
	r := rows[0]
	return Part{Kind: kind, Content: r.Content, Version: r.Version, UpdatedBy: r.UpdatedBy, UpdatedAt: &r.UpdatedAt}, nil
}

// SottosezioneParts loads every written part of a cycle, in the sottosezione's order.
func (s *Store) SottosezioneParts(ctx context.Context, enteID, cycleID string) ([]Part, error) {
	var out []Part
	for _, k := range domain.PartKinds {
		p, err := s.SottosezionePart(ctx, enteID, cycleID, k)
		if err != nil {
			return nil, err
		}
		if p.Version > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// SetSottosezionePart writes a part at the expected version (0: first write); a stale version, or a
// concurrent first write, is a *domain.ConflictError. It returns the new version.
func (s *Store) SetSottosezionePart(ctx context.Context, enteID, cycleID string, kind domain.PartKind, content string, expect int64, by string) (int64, error) {
	var affected int64
	if expect == 0 {
		res := s.q(ctx).Exec(`INSERT INTO sottosezione_parts (ente_id, cycle_id, kind, content, version, updated_by, updated_at)
			VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (cycle_id, kind) DO NOTHING`, enteID, cycleID, string(kind), content, by, now())
		if res.Error != nil {
			return 0, wrap(res.Error, "store sottosezione part")
		}
		affected = res.RowsAffected
	} else {
		res := s.q(ctx).Model(&partRow{}).Where("ente_id = ? AND cycle_id = ? AND kind = ? AND version = ?", enteID, cycleID, string(kind), expect).
			Updates(map[string]any{"content": content, "version": gorm.Expr("version + 1"), "updated_by": by, "updated_at": now()})
		if res.Error != nil {
			return 0, wrap(res.Error, "update sottosezione part")
		}
		affected = res.RowsAffected
	}
	cur, err := s.SottosezionePart(ctx, enteID, cycleID, kind)
	if err != nil {
		return 0, err
	}
	if affected == 0 {
		return 0, &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
			Message: "this part was changed by someone else: reload it and apply your changes again"}
	}
	return cur.Version, nil
}

type descriptionRow struct {
	EnteID, CycleID, NodeCode, Input, Output, Phases, Responsibilities, Timing, Constraints, UpdatedBy string
	Version                                                                                            int64
	UpdatedAt                                                                                          time.Time
}

func (descriptionRow) TableName() string { return "process_descriptions" }

func (r descriptionRow) domain() domain.ProcessDescription {
	return domain.ProcessDescription{Node: r.NodeCode, Input: r.Input, Output: r.Output, Phases: r.Phases,
		Responsibilities: r.Responsibilities, Timing: r.Timing, Constraints: r.Constraints, Version: r.Version}
}

// ProcessDescriptions lists a cycle's process descriptions, in map order.
func (s *Store) ProcessDescriptions(ctx context.Context, enteID, cycleID string) ([]domain.ProcessDescription, error) {
	var rows []descriptionRow
	err := s.q(ctx).Table("process_descriptions d").Select("d.*").
		Joins("LEFT JOIN process_nodes n ON n.ente_id = d.ente_id AND n.cycle_id = d.cycle_id AND n.code = d.node_code").
		Where("d.ente_id = ? AND d.cycle_id = ?", enteID, cycleID).Order("n.position, d.node_code").Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "list process descriptions")
	}
	out := make([]domain.ProcessDescription, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// ProcessDescriptionOf loads a node's description; none is an empty description at version 0.
func (s *Store) ProcessDescriptionOf(ctx context.Context, enteID, cycleID, code string) (domain.ProcessDescription, error) {
	var rows []descriptionRow
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ? AND node_code = ?", enteID, cycleID, code).Find(&rows).Error; err != nil {
		return domain.ProcessDescription{}, wrap(err, "load process description")
	}
	if len(rows) == 0 {
		return domain.ProcessDescription{Node: code}, nil
	}
	return rows[0].domain(), nil
}

// SetProcessDescription writes a node's description at the expected version (0: first write).
func (s *Store) SetProcessDescription(ctx context.Context, enteID, cycleID string, d domain.ProcessDescription, expect int64, by string) (domain.ProcessDescription, error) {
	fields := map[string]any{"input": d.Input, "output": d.Output, "phases": d.Phases, "responsibilities": d.Responsibilities,
		"timing": d.Timing, "constraints": d.Constraints, "updated_by": by, "updated_at": now()}
	var affected int64
	if expect == 0 {
		res := s.q(ctx).Exec(`INSERT INTO process_descriptions (ente_id, cycle_id, node_code, input, output, phases,
			responsibilities, timing, constraints, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
			ON CONFLICT (cycle_id, node_code) DO NOTHING`, enteID, cycleID, d.Node, d.Input, d.Output, d.Phases,
			d.Responsibilities, d.Timing, d.Constraints, by, now())
		if res.Error != nil {
			return domain.ProcessDescription{}, wrap(res.Error, "store process description")
		}
		affected = res.RowsAffected
	} else {
		fields["version"] = gorm.Expr("version + 1")
		res := s.q(ctx).Model(&descriptionRow{}).Where("ente_id = ? AND cycle_id = ? AND node_code = ? AND version = ?",
			enteID, cycleID, d.Node, expect).Updates(fields)
		if res.Error != nil {
			return domain.ProcessDescription{}, wrap(res.Error, "update process description")
		}
		affected = res.RowsAffected
	}
	cur, err := s.ProcessDescriptionOf(ctx, enteID, cycleID, d.Node)
	if err != nil {
		return domain.ProcessDescription{}, err
	}
	if affected == 0 {
		return domain.ProcessDescription{}, &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
			Message: "the description was changed by someone else: reload it and apply your changes again"}
	}
	return cur, nil
}

type settingsRow struct {
	EnteID        string
	Simplified    bool
	Headcount     *int
	HeadcountDate string
	Version       int64
	UpdatedBy     string
	UpdatedAt     time.Time
}

func (settingsRow) TableName() string { return "ente_sottosezione_settings" }

// SottosezioneSettings loads the ente's regime; none set is the ordinary regime at version 0.
func (s *Store) SottosezioneSettings(ctx context.Context, enteID string) (domain.SottosezioneSettings, error) {
	var r settingsRow
	err := s.q(ctx).Where("ente_id = ?", enteID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return domain.SottosezioneSettings{}, nil
	}
	if err != nil {
		return domain.SottosezioneSettings{}, wrap(err, "load sottosezione settings")
	}
	return domain.SottosezioneSettings{Simplified: r.Simplified, Headcount: r.Headcount, HeadcountDate: r.HeadcountDate, Version: r.Version}, nil
}

// SetSottosezioneSettings writes the ente's regime at the expected version (0: first write).
func (s *Store) SetSottosezioneSettings(ctx context.Context, enteID string, in domain.SottosezioneSettings, expect int64, by string) (domain.SottosezioneSettings, error) {
	var affected int64
	if expect == 0 {
		res := s.q(ctx).Exec(`INSERT INTO ente_sottosezione_settings (ente_id, simplified, headcount, headcount_date, version,
			updated_by, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (ente_id) DO NOTHING`,
			enteID, in.Simplified, in.Headcount, in.HeadcountDate, by, now())
		if res.Error != nil {
			return domain.SottosezioneSettings{}, wrap(res.Error, "store sottosezione settings")
		}
		affected = res.RowsAffected
	} else {
		res := s.q(ctx).Model(&settingsRow{}).Where("ente_id = ? AND version = ?", enteID, expect).Updates(map[string]any{
			"simplified": in.Simplified, "headcount": in.Headcount, "headcount_date": in.HeadcountDate,
			"version": gorm.Expr("version + 1"), "updated_by": by, "updated_at": now()})
		if res.Error != nil {
			return domain.SottosezioneSettings{}, wrap(res.Error, "update sottosezione settings")
		}
		affected = res.RowsAffected
	}
	cur, err := s.SottosezioneSettings(ctx, enteID)
	if err != nil {
		return cur, err
	}
	if affected == 0 {
		return cur, &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
			Message: "the settings were changed by someone else: reload them"}
	}
	return cur, nil
}

// ProgrammedMeasure is what the self-check looks at in a measure planned for adoption.
type ProgrammedMeasure struct {
	ID, Leaf, Title, Owner, StartDate, EndDate, Phases, Indicators string
}

// ProgrammedMeasures lists the cycle's measures in force (not withdrawn), in map order.
func (s *Store) ProgrammedMeasures(ctx context.Context, enteID, cycleID string) ([]ProgrammedMeasure, error) {
	var out []ProgrammedMeasure
	err := s.q(ctx).Table("measures m").
		Select("m.id, n.code AS leaf, m.title, m.owner, m.start_date, m.end_date, m.phases, m.indicators").
		Joins("JOIN assessments a ON a.id = m.assessment_id").Joins("JOIN process_nodes n ON n.id = a.node_id").
		Where("m.ente_id = ? AND m.cycle_id = ? AND m.withdrawn_at IS NULL", enteID, cycleID).
		Order("n.position, m.position").Scan(&out).Error
	return out, wrap(err, "list programmed measures")
}

// RoundsInYear lists the reference dates of the ente's monitoring rounds (any cycle) in a year, with their state.
func (s *Store) RoundsInYear(ctx context.Context, enteID string, year int) ([]Round, error) {
	var rows []roundRow
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	if err := s.q(ctx).Where("ente_id = ? AND reference_date >= ? AND reference_date <= ?", enteID, from, to).
		Order("reference_date").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list rounds of the year")
	}
	out := make([]Round, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// SetNodeAnnotation changes a node's marker and note in place (its identity, and what is attached to it, stay).
func (s *Store) SetNodeAnnotation(ctx context.Context, enteID, cycleID, code string, marker domain.Marker, note string) error {
	res := s.q(ctx).Table("process_nodes").Where("ente_id = ? AND cycle_id = ? AND code = ?", enteID, cycleID, code).
		Updates(map[string]any{"marker": string(marker), "note": note})
	if res.Error != nil {
		return wrap(res.Error, "annotate node %q", code)
	}
	if res.RowsAffected != 1 {
		return domain.NotFound("node_not_found", "node %q not found", code)
	}
	return nil
}
