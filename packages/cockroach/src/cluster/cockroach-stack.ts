import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DEFAULT_LOG_RETENTION_DAYS, InstanceTypeOfferedCheck, OnDemandStandardVcpusInUse, ProductStack, ServiceQuotaCheck, awsPartitionOf, configureAwsProvider, ec2InstanceType, onDemandVcpuQuotaOf, publishOutputs, stateAccessEnvironmentOf, stateAccessPolicy, throwIfProblems } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Annotations, Fn, Op } from 'cdktf';
import { Construct } from 'constructs';
import { NODE_COUNT, SQL_PORT, nodeDnsName, nodeName, sqlDnsName } from '../cockroach-names';
import { nodePrivateIp } from '../node-private-ip';
import { COCKROACH_BACKUP_OUTPUTS, regionalBackupOutputs } from '../backup/backup-outputs';
import type { BackupReplicaStack } from '../backup/backup-stack';
import { bootstrapStatusParameterName } from '../bootstrap-status';
import { oryPresentedCertificatesPath } from '../ory-certificates';
import { BackupScheduleSettings, DEFAULT_BACKUP_SCHEDULE, renderAlterBackupScheduleSql, renderCreateBackupScheduleSql } from '../backup/backup-schedule';
import { COCKROACH_OUTPUTS, COCKROACH_STACK_NAME } from '../cockroach-outputs';
import { COCKROACH_PKI_OUTPUTS } from '../cockroach-pki-outputs';
import { CockroachCommonProps, DEFAULT_NAME_PREFIX } from '../common-props';
import { renderBootstrapSql } from '../scripts/bootstrap-sql';
import { DEFAULT_SQL_USERS } from '../sql-users';
import { BootstrapStatusParameter } from './bootstrap-status-parameter';
import { CockroachAlarmSettings, CockroachAlarms, DEFAULT_COCKROACH_ALARMS } from './cockroach-alarms';
import { CockroachDashboard } from './cockroach-dashboard';
import { CockroachNode } from './cockroach-node';
import { DEFAULT_DATA_VOLUME } from './data-volume';
import { DEFAULT_COCKROACH_SHA256, DEFAULT_COCKROACH_VERSION, cockroachDownloadUrl } from './cockroach-release';
import { CockroachSecurityGroups } from './cockroach-security-groups';
import { DEFAULT_DRAIN_SETTINGS, DrainSettings, stopTimeoutSeconds, unhealthyDrainingIntervalSeconds } from './drain-settings';
import { DEFAULT_INSTANCE_TYPE } from './instance-type';
import { NodeIpReservations } from './node-ip-reservations';
import { NODE_METRICS_NAMESPACE } from './node-metrics';
import { NodeBackupAccess, NodeRole } from './node-role';
import { NodeOperations } from './node-operations';
import { CockroachStackSettings, cockroachStackProblems } from './cockroach-stack-problems';
import { SqlLoadBalancer } from './sql-load-balancer';
import { maxOffsetProblems } from '../multi-region/node-locality';

/** Amazon Linux 2023 (x86_64), resolved at plan time; running nodes ignore later releases. */
export const AL2023_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

export const NO_LICENSE_WARNING =
  'No CockroachDB license secret is configured (licenseSecretArn): since v24.3 a multi-node cluster without a license key is throttled 7 days after init.';

