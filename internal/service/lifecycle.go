package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Cycles runs a cycle's lifecycle: exclusions, consolidation, adoption with its frozen snapshot, publication,
// and the roll-forward into a revision or the next year's cycle.
type Cycles struct {
	store *store.Store
	authz *authz.Authorizer
	reg   *Register
	maps  *ProcessMaps
	// checkpoints, when set, anchors the trail outside the database after each adoption and publication.
	checkpoints interface {
		WriteCheckpoint(ctx context.Context, enteID, why string)
	}
	// snapshotFigures keeps the dashboard's figures of adopted snapshots (dashboard.go).
	snapshotFigures figureCache
}

// CheckpointWith makes adoptions and publications write an audit checkpoint (see Audit.WriteCheckpoint).
func (c *Cycles) CheckpointWith(a *Audit) { c.checkpoints = a }

func (c *Cycles) checkpoint(ctx context.Context, enteID, why string) {
	if c.checkpoints != nil {
		// The change is committed: the checkpoint is written even if the client has gone away meanwhile.
		c.checkpoints.WriteCheckpoint(context.WithoutCancel(ctx), enteID, why)
	}
}

// NewCycles builds the lifecycle service.
func NewCycles(s *store.Store, az *authz.Authorizer, reg *Register, maps *ProcessMaps) *Cycles {
	return &Cycles{store: s, authz: az, reg: reg, maps: maps}
}

func (c *Cycles) manage(actor domain.Actor) error {
	if !c.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return domain.Forbidden("forbidden", "only the RPCT manages the cycle")
	}
	return nil
}

func reasonRequired(field, reason string) error {
	if len([]rune(strings.TrimSpace(reason))) < domain.MinCommentLength {
		return &domain.ValidationError{Code: "reason_required", Problems: []domain.FieldError{{Field: field, Code: "required",
			Message: fmt.Sprintf("a reason of at least %d characters is required", domain.MinCommentLength)}}}
	}
	return nil
}

// Exclude takes a leaf out of the cycle's campaign, with a reason.
func (c *Cycles) Exclude(ctx context.Context, actor domain.Actor, cycleCode, code, reason string) ([]store.Exclusion, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	cycle, node, err := c.reg.leaf(ctx, actor, cycleCode, code)
	if err != nil {
		return nil, err
	}
	if cycle.State != domain.CycleOpen {
		return nil, domain.Conflict("cycle_not_open", "cycle %s is %s", cycle.Code, cycle.State)
	}
	if err := reasonRequired("reason", reason); err != nil {
		return nil, err
	}
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.AddExclusion(ctx, actor.EnteID, cycle.ID, node.ID, strings.TrimSpace(reason), actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", cycle.Code, "exclude", nil, map[string]string{"node": code, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return c.store.Exclusions(ctx, actor.EnteID, cycle.ID)
}

// Consolidate closes the campaign once every in-scope leaf is approved (or excluded with a reason).
func (c *Cycles) Consolidate(ctx context.Context, actor domain.Actor, cycleCode string) (*domain.Cycle, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		pending, err := tx.Unconsolidated(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		if len(pending) > 0 {
			shown := pending[:min(len(pending), 10)]
			return domain.Blocked("consolidation_blocked", pending, "%d leaves are neither approved nor excluded, e.g. %s",
				len(pending), strings.Join(shown, ", "))
		}
		if err := tx.MoveCycle(ctx, actor.EnteID, cycle.ID, domain.CycleOpen, domain.CycleConsolidated, nil); err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", cycle.Code, "consolidate", map[string]any{"state": cycle.State},
			map[string]any{"state": domain.CycleConsolidated})
	})
	if err != nil {
		return nil, err
	}
	return c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
}

