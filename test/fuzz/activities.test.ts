// Hostile activities on the real wire: random shapes, types, sizes and text posted to /api/messages
// of a real bot (local mode, SQLite in a temp dir) whose replies go to a loopback capture connector.
//
// Properties:
//  - no request is answered with a 5xx carrying anything but the fixed public message, and no
//    response or reply to a user carries internals (stack traces, paths, exception names);
//  - the process survives (no uncaught exception fails the test; /healthz answers afterwards);
//  - card submits (activity.value, Action.Execute data) with forged actions and prototype-pollution
//    keys never produce a 5xx, never touch Object.prototype, and never create a request or a
//    verification for a conversation that was never verified;
//  - after each storm a well-formed question still gets its answer.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CaptureConnector, readable } from '../support/capture-connector';
import { postJson, request, RawResponse } from '../support/http-client';
import { RunningBot, startTestBot } from '../support/test-bot';
import { publicMessage } from '../../bot/server';
import { fuzzParameters, hostileJson, hostileString, INTERNALS, pollutionPayload, prototypeSnapshot, sizedString } from './helpers';

/** What any response may look like: a 5xx only with no body or the fixed public message. */
function assertSafeResponse(response: RawResponse, sent: unknown): void {
  const context = `status ${response.status} body ${response.body.slice(0, 300)} for ${JSON.stringify(sent)?.slice(0, 500)}`;
  assert.ok(response.status >= 200 && response.status < 600, context);
  if (response.status >= 500) {
    assert.ok(response.body === '' || response.body === JSON.stringify({ error: publicMessage(response.status) }), context);
  }
  assert.doesNotMatch(response.body, INTERNALS, context);
}

