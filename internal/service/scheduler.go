package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/store"
)

// Scheduler sends what the calendar makes due: the campaign opening on its date, reminders N days before each
// date to whoever still has work, a daily digest of what is overdue to the RPCT, and each person's digest of
// the notifications that did not get an e-mail of their own. It runs inside `argine serve` on one instance at
// a time (the holder of a lease row in the database) or from cron with `argine notify run`. Every action is
// marked done in the same transaction that enqueues it, so a rerun (or a second instance) repeats nothing.
type Scheduler struct {
	store  *store.Store
	now    func() time.Time
	holder string
	log    *slog.Logger
}

// NewScheduler builds the scheduler; each instance gets its own holder identity for the lease.
func NewScheduler(s *store.Store, log *slog.Logger) *Scheduler {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{store: s, now: time.Now, holder: hex.EncodeToString(b), log: log}
}

// SetClock replaces the clock (tests).
func (s *Scheduler) SetClock(now func() time.Time) { s.now = now }

// SchedulerReport counts what a run did.
type SchedulerReport struct {
	Leader     bool `json:"leader"`
	Openings   int  `json:"openings"`
	Reminders  int  `json:"reminders"`
	Overdue    int  `json:"overdue"`
	Digests    int  `json:"digests"`
	DatesSeen  int  `json:"dates_seen"`
	EntesTouch int  `json:"entes"`
}

// schedulerLease is how long an instance stays the scheduler without renewing.
const schedulerLease = 10 * time.Minute

// RunOnce takes (or renews) the lease and, if this instance holds it, does whatever is due today.
func (s *Scheduler) RunOnce(ctx context.Context) (SchedulerReport, error) {
	var rep SchedulerReport
	at := s.now().UTC()
	ok, err := s.store.AcquireLease(ctx, "scheduler", s.holder, at, at.Add(schedulerLease))
	if err != nil || !ok {
		return rep, err
	}
	rep.Leader = true
	return rep, s.tick(ctx, at, &rep)
}

// Run calls RunOnce every interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if rep, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("notification scheduler", "error", err.Error())
		} else if rep.Openings+rep.Reminders+rep.Overdue+rep.Digests > 0 {
			s.log.Info("notification scheduler", "openings", rep.Openings, "reminders", rep.Reminders, "overdue", rep.Overdue, "digests", rep.Digests)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// once runs fn in a transaction that also marks key done; a key already done skips fn.
func (s *Scheduler) once(ctx context.Context, key string, at time.Time, fn func(tx *store.Store) error) (bool, error) {
	done := false
	err := s.store.WithTx(ctx, func(tx *store.Store) error {
		fresh, err := tx.MarkRun(ctx, key, at)
		if err != nil || !fresh {
			return err
		}
		done = true
		return fn(tx)
	})
	return done && err == nil, err
}

type overdueLine struct{ unit, text string }

func (s *Scheduler) tick(ctx context.Context, at time.Time, rep *SchedulerReport) error {
	day := today(at)
	dayS := day.Format(time.DateOnly)
	entries, err := s.store.CalendarDue(ctx, day.AddDate(0, 0, -366).Format(time.DateOnly), day.AddDate(0, 0, 91).Format(time.DateOnly))
	if err != nil {
		return err
	}
	rep.DatesSeen = len(entries)
	cycleIDs := map[string]bool{}
	for _, e := range entries {
		cycleIDs[e.CycleID] = true
	}
	daysOf, err := s.store.ReminderDays(ctx, keys(cycleIDs))
	if err != nil {
		return err
	}
	overdue := map[string][]overdueLine{} // ente -> lines
	for _, e := range entries {
		cycle, err := s.store.CycleByID(ctx, e.EnteID, e.CycleID)
		if err != nil {
			return err
		}
		left := daysBetween(day, e.DueOn)
		switch {
		case e.Phase == PhaseAssessmentOpen:
			if left <= 0 && cycle.State == domain.CycleOpen {
				did, err := s.once(ctx, "open/"+cycle.ID, at, func(tx *store.Store) error {
					_, err := OpenCampaign(ctx, tx, e.EnteID, cycle)
					return err
				})
				if err != nil {
					return err
				}
				if did {
					rep.Openings++
				}
			}
		case left >= 0:
			// The closest reminder whose window has begun; the farther ones are marked done with it, so a
			// server that was down on the 7-day mark still reminds once, not twice.
			ds := parseDays(daysOf[e.CycleID])
			slices.Sort(ds)
			for _, n := range ds {
				if left > n {
					continue
				}
				key := fmt.Sprintf("remind/%s/%s/%s/%d", e.CycleID, e.Phase, e.RoundDate, n)
				did, err := s.once(ctx, key, at, func(tx *store.Store) error {
					for _, m := range ds {
						if m > n {
							if _, err := tx.MarkRun(ctx, fmt.Sprintf("remind/%s/%s/%s/%d", e.CycleID, e.Phase, e.RoundDate, m), at); err != nil {
								return err
							}
						}
					}
					return s.remind(ctx, tx, cycle, e, left)
				})
				if err != nil {
					return err
				}
				if did {
					rep.Reminders++
				}
				break
			}
		default: // past due
			lines, err := s.overdueLines(ctx, cycle, e)
			if err != nil {
				return err
			}
			overdue[e.EnteID] = append(overdue[e.EnteID], lines...)
		}
	}
	for ente, lines := range overdue {
		if len(lines) == 0 {
			continue
		}
		did, err := s.once(ctx, "overdue/"+ente+"/"+dayS, at, func(tx *store.Store) error {
			return s.sendOverdue(ctx, tx, ente, lines)
		})
		if err != nil {
			return err
		}
		if did {
			rep.Overdue++
		}
	}
	return s.digests(ctx, at, day, rep)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// OpenCampaign tells each unit's directors and referenti that the assessment campaign of the cycle is open and
// how many leaves are theirs, in tx. It returns the number of notifications' events (one per unit).
func OpenCampaign(ctx context.Context, tx *store.Store, enteID string, cycle *domain.Cycle) (int, error) {
	progress, err := tx.Progress(ctx, enteID, cycle.ID)
	if err != nil {
		return 0, err
	}
	people, err := tx.UnitRecipients(ctx, enteID, []string{string(domain.RoleDirector), string(domain.RoleReferente)})
	if err != nil {
		return 0, err
	}
	due := ""
	entries, _, _, err := tx.Calendar(ctx, enteID, cycle.ID)
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		if e.Phase == PhaseSelfAssessmentDue {
			due = e.DueOn
		}
	}
	var events []notify.Event
	for _, u := range progress {
		toAssess := u.Leaves - u.States[store.ProgressExcluded]
		if toAssess == 0 || len(people[u.Unit]) == 0 {
			continue
		}
		body := fmt.Sprintf("è aperta la mappatura e valutazione dei rischi del ciclo %s. La struttura %s ha %s.", cycle.Code, u.Unit,
			plural(toAssess, "processo da valutare", "processi da valutare"))
		if due != "" {
			body += " L'autovalutazione va inviata al RPCT entro il " + italianDate(due) + "."
		}
		events = append(events, notify.Event{EnteID: enteID, Kind: notify.AssessmentAssigned, Recipients: people[u.Unit],
			Subject: "Campagna aperta: ciclo " + cycle.Code, Body: body, Link: screen("/registro", cycle.Code)})
	}
	return len(events), notify.EnqueueAll(ctx, tx, events)
}

func italianDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("02/01/2006")
}

