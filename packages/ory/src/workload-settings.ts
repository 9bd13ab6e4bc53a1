/** How one Ory service runs: replicas, image and resources. */
export interface OryWorkloadSettings {
  /** Pods of the service, spread across zones. @default 3 (one per availability zone) */
  readonly replicas?: number;
  /** Image tag of the service. @default the chart's own (v26.2.0 with chart 0.62.1) */
  readonly imageTag?: string;
  /** CPU request of each pod. @default '250m' */
  readonly cpuRequest?: string;
  /** Memory request of each pod. @default '256Mi' */
  readonly memoryRequest?: string;
  /** Memory limit of each pod (no CPU limit: throttling hurts latency more than it protects). @default '512Mi' */
  readonly memoryLimit?: string;
}

export const WORKLOAD_DEFAULTS: Required<Omit<OryWorkloadSettings, 'imageTag'>> = {
  replicas: 3,
  cpuRequest: '250m',
  memoryRequest: '256Mi',
  memoryLimit: '512Mi',
};

const MEMORY_SUFFIXES: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Bytes of a Kubernetes memory quantity (`256Mi`, `1Gi`, `1.5G`, `512000000`); undefined if it is not one. */
export function memoryQuantityBytes(quantity: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * (MEMORY_SUFFIXES[match[2] ?? ''] ?? 1);
}

/** Pods besides the services' replicas: one migration Job per service (chart hook) and the AWS Load Balancer Controller's 2 replicas. */
export const ORY_SUPPORT_PODS = 3 + 2;

/** Replicas of one service the product accepts: at least 1 (3 spreads one per zone), at most 30. */
export const ORY_REPLICA_LIMITS = { min: 1, max: 30 } as const;

/** Pods the Ory stack puts on the cluster at once, for node sizing: every replica plus `ORY_SUPPORT_PODS`. */
export function oryClusterPods(replicas: readonly number[]): number {
  return replicas.reduce((sum, count) => sum + count, ORY_SUPPORT_PODS);
}
