// The one place that reads the environment. Everything below receives a parsed Config.
import path from 'node:path';
import fs from 'node:fs';
import { z } from 'zod';
import { parse as parseDotenv } from 'dotenv';

import type { Locale } from '../knowledge/i18n';
import type { PinSettings } from './pin/pin-service';
export type { Locale };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL shared by every instance; without it everything lives in DATA_DIR/bot.sqlite. */
  databaseUrl?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  defaultLocale: Locale;
  nodeEnv: string;
  /** Largest request body accepted on the wire, in bytes (Direct Line's limit is 256 KB). */
  maxBodyBytes: number;
  auth: {
    appId: string;
    appPassword: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId: string;
    /** How long fetching the bot's own token from Azure AD may take before a send fails. */
    tokenTimeoutMs: number;
  };
  /** No app id: the Emulator and local channels talk to the bot without tokens. */
  localMode: boolean;
  /** Extra folders of Docs-style Markdown help articles, searched beside the bot's own. */
  knowledgeDirs: string[];
  /** The address users reach the bot at; "Read more" links point below it. */
  publicUrl: string;
  /** SMTP server for PIN mail (smtp:// or smtps://); without it mail goes to DATA_DIR/outbox. */
  smtpUrl?: string;
  mailFrom: string;
  pin: PinSettings;
  /** Seed the demo organisations into an empty database at start. */
  seedDemo: boolean;
  /** Service health feed (Graph serviceAnnouncement/issues shape): a file path or http(s) URL; empty = the demo feed. */
  serviceHealthFeed?: string;
  queue: { agentsOnShift: number; averageHandleMinutes: number };
  /** Bearer token for support's request API; without one the API is off. */
  requestApiToken?: string;
  handoff: { mode: 'internal' | 'external'; agentTimeoutSeconds: number };
  metricsToken?: string;
  /** Teams tenants allowed to use the bot (lower-case GUIDs); empty allows every tenant. */
  allowedTenants: string[];
  directLine: {
    /** Signs embedded Direct Line tokens and serves as its secret; generated into DATA_DIR when unset. */
    tokenSecret?: string;
    /** Browser origins allowed to call the Direct Line endpoints. */
    allowedOrigins: string[];
    /** Azure Bot Service Direct Line secret: when set, the widget uses Microsoft's Direct Line. */
    azureSecret?: string;
    /** Azure Direct Line endpoint (regional endpoints differ). */
    azureEndpoint: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

// One schema per variable, so a failure names the variable that caused it.
const variables = {
  PORT: z.coerce.number().int().min(1).max(65535).default(3978),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'a PostgreSQL URL such as postgres://bot:secret@db.internal:5432/supportbot')
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DEFAULT_LOCALE: z
    .string()
    .transform((v) => v.trim().toLowerCase().slice(0, 2))
    .pipe(z.enum(['en', 'ko']))
    .default('en'),
  NODE_ENV: z.string().default('development'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(APP_TYPES).default('MultiTenant'),
  MicrosoftAppTenantId: z.string().default(''),
  AAD_TOKEN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  KNOWLEDGE_DIRS: z.string().default(''),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_FROM: z.string().min(3).max(200).default('Microsoft 365 support bot <no-reply@localhost>'),
  PIN_TTL_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  PIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  PIN_MAX_SENDS: z.coerce.number().int().min(1).max(20).default(3),
  PIN_SEND_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  VERIFIED_FOR_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  SERVICE_HEALTH_FEED: z.string().min(1).optional(),
  QUEUE_AGENTS_ON_SHIFT: z.coerce.number().int().min(0).max(10000).default(4),
  QUEUE_AVERAGE_HANDLE_MINUTES: z.coerce.number().min(1).max(480).default(12),
  REQUEST_API_TOKEN: z.string().min(24, 'use at least 24 characters').optional(),
  HANDOFF_MODE: z.enum(['internal', 'external']).default('internal'),
  METRICS_TOKEN: z.string().min(24, 'use at least 24 characters').optional(),
  HANDOFF_AGENT_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  DIRECT_LINE_TOKEN_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  DIRECT_LINE_ORIGINS: z.string().default(''),
  DIRECT_LINE_SECRET: z.string().min(20).optional(),
  DIRECT_LINE_ENDPOINT: z.url({ protocol: /^https?$/ }).transform((v) => v.replace(/\/+$/, '')).default('https://directline.botframework.com/v3/directline'),
  ALLOWED_TENANTS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'tenant ids are GUIDs'))),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
} as const;

type Raw = { [K in keyof typeof variables]: z.infer<(typeof variables)[K]> };