// SnapshotContent is the register as adopted: everything needed to reproduce it, and the audit chain head
// that anchors the history before the adoption.
type SnapshotContent struct {
	Ente         string               `json:"ente"`
	Cycle        string               `json:"cycle"`
	Deliberation map[string]string    `json:"deliberation"`
	Methodology  domain.Profile       `json:"methodology"`
	Map          SnapshotMap          `json:"map"`
	Assessments  []*domain.Assessment `json:"assessments,omitempty"` // stored as items, one per line after the header
	Exclusions   []store.Exclusion    `json:"exclusions"`
	// Sottosezione holds the other parts of the sottosezione (context, objectives, consultation, riesame,
	// self-check, process descriptions); absent from snapshots taken before they existed.
	Sottosezione *SottosezioneSnapshot `json:"sottosezione,omitempty"`
	// Programme and Transparency are the ente-wide programme of general measures and the transparency section
	// (grid of publication obligations, civic-access counts); absent from snapshots taken before they existed.
	Programme    []domain.ProgrammeMeasure `json:"general_measures_programme,omitempty"`
	Transparency *TransparencySnapshot     `json:"transparency,omitempty"`
	// Document is what the sottosezione document needs besides (names, monitoring plan and closed rounds);
	// absent from snapshots taken before it existed.
	Document  *DocumentSnapshot `json:"document,omitempty"`
	AuditHead map[string]any    `json:"audit_head"`
}

// SnapshotMap is the process map inside a snapshot.
type SnapshotMap struct {
	Units               []domain.RefItem `json:"units"`
	StrategicObjectives []domain.RefItem `json:"strategic_objectives"`
	RiskAreas           []domain.RefItem `json:"risk_areas"`
	Nodes               []domain.MapNode `json:"nodes"`
}

// AdoptionInput records the Giunta's deliberation.
type AdoptionInput struct {
	Number string `json:"deliberation_number"`
	Date   string `json:"deliberation_date"`
}

// Adopt freezes a consolidated cycle into an immutable snapshot with its content hash.
func (c *Cycles) Adopt(ctx context.Context, actor domain.Actor, cycleCode string, in AdoptionInput) (*domain.Cycle, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	var problems []domain.FieldError
	if strings.TrimSpace(in.Number) == "" {
		problems = append(problems, domain.FieldError{Field: "deliberation_number", Code: "required", Message: "the number of the Giunta's deliberation"})
	}
	if !domain.IsDate(in.Date) {
		problems = append(problems, domain.FieldError{Field: "deliberation_date", Code: "date_invalid", Message: "a date as YYYY-MM-DD"})
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "adoption_invalid", Problems: problems}
	}
	if cycle.State != domain.CycleConsolidated {
		return nil, domain.Conflict("cycle_not_consolidated", "cycle %s is %s: consolidate it first", cycle.Code, cycle.State)
	}
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		content, err := c.snapshot(ctx, tx, actor, cycle, in)
		if err != nil {
			return err
		}
		// The snapshot is a header line and one line per assessment; the hash covers exactly those bytes,
		// which is what /snapshot serves.
		items := content.Assessments
		content.Assessments = nil
		header, err := json.Marshal(content)
		if err != nil {
			return err
		}
		h := sha256.New()
		h.Write(header)
		h.Write([]byte("\n"))
		for i, a := range items {
			line, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := tx.AddSnapshotItem(ctx, actor.EnteID, cycle.ID, i, a.Node, string(line)); err != nil {
				return err
			}
			h.Write(line)
			h.Write([]byte("\n"))
		}
		hash := hex.EncodeToString(h.Sum(nil))
		head := content.AuditHead
		if err := tx.SaveSnapshot(ctx, actor.EnteID, cycle.ID, store.Snapshot{Content: string(header), ContentHash: hash,
			AuditHeadSeq: head["seq"].(int64), AuditHeadHash: head["hash"].(string)}); err != nil {
			return err
		}
		if err := tx.MoveCycle(ctx, actor.EnteID, cycle.ID, domain.CycleConsolidated, domain.CycleAdopted, map[string]any{
			"deliberation_number": strings.TrimSpace(in.Number), "deliberation_date": in.Date, "snapshot_hash": hash}); err != nil {
			return err
		}
		if err := notifyAdopted(ctx, tx, actor, cycle, in); err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", cycle.Code, "adopt", map[string]any{"state": cycle.State},
			map[string]any{"state": domain.CycleAdopted, "snapshot_hash": hash, "deliberation": in})
	})
	if err != nil {
		return nil, err
	}
	c.checkpoint(ctx, actor.EnteID, "adoption of "+cycle.Code)
	return c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
}

