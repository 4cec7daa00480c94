// The two reference servers of `npm run bench:load`, each run in its own process so its RSS can be read:
//   floor  a bare restify endpoint: parses the activity and POSTs one reply to the activity's serviceUrl
//          over a keep-alive agent, then answers 200 (the least any bot has to do per turn);
//   stock  Microsoft's echo sample (botbuilder-samples 02.echo-bot): CloudAdapter with
//          ConfigurationBotFrameworkAuthentication and no app id, adapter.process(req, res, ...) on
//          restify, an ActivityHandler replying `Echo: <text>`.
// Usage: node -r tsx/cjs test/bench/load-targets.ts floor|stock PORT
import http from 'node:http';
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, TurnContext } from 'botbuilder';

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

const server = kind === 'floor' ? floor() : kind === 'stock' ? stock() : undefined;
if (!server || !Number.isInteger(port)) {
  console.error('usage: load-targets.ts floor|stock PORT');
  process.exit(2);
}
server.listen(port, '127.0.0.1', () => console.log(`${kind} listening on http://127.0.0.1:${port}`));
const stop = () => {
  server.close(() => process.exit(0));
  (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
