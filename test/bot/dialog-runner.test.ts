import { strict as assert } from 'node:assert';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogState, DialogStateManager, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { DialogRunner, reuseDialogsRegistration } from '../../bot/dialog-runner';

/** A component with a prompt inside, as the bot's dialogs are: asks a name, then a colour. */
class AskDialog extends ComponentDialog {
  constructor() {
    super('ask');
    this.initialDialogId = 'steps';
    this.addDialog(new TextPrompt('text'));
    this.addDialog(
      new WaterfallDialog('steps', [
        async (step) => step.prompt('text', 'name?'),
        async (step) => {
          (step.values as { name?: string }).name = String(step.result);
          return step.prompt('text', 'colour?');
        },
        async (step) => {
          await step.context.sendActivity(`${(step.values as { name: string }).name} likes ${String(step.result)}`);
          return step.endDialog();
        },
      ]),
    );
  }
}

class FailingDialog extends ComponentDialog {
  constructor() {
    super('failing');
    this.addDialog(
      new WaterfallDialog('steps', [
        async () => {
          throw new Error('step failed');
        },
      ]),
    );
  }
}

function setUp(dialog: ComponentDialog) {
  const state = new ConversationState(new MemoryStorage());
  const runner = new DialogRunner(dialog, state.createProperty<DialogState>('dialogState'));
  const adapter = new TestAdapter(async (context) => {
    await runner.run(context);
    await state.saveChanges(context);
  });
  return { adapter, state, runner };
}

describe('dialog runner', () => {
  it('begins the main dialog, continues it over turns, and begins it again once it ended', async () => {
    const { adapter } = setUp(new AskDialog());
    await adapter
      .send('hi')
      .assertReply('name?')
      .send('Ada')
      .assertReply('colour?')
      .send('green')
      .assertReply('Ada likes green')
      .send('again')
      .assertReply('name?')
      .startTest();
  });

  it('keeps each conversation on its own step when their turns interleave', async () => {
    const { adapter, state, runner } = setUp(new AskDialog());
    const replies = new Map<string, string[]>();
    // Two conversations through one runner: the second's turns run while the first waits.
    const turn = async (conversation: string, text: string) => {
      const activity = { type: 'message', text, channelId: 'test', conversation: { id: conversation }, from: { id: `user-${conversation}` }, recipient: { id: 'bot' }, serviceUrl: 'https://test.invalid' };
      const context = new TurnContext(adapter, activity as never);
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) replies.set(conversation, [...(replies.get(conversation) ?? []), String(a.text)]);
        return next();
      });
      await runner.run(context);
      await state.saveChanges(context);
    };
    await Promise.all([turn('a', 'hi'), turn('b', 'hi')]);
    await Promise.all([turn('a', 'Ada'), turn('b', 'Bo')]);
    await turn('b', 'red');
    await turn('a', 'blue');
    assert.deepEqual(replies.get('a'), ['name?', 'colour?', 'Ada likes blue']);
    assert.deepEqual(replies.get('b'), ['name?', 'colour?', 'Bo likes red']);
  });

  it("passes a dialog's error to the caller, as runDialog did", async () => {
    const { adapter } = setUp(new FailingDialog());
    let caught: unknown;
    adapter.onTurnError = async (_context, error) => {
      caught = error;
    };
    await adapter.send('hi').startTest();
    assert.equal((caught as Error | undefined)?.message, 'step failed');
  });

  it('reuses one DialogsComponentRegistration, and dialog memory still reads and writes', async () => {
    reuseDialogsRegistration();
    reuseDialogsRegistration();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DialogsComponentRegistration } = require('botbuilder-dialogs/lib/dialogsComponentRegistration') as { DialogsComponentRegistration: new () => { getMemoryScopes(): unknown[] } };
    const first = new DialogsComponentRegistration();
    assert.equal(new DialogsComponentRegistration(), first);
    assert.ok(first instanceof DialogsComponentRegistration, 'still an instance of the class botbuilder checks for');
    assert.ok(first.getMemoryScopes().length > 5, 'the registration still provides the memory scopes');

    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
    const adapter = new TestAdapter(async () => undefined);
    const context = new TurnContext(adapter, { type: 'message', text: 'x', channelId: 'test', conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } } as never);
    const dc = await dialogs.createContext(context);
    const memory = new DialogStateManager(dc);
    memory.setValue('turn.answer', 42);
    assert.equal(memory.getValue('turn.answer'), 42);
    assert.equal(dc.state.getValue('turn.answer'), 42, 'a second manager on the same turn sees it');
  });

  it("hands the first turn's memory scopes to later turns, which still read and write their own memory", async () => {
    const seen: { configuration: unknown; answer: unknown; dialog: unknown }[] = [];
    class MemoryDialog extends ComponentDialog {
      constructor() {
        super('memory');
        this.addDialog(
          new WaterfallDialog('steps', [
            async (step) => {
              step.state.setValue('turn.answer', step.context.activity.text);
              step.state.setValue('dialog.last', step.context.activity.text);
              seen.push({
                configuration: step.context.turnState.get('DialogStateManagerConfiguration'),
                answer: step.state.getValue('turn.answer'),
                dialog: step.state.getValue('dialog.last'),
              });
              return step.endDialog();
            },
          ]),
        );
      }
    }
    const { adapter } = setUp(new MemoryDialog());
    await adapter.send('one').send('two').startTest();
    assert.equal(seen.length, 2);
    assert.ok(seen[0].configuration, 'the first turn built a configuration');
    assert.equal(seen[1].configuration, seen[0].configuration, 'the second turn reused it');
    assert.deepEqual(
      seen.map((s) => [s.answer, s.dialog]),
      [
        ['one', 'one'],
        ['two', 'two'],
      ],
    );

    // A turn that brings its own memory scopes gets a configuration with them, not the shared one.
    const extra = { name: 'extra', includeInSnapshot: false, getMemory: () => ({ from: 'extra' }), setMemory: () => undefined, load: async () => undefined, saveChanges: async () => undefined, delete: async () => undefined };
    const own = setUp(new MemoryDialog());
    await own.adapter.send('three').startTest();
    const shared = seen[2].configuration as { memoryScopes: unknown[] };
    own.adapter.use({
      onTurn: async (context, next) => {
        context.turnState.set('memoryScopes', [extra]);
        await next();
      },
    });
    await own.adapter.send('four').startTest();
    const configuration = seen[3].configuration as { memoryScopes: unknown[] };
    assert.notEqual(configuration, shared);
    assert.ok(configuration.memoryScopes.includes(extra));
    assert.ok(!shared.memoryScopes.includes(extra), 'the shared configuration is left as it was');
  });
});
