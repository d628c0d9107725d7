// The ente's own methodology profiles (/metodologia): every version with the cycles that use it, and, for the
// RPCT, the editor. A new profile starts from a shipped one; a version a cycle uses never changes again, so saving
// it adds the next version (the cycle keeps its own). The cycle page chooses among shipped and ente profiles.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { EnteProfile, Profile } from '../../api/schema.gen';
import { useSession } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/FormKit';
import { Page } from '../../components/Page';
import { useApi } from '../../lib/useApi';
import { ProfileEditor, type EditTarget } from './ProfileEditor';
import { draftOf, startFrom, type ProfileDraft } from './profileDraft';
import './methodology.css';

interface Editing {
  draft: ProfileDraft;
  target?: EditTarget;
  key: number;
}

export default function MethodologyPage() {
  const { t } = useTranslation('methodology');
  const s = useSession();
  const canWrite = s.can('methodology', 'write');
  const own = useApi((signal) => api.call<{ items: EnteProfile[] }>('GET /api/v1/methodology/ente-profiles', { signal }).then((r) => r.items), []);
  const shipped = useApi(
    (signal) =>
      canWrite
        ? api.call<{ items: Profile[] }>('GET /api/v1/methodology/profiles', { signal }).then((r) => r.items.filter((p) => !p.profile_version))
        : Promise.resolve([] as Profile[]),
    [canWrite],
  );
  const [editing, setEditing] = useState<Editing | null>(null);
  const [base, setBase] = useState('pna2019');
  const [newCode, setNewCode] = useState('');
  const [message, setMessage] = useState('');

  const startNew = () => {
    const from = (shipped.data ?? []).find((p) => p.code === base);
    if (!from) return;
    setMessage('');
    setEditing({ draft: startFrom(from, newCode.trim().toLowerCase(), t('copyName', { name: from.name })), key: Date.now() });
  };

  const byCode = new Map<string, EnteProfile[]>();
  for (const p of own.data ?? []) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p]);

  return (
    <Page title={t('title')} crumbs={[{ label: t('crumbCycle'), to: '/ciclo' }, { label: t('title') }]}>
      <p>{t('intro')}</p>
      {own.loading && !own.data && <Loading />}
      <ErrorAlert error={own.error} onRetry={own.reload} />
      {message && (
        <div className="alert alert-success" role="status">
          {message}
        </div>
      )}
      {own.data && own.data.length === 0 && <p data-testid="no-profiles">{t('none')}</p>}
      {[...byCode.entries()].map(([code, versions]) => {
        const latest = versions[versions.length - 1];
        return (
          <section key={code} className="cycle-section mb-3" aria-labelledby={`profile-${code}`} data-testid={`ente-profile-${code}`}>
            <h2 id={`profile-${code}`} className="h5">
              {latest.profile.name} <span className="text-muted small">({code})</span>
            </h2>
            <table className="table table-sm">
              <caption className="visually-hidden">{t('versionsCaption', { code })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('version')}</th>
                  <th scope="col">{t('usedBy')}</th>
                  <th scope="col">{t('state')}</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td>{v.version}</td>
                    <td>{v.used_by.length ? v.used_by.join(', ') : t('unused')}</td>
                    <td>{v.immutable ? t('immutable') : v.latest ? t('editable') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {canWrite && (
              <button
                type="button"
                className="btn btn-outline-primary btn-sm"
                onClick={() => {
                  setMessage('');
                  setEditing({ draft: draftOf(latest.profile), target: { version: latest.version, revision: latest.revision, immutable: latest.immutable }, key: Date.now() });
                }}
              >
                {t('edit', { code, version: latest.version })}
              </button>
            )}
          </section>
        );
      })}
      {canWrite && !editing && (
        <section className="cycle-section" aria-labelledby="new-profile-title">
          <h2 id="new-profile-title" className="h5">
            {t('newTitle')}
          </h2>
          {shipped.loading && <Loading />}
          <div className="row align-items-end">
            <SelectField className="col-md-6" id="new-base" label={t('startFrom')} value={base} onChange={setBase}>
              {(shipped.data ?? []).map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name}
                </option>
              ))}
            </SelectField>
            <TextField className="col-md-4" id="new-code" label={t('code')} hint={t('codeHint')} value={newCode} onChange={setNewCode} />
            <div className="col-md-2 mb-3">
              <button type="button" className="btn btn-primary" onClick={startNew} disabled={!shipped.data?.length}>
                {t('start')}
              </button>
            </div>
          </div>
        </section>
      )}
      {editing && (
        <ProfileEditor
          key={editing.key}
          initial={editing.draft}
          target={editing.target}
          onCancel={() => setEditing(null)}
          onSaved={(p) => {
            setEditing(null);
            setMessage(p.new_version && editing.target ? t('savedNewVersion', { version: p.version }) : t('saved', { version: p.version }));
            own.reload();
          }}
        />
      )}
      <p className="mt-3">
        <Link to="/ciclo">{t('backToCycle')}</Link>
      </p>
    </Page>
  );
}
