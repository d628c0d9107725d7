// The signed-in user, their ente, grants and allowances (from GET /api/v1/me), and the cycle being worked on.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { Cycle, Me } from '../api/schema.gen';

export type Role = 'admin' | 'rpct' | 'director' | 'referente' | 'oiv';

export interface Session {
  me: Me;
  roles: Set<Role>;
  /** Units where the user holds director or referente (what they may edit). */
  myUnits: string[];
  can: (object: string, action: string, units?: string[]) => boolean;
  cycles: Cycle[];
  cycle: Cycle | null;
  selectCycle: (code: string) => void;
  reloadCycles: () => Promise<void>;
  reloadMe: () => Promise<void>;
}

type Status = 'loading' | 'anonymous' | 'ready';

interface SessionState {
  status: Status;
  session: Session | null;
  expired: boolean;
  /** Resolves with a challenge when the account has a second factor (then completeMFA finishes the sign-in). */
  signIn: (username: string, password: string) => Promise<{ mfaToken?: string }>;
  completeMFA: (mfaToken: string, code: { code?: string; recovery_code?: string }) => Promise<void>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<SessionState | null>(null);
const cycleKey = 'argine.cycle';

/** can() answers from the allowances the server computed for this user: "*" means the whole ente. */
export function allows(me: Me, object: string, action: string, units?: string[]): boolean {
  const a = me.allowed.find((x) => x.object === object && x.action === action);
  if (!a || !a.units || a.units.length === 0) return false;
  if (a.units.includes('*')) return true;
  if (!units) return true; // some unit: enough to show the entry point, the server checks the resource
  return units.some((u) => a.units!.includes(u));
}

/** The cycle to work on: the remembered one, else the newest open, else the newest. */
export function defaultCycle(cycles: Cycle[], remembered: string | null): Cycle | null {
  if (cycles.length === 0) return null;
  const kept = cycles.find((c) => c.code === remembered);
  if (kept) return kept;
  const newest = [...cycles].sort((a, b) => b.start_year - a.start_year || b.code.localeCompare(a.code));
  return newest.find((c) => c.state === 'open') ?? newest[0];
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [cycles, setCycles] = useState<Cycle[]>([]);
  // A link from a notification e-mail names its cycle (?ciclo=CODE): it wins over the last one picked here.
  const [cycleCode, setCycleCode] = useState<string | null>(() => new URLSearchParams(window.location.search).get('ciclo') || localStorage.getItem(cycleKey));
  const [expired, setExpired] = useState(false);

  const load = useCallback(async () => {
    const [m, c] = await Promise.all([
      api.call<Me>('GET /api/v1/me'),
      api.call<{ items: Cycle[] } | Cycle[]>('GET /api/v1/cycles').catch(() => [] as Cycle[]),
    ]);
    setMe(m);
    setCycles(Array.isArray(c) ? c : (c.items ?? []));
    setStatus('ready');
    setExpired(false);
  }, []);

  useEffect(() => {
    const off = api.onSession((e) => {
      if (e === 'expired') setExpired(true);
      if (e === 'signed-out') {
        setMe(null);
        setStatus('anonymous');
      }
    });
    (async () => {
      // a kept access token is used as is (the client refreshes it on a 401); otherwise the refresh token
      if (api.signedIn || (api.hasRefreshToken && (await api.refresh()))) {
        try {
          await load();
          return;
        } catch {
          /* fall through to sign-in */
        }
      }
      setExpired(false);
      setStatus('anonymous');
    })();
    return off;
  }, [load]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const out = await api.login(username, password);
      if (!out.mfaToken) await load();
      return out;
    },
    [load],
  );

  const completeMFA = useCallback(
    async (mfaToken: string, code: { code?: string; recovery_code?: string }) => {
      await api.completeMFA(mfaToken, code);
      await load();
    },
    [load],
  );

  const signOut = useCallback(async () => {
    const providerLogout = await api.logout().catch(() => undefined);
    setExpired(false);
    if (providerLogout) window.location.assign(providerLogout);
  }, []);

  const session = useMemo<Session | null>(() => {
    if (!me) return null;
    const roles = new Set(me.grants.map((g) => g.role as Role));
    const myUnits = [...new Set(me.grants.filter((g) => g.role === 'director' || g.role === 'referente').map((g) => g.unit ?? ''))].filter(Boolean);
    const cycle = defaultCycle(cycles, cycleCode);
    return {
      me,
      roles,
      myUnits,
      can: (o, a, u) => allows(me, o, a, u),
      cycles,
      cycle,
      selectCycle: (code) => {
        localStorage.setItem(cycleKey, code);
        setCycleCode(code);
      },
      reloadCycles: async () => {
        const c = await api.call<{ items: Cycle[] } | Cycle[]>('GET /api/v1/cycles');
        setCycles(Array.isArray(c) ? c : (c.items ?? []));
      },
      reloadMe: load,
    };
  }, [me, cycles, cycleCode, load]);

  const value = useMemo<SessionState>(() => ({ status, session, expired, signIn, completeMFA, signOut }), [status, session, expired, signIn, completeMFA, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSessionState(): SessionState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSessionState outside SessionProvider');
  return v;
}

/** The session of a signed-in page (the shell renders pages only when signed in). */
export function useSession(): Session {
  const s = useSessionState().session;
  if (!s) throw new Error('useSession without a signed-in user');
  return s;
}

/** The cycle code pages work on; pages render only when one exists. */
export function useCycleCode(): string {
  return useSession().cycle?.code ?? '';
}
