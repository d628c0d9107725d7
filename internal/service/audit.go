package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/argine-pa/argine/internal/auditanchor"
	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/reqctx"
	"github.com/argine-pa/argine/internal/store"
)

// operator is the actor of changes made from the command line by whoever runs it on the server.
func operator(enteID string) domain.Actor {
	return domain.Actor{UserID: "operator", Username: "command line", EnteID: enteID}
}

func auditJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// record appends the audit record of a change to the ente's trail. Call it with the transaction that makes the
// change: if either fails, neither exists.
func record(ctx context.Context, tx *store.Store, actor domain.Actor, entity, entityID, action string, before, after any) error {
	info := reqctx.From(ctx)
	r := domain.AuditRecord{EnteID: actor.EnteID, At: domain.AuditTime(time.Now()), ActorID: actor.UserID,
		ActorName: actor.Username, ClientAddr: info.ClientAddr, RequestID: info.RequestID, Entity: entity,
		EntityID: entityID, Action: action, Before: auditJSON(before), After: auditJSON(after)}
	return tx.AppendAudit(ctx, &r)
}

// Audit lets the RPCT and the OIV read and verify the trail.
type Audit struct {
	store  *store.Store
	authz  *authz.Authorizer
	anchor AnchorConfig
}

// NewAudit builds the audit service.
func NewAudit(s *store.Store, az *authz.Authorizer) *Audit { return &Audit{store: s, authz: az} }

func (a *Audit) require(actor domain.Actor) error {
	if !a.authz.Can(actor, authz.ObjAudit, authz.ActRead) {
		return domain.Forbidden("forbidden", "your role does not allow reading the audit trail")
	}
	return nil
}

// CanRead says whether the actor may read the trail and what verifies it.
func (a *Audit) CanRead(actor domain.Actor) error { return a.require(actor) }

// AuditItem is a record of the trail with its author's full name as the ente knows it now (the record keeps
// the username it was written with; the full name is not part of the hashed record).
type AuditItem struct {
	domain.AuditRecord
	ActorFullName string `json:"actor_full_name"`
}

// AuditPage is one page of the trail, newest first.
type AuditPage struct {
	Items    []AuditItem `json:"items"`
	Total    int64       `json:"total"`
	Page     int         `json:"page"`
	PageSize int         `json:"page_size"`
}

// List returns one page of the actor's ente's trail.
func (a *Audit) List(ctx context.Context, actor domain.Actor, f store.AuditFilter, page, size int) (*AuditPage, error) {
	if err := a.require(actor); err != nil {
		return nil, err
	}
	nf := domain.NodeFilter{Page: page, PageSize: size}
	if err := nf.Normalize(); err != nil {
		return nil, err
	}
	items, total, err := a.store.AuditPage(ctx, actor.EnteID, f, nf.Page, nf.PageSize)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(items))
	for _, r := range items {
		ids = append(ids, r.ActorID)
	}
	names, err := a.store.UserNames(ctx, actor.EnteID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]AuditItem, len(items))
	for i, r := range items {
		out[i] = AuditItem{AuditRecord: r, ActorFullName: names[r.ActorID]}
	}
	return &AuditPage{Items: out, Total: total, Page: nf.Page, PageSize: nf.PageSize}, nil
}

// Export streams every record matching f, oldest first, to fn.
func (a *Audit) Export(ctx context.Context, actor domain.Actor, f store.AuditFilter, fn func(domain.AuditRecord) error) error {
	if err := a.require(actor); err != nil {
		return err
	}
	return a.store.StreamAudit(ctx, actor.EnteID, f, fn)
}

// Verification is the result of checking an ente's chain.
type Verification struct {
	Valid   bool  `json:"valid"`
	Records int64 `json:"records"`
	Head    int64 `json:"head"`
	// HeadHash is the hash of the last record, once the chain verifies: what a checkpoint records.
	HeadHash string             `json:"head_hash,omitempty"`
	Break    *domain.ChainBreak `json:"break,omitempty"`
	// Anchors are the heads recorded outside the chain that it was checked against: the adopted snapshots'
	// and the checkpoints'.
	Anchors []domain.AuditAnchor `json:"anchors"`
	// Checkpoint is the latest checkpoint the server wrote for the ente, when it keeps them.
	Checkpoint *auditanchor.Checkpoint `json:"checkpoint,omitempty"`
	// PublicKey verifies the server's checkpoints; absent when the server signs none.
	PublicKey *PublicKeyInfo `json:"public_key,omitempty"`
}

// PublicKeyInfo shows the key that verifies the checkpoints, for the OIV to compare and keep.
type PublicKeyInfo struct {
	PEM         string `json:"pem"`
	Fingerprint string `json:"fingerprint"` // hex SHA-256 of the raw key
	KeyID       string `json:"key_id"`
}

// AnchorConfig is how the server anchors the trail outside the database.
type AnchorConfig struct {
	Signer  *auditanchor.Signer // nil: no checkpoints are written
	Dir     *auditanchor.Dir    // where checkpoints are kept; nil: nowhere
	Version string              // the software version written in each checkpoint
	Log     *slog.Logger
}

