package domain

import "testing"

func chain(n int) []AuditRecord {
	var out []AuditRecord
	prev := ""
	for i := 1; i <= n; i++ {
		r := AuditRecord{EnteID: "e", Seq: int64(i), At: "2027-01-01T00:00:00.000000Z", Action: "save", PrevHash: prev}
		r.Hash = r.ComputeHash()
		prev = r.Hash
		out = append(out, r)
	}
	return out
}

// TestChainVerifierAnchors: a chain must hold each anchor's record, reach every anchor, and exist at all.
func TestChainVerifierAnchors(t *testing.T) {
	full := chain(5)
	verify := func(records []AuditRecord, anchors ...AuditAnchor) *ChainBreak {
		v := NewChainVerifier()
		v.Expect(anchors...)
		for _, r := range records {
			if !v.Add(r) {
				break
			}
		}
		var headSeq int64
		var headHash string
		if len(records) > 0 {
			headSeq, headHash = records[len(records)-1].Seq, records[len(records)-1].Hash
		}
		return v.Finish(headSeq, headHash)
	}
	at3 := AuditAnchor{Kind: "checkpoint", Source: "checkpoint", Seq: 3, Hash: full[2].Hash}
	if b := verify(full, at3); b != nil {
		t.Fatalf("intact chain: %+v", b)
	}
	other := chain(5)
	other[1].Action = "rewritten"
	for i := 1; i < 5; i++ { // recompute everything after, as an attacker would
		if i > 1 {
			other[i].PrevHash = other[i-1].Hash
		}
		other[i].Hash = other[i].ComputeHash()
	}
	if b := verify(other); b != nil {
		t.Fatalf("a recomputed chain verifies on its own: %+v", b)
	}
	for name, c := range map[string]struct {
		records []AuditRecord
		code    string
		seq     int64
	}{
		"rewritten": {other, "anchor_mismatch", 3},
		"truncated": {full[:2], "anchor_missing", 3},
		"deleted":   {nil, "trail_empty", 1},
	} {
		if b := verify(c.records, at3); b == nil || b.Code != c.code || b.Seq != c.seq {
			t.Errorf("%s: %+v", name, b)
		}
	}
	if b := verify(nil); b != nil {
		t.Fatalf("an empty trail with no anchor: %+v", b)
	}
}
