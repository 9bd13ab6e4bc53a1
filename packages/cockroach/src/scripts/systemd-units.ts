import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { NODE_PATHS as P } from './node-paths';

/**
 * Start flags of design section 5. Values are shell variables from node.env, expanded when
 * boot.sh writes the unit.
 */
export function cockroachStartCommand(): string {
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
  ].join(' ');
}

/** The CockroachDB unit (design section 5: Type=notify, LimitNOFILE, TimeoutStopSec, Restart=always). */
export function renderCockroachUnit(): string {
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
ExecStart=${cockroachStartCommand()}
ExecReload=/bin/kill -HUP \\$MAINPID
TimeoutStopSec=300
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