export interface CockroachStackProps extends CockroachCommonProps {
  /** @default the version table's default (`cockroach-releases.json`: the latest patch of the newest Regular release, v26.2.1) */
  readonly cockroachVersion?: string;
  /**
   * SHA-256 of `cockroach-<version>.linux-amd64.tgz`; the node refuses any other download.
   * Required when `cockroachVersion` is not the default.
   * @default the checksum of the default version
   */
  readonly cockroachSha256?: string;
  /** @default {@link DEFAULT_INSTANCE_TYPE}, 'm6i.2xlarge' (8 vCPU, 32 GiB: the sizing CockroachDB recommends) */
  readonly instanceType?: string;
  /** @default 500 ({@link DEFAULT_DATA_VOLUME}) */
  readonly dataVolumeSizeGiB?: number;
  /** @default 6000 (gp3 provisioned IOPS) */
  readonly dataVolumeIops?: number;
  /** @default 250 (gp3 provisioned throughput, MiB/s) */
  readonly dataVolumeThroughputMiBps?: number;
  /** `--cache` of every node. @default '.25' */
  readonly cache?: string;
  /** `--max-sql-memory` of every node. @default '.25' */
  readonly maxSqlMemory?: string;
  /**
   * `--max-offset` of every node: `MULTI_REGION_MAX_OFFSET` (250ms) for a cluster that spans
   * regions, as CockroachDB recommends for new multi-region clusters (multi-region/node-locality.ts).
   * Set it before the first node starts: nodes run different values only during a rolling change.
   * @default none: no flag, CockroachDB's default (500ms)
   */
  readonly maxOffset?: string;
  /**
   * The one `--join` list of a cluster that spans regions (`multiRegionJoinAddresses`: every
   * region's nodes, `ip:26257`), the same on every node. Must include this stack's own nodes.
   * @default this region's three nodes
   */
  readonly joinAddresses?: readonly string[];
  /**
   * CIDRs (private networks, e.g. a VPN) allowed to reach the DB Console on 8080; never SQL.
   * @default none: only the CockroachDB VPC reaches 8080
   */
  readonly adminCidrs?: readonly string[];
  /**
   * ARN of a Secrets Manager secret whose SecretString is the license key, applied at bootstrap.
   * @default none, with a synth warning: the cluster is throttled 7 days after init
   */
  readonly licenseSecretArn?: string;
  /**
   * Seconds the NLB keeps a deregistering node's connections open while it drains.
   * @default 120
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * How a node drains (`server.shutdown.*`, set by the bootstrap): the connections timeout must be
   * above the maximum lifetime of the clients' pooled connections (Ory's `max_conn_lifetime`).
   * The load balancer keeps a draining node's connections, and systemd waits for the drain, as
   * long as these allow.
   * @default initial wait 30 s, connections timeout 330 s, transactions timeout 10 s
   */
  readonly drain?: Partial<DrainSettings>;
  /**
   * Deletion protection of the SQL load balancer (turn off before `cdktf destroy`).
   * @default true
   */
  readonly loadBalancerDeletionProtection?: boolean;
  /**
   * The backup schedule node 1's bootstrap creates (and converges on a later bootstrap), into
   * the `cockroach-backup` stack's bucket, read through remote state; every node may write
   * there (and nowhere else). `false`: no schedule, no bucket access; the policy gate then fails
   * the stack (CRDB-BACKUP-001) unless that rule is suppressed with a reason.
   * @default daily full and hourly incremental backups with revision_history, label `crdb_ory_backup`
   */
  readonly backupSchedule?: Partial<BackupScheduleSettings> | false;
  /**
   * Region of the `cockroach-backup` stack's bucket, when it is not this stack's: in a
   * multi-region cluster every region's nodes write to the primary region's bucket, so the
   * schedule's URI names that region (`AWS_REGION`) and the nodes use its key through S3 there.
   * @default region
   */
  readonly backupBucketRegion?: string;
  /**
   * Another region's backup stack holding the replicas of the backups (`CockroachBackupStack`
   * `replicateTo`): the nodes may read its bucket and decrypt with its key, never write, so a
   * restore from the replica (`--from-bucket`) works after the backup bucket's region is lost.
   * @default none
   */
  readonly backupReplica?: BackupReplicaStack;
  /**
   * CloudWatch alarms on the network stack's alarm topic, and a dashboard. `false`: none; the
   * policy gate then fails the stack (CRDB-MON-001) unless that rule is suppressed with a reason.
   * @default certificate expiry under 30 days, data volume free space under 20 %, plus the load balancer and EC2 status-check alarms
   */
  readonly alarms?: Partial<CockroachAlarmSettings> | false;
  /** Who operates the nodes, and how long the record of it is kept. @default see {@link NodeOperationsSettings} */
  readonly operations?: NodeOperationsSettings;
  /**
   * On-Demand standard vCPUs the rest of the deployment runs at its peak (the EKS nodes during an
   * update), added to the nodes' own in the plan-time vCPU quota check, since both draw on one quota.
   * @default 0
   */
  readonly otherOnDemandVcpus?: number;
}

