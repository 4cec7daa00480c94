// The support directory's model. Every user-facing text exists in English and Korean.
export type CloudId = 'worldwide' | '21vianet' | 'germany';
export type SupportType = 'billing' | 'technical' | 'presales' | 'subscription';
export type SeverityId = 'A' | 'B' | 'C';

export interface LocalizedText {
  en: string;
  ko: string;
}

export interface HoursWindow {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** 'HH:mm' in the hours' time zone. */
  open: string;
  /** 'HH:mm'; '24:00' is midnight at the end of the day. */
  close: string;
}

export type Hours =
  | { kind: 'always' }
  | {
      kind: 'weekly';
      /** IANA zone the support team keeps these hours in. */
      timeZone: string;
      windows: HoursWindow[];
      /** The page said "local time" for a country with several zones: the caller's own zone applies. */
      callerLocal?: boolean;
    }
  | {
      /** Business hours on these days whose exact times the source does not publish. */
      kind: 'businessHours';
      timeZone: string;
      days: number[];
    };

export interface PhoneNumber {
  display: string;
  /** E.164 when the number has one; in-country access numbers (000 800 …, 007 803 …) do not. */
  e164?: string;
  /** What a tel: link dials: the E.164 form, or the digits as dialled inside the country. */
  dial: string;
  kind: 'main' | 'alternative';
  /** Carrier or plan the number is for (PLDT, Globe, …). */
  label?: LocalizedText;
  notes?: LocalizedText[];
}

export interface ServiceLine {
  supportType: SupportType;
  /** ISO 639-1 codes. */
  languages: string[];
  hours: Hours;
  /** Which severities these hours are for, where support hours depend on severity (21Vianet). */
  severities?: SeverityId[];
  /** The plan these hours are for, where a country's hours depend on the plan (Japan). */
  plan?: LocalizedText;
  /** Online rather than phone support (some pages list both). */
  channel?: 'phone' | 'online';
}

export interface ContactPoint {
  id: string;
  cloud: CloudId;
  /** ISO 3166-1 alpha-2 codes of the countries this entry serves. */
  countries: string[];
  market: LocalizedText;
  numbers: PhoneNumber[];
  lines: ServiceLine[];
  notes: LocalizedText[];
  /** When this entry is the right one (which cloud, which kind of tenant). */
  appliesTo: LocalizedText;
  source: 'seed' | 'country-page';
}

export interface Cloud {
  id: CloudId;
  name: LocalizedText;
  /** Domain suffixes that identify tenants of this cloud. */
  domainSuffixes: string[];
  adminCenterUrl: string;
  supportTypes: SupportType[];
  description: LocalizedText;
}

export interface ResponseTarget {
  amount: number;
  unit: 'hour' | 'businessDay';
}

export interface Severity {
  id: SeverityId;
  name: LocalizedText;
  definition: LocalizedText;
  examples: LocalizedText[];
  initialResponse: ResponseTarget;
  followUp: LocalizedText;
  customerResponsibilities: LocalizedText;
  workingHours: Hours;
}

export interface SeverityPolicy {
  cloud: CloudId;
  severities: Severity[];
  /** Who may open severity A. */
  eligibility: LocalizedText;
  /** Severity A is offered for these support types only. */
  severityASupportTypes: SupportType[];
  /** Highest severity for billing and subscription management. */
  billingMaxSeverity: SeverityId;
  downgrade: LocalizedText;
}

export interface Link {
  title: LocalizedText;
  url: string;
}

export interface Policy {
  title: LocalizedText;
  paragraphs: LocalizedText[];
  steps?: LocalizedText[];
  bullets?: LocalizedText[];
  links: Link[];
}

export type PolicyId =
  | 'serviceHealthFirst'
  | 'onlineRequest'
  | 'partner'
  | 'nonAdmin'
  | 'pinVerification'
  | 'community'
  | 'prepareForCall'
  | 'supportScope21Vianet'
  | 'adminResponsibilities'
  | 'generalHours';

export interface DirectoryData {
  clouds: Cloud[];
  contacts: ContactPoint[];
  severityPolicy: SeverityPolicy;
  policies: Record<PolicyId, Policy>;
  /** Where to find a number the directory does not have. */
  countryListUrl: string;
}
