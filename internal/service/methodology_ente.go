package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// This file holds the methodology profiles an ente defines itself (issue 17 part 5), their preview on example
// values, and the correction of the wording of a cycle's profile before the RPCT confirms it (issue 13).
//
// Versioning: each save of a profile is a version (1, 2, ...). A version that no cycle uses is rewritten in
// place (at the revision read); once a cycle uses it, it never changes again, and saving adds the next version.
// A cycle keeps a copy of the version it chose (cycle_methodologies), which the adopted snapshot carries.

// EnteProfile is one version of an ente-defined profile as the API shows it.
type EnteProfile struct {
	Code      string         `json:"code"`
	Version   int            `json:"version"`
	Revision  int64          `json:"revision"` // optimistic locking of an unused version edited in place
	Latest    bool           `json:"latest"`
	UsedBy    []string       `json:"used_by"`   // codes of the cycles using this version
	Immutable bool           `json:"immutable"` // used by a cycle: saving creates the next version
	Profile   domain.Profile `json:"profile"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	UpdatedBy string         `json:"updated_by"`
}

// EnteProfileSave is a new profile, or an edit of the latest version of one.
type EnteProfileSave struct {
	Profile  domain.Profile `json:"profile"`
	Version  int            `json:"version"`  // update: the version edited (the latest)
	Revision int64          `json:"revision"` // update: the revision read
}

// EnteProfileSaved is the outcome of a save: the stored version, and whether the save added a version.
type EnteProfileSaved struct {
	EnteProfile
	NewVersion bool `json:"new_version"`
}

// MaxPreviewExamples bounds the example sets of one preview.
const MaxPreviewExamples = 20

// ProfilePreview asks for the levels a (possibly unsaved) profile gives for some example values.
type ProfilePreview struct {
	Profile  domain.Profile          `json:"profile"`
	Examples []domain.ProfileExample `json:"examples"`
}

// PreviewResult is the outcome of one example: the score, or the problems of the example.
type PreviewResult struct {
	Score    *domain.Score       `json:"score,omitempty"`
	Problems []domain.FieldError `json:"problems,omitempty"`
}

// WordingCorrection is the cycle's profile with corrected labels, questions and descriptions.
type WordingCorrection struct {
	Profile domain.Profile `json:"profile"`
	Version int64          `json:"version"` // the methodology version read (0 when nothing is stored yet)
}

func toEnteProfile(v store.EnteProfileVersion, latest bool) (EnteProfile, error) {
	var p domain.Profile
	if err := json.Unmarshal([]byte(v.Profile), &p); err != nil {
		return EnteProfile{}, fmt.Errorf("profile %s version %d: %w", v.Code, v.Version, err)
	}
	p.ProfileVersion = v.Version
	return EnteProfile{Code: v.Code, Version: v.Version, Revision: v.Revision, Latest: latest, UsedBy: v.UsedBy,
		Immutable: len(v.UsedBy) > 0, Profile: p, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, UpdatedBy: v.UpdatedBy}, nil
}

func enteProfiles(versions []store.EnteProfileVersion) ([]EnteProfile, error) {
	out := make([]EnteProfile, 0, len(versions))
	for i, v := range versions {
		latest := i == len(versions)-1 || versions[i+1].Code != v.Code
		p, err := toEnteProfile(v, latest)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// EnteProfiles lists every version of the ente's own profiles, by code and version.
func (m *Methodologies) EnteProfiles(ctx context.Context, actor domain.Actor) ([]EnteProfile, error) {
	if err := m.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	versions, err := m.store.EnteProfileVersions(ctx, actor.EnteID, "")
	if err != nil {
		return nil, err
	}
	return enteProfiles(versions)
}

// EnteProfile lists the versions of one of the ente's profiles; an unknown code is not found.
func (m *Methodologies) EnteProfile(ctx context.Context, actor domain.Actor, code string) ([]EnteProfile, error) {
	if err := m.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	return m.enteProfileVersions(ctx, m.store, actor.EnteID, code)
}

func (m *Methodologies) enteProfileVersions(ctx context.Context, st *store.Store, enteID, code string) ([]EnteProfile, error) {
	versions, err := st.EnteProfileVersions(ctx, enteID, code)
	if err != nil {
		return nil, err
	}
	if len(versions) == 0 {
		return nil, domain.NotFound("profile_not_found", "no methodology profile %s", code)
	}
	return enteProfiles(versions)
}

// normalizeProfile trims what the RPCT typed, so codes and labels compare as they read.
func normalizeProfile(p domain.Profile) domain.Profile {
	p.Code = strings.TrimSpace(p.Code)
	p.Name = strings.TrimSpace(p.Name)
	for _, inds := range [][]domain.Indicator{p.LikelihoodIndicators, p.ImpactIndicators} {
		for i := range inds {
			inds[i].Code = strings.TrimSpace(inds[i].Code)
			inds[i].Name = strings.TrimSpace(inds[i].Name)
			inds[i].Question = strings.TrimSpace(inds[i].Question)
		}
	}
	for i := range p.RiskLevels {
		p.RiskLevels[i].Code = strings.TrimSpace(p.RiskLevels[i].Code)
		p.RiskLevels[i].Label = strings.TrimSpace(p.RiskLevels[i].Label)
	}
	return p
}

// CreateEnteProfile stores version 1 of a new profile of the ente.
func (m *Methodologies) CreateEnteProfile(ctx context.Context, actor domain.Actor, in EnteProfileSave) (EnteProfileSaved, error) {
	if err := m.require(actor, authz.ActWrite); err != nil {
		return EnteProfileSaved{}, err
	}
	p := normalizeProfile(in.Profile)
	p.ProfileVersion = 1
	if err := domain.ValidateEnteProfile(p); err != nil {
		return EnteProfileSaved{}, err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return EnteProfileSaved{}, err
	}
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		existing, err := tx.EnteProfileVersions(ctx, actor.EnteID, p.Code)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return domain.Conflict("profile_exists", "the ente already has a profile %s: edit it instead", p.Code)
		}
		if err := tx.CreateEnteProfileVersion(ctx, actor.EnteID, store.EnteProfileVersion{Code: p.Code, Version: 1,
			Name: p.Name, Profile: string(raw)}, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "methodology_profile", p.Code, "create", nil, p)
	})
	if err != nil {
		return EnteProfileSaved{}, err
	}
	return m.savedVersion(ctx, actor.EnteID, p.Code, 1, true)
}

func (m *Methodologies) savedVersion(ctx context.Context, enteID, code string, version int, added bool) (EnteProfileSaved, error) {
	all, err := m.enteProfileVersions(ctx, m.store, enteID, code)
	if err != nil {
		return EnteProfileSaved{}, err
	}
	for _, v := range all {
		if v.Version == version {
			return EnteProfileSaved{EnteProfile: v, NewVersion: added}, nil
		}
	}
	return EnteProfileSaved{}, domain.NotFound("profile_not_found", "no version %d of profile %s", version, code)
}

// UpdateEnteProfile saves an edit of the latest version of a profile: in place while no cycle uses that
// version, as the next version once one does. Editing an older version is a conflict: the RPCT edits the
// latest one.
func (m *Methodologies) UpdateEnteProfile(ctx context.Context, actor domain.Actor, code string, in EnteProfileSave) (EnteProfileSaved, error) {
	if err := m.require(actor, authz.ActWrite); err != nil {
		return EnteProfileSaved{}, err
	}
	versions, err := m.enteProfileVersions(ctx, m.store, actor.EnteID, code)
	if err != nil {
		return EnteProfileSaved{}, err
	}
	latest := versions[len(versions)-1]
	if in.Version != latest.Version {
		return EnteProfileSaved{}, &domain.ConflictError{Code: "version_conflict", CurrentVersion: int64(latest.Version),
			Message: fmt.Sprintf("profile %s is at version %d: edit the latest version", code, latest.Version)}
	}
	p := normalizeProfile(in.Profile)
	if p.Code != code {
		return EnteProfileSaved{}, &domain.ValidationError{Code: "profile_invalid", Problems: []domain.FieldError{
			{Field: "profile.code", Code: "code_changed", Message: "a profile's code cannot change: create a new profile instead"}}}
	}
	target := latest.Version
	if latest.Immutable {
		target = latest.Version + 1
	}
	p.ProfileVersion = target
	if err := domain.ValidateEnteProfile(p); err != nil {
		return EnteProfileSaved{}, err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return EnteProfileSaved{}, err
	}
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		v := store.EnteProfileVersion{Code: code, Version: target, Name: p.Name, Profile: string(raw)}
		if latest.Immutable {
			if err := tx.CreateEnteProfileVersion(ctx, actor.EnteID, v, actor.UserID); err != nil {
				return err
			}
			return record(ctx, tx, actor, "methodology_profile", code, "new_version", latest.Profile, p)
		}
		if err := tx.UpdateEnteProfileVersion(ctx, actor.EnteID, v, in.Revision, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "methodology_profile", code, "update", latest.Profile, p)
	})
	if err != nil {
		return EnteProfileSaved{}, err
	}
	return m.savedVersion(ctx, actor.EnteID, code, target, latest.Immutable)
}

// Preview validates a profile as an ente definition and computes the level it gives for each example. An
// invalid profile is the profile's *ValidationError; an invalid example is reported in its result.
func (m *Methodologies) Preview(ctx context.Context, actor domain.Actor, in ProfilePreview) ([]PreviewResult, error) {
	if err := m.require(actor, authz.ActRead); err != nil {
		return nil, err
	}
	var problems []domain.FieldError
	if len(in.Examples) == 0 {
		problems = append(problems, domain.FieldError{Field: "examples", Code: "required", Message: "give at least one example"})
	}
	if len(in.Examples) > MaxPreviewExamples {
		problems = append(problems, domain.FieldError{Field: "examples", Code: "too_many",
			Message: fmt.Sprintf("at most %d examples, got %d", MaxPreviewExamples, len(in.Examples))})
	}
	p := normalizeProfile(in.Profile)
	if _, shipped := domain.ProfileByCode(p.Code); shipped {
		if err := p.Validate(); err != nil {
			return nil, prefixProblems(err, "profile.")
		}
	} else if err := domain.ValidateEnteProfile(p); err != nil {
		return nil, prefixProblems(err, "profile.")
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "preview_invalid", Problems: problems}
	}
	out := make([]PreviewResult, len(in.Examples))
	for i, ex := range in.Examples {
		s, err := p.Preview(ex)
		if ve, ok := err.(*domain.ValidationError); ok {
			out[i].Problems = ve.Problems
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i].Score = &s
	}
	return out, nil
}

func prefixProblems(err error, prefix string) error {
	ve, ok := err.(*domain.ValidationError)
	if !ok {
		return err
	}
	for i := range ve.Problems {
		ve.Problems[i].Field = prefix + ve.Problems[i].Field
	}
	return ve
}

// CorrectWording replaces the wording of the cycle's profile (labels, questions, descriptions, never the rules)
// while the RPCT has not confirmed the methodology of the open cycle. Once confirmed it is a conflict: the RPCT
// then chooses a profile (or a new version of the ente's own) instead.
func (m *Methodologies) CorrectWording(ctx context.Context, actor domain.Actor, cycleCode string, in WordingCorrection) (Methodology, error) {
	if err := m.require(actor, authz.ActWrite); err != nil {
		return Methodology{}, err
	}
	cycle, err := m.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return Methodology{}, err
	}
	if cycle.State != domain.CycleOpen {
		return Methodology{}, domain.Conflict("cycle_not_open", "cycle %s is %s: its methodology can no longer change", cycle.Code, cycle.State)
	}
	before, err := m.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return Methodology{}, err
	}
	if before.Chosen {
		return Methodology{}, domain.Conflict("methodology_confirmed",
			"the methodology of cycle %s is confirmed: its wording can no longer be corrected", cycle.Code)
	}
	p := normalizeProfile(in.Profile)
	if err := domain.SameRules(before.Profile, p); err != nil {
		return Methodology{}, prefixProblems(err, "profile.")
	}
	if err := p.Validate(); err != nil {
		return Methodology{}, prefixProblems(err, "profile.")
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return Methodology{}, err
	}
	err = m.store.WithTx(ctx, func(tx *store.Store) error {
		if _, err := tx.SetCycleMethodology(ctx, actor.EnteID, cycle.ID, store.CycleMethodology{ProfileCode: p.Code,
			Profile: string(raw), ProfileVersion: p.ProfileVersion, Unconfirmed: true}, in.Version, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "methodology", cycle.Code, "correct_wording", before.Profile, p)
	})
	if err != nil {
		return Methodology{}, err
	}
	return m.load(ctx, actor.EnteID, cycle)
}

// chosenProfile resolves the profile a choice names: the cycle's own unconfirmed copy when it names the same
// profile (so corrected wording survives the confirmation), a shipped profile, or a version of the ente's own
// (the latest when the choice names none).
func (m *Methodologies) chosenProfile(ctx context.Context, enteID string, before Methodology, hasRow bool, in MethodologyChoice) (domain.Profile, error) {
	if hasRow && !before.Chosen && before.Profile.Code == in.ProfileCode &&
		(in.ProfileVersion == 0 || in.ProfileVersion == before.Profile.ProfileVersion) {
		return before.Profile, nil
	}
	if p, ok := domain.ProfileByCode(in.ProfileCode); ok {
		return p, nil
	}
	unknown := &domain.ValidationError{Code: "methodology_invalid", Problems: []domain.FieldError{
		{Field: "profile_code", Code: "profile_unknown", Message: "unknown profile " + in.ProfileCode}}}
	if strings.TrimSpace(in.ProfileCode) == "" {
		return domain.Profile{}, unknown
	}
	versions, err := m.store.EnteProfileVersions(ctx, enteID, in.ProfileCode)
	if err != nil {
		return domain.Profile{}, err
	}
	if len(versions) == 0 {
		return domain.Profile{}, unknown
	}
	pick := versions[len(versions)-1]
	if in.ProfileVersion != 0 {
		found := false
		for _, v := range versions {
			if v.Version == in.ProfileVersion {
				pick, found = v, true
			}
		}
		if !found {
			return domain.Profile{}, &domain.ValidationError{Code: "methodology_invalid", Problems: []domain.FieldError{
				{Field: "profile_version", Code: "version_unknown", Message: fmt.Sprintf("profile %s has no version %d", in.ProfileCode, in.ProfileVersion)}}}
		}
	}
	if in.ImpactAggregation != "" || len(in.Bands) > 0 {
		return domain.Profile{}, &domain.ValidationError{Code: "methodology_invalid", Problems: []domain.FieldError{
			{Field: "bands", Code: "adjust_not_allowed", Message: "the ente's own profiles are adjusted by editing them, which adds a version"}}}
	}
	ep, err := toEnteProfile(pick, false)
	if err != nil {
		return domain.Profile{}, err
	}
	return ep.Profile, nil
}
