package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/seed"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// enteProfile is a qualitative profile of the ente's own: 4-level scales, likelihood by mode, impact by max.
func enteProfile(name string) domain.Profile {
	scale := func(prefix string) []domain.ScaleLevel {
		return []domain.ScaleLevel{{Value: 1, Label: prefix + " minima"}, {Value: 2, Label: prefix + " bassa"},
			{Value: 3, Label: prefix + " media"}, {Value: 4, Label: prefix + " alta"}}
	}
	ind := func(code string) domain.Indicator {
		return domain.Indicator{Code: code, Name: "Indicatore " + code, Question: "Domanda " + code + "?", Levels: scale("risposta")}
	}
	return domain.Profile{
		Code: "ente-4x4", Name: name, Kind: domain.ProfileKindQualitative,
		LikelihoodIndicators:  []domain.Indicator{ind("P-A"), ind("P-B"), ind("P-C")},
		ImpactIndicators:      []domain.Indicator{ind("I-A"), ind("I-B")},
		LikelihoodAggregation: domain.AggregationMode, ImpactAggregation: domain.AggregationMax,
		LikelihoodScale: scale("probabilità"), ImpactScale: scale("gravità"),
		RiskLevels: []domain.RiskLevel{{Code: "basso", Label: "Basso", Rank: 1}, {Code: "medio", Label: "Medio", Rank: 2}, {Code: "alto", Label: "Alto", Rank: 3}},
		Matrix: [][]string{
			{"basso", "basso", "basso", "medio"},
			{"basso", "basso", "medio", "medio"},
			{"basso", "medio", "medio", "alto"},
			{"medio", "medio", "alto", "alto"},
		},
		IndicatorReasonRequired: true,
	}
}

