package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
	"github.com/argine-pa/argine/internal/titlematch"
)

// SetGranularity chooses the level the cycle's campaign assesses (leaf or process). It is a choice made before
// the campaign: once an assessment, an exclusion or an undecided roll-forward review hangs off the current
// leaves it is a conflict. `version` is the cycle's version as last read.
func (c *Cycles) SetGranularity(ctx context.Context, actor domain.Actor, cycleCode string, g domain.Granularity, version int) (*domain.Cycle, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	if !g.Valid() {
		return nil, &domain.ValidationError{Code: "granularity_invalid", Problems: []domain.FieldError{{Field: "granularity",
			Code: "invalid", Message: fmt.Sprintf("granularity must be %q or %q", domain.GranularityLeaf, domain.GranularityProcess)}}}
	}
	err := c.store.WithTx(ctx, func(tx *store.Store) error {
		cycle, err := tx.LockCycle(ctx, actor.EnteID, cycleCode)
		if err != nil {
			return err
		}
		if cycle.State != domain.CycleOpen {
			return domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
		}
		if cycle.Granularity == g {
			return nil
		}
		if has, err := tx.CycleHasLeafData(ctx, actor.EnteID, cycle.ID); err != nil || has {
			if err == nil {
				err = domain.Conflict("cycle_has_assessments",
					"cycle %s already has assessments or exclusions: the assessed level is chosen before the campaign", cycle.Code)
			}
			return err
		}
		if err := tx.SetCycleGranularity(ctx, actor.EnteID, cycle.ID, g, version); err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", cycle.Code, "granularity",
			map[string]any{"granularity": cycle.Granularity}, map[string]any{"granularity": g})
	})
	if err != nil {
		return nil, err
	}
	return c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
}

// Reasons a roll-forward leaves an adopted assessment for the RPCT to decide.
const (
	ReviewTitleChanged = "title_changed" // the code is still a leaf of the new map, under another title
	ReviewCodeMissing  = "code_missing"  // the code is no longer a leaf of the new map
)

// Decisions on a roll-forward review.
const (
	DecisionConfirm  = "confirm"  // same code: the title changed, the node is the same
	DecisionReattach = "reattach" // another leaf of the new map (the numbering shifted)
	DecisionDrop     = "drop"     // not carried over
)

// reviewNeeded tells whether an adopted assessment of node `code` (titled oldTitle in the adopted map) can be
// carried onto the new map's leaf by itself: only when the code is a leaf there with the same title (as
// titlematch normalises it). Otherwise it names the reason and the new title, if any.
func reviewNeeded(code, oldTitle string, leaves map[string]domain.Node) (reason, newTitle string) {
	n, ok := leaves[code]
	switch {
	case !ok:
		return ReviewCodeMissing, ""
	case titlematch.Normalize(n.Title) != titlematch.Normalize(oldTitle):
		return ReviewTitleChanged, n.Title
	}
	return "", ""
}

// holdForReview prepares an adopted assessment, already carried over (carryOver), to wait for the RPCT's
// decision: its general measures point to the new cycle's programme already.
func holdForReview(fromCode, code, oldTitle, reason, newTitle string, a *domain.Assessment, programmeIDs map[string]string) (store.RollForwardReview, error) {
	for i := range a.Measures {
		a.Measures[i].ProgrammeMeasure = programmeIDs[a.Measures[i].ProgrammeMeasure]
	}
	raw, err := json.Marshal(a)
	return store.RollForwardReview{FromCycle: fromCode, NodeCode: code, OldTitle: oldTitle, NewTitle: newTitle,
		Reason: reason, Assessment: string(raw)}, err
}

// RollForwardReviewItem is a review with the new map's leaves closest to the adopted title.
type RollForwardReviewItem struct {
	store.RollForwardReview
	// Suggestions are the free leaves of the new map whose titles are the closest to the adopted one.
	Suggestions []titlematch.Suggestion `json:"suggestions"`
}

