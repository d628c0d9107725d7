// The cycle's campaign calendar on the home page: every date the RPCT set, the days left, and what is the
// caller's to do for it (highlighted). The RPCT edits the dates and the reminder days here.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CalendarInput, CalendarView } from '../api/schema.gen';
import { formatDate } from '../lib/format';
import { useApi } from '../lib/useApi';
import { ErrorAlert, Loading } from './Feedback';
import { isIsoDate, ProblemAlert, TextField, useDraftForm, type FieldErrors } from './FormKit';

const FIXED = ['assessment_open', 'self_assessment_due', 'review_due', 'consolidation_due', 'adoption_due'] as const;
type Phase = (typeof FIXED)[number];

interface Draft {
  dates: Record<Phase, string>;
  rounds: Array<{ round: string; due: string }>;
  days: string;
}

function toDraft(v: CalendarView): Draft {
  const dates = Object.fromEntries(FIXED.map((p) => [p, ''])) as Record<Phase, string>;
  const rounds: Draft['rounds'] = [];
  for (const it of v.items) {
    if (it.phase === 'monitoring_due') rounds.push({ round: it.round_date, due: it.due_on });
    else dates[it.phase as Phase] = it.due_on;
  }
  return { dates, rounds, days: v.reminder_days.join(', ') };
}

function parseDays(s: string): number[] | null {
  const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
  const out = parts.map(Number);
  if (out.length < 1 || out.length > 5 || out.some((n) => !Number.isInteger(n) || n < 1 || n > 90)) return null;
  return out;
}

