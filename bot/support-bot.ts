// The activity handler: runs the main dialog for messages, welcomes new members, saves state every turn.
import { ConversationState, StatePropertyAccessor, TeamsActivityHandler, TurnContext, UserState } from 'botbuilder';
import { Dialog, DialogState, runDialog } from 'botbuilder-dialogs';

export interface SupportBotOptions {
  conversationState: ConversationState;
  userState: UserState;
  dialog: Dialog;
  /** Sends the welcome message in the activity's language. */
  welcome: (context: TurnContext) => Promise<void>;
}

/** Card buttons submit `{ text }` with no message text; treat that as if the user had typed it. */
export function textFromSubmit(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const text = (value as { text?: unknown }).text;
  return typeof text === 'string' && text.trim() ? text.slice(0, 2000) : undefined;
}

export class SupportBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;

  constructor(private readonly options: SupportBotOptions) {
    super();
    this.dialogState = options.conversationState.createProperty<DialogState>('dialogState');

    this.onMessage(async (context, next) => {
      const activity = context.activity;
      if (!activity.text?.trim()) {
        const submitted = textFromSubmit(activity.value);
        if (submitted) activity.text = submitted;
      }
      await runDialog(options.dialog, context, this.dialogState);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient?.id);
      if (newcomers.length > 0) await options.welcome(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.options.conversationState.saveChanges(context, false);
    await this.options.userState.saveChanges(context, false);
  }
}
