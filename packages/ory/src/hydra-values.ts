import { CommonValuesInput, commonReleaseValues } from './common-values';
import { automigrationValues } from './ory-migrations';
import { ORY_PORTS } from './ory-ports';

export interface HydraValuesInput extends Omit<CommonValuesInput, 'chartName' | 'updateStrategyAt'> {
  readonly issuerUrl: string;
  readonly adminUrl: string;
  /** Hydra's `--dev` flag: allows an http issuer. Never in production. */
  readonly devMode: boolean;
  /** Networks allowed to terminate TLS in front of Hydra (the load balancer's VPC). */
  readonly tlsTerminationCidrs: readonly string[];
  /** The hydra-maester controller (OAuth2Client custom resources). */
  readonly maesterEnabled: boolean;
}

/** Hydra's own configuration as the chart writes it to `hydra.yaml` (DSN and secrets come from the Secret). */
export function hydraConfig(input: Pick<HydraValuesInput, 'issuerUrl' | 'adminUrl' | 'tlsTerminationCidrs'>): Record<string, unknown> {
  return {
    serve: {
      public: { port: ORY_PORTS.hydraPublic },
      admin: { port: ORY_PORTS.hydraAdmin },
      tls: { allow_termination_from: [...input.tlsTerminationCidrs] },
    },
    urls: { self: { issuer: input.issuerUrl, public: input.issuerUrl, admin: input.adminUrl } },
    // The verifier recomputes the signature column from an opaque token.
    strategies: { access_token: 'opaque' },
    log: { level: 'info', format: 'json', leak_sensitive_values: false },
  };
}

/** The values of the `hydra` release. */
export function hydraValues(input: HydraValuesInput): Record<string, unknown> {
  const common = commonReleaseValues({ ...input, chartName: 'hydra', updateStrategyAt: 'deployment.strategy' });
  return {
    ...common,
    hydra: {
      dev: input.devMode,
      config: hydraConfig(input),
      automigration: automigrationValues(input.migrations ?? 'run'),
    },
    service: {
      public: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.hydraPublic },
      admin: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.hydraAdmin },
    },
    ingress: { public: { enabled: false }, admin: { enabled: false } },
    maester: { enabled: input.maesterEnabled },
  };
}
