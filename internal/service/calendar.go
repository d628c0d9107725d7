package service

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/store"
)

// Calendar is a cycle's campaign calendar: the dates the RPCT sets for each phase, shown to everyone with what
// is theirs to do and how many days are left, and the days before each date when reminders go out.
type Calendar struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
}

// NewCalendar builds the service.
func NewCalendar(s *store.Store, az *authz.Authorizer) *Calendar {
	return &Calendar{store: s, authz: az, now: time.Now}
}

// SetClock replaces the clock (tests).
func (c *Calendar) SetClock(now func() time.Time) { c.now = now }

// The phases of a campaign, in their usual order.
const (
	PhaseAssessmentOpen     = "assessment_open"
	PhaseSelfAssessmentDue  = "self_assessment_due"
	PhaseReviewDue          = "review_due"
	PhaseConsolidationDue   = "consolidation_due"
	PhaseAdoptionDue        = "adoption_due"
	PhaseMonitoringDue      = "monitoring_due"
	DefaultReminderDays     = "7,1"
	maxCalendarEntries      = 60
	maxReminderDays         = 5
	maxReminderDaysInAdvace = 90
)

var phases = []string{PhaseAssessmentOpen, PhaseSelfAssessmentDue, PhaseReviewDue, PhaseConsolidationDue, PhaseAdoptionDue, PhaseMonitoringDue}

// phaseLabels are the Italian names of the phases.
var phaseLabels = map[string]string{
	PhaseAssessmentOpen:    "Apertura della mappatura e valutazione",
	PhaseSelfAssessmentDue: "Scadenza dell'autovalutazione delle strutture",
	PhaseReviewDue:         "Scadenza della revisione del RPCT",
	PhaseConsolidationDue:  "Consolidamento del registro",
	PhaseAdoptionDue:       "Adozione da parte della Giunta",
	PhaseMonitoringDue:     "Scadenza del monitoraggio",
}

// CalendarItem is one date with what it means for the caller.
type CalendarItem struct {
	store.CalendarEntry
	Label string `json:"label"`
	// DaysLeft is the days from today to the date (negative once past).
	DaysLeft int `json:"days_left"`
	// Todo is what the caller still has to do for this date ("" when nothing): e.g. "3 valutazioni da inviare".
	Todo string `json:"todo"`
	Mine bool   `json:"mine"`
}

// CalendarView is a cycle's calendar as the caller sees it.
type CalendarView struct {
	Cycle        string         `json:"cycle"`
	Today        string         `json:"today"`
	Items        []CalendarItem `json:"items"`
	ReminderDays []int          `json:"reminder_days"`
	Version      int64          `json:"version"`
	CanEdit      bool           `json:"can_edit"`
}

// CalendarInput replaces a cycle's calendar.
type CalendarInput struct {
	Items []struct {
		Phase     string `json:"phase"`
		RoundDate string `json:"round_date"`
		DueOn     string `json:"due_on"`
	} `json:"items"`
	ReminderDays []int `json:"reminder_days"`
	Version      int64 `json:"version"`
}

