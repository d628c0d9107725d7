package store

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/domain"
)

// AssessmentRef is the workflow's view of an assessment row.
type AssessmentRef struct {
	ID          string
	State       domain.AssessmentState
	Version     int64
	SubmittedBy string
}

// LockAssessment loads an assessment's workflow state and, on PostgreSQL, locks the row until the transaction
// ends, so two reviewers or a reviewer and an editor are serialised; none yet is domain.ErrNotFound.
func (s *Store) LockAssessment(ctx context.Context, enteID, cycleID, nodeID string) (AssessmentRef, error) {
	var row struct {
		ID, State, SubmittedBy string
		Version                int64
	}
	res := s.forUpdate(s.q(ctx).Table("assessments")).Select("id, state, submitted_by, version").
		Where("ente_id = ? AND cycle_id = ? AND node_id = ?", enteID, cycleID, nodeID).Limit(1).Scan(&row)
	if res.Error != nil {
		return AssessmentRef{}, wrap(res.Error, "lock assessment")
	}
	if res.RowsAffected == 0 {
		return AssessmentRef{}, domain.NotFound("assessment_not_found", "the leaf has no assessment yet")
	}
	return AssessmentRef{ID: row.ID, State: domain.AssessmentState(row.State), Version: row.Version, SubmittedBy: row.SubmittedBy}, nil
}

// ContentActions are the trail's actions on an assessment that write its content: a save, a copy from another
// leaf, a measure linked in bulk.
var ContentActions = []string{"save", "copy", "link_measure"}

// ContentEditorsSinceApproval lists who saved the content of an assessment (entityID "<cycle>/<leaf>", as the
// trail names it) since its last approval, or ever if it was never approved. It reads the audit trail rather
// than the row's updated_by, which only keeps the last writer and is overwritten by every transition: the
// trail is append-only and written in the same transaction as each save, so no later change can hide an
// earlier editor.
func (s *Store) ContentEditorsSinceApproval(ctx context.Context, enteID, entityID string) ([]string, error) {
	var ids []string
	err := s.q(ctx).Table("audit_log").Distinct("actor_id").
		Where("ente_id = ? AND entity = ? AND entity_id = ? AND action IN ?", enteID, "assessment", entityID, ContentActions).
		Where("seq > (SELECT COALESCE(MAX(a.seq), 0) FROM audit_log a WHERE a.ente_id = ? AND a.entity = ? AND a.entity_id = ? AND a.action = ?)",
			enteID, "assessment", entityID, "approve").
		Scan(&ids).Error
	return ids, wrap(err, "load the editors of an assessment")
}

// MoveAssessment records a transition on the version that was read.
func (s *Store) MoveAssessment(ctx context.Context, ref AssessmentRef, to domain.AssessmentState, t domain.Transition, actorID string) (int64, error) {
	changes := map[string]any{"state": string(to), "version": gorm.Expr("version + 1"), "updated_at": now(), "updated_by": actorID}
	switch t {
	case domain.TransitionSubmit:
		changes["submitted_by"], changes["submitted_at"] = actorID, now()
	case domain.TransitionApprove, domain.TransitionReturn, domain.TransitionReopen:
		changes["reviewed_by"], changes["reviewed_at"] = actorID, now()
	}
	res := s.q(ctx).Table("assessments").Where("id = ? AND version = ?", ref.ID, ref.Version).Updates(changes)
	if res.Error != nil {
		return 0, wrap(res.Error, "move assessment")
	}
	if res.RowsAffected != 1 {
		return 0, &domain.ConflictError{Code: "version_conflict", CurrentVersion: ref.Version + 1,
			Message: "the assessment changed meanwhile: reload it"}
	}
	return ref.Version + 1, nil
}

// Comment is one message of an assessment's review thread.
type Comment struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	AuthorID   string `json:"author_id"`
	AuthorName string `json:"author_name"` // the username at the time of writing, as stored
	// AuthorFullName is the author's full name as the ente knows it now (not stored with the comment).
	AuthorFullName string    `json:"author_full_name,omitempty"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"created_at"`
}

