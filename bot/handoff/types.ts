// The shapes shared by the handoff queue, the relay, the agent console and Teams agents.
import type { Agent, Presence } from '../agents/agents';
import type { RequestStatus, ServiceRequest } from '../requests/requests';

export type HandoffStatus = 'waiting' | 'active' | 'ended' | 'cancelled';
/** Why the bot handed off. */
export type HandoffTrigger = 'asked' | 'not-helped' | 'repeated' | 'frustrated' | 'severity-a';
export type TranscriptRole = 'user' | 'bot' | 'agent' | 'system';
export type PinStatus = 'sent' | 'verified' | 'not-verified';

export interface TranscriptAttachment {
  contentType: string;
  name?: string;
  /** Only http(s) links are kept. */
  url?: string;
}

export interface TranscriptEntry {
  at: string;
  role: TranscriptRole;
  name?: string;
  /** Plain text: card submits and attachments are described, PIN-like input is redacted. */
  text: string;
  attachments?: TranscriptAttachment[];
}

/** What the agent reads before accepting. */
export interface HandoffSummary {
  trigger: HandoffTrigger;
  /** The intent last understood before the handoff. */
  intent?: string;
  /** What the user searched for, oldest first. */
  searches: string[];
  /** Articles the bot showed. */
  articles: { title: string; url?: string }[];
  requestNumber?: string;
  verified: boolean;
  organisation?: { id: string; name: string };
  locale: 'en' | 'ko';
  channelId: string;
  userName?: string;
}

export interface Handoff {
  id: string;
  queue: string;
  status: HandoffStatus;
  locale: 'en' | 'ko';
  trigger: HandoffTrigger;
  mode: 'internal' | 'external';
  summary: HandoffSummary;
  requestNumber?: string;
  agentName?: string;
  pin?: { status: PinStatus; organisation?: string };
  createdAt: string;
  acceptedAt?: string;
  endedAt?: string;
  endedBy?: string;
}

export interface WaitingEntry {
  handoff: Handoff;
  /** 1 is next. */
  position: number;
  waitedSeconds: number;
}

export interface QueueView {
  queue: string;
  waiting: WaitingEntry[];
  onlineAgents: number;
  /** Erlang C wait for someone joining now; null when no agent is online or the queue never opens. */
  expectedWaitMinutes: number | null;
}

export type AcceptResult = { ok: true; handoff: Handoff } | { ok: false; reason: 'taken'; by: string } | { ok: false; reason: 'gone' };

/** Pushed to consoles: queue changes to everyone, conversation events to the agent who owns it. */
export type ConsoleEvent =
  | { type: 'queues' }
  | { type: 'handoff'; handoff: Handoff }
  | { type: 'message'; handoffId: string; entry: TranscriptEntry }
  | { type: 'typing'; handoffId: string }
  | { type: 'pin'; handoffId: string; status: PinStatus };

export interface DashboardHour {
  /** ISO start of the hour (UTC). */
  start: string;
  handoffs: number;
  /** Searches the user said helped: questions the bot settled without a person. */
  selfService: number;
  /** Searches the user said did not help. */
  notHelped: number;
  /** Mean seconds from handoff to accept, for handoffs accepted in this hour; null if none. */
  averageWaitSeconds: number | null;
}

export interface Dashboard {
  hours: DashboardHour[];
  queues: { queue: string; waiting: number; onlineAgents: number; expectedWaitMinutes: number | null }[];
}

export class HandoffError extends Error {
  constructor(
    readonly reason: 'not-found' | 'not-yours' | 'not-active' | 'no-request' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** What the agent console needs from the handoff service. */
export interface ConsoleBackend {
  /** Queues the agent serves (by their queues and languages), with who waits in each. */
  queuesFor(agent: Agent): Promise<QueueView[]>;
  /** Conversations this agent has accepted and not ended. */
  mine(agentName: string): Promise<Handoff[]>;
  get(id: string): Promise<Handoff | undefined>;
  transcript(id: string): Promise<TranscriptEntry[]>;
  accept(id: string, agentName: string): Promise<AcceptResult>;
  /** Throws HandoffError when the handoff is not this agent's active one. */
  send(id: string, agentName: string, text: string): Promise<void>;
  typing(id: string, agentName: string): Promise<void>;
  /** Sends a code to the organisation's registered contact; the agent only learns the outcome. */
  sendPin(id: string, agentName: string, input: { organisation: string; via: 'email' | 'phone' }): Promise<{ outcome: 'sent' | 'rate-limited'; destination: string }>;
  updateRequest(id: string, agentName: string, change: { status?: RequestStatus; note?: string }): Promise<ServiceRequest>;
  end(id: string, agentName: string): Promise<void>;
  setPresence(agentName: string, presence: Presence): Promise<void>;
  /** A console connected (event stream open); the returned function is called when it closes. */
  connected(agentName: string): () => void;
  subscribe(agentName: string, listener: (event: ConsoleEvent) => void): () => void;
  dashboard(hours: number): Promise<Dashboard>;
}
