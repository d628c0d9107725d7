package notify_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/notify/mailpittest"
	"github.com/argine-pa/argine/internal/store"
)

// BenchmarkSender1000 delivers 1,000 queued e-mails to a local Mailpit. Target: < 30 s per iteration on both
// databases. Run with -benchtime=1x.
func BenchmarkSender1000(b *testing.B) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(d.name, func(b *testing.B) {
			srv := mailpittest.Start(b)
			for b.Loop() {
				b.StopTimer()
				db := d.open(b)
				f := setupTB(b, db)
				ctx := context.Background()
				evs := make([]notify.Event, 1000)
				for i := range evs {
					evs[i] = notify.Event{EnteID: f.ente, Kind: notify.Reminder, Urgent: true, Recipients: []store.Recipient{f.users["dir1"]},
						Subject: fmt.Sprintf("Promemoria %d", i), Body: "Mancano 7 giorni alla scadenza dell'autovalutazione.", Link: "/registro"}
				}
				if err := f.st.WithTx(ctx, func(tx *store.Store) error { return notify.EnqueueAll(ctx, tx, evs) }); err != nil {
					b.Fatal(err)
				}
				s := f.sender(srv, srv.SMTPAddr)
				b.StartTimer()
				res, err := s.Drain(ctx)
				if err != nil || res.Sent != 1000 {
					b.Fatalf("%+v %v", res, err)
				}
			}
		})
	}
}