func (c *Cycles) snapshot(ctx context.Context, tx *store.Store, actor domain.Actor, cycle *domain.Cycle, in AdoptionInput) (*SnapshotContent, error) {
	m, err := c.maps.Export(ctx, Tenant{EnteID: actor.EnteID, EnteCode: actor.EnteCode}, cycle.Code)
	if err != nil {
		return nil, err
	}
	meth, err := c.reg.meths.load(ctx, actor.EnteID, cycle)
	if err != nil {
		return nil, err
	}
	leaves, err := tx.AssessedLeaves(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	out := &SnapshotContent{Ente: actor.EnteCode, Cycle: cycle.Code, Methodology: meth.Profile,
		Deliberation: map[string]string{"number": strings.TrimSpace(in.Number), "date": in.Date},
		Map:          SnapshotMap{Units: m.Units, StrategicObjectives: m.StrategicObjectives, RiskAreas: m.RiskAreas, Nodes: m.Nodes},
		Assessments:  []*domain.Assessment{}}
	for _, n := range leaves {
		a, err := tx.Assessment(ctx, actor.EnteID, cycle.ID, n.ID)
		if err != nil {
			return nil, err
		}
		a.Node, a.Cycle = n.Code, cycle.Code
		score(meth.Profile, a)
		out.Assessments = append(out.Assessments, a)
	}
	if out.Exclusions, err = tx.Exclusions(ctx, actor.EnteID, cycle.ID); err != nil {
		return nil, err
	}
	if out.Sottosezione, err = sottosezioneSnapshot(ctx, tx, actor.EnteID, cycle.ID); err != nil {
		return nil, err
	}
	if err := programmeSnapshot(ctx, tx, actor.EnteID, cycle.ID, out); err != nil {
		return nil, err
	}
	if out.Document, err = documentSnapshot(ctx, tx, actor, cycle); err != nil {
		return nil, err
	}
	seq, hash, err := tx.AuditHead(ctx, actor.EnteID)
	if err != nil {
		return nil, err
	}
	out.AuditHead = map[string]any{"seq": seq, "hash": hash}
	return out, nil
}

// PublicationInput records where the adopted plan is published.
type PublicationInput struct {
	URL  string `json:"url"`
	Date string `json:"date"`
}

// Publish records the publication of an adopted cycle.
func (c *Cycles) Publish(ctx context.Context, actor domain.Actor, cycleCode string, in PublicationInput) (*domain.Cycle, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	var problems []domain.FieldError
	if !strings.HasPrefix(in.URL, "https://") && !strings.HasPrefix(in.URL, "http://") {
		problems = append(problems, domain.FieldError{Field: "url", Code: "url_invalid", Message: "the address of the publication (Amministrazione trasparente)"})
	}
	if !domain.IsDate(in.Date) {
		problems = append(problems, domain.FieldError{Field: "date", Code: "date_invalid", Message: "a date as YYYY-MM-DD"})
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "publication_invalid", Problems: problems}
	}
	if cycle.State != domain.CycleAdopted {
		return nil, domain.Conflict("cycle_not_adopted", "cycle %s is %s: only an adopted cycle is published", cycle.Code, cycle.State)
	}
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.MoveCycle(ctx, actor.EnteID, cycle.ID, domain.CycleAdopted, domain.CyclePublished,
			map[string]any{"published_url": in.URL, "published_on": in.Date}); err != nil {
			return err
		}
		if err := notifyPublished(ctx, tx, actor, cycle, in); err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", cycle.Code, "publish", nil, in)
	})
	if err != nil {
		return nil, err
	}
	c.checkpoint(ctx, actor.EnteID, "publication of "+cycle.Code)
	return c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
}

