package service

import (
	"context"
	"encoding/json"
	"time"

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
	store *store.Store
	authz *authz.Authorizer
}

// NewAudit builds the audit service.
func NewAudit(s *store.Store, az *authz.Authorizer) *Audit { return &Audit{store: s, authz: az} }

func (a *Audit) require(actor domain.Actor) error {
	if !a.authz.Can(actor, authz.ObjAudit, authz.ActRead) {
		return domain.Forbidden("forbidden", "your role does not allow reading the audit trail")
	}
	return nil
}

// AuditPage is one page of the trail, newest first.
type AuditPage struct {
	Items    []domain.AuditRecord `json:"items"`
	Total    int64                `json:"total"`
	Page     int                  `json:"page"`
	PageSize int                  `json:"page_size"`
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
	return &AuditPage{Items: items, Total: total, Page: nf.Page, PageSize: nf.PageSize}, nil
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
	Valid   bool               `json:"valid"`
	Records int64              `json:"records"`
	Head    int64              `json:"head"`
	Break   *domain.ChainBreak `json:"break,omitempty"`
}

// VerifyEnte checks the chain of one ente from its first record, streaming.
func (a *Audit) VerifyEnte(ctx context.Context, enteID string) (Verification, error) {
	headSeq, headHash, err := a.store.AuditHead(ctx, enteID)
	if err != nil {
		return Verification{}, err
	}
	v := domain.NewChainVerifier()
	err = a.store.StreamAudit(ctx, enteID, store.AuditFilter{}, func(r domain.AuditRecord) error {
		if !v.Add(r) {
			return errStopStream
		}
		return nil
	})
	if err != nil && err != errStopStream {
		return Verification{}, err
	}
	brk := v.Finish(headSeq, headHash)
	return Verification{Valid: brk == nil, Records: v.Count, Head: headSeq, Break: brk}, nil
}

type stopStream struct{}

func (stopStream) Error() string { return "stop" }

var errStopStream error = stopStream{}

// Verify checks the actor's ente's chain.
func (a *Audit) Verify(ctx context.Context, actor domain.Actor) (Verification, error) {
	if err := a.require(actor); err != nil {
		return Verification{}, err
	}
	return a.VerifyEnte(ctx, actor.EnteID)
}
