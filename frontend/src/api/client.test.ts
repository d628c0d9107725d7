import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './client';

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

/** Resolves with the ApiError a call must fail with. */
const failure = (p: Promise<unknown>): Promise<ApiError> =>
  p.then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (e: ApiError) => e,
  );

const tokens = (n: number) => ({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 900 });

describe('ApiClient', () => {
  beforeEach(() => sessionStorage.clear());

  it('builds URLs from the operation, encoding parameters and skipping empty query values', () => {
    const c = new ApiClient('', vi.fn());
    expect(c.url('GET /api/v1/cycles/:cycle/nodes/:code', { params: { cycle: '2026-2028', code: 'C2/1 x' } })).toBe('/api/v1/cycles/2026-2028/nodes/C2%2F1%20x');
    expect(c.url('GET /api/v1/cycles/:cycle/register', { params: { cycle: 'c' }, query: { unit: 'AD2', q: '', level: undefined, area: ['A', 'B'] } })).toBe(
      '/api/v1/cycles/c/register?unit=AD2&area=A&area=B',
    );
    expect(() => c.url('GET /api/v1/cycles/:cycle/register', {})).toThrow(/cycle/);
  });

  it('turns problem+json into ApiError with the stable code and field errors', async () => {
    const fetchFn = vi.fn().mockResolvedValue(
      json(422, { type: 'about:blank', title: 'Unprocessable', status: 422, code: 'assessment_invalid', errors: [{ field: 'risks[0].inherent.reason', code: 'required', message: 'required' }] }, 'application/problem+json'),
    );
    const c = new ApiClient('', fetchFn);
    const err = await failure(c.call('GET /api/v1/me'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('assessment_invalid');
    expect(err.status).toBe(422);
    expect(err.fieldErrors[0].field).toBe('risks[0].inherent.reason');
  });

  it('maps a failed connection to network_error and a non-JSON error to http_<status>', async () => {
    const down = new ApiClient('', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    expect((await failure(down.call('GET /api/v1/me'))).code).toBe('network_error');
    const html = new ApiClient('', vi.fn().mockResolvedValue(new Response('<html>', { status: 502 })));
    expect((await failure(html.call('GET /api/v1/me'))).code).toBe('http_502');
  });

  it('refreshes once on 401 and retries with the new token; concurrent 401s share one refresh', async () => {
    let refreshes = 0;
    const fetchFn = vi.fn(async (url: string, init: RequestInit) => {
      if (url.endsWith('/auth/login')) return json(200, tokens(1));
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        expect(JSON.parse(String(init.body)).refresh_token).toBe('refresh-1');
        return json(200, tokens(2));
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer access-2' ? json(200, { ok: true }) : json(401, { type: 'x', title: 'x', status: 401, code: 'token_invalid' });
    });
    const c = new ApiClient('', fetchFn as unknown as typeof fetch);
    await c.login('dir1', 'pw');
    const results = await Promise.all([c.call('GET /api/v1/me'), c.call('GET /api/v1/cycles')]);
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(refreshes).toBe(1);
    expect(sessionStorage.getItem('argine.refresh')).toBe('refresh-2');
  });

  it('reports an expired session when the refresh fails, without throwing away the caller', async () => {
    const fetchFn = vi.fn(async (url: string) => {
      if (url.endsWith('/auth/login')) return json(200, tokens(1));
      return json(401, { type: 'x', title: 'x', status: 401, code: url.endsWith('/refresh') ? 'refresh_token_invalid' : 'token_invalid' });
    });
    const c = new ApiClient('', fetchFn as unknown as typeof fetch);
    const events: string[] = [];
    c.onSession((e) => events.push(e));
    await c.login('dir1', 'pw');
    const err = await failure(c.call('GET /api/v1/me'));
    expect(err.code).toBe('token_invalid');
    expect(events).toEqual(['signed-in', 'expired']);
    expect(c.signedIn).toBe(false);
    expect(sessionStorage.getItem('argine.refresh')).toBeNull();
  });

  it('does not try to refresh when the sign-in itself is refused', async () => {
    const fetchFn = vi.fn().mockResolvedValue(json(401, { type: 'x', title: 'x', status: 401, code: 'invalid_credentials' }));
    const c = new ApiClient('', fetchFn);
    expect((await failure(c.login('dir1', 'bad'))).code).toBe('invalid_credentials');
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });
});

describe('ApiClient across a reload', () => {
  beforeEach(() => sessionStorage.clear());

  it('keeps the access token in the tab, so a reload does not spend the single-use refresh token', async () => {
    const fetchFn = vi.fn(async (url: string, init: RequestInit) => {
      if (url.endsWith('/auth/login')) return json(200, tokens(1));
      if (url.endsWith('/auth/refresh')) throw new Error('a reload must not refresh');
      return (init.headers as Record<string, string>).Authorization === 'Bearer access-1' ? json(200, { ok: true }) : json(401, {});
    });
    await new ApiClient('', fetchFn as unknown as typeof fetch).login('dir1', 'pw');
    const reloaded = new ApiClient('', fetchFn as unknown as typeof fetch);
    expect(reloaded.signedIn).toBe(true);
    expect(await reloaded.call('GET /api/v1/me')).toEqual({ ok: true });
  });

  it('forgets both tokens on sign-out', async () => {
    const fetchFn = vi.fn(async (url: string) => (url.endsWith('/auth/login') ? json(200, tokens(1)) : new Response(null, { status: 204 })));
    const c = new ApiClient('', fetchFn as unknown as typeof fetch);
    await c.login('dir1', 'pw');
    await c.logout();
    expect(new ApiClient('', fetchFn as unknown as typeof fetch).resumable).toBe(false);
  });

  it('takes the session of a single sign-on from the fragment, spends it once and clears the address', async () => {
    window.history.replaceState(null, '', '/#oidc_refresh=argr_from_sso');
    const fetchFn = vi.fn(async (_url: string, init?: RequestInit) => {
      expect(JSON.parse(String(init?.body))).toEqual({ refresh_token: 'argr_from_sso' });
      return json(200, tokens(7));
    });
    const c = new ApiClient('', fetchFn as unknown as typeof fetch);
    expect(window.location.hash).toBe('');
    expect(c.signedIn).toBe(false);
    expect(await c.refresh()).toBe(true);
    expect(c.signedIn).toBe(true);
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it('keeps the second-factor step or the error of a single sign-on for the login page, once', () => {
    window.history.replaceState(null, '', '/#oidc_error=oidc_user_unknown');
    const c = new ApiClient('', vi.fn());
    expect(window.location.hash).toBe('');
    expect(c.takeSignOnResult()).toEqual({ error: 'oidc_user_unknown', mfaToken: undefined });
    expect(c.takeSignOnResult()).toEqual({});
    window.history.replaceState(null, '', '/#oidc_mfa=challenge');
    expect(new ApiClient('', vi.fn()).takeSignOnResult().mfaToken).toBe('challenge');
  });

  it('answers the provider sign-out address of a session opened by single sign-on', async () => {
    const fetchFn = vi.fn(async (url: string) =>
      url.endsWith('/auth/login') ? json(200, tokens(1)) : json(200, { logout_url: 'https://idp.example/logout?id_token_hint=x' }),
    );
    const c = new ApiClient('', fetchFn as unknown as typeof fetch);
    await c.login('dir1', 'pw');
    expect(await c.logout()).toBe('https://idp.example/logout?id_token_hint=x');
    expect(c.resumable).toBe(false);
  });
});
