import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { noLookups } from '../../lib/assessmentDiff';
import { assessmentChanges, sentence, type AuditItem, type AuditNames } from './auditSentence';

const t = i18n.getFixedT('it', 'audit');

const risk = (value: number) => ({
  id: 'r1',
  event_code: 'ER-D-01',
  event_description: 'Pressioni sull\'istruttoria',
  context: 'Istruttoria',
  enabling_factors: ['FA-a'],
  inherent: { values: [{ code: 'P1', value, reason: 'Motivo' }], reason: 'Giudizio complessivo' },
  decision: 'treat_new_measures',
  priority: 1,
  measures: [],
  residual: null,
});

const item = (over: Partial<AuditItem>): AuditItem => ({
  seq: 7,
  at: '2026-11-20T10:00:00.000000Z',
  actor_id: 'u1',
  actor_name: 'mrossi',
  actor_full_name: 'Mario Rossi',
  entity: 'assessment',
  entity_id: '2026-2028/B2.1.2.3',
  action: 'save',
  before: JSON.stringify({ state: 'draft', version: 2, risks: [risk(2)], measures: [] }),
  after: JSON.stringify({ state: 'draft', version: 3, risks: [risk(3)], measures: [] }),
  hash: 'h7',
  prev_hash: 'h6',
  client_addr: '',
  request_id: '',
  ...over,
});

describe('audit records as sentences', () => {
  it('says who changed what in an assessment, with the change in Italian', () => {
    const r = item({});
    const changes = assessmentChanges(t, r);
    expect(changes).toEqual([{ where: "ER-D-01 – Pressioni sull'istruttoria", what: ['Rischio inerente: Valore – P1: da «2» a «3»'] }]);
    expect(sentence(t, r, changes)).toBe("Mario Rossi ha modificato la valutazione di B2.1.2.3: Rischio inerente: Valore – P1: da «2» a «3».");
  });

  it('counts the other changes, and names a first save as such', () => {
    const r = item({ after: JSON.stringify({ state: 'draft', version: 3, risks: [{ ...risk(3), context: 'Altro' }], measures: [] }) });
    expect(sentence(t, r, assessmentChanges(t, r))).toBe('Mario Rossi ha modificato la valutazione di B2.1.2.3: Contesto: testo modificato (e un\'altra modifica).');
    const first = item({ before: '' });
    expect(sentence(t, first, assessmentChanges(t, first))).toBe('Mario Rossi ha compilato per la prima volta la valutazione di B2.1.2.3.');
  });

  it('reads the other records too, by username when the full name is unknown', () => {
    expect(sentence(t, item({ action: 'submit', actor_full_name: '', before: '{"state":"draft"}', after: '{"state":"submitted"}' }), null)).toBe(
      'mrossi ha inviato al RPCT la valutazione di B2.1.2.3.',
    );
    expect(sentence(t, item({ entity: 'session', action: 'login', entity_id: 's1', before: '', after: '' }), null)).toBe("Mario Rossi ha effettuato l'accesso.");
    expect(sentence(t, item({ entity: 'monitoring_round', entity_id: '2026-2028/2026-06-30', action: 'draw_sample', before: '', after: '{}' }), null)).toBe(
      'Mario Rossi ha estratto il campione per la rilevazione al 2026-06-30.',
    );
    expect(sentence(t, item({ actor_id: 'operator', actor_full_name: '', actor_name: '', entity: 'ente', entity_id: 'cciaa', action: 'create', before: '', after: '{}' }), null)).toMatch(
      /^Riga di comando \(operatore del server\) ha creato .+ cciaa\.$/,
    );
  });

  it('shows labels, not codes: leaves by code and title, values and levels in words, units and people by name', () => {
    const names: AuditNames = {
      leaf: (cycle, code) => (cycle === '2026-2028' && code === 'B2.1.2.3' ? 'Rilascio di autorizzazioni' : undefined),
      unit: (_cycle, code) => (code === 'AD2' ? 'Area 2 – Servizi alle imprese' : undefined),
      user: (id) => (id === 'u9' ? 'Laura Bianchi' : undefined),
      lookups: () => ({
        ...noLookups,
        indicators: new Map([['P1', { name: 'Probabilità', levels: [{ value: 2, label: 'Media' }, { value: 3, label: 'Alta' }] }]]),
        levelLabels: new Map([['alto', 'Alto']]),
      }),
    };
    const r = item({});
    expect(sentence(t, r, assessmentChanges(t, r, names.lookups('2026-2028')), names)).toBe(
      'Mario Rossi ha modificato la valutazione di B2.1.2.3 – Rilascio di autorizzazioni: Rischio inerente: Valore – Probabilità (P1): da «Media (2)» a «Alta (3)».',
    );
    expect(sentence(t, item({ action: 'set_lead_unit', before: '{"lead_unit":"SG"}', after: '{"lead_unit":"AD2","chosen":true}' }), null, names)).toBe(
      "Mario Rossi ha scelto l'unità capofila per la valutazione di B2.1.2.3 – Rilascio di autorizzazioni: unità capofila Area 2 – Servizi alle imprese (AD2).",
    );
    expect(sentence(t, item({ entity: 'cycle', entity_id: '2026-2028', action: 'exclude', before: '', after: '{"node":"B2.1.2.3","reason":"Attività cessata"}' }), null, names)).toMatch(
      /: B2\.1\.2\.3 – Rilascio di autorizzazioni\.$/,
    );
    expect(sentence(t, item({ entity: 'user', entity_id: 'u9', action: 'grant', before: '', after: '{}' }), null, names)).toBe('Mario Rossi ha assegnato un ruolo a Laura Bianchi.');
    // an author the record does not name comes from the users list
    expect(sentence(t, item({ actor_id: 'u9', actor_full_name: '', actor_name: 'lbianchi', action: 'submit', before: '', after: '' }), null, names)).toMatch(/^Laura Bianchi ha inviato/);
  });
});
