package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// useClock points every clock of the notifications at clk for the test.
func useClock(t *testing.T, clk *testClock) {
	old := notify.Now
	notify.Now = clk.now
	t.Cleanup(func() { notify.Now = old })
}

func calendarInput(version int64, days []int, items ...[3]string) service.CalendarInput {
	var in service.CalendarInput
	in.Version, in.ReminderDays = version, days
	for _, it := range items {
		in.Items = append(in.Items, struct {
			Phase     string `json:"phase"`
			RoundDate string `json:"round_date"`
			DueOn     string `json:"due_on"`
		}{it[0], it[1], it[2]})
	}
	return in
}

func at(day string, hour int) time.Time {
	d, _ := time.Parse(time.DateOnly, day)
	return d.Add(time.Duration(hour) * time.Hour) // UTC: 09 UTC is 10 in Rome in winter, the same day
}

func TestCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		cal := service.NewCalendar(x.store, x.authz)
		clk := &testClock{t: at("2026-01-05", 9)}
		cal.SetClock(clk.now)
		if _, err := cal.Set(ctx, x.dir1, "2026-2028", calendarInput(0, nil)); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("a director sets the calendar: %v", err)
		}
		var ve *domain.ValidationError
		_, err := cal.Set(ctx, x.rpct, "2026-2028", calendarInput(0, []int{0}, [3]string{"adoption_due", "", "2026-02-15"}, [3]string{"monitoring_due", "", "2026-06-30"}))
		if !errors.As(err, &ve) || len(ve.Problems) != 3 || ve.Problems[0].Field != "items[0].due_on" || ve.Problems[1].Field != "items[1].round_date" || ve.Problems[2].Field != "reminder_days[0]" {
			t.Fatalf("invalid calendar: %+v", err)
		}
		v, err := cal.Set(ctx, x.rpct, "2026-2028", calendarInput(0, []int{1, 7, 14},
			[3]string{"assessment_open", "", "2026-01-05"}, [3]string{"self_assessment_due", "", "2026-01-15"},
			[3]string{"review_due", "", "2026-01-22"}, [3]string{"adoption_due", "", "2026-01-31"}))
		if err != nil || v.Version != 1 || len(v.Items) != 4 || fmt.Sprint(v.ReminderDays) != "[14 7 1]" {
			t.Fatalf("set: %+v %v", v, err)
		}
		if _, err := cal.Set(ctx, x.rpct, "2026-2028", calendarInput(0, nil)); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("stale version: %v", err)
		}
		if d, err := x.store.CampaignDeadline(ctx, x.tn.EnteID, mustCycleID(t, x)); err != nil || d != "2026-01-15" {
			t.Fatalf("campaign deadline from the calendar: %q %v", d, err)
		}
		mine, err := cal.Get(ctx, x.dir1, "2026-2028")
		if err != nil {
			t.Fatal(err)
		}
		due := mine.Items[1]
		if due.Phase != "self_assessment_due" || due.DaysLeft != 10 || !due.Mine || !strings.Contains(due.Todo, "valutazioni da inviare") {
			t.Fatalf("director's self-assessment date: %+v", due)
		}
		if mine.Items[3].Mine || mine.CanEdit {
			t.Fatalf("the adoption is not the director's: %+v", mine)
		}
		rp, _ := cal.Get(ctx, x.rpct, "2026-2028")
		if !rp.Items[3].Mine || !rp.CanEdit || rp.Items[1].Mine {
			t.Fatalf("rpct's calendar: %+v", rp.Items)
		}
		// The OIV reads the dates, with nothing to do.
		if o, err := cal.Get(ctx, x.oiv, "2026-2028"); err != nil || len(o.Items) != 4 || o.Items[1].Mine {
			t.Fatalf("oiv: %+v %v", o, err)
		}
		other := x.tenant(t, "ente-b")
		if _, err := cal.Get(ctx, actorWith(other, "rpct", domain.Grant{Role: domain.RoleRPCT}), "2026-2028"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("another ente's cycle: %v", err)
		}
	})
}

func count(t *testing.T, st *store.Store, who domain.Actor, kind string) int {
	t.Helper()
	return len(inbox(t, st, who)[kind])
}

