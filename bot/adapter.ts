// CloudAdapter with Bot Framework authentication, and the turn error handler users see.
import {
  Activity,
  ActivityTypes,
  InvokeResponse,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  ConversationState,
  TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, ConnectorFactory } from 'botframework-connector';
import type { ClaimsIdentity, ConnectorClient, UserTokenClient } from 'botframework-connector';
import type { Config } from './config';
import type { Logger } from './logger';
import { localeOf, t } from '../knowledge/i18n';
import { withConnectorRetry } from './connector-retry';
import { useDirectSends } from './direct-sends';
import { WrappingBotFrameworkAuthentication } from './wrapping-authentication';
import { botTokenErrorIn, TokenTimeoutCredentialsFactory } from './token-timeout';
import { IssuerTrimmingAuthentication } from './emulator-issuers';

/** CloudAdapter whose entry point takes an already parsed body, so the HTTP layer owns every response. */
export class SupportAdapter extends CloudAdapter {
  handleActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** Most recently used last; a creation that fails is forgotten so the next turn tries again. */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly max: number) {}

  get(key: string, create: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found) {
      // Refresh its place so the oldest unused client is the one dropped.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const created = create();
    this.entries.set(key, created);
    created.catch(() => {
      if (this.entries.get(key) === created) this.entries.delete(key);
    });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return created;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Clients kept per (app id, service URL, audience); service URLs come from activities, so this is bounded. */
export const MAX_CACHED_CLIENTS = 256;

/** A ConnectorFactory that hands out one client per (app id, service URL, audience). */
class ReusingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly cache: ClientCache<ConnectorClient>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.get(`${this.appId}\n${serviceUrl}\n${audience ?? ''}`, async () => useDirectSends(await this.inner.create(serviceUrl, audience)));
  }
}

/**
 * CloudAdapter asks its BotFrameworkAuthentication for a new ConnectorFactory, ConnectorClient and
 * UserTokenClient on every turn (and proactive call), and each client builds a whole HTTP pipeline
 * (about twenty policies, a sanitizer, proxy settings from the environment) and, with an app id,
 * new credentials. The clients keep no per-turn state, so this wrapper keeps one per app id,
 * service URL and audience, as botbuilder's older BotFrameworkAdapter did. Replies already travel
 * over the pipeline's shared keep-alive agent; what this removes is the construction per turn.
 * Wrap it outermost, so anything another wrapper adds to a client (a retry policy) is added once.
 * Each kept client sends replies without core-client's operation machinery (direct-sends.ts).
 */
export class ReusingBotFrameworkAuthentication extends WrappingBotFrameworkAuthentication {
  private readonly connectors = new ClientCache<ConnectorClient>(MAX_CACHED_CLIENTS);
  private readonly tokenClients = new ClientCache<UserTokenClient>(MAX_CACHED_CLIENTS);

  protected wrapFactory(factory: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusingConnectorFactory(factory, appIdOf(claimsIdentity), this.connectors);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(appIdOf(claimsIdentity), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  /** Connector clients kept now (for tests). */
  get cachedConnectors(): number {
    return this.connectors.size;
  }
}

/** As botframework-connector reads it: the audience claim (channels), else the appid claim (Emulator); empty in local mode. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

export function createAdapter(config: Config, logger: Logger, conversationState: ConversationState): SupportAdapter {
  const settings = {
    MicrosoftAppId: config.auth.appId,
    MicrosoftAppPassword: config.auth.appPassword,
    MicrosoftAppType: config.auth.appType,
    MicrosoftAppTenantId: config.auth.tenantId,
  };
  // The bot's token for replies is fetched within a bounded time (token-timeout.ts).
  const credentials = new TokenTimeoutCredentialsFactory(new ConfigurationServiceClientCredentialFactory(settings), config.auth.tokenTimeoutMs);
  const auth = new IssuerTrimmingAuthentication(new ConfigurationBotFrameworkAuthentication(settings, credentials));
  // Replies and proactive sends retry 429/5xx with backoff and Retry-After, and are never re-sent
  // after an ambiguous network failure (connector-retry.ts); installed once per reused client.
  const retrying = withConnectorRetry(auth, {
    onRetry: (e) =>
      logger.warn({ event: 'connector.retry', attempt: e.attempt, delayMs: e.delayMs, status: e.status, code: e.code, host: e.host }, 'channel refused a send; retrying'),
  });
  const adapter = new SupportAdapter(new ReusingBotFrameworkAuthentication(retrying));

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const activity = context.activity;
    const tokenError = botTokenErrorIn(error);
    if (tokenError) {
      // Nothing can reach the channel without the token, an apology included. The turn's state and
      // replies were saved before sending (support-bot.ts), so the redelivery the 503 asks for sends them.
      logger.error(
        { reason: tokenError.message, conversationId: activity.conversation?.id, activityId: activity.id, channelId: activity.channelId },
        'turn failed: no bot token from Azure AD, so the reply was not sent',
      );
      return;
    }
    logger.error(
      { err: error, conversationId: activity.conversation?.id, activityId: activity.id, channelId: activity.channelId },
      'turn failed',
    );
    // Only messages expect an answer; a failed event or update stays quiet.
    if (activity.type === ActivityTypes.Message) {
      const locale = localeOf(activity, config.defaultLocale);
      try {
        await context.sendActivity(t(locale, 'error.turn'));
      } catch (sendError) {
        logger.warn({ err: sendError }, 'could not tell the user about the failed turn');
      }
    }
    // Drop the dialog stack so the next message starts clean instead of failing the same way.
    try {
      await conversationState.delete(context);
    } catch (deleteError) {
      logger.warn({ err: deleteError }, 'could not reset conversation state');
    }
  };
  return adapter;
}
