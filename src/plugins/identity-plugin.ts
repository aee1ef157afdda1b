import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import { unsupportedOperation, type MaybePromise } from './common';

/** A user as the identity provider describes them. */
export interface UserInfo {
  /** The unique subject identifier (`sub` claim). */
  subject: string;
  email: string;
  name: string;
  roles: string[];
  groups: string[];
  claims: Record<string, unknown>;
}

/** The outcome of validating an access token. */
export interface TokenValidationResult {
  valid: boolean;
  userInfo?: UserInfo;
  error: string;
  /** ISO 8601 expiry of the token. */
  expiresAt: string;
}

/** The OIDC endpoints of an identity provider. */
export interface OIDCConfig {
  issuerUrl: string;
  discoveryUrl: string;
  jwksUri: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
}

/**
 * An authentication provider (Keycloak, Auth0, Okta, service accounts, ...).
 */
export abstract class IdentityPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.Identity;

  /** Exchanges credentials for an access token; `undefined` when authentication fails, a throw when the provider is unreachable. */
  abstract authenticate(credentials: Record<string, unknown>): MaybePromise<string | undefined>;

  /** Returns the user behind a valid token, or `undefined` for an invalid one. */
  abstract getUserInfo(token: string): MaybePromise<UserInfo | undefined>;

  /** Checks a token's signature, expiry and claims. */
  abstract validateToken(token: string): MaybePromise<TokenValidationResult>;

  /** Returns the provider's OIDC endpoints; throws OPERATION_UNSUPPORTED unless the plugin overrides it. */
  getOidcConfig(realm?: string): MaybePromise<OIDCConfig> {
    throw unsupportedOperation(this.name, `OIDC discovery${realm === undefined ? '' : ` (realm "${realm}")`}`);
  }
}
