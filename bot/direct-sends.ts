// Replies and proactive messages without core-client's per-call operation machinery.
//
// ConnectorClient.conversations.replyToActivity / sendToConversation go through core-client's
// sendOperationRequest: the operation spec's URL template, a generic mapper walk over the whole
// activity (cards included), and a response deserializer. Under load that was about 5% of the CPU
// and 8% of the allocations of a turn. This sends the same request through the same client's own
// pipeline (the bot's token, our retry policy, user agent, tracing), with:
//   - the body from a serializer compiled once from the connector's own Activity mapper, which keeps
//     and drops exactly the properties the stock serializer does (any value it is not sure of goes
//     to the stock serializer, which also raises the stock errors);
//   - the URL and headers built as the operation spec builds them;
//   - the statuses the spec accepts (200, 201, 202), and the stock RestError otherwise.
// test/bot/direct-sends.test.ts compares the two paths on a loopback server, request by request.
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import type { PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { createSerializer } from '@azure/core-client';
import type { CompositeMapper, Mapper } from '@azure/core-client';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
// The connector does not re-export its mappers; they are the wire contract this must follow.
import * as Mappers from 'botframework-connector/lib/connectorApi/models/mappers';

const CONVERSATION_ID_HEADER = 'x-ms-conversation-id';
const ACCEPTED = new Set([200, 201, 202]);

/** Thrown inside a compiled serializer when a value is not the plain case it handles. */
const NOT_PLAIN = Symbol('not plain');

const mappers = Mappers as Record<string, CompositeMapper>;

type Serialize = (value: unknown) => unknown;

/** For types whose rules the stock serializer owns (dictionaries, enums, validation, flattening). */
const toStock: Serialize = () => {
  throw NOT_PLAIN;
};

function compile(mapper: Mapper, compiled: Map<string, Serialize>): Serialize {
  const type = mapper.type;
  switch (type.name) {
    case 'String':
      return (v) => {
        if (typeof v !== 'string') throw NOT_PLAIN;
        return v;
      };
    case 'Boolean':
      return (v) => {
        if (typeof v !== 'boolean') throw NOT_PLAIN;
        return v;
      };
    case 'Number':
      return (v) => {
        if (typeof v !== 'number') throw NOT_PLAIN;
        return v;
      };
    case 'Object':
      // The stock serializer passes these through unchecked (channelData, card content).
      return (v) => v;
    case 'DateTime':
      return (v) => {
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw NOT_PLAIN;
        return v.toISOString();
      };
    case 'Sequence': {
      // As the stock serializer does, an element names its full model by class name (which drops
      // the extra properties Activity.entities declares inline).
      const declared = type.element;
      const className = declared.type.name === 'Composite' ? (declared as CompositeMapper).type.className : undefined;
      const element = compile((className && mappers[className]) || declared, compiled);
      return (v) => {
        if (!Array.isArray(v)) throw NOT_PLAIN;
        return v.map((item) => (item === undefined || item === null ? item : element(item)));
      };
    }
    case 'Composite':
      return compileComposite(mapper as CompositeMapper, compiled);
    default:
      // Dictionaries, enums and the rest: rare in what the bot sends.
      return toStock;
  }
}

function compileComposite(mapper: CompositeMapper, compiled: Map<string, Serialize>): Serialize {
  const className = mapper.type.className ?? '';
  const known = compiled.get(className);
  if (known) return known;
  const model = (mapper.type.modelProperties ?? mappers[className]?.type.modelProperties) as Record<string, Mapper> | undefined;
  if (!model || mapper.type.additionalProperties || mapper.type.polymorphicDiscriminator) {
    compiled.set(className, toStock);
    return toStock;
  }
  const fields: { key: string; name: string; serialize: Serialize }[] = [];
  const serialize: Serialize = (v) => {
    if (typeof v !== 'object' || v === null) throw NOT_PLAIN;
    const source = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const value = source[field.key];
      if (value === undefined) continue;
      out[field.name] = value === null ? null : field.serialize(value);
    }
    return out;
  };
  // Registered before the fields are compiled, so recursive types (ChannelAccount in Entity) resolve.
  compiled.set(className, serialize);
  for (const [key, property] of Object.entries(model)) {
    const name = property.serializedName ?? key;
    if (property.readOnly) continue;
    if (property.isConstant || property.required || property.nullable === false || property.defaultValue !== undefined || name.includes('.') || name === '') {
      compiled.set(className, toStock);
      return toStock;
    }
    fields.push({ key, name, serialize: compile(property, compiled) });
  }
  return serialize;
}