// SetAnchoring turns on the writing and checking of checkpoints.
func (a *Audit) SetAnchoring(cfg AnchorConfig) { a.anchor = cfg }

// VerifyEnte checks the chain of one ente from its first record, streaming, against the heads its adopted
// snapshots froze and the checkpoints given (whose signatures the caller has checked).
func (a *Audit) VerifyEnte(ctx context.Context, enteID string, checkpoints ...auditanchor.Checkpoint) (Verification, error) {
	return a.verify(ctx, enteID, checkpoints, nil)
}

// PublishedHead is the audit head printed in a published register document (its JSON), an anchor the
// operator or the OIV hands to `audit verify --register`.
type PublishedHead struct {
	EnteCode string `json:"ente"`
	Cycle    string `json:"ciclo"`
	Adopted  bool   `json:"adottato"`
	Seq      int64  `json:"audit_record_adozione"`
	Hash     string `json:"audit_hash_adozione"`
}

func (a *Audit) verify(ctx context.Context, enteID string, checkpoints []auditanchor.Checkpoint, published []PublishedHead) (Verification, error) {
	anchors := []domain.AuditAnchor{}
	for _, p := range published {
		if p.Seq > 0 {
			anchors = append(anchors, domain.AuditAnchor{Kind: "register", Ref: p.Cycle, Source: "published register of cycle " + p.Cycle, Seq: p.Seq, Hash: p.Hash})
		}
	}
	heads, err := a.store.SnapshotAuditHeads(ctx, enteID)
	if err != nil {
		return Verification{}, err
	}
	for _, h := range heads {
		if h.Seq > 0 {
			anchors = append(anchors, domain.AuditAnchor{Kind: "snapshot", Ref: h.Cycle, Source: "snapshot of cycle " + h.Cycle, Seq: h.Seq, Hash: h.Hash})
		}
	}
	for _, c := range checkpoints {
		if c.EnteID != enteID {
			return Verification{}, fmt.Errorf("the checkpoint of %s (%s) is not for this ente", c.EnteCode, c.EnteID)
		}
		if c.HeadSeq > 0 {
			anchors = append(anchors, domain.AuditAnchor{Kind: "checkpoint", Ref: c.CreatedAt, Source: "checkpoint of " + c.CreatedAt, Seq: c.HeadSeq, Hash: c.HeadHash})
		}
	}
	v := domain.NewChainVerifier()
	v.Expect(anchors...)
	// The trail is read without a transaction, so appends go on meanwhile: after reading to the end, the head
	// is read and any records appended since are read too, until the two meet. A head behind the records
	// read, or records that never arrive, is what Finish reports.
	var last int64
	var headSeq int64
	var headHash string
	for round := 0; round < 5; round++ {
		fed := false
		err = a.store.StreamAudit(ctx, enteID, store.AuditFilter{AfterSeq: last}, func(r domain.AuditRecord) error {
			fed, last = true, r.Seq
			if !v.Add(r) {
				return errStopStream
			}
			return nil
		})
		if err != nil && err != errStopStream {
			return Verification{}, err
		}
		if v.Break != nil {
			break
		}
		if headSeq, headHash, err = a.store.AuditHead(ctx, enteID); err != nil {
			return Verification{}, err
		}
		if headSeq <= last || (!fed && round > 0) {
			break
		}
	}
	brk := v.Finish(headSeq, headHash)
	out := Verification{Valid: brk == nil, Records: v.Count, Head: headSeq, Break: brk, Anchors: anchors}
	if out.Valid {
		out.HeadHash = headHash
	}
	return out, nil
}

type stopStream struct{}

func (stopStream) Error() string { return "stop" }

var errStopStream error = stopStream{}

// Verify checks the actor's ente's chain against its snapshots and the latest checkpoint the server wrote.
func (a *Audit) Verify(ctx context.Context, actor domain.Actor) (Verification, error) {
	if err := a.require(actor); err != nil {
		return Verification{}, err
	}
	return a.VerifyAnchored(ctx, actor.EnteID)
}

// VerifyAnchored checks an ente's chain against its snapshots, the checkpoints given (whose signatures the
// caller has checked) and the latest checkpoint in the server's folder, when it keeps one.
func (a *Audit) VerifyAnchored(ctx context.Context, enteID string, given ...auditanchor.Checkpoint) (Verification, error) {
	return a.VerifyDocuments(ctx, enteID, given, nil)
}

// VerifyDocuments is VerifyAnchored with, besides, the audit heads printed in published register documents.
func (a *Audit) VerifyDocuments(ctx context.Context, enteID string, given []auditanchor.Checkpoint, published []PublishedHead) (Verification, error) {
	latest, err := a.latestCheckpoint(enteID)
	var bad *domain.ChainBreak
	switch {
	case err == nil && latest != nil:
		given = append(given, *latest)
	case err != nil:
		// A checkpoint file that is unreadable or not signed by the server's key was replaced or damaged:
		// the trail cannot be vouched for.
		bad = &domain.ChainBreak{Code: "checkpoint_invalid", Reason: err.Error()}
	}
	v, err := a.verify(ctx, enteID, given, published)
	if err != nil {
		return Verification{}, err
	}
	if bad != nil && v.Valid {
		v.Valid, v.Break, v.HeadHash = false, bad, ""
	}
	v.Checkpoint, v.PublicKey = latest, a.PublicKey()
	return v, nil
}

