package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

type methodologyProfileRow struct {
	ID        string
	EnteID    string
	Code      string
	Version   int
	Name      string
	Profile   string
	Revision  int64
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
}

func (methodologyProfileRow) TableName() string { return "methodology_profiles" }

// EnteProfileVersion is one stored version of an ente-defined methodology profile (Profile is JSON). UsedBy
// lists the codes of the cycles whose methodology is this version, in order.
type EnteProfileVersion struct {
	Code      string
	Version   int
	Name      string
	Profile   string
	Revision  int64
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	UsedBy    []string
}

func (r methodologyProfileRow) version() EnteProfileVersion {
	return EnteProfileVersion{Code: r.Code, Version: r.Version, Name: r.Name, Profile: r.Profile, Revision: r.Revision,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy, UsedBy: []string{}}
}

// EnteProfileVersions lists the versions of the ente's profiles (all of them when code is empty), by code and
// version, each with the cycles that use it: two queries, whatever the number of versions.
func (s *Store) EnteProfileVersions(ctx context.Context, enteID, code string) ([]EnteProfileVersion, error) {
	q := s.q(ctx).Where("ente_id = ?", enteID)
	if code != "" {
		q = q.Where("code = ?", code)
	}
	var rows []methodologyProfileRow
	if err := q.Order("code, version").Find(&rows).Error; err != nil {
		return nil, wrap(err, "list methodology profiles")
	}
	out := make([]EnteProfileVersion, len(rows))
	index := map[string]map[int]int{}
	for i, r := range rows {
		out[i] = r.version()
		if index[r.Code] == nil {
			index[r.Code] = map[int]int{}
		}
		index[r.Code][r.Version] = i
	}
	if len(rows) == 0 {
		return out, nil
	}
	var uses []struct {
		ProfileCode    string
		ProfileVersion int
		CycleCode      string
	}
	uq := s.q(ctx).Table("cycle_methodologies AS m").Select("m.profile_code, m.profile_version, c.code AS cycle_code").
		Joins("JOIN cycles c ON c.id = m.cycle_id AND c.ente_id = m.ente_id").
		Where("m.ente_id = ? AND m.profile_version > 0", enteID)
	if code != "" {
		uq = uq.Where("m.profile_code = ?", code)
	}
	if err := uq.Order("c.code").Scan(&uses).Error; err != nil {
		return nil, wrap(err, "list methodology profile uses")
	}
	for _, u := range uses {
		if i, ok := index[u.ProfileCode][u.ProfileVersion]; ok {
			out[i].UsedBy = append(out[i].UsedBy, u.CycleCode)
		}
	}
	return out, nil
}

// CreateEnteProfileVersion stores a new version of an ente-defined profile; a version that already exists
// (a concurrent create) is a *domain.ConflictError.
func (s *Store) CreateEnteProfileVersion(ctx context.Context, enteID string, v EnteProfileVersion, by string) error {
	t := now()
	res := s.q(ctx).Exec(`INSERT INTO methodology_profiles (id, ente_id, code, version, name, profile, revision, created_at, created_by, updated_at, updated_by)
		SELECT ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM methodology_profiles WHERE ente_id = ? AND code = ? AND version = ?)`,
		newID(), enteID, v.Code, v.Version, v.Name, v.Profile, t, by, t, by, enteID, v.Code, v.Version)
	if res.Error != nil {
		return wrap(res.Error, "store methodology profile")
	}
	if res.RowsAffected == 0 {
		return domain.Conflict("version_conflict", "version %d of profile %s was created meanwhile: reload", v.Version, v.Code)
	}
	return nil
}

// UpdateEnteProfileVersion rewrites an unused version in place at the revision the caller read; a stale
// revision is a *domain.ConflictError.
func (s *Store) UpdateEnteProfileVersion(ctx context.Context, enteID string, v EnteProfileVersion, revision int64, by string) error {
	res := s.q(ctx).Model(&methodologyProfileRow{}).
		Where("ente_id = ? AND code = ? AND version = ? AND revision = ?", enteID, v.Code, v.Version, revision).
		Updates(map[string]any{"name": v.Name, "profile": v.Profile, "revision": gorm.Expr("revision + 1"),
			"updated_at": now(), "updated_by": by})
	if res.Error != nil {
		return wrap(res.Error, "update methodology profile")
	}
	if res.RowsAffected == 0 {
		return domain.Conflict("version_conflict", "profile %s version %d was changed by someone else: reload", v.Code, v.Version)
	}
	return nil
}