// Snapshot returns the header of the adopted register and the hash of the whole.
func (c *Cycles) Snapshot(ctx context.Context, actor domain.Actor, cycleCode string) (store.Snapshot, error) {
	if err := c.reg.canRead(actor); err != nil {
		return store.Snapshot{}, err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return store.Snapshot{}, err
	}
	return c.store.CycleSnapshot(ctx, actor.EnteID, cycle.ID)
}

// WriteSnapshot streams the adopted register exactly as frozen: the header line, then one line per
// assessment. The same bytes every time; their SHA-256 is the snapshot's hash.
func (c *Cycles) WriteSnapshot(ctx context.Context, actor domain.Actor, cycleCode string, w io.Writer) error {
	snap, err := c.Snapshot(ctx, actor, cycleCode)
	if err != nil {
		return err
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, snap.Content+"\n"); err != nil {
		return err
	}
	return c.store.StreamSnapshotItems(ctx, actor.EnteID, cycle.ID, func(line string) error {
		_, err := io.WriteString(w, line+"\n")
		return err
	})
}

// snapshotItems calls fn with each assessment of an adopted snapshot, one at a time.
func (c *Cycles) snapshotItems(ctx context.Context, enteID, cycleID string, fn func(*domain.Assessment) error) error {
	return c.store.StreamSnapshotItems(ctx, enteID, cycleID, func(line string) error {
		var a domain.Assessment
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			return err
		}
		return fn(&a)
	})
}

// RollForwardResult reports what a roll-forward carried over.
type RollForwardResult struct {
	Cycle   string   `json:"cycle"`
	From    string   `json:"from"`
	Copied  int      `json:"copied"`  // assessments carried over as drafts
	Removed []string `json:"removed"` // assessed codes of the adopted register that the new map no longer has
	New     []string `json:"new"`     // leaves of the new map with nothing to carry over
	// Links from a risk to another leaf's measure are not carried over (the measures get new ids); they are
	// counted so the RPCT knows to relink them.
	LinksDropped int `json:"links_dropped"`
	// DescriptionsDropped are the process descriptions whose node is no longer a process or sub-process.
	DescriptionsDropped []string `json:"descriptions_dropped"`
	// ToReview are the adopted codes not carried over by themselves, left for the RPCT to confirm, re-attach or
	// drop (GET .../roll-forward/reviews): the code is gone (also in Removed) or its title changed.
	ToReview []string `json:"to_review"`
}

