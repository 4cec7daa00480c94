// CloudAdapter with Bot Framework authentication, and the turn error handler users see.
import {
  Activity,
  ActivityTypes,
  InvokeResponse,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  TurnContext,
} from 'botbuilder';
import type { Config } from './config';
import type { Logger } from './logger';
import { localeOf, t } from '../knowledge/i18n';

/** CloudAdapter whose entry point takes an already parsed body, so the HTTP layer owns every response. */
export class SupportAdapter extends CloudAdapter {
  handleActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createAdapter(config: Config, logger: Logger, conversationState: ConversationState): SupportAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.auth.appId,
    MicrosoftAppPassword: config.auth.appPassword,
    MicrosoftAppType: config.auth.appType,
    MicrosoftAppTenantId: config.auth.tenantId,
  });
  const adapter = new SupportAdapter(auth);

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const activity = context.activity;
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