// remind tells whoever still has work for e that the date is left days away.
func (s *Scheduler) remind(ctx context.Context, tx *store.Store, cycle *domain.Cycle, e store.CalendarEntry, left int) error {
	when := fmt.Sprintf("Mancano %d giorni", left)
	switch left {
	case 0:
		when = "Scade oggi"
	case 1:
		when = "Manca 1 giorno"
	}
	subject := fmt.Sprintf("Promemoria: %s il %s", strings.ToLower(phaseLabels[e.Phase]), italianDate(e.DueOn))
	var events []notify.Event
	ev := func(rs []store.Recipient, body, link string) {
		if len(rs) > 0 {
			events = append(events, notify.Event{EnteID: e.EnteID, Kind: notify.Reminder, Recipients: rs, Subject: subject,
				Body: when + " alla " + strings.ToLower(phaseLabels[e.Phase]) + " (" + italianDate(e.DueOn) + ", ciclo " + cycle.Code + "). " + body,
				Link: screen(link, cycle.Code), Urgent: left <= 1})
		}
	}
	w, err := workOf(ctx, tx, e.EnteID, cycle, []domain.Grant{{Role: domain.RoleRPCT}})
	if err != nil {
		return err
	}
	switch e.Phase {
	case PhaseSelfAssessmentDue:
		if cycle.State != domain.CycleOpen {
			return nil
		}
		people, err := tx.UnitRecipients(ctx, e.EnteID, []string{string(domain.RoleDirector), string(domain.RoleReferente)})
		if err != nil {
			return err
		}
		for _, u := range keysOf(w.openByUnit) {
			if n := w.openByUnit[u]; n > 0 {
				ev(people[u], fmt.Sprintf("La struttura %s ha ancora %s.", u, plural(n, "valutazione da inviare", "valutazioni da inviare")), "/registro")
			}
		}
	case PhaseMonitoringDue:
		if !monitoredCycle(cycle) {
			return nil
		}
		pending, err := pendingMeasures(ctx, tx, e.EnteID, cycle, e.RoundDate)
		if err != nil {
			return err
		}
		people, err := tx.UnitRecipients(ctx, e.EnteID, []string{string(domain.RoleDirector), string(domain.RoleReferente)})
		if err != nil {
			return err
		}
		for _, u := range keysOf(pending) {
			ev(people[u], fmt.Sprintf("La struttura %s ha ancora %s.", u, plural(pending[u], "misura di cui indicare l'attuazione", "misure di cui indicare l'attuazione")), "/monitoraggio")
		}
	default:
		todo := w.todo(e)
		if todo == "" {
			return nil
		}
		rs, err := rpcts(ctx, tx, e.EnteID)
		if err != nil {
			return err
		}
		ev(rs, "Da fare: "+todo+".", "/ciclo")
	}
	return notify.EnqueueAll(ctx, tx, events)
}