/** The operations role and log ({@link NodeOperations}). */
export interface NodeOperationsSettings {
  /**
   * IAM role or user ARNs (`*` allowed in the name) that may assume the operations role
   * (`<prefix>-cockroach-operator`), the only role allowed to run commands and sessions on the nodes.
   * @default none listed: the account's IAM policies decide (sts:AssumeRole on the role)
   */
  readonly assumableBy?: readonly string[];
  /** Days the operations log keeps session transcripts and command output (a CloudWatch Logs retention value). @default 365 */
  readonly logRetentionDays?: number;
}

/** Retention values CloudWatch Logs accepts: core's list, re-exported for existing importers. */
export { LOG_RETENTION_DAYS } from '@crdb-ory/core';

/**
 * The `cockroach` stack: three nodes (one per AZ, fixed IPs), their data volumes and IAM, the
 * security groups, the internal SQL NLB with its DNS name, and the bootstrap that runs on node 1.
 * Reads the network and the PKI's secret ARNs (never a key) through remote state.
 */
export class CockroachStack extends ProductStack {
  readonly nodes: CockroachNode[];
  readonly securityGroups: CockroachSecurityGroups;
  readonly loadBalancer: SqlLoadBalancer;
  readonly alarms?: CockroachAlarms;
  readonly dashboard?: CockroachDashboard;
  readonly operations: NodeOperations;

