// The reference servers of `npm run bench:load`, each run in its own process so its RSS can be read:
//   floor    a bare restify endpoint: parses the activity and POSTs one reply to the activity's serviceUrl
//            over a keep-alive agent, then answers 200 (the least any bot has to do per turn);
//   stock    Microsoft's echo sample (botbuilder-samples 02.echo-bot): CloudAdapter with
//            ConfigurationBotFrameworkAuthentication and no app id, adapter.process(req, res, ...) on
//            restify, an ActivityHandler replying `Echo: <text>`;
//   durable  the same echo, run by the support bot's own machinery: its HTTP surface and messages route,
//            its adapter (reused connector clients, retries) and reply buffer, SupportBot with a one-step
//            echo dialog, and the conversation state and kept replies saved to SQLite (synchronous=FULL)
//            before the reply goes out, as section 3 of the load issue asks of every turn. What is left
//            between it and `bot` is the help desk itself: understanding, search, cards, logs.
// Usage: node -r tsx/cjs test/bench/load-targets.ts floor|stock PORT
//        node -r tsx/cjs test/bench/load-targets.ts durable PORT DATA_DIR
import http from 'node:http';
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, TurnContext, UserState } from 'botbuilder';
import { createAdapter } from '../../bot/adapter';
import { parseConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { messagesRoute } from '../../bot/messages-route';
import { createServer } from '../../bot/server';
import { openConfiguredDatabase } from '../../bot/storage/database';
import { OptimisticConversationState } from '../../bot/storage/optimistic-state';
import { SqlStorage } from '../../bot/storage/sql-storage';
import { SupportBot } from '../../bot/support-bot';
import { replyBufferMiddleware } from '../../bot/turn-buffer';
import { Dialog, DialogTurnResult } from '../../dialogs/botbuilder-dialogs-parts';
import type { DialogContext } from '../../dialogs/botbuilder-dialogs-parts';

const [kind, portText] = process.argv.slice(2);
const port = Number(portText);

function floor(): restify.Server {
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  const agent = new http.Agent({ keepAlive: true });
  server.post('/api/messages', async (req, res) => {
    const activity = req.body as { serviceUrl: string; conversation: { id: string }; text?: string; id?: string; from?: unknown; recipient?: unknown };
    const reply = JSON.stringify({ type: 'message', text: `Echo: ${activity.text ?? ''}`, from: activity.recipient, recipient: activity.from, replyToId: activity.id, conversation: activity.conversation });
    const url = `${activity.serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities`;
    const status = await new Promise<number>((resolve, reject) => {
      const out = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) } }, (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode ?? 0));
      });
      out.on('error', reject);
      out.end(reply);
    });
    res.send(status === 200 ? 200 : 502);
  });
  return server;
}

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const replyText = `Echo: ${context.activity.text}`;
      await context.sendActivity(MessageFactory.text(replyText, replyText));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) await context.sendActivity(MessageFactory.text('Hello and welcome!'));
      }
      await next();
    });
  }
}

function stock(): restify.Server {
  const botFrameworkAuthentication = new ConfigurationBotFrameworkAuthentication({});
  const adapter = new CloudAdapter(botFrameworkAuthentication);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    console.error(`[onTurnError] unhandled error: ${error}`);
    await context.sendActivity('The bot encountered an error or bug.');
  };
  const myBot = new EchoBot();
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => myBot.run(context));
  });
  return server;
}

/** Replies `Echo: <text>` and ends: the cheapest dialog SupportBot can run. */
class EchoDialog extends Dialog {
  constructor() {
    super('echo');
  }

  async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const replyText = `Echo: ${dc.context.activity.text}`;
    await dc.context.sendActivity(MessageFactory.text(replyText, replyText));
    return dc.endDialog();
  }
}

async function durable(dataDir: string): Promise<restify.Server> {
  const config = parseConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
  const logger = createLogger(config.logLevel);
  const storage = new SqlStorage(await openConfiguredDatabase(config));
  const conversationState = new OptimisticConversationState(storage);
  const adapter = createAdapter(config, logger, conversationState);
  adapter.use(replyBufferMiddleware());
  const bot = new SupportBot({ conversationState, userState: new UserState(storage), dialog: new EchoDialog(), welcome: async () => undefined });
  return createServer({ maxBodyBytes: config.maxBodyBytes, logger, routes: [messagesRoute(adapter, (context) => bot.run(context), logger)] });
}

async function main(): Promise<void> {
  const dataDir = process.argv[4];
  if (!Number.isInteger(port) || !(kind === 'floor' || kind === 'stock' || (kind === 'durable' && dataDir))) {
    console.error('usage: load-targets.ts floor|stock PORT, or load-targets.ts durable PORT DATA_DIR');
    process.exit(2);
  }
  const server = kind === 'floor' ? floor() : kind === 'stock' ? stock() : await durable(dataDir);
  server.listen(port, '127.0.0.1', () => console.log(`${kind} listening on http://127.0.0.1:${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