// RollForwardReviews lists what a roll-forward left to decide (undecided first, then the decisions taken).
func (c *Cycles) RollForwardReviews(ctx context.Context, actor domain.Actor, cycleCode string) ([]RollForwardReviewItem, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	reviews, err := c.store.RollForwardReviews(ctx, actor.EnteID, cycle.ID)
	if err != nil || len(reviews) == 0 {
		return []RollForwardReviewItem{}, err
	}
	free, err := c.freeLeaves(ctx, c.store, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	candidates := make([]titlematch.Suggestion, 0, len(free))
	for _, n := range free {
		candidates = append(candidates, titlematch.Suggestion{Code: n.Code, Title: n.Title})
	}
	out := make([]RollForwardReviewItem, len(reviews))
	for i, r := range reviews {
		out[i] = RollForwardReviewItem{RollForwardReview: r, Suggestions: []titlematch.Suggestion{}}
		if r.Decision == "" {
			out[i].Suggestions = titlematch.Closest(r.OldTitle, candidates, 3)
		}
	}
	return out, nil
}

// freeLeaves are the cycle's leaves, by code, that no assessment is attached to yet.
func (c *Cycles) freeLeaves(ctx context.Context, tx *store.Store, enteID, cycleID string) (map[string]domain.Node, error) {
	nodes, err := tx.Nodes(ctx, enteID, cycleID)
	if err != nil {
		return nil, err
	}
	assessed, err := tx.AssessedLeaves(ctx, enteID, cycleID)
	if err != nil {
		return nil, err
	}
	taken := make(map[string]bool, len(assessed))
	for _, n := range assessed {
		taken[n.Code] = true
	}
	free := map[string]domain.Node{}
	for _, n := range nodes {
		if n.IsLeaf && !taken[n.Code] {
			free[n.Code] = n
		}
	}
	return free, nil
}

// ReviewDecision is the RPCT's decision on one review: Target is the leaf to re-attach to.
type ReviewDecision struct {
	ID       string `json:"id"`
	Decision string `json:"decision"`
	Target   string `json:"target,omitempty"`
}

// DecideRollForward applies the RPCT's decisions in one transaction: a confirmed review attaches the adopted
// assessment, as a draft, to the leaf with the same code; a re-attached one to the leaf the RPCT chose; a
// dropped one is not carried over. Each decision is audited; either all apply or none.
func (c *Cycles) DecideRollForward(ctx context.Context, actor domain.Actor, cycleCode string, decisions []ReviewDecision) ([]RollForwardReviewItem, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	if len(decisions) == 0 {
		return nil, &domain.ValidationError{Code: "decisions_required", Problems: []domain.FieldError{{Field: "decisions",
			Code: "required", Message: "at least one decision is required"}}}
	}
	err := c.store.WithTx(ctx, func(tx *store.Store) error {
		cycle, err := tx.LockCycle(ctx, actor.EnteID, cycleCode)
		if err != nil {
			return err
		}
		if cycle.State != domain.CycleOpen {
			return domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
		}
		reviews, err := tx.RollForwardReviews(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		byID := make(map[string]store.RollForwardReview, len(reviews))
		for _, r := range reviews {
			byID[r.ID] = r
		}
		free, err := c.freeLeaves(ctx, tx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		var problems []domain.FieldError
		seen := map[string]bool{}
		targets := map[string]int{}
		for i, d := range decisions {
			field := fmt.Sprintf("decisions[%d]", i)
			r, ok := byID[d.ID]
			switch {
			case !ok:
				problems = append(problems, domain.FieldError{Field: field + ".id", Code: "unknown", Message: "no review " + d.ID + " in this cycle"})
				continue
			case seen[d.ID]:
				problems = append(problems, domain.FieldError{Field: field + ".id", Code: "duplicate", Message: "review " + d.ID + " is decided twice"})
				continue
			case r.Decision != "":
				return domain.Conflict("review_already_decided", "the review of %s was already decided (%s)", r.NodeCode, r.Decision)
			}
			seen[d.ID] = true
			target := ""
			switch d.Decision {
			case DecisionConfirm:
				if r.Reason != ReviewTitleChanged {
					problems = append(problems, domain.FieldError{Field: field + ".decision", Code: "not_confirmable",
						Message: r.NodeCode + " is no longer a leaf of the map: re-attach it or drop it"})
					continue
				}
				target = r.NodeCode
			case DecisionReattach:
				target = strings.TrimSpace(d.Target)
				if target == "" {
					problems = append(problems, domain.FieldError{Field: field + ".target", Code: "required", Message: "the leaf to re-attach to is required"})
					continue
				}
			case DecisionDrop:
			default:
				problems = append(problems, domain.FieldError{Field: field + ".decision", Code: "invalid",
					Message: "decision must be confirm, reattach or drop"})
				continue
			}
			if target != "" {
				if _, ok := free[target]; !ok {
					problems = append(problems, domain.FieldError{Field: field + ".target", Code: "leaf_not_free",
						Message: target + " is not a leaf of the map without an assessment"})
					continue
				}
				if j, dup := targets[target]; dup {
					problems = append(problems, domain.FieldError{Field: field + ".target", Code: "duplicate",
						Message: fmt.Sprintf("%s is already the target of decisions[%d]", target, j)})
					continue
				}
				targets[target] = i
			}
			decisions[i].Target = target
		}
		if len(problems) > 0 {
			return &domain.ValidationError{Code: "decisions_invalid", Problems: problems}
		}
		restored := false
		for _, d := range decisions {
			r := byID[d.ID]
			if d.Target != "" {
				var a domain.Assessment
				if err := json.Unmarshal([]byte(r.Assessment), &a); err != nil {
					return err
				}
				a.Node = d.Target
				node := free[d.Target]
				if _, err := tx.SaveAssessment(ctx, actor.EnteID, cycle.ID, node.ID, &a, 0, actor.UserID); err != nil {
					return err
				}
				restored = true
				if err := linkProgramme(ctx, tx, actor.EnteID, cycle.ID, node.ID, a.Measures); err != nil {
					return err
				}
			}
			if err := tx.DecideRollForwardReview(ctx, actor.EnteID, cycle.ID, r.ID, d.Decision, d.Target, actor.UserID); err != nil {
				return err
			}
			if err := record(ctx, tx, actor, "cycle", cycle.Code, "roll_forward_review",
				map[string]any{"node": r.NodeCode, "title": r.OldTitle, "from": r.FromCycle, "reason": r.Reason},
				map[string]any{"decision": d.Decision, "target": d.Target}); err != nil {
				return err
			}
		}
		if restored {
			// A held assessment carries the scores of the methodology it was rolled forward with; the cycle's
			// may have changed since (Methodologies.Choose): store what the cycle's gives its risks.
			meth, err := loadMethodology(ctx, tx, actor.EnteID, cycle)
			if err != nil {
				return err
			}
			if _, err := rescoreCycle(ctx, tx, actor.EnteID, cycle.ID, meth.Profile); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.RollForwardReviews(ctx, actor, cycleCode)
}