// RollForward starts cycle `to` from the adopted register of `from`: the map (if `to` has none yet, as for an
// extraordinary revision), the methodology, and every assessment whose leaf code still exists, as a draft.
func (c *Cycles) RollForward(ctx context.Context, actor domain.Actor, fromCode, toCode string) (*RollForwardResult, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	from, err := c.store.CycleByCode(ctx, actor.EnteID, fromCode)
	if err != nil {
		return nil, err
	}
	snap, err := c.store.CycleSnapshot(ctx, actor.EnteID, from.ID)
	if err != nil {
		return nil, domain.Conflict("cycle_not_adopted", "cycle %s has no adopted register to roll forward", fromCode)
	}
	var content SnapshotContent
	if err := json.Unmarshal([]byte(snap.Content), &content); err != nil {
		return nil, err
	}
	if err := c.snapshotItems(ctx, actor.EnteID, from.ID, func(a *domain.Assessment) error {
		content.Assessments = append(content.Assessments, a)
		return nil
	}); err != nil {
		return nil, err
	}
	start, end, err := domain.ParseCycleCode(toCode)
	if err != nil {
		return nil, err
	}
	res := &RollForwardResult{Cycle: toCode, From: fromCode, Removed: []string{}, New: []string{}, ToReview: []string{}}
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.EnsureCycle(ctx, actor.EnteID, toCode, start, end); err != nil {
			return err
		}
		to, err := tx.CycleByCode(ctx, actor.EnteID, toCode)
		if err != nil {
			return err
		}
		if to.State != domain.CycleOpen {
			return domain.Conflict("cycle_not_open", "cycle %s is %s", toCode, to.State)
		}
		if has, err := tx.CycleHasRegisterData(ctx, actor.EnteID, to.ID); err != nil || has {
			if err == nil {
				err = domain.Conflict("cycle_has_register", "cycle %s already has assessments", toCode)
			}
			return err
		}
		hasMap, err := tx.CycleHasMap(ctx, actor.EnteID, to.ID)
		if err != nil {
			return err
		}
		if !hasMap {
			// The copied map is assessed at the adopted cycle's level; a newly imported map keeps the level the
			// RPCT chose for it, and what no longer matches is left for review.
			if err := tx.SetCycleGranularity(ctx, actor.EnteID, to.ID, from.Granularity, to.Version); err != nil {
				return err
			}
			pm := &domain.ProcessMap{Units: content.Map.Units, StrategicObjectives: content.Map.StrategicObjectives,
				RiskAreas: content.Map.RiskAreas, Nodes: content.Map.Nodes}
			if err := tx.InsertMap(ctx, actor.EnteID, to.ID, pm); err != nil {
				return err
			}
			if err := tx.SetCycleMapHash(ctx, actor.EnteID, to.ID, pm.Hash()); err != nil {
				return err
			}
		}
		raw, _ := json.Marshal(content.Methodology)
		// A conflict: the RPCT chose the cycle's methodology before rolling forward, and it stays.
		keptMethodology := false
		if _, err := tx.SetCycleMethodology(ctx, actor.EnteID, to.ID, store.CycleMethodology{ProfileCode: content.Methodology.Code,
			Profile: string(raw), ProfileVersion: content.Methodology.ProfileVersion}, 0, actor.UserID); errors.Is(err, domain.ErrConflict) {
			keptMethodology = true
		} else if err != nil {
			return err
		}
		nodes, err := tx.Nodes(ctx, actor.EnteID, to.ID)
		if err != nil {
			return err
		}
		leaves := map[string]domain.Node{}
		for _, n := range nodes {
			if n.IsLeaf {
				leaves[n.Code] = n
			}
		}
		oldTitles := make(map[string]string, len(content.Map.Nodes))
		for _, n := range content.Map.Nodes {
			oldTitles[n.Code] = n.Title
		}
		var reviews []store.RollForwardReview
		programmeIDs, err := rollProgrammeForward(ctx, tx, actor, to.ID, &content)
		if err != nil {
			return err
		}
		carried := map[string]bool{}
		for _, a := range content.Assessments {
			// A code alone is not an identity: the same code under another title waits for the RPCT.
			if reason, newTitle := reviewNeeded(a.Node, oldTitles[a.Node], leaves); reason != "" {
				if reason == ReviewCodeMissing {
					res.Removed = append(res.Removed, a.Node)
				}
				res.LinksDropped += carryOver(a)
				review, err := holdForReview(fromCode, a.Node, oldTitles[a.Node], reason, newTitle, a, programmeIDs)
				if err != nil {
					return err
				}
				reviews = append(reviews, review)
				res.ToReview = append(res.ToReview, a.Node)
				continue
			}
			id := leaves[a.Node].ID
			res.LinksDropped += carryOver(a)
			if _, err := tx.SaveAssessment(ctx, actor.EnteID, to.ID, id, a, 0, actor.UserID); err != nil {
				return err
			}
			if err := relinkProgramme(ctx, tx, actor.EnteID, to.ID, id, a.Measures, programmeIDs); err != nil {
				return err
			}
			carried[a.Node] = true
			res.Copied++
		}
		for _, n := range nodes {
			if n.IsLeaf && !carried[n.Code] {
				res.New = append(res.New, n.Code)
			}
		}
		if keptMethodology && res.Copied > 0 {
			// The copied risks carry the scores of the adopted cycle's methodology: store what the one the
			// cycle kept gives them.
			meth, err := loadMethodology(ctx, tx, actor.EnteID, to)
			if err != nil {
				return err
			}
			if _, err := rescoreCycle(ctx, tx, actor.EnteID, to.ID, meth.Profile); err != nil {
				return err
			}
		}
		if err := tx.AddRollForwardReviews(ctx, actor.EnteID, to.ID, reviews); err != nil {
			return err
		}
		if res.DescriptionsDropped, err = rollSottosezioneForward(ctx, tx, actor, to.ID, content.Sottosezione); err != nil {
			return err
		}
		if err := tx.MoveCycle(ctx, actor.EnteID, to.ID, domain.CycleOpen, domain.CycleOpen, map[string]any{"derived_from": fromCode}); err != nil {
			return err
		}
		return record(ctx, tx, actor, "cycle", toCode, "roll_forward", nil, res)
	})
	if err != nil {
		return nil, err
	}
	// A roll-forward writes a whole map and register at once (the map's node count stands for both).
	analyzeAfter(ctx, c.store, max(res.Copied, len(content.Map.Nodes)), store.MapTables, store.RegisterTables)
	return res, nil
}

