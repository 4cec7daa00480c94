// Keeps botbuilder's process-wide list of Emulator token issuers from growing without bound.
//
// Before verifying anything, botframework-connector's EmulatorValidation.isTokenFromEmulator reads
// the token's `tid` claim and, for a tenant it has not seen, appends four issuer URLs to
// ToBotFromBotOrEmulatorTokenValidationParameters.issuer, a module-level array that is never
// trimmed and is searched on every request. Anyone can send tokens with new tids: memory and CPU
// grow with every one. botbuilder appends a tenant and copies the list into that request's own
// validation options in one synchronous step, so the appended entries are not needed afterwards:
// each authentication here ends by cutting the list back to what it held at startup.
import type { Activity } from 'botbuilder';
import { ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import type { AuthenticateRequestResult, ClaimsIdentity, ConnectorFactory } from 'botframework-connector';
import { WrappingBotFrameworkAuthentication } from './wrapping-authentication';

const issuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
const STARTUP_COUNT = Array.isArray(issuers) ? issuers.length : 0;

/** Drops whatever botbuilder added to the Emulator issuer list since startup. */
export function trimEmulatorIssuers(): void {
  if (Array.isArray(issuers) && issuers.length > STARTUP_COUNT) issuers.length = STARTUP_COUNT;
}

/** Entries in the Emulator issuer list now (for tests). */
export function emulatorIssuerCount(): number {
  return Array.isArray(issuers) ? issuers.length : 0;
}

/** Delegates everything; trims the Emulator issuer list after every authentication. */
export class IssuerTrimmingAuthentication extends WrappingBotFrameworkAuthentication {
  protected wrapFactory(factory: ConnectorFactory): ConnectorFactory {
    return factory;
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } finally {
      trimEmulatorIssuers();
    }
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    } finally {
      trimEmulatorIssuers();
    }
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await super.authenticateChannelRequest(authHeader);
    } finally {
      trimEmulatorIssuers();
    }
  }
}
