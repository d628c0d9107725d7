package service

import (
	"context"
	"strconv"

	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/store"
)

// ApplyCatalogueReleases brings every ente whose recorded release of the shipped starter catalogue is older than
// seed.CatalogueRelease up to date: the entries it lacks are added (new risk events arrive as drafts to
// validate), general measures not yet linked get their enabling factors, and nothing the RPCT changed is
// touched. Each ente's update is one transaction, audited ("catalogue", "apply_release"). It returns the number
// of risk events added per ente id. Shipped migrations never carry catalogue content: this does.
func (c *Catalogues) ApplyCatalogueReleases(ctx context.Context) (map[string]int64, error) {
	releases, err := c.store.CatalogueReleases(ctx)
	if err != nil {
		return nil, err
	}
	cat, err := seed.StarterCatalogue()
	if err != nil {
		return nil, err
	}
	added := map[string]int64{}
	for enteID, release := range releases {
		if release >= seed.CatalogueRelease {
			continue
		}
		err := c.store.WithTx(ctx, func(tx *store.Store) error {
			events, err := tx.AddMissingCatalogue(ctx, enteID, cat)
			if err != nil {
				return err
			}
			linked, err := tx.LinkGeneralMeasureFactors(ctx, enteID, cat)
			if err != nil {
				return err
			}
			if err := tx.MarkCatalogueRelease(ctx, enteID, seed.CatalogueRelease); err != nil {
				return err
			}
			added[enteID] = events
			return record(ctx, tx, operator(enteID), "catalogue", "release-"+strconv.Itoa(seed.CatalogueRelease), "apply_release",
				map[string]any{"release": release}, map[string]any{"release": seed.CatalogueRelease, "risk_events_added": events,
					"general_measures_linked": linked})
		})
		if err != nil {
			return added, err
		}
	}
	return added, nil
}