func today(now time.Time) time.Time {
	y, m, d := now.In(notify.Location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func daysBetween(from time.Time, date string) int {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0
	}
	return int(d.Sub(from).Hours() / 24)
}

func parseDays(s string) []int {
	if s == "" {
		s = DefaultReminderDays
	}
	var out []int
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// Get returns the calendar with the caller's work per date.
func (c *Calendar) Get(ctx context.Context, actor domain.Actor, cycleCode string) (*CalendarView, error) {
	if !c.authz.Can(actor, authz.ObjCycle, authz.ActRead) {
		return nil, domain.Forbidden("forbidden", "you may not read the cycle")
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	entries, days, version, err := c.store.Calendar(ctx, actor.EnteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	now := today(c.now())
	v := &CalendarView{Cycle: cycle.Code, Today: now.Format(time.DateOnly), Items: []CalendarItem{}, ReminderDays: parseDays(days),
		Version: version, CanEdit: c.authz.Can(actor, authz.ObjCycle, authz.ActManage)}
	work, err := workOf(ctx, c.store, actor.EnteID, cycle, actor.Grants)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		it := CalendarItem{CalendarEntry: e, Label: phaseLabels[e.Phase], DaysLeft: daysBetween(now, e.DueOn)}
		if e.Phase == PhaseMonitoringDue {
			it.Label += " al " + e.RoundDate
		}
		if e.Phase == PhaseMonitoringDue && len(work.units) > 0 && monitoredCycle(cycle) {
			if work.monitorUnits[e.RoundDate], err = pendingMeasures(ctx, c.store, actor.EnteID, cycle, e.RoundDate); err != nil {
				return nil, err
			}
		}
		it.Todo = work.todo(e)
		it.Mine = it.Todo != ""
		v.Items = append(v.Items, it)
	}
	return v, nil
}

// Set replaces the calendar (the RPCT). Dates are YYYY-MM-DD; the Giunta adopts by 31 January of the cycle's
// first year; monitoring dates name their round. The self-assessment date also becomes the campaign deadline
// (PUT /campaign), which the progress page uses.
func (c *Calendar) Set(ctx context.Context, actor domain.Actor, cycleCode string, in CalendarInput) (*CalendarView, error) {
	if !c.authz.Can(actor, authz.ObjCycle, authz.ActManage) {
		return nil, domain.Forbidden("forbidden", "only the RPCT sets the campaign calendar")
	}
	cycle, err := c.store.CycleByCode(ctx, actor.EnteID, cycleCode)
	if err != nil {
		return nil, err
	}
	var problems []domain.FieldError
	if len(in.Items) > maxCalendarEntries {
		problems = append(problems, domain.FieldError{Field: "items", Code: "too_many", Message: fmt.Sprintf("at most %d dates", maxCalendarEntries)})
	}
	seen := map[string]bool{}
	var entries []store.CalendarEntry
	for i, it := range in.Items {
		if i >= maxCalendarEntries {
			break
		}
		f := fmt.Sprintf("items[%d]", i)
		if !slices.Contains(phases, it.Phase) {
			problems = append(problems, domain.FieldError{Field: f + ".phase", Code: "phase_invalid", Message: "phase must be one of " + strings.Join(phases, ", ")})
			continue
		}
		if !domain.IsDate(it.DueOn) {
			problems = append(problems, domain.FieldError{Field: f + ".due_on", Code: "date_invalid", Message: "a date as YYYY-MM-DD"})
		}
		round := ""
		if it.Phase == PhaseMonitoringDue {
			if !domain.IsDate(it.RoundDate) {
				problems = append(problems, domain.FieldError{Field: f + ".round_date", Code: "date_invalid", Message: "the monitoring round's reference date, as YYYY-MM-DD"})
			}
			round = it.RoundDate
		} else if it.RoundDate != "" {
			problems = append(problems, domain.FieldError{Field: f + ".round_date", Code: "round_date_unexpected", Message: "only monitoring dates name a round"})
		}
		if it.Phase == PhaseAdoptionDue && domain.IsDate(it.DueOn) && it.DueOn > fmt.Sprintf("%04d-01-31", cycle.StartYear) {
			problems = append(problems, domain.FieldError{Field: f + ".due_on", Code: "adoption_too_late",
				Message: fmt.Sprintf("the Giunta adopts the plan by 31 January %d", cycle.StartYear)})
		}
		key := it.Phase + "/" + round
		if seen[key] {
			problems = append(problems, domain.FieldError{Field: f + ".phase", Code: "duplicate", Message: "one date per phase (per round for monitoring)"})
		}
		seen[key] = true
		entries = append(entries, store.CalendarEntry{Phase: it.Phase, RoundDate: round, DueOn: it.DueOn})
	}
	if in.ReminderDays == nil {
		in.ReminderDays = parseDays("")
	}
	if len(in.ReminderDays) > maxReminderDays {
		problems = append(problems, domain.FieldError{Field: "reminder_days", Code: "too_many", Message: fmt.Sprintf("at most %d reminders", maxReminderDays)})
	}
	var days []string
	for i, d := range slices.Compact(slices.Sorted(slices.Values(in.ReminderDays))) {
		if d < 1 || d > maxReminderDaysInAdvace {
			problems = append(problems, domain.FieldError{Field: fmt.Sprintf("reminder_days[%d]", i), Code: "days_invalid", Message: "between 1 and 90 days before"})
		}
		days = append(days, strconv.Itoa(d))
	}
	slices.Reverse(days)
	if in.Version < 0 {
		problems = append(problems, domain.FieldError{Field: "version", Code: "version_invalid", Message: "version must be 0 or more"})
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "calendar_invalid", Problems: problems}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].DueOn < entries[j].DueOn })
	err = c.store.WithTx(ctx, func(tx *store.Store) error {
		before, beforeDays, _, err := tx.Calendar(ctx, actor.EnteID, cycle.ID)
		if err != nil {
			return err
		}
		version, err := tx.SaveCalendar(ctx, actor.EnteID, cycle.ID, entries, strings.Join(days, ","), in.Version)
		if err != nil {
			return err
		}
		// The self-assessment date is the campaign's deadline that the progress page counts overdue leaves by.
		for _, e := range entries {
			if e.Phase == PhaseSelfAssessmentDue {
				if err := tx.SetCampaignDeadline(ctx, actor.EnteID, cycle.ID, e.DueOn); err != nil {
					return err
				}
			}
		}
		return record(ctx, tx, actor, "cycle_calendar", cycle.Code, "update",
			map[string]any{"items": before, "reminder_days": beforeDays, "version": in.Version},
			map[string]any{"items": entries, "reminder_days": strings.Join(days, ","), "version": version})
	})
	if err != nil {
		return nil, err
	}
	return c.Get(ctx, actor, cycleCode)
}

