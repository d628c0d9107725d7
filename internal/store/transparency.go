package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/domain"
)

// The transparency section of a cycle: its grid of publication obligations, the state of publication of each
// at the monitoring rounds, and the ente's yearly civic-access counts.

type obligationRow struct {
	ID             string
	EnteID         string
	CycleID        string
	Position       int
	Code           string
	Section        string
	Subsection     string
	Obligation     string
	LegalReference string
	Content        string
	Frequency      string
	ProducingUnit  string
	PublishingUnit string
	Deadline       string
	Source         string
	Version        int64
	DerivedFrom    string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	UpdatedBy      string
}

func (obligationRow) TableName() string { return "transparency_obligations" }

func (r obligationRow) domain() domain.TransparencyObligation {
	updated := r.UpdatedAt
	return domain.TransparencyObligation{ID: r.ID, Code: r.Code, Section: r.Section, Subsection: r.Subsection, Obligation: r.Obligation,
		LegalReference: r.LegalReference, Content: r.Content, Frequency: r.Frequency, ProducingUnit: r.ProducingUnit,
		PublishingUnit: r.PublishingUnit, Deadline: r.Deadline, Source: r.Source, Version: r.Version, DerivedFrom: r.DerivedFrom,
		UpdatedAt: &updated}
}

func obligationRowOf(enteID, cycleID string, o *domain.TransparencyObligation) obligationRow {
	return obligationRow{ID: o.ID, EnteID: enteID, CycleID: cycleID, Code: o.Code, Section: o.Section, Subsection: o.Subsection,
		Obligation: o.Obligation, LegalReference: o.LegalReference, Content: o.Content, Frequency: o.Frequency,
		ProducingUnit: o.ProducingUnit, PublishingUnit: o.PublishingUnit, Deadline: o.Deadline, Source: o.Source,
		Version: o.Version, DerivedFrom: o.DerivedFrom}
}

// Obligations lists a cycle's grid in order.
func (s *Store) Obligations(ctx context.Context, enteID, cycleID string) ([]domain.TransparencyObligation, error) {
	var rows []obligationRow
	if err := s.q(ctx).Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Order("position, code").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list obligations")
	}
	out := make([]domain.TransparencyObligation, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// InsertObligations appends obligations to a cycle's grid (seed, roll-forward, a new row); a code already in
// the cycle is a code_taken conflict. The new ids are set on the given rows.
func (s *Store) InsertObligations(ctx context.Context, enteID, cycleID string, obs []domain.TransparencyObligation, by string) error {
	var pos int64
	if err := s.q(ctx).Table("transparency_obligations").Where("ente_id = ? AND cycle_id = ?", enteID, cycleID).Count(&pos).Error; err != nil {
		return wrap(err, "count obligations")
	}
	codes := make([]string, len(obs))
	for i := range obs {
		codes[i] = obs[i].Code
	}
	var taken []string
	if err := s.q(ctx).Table("transparency_obligations").Where("ente_id = ? AND cycle_id = ? AND code IN ?", enteID, cycleID, codes).
		Pluck("code", &taken).Error; err != nil {
		return wrap(err, "check obligation codes")
	}
	if len(taken) > 0 {
		return domain.Conflict("code_taken", "the grid already has obligation %s", taken[0])
	}
	t := now()
	rows := make([]obligationRow, len(obs))
	for i := range obs {
		rows[i] = obligationRowOf(enteID, cycleID, &obs[i])
		rows[i].ID, rows[i].Position, rows[i].Version, rows[i].CreatedAt, rows[i].UpdatedAt, rows[i].UpdatedBy = newID(), int(pos)+i, 1, t, t, by
		obs[i].ID, obs[i].Version = rows[i].ID, 1
	}
	if len(rows) == 0 {
		return nil
	}
	err := s.q(ctx).CreateInBatches(rows, batchSize).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return domain.Conflict("code_taken", "an obligation code is already in the grid")
	}
	return wrap(err, "insert obligations")
}

