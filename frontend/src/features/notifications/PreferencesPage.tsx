// Notification preferences (/notifiche/preferenze): which kinds also come by e-mail, and how often the digest of
// the others is sent.
import { useTranslation } from 'react-i18next';
import type { NotificationPreferences } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { CheckboxField, ProblemAlert, SelectField, useDraftForm } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { useApi } from '../../lib/useApi';
import { preferences, savePreferences } from './notificationsApi';

export const KINDS = [
  'assessment_assigned',
  'assessment_handed_off',
  'assessment_submitted',
  'assessment_returned',
  'assessment_approved',
  'assessment_reopened',
  'comment',
  'monitoring_round_opened',
  'monitoring_integration',
  'oiv_note',
  'privileged_request',
  'cycle_adopted',
  'cycle_published',
  'reminder',
  'overdue_digest',
] as const;

function PreferencesForm({ initial, onSaved }: { initial: NotificationPreferences; onSaved: (p: NotificationPreferences) => void }) {
  const { t } = useTranslation('notifications');
  const f = useDraftForm<NotificationPreferences, NotificationPreferences>(() => initial, {
    ns: 'notifications',
    validate: () => ({}),
    send: savePreferences,
    fieldOf: (p) => (p === 'digest' ? 'digest' : undefined),
    savedMessage: t('prefs.saved'),
    onDone: (p) => {
      f.setDraft(p);
      onSaved(p);
    },
  });
  const enabled = initial.email_enabled !== false;
  return (
    <form ref={f.form} onSubmit={(e) => void f.submit(e)} noValidate>
      {!enabled && <p className="alert alert-info">{t('prefs.noEmail')}</p>}
      <fieldset className="mb-3">
        <legend className="h5">{t('prefs.emailLegend')}</legend>
        {KINDS.map((k) => (
          <CheckboxField
            key={k}
            id={`email-${k}`}
            label={t(`kinds.${k}`)}
            checked={f.draft.email[k] !== false}
            disabled={!enabled}
            onChange={(v) => f.set({ email: { ...f.draft.email, [k]: v } })}
          />
        ))}
      </fieldset>
      <SelectField id="digest" label={t('prefs.digest')} value={f.draft.digest} error={f.errors.digest} onChange={(v) => f.set({ digest: v as NotificationPreferences['digest'] })}>
        <option value="daily">{t('prefs.daily')}</option>
        <option value="weekly">{t('prefs.weekly')}</option>
      </SelectField>
      <ProblemAlert error={f.failure} ns="notifications" />
      <button type="submit" className="btn btn-primary mt-2" disabled={f.busy}>
        {f.busy ? t('prefs.saving') : t('prefs.save')}
      </button>
      {f.saved && (
        <p className="text-success mt-2" role="status">
          {t('prefs.saved')}
        </p>
      )}
    </form>
  );
}

export default function PreferencesPage() {
  const { t } = useTranslation('notifications');
  const prefs = useApi((signal) => preferences(signal), []);
  return (
    <Page title={t('prefs.title')} crumbs={[{ label: t('inbox.title'), to: '/notifiche' }, { label: t('prefs.title') }]}>
      <p>{t('prefs.intro')}</p>
      <ErrorAlert error={prefs.error} onRetry={prefs.reload} />
      {prefs.loading && !prefs.data && <Loading />}
      {prefs.data && <PreferencesForm initial={prefs.data} onSaved={prefs.setData} />}
    </Page>
  );
}
