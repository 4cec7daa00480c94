// Service requests: validated on the server whatever the client sent, numbered per year, created
// at most once per delivered activity (a unique key in the same transaction as the insert), with a
// first-response due time from the severity's target and the queue's hours, and a history of changes.
import { z } from 'zod';
import type { SqlDatabase, SqlSession } from '../storage/sql';
import { e164Phone, Organisation } from '../orgs/organisations';
import type { Hours, ResponseTarget, SeverityId, SupportType } from '../../knowledge/directory/types';
import { responseDue } from './response-due';
import { arrivalRate, expectedWait, WaitEstimate } from './wait-time';

export const CATEGORIES = ['technical', 'billing', 'subscription', 'presales'] as const;
export type Category = (typeof CATEGORIES)[number];
export const STATUSES = ['new', 'queued', 'in_progress', 'resolved', 'cancelled'] as const;
export type RequestStatus = (typeof STATUSES)[number];
export const CONTACT_METHODS = ['phone', 'email', 'teams'] as const;
export const MAX_DESCRIPTION_CHARS = 4000;

/** Which status may follow which: resolved and cancelled are final. */
const NEXT_STATUS: Record<RequestStatus, RequestStatus[]> = {
  new: ['queued', 'in_progress', 'resolved', 'cancelled'],
  queued: ['in_progress', 'resolved', 'cancelled'],
  in_progress: ['queued', 'resolved', 'cancelled'],
  resolved: [],
  cancelled: [],
};

