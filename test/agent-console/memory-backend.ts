// An in-memory ConsoleBackend for the console's wire and browser tests: handoffs in arrays, enough
// behaviour (ownership, accept races, request links) for the routes and page to have something real to
// show. The real handoff service is tested on its own.
import type { Agent, AgentStore, Presence } from '../../bot/agents/agents';
import { HandoffError } from '../../bot/handoff/types';
import type { AcceptResult, ConsoleBackend, ConsoleEvent, Dashboard, Handoff, QueueView, TranscriptEntry } from '../../bot/handoff/types';
import type { RequestStatus, ServiceRequest } from '../../bot/requests/requests';

/** Handoffs in arrays; enough behaviour for the routes to have something real to map. */
export class MemoryBackend implements ConsoleBackend {
  readonly handoffs: Handoff[] = [];
  readonly transcripts = new Map<string, TranscriptEntry[]>();
  readonly listeners = new Map<string, Set<(event: ConsoleEvent) => void>>();
  readonly connections: string[] = [];
  readonly disconnections: string[] = [];
  readonly calls: string[] = [];
  dashboardHours: number[] = [];
  failWith?: Error;

  constructor(private readonly agents: AgentStore) {}

  add(id: string, queue: string, extra: Partial<Handoff> = {}): Handoff {
    const handoff: Handoff = {
      id,
      queue,
      status: 'waiting',
      locale: 'en',
      trigger: 'asked',
      mode: 'internal',
      summary: { trigger: 'asked', searches: ['mail down'], articles: [], verified: false, locale: 'en', channelId: 'msteams', userName: 'Alex' },
      createdAt: new Date().toISOString(),
      ...extra,
    };
    this.handoffs.push(handoff);
    this.transcripts.set(id, [{ at: handoff.createdAt, role: 'user', text: 'I want a person' }]);
    return handoff;
  }

  publish(agentName: string, event: ConsoleEvent): void {
    for (const listener of this.listeners.get(agentName) ?? []) listener(event);
  }

  publishAll(event: ConsoleEvent): void {
    for (const agentName of this.listeners.keys()) this.publish(agentName, event);
  }

  /** What the user side would do: a message from the user reaches the owning agent's console. */
  userSays(id: string, text: string): void {
    const entry: TranscriptEntry = { at: new Date().toISOString(), role: 'user', text };
    this.transcripts.get(id)!.push(entry);
    const owner = this.find(id)?.agentName;
    if (owner) this.publish(owner, { type: 'message', handoffId: id, entry });
  }

  private own(id: string, agentName: string): Handoff {
    if (this.failWith) throw this.failWith;
    const handoff = this.find(id);
    if (!handoff) throw new HandoffError('not-found', `no handoff ${id}`);
    if (handoff.agentName !== agentName) throw new HandoffError('not-yours', `${id} belongs to ${handoff.agentName}`);
    if (handoff.status !== 'active') throw new HandoffError('not-active', `${id} is ${handoff.status}`);
    return handoff;
  }

  private find(id: string): Handoff | undefined {
    return this.handoffs.find((h) => h.id === id);
  }

  async queuesFor(agent: Agent): Promise<QueueView[]> {
    const names = [...new Set(this.handoffs.map((h) => h.queue))].filter((q) => agent.queues.includes('*') || agent.queues.includes(q));
    return names.map((queue) => ({
      queue,
      waiting: this.handoffs.filter((h) => h.queue === queue && h.status === 'waiting').map((handoff, i) => ({ handoff, position: i + 1, waitedSeconds: 60 })),
      onlineAgents: 1,
      expectedWaitMinutes: 4,
    }));
  }
  async mine(agentName: string): Promise<Handoff[]> {
    return this.handoffs.filter((h) => h.agentName === agentName && h.status === 'active');
  }
  async get(id: string): Promise<Handoff | undefined> {
    return this.find(id);
  }
  async transcript(id: string): Promise<TranscriptEntry[]> {
    return this.transcripts.get(id) ?? [];
  }
  async accept(id: string, agentName: string): Promise<AcceptResult> {
    const handoff = this.find(id);
    if (!handoff || handoff.status === 'ended' || handoff.status === 'cancelled') return { ok: false, reason: 'gone' };
    if (handoff.status === 'active') return { ok: false, reason: 'taken', by: handoff.agentName! };
    Object.assign(handoff, { status: 'active', agentName, acceptedAt: new Date().toISOString() });
    this.publishAll({ type: 'queues' });
    this.publish(agentName, { type: 'handoff', handoff });
    return { ok: true, handoff };
  }
  async send(id: string, agentName: string, text: string): Promise<void> {
    this.own(id, agentName);
    this.calls.push(`send ${id} ${text}`);
    const entry: TranscriptEntry = { at: new Date().toISOString(), role: 'agent', name: agentName, text };
    this.transcripts.get(id)!.push(entry);
    this.publish(agentName, { type: 'message', handoffId: id, entry });
  }
  async typing(id: string, agentName: string): Promise<void> {
    this.own(id, agentName);
    this.calls.push(`typing ${id}`);
  }
  async sendPin(id: string, agentName: string, input: { organisation: string; via: 'email' | 'phone' }) {
    this.own(id, agentName);
    this.calls.push(`pin ${id} ${input.organisation} ${input.via}`);
    return { outcome: 'sent' as const, destination: 'a\u2022\u2022\u2022@contoso.example' };
  }
  async updateRequest(id: string, agentName: string, change: { status?: RequestStatus; note?: string }): Promise<ServiceRequest> {
    const handoff = this.own(id, agentName);
    if (!handoff.requestNumber) throw new HandoffError('no-request', 'no request linked');
    this.calls.push(`request ${id} ${change.status ?? ''} ${change.note ?? ''}`);
    // Only number and status are read by the console; the rest of a request is not this test's business.
    return { number: handoff.requestNumber, status: change.status ?? 'new' } as ServiceRequest;
  }
  async end(id: string, agentName: string): Promise<void> {
    const handoff = this.own(id, agentName);
    Object.assign(handoff, { status: 'ended', endedAt: new Date().toISOString(), endedBy: agentName });
    this.publish(agentName, { type: 'handoff', handoff });
  }
  async setPresence(agentName: string, presence: Presence): Promise<void> {
    await this.agents.setPresence(agentName, presence);
  }
  connected(agentName: string): () => void {
    this.connections.push(agentName);
    return () => void this.disconnections.push(agentName);
  }
  subscribe(agentName: string, listener: (event: ConsoleEvent) => void): () => void {
    if (!this.listeners.has(agentName)) this.listeners.set(agentName, new Set());
    this.listeners.get(agentName)!.add(listener);
    return () => void this.listeners.get(agentName)!.delete(listener);
  }
  async dashboard(hours: number): Promise<Dashboard> {
    this.dashboardHours.push(hours);
    const start = Date.UTC(2026, 10, 24) - hours * 3600_000;
    return {
      hours: Array.from({ length: hours }, (_v, i) => ({ start: new Date(start + i * 3600_000).toISOString(), handoffs: 1, selfService: 2, notHelped: 0, averageWaitSeconds: null })),
      queues: [{ queue: 'worldwide:technical:en', waiting: 1, onlineAgents: 1, expectedWaitMinutes: 4 }],
    };
  }
}
