import { stringify } from 'yaml';
import { CERTS_MOUNT_PATH } from './cockroach-dsn';
import { OryServiceName } from './ory-ports';

/**
 * Who runs Ory's SQL migrations in a region:
 * - `run`: this region's releases migrate, in the charts' migration Job (a pre-install/pre-upgrade
 *   hook; `<svc>.automigration.enabled: true`, `type: job`): the single-region default, and the
 *   primary region of a multi-region deployment;
 * - `wait`: the charts migrate nothing here (`<svc>.automigration.enabled: false`: chart 0.62.1
 *   renders neither the Job nor the automigrate init container, `templates/job-migration.yaml`
 *   and the Deployment's `initContainers`); each pod instead starts with an init container that
 *   blocks until the primary region's migrations are applied to the shared database
 *   ({@link migrationWaitInitContainers}). Every region shares one database, so one region
 *   migrating is enough, and two migrating at once would race on the same schema.
 */
export type OryMigrations = 'run' | 'wait';

/** `<svc>.automigration` for the chart. */
export function automigrationValues(migrations: OryMigrations): Record<string, unknown> {
  return migrations === 'run' ? { enabled: true, type: 'job' } : { enabled: false };
}

/** The init container's name in every waiting pod. */
export function migrationWaitContainerName(service: OryServiceName): string {
  return `${service}-wait-for-migrations`;
}

/**
 * The status command of each service's own binary, a sibling of the command the chart's own
 * migration Job runs (chart 0.62.1 `templates/job-migration.yaml`: Hydra and Kratos
 * `migrate sql -e --yes`, Keto `migrate up -y`): Hydra `migrate sql status` (ory/hydra
 * `cmd/migrate_sql.go`), Kratos `migrate sql status` (ory/kratos `cmd/migrate/sql.go`), Keto
 * `migrate status` (ory/keto `cmd/migrate/root.go`), each ory/x `popx.NewMigrateSQLStatusCmd`. Its
 * `--block` waits until no migration is pending, polling once a second, then prints the status and
 * exits 0 (ory/x `popx/cmd.go` `MigrateStatus`; flag "Block until all migrations have been applied";
 * its help: "DSN=... <binary> migrate sql status -e --block"; Ory docs "hydra migrate status").
 * `-e` reads the DSN from the `DSN` variable, as the chart's Job does.
 */
export const MIGRATION_STATUS_ARGS: Readonly<Record<OryServiceName, readonly string[]>> = {
  hydra: ['migrate', 'sql', 'status', '-e', '--block', '--config', '/etc/config/hydra.yaml'],
  kratos: ['migrate', 'sql', 'status', '-e', '--block', '--config', '/etc/config/kratos.yaml'],
  keto: ['migrate', 'status', '-e', '--block', '--config', '/etc/config/keto.yaml'],
};

/**
 * The image of each chart's own containers, as its templates write it (chart 0.62.1: Hydra's and
 * Keto's `deployment.yaml`, Kratos's `kratos.image` helper): the chart evaluates
 * `deployment.extraInitContainers` with `tpl`, so the wait runs exactly the server's image and
 * version, `imageTag` overrides included.
 */
const CHART_IMAGE: Readonly<Record<OryServiceName, string>> = {
  hydra: '{{ .Values.global.imageRegistry | default .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}',
  kratos: '{{ include "kratos.image" . }}',
  keto: '{{ .Values.global.imageRegistry | default .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}',
};

export interface MigrationWaitInput {
  readonly service: OryServiceName;
  /** The service's Secret: `dsn` is read from it, as the chart's own migration container does. */
  readonly secretName: string;
  /** The volume holding the client certificates the DSN names. */
  readonly certificatesVolume: string;
  readonly resources: Record<string, unknown>;
}

/**
 * `deployment.extraInitContainers` (a string the chart renders with `tpl`) of a region that waits:
 * the service's own `migrate ... status --block`, with the DSN from the service's Secret, the
 * config file and the client certificates mounted like the chart's own automigrate init container,
 * and the `restricted` Pod Security Standard's container settings. A pod stays in `Init` (the
 * rollout does not progress, the old pods keep serving) until the primary region has migrated.
 */
export function migrationWaitInitContainers(input: MigrationWaitInput): string {
  const { service } = input;
  return stringify([
    {
      name: migrationWaitContainerName(service),
      image: CHART_IMAGE[service],
      command: [service],
      args: [...MIGRATION_STATUS_ARGS[service]],
      env: [{ name: 'DSN', valueFrom: { secretKeyRef: { name: input.secretName, key: 'dsn' } } }],
      volumeMounts: [
        { name: `{{ include "${service}.name" . }}-config-volume`, mountPath: '/etc/config', readOnly: true },
        { name: input.certificatesVolume, mountPath: CERTS_MOUNT_PATH, readOnly: true },
      ],
      resources: input.resources,
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    },
  ], { lineWidth: 0, singleQuote: true });
}