// The scheduler with an injected clock: the opening on its date, reminders 7 and 1 days before to who still
// has work, a daily overdue digest to the RPCT, nothing twice, one instance at a time.
func TestScheduler(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		clk := &testClock{t: at("2026-01-02", 9)}
		useClock(t, clk)
		cal := service.NewCalendar(x.store, x.authz)
		cal.SetClock(clk.now)
		if _, err := cal.Set(ctx, x.rpct, "2026-2028", calendarInput(0, nil,
			[3]string{"assessment_open", "", "2026-01-05"}, [3]string{"self_assessment_due", "", "2026-01-15"})); err != nil {
			t.Fatal(err)
		}
		s1, s2 := service.NewScheduler(x.store, nil), service.NewScheduler(x.store, nil)
		s1.SetClock(clk.now)
		s2.SetClock(clk.now)
		run := func(s *service.Scheduler) service.SchedulerReport {
			t.Helper()
			r, err := s.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := run(s1); !r.Leader || r.Openings+r.Reminders+r.Overdue != 0 {
			t.Fatalf("before the opening: %+v", r)
		}
		if r := run(s2); r.Leader {
			t.Fatal("two schedulers at once")
		}
		clk.set(at("2026-01-05", 9))
		if r := run(s1); r.Openings != 1 {
			t.Fatalf("opening: %+v", r)
		}
		for _, who := range []domain.Actor{x.dir1, x.ref1, x.dir2} {
			if got := inbox(t, x.store, who)["assessment_assigned"]; len(got) != 1 || !strings.Contains(got[0].Body, "15/01/2026") {
				t.Fatalf("%s told of the opening: %+v", who.Username, got)
			}
		}
		if count(t, x.store, x.oiv, "assessment_assigned")+count(t, x.store, x.rpct, "assessment_assigned") != 0 {
			t.Fatal("the opening reached the OIV or the RPCT")
		}
		if r := run(s1); r.Openings != 0 {
			t.Fatalf("opened twice: %+v", r)
		}
		// 7 days before: a reminder to the units with work left. The first scheduler stopped (its lease ran
		// out days ago): the other takes over.
		clk.set(at("2026-01-08", 9))
		if r := run(s2); !r.Leader || r.Reminders != 1 {
			t.Fatalf("7-day reminder: %+v", r)
		}
		if got := inbox(t, x.store, x.dir1)["reminder"]; len(got) != 1 || !strings.Contains(got[0].Body, "Mancano 7 giorni") || !strings.Contains(got[0].Body, "valutazioni da inviare") {
			t.Fatalf("dir1's reminder: %+v", got)
		}
		if r := run(s2); r.Reminders != 0 {
			t.Fatalf("reminded twice: %+v", r)
		}
		clk.set(at("2026-01-14", 9))
		if r := run(s2); r.Reminders != 1 {
			t.Fatalf("1-day reminder: %+v", r)
		}
		if got := inbox(t, x.store, x.dir1)["reminder"]; len(got) != 2 || got[0].Urgent != 1 {
			t.Fatalf("dir1's last reminder: %+v", got)
		}
		// Past due: a daily digest to the RPCT of what is overdue, by unit; once a day.
		clk.set(at("2026-01-16", 9))
		if r := run(s2); r.Overdue != 1 {
			t.Fatalf("overdue: %+v", r)
		}
		od := inbox(t, x.store, x.rpct)["overdue_digest"]
		if len(od) != 1 || !strings.Contains(od[0].Body, "Struttura AD1") || !strings.Contains(od[0].Body, "Struttura AD2") {
			t.Fatalf("overdue digest: %+v", od)
		}
		if r := run(s2); r.Overdue != 0 {
			t.Fatal("overdue digest twice a day")
		}
		if count(t, x.store, x.dir1, "overdue_digest") != 0 {
			t.Fatal("a director got the RPCT's overdue digest")
		}
		clk.set(at("2026-01-17", 9))
		if r := run(s2); r.Overdue != 1 {
			t.Fatalf("next day's overdue digest: %+v", r)
		}
	})
}

