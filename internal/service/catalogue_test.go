package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

func actorWith(tn service.Tenant, id string, grants ...domain.Grant) domain.Actor {
	return domain.Actor{UserID: id + "-" + tn.EnteCode, EnteID: tn.EnteID, EnteCode: tn.EnteCode, Grants: grants, GrantsVersion: 1}
}

func TestCatalogues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		cats := service.NewCatalogues(f.store, f.authz)
		a, b := f.tenant(t, "ente-a"), f.tenant(t, "ente-b")
		added, err := cats.EnsureStarter(ctx, a.EnteID)
		if err != nil || added < 39 {
			t.Fatalf("starter: %d %v", added, err)
		}
		if again, err := cats.EnsureStarter(ctx, a.EnteID); err != nil || again != 0 {
			t.Fatalf("second EnsureStarter added %d (%v)", again, err)
		}
		rpct := actorWith(a, "rpct", domain.Grant{Role: domain.RoleRPCT})
		dir := actorWith(a, "dir", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})
		admin := actorWith(a, "admin", domain.Grant{Role: domain.RoleAdmin})

		all, err := cats.RiskEvents(ctx, dir, store.RiskEventFilter{})
		if err != nil || int64(len(all)) != added {
			t.Fatalf("list: %d %v", len(all), err)
		}
		bbis, _ := cats.RiskEvents(ctx, dir, store.RiskEventFilter{Area: "B-bis"})
		for _, e := range bbis {
			found := false
			for _, ar := range e.RiskAreas {
				found = found || ar == "B-bis"
			}
			if !found {
				t.Fatalf("area filter returned %+v", e)
			}
		}
		if len(bbis) < 3 {
			t.Fatalf("B-bis events: %d", len(bbis))
		}
		if got, _ := cats.RiskEvents(ctx, dir, store.RiskEventFilter{Area: "B"}); len(got) == 0 || len(got) == len(all) {
			t.Fatalf("area B must not match B-bis only by prefix: %d", len(got))
		}

		ev := domain.RiskEvent{Code: "er-x-01", Description: "Il funzionario altera la graduatoria dei contributi", RiskAreas: []string{"D"}}
		if _, err := cats.CreateRiskEvent(ctx, dir, ev); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director creates catalogue entries: %v", err)
		}
		if _, err := cats.CreateRiskEvent(ctx, admin, ev); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("the technical administrator creates catalogue entries: %v", err)
		}
		created, err := cats.CreateRiskEvent(ctx, rpct, ev)
		if err != nil || created.Code != "ER-X-01" || created.Version != 1 || created.Source != "ENTE" {
			t.Fatalf("create: %+v %v", created, err)
		}
		if _, err := cats.CreateRiskEvent(ctx, rpct, ev); domain.CodeOf(err) != "risk_event_exists" {
			t.Fatalf("duplicate: %v", err)
		}
		var ve *domain.ValidationError
		if _, err := cats.CreateRiskEvent(ctx, rpct, domain.RiskEvent{Code: "??", Description: "corto", RiskAreas: []string{"Z"}}); !errors.As(err, &ve) || len(ve.Problems) < 3 {
			t.Fatalf("invalid event: %v", err)
		}

		// The RPCT validates a starter event; a stale second write is refused with the current version.
		first := all[0]
		first.ToValidate = false
		updated, err := cats.UpdateRiskEvent(ctx, rpct, first.Code, first, first.Version)
		if err != nil || updated.ToValidate || updated.Version != first.Version+1 {
			t.Fatalf("validate event: %+v %v", updated, err)
		}
		var ce *domain.ConflictError
		if _, err := cats.UpdateRiskEvent(ctx, rpct, first.Code, first, first.Version); !errors.As(err, &ce) || ce.CurrentVersion != updated.Version {
			t.Fatalf("stale update: %v", err)
		}
		// Re-seeding keeps the RPCT's change.
		cats.EnsureStarter(ctx, a.EnteID)
		again, _ := cats.RiskEvents(ctx, rpct, store.RiskEventFilter{Text: first.Code})
		if len(again) != 1 || again[0].ToValidate {
			t.Fatalf("re-seeding changed the RPCT's edit: %+v", again)
		}

		// Another ente has its own catalogue.
		other := actorWith(b, "rpct", domain.Grant{Role: domain.RoleRPCT})
		if got, _ := cats.RiskEvents(ctx, other, store.RiskEventFilter{}); len(got) != 0 {
			t.Fatalf("ente-b sees %d events of ente-a", len(got))
		}
		if _, err := cats.UpdateRiskEvent(ctx, other, "ER-X-01", ev, 1); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("ente-b updates ente-a's event: %v", err)
		}
		types, _ := cats.MeasureTypes(ctx, dir)
		generals, _ := cats.GeneralMeasures(ctx, dir)
		factors, _ := cats.EnablingFactors(ctx, dir)
		if len(types) != 11 || len(generals) != 15 || len(factors) != 8 {
			t.Fatalf("types %d generals %d factors %d", len(types), len(generals), len(factors))
		}
		if _, err := cats.CreateEnablingFactor(ctx, rpct, domain.EnablingFactor{Code: "FA-ENTE-1", Description: "Mancanza di strumenti informatici adeguati"}); err != nil {
			t.Fatal(err)
		}
		if factors, _ := cats.EnablingFactors(ctx, dir); len(factors) != 9 {
			t.Fatalf("factors after adding one: %d", len(factors))
		}
	})
}