describe('fuzz: activities on /api/messages', function () {
  let bot: RunningBot;
  let connector: CaptureConnector;
  let sequence = 0;
  const statuses = new Map<number, number>();

  before(async () => {
    connector = new CaptureConnector();
    await connector.start();
    bot = await startTestBot({ LOG_LEVEL: 'warn' });
  });
  after(async () => {
    console.log(`      statuses: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')}`);
    await bot.stop();
    await connector.stop();
  });

  async function post(body: unknown): Promise<RawResponse> {
    const response = await postJson(`${bot.url}/api/messages`, body);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    assertSafeResponse(response, body);
    return response;
  }

  function repliesCarryNoInternals(conversation: string): void {
    for (const reply of connector.activities(conversation)) assert.doesNotMatch(readable(reply), INTERNALS, `reply in ${conversation}: ${readable(reply).slice(0, 300)}`);
  }

  async function stillAnswers(): Promise<void> {
    const health = await request(`${bot.url}/healthz`);
    assert.equal(health.status, 200);
    const conversation = `after-storm-${++sequence}`;
    const response = await post({
      type: 'message',
      id: `ok-${sequence}`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation: { id: conversation },
      from: { id: 'user-ok' },
      recipient: { id: 'bot' },
      locale: 'en-US',
      text: 'support phone number in the United States',
    });
    assert.equal(response.status, 200);
    const text = connector.activities(conversation).filter((a) => a.type === 'message').map(readable).join('\n');
    assert.match(text.replace(/\D/g, ''), /18008659408/, 'the well-formed question is still answered');
  }

  // --- arbitraries ----------------------------------------------------------------------------

  /** A value of the right type most of the time, anything at all otherwise. */
  const or = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: hostileJson });

  const serviceUrl = () =>
    fc.oneof(
      { weight: 10, arbitrary: fc.constant(connector.url) },
      { weight: 1, arbitrary: fc.constant(`${connector.url}/`) },
      { weight: 1, arbitrary: fc.constant(bot.url) },
      { weight: 1, arbitrary: fc.constantFrom('http://127.0.0.1:1/', 'not a url', '', 'javascript:alert(1)', 'file:///etc/passwd', 'http://[::1', 'ftp://127.0.0.1/') },
      { weight: 1, arbitrary: hostileJson },
    );

  const account = or(fc.record({ id: or(hostileString(12)), name: or(hostileString(12)), role: or(fc.constantFrom('user', 'bot', 'skill')), aadObjectId: or(fc.uuid()) }, { requiredKeys: [] }));

  const activityType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('message') },
    { weight: 3, arbitrary: fc.constantFrom('conversationUpdate', 'event', 'invoke', 'typing', 'messageReaction', 'endOfConversation', 'installationUpdate', 'messageUpdate', 'messageDelete', 'handoff', 'trace', 'contactRelationUpdate', 'deleteUserData', 'suggestion', 'command') },
    { weight: 1, arbitrary: hostileString(10) },
  );

  const invokeName = fc.constantFrom('adaptiveCard/action', 'composeExtension/query', 'composeExtension/selectItem', 'composeExtension/fetchTask', 'task/fetch', 'task/submit', 'signin/verifyState', 'signin/tokenExchange', 'healthCheck', 'handoff.status', 'actionableMessage/executeAction', 'fileConsent/invoke', 'config/fetch', 'tab/fetch', '');

  const activity = () =>
    fc
      .record(
        {
          type: activityType,
          id: or(hostileString(20)),
          channelId: or(fc.constantFrom('emulator', 'msteams', 'directline', 'webchat', 'slack', 'test', '')),
          serviceUrl: serviceUrl(),
          conversation: or(fc.record({ id: or(hostileString(24)), conversationType: or(fc.constantFrom('personal', 'channel', 'groupChat')), tenantId: or(fc.uuid()), isGroup: fc.boolean() }, { requiredKeys: [] })),
          from: account,
          recipient: account,
          text: or(sizedString(30_000)),
          textFormat: or(fc.constantFrom('plain', 'markdown', 'xml')),
          locale: or(fc.oneof(fc.constantFrom('en-US', 'ko-KR', 'ko', 'xx-YY', '', 'EN', 'ko_KR', 'ar-SA', 'he-IL', 'zh-Hans-CN', 'i-klingon'), hostileString(12))),
          localTimezone: or(fc.oneof(fc.constantFrom('Asia/Seoul', 'America/Los_Angeles', 'Invalid/Zone', '../../etc/localtime', 'UTC+25', ''), hostileString(20))),
          timestamp: or(fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileString(10))),
          localTimestamp: or(hostileString(10)),
          name: or(invokeName),
          value: hostileJson,
          channelData: or(fc.record({ tenant: or(fc.record({ id: or(fc.uuid()) }, { requiredKeys: [] })), clientActivityID: or(hostileString(10)), postBack: fc.boolean() }, { requiredKeys: [] })),
          membersAdded: or(fc.array(account, { maxLength: 3 })),
          membersRemoved: or(fc.array(account, { maxLength: 3 })),
          entities: or(fc.array(hostileJson, { maxLength: 3 })),
          attachments: or(fc.array(or(fc.record({ contentType: or(fc.constantFrom('application/vnd.microsoft.card.adaptive', 'image/png', 'text/html')), content: hostileJson, contentUrl: or(hostileString(20)) }, { requiredKeys: [] })), { maxLength: 2 })),
          replyToId: or(hostileString(10)),
          reactionsAdded: or(fc.array(fc.record({ type: or(fc.constantFrom('like', 'heart')) }), { maxLength: 2 })),
          relatesTo: hostileJson,
          deliveryMode: or(fc.constantFrom('normal', 'expectReplies', 'notification', 'ephemeral')),
          callerId: or(hostileString(10)),
        },
        { requiredKeys: ['type'] },
      )
      .map((a) => JSON.parse(JSON.stringify(a)) as Record<string, unknown>);

  // --- properties -----------------------------------------------------------------------------

  it('answers any activity shape without a leaking 5xx and without crashing (200 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(activity(), async (body) => {
        await post(body);
        const conversation = (body.conversation as { id?: unknown } | undefined)?.id;
        if (typeof conversation === 'string') repliesCarryNoInternals(conversation);
      }),
      fuzzParameters(200),
    );
    await stillAnswers();
  });

  /** Identifiers as channels send them: printable ASCII for the conversation, well-formed Unicode elsewhere. */
  const asciiId = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 });
  const text = (n: number) => hostileString(n).map((x) => x.replace(/[\uD800-\uDFFF]/g, ''));
  const wellFormedAccount = fc.record({ id: fc.oneof(asciiId, text(12)), name: fc.option(hostileString(12), { nil: undefined }), role: fc.constantFrom('user', 'bot', undefined), aadObjectId: fc.option(fc.uuid(), { nil: undefined }) });

  /** Activities with every field of the right type, and hostile content in all of them. */
  const wellFormedActivity = () =>
    fc
      .record({
        type: fc.constantFrom('message', 'message', 'message', 'conversationUpdate', 'event', 'invoke', 'typing', 'messageReaction', 'installationUpdate', 'endOfConversation', 'messageUpdate', 'messageDelete'),
        id: text(20),
        channelId: fc.constantFrom('emulator', 'msteams', 'directline', 'webchat', 'slack'),
        serviceUrl: fc.constant(connector.url),
        conversation: fc.record({ id: fc.oneof(asciiId, fc.constantFrom('shared-1', 'shared-2')), conversationType: fc.constantFrom('personal', 'channel', 'groupChat', undefined), tenantId: fc.option(fc.uuid(), { nil: undefined }), isGroup: fc.option(fc.boolean(), { nil: undefined }) }),
        from: wellFormedAccount,
        recipient: wellFormedAccount,
        text: fc.option(sizedString(30_000), { nil: undefined }),
        locale: fc.option(fc.oneof(fc.constantFrom('en-US', 'ko-KR', 'ko', 'ar-SA', 'he-IL', 'xx-YY', '', 'i-klingon'), hostileString(10)), { nil: undefined }),
        localTimezone: fc.option(fc.oneof(fc.constantFrom('Asia/Seoul', 'America/Los_Angeles', 'Invalid/Zone', 'UTC+25', '../../etc/localtime'), hostileString(10)), { nil: undefined }),
        name: fc.option(invokeName, { nil: undefined }),
        value: fc.oneof(hostileJson, fc.record({ action: fc.record({ type: fc.constantFrom('Action.Execute', 'Action.Submit'), verb: fc.constantFrom('submit', 'requestStatus', 'handoffAccept', 'x'), data: hostileJson }) })),
        membersAdded: fc.option(fc.array(wellFormedAccount, { maxLength: 3 }), { nil: undefined }),
        entities: fc.option(fc.array(fc.record({ type: fc.constantFrom('mention', 'clientInfo', 'https://schema.org/Message'), text: hostileString(10), mentioned: wellFormedAccount }), { maxLength: 2 }), { nil: undefined }),
        attachments: fc.option(fc.array(fc.record({ contentType: fc.constantFrom('application/vnd.microsoft.card.adaptive', 'text/html', 'image/png'), content: hostileJson }), { maxLength: 2 }), { nil: undefined }),
        channelData: fc.record({ tenant: fc.record({ id: fc.oneof(fc.uuid(), hostileString(8)) }), clientActivityID: hostileString(8), eventType: fc.constantFrom('teamMemberAdded', 'editMessage', 'softDeleteMessage', 'x') }, { requiredKeys: [] }),
      })
      .map((a) => JSON.parse(JSON.stringify(a)) as Record<string, unknown>);

  it('runs a well-formed activity with hostile content without a failed turn (250 runs)', async () => {
    let runs = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(wellFormedActivity(), async (body) => {
        const logsBefore = bot.logs.length;
        const response = await post(body);
        runs++;
        if (response.status < 300 || response.status === 501) accepted++;
        // botbuilder answers an invoke it has no handler for with 501 Not Implemented and no body.
        assert.ok(response.status < 500 || (response.status === 501 && body.type === 'invoke' && response.body === ''), `status ${response.status} for ${JSON.stringify(body).slice(0, 400)}`);
        const failures = bot.logs.slice(logsBefore).filter((line) => /"level":50/.test(line));
        assert.deepEqual(failures, [], `no error logged for ${JSON.stringify(body).slice(0, 600)}`);
        repliesCarryNoInternals((body.conversation as { id: string }).id);
      }),
      fuzzParameters(250),
    );
    // Guards the generator: these are meant to reach the bot, not the 400 at the door.
    assert.ok(accepted >= runs * 0.8, `only ${accepted} of ${runs} well-formed activities were accepted`);
    await stillAnswers();
  });

  it('survives raw, non-JSON and half-JSON bodies with content-type application/json (150 runs)', async () => {
    const rawBody = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
      fc.string({ unit: 'binary', maxLength: 500 }),
      fc.tuple(activity(), fc.nat()).map(([a, cut]) => {
        const text = JSON.stringify(a);
        return text.slice(0, cut % (text.length + 1));
      }),
      fc.constantFrom('null', 'true', '0', '""', '[]', '{}', '{"type":null}', '{"type":{}}', '{"type":"message"}', '{"type":"message","conversation":null}', '\ufeff{"type":"message"}', '{"type":"message"}garbage', '{"type":"message","type":"invoke"}'),
    );
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        const response = await request(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        assertSafeResponse(response, typeof body === 'string' ? body : body.toString('base64'));
      }),
      fuzzParameters(150),
    );
    await stillAnswers();
  });

  describe('card submits', () => {
    const pristine = prototypeSnapshot();

    const forged = fc.oneof(
      fc.record(
        {
          action: fc.constant('requestForm'),
          description: fc.oneof(sizedString(8000), hostileJson),
          category: fc.oneof(fc.constantFrom('technical', 'billing', 'account', ''), hostileJson),
          severity: fc.oneof(fc.constantFrom('A', 'B', 'C', 'a', 'Z'), hostileJson),
          phone: fc.oneof(fc.constantFrom('+1 425 555 0100', '+82 2 555 0100', '12'), hostileString(20)),
          email: fc.oneof(fc.constantFrom('admin@contoso.example', 'a@b', 'x'), hostileString(20)),
          method: fc.oneof(fc.constantFrom('phone', 'email', 'teams'), hostileJson),
          organisationId: fc.constantFrom('contoso', 'fabrikam', 'org-contoso', '00000000-0000-4000-8000-00000000c0de'),
          verified: fc.constant(true),
        },
        { requiredKeys: ['action'] },
      ),
      fc.record({ action: fc.constant('searchFeedback'), searchId: fc.oneof(hostileString(70), fc.uuid(), hostileJson), helpful: fc.oneof(fc.constantFrom('yes', 'no', 'maybe', ''), hostileJson) }, { requiredKeys: ['action'] }),
      fc.record({ action: fc.constant('showSection'), searchId: fc.oneof(hostileString(20), fc.uuid()), sectionId: fc.oneof(fc.constantFrom('en/add-users.md#top', 'ko/add-users.md', '../../etc/passwd', '#', ''), hostileString(500)) }, { requiredKeys: ['action'] }),
      fc.record({ action: fc.constant('ask'), text: fc.oneof(sizedString(5000), hostileJson) }, { requiredKeys: ['action'] }),
      fc.record({ state: fc.constantFrom('accepted', 'failed', 'completed', 'typing'), message: hostileJson, handoffId: fc.oneof(fc.uuid(), hostileString(10)), action: fc.constantFrom('handoffAccept', 'handoff', 'endHandoff', 'agentMessage') }, { requiredKeys: [] }),
      fc.record({ number: fc.oneof(fc.constantFrom('2026-000001', '2026-999999', '0000-000000'), hostileString(30)), action: fc.constantFrom('requestStatus', 'cancelRequest') }, { requiredKeys: [] }),
      pollutionPayload,
      hostileJson,
    );

    const submit = fc.record({
      how: fc.constantFrom('message', 'execute', 'handoff.status'),
      channelId: fc.constantFrom('emulator', 'msteams', 'directline', 'webchat'),
      conversationType: fc.constantFrom('personal', 'channel', 'groupChat'),
      text: fc.oneof(fc.constant(undefined), hostileString(10)),
      value: forged,
      verb: fc.constantFrom('submit', 'requestStatus', 'handoffAccept', 'unknown', ''),
      conversation: fc.integer({ min: 1, max: 8 }),
    });

    it('no crash, no 5xx, Object.prototype untouched, nothing created unverified (250 runs)', async () => {
      const requestsBefore = (await bot.app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n;
      await fc.assert(
        fc.asyncProperty(submit, async (s) => {
          // A few conversations only, so forged submits also land in the middle of open dialogs.
          const conversation = `submit-${s.conversation}`;
          const base = {
            id: `submit-${++sequence}`,
            channelId: s.channelId,
            serviceUrl: connector.url,
            conversation: { id: conversation, conversationType: s.conversationType, tenantId: '00000000-0000-4000-8000-00000000c0de' },
            from: { id: `user-${s.conversation}`, name: 'Mallory', aadObjectId: '11111111-1111-4111-8111-111111111111' },
            recipient: { id: 'bot', name: 'Bot' },
            locale: s.conversation % 2 ? 'ko-KR' : 'en-US',
            channelData: { tenant: { id: '00000000-0000-4000-8000-00000000c0de' } },
          };
          const body =
            s.how === 'message'
              ? { ...base, type: 'message', text: s.text, value: s.value }
              : s.how === 'execute'
              ? { ...base, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: s.verb, data: s.value }, trigger: 'manual' } }
              : { ...base, type: 'event', name: 'handoff.status', value: s.value };
          const logsBefore = bot.logs.length;
          const response = await post(body);
          assert.ok(response.status < 500, `status ${response.status} for ${JSON.stringify(body).slice(0, 400)}`);
          const failures = bot.logs.slice(logsBefore).filter((line) => /"level":50/.test(line));
          assert.deepEqual(failures, [], `no error logged for ${JSON.stringify(body).slice(0, 600)}`);
          assert.equal(prototypeSnapshot(), pristine, 'the shared prototypes are untouched');
          assert.equal(({} as Record<string, unknown>).polluted, undefined);
          assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
          assert.equal(({} as Record<string, unknown>).verified, undefined);
          repliesCarryNoInternals(conversation);
        }),
        fuzzParameters(250),
      );
      const requestsAfter = (await bot.app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM requests'))!.n;
      assert.equal(requestsAfter, requestsBefore, 'a forged requestForm never creates a request');
      const verified = (await bot.app.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM verifications'))!;
      assert.equal(verified.n, 0, 'nobody became verified without a code');
      await stillAnswers();
    });
  });
});
