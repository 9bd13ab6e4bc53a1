import { CommonValuesInput, commonReleaseValues } from './common-values';
import { automigrationValues } from './ory-migrations';
import { ORY_PORTS } from './ory-ports';

export interface KetoValuesInput extends Omit<CommonValuesInput, 'chartName' | 'updateStrategyAt'> {
  /** Relation-tuple namespaces, in order; ids are their positions and must never be reordered. */
  readonly namespaces: readonly string[];
}

/** Keto's own configuration (`keto.yaml`); the DSN comes from the Secret. */
export function ketoConfig(input: Pick<KetoValuesInput, 'namespaces'>): Record<string, unknown> {
  return {
    serve: {
      read: { port: ORY_PORTS.ketoRead },
      write: { port: ORY_PORTS.ketoWrite },
      metrics: { port: ORY_PORTS.ketoMetrics },
    },
    namespaces: input.namespaces.map((name, id) => ({ id, name })),
    log: { level: 'info', format: 'json' },
  };
}

/** The values of the `keto` release. */
export function ketoValues(input: KetoValuesInput): Record<string, unknown> {
  const common = commonReleaseValues({ ...input, chartName: 'keto', updateStrategyAt: 'deployment.strategy', extraInitContainersAt: 'extraInitContainers' });
  return {
    ...common,
    // Keto's chart ignores `deployment.automountServiceAccountToken: false` (an empty value falls
    // back to this top-level one, default true): only this keeps the token out of its pods.
    automountServiceAccountToken: false,
    keto: {
      config: ketoConfig(input),
      automigration: automigrationValues(input.migrations ?? 'run'),
    },
    service: {
      read: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.ketoRead },
      write: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.ketoWrite },
    },
    ingress: { read: { enabled: false }, write: { enabled: false } },
  };
}