func TestMethodologyChoice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		meths := service.NewMethodologies(f.store, f.authz)
		tn := f.tenant(t, "ente-a")
		f.mustImport(t, tn, "2026-2028", dbtest.SmallMap())
		rpct := actorWith(tn, "rpct", domain.Grant{Role: domain.RoleRPCT})
		dir := actorWith(tn, "dir", domain.Grant{Role: domain.RoleDirector, UnitCode: "AD1"})

		m, err := meths.ForCycle(ctx, dir, "2026-2028")
		if err != nil || m.Profile.Code != "pna2019" || m.Chosen || m.Version != 0 {
			t.Fatalf("default: %+v %v", m, err)
		}
		if _, err := meths.Choose(ctx, dir, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2013-max"}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director chooses the methodology: %v", err)
		}
		m, err = meths.Choose(ctx, rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2013-max"})
		if err != nil || !m.Chosen || m.Version != 1 || m.Profile.ImpactAggregation != "max" {
			t.Fatalf("choose: %+v %v", m, err)
		}
		var ce *domain.ConflictError
		if _, err := meths.Choose(ctx, rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2019"}); !errors.As(err, &ce) || ce.CurrentVersion != 1 {
			t.Fatalf("a second first choice must conflict: %v", err)
		}
		bands := []domain.Band{{Min: 0, Max: 4, Level: "basso"}, {Min: 4, Max: 10, Level: "medio"}, {Min: 10, Max: 25, Level: "alto"}}
		m, err = meths.Choose(ctx, rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2013-mean", Version: 1, Bands: bands})
		if err != nil || m.Version != 2 || m.Profile.Bands[1].Min != 4 {
			t.Fatalf("custom bands: %+v %v", m, err)
		}
		var ve *domain.ValidationError
		if _, err := meths.Choose(ctx, rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2013-mean", Version: 2,
			Bands: []domain.Band{{Min: 0, Max: 4, Level: "basso"}, {Min: 5, Max: 25, Level: "alto"}}}); !errors.As(err, &ve) {
			t.Fatalf("a gap in the bands: %v", err)
		}
		if _, err := meths.Choose(ctx, rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2099", Version: 2}); !errors.As(err, &ve) {
			t.Fatalf("unknown profile: %v", err)
		}
		// Scoring with the cycle's (custom) methodology: P answers 1,2,1,1,1,1 (mean 7/6), I 5,5,5,5 → 5.83: medio.
		j := domain.Judgement{Reason: "Motivazione complessiva sufficientemente lunga"}
		for code, v := range map[string]int{"P1": 1, "P2": 2, "P3": 1, "P4": 1, "P5": 1, "P6": 1, "I1": 5, "I2": 5, "I3": 5, "I4": 5} {
			j.Values = append(j.Values, domain.IndicatorValue{Code: code, Value: v, Reason: "motivazione dell'indicatore"})
		}
		s, err := meths.Score(ctx, dir, "2026-2028", j)
		if err != nil || s.Level != "medio" {
			t.Fatalf("score: %+v %v", s, err)
		}
		if _, err := meths.ForCycle(ctx, actorWith(f.tenant(t, "ente-b"), "x", domain.Grant{Role: domain.RoleRPCT}), "2026-2028"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("another ente reads the cycle's methodology: %v", err)
		}
	})
}
