// The committed API types must be what the generator makes of the server's OpenAPI document today: when the Go
// API changes, this fails until `npm run gen:api` is run (and the compiler then shows every call that broke).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ES module script without types
import { generate, openapiPath, outputPath } from '../../scripts/gen-api-types.mjs';
import { apiOperations } from './schema.gen';

describe('API types', () => {
  it('are generated from the current OpenAPI document', () => {
    const doc = JSON.parse(readFileSync(openapiPath, 'utf8'));
    expect(readFileSync(outputPath, 'utf8')).toBe(generate(doc));
  });

  it('list the operations the app relies on', () => {
    for (const op of ['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'GET /api/v1/me', 'PUT /api/v1/cycles/:cycle/nodes/:code/assessment']) {
      expect(apiOperations).toContain(op);
    }
  });
});
