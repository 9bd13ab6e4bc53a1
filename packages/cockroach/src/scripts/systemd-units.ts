import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { NODE_PATHS as P } from './node-paths';

/** Start flags a cluster may add to design section 5's. */
export interface StartFlagOptions {
  /**
   * `--max-offset=$MAX_OFFSET` (node.env): the multi-region clusters' lower clock offset
   * (multi-region/node-locality.ts). @default false: no flag, CockroachDB's default (500ms)
   */
  readonly maxOffset?: boolean;
}

/**
 * Start flags of design section 5. Values are shell variables from node.env, expanded when
 * boot.sh writes the unit.
 */
export function cockroachStartCommand(options: StartFlagOptions = {}): string {
  return [
    `${P.binary} start`,
    `--certs-dir=${P.certsDir}`,
    `--store=${P.storeDir}`,
    `--listen-addr=:${SQL_PORT}`,
    `--advertise-addr=$NODE_IP:${SQL_PORT}`,
    `--http-addr=:${HTTP_PORT}`,
    '--join=$JOIN_ADDRESSES',
    '--locality=region=$AWS_REGION,zone=$LOCALITY_ZONE',
    '--cache=$CACHE_SIZE',
    '--max-sql-memory=$MAX_SQL_MEMORY',
    ...(options.maxOffset ? ['--max-offset=$MAX_OFFSET'] : []),
  ].join(' ');
}

/**
 * The CockroachDB unit (design section 5: Type=notify, LimitNOFILE, Restart=always). A stop
 * (SIGTERM) drains the node: `TimeoutStopSec` (node.env STOP_TIMEOUT_SECONDS, from the drain
 * settings) covers the whole drain, so systemd never kills it mid-drain.
 */
export function renderCockroachUnit(options: StartFlagOptions = {}): string {
  return `[Unit]
Description=CockroachDB node
Wants=network-online.target chronyd.service
After=network-online.target chronyd.service
RequiresMountsFor=${P.storeDir}

[Service]
Type=notify
User=cockroach
Group=cockroach
WorkingDirectory=/var/lib/cockroach
ExecStart=${cockroachStartCommand(options)}
ExecReload=/bin/kill -HUP \\$MAINPID
TimeoutStopSec=$STOP_TIMEOUT_SECONDS
KillSignal=SIGTERM
Restart=always
RestartSec=10
LimitNOFILE=65536
SyslogIdentifier=cockroach

[Install]
WantedBy=multi-user.target`;
}

/** Runs bootstrap.sh once the node is up; bootstrap retries by itself until the cluster answers. */
export function renderBootstrapUnit(): string {
  return `[Unit]
Description=CockroachDB cluster bootstrap (init, databases, users)
Requires=cockroach.service
After=cockroach.service

[Service]
Type=oneshot
RemainAfterExit=yes
TimeoutStartSec=1h
ExecStart=${P.bootstrapScript} ${P.envFile}

[Install]
WantedBy=multi-user.target`;
}

/** A periodic job on every node: a oneshot service and the timer that starts it. */
export interface NodeTimer {
  /** Unit name without suffix, e.g. `cockroach-metrics`. */
  readonly name: string;
  readonly description: string;
  /** The script it runs with node.env. */
  readonly script: string;
  /** First run after boot, and the interval (systemd time spans, e.g. `5min`, `1h`). */
  readonly firstRunAfterBoot: string;
  readonly interval: string;
}

/** Renewed certificates reach the running node (hourly), and the node's metrics reach CloudWatch (every 5 minutes). */
export const NODE_TIMERS: readonly NodeTimer[] = [
  {
    name: 'cockroach-cert-refresh',
    description: 'Fetch renewed CockroachDB certificates from Secrets Manager; SIGHUP cockroach when they changed',
    script: P.refreshCertsScript,
    firstRunAfterBoot: '10min',
    interval: '1h',
  },
  {
    name: 'cockroach-metrics',
    description: 'Publish data volume free space and certificate days to expiry to CloudWatch',
    script: P.metricsScript,
    firstRunAfterBoot: '2min',
    interval: '5min',
  },
];

export function renderTimerServiceUnit(timer: NodeTimer): string {
  return `[Unit]
Description=${timer.description}
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${timer.script} ${P.envFile}`;
}

export function renderTimerUnit(timer: NodeTimer): string {
  return `[Unit]
Description=${timer.description} (timer)

[Timer]
OnBootSec=${timer.firstRunAfterBoot}
OnUnitActiveSec=${timer.interval}
RandomizedDelaySec=60

[Install]
WantedBy=timers.target`;
}
