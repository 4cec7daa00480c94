// zod schemas for the directory: everything loaded is checked before the bot answers from it.
import { z } from 'zod';

const text = z.object({ en: z.string().min(1), ko: z.string().min(1) }).strict();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:mm');
const weekday = z.number().int().min(1).max(7);
const zone = z.string().refine((z) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

export const hoursSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('always') }).strict(),
  z
    .object({
      kind: z.literal('weekly'),
      timeZone: zone,
      windows: z.array(z.object({ days: z.array(weekday).min(1), open: hhmm, close: hhmm }).strict()).min(1),
      callerLocal: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('businessHours'), timeZone: zone, days: z.array(weekday).min(1) }).strict(),
]);

const supportType = z.enum(['billing', 'technical', 'presales', 'subscription']);
const severityId = z.enum(['A', 'B', 'C']);
const cloudId = z.enum(['worldwide', '21vianet', 'germany']);

export const contactSchema = z
  .object({
    id: z.string().min(1),
    cloud: cloudId,
    countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
    market: text,
    numbers: z
      .array(
        z
          .object({
            display: z.string().regex(/^\+?[\d ()-]+$/),
            e164: z.string().regex(/^\+[1-9]\d{6,15}$/).optional(),
            dial: z.string().regex(/^\+?\d{5,16}$/),
            kind: z.enum(['main', 'alternative']),
            label: text.optional(),
            notes: z.array(text).optional(),
          })
          .strict(),
      )
      .min(1),
    lines: z.array(
      z
        .object({
          supportType,
          languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).min(1),
          hours: hoursSchema,
          severities: z.array(severityId).optional(),
          plan: text.optional(),
          channel: z.enum(['phone', 'online']).optional(),
        })
        .strict(),
    ),
    notes: z.array(text),
    appliesTo: text,
    source: z.enum(['seed', 'country-page']),
  })
  .strict();

const severity = z
  .object({
    id: severityId,
    name: text,
    definition: text,
    examples: z.array(text).min(1),
    initialResponse: z.object({ amount: z.number().positive(), unit: z.enum(['hour', 'businessDay']) }).strict(),
    followUp: text,
    customerResponsibilities: text,
    workingHours: hoursSchema,
  })
  .strict();

const policy = z
  .object({
    title: text,
    paragraphs: z.array(text).min(1),
    steps: z.array(text).optional(),
    bullets: z.array(text).optional(),
    links: z.array(z.object({ title: text, url: z.string().url() }).strict()),
  })
  .strict();

export const directorySchema = z
  .object({
    countryListUrl: z.string().url(),
    clouds: z.array(
      z
        .object({
          id: cloudId,
          name: text,
          domainSuffixes: z.array(z.string().startsWith('.')),
          adminCenterUrl: z.string().url(),
          supportTypes: z.array(supportType),
          description: text,
        })
        .strict(),
    ),
    contacts: z.array(contactSchema),
    severityPolicy: z
      .object({
        cloud: cloudId,
        severities: z.array(severity).length(3),
        eligibility: text,
        severityASupportTypes: z.array(supportType),
        billingMaxSeverity: severityId,
        downgrade: text,
      })
      .strict(),
    policies: z.record(z.string(), policy),
  })
  .strict();