const activityMapper = { ...mappers.Activity, required: true } as CompositeMapper;
const stockSerializer = createSerializer(mappers, false);
const compiledActivity = compile(activityMapper, new Map());

/** The body from the compiled serializer, or undefined when the activity needs the stock one. */
export function compiledActivityBody(activity: Partial<Activity>): unknown {
  try {
    return compiledActivity(activity);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
    return undefined;
  }
}

/** The JSON body the connector would send for this activity. */
export function serializeActivity(activity: Partial<Activity>): unknown {
  return compiledActivityBody(activity) ?? stockSerializer.serialize(activityMapper, activity, 'activity');
}

/** `base` with `path` appended to its path, as core-client builds an operation's URL. */
function operationUrl(base: string, path: string): string {
  const url = new URL(base);
  const pathname = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  Object.assign(url, { pathname: pathname + path });
  return url.toString();
}

interface PipelineClient {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

/** What ServiceClientContext keeps of a client's settings (protected in its typings). */
interface ClientInternals {
  client?: PipelineClient;
  baseUri?: string;
  requestContentType?: string;
}

interface Target {
  pipeline: PipelineClient;
  baseUri: string;
  contentType: string;
}

async function post(
  target: Target,
  path: string,
  activity: Partial<Activity>,
  conversationIdHeader?: string,
): Promise<ResourceResponse> {
  const body = JSON.stringify(serializeActivity(activity));
  const headers = createHttpHeaders({ 'Content-Type': target.contentType });
  if (conversationIdHeader !== undefined) headers.set(CONVERSATION_ID_HEADER, conversationIdHeader);
  const request = createPipelineRequest({
    url: operationUrl(target.baseUri, path),
    method: 'POST',
    headers,
    body,
    allowInsecureConnection: target.baseUri.toLowerCase().startsWith('http:'),
  });
  const response = await target.pipeline.sendRequest(request);
  const parsed = parseJson(response);
  if (!ACCEPTED.has(response.status)) {
    const error = new RestError(response.bodyAsText ?? '', { statusCode: response.status, request, response });
    const inner = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error ?? (parsed as { code?: string; message?: string } | undefined);
    if (inner && typeof inner === 'object') {
      error.code = inner.code;
      if (inner.message) error.message = inner.message;
    }
    throw error;
  }
  const id = (parsed as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? { id } : ({} as ResourceResponse);
}

function parseJson(response: PipelineResponse): unknown {
  const text = response.bodyAsText;
  if (!text || !/json/i.test(response.headers.get('content-type') ?? '')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const INSTALLED = Symbol('direct sends');

/**
 * Makes this client's replyToActivity and sendToConversation (as CloudAdapter calls them: no options,
 * no callback) send directly; other calls keep the stock path. Returns the client.
 */
export function useDirectSends<T extends ConnectorClient>(client: T): T {
  const conversations = client.conversations as T['conversations'] & { [INSTALLED]?: true };
  const internals = client as unknown as ClientInternals;
  const pipeline = internals.client;
  if (conversations[INSTALLED] || typeof pipeline?.sendRequest !== 'function' || typeof internals.baseUri !== 'string') return client;
  const target: Target = { pipeline, baseUri: internals.baseUri, contentType: internals.requestContentType ?? 'application/json; charset=utf-8' };
  const stockReply = conversations.replyToActivity.bind(conversations);
  const stockSend = conversations.sendToConversation.bind(conversations);
  conversations.replyToActivity = ((conversationId: string, activityId: string, activity: Partial<Activity>, ...rest: unknown[]) =>
    rest.length > 0 || typeof conversationId !== 'string' || typeof activityId !== 'string'
      ? (stockReply as (...args: unknown[]) => unknown)(conversationId, activityId, activity, ...rest)
      : post(
          target,
          `v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`,
          activity,
          conversationId,
        )) as typeof conversations.replyToActivity;
  conversations.sendToConversation = ((conversationId: string, activity: Partial<Activity>, ...rest: unknown[]) =>
    rest.length > 0 || typeof conversationId !== 'string'
      ? (stockSend as (...args: unknown[]) => unknown)(conversationId, activity, ...rest)
      : post(target, `v3/conversations/${encodeURIComponent(conversationId)}/activities`, activity)) as typeof conversations.sendToConversation;
  conversations[INSTALLED] = true;
  return client;
}