/** Reads `.env` from `cwd` if present; real environment variables win over it. */
export function readEnvironment(env: NodeJS.ProcessEnv, cwd = process.cwd()): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const fromFile = fs.existsSync(file) ? parseDotenv(fs.readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/** Values that can hold a password or token: an error names the variable but never echoes them. */
const SECRET_VARIABLES = /PASSWORD|SECRET|TOKEN|_URL$/;

export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const raw = {} as Record<string, unknown>;
  for (const [name, schema] of Object.entries(variables)) {
    const value = env[name];
    // An empty string means "unset" for everything but the credentials, which are legitimately empty.
    const input = value === '' && !name.startsWith('Microsoft') ? undefined : value;
    const result = (schema as z.ZodType).safeParse(input);
    if (!result.success) {
      const issue = result.error.issues[0];
      const shown = SECRET_VARIABLES.test(name) ? '(not shown: it may hold a secret)' : JSON.stringify(value);
      throw new ConfigError(name, `invalid value ${shown} (${issue?.message ?? 'invalid'})`);
    }
    raw[name] = result.data;
  }
  const v = raw as Raw;
  const appId = v.MicrosoftAppId.trim();
  if (!appId && v.NODE_ENV === 'production') {
    throw new ConfigError('MicrosoftAppId', 'required when NODE_ENV=production (local mode without authentication is for development only)');
  }
  if (appId && !v.MicrosoftAppPassword && v.MicrosoftAppType !== 'UserAssignedMSI') {
    throw new ConfigError('MicrosoftAppPassword', 'required when MicrosoftAppId is set');
  }
  if (v.MicrosoftAppType === 'SingleTenant' && appId && !v.MicrosoftAppTenantId) {
    throw new ConfigError('MicrosoftAppTenantId', 'required when MicrosoftAppType=SingleTenant');
  }
  const knowledgeDirs = v.KNOWLEDGE_DIRS.split(path.delimiter).map((d) => d.trim()).filter(Boolean).map((d) => path.resolve(cwd, d));
  for (const dir of knowledgeDirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ConfigError('KNOWLEDGE_DIRS', `${dir} is not a folder`);
  }
  const host = v.HOST ?? (appId ? '0.0.0.0' : '127.0.0.1');
  return {
    port: v.PORT,
    // Without authentication the bot only listens on loopback unless told otherwise.
    host,
    dataDir: path.resolve(cwd, v.DATA_DIR),
    databaseUrl: v.DATABASE_URL,
    logLevel: v.LOG_LEVEL,
    defaultLocale: v.DEFAULT_LOCALE as Locale,
    nodeEnv: v.NODE_ENV,
    maxBodyBytes: v.MAX_BODY_BYTES,
    auth: {
      appId,
      appPassword: v.MicrosoftAppPassword,
      appType: v.MicrosoftAppType,
      tenantId: v.MicrosoftAppTenantId,
      tokenTimeoutMs: v.AAD_TOKEN_TIMEOUT_SECONDS * 1000,
    },
    localMode: !appId,
    knowledgeDirs,
    publicUrl: v.PUBLIC_URL ?? `http://${host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host}:${v.PORT}`,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.SMTP_FROM,
    pin: {
      ttlMinutes: v.PIN_TTL_MINUTES,
      maxAttempts: v.PIN_MAX_ATTEMPTS,
      maxSends: v.PIN_MAX_SENDS,
      sendWindowMinutes: v.PIN_SEND_WINDOW_MINUTES,
      verifiedForMinutes: v.VERIFIED_FOR_MINUTES,
    },
    seedDemo: v.SEED_DEMO === 'true',
    serviceHealthFeed: v.SERVICE_HEALTH_FEED && !/^https?:/i.test(v.SERVICE_HEALTH_FEED) ? path.resolve(cwd, v.SERVICE_HEALTH_FEED) : v.SERVICE_HEALTH_FEED,
    queue: { agentsOnShift: v.QUEUE_AGENTS_ON_SHIFT, averageHandleMinutes: v.QUEUE_AVERAGE_HANDLE_MINUTES },
    requestApiToken: v.REQUEST_API_TOKEN,
    handoff: { mode: v.HANDOFF_MODE, agentTimeoutSeconds: v.HANDOFF_AGENT_TIMEOUT_SECONDS },
    metricsToken: v.METRICS_TOKEN,
    allowedTenants: v.ALLOWED_TENANTS,
    directLine: {
      tokenSecret: v.DIRECT_LINE_TOKEN_SECRET,
      allowedOrigins: v.DIRECT_LINE_ORIGINS.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean),
      azureSecret: v.DIRECT_LINE_SECRET,
      azureEndpoint: v.DIRECT_LINE_ENDPOINT,
    },
  };
}
