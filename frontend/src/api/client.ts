// The one HTTP client of the app. Every call names an operation of the OpenAPI document ("METHOD /path/:param"),
// so the TypeScript compiler refuses a route the server does not document. Errors arrive as ApiError carrying the
// problem's stable code, which the UI translates (i18n namespace "errors").
import type { ApiOperation, FieldError, Problem, Tokens } from './schema.gen';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  /** Seconds to wait before trying again (Retry-After of a 429 or 503), when the server said. */
  readonly retryAfter?: number;
  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail || problem.title || problem.code);
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

export type Query = Record<string, string | number | boolean | undefined | null | Array<string>>;

export interface CallOptions {
  params?: Record<string, string>;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Return the raw Response (downloads); the caller reads the body. */
  raw?: boolean;
}

/** Session storage keeps the tokens across a page reload of the same tab, never across tabs or browser restarts. The
 * access token is kept too so that a reload does not spend the single-use refresh token: two quick reloads would
 * otherwise present the same refresh token twice, which the server treats as theft and closes the session. */
const refreshKey = 'argine.refresh';
const accessKey = 'argine.access';

type SessionListener = (event: 'signed-in' | 'expired' | 'signed-out') => void;

/** What the server's single sign-on sent the browser back with (#oidc_mfa=... or #oidc_error=...). */
export interface SignOnResult {
  mfaToken?: string;
  error?: string;
}

export class ApiClient {
  private accessToken = '';
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<SessionListener>();
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  private signOn: SignOnResult = {};

  constructor(base = '', fetchFn: typeof fetch = (...a) => fetch(...a)) {
    this.base = base;
    this.fetchFn = fetchFn;
    this.accessToken = sessionStorage.getItem(accessKey) ?? '';
    this.readSignOnFragment();
  }

  /** After a single sign-on the server sends the browser to /#oidc_refresh=TOKEN (a new session: its refresh token,
   * spent at once by the start-up refresh), #oidc_mfa=TOKEN (the TOTP step) or #oidc_error=CODE. The fragment is
   * removed from the address at once, so it stays neither in the history nor in a bookmark. */
  private readSignOnFragment() {
    if (typeof window === 'undefined' || !window.location.hash.startsWith('#oidc_')) return;
    const params = new URLSearchParams(window.location.hash.slice(1));
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    const refresh = params.get('oidc_refresh');
    if (refresh) {
      this.accessToken = '';
      sessionStorage.removeItem(accessKey);
      sessionStorage.setItem(refreshKey, refresh);
      return;
    }
    this.signOn = { mfaToken: params.get('oidc_mfa') ?? undefined, error: params.get('oidc_error') ?? undefined };
  }

  /** The outcome of a single sign-on still to show on the login page (given once). */
  takeSignOnResult(): SignOnResult {
    const out = this.signOn;
    this.signOn = {};
    return out;
  }