func auditRecordsOf(t *testing.T, st *store.Store, enteID, entity, action string) int64 {
	t.Helper()
	_, n, err := st.AuditPage(context.Background(), enteID, store.AuditFilter{Entity: entity, Action: action}, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEnteDefinedMethodologyIsVersionedWithTheCycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		m := x.meths

		if _, err := m.CreateEnteProfile(ctx, x.dir1, service.EnteProfileSave{Profile: enteProfile("Profilo 4×4")}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director defines a profile: %v", err)
		}
		broken := enteProfile("Profilo 4×4")
		broken.Matrix[3][3] = "medio" // lower than alto at [3][2] and [2][3]
		var ve *domain.ValidationError
		if _, err := m.CreateEnteProfile(ctx, x.rpct, service.EnteProfileSave{Profile: broken}); !errors.As(err, &ve) || ve.Problems[0].Field != "matrix[3][3]" {
			t.Fatalf("non-monotone matrix: %v", err)
		}
		created, err := m.CreateEnteProfile(ctx, x.rpct, service.EnteProfileSave{Profile: enteProfile("Profilo 4×4")})
		if err != nil || created.Version != 1 || created.Revision != 1 || created.Immutable || !created.NewVersion || created.Profile.ProfileVersion != 1 {
			t.Fatalf("create: %+v %v", created, err)
		}
		if _, err := m.CreateEnteProfile(ctx, x.rpct, service.EnteProfileSave{Profile: enteProfile("Doppione")}); domain.CodeOf(err) != "profile_exists" {
			t.Fatalf("second profile with the same code: %v", err)
		}
		// Unused: edited in place, at the revision read.
		edited, err := m.UpdateEnteProfile(ctx, x.rpct, "ente-4x4", service.EnteProfileSave{Profile: enteProfile("Profilo 4×4 (rivisto)"), Version: 1, Revision: 1})
		if err != nil || edited.Version != 1 || edited.Revision != 2 || edited.NewVersion {
			t.Fatalf("edit in place: %+v %v", edited, err)
		}
		if _, err := m.UpdateEnteProfile(ctx, x.rpct, "ente-4x4", service.EnteProfileSave{Profile: enteProfile("Stantio"), Version: 1, Revision: 1}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale revision: %v", err)
		}

		// The cycle chooses it: the cycle holds version 1, and version 1 becomes immutable.
		meth, err := m.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "ente-4x4"})
		if err != nil || !meth.Chosen || meth.Profile.Code != "ente-4x4" || meth.Profile.ProfileVersion != 1 || meth.Profile.Name != "Profilo 4×4 (rivisto)" {
			t.Fatalf("choose: %+v %v", meth, err)
		}
		next := enteProfile("Profilo 4×4 v2")
		next.ImpactAggregation = domain.AggregationMean
		v2, err := m.UpdateEnteProfile(ctx, x.rpct, "ente-4x4", service.EnteProfileSave{Profile: next, Version: 1, Revision: 2})
		if err != nil || v2.Version != 2 || !v2.NewVersion || v2.Profile.ImpactAggregation != domain.AggregationMean {
			t.Fatalf("edit of a used version: %+v %v", v2, err)
		}
		var ce *domain.ConflictError
		if _, err := m.UpdateEnteProfile(ctx, x.rpct, "ente-4x4", service.EnteProfileSave{Profile: next, Version: 1, Revision: 2}); !errors.As(err, &ce) || ce.CurrentVersion != 2 {
			t.Fatalf("editing an older version: %v", err)
		}
		versions, err := m.EnteProfile(ctx, x.oiv, "ente-4x4")
		if err != nil || len(versions) != 2 || !versions[0].Immutable || strings.Join(versions[0].UsedBy, ",") != "2026-2028" ||
			versions[0].Profile.ImpactAggregation != domain.AggregationMax || versions[1].Immutable || !versions[1].Latest {
			t.Fatalf("versions: %+v %v", versions, err)
		}
		meth, _ = m.ForCycle(ctx, x.dir1, "2026-2028")
		if meth.Profile.ProfileVersion != 1 || meth.Profile.ImpactAggregation != domain.AggregationMax {
			t.Fatalf("the cycle moved to another version: %+v", meth.Profile)
		}
		choosable, err := m.Profiles(ctx, x.dir1)
		if err != nil || len(choosable) != len(domain.ShippedProfiles())+1 || choosable[len(choosable)-1].ProfileVersion != 2 {
			t.Fatalf("profiles: %d %v", len(choosable), err)
		}
		if _, err := m.EnteProfile(ctx, actorWith(f2(t, x), "x", domain.Grant{Role: domain.RoleRPCT}), "ente-4x4"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("another ente reads the profile: %v", err)
		}

		// Scoring with the cycle's version: likelihood mode(2,2,4)=2, impact max(1,4)=4 → matrix[1][3] = medio.
		j := domain.Judgement{Reason: "Motivazione complessiva sufficientemente lunga"}
		for code, v := range map[string]int{"P-A": 2, "P-B": 2, "P-C": 4, "I-A": 1, "I-B": 4} {
			j.Values = append(j.Values, domain.IndicatorValue{Code: code, Value: v, Reason: "motivazione dell'indicatore"})
		}
		if s, err := m.Score(ctx, x.dir1, "2026-2028", j); err != nil || s.Level != "medio" || s.Cell != [2]int{2, 4} {
			t.Fatalf("score: %+v %v", s, err)
		}
		// Preview of the unsaved next version: impact by mean rounds (1+4)/2 = 2.5 up to 3 → matrix[1][2] = medio;
		// and an example with a value off the scale reports it by indicator code.
		results, err := m.Preview(ctx, x.rpct, service.ProfilePreview{Profile: next, Examples: []domain.ProfileExample{
			{Values: map[string]int{"P-A": 2, "P-B": 2, "P-C": 4, "I-A": 1, "I-B": 4}},
			{Values: map[string]int{"P-A": 4, "P-B": 4, "P-C": 4, "I-A": 4, "I-B": 4}},
			{Values: map[string]int{"P-A": 5, "P-B": 2, "P-C": 4, "I-A": 1, "I-B": 4}},
		}})
		if err != nil || len(results) != 3 || results[0].Score.Impact != 3 || results[0].Score.Level != "medio" ||
			results[1].Score.Level != "alto" || results[2].Score != nil || results[2].Problems[0].Field != "values.P-A" {
			t.Fatalf("preview: %+v %v", results, err)
		}
		if _, err := m.Preview(ctx, x.rpct, service.ProfilePreview{Profile: broken, Examples: []domain.ProfileExample{{}}}); !errors.As(err, &ve) ||
			ve.Problems[0].Field != "profile.matrix[3][3]" {
			t.Fatalf("preview of an invalid profile: %v", err)
		}

		// The adopted snapshot keeps the profile and its version; the next cycle starts from the same version.
		cycles := service.NewCycles(x.store, x.authz, x.reg, x.maps)
		if _, err := cycles.ExcludeMany(ctx, x.rpct, "2026-2028", []string{"A1.1.1.1", "A1.1.1.2", "B2.1 BIS", "B2.2.1.1"}, "Processi non attivi nel triennio"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Consolidate(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatal(err)
		}
		if _, err := cycles.Adopt(ctx, x.rpct, "2026-2028", service.AdoptionInput{Number: "12", Date: "2027-01-28"}); err != nil {
			t.Fatal(err)
		}
		snap, err := cycles.Snapshot(ctx, x.oiv, "2026-2028")
		if err != nil || !strings.Contains(snap.Content, `"code":"ente-4x4"`) || !strings.Contains(snap.Content, `"profile_version":1`) {
			t.Fatalf("snapshot: %v %.300s", err, snap.Content)
		}
		if _, err := cycles.Revision(ctx, x.rpct, "2026-2028"); err != nil {
			t.Fatal(err)
		}
		if meth, err := m.ForCycle(ctx, x.oiv, "2026-2028-r1"); err != nil || meth.Profile.ProfileVersion != 1 || meth.Profile.Code != "ente-4x4" {
			t.Fatalf("revision's methodology: %+v %v", meth.Profile, err)
		}
		if versions, _ := m.EnteProfile(ctx, x.oiv, "ente-4x4"); strings.Join(versions[0].UsedBy, ",") != "2026-2028,2026-2028-r1" {
			t.Fatalf("uses of version 1: %v", versions[0].UsedBy)
		}
		for action, want := range map[string]int64{"create": 1, "update": 1, "new_version": 1} {
			if n := auditRecordsOf(t, x.store, x.tn.EnteID, "methodology_profile", action); n != want {
				t.Errorf("audit %s: %d, want %d", action, n, want)
			}
		}
	})
}