  constructor(scope: Construct, props: CockroachStackProps) {
    super(scope, COCKROACH_STACK_NAME, props);
    const settings = resolveSettings(this.node.path, props);
    configureAwsProvider(this, { region: props.region, tags: props.tags });
    const network = this.readUpstream(NETWORK_OUTPUTS);
    const pki = this.readUpstream(COCKROACH_PKI_OUTPUTS);
    if (!props.licenseSecretArn) Annotations.of(this).addWarning(NO_LICENSE_WARNING);

    this.securityGroups = new CockroachSecurityGroups(this, 'security-groups', {
      namePrefix: settings.namePrefix,
      vpcId: network.cockroachVpcId,
      oryVpcCidr: network.oryVpcCidr,
      adminCidrs: settings.adminCidrs,
    });
    const ips = Array.from({ length: NODE_COUNT }, (_, i) => nodePrivateIp(network.cockroachPrivateSubnetCidrs, i));
    const subnetIds = ips.map((_, i) => Fn.element(network.cockroachPrivateSubnetIds, i));
    const ipReservations = new NodeIpReservations(this, 'node-ips', { subnetIds, nodeIps: ips });
    const sqlHost = sqlDnsName(network.privateZoneName);
    this.loadBalancer = new SqlLoadBalancer(this, 'sql-load-balancer', {
      namePrefix: settings.namePrefix,
      vpcId: network.cockroachVpcId,
      subnetIds: network.cockroachPrivateSubnetIds,
      securityGroupId: this.securityGroups.loadBalancer.id,
      privateZoneId: network.privateZoneId,
      dnsName: sqlHost,
      deregistrationDelaySeconds: settings.deregistrationDelaySeconds,
      unhealthyDrainingIntervalSeconds: unhealthyDrainingIntervalSeconds(settings.drain),
      deletionProtection: props.loadBalancerDeletionProtection ?? true,
      createdAfter: ipReservations.reservations,
    });

    this.operations = new NodeOperations(this, 'operations', {
      namePrefix: settings.namePrefix,
      region: props.region,
      assumableBy: settings.operations.assumableBy,
      logRetentionDays: settings.operations.logRetentionDays,
    });
    checkAccount(this, props, settings.instanceType, network);
    const ami = new DataAwsSsmParameter(this, 'al2023-ami', { name: AL2023_AMI_PARAMETER });
    const bootstrapStatus = new BootstrapStatusParameter(this, 'bootstrap-status', { parameterName: bootstrapStatusParameterName(settings.namePrefix) });
    const oryCertificatesPath = oryPresentedCertificatesPath(settings.namePrefix);
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const oryCertificatesPathArn = `arn:${awsPartitionOf(props.region)}:ssm:${props.region}:${account}:parameter${oryCertificatesPath}`;
    const nodeSecretArn = (i: number): string => Fn.element(pki.nodeSecretArns, i);
    const backups = settings.backupSchedule ? this.readUpstream(COCKROACH_BACKUP_OUTPUTS) : undefined;
    const backupRegion = props.backupBucketRegion ?? props.region;
    const backupAccess: NodeBackupAccess | undefined = backups ? { bucketArn: backups.bucketArn, kmsKeyArn: backups.kmsKeyArn, ...(props.backupBucketRegion ? { region: backupRegion } : {}) } : undefined;
    const replica = backups && props.backupReplica ? this.readUpstream(regionalBackupOutputs(props.backupReplica.stackName)) : undefined;
    const backupReplica = replica && props.backupReplica ? { bucketArn: replica.bucketArn, kmsKeyArn: replica.kmsKeyArn, region: props.backupReplica.region } : undefined;
    const backupSchedule =
      settings.backupSchedule && backups
        ? {
            label: settings.backupSchedule.label,
            createSql: renderCreateBackupScheduleSql(settings.backupSchedule, backups.bucketName, backupRegion),
            alterSql: renderAlterBackupScheduleSql(settings.backupSchedule),
          }
        : undefined;
    this.nodes = ips.map((ip, i) => {
      const name = nodeName(settings.namePrefix, i);
      const bootstraps = i === 0;
      const secretArns = [nodeSecretArn(i), pki.rootClientSecretArn, ...(bootstraps && props.licenseSecretArn ? [props.licenseSecretArn] : [])];
      const availabilityZone = Fn.element(network.availabilityZones, i);
      return new CockroachNode(this, `node-${i + 1}`, {
        name,
        amiId: ami.insecureValue,
        instanceType: settings.instanceType,
        subnetId: subnetIds[i],
        availabilityZone,
        privateIp: ip,
        ipReservation: ipReservations.reservations[i],
        securityGroupId: this.securityGroups.nodes.id,
        role: new NodeRole(this, `node-${i + 1}-role`, {
          roleName: name,
          region: props.region,
          secretArns,
          kmsKeyArn: pki.kmsKeyArn,
          backupBucket: backupAccess,
          backupReplica,
          metricsNamespace: NODE_METRICS_NAMESPACE,
          bootstrapStatusParameterArn: bootstraps ? bootstrapStatus.parameter.arn : undefined,
          oryCertificatesPathArn,
          operationsLog: this.operations.nodeLog,
        }),
        createdAfter: bootstraps ? [bootstrapStatus.parameter] : [],
        dataVolume: settings.dataVolume,
        targetGroupArn: this.loadBalancer.targetGroup.arn,
        privateZoneId: network.privateZoneId,
        dnsName: nodeDnsName(network.privateZoneName, i),
        boot: {
          region: props.region,
          nodeNumber: i + 1,
          nodeIp: ip,
          joinAddresses: props.joinAddresses ? [...props.joinAddresses] : ips.map((address) => `${address}:${SQL_PORT}`),
          maxOffset: props.maxOffset,
          availabilityZone,
          nodeSecretArn: nodeSecretArn(i),
          cockroachVersion: settings.cockroachVersion,
          cockroachSha256: settings.cockroachSha256,
          cockroachDownloadUrl: cockroachDownloadUrl(settings.cockroachVersion),
          cache: settings.cache,
          maxSqlMemory: settings.maxSqlMemory,
          rootClientSecretArn: pki.rootClientSecretArn,
          clusterName: settings.namePrefix,
          metricsNamespace: NODE_METRICS_NAMESPACE,
          oryCertificatesPath,
          stopTimeoutSeconds: stopTimeoutSeconds(settings.drain),
          bootstrap: bootstraps
            ? {
                licenseSecretArn: props.licenseSecretArn,
                sql: renderBootstrapSql(settings.sqlUsers, { verifierSeesBackups: backupSchedule !== undefined, drain: settings.drain }),
                backupSchedule,
                statusParameterName: bootstrapStatusParameterName(settings.namePrefix),
              }
            : undefined,
        },
      });
    });

    if (settings.alarms) {
      const instanceIds = this.nodes.map((node) => node.instance.id);
      const lb = { loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix, targetGroupArnSuffix: this.loadBalancer.targetGroup.arnSuffix };
      this.alarms = new CockroachAlarms(this, 'alarms', {
        ...settings.alarms,
        ...lb,
        namePrefix: settings.namePrefix,
        topicArn: network.alarmTopicArn,
        partition: awsPartitionOf(props.region),
        region: props.region,
        instanceIds,
      });
      this.dashboard = new CockroachDashboard(this, 'dashboard', {
        ...lb,
        dashboardName: `${settings.namePrefix}-cockroach`,
        region: props.region,
        namePrefix: settings.namePrefix,
        instanceIds,
        alarmArns: this.alarms.alarms.map((a) => a.alarm.arn),
      });
    }

    const users = settings.sqlUsers;
    publishOutputs(this, COCKROACH_OUTPUTS, {
      sqlHost,
      sqlPort: SQL_PORT,
      nodePrivateIps: ips,
      caCertificateSecretArn: pki.verifierClientSecretArn,
      hydraDatabase: 'hydra',
      hydraSqlUser: users.hydra,
      hydraClientSecretArn: pki.hydraClientSecretArn,
      kratosDatabase: 'kratos',
      kratosSqlUser: users.kratos,
      kratosClientSecretArn: pki.kratosClientSecretArn,
      ketoDatabase: 'keto',
      ketoSqlUser: users.keto,
      ketoClientSecretArn: pki.ketoClientSecretArn,
      verifierSqlUser: users.verifier,
      verifierClientSecretArn: pki.verifierClientSecretArn,
      nodeSecurityGroupId: this.securityGroups.nodes.id,
      loadBalancerSecurityGroupId: this.securityGroups.loadBalancer.id,
      loadBalancerArn: this.loadBalancer.loadBalancer.arn,
      nodeInstanceIds: this.nodes.map((node) => node.instance.id),
      backupBucketName: backups?.bucketName ?? '',
      backupScheduleLabel: settings.backupSchedule ? settings.backupSchedule.label : '',
      rootClientSecretArn: pki.rootClientSecretArn,
      bootstrapStatusParameter: bootstrapStatus.parameter.name,
      nodesPendingReplacement: Fn.compact(
        this.nodes.map((node, i) => Fn.conditional(Op.neq(node.settings.output, node.runningSettings.output), `node-${i + 1}`, '')),
      ),
      operationsRoleArn: this.operations.role.arn,
      operationsLogGroupName: this.operations.logGroup.name,
      sessionDocumentName: this.operations.sessionDocument.name,
      portForwardingDocumentName: this.operations.portForwardingDocument.name,
    });
    // The roll applies this stack as the operations role: it needs this stack's state access (after every read above).
    const stateEnv = stateAccessEnvironmentOf(this.stateBackend, settings.namePrefix, props.region);
    this.operations.grant(stateEnv ? stateAccessPolicy(this.stateAccess, stateEnv).Statement : []);
  }
}

