// A BotFrameworkAuthentication that delegates everything to another and only changes the connector
// factories it hands out (client reuse, a retry policy). Subclasses say how to wrap a factory.
import type { Activity } from 'botbuilder';
import { BotFrameworkAuthentication } from 'botframework-connector';
import type { AuthenticateRequestResult, BotFrameworkClient, ClaimsIdentity, ConnectorFactory, UserTokenClient } from 'botframework-connector';

export abstract class WrappingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  constructor(protected readonly inner: BotFrameworkAuthentication) {
    super();
  }

  /** The factory to hand out in place of the wrapped one's. */
  protected abstract wrapFactory(factory: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory;

  private wrap(result: AuthenticateRequestResult): AuthenticateRequestResult {
    return result.connectorFactory ? { ...result, connectorFactory: this.wrapFactory(result.connectorFactory, result.claimsIdentity) } : result;
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.wrap(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.wrap(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.wrapFactory(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}
