package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/store"
)

// maxDigestLines bounds a digest e-mail; the rest is counted and waits in the app.
const maxDigestLines = 50

// EnqueueDigest queues one e-mail summing up a person's notifications that did not get an e-mail of their own,
// and marks them digested, in tx. period is "del giorno" or "della settimana".
func EnqueueDigest(ctx context.Context, tx *store.Store, r store.Recipient, enteID, period string, items []store.Notification) error {
	if len(items) == 0 || r.Email == "" {
		return nil
	}
	at := Now().UTC()
	var b strings.Builder
	fmt.Fprintf(&b, "ecco il riepilogo %s delle notifiche di Argine che non ti sono state inviate singolarmente (%s).\n\n", period, count(len(items)))
	ids := make([]string, len(items))
	for i, n := range items {
		ids[i] = n.ID
		if i < maxDigestLines {
			fmt.Fprintf(&b, "- %s (%s)\n", n.Subject, n.CreatedAt.In(Location).Format("02/01 15:04"))
		}
	}
	if len(items) > maxDigestLines {
		fmt.Fprintf(&b, "- … e altre %d\n", len(items)-maxDigestLines)
	}
	b.WriteString("\nLe trovi tutte, con i collegamenti, nella pagina delle notifiche.")
	mail := newMail(enteID, r, nil, string(Digest), false, at.In(Location).Format("2006-01-02"),
		fmt.Sprintf("Riepilogo %s: %s", period, count(len(items))), greeting(r)+b.String(), "/notifiche", at.Truncate(time.Microsecond))
	if err := tx.InsertNotifications(ctx, nil, []store.OutboxMail{mail}); err != nil {
		return err
	}
	return tx.MarkDigested(ctx, ids)
}

func count(n int) string {
	if n == 1 {
		return "1 notifica"
	}
	return fmt.Sprintf("%d notifiche", n)
}
