import { CERTS_MOUNT_PATH, CERT_FILES } from './cockroach-dsn';
import { OryMigrations, migrationWaitInitContainers } from './ory-migrations';
import { OryServiceName } from './ory-ports';
import { OryWorkloadSettings, WORKLOAD_DEFAULTS } from './workload-settings';

/** Name of the volume holding the CockroachDB client certificate in every Ory pod. */
export const CERTS_VOLUME_NAME = 'cockroach-certs';

/**
 * Pod annotation (Deployment and migration Job): the SHA-256 of the service's Secret content as
 * Terraform computes it. It changes exactly when what the pods read from the Secret changes (a
 * renewed client certificate, the DSN, a replaced Ory secret), so the same apply that rewrites the
 * Secret also upgrades the release and rolls the pods; an unchanged Secret leaves the pods alone.
 */
export const SECRET_CHECKSUM_ANNOTATION = 'crdb-ory.io/secret-sha256';

/**
 * One pod at a time, never below the replica count: a new pod must be ready before an old one
 * stops (as the PodDisruptionBudget's `maxUnavailable: 1` allows for evictions, but stricter). The
 * charts' default, 25% / 25%, would take a pod down first from 4 replicas on.
 */
export const ROLLING_UPDATE = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } as const;

/** What every Ory release shares: its own Secret, certificates, spread, PDB, resources. */
export interface CommonValuesInput {
  /** Helm release name; also the chart's `app.kubernetes.io/instance` label. */
  readonly release: string;
  /** The chart name; the chart's `app.kubernetes.io/name` label. */
  readonly chartName: string;
  /** The service's Kubernetes Secret (DSN, Ory secrets, certificates). */
  readonly secretName: string;
  /** SHA-256 of the Secret's content, computed by Terraform (`OryServiceSecret.contentChecksum`). */
  readonly secretChecksum: string;
  /** Where the chart reads the Deployment's update strategy (chart 0.62.1: Kratos top-level `strategy`, Hydra and Keto `deployment.strategy`). */
  readonly updateStrategyAt: 'strategy' | 'deployment.strategy';
  /**
   * Where the chart reads the Deployment's extra init containers, a string it renders with `tpl`
   * (chart 0.62.1: Hydra and Kratos `deployment.extraInitContainers`; Keto's `deployment.extraInitContainers`
   * defaults to a map, which a string cannot override, so Keto's top-level `extraInitContainers`,
   * its fallback when the former is empty).
   * @default 'deployment.extraInitContainers'
   */
  readonly extraInitContainersAt?: 'extraInitContainers' | 'deployment.extraInitContainers';
  readonly workload: OryWorkloadSettings;
  /** Whether this region runs the migrations or waits for them (see `OryMigrations`). @default 'run' */
  readonly migrations?: OryMigrations;
}

/** Top-level chart values common to Hydra, Kratos and Keto (chart 0.62.1 layout). */
export function commonReleaseValues(input: CommonValuesInput): Record<string, unknown> {
  const workload = { ...WORKLOAD_DEFAULTS, ...input.workload };
  const resources = {
    requests: { cpu: workload.cpuRequest, memory: workload.memoryRequest },
    limits: { memory: workload.memoryLimit },
  };
  const podMetadata = { annotations: { [SECRET_CHECKSUM_ANNOTATION]: input.secretChecksum } };
  const initContainersAt = input.extraInitContainersAt ?? 'deployment.extraInitContainers';
  const extraInitContainers =
    input.migrations === 'wait'
      ? { extraInitContainers: migrationWaitInitContainers({ service: input.chartName as OryServiceName, secretName: input.secretName, certificatesVolume: CERTS_VOLUME_NAME, resources }) }
      : {};
  return {
    replicaCount: workload.replicas,
    ...(initContainersAt === 'extraInitContainers' ? extraInitContainers : {}),
    ...(input.updateStrategyAt === 'strategy' ? { strategy: ROLLING_UPDATE } : {}),
    ...(input.workload.imageTag ? { image: { tag: input.workload.imageTag } } : {}),
    // The chart must not create (or ever regenerate) secrets: ours come from Terraform.
    secret: { enabled: false, nameOverride: input.secretName },
    pdb: { enabled: true, spec: { maxUnavailable: 1 } },
    // No Ory pod calls the Kubernetes API: no ServiceAccount token in the server or the migration job
    // (Hydra's chart mounts one in its job unless told; rendered manifests are checked).
    // The migration Job is a pre-upgrade hook recreated on every upgrade, so it always mounts the
    // current Secret; the annotation records which content it ran with.
    job: { resources, automountServiceAccountToken: false, podMetadata },
    deployment: {
      resources,
      automountServiceAccountToken: false,
      topologySpreadConstraints: topologySpread(input.release, input.chartName),
      extraVolumes: [certificateVolume(input.secretName)],
      extraVolumeMounts: [{ name: CERTS_VOLUME_NAME, mountPath: CERTS_MOUNT_PATH, readOnly: true }],
      ...(initContainersAt === 'deployment.extraInitContainers' ? extraInitContainers : {}),
      podMetadata,
      ...(input.updateStrategyAt === 'deployment.strategy' ? { strategy: ROLLING_UPDATE } : {}),
    },
  };
}

/** One pod per zone at most ahead of the others (hard), and spread over nodes where possible (soft). */
export function topologySpread(release: string, chartName: string): Array<Record<string, unknown>> {
  const labelSelector = { matchLabels: { 'app.kubernetes.io/name': chartName, 'app.kubernetes.io/instance': release } };
  return [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

/**
 * Only the certificate keys of the Secret, as files. Mode 0440: the charts run as uid/gid 65534
 * with `fsGroup` 65534, so group-read is what lets the process read the key; nobody else can.
 */
function certificateVolume(secretName: string): Record<string, unknown> {
  return {
    name: CERTS_VOLUME_NAME,
    secret: {
      secretName,
      defaultMode: 0o440,
      items: Object.values(CERT_FILES).map((key) => ({ key, path: key })),
    },
  };
}