// f2 is a second ente of the fixture's database.
func f2(t *testing.T, x registerFixture) service.Tenant { return x.tenant(t, "ente-b") }

func TestWordingCorrectionBeforeConfirmation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		m := x.meths
		meth, err := m.ForCycle(ctx, x.rpct, "2026-2028")
		if err != nil || meth.Chosen {
			t.Fatalf("default: %+v %v", meth, err)
		}
		reworded := meth.Profile
		reworded.LikelihoodIndicators = append([]domain.Indicator(nil), meth.Profile.LikelihoodIndicators...)
		reworded.LikelihoodIndicators[0].Question = "Il processo attribuisce vantaggi rilevanti a soggetti esterni?"
		reworded.RiskLevels = append([]domain.RiskLevel(nil), meth.Profile.RiskLevels...)
		reworded.RiskLevels[2].Label = "Elevato"
		if _, err := m.CorrectWording(ctx, x.dir1, "2026-2028", service.WordingCorrection{Profile: reworded}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director corrects the wording: %v", err)
		}
		rule := reworded
		rule.LikelihoodAggregation = domain.AggregationMean
		var ve *domain.ValidationError
		if _, err := m.CorrectWording(ctx, x.rpct, "2026-2028", service.WordingCorrection{Profile: rule}); !errors.As(err, &ve) ||
			ve.Problems[0].Field != "profile.likelihood_aggregation" || ve.Problems[0].Code != "rule_changed" {
			t.Fatalf("a rule changed as wording: %v", err)
		}
		got, err := m.CorrectWording(ctx, x.rpct, "2026-2028", service.WordingCorrection{Profile: reworded})
		if err != nil || got.Chosen || got.Version != 1 || got.Profile.RiskLevels[2].Label != "Elevato" {
			t.Fatalf("correction: %+v %v", got, err)
		}
		if _, err := m.CorrectWording(ctx, x.rpct, "2026-2028", service.WordingCorrection{Profile: reworded, Version: 0}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale version: %v", err)
		}
		// Confirming the same profile keeps the corrected wording; after that the wording is closed (409).
		confirmed, err := m.Choose(ctx, x.rpct, "2026-2028", service.MethodologyChoice{ProfileCode: "pna2019", Version: 1})
		if err != nil || !confirmed.Chosen || confirmed.Profile.LikelihoodIndicators[0].Question != reworded.LikelihoodIndicators[0].Question {
			t.Fatalf("confirm: %+v %v", confirmed, err)
		}
		if _, err := m.CorrectWording(ctx, x.rpct, "2026-2028", service.WordingCorrection{Profile: reworded, Version: confirmed.Version}); domain.CodeOf(err) != "methodology_confirmed" || !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("wording after confirmation: %v", err)
		}
		if n := auditRecordsOf(t, x.store, x.tn.EnteID, "methodology", "correct_wording"); n != 1 {
			t.Fatalf("audit records: %d", n)
		}
	})
}