// UpdateObligation replaces an obligation at the version read (stale: version_conflict with the current one).
func (s *Store) UpdateObligation(ctx context.Context, enteID, cycleID string, o *domain.TransparencyObligation, expectVersion int64, by string) (int64, error) {
	var cur obligationRow
	res := s.forUpdate(s.q(ctx)).Where("ente_id = ? AND cycle_id = ? AND id = ?", enteID, cycleID, o.ID).Limit(1).Find(&cur)
	if res.Error != nil {
		return 0, wrap(res.Error, "load obligation")
	}
	if res.RowsAffected == 0 {
		return 0, domain.NotFound("obligation_not_found", "no obligation %s in the cycle's grid", o.ID)
	}
	stale := &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
		Message: "the obligation was changed by someone else: reload and apply your changes again"}
	if cur.Version != expectVersion {
		return 0, stale
	}
	if o.Code != cur.Code {
		var n int64
		if err := s.q(ctx).Table("transparency_obligations").Where("ente_id = ? AND cycle_id = ? AND code = ?", enteID, cycleID, o.Code).Count(&n).Error; err != nil {
			return 0, wrap(err, "check obligation code")
		}
		if n > 0 {
			return 0, domain.Conflict("code_taken", "the grid already has obligation %s", o.Code)
		}
	}
	r := obligationRowOf(enteID, cycleID, o)
	upd := s.q(ctx).Model(&obligationRow{}).Where("ente_id = ? AND id = ? AND version = ?", enteID, o.ID, expectVersion).
		Updates(map[string]any{"code": r.Code, "section": r.Section, "subsection": r.Subsection, "obligation": r.Obligation,
			"legal_reference": r.LegalReference, "content": r.Content, "frequency": r.Frequency, "producing_unit": r.ProducingUnit,
			"publishing_unit": r.PublishingUnit, "deadline": r.Deadline, "source": r.Source, "version": gorm.Expr("version + 1"),
			"updated_at": now(), "updated_by": by})
	if upd.Error != nil {
		return 0, wrap(upd.Error, "update obligation")
	}
	if upd.RowsAffected != 1 {
		return 0, stale
	}
	return expectVersion + 1, nil
}

// DeleteObligation removes an obligation with no recorded state of publication (else obligation_in_use).
func (s *Store) DeleteObligation(ctx context.Context, enteID, cycleID, id string, expectVersion int64) (domain.TransparencyObligation, error) {
	var cur obligationRow
	res := s.forUpdate(s.q(ctx)).Where("ente_id = ? AND cycle_id = ? AND id = ?", enteID, cycleID, id).Limit(1).Find(&cur)
	if res.Error != nil {
		return domain.TransparencyObligation{}, wrap(res.Error, "load obligation")
	}
	if res.RowsAffected == 0 {
		return domain.TransparencyObligation{}, domain.NotFound("obligation_not_found", "no obligation %s in the cycle's grid", id)
	}
	if cur.Version != expectVersion {
		return domain.TransparencyObligation{}, &domain.ConflictError{Code: "version_conflict", CurrentVersion: cur.Version,
			Message: "the obligation was changed by someone else: reload first"}
	}
	var n int64
	if err := s.q(ctx).Table("transparency_checks").Where("obligation_id = ?", id).Count(&n).Error; err != nil {
		return domain.TransparencyObligation{}, wrap(err, "count checks")
	}
	if n > 0 {
		return domain.TransparencyObligation{}, domain.Conflict("obligation_in_use", "%d rounds recorded its publication: it stays in the grid", n)
	}
	return cur.domain(), wrap(s.q(ctx).Exec("DELETE FROM transparency_obligations WHERE ente_id = ? AND id = ?", enteID, id).Error, "delete obligation")
}

type publicationCheckRow struct {
	ID              string
	EnteID          string
	RoundID         string
	ObligationID    string
	Published       *int
	CompleteContent *int
	CompleteOffices *int
	UpToDate        *int
	OpenFormat      *int
	Notes           string
	CheckedBy       string
	CheckedAt       time.Time
	Version         int64
}

func (publicationCheckRow) TableName() string { return "transparency_checks" }

// PublicationChecks lists the state of publication recorded in a round.
func (s *Store) PublicationChecks(ctx context.Context, enteID, roundID string) ([]domain.PublicationCheck, error) {
	var rows []publicationCheckRow
	if err := s.q(ctx).Where("ente_id = ? AND round_id = ?", enteID, roundID).Find(&rows).Error; err != nil {
		return nil, wrap(err, "list publication checks")
	}
	out := make([]domain.PublicationCheck, len(rows))
	for i, r := range rows {
		at := r.CheckedAt
		out[i] = domain.PublicationCheck{ObligationID: r.ObligationID, Published: r.Published, CompleteContent: r.CompleteContent,
			CompleteOffices: r.CompleteOffices, UpToDate: r.UpToDate, OpenFormat: r.OpenFormat, Notes: r.Notes,
			CheckedBy: r.CheckedBy, CheckedAt: &at, Version: r.Version}
	}
	return out, nil
}