func keysOf(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// overdueLines lists, per unit, what is late for a past date.
func (s *Scheduler) overdueLines(ctx context.Context, cycle *domain.Cycle, e store.CalendarEntry) ([]overdueLine, error) {
	label := phaseLabels[e.Phase] + " (" + italianDate(e.DueOn) + ", ciclo " + cycle.Code + ")"
	switch e.Phase {
	case PhaseSelfAssessmentDue:
		if cycle.State != domain.CycleOpen {
			return nil, nil
		}
		w, err := workOf(ctx, s.store, e.EnteID, cycle, []domain.Grant{{Role: domain.RoleRPCT}})
		if err != nil {
			return nil, err
		}
		var out []overdueLine
		for _, u := range keysOf(w.openByUnit) {
			if n := w.openByUnit[u]; n > 0 {
				out = append(out, overdueLine{u, label + ": " + plural(n, "valutazione non inviata", "valutazioni non inviate")})
			}
		}
		return out, nil
	case PhaseMonitoringDue:
		if !monitoredCycle(cycle) {
			return nil, nil
		}
		pending, err := pendingMeasures(ctx, s.store, e.EnteID, cycle, e.RoundDate)
		if err != nil {
			return nil, err
		}
		var out []overdueLine
		for _, u := range keysOf(pending) {
			out = append(out, overdueLine{u, label + " al " + e.RoundDate + ": " + plural(pending[u], "misura senza stato di attuazione", "misure senza stato di attuazione")})
		}
		return out, nil
	case PhaseAssessmentOpen:
		return nil, nil
	default:
		w, err := workOf(ctx, s.store, e.EnteID, cycle, []domain.Grant{{Role: domain.RoleRPCT}})
		if err != nil {
			return nil, err
		}
		if todo := w.todo(e); todo != "" {
			return []overdueLine{{"", label + ": " + todo}}, nil
		}
	}
	return nil, nil
}

// sendOverdue sends the RPCT the day's list of what is overdue, by unit.
func (s *Scheduler) sendOverdue(ctx context.Context, tx *store.Store, enteID string, lines []overdueLine) error {
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].unit < lines[j].unit })
	var b strings.Builder
	b.WriteString("questo è l'elenco di ciò che risulta in ritardo rispetto al calendario della campagna.\n")
	last := "\x00"
	for _, l := range lines {
		if l.unit != last {
			if l.unit == "" {
				b.WriteString("\nAdempimenti del RPCT:\n")
			} else {
				b.WriteString("\nStruttura " + l.unit + ":\n")
			}
			last = l.unit
		}
		b.WriteString("- " + l.text + "\n")
	}
	rs, err := rpcts(ctx, tx, enteID)
	if err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, notify.Event{EnteID: enteID, Kind: notify.OverdueDigest, Recipients: rs, Urgent: true,
		Subject: fmt.Sprintf("Scadenze superate: %d", len(lines)), Body: b.String(), Link: "/"})
}

// digests sends each person their digest: daily, or on Mondays for who chose weekly.
func (s *Scheduler) digests(ctx context.Context, at, day time.Time, rep *SchedulerReport) error {
	items, err := s.store.DigestDue(ctx)
	if err != nil {
		return err
	}
	byUser := map[string][]store.Notification{}
	var users []string
	for _, n := range items {
		if byUser[n.UserID] == nil {
			users = append(users, n.UserID)
		}
		byUser[n.UserID] = append(byUser[n.UserID], n)
	}
	for _, uid := range users {
		its := byUser[uid]
		ente := its[0].EnteID
		prefs, err := s.store.PrefsFor(ctx, ente, []string{uid})
		if err != nil {
			return err
		}
		period := "del giorno"
		if prefs[uid].Digest == "weekly" {
			if day.Weekday() != time.Monday {
				continue
			}
			period = "della settimana"
		}
		did, err := s.once(ctx, "digest/"+uid+"/"+day.Format(time.DateOnly), at, func(tx *store.Store) error {
			rs, err := tx.RecipientsByID(ctx, ente, []string{uid})
			if err != nil || len(rs) == 0 {
				return err
			}
			return notify.EnqueueDigest(ctx, tx, rs[0], ente, period, its)
		})
		if err != nil {
			return err
		}
		if did {
			rep.Digests++
		}
	}
	return nil
}
