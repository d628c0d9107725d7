// ANAC's self-check of the sottosezione: the questions are data the RPCT edits per cycle (the official wording
// was not at hand: see the intro), answered with evidence links; where Argine can tell, its check is shown.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { SelfCheck, SelfCheckQuestion } from '../../api/schema.gen';
import { ErrorAlert, Loading } from '../../components/Feedback';
import { SelectField, TextArea, type FieldErrors } from '../../components/FormKit';
import { idOf, isEvidenceLink, linesOf, type AutoCheck, type SelfCheckView } from './model';
import { PartHeader, SaveBar } from './PartStatus';
import { usePart } from './usePart';

type DraftQuestion = Omit<SelfCheckQuestion, 'evidence'> & { evidence: string };

export function checkSelfCheck(qs: DraftQuestion[]): { content: SelfCheck; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const questions = qs.map((q, i): SelfCheckQuestion => {
    if (!q.text.trim()) errors[`questions[${i}].text`] = 'required';
    const evidence = linesOf(q.evidence);
    evidence.forEach((l, j) => {
      if (!isEvidenceLink(l)) errors[`questions[${i}].evidence[${j}]`] = 'link_invalid';
    });
    return { ...q, text: q.text.trim(), evidence };
  });
  return { content: { questions }, errors };
}

function Auto({ check }: { check: AutoCheck }) {
  const { t } = useTranslation('sottosezione');
  return (
    <div className={`alert ${check.passed ? 'alert-success' : 'alert-warning'} py-2`} data-testid="auto-check">
      <p className="mb-1">
        <strong>{t('selfCheck.auto')}: </strong>
        {check.passed ? t('selfCheck.passed') : t('selfCheck.failed')} – {check.summary}
      </p>
      {check.details.length > 0 && (
        <ul className="small mb-1">
          {check.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
      {check.evidence.map((e) => (
        <Link key={e} to={e} className="small me-2">
          {e}
        </Link>
      ))}
    </div>
  );
}

export function SelfCheckSection({ cycle, canEdit }: { cycle: string; canEdit: boolean }) {
  const { t } = useTranslation('sottosezione');
  const p = usePart<SelfCheckView, SelfCheck>(cycle, 'self-check');
  const v = p.loaded.data;
  const [draft, setDraft] = useState<DraftQuestion[] | null>(null);
  const [seen, setSeen] = useState<number | undefined>(undefined);
  if (v && seen !== v.version) {
    setSeen(v.version);
    setDraft(v.content.questions.map((q) => ({ ...q, evidence: q.evidence.join('\n') })));
  }
  if (p.loaded.loading && !v) return <Loading />;
  if (!v || !draft) return <ErrorAlert error={p.loaded.error} onRetry={p.loaded.reload} />;
  const checks = v.computed.checks ?? {};
  const setQ = (i: number, patch: Partial<DraftQuestion>) => setDraft(draft.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const answered = draft.filter((q) => q.answer).length;
  return (
    <>
      <PartHeader version={v.version} demo={v.content.demo} canEdit={canEdit} />
      <p>{t('selfCheck.intro')}</p>
      <p role="status">{t('selfCheck.answered', { n: answered, total: draft.length })}</p>
      <form
        ref={p.form}
        noValidate
        onSubmit={(e) => {
          const { content, errors } = checkSelfCheck(draft);
          void p.save(e, { ...content, demo: v.content.demo }, errors);
        }}
      >
        <fieldset disabled={!canEdit}>
          <ol className="list-unstyled">
            {draft.map((q, i) => {
              const k = `questions[${i}]`;
              return (
                <li key={q.id ?? i} className="border rounded p-2 mb-3">
                  <fieldset>
                    <legend className="h5">
                      {t('selfCheck.question', { n: i + 1 })} – {t(`selfCheck.themes.${q.theme}`)}
                    </legend>
                    <TextArea id={idOf('sc', `${k}.text`)} label={t('selfCheck.text')} value={q.text} onChange={(text) => setQ(i, { text })} error={p.errors[`${k}.text`]} rows={2} required />
                    {q.auto && checks[q.auto] && <Auto check={checks[q.auto]} />}
                    <SelectField id={idOf('sc', `${k}.answer`)} label={t('selfCheck.answer')} value={q.answer} onChange={(answer) => setQ(i, { answer: answer as DraftQuestion['answer'] })}>
                      {(['', 'si', 'parziale', 'no', 'non_applicabile'] as const).map((a) => (
                        <option key={a} value={a}>
                          {t(`selfCheck.answers.${a}`)}
                        </option>
                      ))}
                    </SelectField>
                    <TextArea id={idOf('sc', `${k}.note`)} label={t('selfCheck.note')} value={q.note ?? ''} onChange={(note) => setQ(i, { note })} rows={2} />
                    <TextArea
                      id={idOf('sc', `${k}.evidence`)}
                      label={t('selfCheck.evidence')}
                      hint={t('selfCheck.evidenceHint')}
                      value={q.evidence}
                      onChange={(evidence) => setQ(i, { evidence })}
                      error={Object.entries(p.errors).find(([key]) => key.startsWith(`${k}.evidence`))?.[1]}
                      rows={2}
                    />
                  </fieldset>
                </li>
              );
            })}
          </ol>
        </fieldset>
        {canEdit && <SaveBar busy={p.busy} saved={p.saved} conflict={p.conflict} failure={p.failure} />}
      </form>
    </>
  );
}