type commentRow struct {
	ID, EnteID, AssessmentID, Kind, AuthorID, AuthorName, Body string
	CreatedAt                                                  time.Time
}

func (commentRow) TableName() string { return "assessment_comments" }

// AddComment appends to an assessment's thread.
func (s *Store) AddComment(ctx context.Context, enteID, assessmentID, kind, authorID, authorName, body string) (Comment, error) {
	r := commentRow{ID: newID(), EnteID: enteID, AssessmentID: assessmentID, Kind: kind, AuthorID: authorID,
		AuthorName: authorName, Body: body, CreatedAt: now()}
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return Comment{}, wrap(err, "add comment")
	}
	return Comment{ID: r.ID, Kind: r.Kind, AuthorID: r.AuthorID, AuthorName: r.AuthorName, Body: r.Body, CreatedAt: r.CreatedAt}, nil
}

// Comments returns an assessment's thread, oldest first.
func (s *Store) Comments(ctx context.Context, enteID, assessmentID string) ([]Comment, error) {
	var rows []commentRow
	if err := s.q(ctx).Where("ente_id = ? AND assessment_id = ?", enteID, assessmentID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "load comments")
	}
	out := make([]Comment, len(rows))
	for i, r := range rows {
		out[i] = Comment{ID: r.ID, Kind: r.Kind, AuthorID: r.AuthorID, AuthorName: r.AuthorName, Body: r.Body, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// AddHistory keeps a content of an assessment (e.g. the approved one).
func (s *Store) AddHistory(ctx context.Context, enteID, assessmentID string, version int64, state domain.AssessmentState, content string) error {
	return wrap(s.q(ctx).Table("assessment_history").Create(map[string]any{"id": newID(), "ente_id": enteID,
		"assessment_id": assessmentID, "version": version, "state": string(state), "content": content, "created_at": now()}).Error,
		"keep assessment history")
}

// HistoryCount counts the kept contents of an assessment.
func (s *Store) HistoryCount(ctx context.Context, enteID, assessmentID string) (int64, error) {
	var n int64
	err := s.q(ctx).Table("assessment_history").Where("ente_id = ? AND assessment_id = ?", enteID, assessmentID).Count(&n).Error
	return n, wrap(err, "count history")
}

// ProgressExcluded is the progress "state" of an excluded leaf: out of the campaign, so neither work to do
// nor overdue, whatever draft it may still have.
const ProgressExcluded = "excluded"

// progressState is a leaf's column in the progress counts (n: the leaf, a: its assessment, x: its exclusion).
// The counts join the assessment on its cycle as well as its node (the same assessment: a node belongs to one
// cycle) so the join uses the (cycle_id, node_id) key: on the node and ente alone SQLite scanned every
// assessment of the ente for each leaf, seconds at 1,500 leaves (BenchmarkDashboard).
const progressState = `CASE WHEN x.node_id IS NOT NULL THEN '` + ProgressExcluded + `' ELSE COALESCE(a.state, 'not_started') END`

// UnitProgress counts a unit's leaves per assessment state ("not_started" for leaves without one,
// ProgressExcluded for excluded leaves).
type UnitProgress struct {
	Unit    string           `json:"unit"`
	States  map[string]int64 `json:"states"`
	Leaves  int64            `json:"leaves"`
	Overdue int64            `json:"overdue"` // not yet submitted or approved after the campaign deadline
}

// Progress counts the cycle's leaves per responsible unit and state, in one query. The query reads each leaf's
// state (its assessment and exclusion joined by the cycle's keys), the cycle's unit links and its units apart,
// each through its (ente_id, cycle_id) index, and the counts are made here: with the links and units joined to
// the leaves, among many entes PostgreSQL expected one row of the join (its join estimate divides by the ids
// of every ente) and probed the links once per leaf and the units once per link, 2,300 buffers against 38 for
// the ente alone among 1,000 entes (BenchmarkManyEntes, docs/performance.md).
func (s *Store) Progress(ctx context.Context, enteID, cycleID string) ([]UnitProgress, error) {
	rows, err := s.q(ctx).Raw(`SELECT 'leaf' AS kind, CAST(n.id AS TEXT) AS k1, `+progressState+` AS k2
		FROM process_nodes n
		LEFT JOIN assessments a ON a.node_id = n.id AND a.ente_id = n.ente_id AND a.cycle_id = n.cycle_id
		LEFT JOIN cycle_exclusions x ON x.node_id = n.id AND x.cycle_id = n.cycle_id
		WHERE n.ente_id = ? AND n.cycle_id = ? AND n.is_leaf = ?
		UNION ALL
		SELECT 'link', CAST(node_id AS TEXT), CAST(unit_id AS TEXT) FROM process_node_units WHERE ente_id = ? AND cycle_id = ?
		UNION ALL
		SELECT 'unit', CAST(id AS TEXT), code FROM org_units WHERE ente_id = ? AND cycle_id = ?`,
		enteID, cycleID, true, enteID, cycleID, enteID, cycleID).Rows()
	if err != nil {
		return nil, wrap(err, "count progress")
	}
	defer rows.Close()
	stateOf := map[string]string{} // leaf id -> its progress state
	var links [][2]string          // (node id, unit id)
	unitCode := map[string]string{}
	for rows.Next() {
		var kind, k1, k2 string
		if err := rows.Scan(&kind, &k1, &k2); err != nil {
			return nil, wrap(err, "scan progress")
		}
		switch kind {
		case "leaf":
			stateOf[k1] = k2
		case "link":
			links = append(links, [2]string{k1, k2})
		case "unit":
			unitCode[k1] = k2
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "count progress")
	}
	var out []UnitProgress
	idx := map[string]int{}
	for _, l := range links {
		state, leaf := stateOf[l[0]]
		unit, ok := unitCode[l[1]]
		if !leaf || !ok {
			continue
		}
		i, seen := idx[unit]
		if !seen {
			i = len(out)
			idx[unit] = i
			out = append(out, UnitProgress{Unit: unit, States: map[string]int64{}})
		}
		out[i].States[state]++
		out[i].Leaves++
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	return out, nil
}

// SetCampaignDeadline sets the date by which the cycle's assessments are due.
func (s *Store) SetCampaignDeadline(ctx context.Context, enteID, cycleID, deadline string) error {
	return wrap(s.q(ctx).Table("cycles").Where("ente_id = ? AND id = ?", enteID, cycleID).
		Updates(map[string]any{"campaign_deadline": deadline, "updated_at": now()}).Error, "set campaign deadline")
}

// CampaignDeadline returns the cycle's campaign deadline ("" when none).
func (s *Store) CampaignDeadline(ctx context.Context, enteID, cycleID string) (string, error) {
	var d []string
	err := s.q(ctx).Table("cycles").Where("ente_id = ? AND id = ?", enteID, cycleID).Pluck("campaign_deadline", &d)
	if err.Error != nil || len(d) == 0 {
		return "", wrap(err.Error, "load campaign deadline")
	}
	return d[0], nil
}

// DraftLeavesOfUnit lists the codes of the leaves the unit leads (see domain.LeadUnit) whose assessment is a
// draft (or was returned): those its director may submit.
func (s *Store) DraftLeavesOfUnit(ctx context.Context, enteID, cycleID, unit string) ([]string, error) {
	var codes []string
	err := s.q(ctx).Table("assessments a").Select("n.code").
		Joins("JOIN process_nodes n ON n.id = a.node_id").
		Joins("LEFT JOIN node_lead_units lu ON lu.node_id = n.id AND lu.ente_id = n.ente_id").
		Where("a.ente_id = ? AND a.cycle_id = ? AND "+leadUnitSQL+" = ? AND a.state IN ?", enteID, cycleID, unit,
			[]string{string(domain.StateDraft), string(domain.StateReturned)}).
		Order("n.position").Pluck("n.code", &codes).Error
	return codes, wrap(err, "list drafts of unit")
}