/** Plan-time checks against the account: the instance type is offered in the nodes' zones, and the vCPU quota holds the nodes. */
function checkAccount(scope: Construct, props: CockroachStackProps, instanceType: string, network: { availabilityZones: string[]; cockroachVpcId: string; oryVpcId: string }): void {
  new InstanceTypeOfferedCheck(scope, 'instance-type-offered', { setting: 'cockroach.instanceType', instanceType, availabilityZones: network.availabilityZones });
  const quota = onDemandVcpuQuotaOf(instanceType);
  const vcpus = ec2InstanceType(instanceType)?.vcpus;
  if (!quota || vcpus === undefined) return;
  const nodes = NODE_COUNT * vcpus;
  const others = props.otherOnDemandVcpus ?? 0;
  const inUse = new OnDemandStandardVcpusInUse(scope, 'vcpus-in-use', { deploymentVpcIds: [network.cockroachVpcId, network.oryVpcId] });
  new ServiceQuotaCheck(scope, 'node-vcpus', {
    quota,
    region: props.region,
    needed: nodes + others,
    usedByOthers: inUse.vcpus,
    what: `cockroach.instanceType "${instanceType}": ${NODE_COUNT} nodes need ${nodes} On-Demand standard vCPUs${others > 0 ? `, and the EKS nodes up to ${others} (at a node update)` : ''}`,
    alternative: 'or choose a smaller cockroach.instanceType (at least 4 vCPUs)',
  });
}

