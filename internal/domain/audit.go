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
	Seq int64 `json:"seq"` // the first record that does not verify (or the first missing one)
	// record_altered, record_missing, link_broken, records_out_of_order, tail_missing, head_mismatch,
	// anchor_mismatch (the chain no longer holds a checkpointed or adopted head), anchor_missing (the chain ends
	// before an anchor), trail_empty (no records although anchors say there were)
	Code   string `json:"code"`
	Reason string `json:"reason"` // in English, for the log and the CLI
}

// ChainVerifier checks records fed in sequence order, one at a time, so a chain of any length is verified
// with constant memory.
type ChainVerifier struct {
	next     int64
	prevHash string
	Count    int64
	Break    *ChainBreak
	anchors  map[int64][]AuditAnchor
}

// AuditAnchor is a head of the chain recorded outside it: a signed checkpoint, the head an adopted snapshot
// froze. A valid chain still holds exactly that record at that position, so rewriting, truncating or deleting
// the trail before it shows even when every hash was recomputed.
type AuditAnchor struct {
	Kind   string `json:"kind"`   // snapshot or checkpoint
	Ref    string `json:"ref"`    // the snapshot's cycle code, or the checkpoint's time
	Source string `json:"source"` // both, in English, for the CLI and the log: "snapshot of cycle 2026-2028"
	Seq    int64  `json:"seq"`
	Hash   string `json:"hash"`
}

// Expect adds anchors the chain must hold; call it before the first Add.
func (v *ChainVerifier) Expect(anchors ...AuditAnchor) {
	if v.anchors == nil {
		v.anchors = map[int64][]AuditAnchor{}
	}
	for _, a := range anchors {
		v.anchors[a.Seq] = append(v.anchors[a.Seq], a)
	}
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
	for _, a := range v.anchors[r.Seq] {
		if a.Hash != r.Hash {
			return fail(r.Seq, "anchor_mismatch", "record %d is not the one the %s recorded: the trail was rewritten up to it (hash %s, recorded %s)",
				r.Seq, a.Source, short(r.Hash), short(a.Hash))
		}
	}
	v.prevHash, v.next = r.Hash, r.Seq+1
	v.Count++
	return true
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Finish compares the end of the chain with its recorded head (sequence and hash of the last append).
func (v *ChainVerifier) Finish(headSeq int64, headHash string) *ChainBreak {
	if v.Break != nil {
		return v.Break
	}
	last := v.next - 1
	var beyond *AuditAnchor
	for seq, as := range v.anchors {
		if seq > last && seq > 0 && (beyond == nil || seq > beyond.Seq) {
			beyond = &as[0]
		}
	}
	if beyond != nil {
		if last == 0 {
			v.Break = &ChainBreak{Seq: 1, Code: "trail_empty", Reason: fmt.Sprintf("the trail has no records, but the %s recorded %d: the trail was deleted", beyond.Source, beyond.Seq)}
		} else {
			v.Break = &ChainBreak{Seq: last + 1, Code: "anchor_missing", Reason: fmt.Sprintf("the trail ends at record %d, but the %s recorded %d: records were removed", last, beyond.Source, beyond.Seq)}
		}
		return v.Break
	}
	if v.next-1 < headSeq {
		v.Break = &ChainBreak{Seq: v.next, Code: "tail_missing", Reason: fmt.Sprintf("records %d to %d are missing from the end of the trail", v.next, headSeq)}
	} else if v.next-1 > headSeq || v.prevHash != headHash {
		v.Break = &ChainBreak{Seq: v.next - 1, Code: "head_mismatch", Reason: fmt.Sprintf("the trail ends at record %d but its head records %d: records were added outside the application", v.next-1, headSeq)}
	}
	return v.Break
}