// SavePublicationCheck records an obligation's state of publication in a round at the version read (0: none
// yet); a stale version is a version_conflict. It returns the new version.
func (s *Store) SavePublicationCheck(ctx context.Context, enteID, roundID string, c domain.PublicationCheck, by string) (int64, error) {
	var cur []publicationCheckRow
	if err := s.forUpdate(s.q(ctx)).Where("ente_id = ? AND round_id = ? AND obligation_id = ?", enteID, roundID, c.ObligationID).Find(&cur).Error; err != nil {
		return 0, wrap(err, "load publication check")
	}
	stale := func(v int64) error {
		return &domain.ConflictError{Code: "version_conflict", CurrentVersion: v,
			Message: "someone else recorded this obligation meanwhile: reload and apply your changes again"}
	}
	fields := map[string]any{"published": c.Published, "complete_content": c.CompleteContent, "complete_offices": c.CompleteOffices,
		"up_to_date": c.UpToDate, "open_format": c.OpenFormat, "notes": c.Notes, "checked_by": by, "checked_at": now()}
	if len(cur) == 0 {
		if c.Version != 0 {
			return 0, stale(0)
		}
		fields["id"], fields["ente_id"], fields["round_id"], fields["obligation_id"], fields["version"] = newID(), enteID, roundID, c.ObligationID, 1
		err := s.q(ctx).Table("transparency_checks").Clauses(clause.OnConflict{DoNothing: true}).Create(fields).Error
		return 1, wrap(err, "insert publication check")
	}
	if cur[0].Version != c.Version {
		return 0, stale(cur[0].Version)
	}
	fields["version"] = gorm.Expr("version + 1")
	upd := s.q(ctx).Table("transparency_checks").Where("id = ? AND version = ?", cur[0].ID, c.Version).Updates(fields)
	if upd.Error != nil {
		return 0, wrap(upd.Error, "update publication check")
	}
	if upd.RowsAffected != 1 {
		return 0, stale(cur[0].Version + 1)
	}
	return c.Version + 1, nil
}

// CivicAccessCounts lists the ente's yearly counts, newest year first.
func (s *Store) CivicAccessCounts(ctx context.Context, enteID string) ([]domain.CivicAccessCount, error) {
	var out []domain.CivicAccessCount
	err := s.q(ctx).Table("civic_access_counts").Select("year, kind, received, accepted, refused, pending, version").
		Where("ente_id = ?", enteID).Order("year DESC, kind").Scan(&out).Error
	if out == nil {
		out = []domain.CivicAccessCount{}
	}
	return out, wrap(err, "list civic access counts")
}

// SaveCivicAccessCount writes a year's count of a kind at the version read (0: none yet). It returns the new version.
func (s *Store) SaveCivicAccessCount(ctx context.Context, enteID string, c domain.CivicAccessCount, by string) (int64, error) {
	var cur []int64
	if err := s.forUpdate(s.q(ctx).Table("civic_access_counts")).Where("ente_id = ? AND year = ? AND kind = ?", enteID, c.Year, c.Kind).
		Pluck("version", &cur).Error; err != nil {
		return 0, wrap(err, "load civic access count")
	}
	stale := func(v int64) error {
		return &domain.ConflictError{Code: "version_conflict", CurrentVersion: v, Message: "the count was changed by someone else: reload first"}
	}
	fields := map[string]any{"received": c.Received, "accepted": c.Accepted, "refused": c.Refused, "pending": c.Pending,
		"updated_at": now(), "updated_by": by}
	if len(cur) == 0 {
		if c.Version != 0 {
			return 0, stale(0)
		}
		fields["ente_id"], fields["year"], fields["kind"], fields["version"] = enteID, c.Year, c.Kind, 1
		if err := s.q(ctx).Table("civic_access_counts").Create(fields).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return 0, stale(1)
			}
			return 0, wrap(err, "insert civic access count")
		}
		return 1, nil
	}
	if cur[0] != c.Version {
		return 0, stale(cur[0])
	}
	fields["version"] = gorm.Expr("version + 1")
	upd := s.q(ctx).Table("civic_access_counts").Where("ente_id = ? AND year = ? AND kind = ? AND version = ?", enteID, c.Year, c.Kind, c.Version).Updates(fields)
	if upd.Error != nil {
		return 0, wrap(upd.Error, "update civic access count")
	}
	if upd.RowsAffected != 1 {
		return 0, stale(cur[0] + 1)
	}
	return c.Version + 1, nil
}
