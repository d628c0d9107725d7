package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/argine-pa/argine/internal/domain"
)

type catalogueReleaseRow struct {
	EnteID    string
	Release   int
	AppliedAt time.Time
}

func (catalogueReleaseRow) TableName() string { return "catalogue_releases" }

// CatalogueReleases returns, for every ente, the highest release of the shipped catalogue it received (0 when
// none is recorded: an ente created before releases were tracked). One query.
func (s *Store) CatalogueReleases(ctx context.Context) (map[string]int, error) {
	var entes []struct {
		ID      string
		Release int
	}
	err := s.q(ctx).Table("entes AS e").Select("e.id, COALESCE(MAX(r.release), 0) AS release").
		Joins("LEFT JOIN catalogue_releases r ON r.ente_id = e.id").Group("e.id").Scan(&entes).Error
	if err != nil {
		return nil, wrap(err, "list catalogue releases")
	}
	out := make(map[string]int, len(entes))
	for _, e := range entes {
		out[e.ID] = e.Release
	}
	return out, nil
}

// MarkCatalogueRelease records that the ente received the given release (idempotent).
func (s *Store) MarkCatalogueRelease(ctx context.Context, enteID string, release int) error {
	res := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&catalogueReleaseRow{EnteID: enteID, Release: release, AppliedAt: now()})
	return wrap(res.Error, "record catalogue release")
}

// LinkGeneralMeasureFactors sets the enabling factors of the ente's general measures that have none yet, from
// cat; measures already linked, or whose links the RPCT edited (version above 1, even to none), are left as
// they are. It returns how many measures it linked.
func (s *Store) LinkGeneralMeasureFactors(ctx context.Context, enteID string, cat domain.Catalogue) (int64, error) {
	var linked int64
	for _, g := range cat.GeneralMeasures {
		if len(g.EnablingFactors) == 0 {
			continue
		}
		res := s.q(ctx).Model(&generalMeasureRow{}).Where("ente_id = ? AND code = ? AND enabling_factors = '' AND version = 1", enteID, g.Code).
			Update("enabling_factors", strings.Join(g.EnablingFactors, ";"))
		if res.Error != nil {
			return linked, wrap(res.Error, "link general measure %s to its enabling factors", g.Code)
		}
		linked += res.RowsAffected
	}
	return linked, nil
}