  onSession(l: SessionListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(e: Parameters<SessionListener>[0]) {
    this.listeners.forEach((l) => l(e));
  }

  get hasRefreshToken(): boolean {
    return !!sessionStorage.getItem(refreshKey);
  }

  /** A session kept from before a reload of this tab (either token). */
  get resumable(): boolean {
    return this.accessToken !== '' || this.hasRefreshToken;
  }

  get signedIn(): boolean {
    return this.accessToken !== '';
  }

  private keep(tokens: Tokens) {
    this.accessToken = tokens.access_token;
    sessionStorage.setItem(accessKey, tokens.access_token);
    sessionStorage.setItem(refreshKey, tokens.refresh_token);
  }

  private forget() {
    this.accessToken = '';
    sessionStorage.removeItem(accessKey);
    sessionStorage.removeItem(refreshKey);
  }

  /** Signs in; an account with a second factor answers a challenge instead (returned: no session yet). */
  async login(username: string, password: string): Promise<{ mfaToken?: string }> {
    const tokens = await this.call<Tokens>('POST /api/v1/auth/login', { body: { username, password } });
    if (tokens.mfa_required) return { mfaToken: tokens.mfa_token };
    this.keep(tokens);
    this.emit('signed-in');
    return {};
  }

  /** The second step of a sign-in: the challenge with a code of the app or a recovery code. */
  async completeMFA(mfaToken: string, code: { code?: string; recovery_code?: string }): Promise<void> {
    const tokens = await this.call<Tokens>('POST /api/v1/auth/mfa', { body: { mfa_token: mfaToken, ...code } });
    this.keep(tokens);
    this.emit('signed-in');
  }

  /** Ends the session; answers the identity provider's sign-out address when the session came from single sign-on
   * and the provider has one (the browser goes there to end the provider's session too). */
  async logout(): Promise<string | undefined> {
    try {
      if (this.accessToken) {
        const out = await this.call<{ logout_url?: string } | undefined>('POST /api/v1/auth/logout', { body: { refresh_token: sessionStorage.getItem(refreshKey) ?? '' } });
        return out?.logout_url;
      }
      return undefined;
    } finally {
      this.forget();
      this.emit('signed-out');
    }
  }

  /** Exchanges the refresh token for new tokens; concurrent callers share one exchange (the token is single use). */
  refresh(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const token = sessionStorage.getItem(refreshKey);
    if (!token) return Promise.resolve(false);
    this.refreshing = (async () => {
      try {
        const res = await this.fetchFn(this.base + '/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refresh_token: token }),
        });
        if (!res.ok) {
          this.forget();
          return false;
        }
        this.keep((await res.json()) as Tokens);
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  url(op: ApiOperation, opts: Pick<CallOptions, 'params' | 'query'> = {}): string {
    const template = op.slice(op.indexOf(' ') + 1);
    const path = template.replace(/:(\w+)/g, (_, name: string) => {
      const v = opts.params?.[name];
      if (v === undefined) throw new Error(`missing path parameter ${name} for ${op}`);
      return encodeURIComponent(v);
    });
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) v.forEach((x) => qs.append(k, x));
      else qs.append(k, String(v));
    }
    const q = qs.toString();
    return this.base + path + (q ? `?${q}` : '');
  }

  async call<T = unknown>(op: ApiOperation, opts: CallOptions = {}): Promise<T> {
    const method = op.slice(0, op.indexOf(' '));
    const url = this.url(op, opts);
    const send = () => {
      const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
      if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
      let body: BodyInit | undefined;
      if (opts.body instanceof FormData) body = opts.body;
      else if (opts.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(opts.body);
      }
      return this.fetchFn(url, { method, headers, body, signal: opts.signal });
    };
    let res: Response;
    try {
      res = await send();
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError({ type: 'about:blank', title: 'network', status: 0, code: 'network_error' });
    }
    const isAuthRoute = op.includes('/auth/login') || op.includes('/auth/refresh') || op.includes('/auth/mfa');
    if (res.status === 401 && !isAuthRoute) {
      if (await this.refresh()) res = await send();
      else {
        this.forget();
        this.emit('expired');
      }
    }
    if (!res.ok) throw await toApiError(res);
    if (opts.raw) return res as unknown as T;
    if (res.status === 204) return undefined as T;
    const type = res.headers.get('Content-Type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as T;
  }

  /** Downloads a file through the authenticated client and hands it to the browser. */
  async download(op: ApiOperation, opts: Pick<CallOptions, 'params' | 'query'>, fallbackName: string): Promise<void> {
    const res = await this.call<Response>(op, { ...opts, raw: true });
    const blob = await res.blob();
    const disposition = res.headers.get('Content-Disposition') ?? '';
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
    const href = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 1000);
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  try {
    const body = await res.json();
    if (body && typeof body.code === 'string') problem = body as Problem;
  } catch {
    /* not JSON: fall through to a code derived from the status */
  }
  const retry = Number.parseInt(res.headers.get('Retry-After') ?? '', 10);
  return new ApiError(problem ?? { type: 'about:blank', title: res.statusText, status: res.status, code: `http_${res.status}` }, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

export const api = new ApiClient();