interface ResolvedSettings extends Omit<CockroachStackSettings, 'operations' | 'licenseSecretArn'> {
  readonly alarms: CockroachAlarmSettings | false;
  readonly operations: Required<NodeOperationsSettings>;
}

/** Defaults and validation, before any construct exists. */
function resolveSettings(stackPath: string, props: CockroachStackProps): ResolvedSettings {
  const settings: ResolvedSettings = {
    namePrefix: props.namePrefix ?? DEFAULT_NAME_PREFIX,
    sqlUsers: props.sqlUsers ?? DEFAULT_SQL_USERS,
    cockroachVersion: props.cockroachVersion ?? DEFAULT_COCKROACH_VERSION,
    cockroachSha256: props.cockroachSha256 ?? DEFAULT_COCKROACH_SHA256,
    instanceType: props.instanceType ?? DEFAULT_INSTANCE_TYPE,
    dataVolume: {
      sizeGiB: props.dataVolumeSizeGiB ?? DEFAULT_DATA_VOLUME.sizeGiB,
      iops: props.dataVolumeIops ?? DEFAULT_DATA_VOLUME.iops,
      throughputMiBps: props.dataVolumeThroughputMiBps ?? DEFAULT_DATA_VOLUME.throughputMiBps,
    },
    cache: props.cache ?? '.25',
    maxSqlMemory: props.maxSqlMemory ?? '.25',
    adminCidrs: props.adminCidrs ?? [],
    deregistrationDelaySeconds: props.deregistrationDelaySeconds ?? 120,
    drain: { ...DEFAULT_DRAIN_SETTINGS, ...props.drain },
    backupSchedule: props.backupSchedule === false ? false : { ...DEFAULT_BACKUP_SCHEDULE, ...props.backupSchedule },
    alarms: props.alarms === false ? false : { ...DEFAULT_COCKROACH_ALARMS, ...props.alarms },
    operations: { assumableBy: props.operations?.assumableBy ?? [], logRetentionDays: props.operations?.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS },
  };
  throwIfProblems(stackPath, [...cockroachStackProblems({ ...settings, licenseSecretArn: props.licenseSecretArn }), ...maxOffsetProblems(props.maxOffset)]);
  return settings;
}

