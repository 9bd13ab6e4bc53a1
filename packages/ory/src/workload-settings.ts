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