// carryOver prepares an adopted assessment to start a new cycle as a fresh draft: new ids (each measure
// derived_from the one it copies), measure references by key; it returns how many links to other leaves' measures it had to drop.
func carryOver(a *domain.Assessment) int {
	keys := map[string]string{}
	for i := range a.Measures {
		old := a.Measures[i].Key
		// The copy remembers the adopted measure it continues, so monitoring is followed year over year.
		a.Measures[i].DerivedFrom = a.Measures[i].ID
		a.Measures[i].ID = ""
		a.Measures[i].Key = fmt.Sprintf("m%d", i+1)
		keys[old] = a.Measures[i].Key
	}
	dropped := 0
	for i := range a.Risks {
		a.Risks[i].ID = ""
		var refs []string
		for _, k := range a.Risks[i].Measures {
			if nk, ok := keys[k]; ok {
				refs = append(refs, nk)
			} else {
				dropped++
			}
		}
		a.Risks[i].Measures = refs
	}
	// Withdrawn measures stay with the cycle that withdrew them; risk and measure versions start again.
	a.Withdrawn = nil
	for i := range a.Measures {
		a.Measures[i].Version, a.Measures[i].WithdrawnAt, a.Measures[i].WithdrawnReason = 0, nil, ""
	}
	for i := range a.Risks {
		a.Risks[i].Version = 0
	}
	a.Version, a.State = 0, domain.StateDraft
	return dropped
}

// Revision opens an extraordinary revision of an adopted cycle: a new version (2026-2028-r1, -r2, ...) started
// from the snapshot, leaving the adopted one intact.
func (c *Cycles) Revision(ctx context.Context, actor domain.Actor, fromCode string) (*RollForwardResult, error) {
	if err := c.manage(actor); err != nil {
		return nil, err
	}
	base := fromCode
	if i := strings.Index(base, "-r"); i > 0 {
		base = base[:i]
	}
	for n := 1; n < 100; n++ {
		code := fmt.Sprintf("%s-r%d", base, n)
		if _, err := c.store.CycleByCode(ctx, actor.EnteID, code); errors.Is(err, domain.ErrNotFound) {
			return c.RollForward(ctx, actor, fromCode, code)
		} else if err != nil {
			return nil, err
		}
	}
	return nil, domain.Conflict("too_many_revisions", "too many revisions of %s", base)
}