export class RequestError extends Error {
  constructor(
    /** An i18n key for the message the user sees. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the form (card or prompts) collects; everything is checked again here. */
export const requestFormSchema = z.object({
  description: z.string().trim().min(10, 'description.short').max(MAX_DESCRIPTION_CHARS, 'description.long'),
  category: z.enum(CATEGORIES, { message: 'category.invalid' }),
  severity: z.enum(['A', 'B', 'C'], { message: 'severity.invalid' }),
  phone: z
    .string()
    .trim()
    .max(40, 'phone.invalid')
    .transform(e164Phone(() => 'phone.invalid')),
  email: z.email({ message: 'email.invalid' }).max(254, 'email.invalid').transform((v) => v.toLowerCase()),
  method: z.enum(CONTACT_METHODS, { message: 'method.invalid' }),
});
export type RequestForm = z.infer<typeof requestFormSchema>;

/** The form's problems as i18n keys per field, for the card to show next to each input. */
export function validateForm(input: unknown): { ok: true; form: RequestForm } | { ok: false; errors: Record<string, string> } {
  const result = requestFormSchema.safeParse(input);
  if (result.success) return { ok: true, form: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message.includes('.') ? `request.error.${issue.message}` : `request.error.${field}.invalid`;
  }
  return { ok: false, errors };
}

export interface SeverityRules {
  /** Severity A needs an advanced support agreement and is for these categories only. */
  severityACategories: SupportType[];
  /** Highest severity for billing and subscription management. */
  billingMaxSeverity: SeverityId;
}

/** The seed's rules: why a severity is refused, as an i18n key, or undefined when allowed. */
export function severityRefusal(org: Pick<Organisation, 'advancedSupport'>, category: Category, severity: SeverityId, rules: SeverityRules): string | undefined {
  if (severity === 'A' && !org.advancedSupport) return 'request.refused.severityA.agreement';
  if (severity === 'A' && !rules.severityACategories.includes(category)) return 'request.refused.severityA.category';
  const capped = category === 'billing' || category === 'subscription';
  if (capped && severity < rules.billingMaxSeverity) return 'request.refused.billingCap';
  return undefined;
}

export interface QueueSettings {
  /** Agents on shift per queue until live agents exist (handoff issue). */
  agentsOnShift: number;
  averageHandleMinutes: number;
}

/** A support queue: cloud × category × language. */
export function queueName(cloud: string, category: Category, language: string): string {
  return `${cloud}:${category}:${language}`;
}

export interface ServiceRequest {
  number: string;
  organisationId: string;
  requester: { channelId: string; userId: string; name?: string; aadObjectId?: string };
  category: Category;
  severity: SeverityId;
  description: string;
  phone: string;
  email: string;
  method: (typeof CONTACT_METHODS)[number];
  language: string;
  queue: string;
  status: RequestStatus;
  createdAt: string;
  updatedAt: string;
  firstResponseDue: string;
  conversationReference: unknown;
}

export interface NewRequest {
  idempotencyKey: string;
  organisation: Organisation;
  requester: ServiceRequest['requester'];
  form: RequestForm;
  language: string;
  conversationReference: unknown;
  target: ResponseTarget;
  hours: Hours;
}

interface Row {
  id: number;
  number: string;
  organisation_id: string;
  requester: string;
  category: Category;
  severity: SeverityId;
  description: string;
  phone: string;
  email: string;
  method: ServiceRequest['method'];
  language: string;
  queue: string;
  status: RequestStatus;
  created_at: string;
  updated_at: string;
  first_response_due: string;
  conversation_reference: string;
}

function fromRow(row: Row): ServiceRequest {
  return {
    number: row.number,
    organisationId: row.organisation_id,
    requester: JSON.parse(row.requester) as ServiceRequest['requester'],
    category: row.category,
    severity: row.severity,
    description: row.description,
    phone: row.phone,
    email: row.email,
    method: row.method,
    language: row.language,
    queue: row.queue,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    firstResponseDue: row.first_response_due,
    conversationReference: JSON.parse(row.conversation_reference) as unknown,
  };
}

export class RequestStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Creates the request, or returns the one this activity already created. */
  create(input: NewRequest): Promise<{ request: ServiceRequest; created: boolean }> {
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      const existing = await tx.get<Row>('SELECT * FROM requests WHERE idempotency_key = ?', [input.idempotencyKey]);
      if (existing) return { request: fromRow(existing), created: false };
      const year = now.getUTCFullYear();
      const { last } = (await tx.get<{ last: number }>(
        'INSERT INTO request_numbers (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = request_numbers.last + 1 RETURNING last',
        [year],
      ))!;
      const number = `${year}-${String(last).padStart(6, '0')}`;
      const { form, organisation } = input;
      const due = responseDue({ target: input.target, hours: input.hours, createdAt: now });
      const row = (await tx.get<Row>(
        `INSERT INTO requests (number, idempotency_key, organisation_id, requester, category, severity, description, phone, email,
           method, language, queue, status, created_at, updated_at, first_response_due, conversation_reference)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)
         RETURNING *`,
        [
          number,
          input.idempotencyKey,
          organisation.id,
          JSON.stringify(input.requester),
          form.category,
          form.severity,
          form.description,
          form.phone,
          form.email,
          form.method,
          input.language,
          queueName(organisation.cloud, form.category, input.language),
          now.toISOString(),
          now.toISOString(),
          due.toISOString(),
          JSON.stringify(input.conversationReference ?? null),
        ],
      ))!;
      await this.history(tx, row.id, 'requester', { status: 'new' }, now);
      return { request: fromRow(row), created: true };
    });
  }

  /** The request, only when it belongs to this organisation: another's number looks like no number. */
  async get(number: string, organisationId?: string): Promise<ServiceRequest | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM requests WHERE number = ?', [number.trim()]);
    if (!row || (organisationId !== undefined && row.organisation_id !== organisationId)) return undefined;
    return fromRow(row);
  }

  async listForOrganisation(organisationId: string, limit = 20): Promise<ServiceRequest[]> {
    return (await this.db.all<Row>('SELECT * FROM requests WHERE organisation_id = ? ORDER BY id DESC LIMIT ?', [organisationId, limit])).map(fromRow);
  }

  async list(limit = 50): Promise<ServiceRequest[]> {
    return (await this.db.all<Row>('SELECT * FROM requests ORDER BY id DESC LIMIT ?', [limit])).map(fromRow);
  }

  setStatus(number: string, status: RequestStatus, actor: string, note?: string): Promise<ServiceRequest> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<Row>('SELECT * FROM requests WHERE number = ?', [number]);
      if (!row) throw new RequestError('request.error.notFound', `no request ${number}`);
      if (!NEXT_STATUS[row.status].includes(status)) throw new RequestError('request.error.status', `a ${row.status} request cannot become ${status}`);
      const now = this.clock();
      const updated = (await tx.get<Row>('UPDATE requests SET status = ?, updated_at = ? WHERE id = ? RETURNING *', [status, now.toISOString(), row.id]))!;
      await this.history(tx, row.id, actor, { status, ...(note ? { note } : {}) }, now);
      return fromRow(updated);
    });
  }

  async addNote(number: string, actor: string, note: string): Promise<void> {
    const row = await this.db.get<{ id: number }>('SELECT id FROM requests WHERE number = ?', [number]);
    if (!row) throw new RequestError('request.error.notFound', `no request ${number}`);
    await this.history(this.db, row.id, actor, { note: note.slice(0, MAX_DESCRIPTION_CHARS) }, this.clock());
  }

  async historyOf(number: string): Promise<{ at: string; actor: string; change: Record<string, string> }[]> {
    const rows = await this.db.all<{ at: string; actor: string; change: string }>(
      'SELECT h.at, h.actor, h.change FROM request_history h JOIN requests r ON r.id = h.request_id WHERE r.number = ? ORDER BY h.rowid',
      [number],
    );
    return rows.map((h) => ({ at: h.at, actor: h.actor, change: JSON.parse(h.change) as Record<string, string> }));
  }

  /** Waiting requests and recent arrivals of a queue, for the wait-time model. */
  async queueLoad(queue: string, since: Date): Promise<{ waiting: number; arrivals: Date[] }> {
    const { waiting } = (await this.db.get<{ waiting: number }>("SELECT COUNT(*) AS waiting FROM requests WHERE queue = ? AND status IN ('new', 'queued')", [queue]))!;
    const arrivals = (await this.db.all<{ created_at: string }>('SELECT created_at FROM requests WHERE queue = ? AND created_at >= ?', [queue, since.toISOString()])).map(
      (r) => new Date(r.created_at),
    );
    return { waiting, arrivals };
  }

  /**
   * The queue's expected wait now: Erlang C over its waiting requests and the last hour's arrivals.
   * `excludingOne` leaves out the request the wait is being told to (it is not ahead of itself).
   */
  async queueWait(queue: string, settings: QueueSettings, hours: Hours, now: Date, excludingOne = false): Promise<WaitEstimate> {
    const load = await this.queueLoad(queue, new Date(now.getTime() - 60 * 60_000));
    return expectedWait({
      queueLength: Math.max(0, load.waiting - (excludingOne ? 1 : 0)),
      agentsOnShift: settings.agentsOnShift,
      averageHandleMinutes: settings.averageHandleMinutes,
      arrivalsPerHour: arrivalRate(load.arrivals, now),
      hours,
      now,
    });
  }

  private async history(session: SqlSession, requestId: number, actor: string, change: Record<string, string>, at: Date): Promise<void> {
    await session.run('INSERT INTO request_history (request_id, at, actor, change) VALUES (?, ?, ?, ?)', [requestId, at.toISOString(), actor, JSON.stringify(change)]);
  }
}
