package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// AuditRecord is one entry of an ente's append-only, hash-chained audit trail.
type AuditRecord struct {
	EnteID     string `json:"-"`
	Seq        int64  `json:"seq"`
	At         string `json:"at"` // UTC, AuditTimeLayout
	ActorID    string `json:"actor_id"`
	ActorName  string `json:"actor_name"`
	ClientAddr string `json:"client_addr"`
	RequestID  string `json:"request_id"`
	Entity     string `json:"entity"`
	EntityID   string `json:"entity_id"`
	Action     string `json:"action"`
	Before     string `json:"before"` // JSON, "" when the entity did not exist
	After      string `json:"after"`  // JSON, "" when the entity was removed
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// AuditTimeLayout is fixed-width so the stored text, which the hash covers, sorts and compares as time.
const AuditTimeLayout = "2006-01-02T15:04:05.000000Z"

// AuditTime formats an instant for the trail.
func AuditTime(t time.Time) string { return t.UTC().Format(AuditTimeLayout) }

// ComputeHash is the SHA-256 of every field but the hash itself, in a fixed order, including the ente and
// the predecessor's hash: changing, removing or moving any record breaks the chain after it.
func (r AuditRecord) ComputeHash() string {
	payload, _ := json.Marshal([]any{r.EnteID, r.Seq, r.At, r.ActorID, r.ActorName, r.ClientAddr, r.RequestID,
		r.Entity, r.EntityID, r.Action, r.Before, r.After, r.PrevHash})
	sum := sha256.Sum256(payload)
	return hex.EncodeToString(sum[:])
}

// ChainBreak locates the first broken link of a chain.
type ChainBreak struct {
	Seq    int64  `json:"seq"`    // the first record that does not verify (or the first missing one)
	Code   string `json:"code"`   // record_altered, record_missing, link_broken, records_out_of_order, tail_missing
	Reason string `json:"reason"` // in English, for the log and the CLI
}

// ChainVerifier checks records fed in sequence order, one at a time, so a chain of any length is verified
// with constant memory.
type ChainVerifier struct {
	next     int64
	prevHash string
	Count    int64
	Break    *ChainBreak
}

// NewChainVerifier starts a verification at the first record.
func NewChainVerifier() *ChainVerifier { return &ChainVerifier{next: 1} }

// Add checks one record; it returns false once the chain is broken (later records are not checked).
func (v *ChainVerifier) Add(r AuditRecord) bool {
	if v.Break != nil {
		return false
	}
	fail := func(seq int64, code, format string, args ...any) bool {
		v.Break = &ChainBreak{Seq: seq, Code: code, Reason: fmt.Sprintf(format, args...)}
		return false
	}
	switch {
	case r.Seq > v.next:
		return fail(v.next, "record_missing", "record %d is missing: the trail jumps from %d to %d", v.next, v.next-1, r.Seq)
	case r.Seq < v.next:
		return fail(r.Seq, "records_out_of_order", "record %d appears again after record %d", r.Seq, v.next-1)
	case r.PrevHash != v.prevHash:
		return fail(r.Seq, "link_broken", "record %d does not follow record %d: its link to the previous hash is broken (records moved, replaced or removed)", r.Seq, r.Seq-1)
	case r.ComputeHash() != r.Hash:
		return fail(r.Seq, "record_altered", "record %d was altered after it was written: its content no longer matches its hash", r.Seq)
	}
	v.prevHash, v.next = r.Hash, r.Seq+1
	v.Count++
	return true
}

// Finish compares the end of the chain with its recorded head (sequence and hash of the last append).
func (v *ChainVerifier) Finish(headSeq int64, headHash string) *ChainBreak {
	if v.Break != nil {
		return v.Break
	}
	if v.next-1 < headSeq {
		v.Break = &ChainBreak{Seq: v.next, Code: "tail_missing", Reason: fmt.Sprintf("records %d to %d are missing from the end of the trail", v.next, headSeq)}
	} else if v.next-1 > headSeq || v.prevHash != headHash {
		v.Break = &ChainBreak{Seq: v.next - 1, Code: "head_mismatch", Reason: fmt.Sprintf("the trail ends at record %d but its head records %d: records were added outside the application", v.next-1, headSeq)}
	}
	return v.Break
}