function Editor({ view, cycle, onDone }: { view: CalendarView; cycle: string; onDone: (v: CalendarView | null) => void }) {
  const { t } = useTranslation('notifications');
  // The draft last sent, to map the API's item indexes back to the fields.
  const sent = useRef<Draft | null>(null);
  const f = useDraftForm<Draft, CalendarView>(() => toDraft(view), {
    ns: 'notifications',
    validate: (d) => {
      const e: FieldErrors = {};
      for (const p of FIXED) if (d.dates[p] && !isIsoDate(d.dates[p])) e[`cal-${p}`] = t('calendar.invalidDate');
      d.rounds.forEach((r, i) => {
        if (!isIsoDate(r.round)) e[`cal-round-${i}`] = t('calendar.invalidDate');
        if (!isIsoDate(r.due)) e[`cal-rounddue-${i}`] = t('calendar.invalidDate');
      });
      if (!parseDays(d.days)) e['cal-days'] = t('calendar.invalidDays');
      return e;
    },
    send: (d) => {
      sent.current = d;
      const items: CalendarInput['items'] = [];
      for (const p of FIXED) if (d.dates[p]) items.push({ phase: p, due_on: d.dates[p] });
      for (const r of d.rounds) items.push({ phase: 'monitoring_due', round_date: r.round, due_on: r.due });
      return api.call<CalendarView>('PUT /api/v1/cycles/:cycle/calendar', { params: { cycle }, body: { items, reminder_days: parseDays(d.days) ?? [], version: view.version } });
    },
    fieldOf: (path: string): string | undefined => {
      if (path.startsWith('reminder_days')) return 'cal-days';
      const m = /^items\[(\d+)\]\.(due_on|round_date|phase)$/.exec(path);
      if (!m) return undefined;
      const i = Number(m[1]);
      const fixed = FIXED.filter((p) => sent.current?.dates[p]);
      if (i < fixed.length) return `cal-${fixed[i]}`;
      const r = i - fixed.length;
      return m[2] === 'round_date' ? `cal-round-${r}` : `cal-rounddue-${r}`;
    },
    savedMessage: t('calendar.saved'),
    onDone: (v) => onDone(v),
  });
  return (
    <form ref={f.form} onSubmit={(e) => void f.submit(e)} noValidate aria-labelledby="cal-edit-title" className="mt-3">
      <h3 id="cal-edit-title" className="h5">
        {t('calendar.editTitle')}
      </h3>
      {FIXED.map((p) => (
        <TextField key={p} id={`cal-${p}`} type="date" label={t(`calendar.phases.${p}`)} hint={t('calendar.dateHint')} value={f.draft.dates[p]} error={f.errors[`cal-${p}`]} onChange={(v) => f.set({ dates: { ...f.draft.dates, [p]: v } })} />
      ))}
      <fieldset className="mb-3">
        <legend className="h6">{t('calendar.rounds')}</legend>
        {f.draft.rounds.map((r, i) => (
          <div key={i} className="d-flex flex-wrap gap-2 align-items-end">
            <TextField id={`cal-round-${i}`} type="date" label={t('calendar.roundDate')} value={r.round} error={f.errors[`cal-round-${i}`]} onChange={(v) => f.set({ rounds: f.draft.rounds.map((x, j) => (j === i ? { ...x, round: v } : x)) })} />
            <TextField id={`cal-rounddue-${i}`} type="date" label={t('calendar.roundDue')} value={r.due} error={f.errors[`cal-rounddue-${i}`]} onChange={(v) => f.set({ rounds: f.draft.rounds.map((x, j) => (j === i ? { ...x, due: v } : x)) })} />
            <button type="button" className="btn btn-outline-danger btn-sm mb-3" onClick={() => f.set({ rounds: f.draft.rounds.filter((_, j) => j !== i) })}>
              {t('calendar.removeRound', { date: r.round || '…' })}
            </button>
          </div>
        ))}
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => f.set({ rounds: [...f.draft.rounds, { round: '', due: '' }] })}>
          {t('calendar.addRound')}
        </button>
      </fieldset>
      <TextField id="cal-days" label={t('calendar.reminders')} hint={t('calendar.remindersHint')} value={f.draft.days} error={f.errors['cal-days']} inputMode="text" onChange={(v) => f.set({ days: v })} />
      <ProblemAlert error={f.failure} ns="notifications" />
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={f.busy}>
          {t('calendar.save')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={() => onDone(null)}>
          {t('calendar.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * onSettled is told once the calendar has loaded or failed: a page that shows more below it can wait for it, so
 * nothing it already showed is pushed down when the dates arrive (a layout shift).
 */
export function CampaignCalendar({ cycle, onSettled }: { cycle: string; onSettled?: () => void }) {
  const { t } = useTranslation('notifications');
  const [editing, setEditing] = useState(false);
  const cal = useApi((signal) => api.call<CalendarView>('GET /api/v1/cycles/:cycle/calendar', { params: { cycle }, signal }), [cycle]);
  const v = cal.data;
  const settled = !cal.loading || !!v || !!cal.error;
  useEffect(() => {
    if (settled) onSettled?.();
  }, [settled, onSettled]);
  const days = (n: number) => (n === 0 ? t('calendar.today') : n > 0 ? t('calendar.left', { count: n }) : t('calendar.past', { count: -n }));
  return (
    <section aria-labelledby="calendar-title" className="mb-4" data-testid="campaign-calendar">
      <h2 id="calendar-title" className="h4">
        {t('calendar.title')}
      </h2>
      <ErrorAlert error={cal.error} onRetry={cal.reload} />
      {cal.loading && !v && <Loading />}
      {v && v.items.length === 0 && !editing && <p>{t('calendar.none')}</p>}
      {v && v.items.length > 0 && (
        <div className="table-responsive">
          <table className="table stack-table table-sm">
            <caption className="visually-hidden">{t('calendar.tableLabel', { cycle: v.cycle })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('calendar.phase')}</th>
                <th scope="col">{t('calendar.date')}</th>
                <th scope="col">{t('calendar.daysLeft')}</th>
                <th scope="col">{t('calendar.todo')}</th>
              </tr>
            </thead>
            <tbody>
              {v.items.map((it) => (
                <tr key={it.phase + it.round_date} className={it.mine ? 'table-warning' : undefined}>
                  <th scope="row" className="fw-normal">
                    {it.label}
                  </th>
                  <td>{formatDate(it.due_on)}</td>
                  <td className={it.mine && it.days_left < 0 ? 'text-danger fw-semibold' : undefined}>{days(it.days_left)}</td>
                  <td>{it.todo ? <strong>{it.todo}</strong> : t('calendar.nothing')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {v?.can_edit && !editing && (
        <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => setEditing(true)}>
          {t('calendar.edit')}
        </button>
      )}
      {v && editing && (
        <Editor
          view={v}
          cycle={cycle}
          onDone={(nv) => {
            if (nv) cal.setData(nv);
            setEditing(false);
          }}
        />
      )}
    </section>
  );
}
