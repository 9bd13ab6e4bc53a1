import { CommonValuesInput, commonReleaseValues } from './common-values';
import { IDENTITY_SCHEMA_FILE, IDENTITY_SCHEMA_ID, defaultIdentitySchema } from './kratos-identity-schema';
import { automigrationValues } from './ory-migrations';
import { ORY_PORTS } from './ory-ports';

export interface KratosValuesInput extends Omit<CommonValuesInput, 'chartName' | 'updateStrategyAt'> {
  readonly publicUrl: string;
  readonly adminUrl: string;
  /** Check new passwords against haveibeenpwned.com (needs egress to api.pwnedpasswords.com). */
  readonly breachedPasswordCheck: boolean;
}

/** Kratos's own configuration (`kratos.yaml`); DSN and secrets come from the Secret. */
export function kratosConfig(input: Pick<KratosValuesInput, 'publicUrl' | 'adminUrl' | 'breachedPasswordCheck'>): Record<string, unknown> {
  return {
    serve: {
      public: { base_url: input.publicUrl, port: ORY_PORTS.kratosPublic },
      admin: { base_url: input.adminUrl, port: ORY_PORTS.kratosAdmin },
    },
    identity: {
      default_schema_id: IDENTITY_SCHEMA_ID,
      schemas: [{ id: IDENTITY_SCHEMA_ID, url: `file:///etc/config/${IDENTITY_SCHEMA_FILE}` }],
    },
    selfservice: {
      default_browser_return_url: input.publicUrl,
      allowed_return_urls: [input.publicUrl],
      methods: {
        password: {
          enabled: true,
          config: { haveibeenpwned_enabled: input.breachedPasswordCheck },
        },
      },
      flows: {
        registration: {
          enabled: true,
          // Native (API) registration returns a session token only with the session hook.
          after: { password: { hooks: [{ hook: 'session' }] } },
        },
        login: { lifespan: '1h' },
      },
    },
    log: { level: 'info', format: 'json', leak_sensitive_values: false },
  };
}

/** The values of the `kratos` release. */
export function kratosValues(input: KratosValuesInput): Record<string, unknown> {
  const common = commonReleaseValues({ ...input, chartName: 'kratos', updateStrategyAt: 'strategy' });
  return {
    ...common,
    kratos: {
      config: kratosConfig(input),
      identitySchemas: { [IDENTITY_SCHEMA_FILE]: JSON.stringify(defaultIdentitySchema(), null, 2) },
      automigration: automigrationValues(input.migrations ?? 'run'),
    },
    service: {
      public: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.kratosPublic },
      admin: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.kratosAdmin },
    },
    ingress: { public: { enabled: false }, admin: { enabled: false } },
    // No e-mail flows are configured (no SMTP): the courier has nothing to send.
    courier: { enabled: false },
  };
}
