// With an Azure Bot Service Direct Line secret configured, the widget talks to Microsoft's Direct
// Line: this route exchanges the secret for a short-lived token on the server, so the secret never
// reaches the browser.
import type { Route } from '../server';
import { sendError } from '../server';
import type { Logger } from '../logger';

export function azureTokenRoute(options: { secret: string; endpoint: string; logger: Logger }): Route {
  return {
    method: 'post',
    path: '/api/directline/token',
    handler: async (_req, res) => {
      try {
        const response = await fetch(`${options.endpoint}/tokens/generate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.secret}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`Direct Line answered ${response.status}`);
        const body = (await response.json()) as { token?: unknown; conversationId?: unknown; expires_in?: unknown };
        if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') throw new Error('Direct Line sent no token');
        // Only these fields go to the browser: never the secret, never anything else upstream said.
        res.json({ token: body.token, conversationId: body.conversationId, expires_in: Number(body.expires_in) || 1800, domain: options.endpoint });
      } catch (err) {
        options.logger.error({ err: (err as Error).message }, 'could not get a Direct Line token from Azure');
        sendError(res, 502);
      }
    },
  };
}
