/** The ports Ory's servers listen on; the chart services use the same numbers. */
export const ORY_PORTS = {
  hydraPublic: 4444,
  hydraAdmin: 4445,
  kratosPublic: 4433,
  kratosAdmin: 4434,
  ketoRead: 4466,
  ketoWrite: 4467,
  ketoMetrics: 4468,
} as const;

/** Ports that must never be reachable from outside the cluster: admin APIs and Keto's write API. */
export const ORY_PRIVILEGED_PORTS: readonly number[] = [ORY_PORTS.hydraAdmin, ORY_PORTS.kratosAdmin, ORY_PORTS.ketoWrite];

/** The Ory services this stack installs; each is one Helm release, one database and one SQL user. */
export type OryServiceName = 'hydra' | 'kratos' | 'keto';

export const ORY_SERVICES: readonly OryServiceName[] = ['hydra', 'kratos', 'keto'];
