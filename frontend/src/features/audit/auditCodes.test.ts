// The screen names every audit action the server writes. The pairs are read from the Go services themselves
// (every record(ctx, tx, actor, "entity", id, action, ...) call), so a new action without an Italian name fails
// here rather than showing a raw code to the OIV. So does a field of a record's data without an Italian name: the
// fields come from the list the Go test TestAuditFieldsListed derives from the same calls.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { italian } from '../../i18n';
import { actionLabel, auditActions, auditActionsByEntity, auditEntities, entityLabel, fieldLabel } from './auditCodes';

const repo = join(__dirname, '..', '..', '..', '..');
const serviceDir = join(repo, 'internal', 'service');

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return goFiles(p);
    return name.endsWith('.go') && !name.endsWith('_test.go') ? [p] : [];
  });
}

/** String constants of a Go type, e.g. `TransitionSubmit Transition = "submit"`. */
function constantsOf(typeName: string): string[] {
  const out: string[] = [];
  for (const file of goFiles(join(repo, 'internal'))) {
    const re = new RegExp(`\\w+\\s+${typeName}\\s*=\\s*"([a-z_]+)"`, 'g');
    for (const m of readFileSync(file, 'utf8').matchAll(re)) out.push(m[1]);
  }
  return out;
}

/** Every (entity, action) pair the services record; dynamic actions are resolved from their Go constants. */
function recordedPairs(): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const dynamic: Record<string, () => string[]> = {
    'string(t)': () => constantsOf('Transition'),
    'string(res.Outcome)': () => constantsOf('ImportOutcome'),
    // users.go: action := "enable"; if disabled { action = "disable" }
    action: () => ['enable', 'disable'],
  };
  // The actor may be a composite literal with commas of its own: domain.Actor{UserID: ..., EnteID: ...}.
  const call = /record\(ctx,\s*tx,\s*(?:[^,{}]*\{[^}]*\}|[^,{}]+),\s*"([a-z_]+)",\s*[^,]+,\s*("([a-z_]+)"|[^,]+),/g;
  for (const file of goFiles(serviceDir)) {
    const code = readFileSync(file, 'utf8');
    const calls = code.match(/\brecord\(ctx,\s*tx,/g)?.length ?? 0;
    const matched = [...code.matchAll(call)].length;
    if (calls !== matched) throw new Error(`${file}: ${calls} record() calls but ${matched} understood by this test`);
    for (const m of code.matchAll(call)) {
      const entity = m[1];
      if (m[3]) {
        pairs.push([entity, m[3]]);
        continue;
      }
      const expr = m[2].trim();
      const resolve = dynamic[expr];
      if (!resolve) throw new Error(`${file}: record() with an action this test cannot resolve: ${expr}`);
      for (const a of resolve()) pairs.push([entity, a]);
    }
  }
  return pairs;
}

/**
 * Every top-level field of a record's before/after that the services can write: the Go test
 * TestAuditFieldsListed (internal/service/auditfields_test.go) type-checks the record() calls and keeps this
 * list equal to what they can record (struct JSON names, map keys, inline structs).
 */
function recordedFields(): string[] {
  const text = readFileSync(join(serviceDir, 'testdata', 'audit_fields.txt'), 'utf8');
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('audit action names', () => {
  const pairs = recordedPairs();

  it('finds the records of the Go services', () => {
    expect(pairs.length).toBeGreaterThan(30);
    expect(pairs).toContainEqual(['assessment', 'submit']);
    expect(pairs).toContainEqual(['assessment', 'approve']);
    expect(pairs).toContainEqual(['user', 'disable']);
    expect(pairs).toContainEqual(['process_map', 'replaced']);
  });

  it('lists every (entity, action) the server writes', () => {
    const missing = pairs.filter(([e, a]) => !auditActionsByEntity[e]?.includes(a)).map((p) => p.join(':'));
    expect(missing).toEqual([]);
  });

  it('lists nothing the server does not write', () => {
    const written = new Set(pairs.map((p) => p.join(':')));
    const extra = Object.entries(auditActionsByEntity).flatMap(([e, as]) => as.filter((a) => !written.has(`${e}:${a}`)).map((a) => `${e}:${a}`));
    expect(extra).toEqual([]);
  });

  it('names every action and entity in Italian', () => {
    const actions = italian.audit.actions as Record<string, string>;
    const entities = italian.audit.entities as Record<string, string>;
    for (const a of auditActions) expect(actions[a], a).toBeTruthy();
    for (const e of auditEntities) expect(entities[e], e).toBeTruthy();
    const t = i18next.t.bind(i18next);
    expect(actionLabel(t, 'return')).toBe('Restituzione per modifiche');
    expect(actionLabel(t, 'approve_refused_four_eyes')).toBe('Approvazione rifiutata (quattro occhi)');
    expect(entityLabel(t, 'assessment')).toBe('Valutazione');
  });

  it('names in Italian every field the services can record', () => {
    const fields = recordedFields();
    expect(fields.length).toBeGreaterThan(100);
    for (const f of ['rescored_risks', 'recovery_codes_left', 'risk_events_added', 'sessions', 'linked', 'obligations', 'phases', 'owner', 'status']) {
      expect(fields, f).toContain(f);
    }
    const labels = italian.audit.fields as Record<string, string>;
    expect(fields.filter((f) => !labels[f])).toEqual([]);
    // Nothing named that the server cannot write: a label left behind by a removed field would hide that the
    // list is stale.
    expect(Object.keys(labels).filter((f) => !fields.includes(f))).toEqual([]);
  });

  it("names a field by its entity's own name where the shared one would mislead", () => {
    const fields = new Set(recordedFields());
    const byEntity = italian.audit.fieldsOf as Record<string, Record<string, string>>;
    for (const [entity, names] of Object.entries(byEntity)) {
      expect(auditEntities, entity).toContain(entity);
      for (const [f, label] of Object.entries(names)) {
        expect(fields.has(f), `${entity}.${f}`).toBe(true);
        expect(label, `${entity}.${f}`).toBeTruthy();
      }
    }
    const t = i18next.t.bind(i18next);
    expect(fieldLabel(t, 'rescored_risks')).toBe('Rischi rivalutati con la nuova metodologia');
    expect(fieldLabel(t, 'status', 'programme_measure')).toBe('Stato di programmazione');
    expect(fieldLabel(t, 'status', 'monitoring_entry')).toBe('Stato di attuazione');
    expect(fieldLabel(t, 'status')).toBe('Stato della misura');
    expect(fieldLabel(t, 'recovery_codes_left', 'user')).toBe('Codici di recupero ancora validi');
    expect(fieldLabel(t, 'future_field', 'assessment')).toBe('future_field');
  });

  it('shows an unknown code as is', () => {
    expect(actionLabel(i18next.t.bind(i18next), 'future_action')).toBe('future_action');
  });
});