// work is what is left to do in a cycle, per unit and for the RPCT.
type work struct {
	cycle        *domain.Cycle
	openByUnit   map[string]int64 // leaves not yet submitted (not started, draft, returned)
	toReview     int64            // leaves submitted, waiting for the RPCT
	monitorUnits map[string]map[string]int64
	units        []string // the caller's units (nil: ente-wide)
	rpct         bool
}

func workOf(ctx context.Context, st *store.Store, enteID string, cycle *domain.Cycle, grants []domain.Grant) (*work, error) {
	w := &work{cycle: cycle, openByUnit: map[string]int64{}, monitorUnits: map[string]map[string]int64{}}
	for _, g := range grants {
		switch {
		case g.Role == domain.RoleRPCT:
			w.rpct = true
		case g.Role.UnitScoped():
			w.units = append(w.units, g.UnitCode)
		}
	}
	if !w.rpct && len(w.units) == 0 {
		return w, nil
	}
	progress, err := st.Progress(ctx, enteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range progress {
		w.openByUnit[u.Unit] = u.States["not_started"] + u.States[string(domain.StateDraft)] + u.States[string(domain.StateReturned)]
	}
	totals, err := st.ProgressTotals(ctx, enteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	w.toReview = totals.States[string(domain.StateSubmitted)]
	return w, nil
}

// pendingMeasures counts, per unit, the monitored measures of a round without a self-assessment.
func pendingMeasures(ctx context.Context, st *store.Store, enteID string, cycle *domain.Cycle, roundDate string) (map[string]int64, error) {
	out := map[string]int64{}
	round, err := st.RoundByDate(ctx, enteID, cycle.ID, roundDate, false)
	if err != nil {
		if domain.CodeOf(err) == "round_not_found" {
			return out, nil
		}
		return nil, err
	}
	if round.State == "closed" { // a closed round takes no more self-assessments: nothing is pending any more
		return out, nil
	}
	measures, err := st.CycleMeasures(ctx, enteID, cycle.ID)
	if err != nil {
		return nil, err
	}
	entries, err := st.MonitoringEntries(ctx, enteID, round.ID)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, e := range entries {
		done[e.MeasureID] = e.Status != ""
	}
	for _, cm := range measures {
		if monitored(cycle, cm) && !done[cm.ID] && cm.Unit != "" {
			out[cm.Unit]++
		}
	}
	return out, nil
}

func (w *work) todo(e store.CalendarEntry) string {
	switch e.Phase {
	case PhaseSelfAssessmentDue:
		var n int64
		for _, u := range w.units {
			n += w.openByUnit[u]
		}
		if n > 0 && w.cycle.State == domain.CycleOpen {
			return plural(n, "valutazione da inviare", "valutazioni da inviare")
		}
	case PhaseReviewDue:
		if w.rpct && w.toReview > 0 && w.cycle.State == domain.CycleOpen {
			return plural(w.toReview, "valutazione da revisionare", "valutazioni da revisionare")
		}
	case PhaseConsolidationDue:
		if w.rpct && w.cycle.State == domain.CycleOpen {
			return "consolidare il registro"
		}
	case PhaseAdoptionDue:
		if w.rpct && (w.cycle.State == domain.CycleOpen || w.cycle.State == domain.CycleConsolidated) {
			return "far adottare il piano dalla Giunta"
		}
	case PhaseMonitoringDue:
		var n int64
		for _, u := range w.units {
			n += w.monitorUnits[e.RoundDate][u]
		}
		if n > 0 {
			return plural(n, "misura di cui indicare l'attuazione", "misure di cui indicare l'attuazione")
		}
	}
	return ""
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}