// PublicKey describes the key verifying the server's checkpoints; nil when the server signs none.
func (a *Audit) PublicKey() *PublicKeyInfo {
	if a.anchor.Signer == nil {
		return nil
	}
	pub := a.anchor.Signer.Public()
	return &PublicKeyInfo{PEM: string(pub.PEM()), Fingerprint: pub.Fingerprint(), KeyID: pub.KeyID()}
}

// latestCheckpoint reads the ente's latest checkpoint from the server's folder and checks its signature;
// nil, nil when the server keeps none or has written none yet.
func (a *Audit) latestCheckpoint(enteID string) (*auditanchor.Checkpoint, error) {
	if a.anchor.Dir == nil || a.anchor.Signer == nil {
		return nil, nil
	}
	c, _, err := a.anchor.Dir.Latest(enteID)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("latest checkpoint: %w", err)
	}
	if err := a.anchor.Signer.Public().Verify(c); err != nil {
		return nil, fmt.Errorf("latest checkpoint: %w", err)
	}
	if c.EnteID != enteID {
		return nil, fmt.Errorf("latest checkpoint: it belongs to ente %s", c.EnteCode)
	}
	return &c, nil
}

// LatestCheckpoint returns the file of the actor's ente's latest checkpoint, as written, for the OIV to keep.
func (a *Audit) LatestCheckpoint(ctx context.Context, actor domain.Actor) ([]byte, error) {
	if err := a.require(actor); err != nil {
		return nil, err
	}
	if a.anchor.Dir == nil || a.anchor.Signer == nil {
		return nil, domain.NotFound("checkpoint_not_found", "this server writes no audit checkpoints: set ARGINE_AUDIT_SIGNING_KEY and ARGINE_AUDIT_CHECKPOINT_DIR")
	}
	_, b, err := a.anchor.Dir.Latest(actor.EnteID)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, domain.NotFound("checkpoint_not_found", "no checkpoint has been written for this ente yet")
	}
	return b, err
}

// ErrChainNotVerified refuses to sign a checkpoint of a chain that does not verify: that would vouch for a
// tampered trail.
var ErrChainNotVerified = errors.New("the audit trail does not verify: no checkpoint signed")

// Checkpoint verifies the ente's chain (against its snapshots, the checkpoints given and the server's latest)
// and signs a checkpoint of its head with signer. It writes nothing.
func (a *Audit) Checkpoint(ctx context.Context, signer *auditanchor.Signer, enteID, enteCode, version string, previous ...auditanchor.Checkpoint) (auditanchor.Checkpoint, Verification, error) {
	if latest, err := a.latestCheckpoint(enteID); err != nil {
		return auditanchor.Checkpoint{}, Verification{}, err
	} else if latest != nil {
		previous = append(previous, *latest)
	}
	v, err := a.VerifyEnte(ctx, enteID, previous...)
	if err != nil {
		return auditanchor.Checkpoint{}, v, err
	}
	if !v.Valid {
		return auditanchor.Checkpoint{}, v, fmt.Errorf("%w: record %d [%s] %s", ErrChainNotVerified, v.Break.Seq, v.Break.Code, v.Break.Reason)
	}
	c := auditanchor.New(enteID, enteCode, v.Head, v.HeadHash, version, time.Now())
	signer.Sign(&c)
	return c, v, nil
}

// WriteCheckpoint makes a checkpoint of the ente's chain and keeps it in the server's folder; why says what
// prompted it, for the log. Failures are logged, never returned: the change that prompted it has happened.
func (a *Audit) WriteCheckpoint(ctx context.Context, enteID, why string) {
	if a.anchor.Signer == nil || a.anchor.Dir == nil {
		return
	}
	log := a.anchor.Log
	if log == nil {
		log = slog.Default()
	}
	code, err := a.store.EnteCodeByID(ctx, enteID)
	if err == nil {
		var c auditanchor.Checkpoint
		if c, _, err = a.Checkpoint(ctx, a.anchor.Signer, enteID, code, a.anchor.Version); err == nil {
			var name string
			if name, err = a.anchor.Dir.Write(c); err == nil {
				log.Info("audit checkpoint written", "ente", code, "seq", c.HeadSeq, "why", why, "file", name)
				return
			}
		}
	}
	log.Error("audit checkpoint not written", "ente_id", enteID, "why", why, "err", err)
}

// WriteCheckpoints checkpoints every ente that has a trail: the server's daily run.
func (a *Audit) WriteCheckpoints(ctx context.Context, why string) {
	ids, err := a.store.AuditEntes(ctx)
	if err != nil {
		if a.anchor.Log != nil {
			a.anchor.Log.Error("audit checkpoints not written", "why", why, "err", err)
		}
		return
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		a.WriteCheckpoint(ctx, id, why)
	}
}
