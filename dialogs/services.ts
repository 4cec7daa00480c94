// What the dialogs are given: nothing here is global; bot/app.ts builds and passes these in.
import type { TurnContext } from 'botbuilder';
import type { Locale } from '../knowledge/i18n';
import type { Understanding } from '../knowledge/nlu';
import type { SupportAnswers } from './answers';
import type { SupportDirectory } from '../knowledge/directory';
import type { HelpSearch } from '../knowledge/search/help-search';
import type { SearchLog } from '../knowledge/search/search-log';
import type { OrganisationStore } from '../bot/orgs/organisations';
import type { PinService, PinSettings } from '../bot/pin/pin-service';
import type { RequestServices } from './request-dialog';
import type { HandoffDialogServices } from './handoff-dialog';

export interface Understander {
  understand(text: string, locale: Locale): Understanding;
  /** Below this confidence the bot asks instead of answering. */
  readonly threshold: number;
}

/** What the help-search flow needs: the index, the search log, and the directory for next steps. */
export interface HelpSearchServices {
  search: Pick<HelpSearch, 'search' | 'section' | 'analyzer'>;
  log: Pick<SearchLog, 'record' | 'markHelpful'>;
  directory: SupportDirectory;
}

/** Who is asking: organisation profiles and PIN verification. */
export interface IdentityServices {
  organisations: OrganisationStore;
  pins: Pick<PinService, 'request' | 'verify' | 'isVerified' | 'verifiedOrganisation' | 'recordVerified'>;
  settings: PinSettings;
}

/** Counters the dialogs report (bot/metrics.ts); only bounded values, never what the user typed. */
export interface DialogMetrics {
  intentUnderstood(intent: string, locale: Locale): void;
  helpSearched(language: Locale, hit: boolean): void;
  helpFeedback(helpful: boolean): void;
  requestCreated(severity: string, category: string): void;
}

export interface DialogServices {
  understanding: Understander;
  answers: SupportAnswers;
  help: HelpSearchServices;
  identity: IdentityServices;
  requests: RequestServices;
  /** Human handoff; without it, asking for a person gets the contact options instead. */
  handoff?: HandoffDialogServices;
  defaultLocale: Locale;
  metrics?: DialogMetrics;
}

/** Messages longer than this are cut before understanding; a support question fits in far less. */
export const MAX_UNDERSTOOD_CHARS = 1000;

/** Zones already checked; building an Intl.DateTimeFormat per turn to test one was a hot spot under load. */
const knownZones = new Map<string, boolean>();
const MAX_KNOWN_ZONES = 1000;

/** IANA zone the channel reports for the user (Web Chat and the Emulator send it). */
export function userTimeZoneOf(context: TurnContext): string | undefined {
  const zone = (context.activity as { localTimezone?: unknown }).localTimezone;
  if (typeof zone !== 'string' || zone.length > 64) return undefined;
  let valid = knownZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    // Clients choose the text, so the cache is bounded.
    if (knownZones.size < MAX_KNOWN_ZONES) knownZones.set(zone, valid);
  }
  return valid ? zone : undefined;
}

/** The tenant a Teams activity comes from (channel data, or the conversation), lower-cased. */
export function tenantOf(context: TurnContext): string | undefined {
  const data = context.activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = typeof data?.tenant?.id === 'string' ? data.tenant.id : context.activity.conversation?.tenantId;
  return id ? id.toLowerCase() : undefined;
}

/** Adapts the language-understanding service to what the dialogs need. */
export function understanderFrom(service: { understand(text: string, locale: Locale): Understanding; threshold: number }): Understander {
  return { understand: (text, locale) => service.understand(text, locale), threshold: service.threshold };
}
