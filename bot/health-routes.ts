// Liveness and readiness for orchestrators and load balancers.
import type { Route } from './server';

export function healthRoutes(storageReachable: () => Promise<boolean>): Route[] {
  return [
    {
      method: 'get',
      path: '/healthz',
      handler: (_req, res) => {
        res.json({ status: 'ok' });
      },
    },
    {
      method: 'get',
      path: '/readyz',
      handler: async (_req, res) => {
        const ok = await storageReachable();
        res.status(ok ? 200 : 503);
        res.json({ status: ok ? 'ready' : 'unavailable', storage: ok ? 'ok' : 'unreachable' });
      },
    },
  ];
}
