// Test helper: a fake of api.call answering by operation; unknown operations fail loudly.
export type Route = (opts: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown }) => unknown;

export function fakeApi(routes: Record<string, Route>) {
  const calls: Array<{ op: string; opts: Parameters<Route>[0] }> = [];
  const impl = async (op: string, opts: Parameters<Route>[0] = {}) => {
    calls.push({ op, opts });
    const r = routes[op];
    if (!r) throw new Error(`unexpected call ${op}`);
    return r(opts);
  };
  return { impl, calls };
}