func TestCatalogueReleaseReachesExistingEntes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f, ctx := newFixture(db), context.Background()
		cats := service.NewCatalogues(f.store, f.authz)
		fresh, old := f.tenant(t, "ente-nuovo"), f.tenant(t, "ente-vecchio")
		if _, err := cats.EnsureStarter(ctx, fresh.EnteID); err != nil {
			t.Fatal(err)
		}
		// The older ente holds release 1: the first events, no measure↔factor links, no release recorded.
		cat, err := seedCatalogueRelease1()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.AddMissingCatalogue(ctx, old.EnteID, cat); err != nil {
			t.Fatal(err)
		}
		rpct := actorWith(old, "rpct", domain.Grant{Role: domain.RoleRPCT})
		before, _ := cats.RiskEvents(ctx, rpct, store.RiskEventFilter{})
		edited := before[0]
		edited.Description = "Descrizione riscritta dal RPCT dell'ente, da conservare"
		edited.ToValidate = false
		if _, err := cats.UpdateRiskEvent(ctx, rpct, edited.Code, edited, edited.Version); err != nil {
			t.Fatal(err)
		}

		added, err := cats.ApplyCatalogueReleases(ctx)
		if err != nil || len(added) != 1 || added[old.EnteID] != 12 {
			t.Fatalf("apply: %v %v", added, err)
		}
		after, _ := cats.RiskEvents(ctx, rpct, store.RiskEventFilter{Area: "B-bis"})
		codes := map[string]domain.RiskEvent{}
		for _, e := range after {
			codes[e.Code] = e
		}
		if e, ok := codes["ER-BBIS-06"]; !ok || !e.ToValidate || codes["ER-B-08"].Code == "" {
			t.Fatalf("new events for B-bis: %v", codes)
		}
		kept, _ := cats.RiskEvents(ctx, rpct, store.RiskEventFilter{Text: "riscritta dal RPCT"})
		if len(kept) != 1 || kept[0].ToValidate {
			t.Fatalf("the RPCT's edit was overwritten: %+v", kept)
		}
		generals, err := cats.GeneralMeasures(ctx, rpct)
		if err != nil || len(generals) != 15 || strings.Join(generals[2].EnablingFactors, ",") != "FA-d" {
			t.Fatalf("general measures: %+v %v", generals, err)
		}
		if again, err := cats.ApplyCatalogueReleases(ctx); err != nil || len(again) != 0 {
			t.Fatalf("second run: %v %v", again, err)
		}
		if n := auditRecordsOf(t, f.store, old.EnteID, "catalogue", "apply_release"); n != 1 {
			t.Fatalf("audit of the release: %d", n)
		}
		if n := auditRecordsOf(t, f.store, fresh.EnteID, "catalogue", "apply_release"); n != 0 {
			t.Fatalf("an ente created with the current release was updated again: %d", n)
		}
	})
}

// seedCatalogueRelease1 is the shipped catalogue as release 1 had it: without the events release 2 added and
// without the links of general measures to enabling factors.
func seedCatalogueRelease1() (domain.Catalogue, error) {
	cat, err := seed.StarterCatalogue()
	if err != nil {
		return cat, err
	}
	var events []domain.RiskEvent
	for _, e := range cat.RiskEvents {
		switch e.Source {
		case "DLGS231_2007", "DLGS36_2023", "PNRR":
		default:
			events = append(events, e)
		}
	}
	cat.RiskEvents = events
	for i := range cat.GeneralMeasures {
		cat.GeneralMeasures[i].EnablingFactors = nil
	}
	return cat, nil
}