// The notifications that did not get an e-mail of their own go out in one digest: daily, or on Mondays.
func TestDigest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		clk := &testClock{t: at("2026-01-07", 9)} // a Wednesday
		useClock(t, clk)
		rs, _ := x.store.RecipientsByID(ctx, x.tn.EnteID, []string{x.rpct.UserID, x.dir1.UserID})
		for i := range 3 {
			if err := x.store.WithTx(ctx, func(tx *store.Store) error {
				return notify.Enqueue(ctx, tx, notify.Event{EnteID: x.tn.EnteID, Kind: notify.AssessmentSubmitted, Recipients: rs,
					Subject: fmt.Sprintf("Valutazione %d", i), Link: "/revisione"})
			}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := x.store.SavePrefs(ctx, store.NotificationPrefs{UserID: x.dir1.UserID, EnteID: x.tn.EnteID, Digest: "weekly"}, 0); err != nil {
			t.Fatal(err)
		}
		s := service.NewScheduler(x.store, nil)
		s.SetClock(clk.now)
		clk.set(at("2026-01-08", 9))
		r, err := s.RunOnce(ctx)
		if err != nil || r.Digests != 1 {
			t.Fatalf("daily digest: %+v %v", r, err)
		}
		mails, _, _ := x.store.OutboxPage(ctx, x.tn.EnteID, "queued", 0, 100)
		var digest *store.OutboxMail
		for i, m := range mails {
			if m.Kind == "digest" {
				digest = &mails[i]
			}
		}
		if digest == nil || digest.UserID != x.rpct.UserID || !strings.Contains(digest.Body, "Valutazione 1") || !strings.Contains(digest.Body, "Valutazione 2") || strings.Contains(digest.Body, "Valutazione 0") {
			t.Fatalf("digest: %+v", digest)
		}
		if r, _ := s.RunOnce(ctx); r.Digests != 0 {
			t.Fatal("digest twice")
		}
		clk.set(at("2026-01-12", 9)) // Monday: the weekly one
		if r, _ := s.RunOnce(ctx); r.Digests != 1 {
			t.Fatalf("weekly digest: %+v", r)
		}
	})
}

// A monitoring date reminds the units whose measures still lack a self-assessment, and once they are all in,
// nothing is overdue.
func TestSchedulerMonitoringReminder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		x, ctx := newRegisterFixture(t, db), context.Background()
		realActors(t, &x)
		clk := &testClock{t: at("2026-12-01", 9)}
		useClock(t, clk)
		saved, err := x.reg.SaveAssessment(ctx, x.dir1, "2026-2028", "A1.1.1.2", sampleAssessment(0)) // m1 is AD1's
		if err != nil {
			t.Fatal(err)
		}
		consolidateFor(t, x, "A1.1.1.2")
		mon := service.NewMonitoring(x.store, x.authz)
		if _, err := mon.OpenRound(ctx, x.rpct, "2026-2028", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		cal := service.NewCalendar(x.store, x.authz)
		cal.SetClock(clk.now)
		if _, err := cal.Set(ctx, x.rpct, "2026-2028", calendarInput(0, []int{1}, [3]string{"monitoring_due", "2026-12-31", "2027-01-15"})); err != nil {
			t.Fatal(err)
		}
		v, err := cal.Get(ctx, x.ref1, "2026-2028")
		if err != nil || len(v.Items) != 1 || v.Items[0].Todo != "1 misura di cui indicare l'attuazione" {
			t.Fatalf("referente's calendar: %+v %v", v, err)
		}
		s := service.NewScheduler(x.store, nil)
		s.SetClock(clk.now)
		clk.set(at("2027-01-14", 9))
		if r, err := s.RunOnce(ctx); err != nil || r.Reminders != 1 {
			t.Fatalf("reminder: %+v %v", r, err)
		}
		if got := inbox(t, x.store, x.ref1)["reminder"]; len(got) != 1 || !strings.Contains(got[0].Body, "misura di cui indicare l'attuazione") || got[0].Link != "/monitoraggio?ciclo=2026-2028" {
			t.Fatalf("referente's reminder: %+v", got)
		}
		if count(t, x.store, x.dir2, "reminder") != 0 {
			t.Fatal("a unit without pending measures was reminded")
		}
		if _, err := mon.SelfAssess(ctx, x.ref1, "2026-2028", "2026-12-31", saved.Measures[0].ID, store.MonitoringEntry{Status: "attuata",
			IndicatorValues: []store.IndicatorValue{{Name: "pratiche controllate / pratiche", Value: "12%"}}}); err != nil {
			t.Fatal(err)
		}
		clk.set(at("2027-01-16", 9))
		if r, err := s.RunOnce(ctx); err != nil || r.Overdue != 0 {
			t.Fatalf("nothing is overdue once self-assessed: %+v %v", r, err)
		}
	})
}
