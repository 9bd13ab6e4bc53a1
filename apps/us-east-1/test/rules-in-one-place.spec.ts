import {
  DEFAULT_COCKROACH_VERSION,
  DEFAULT_DATA_VOLUME,
  DEFAULT_DRAIN_SETTINGS,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_SQL_USERS,
  adminCidrProblems,
  backupBucketProblems,
  certificateValidityProblems,
  cockroachReleaseProblems,
  crontabProblems,
  drainProblems,
  freeSpacePercentProblems,
  gp3VolumeProblems,
  licenseSecretArnProblems,
  namePrefixProblems,
  productionInstanceTypeProblems,
  secretReaderArnProblems,
  secretRecoveryWindowProblems,
  sqlUserProblems,
} from '@crdb-ory/cockroach';
import { DEFAULT_LOG_RETENTION_DAYS, DEFAULT_NAME_PREFIX, PropProblem, logRetentionProblems } from '@crdb-ory/core';
import { EKS_NODE_GROUP_DEFAULTS, eksKubernetesVersionProblems, eksNodeGroupProblems } from '@crdb-ory/eks';
import { DEFAULT_NAT_GATEWAY_MODE, alarmSubscriptionProblems, placementProblems, vpcCidrPlanProblems } from '@crdb-ory/network';
import {
  DEFAULT_KETO_NAMESPACES,
  DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
  DEFAULT_ORY_NAMESPACE,
  DEFAULT_SQL_MAX_CONNS,
  ORY_CHART_REPOSITORY,
  ORY_CHART_VERSION,
  WORKLOAD_DEFAULTS,
  ketoNamespaceProblems,
  oryMemoryProblems,
  oryPoolProblems,
  oryPublicExposureProblems,
  oryUrlProblems,
  oryWorkloadProblems,
} from '@crdb-ory/ory';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigIssue, DEFAULT_CONFIG, deploymentConfig, resolveConfig } from '../src/config';
import { withOperatorAccess } from './helpers';

/** The configuration issues of `overrides` (otherwise deployable), as data. */
function issuesOf(overrides: unknown): ConfigIssue[] {
  try {
    resolveConfig(withOperatorAccess(overrides));
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('each rule lives in the library that owns the resource; the app maps props to settings', () => {
  it('the schema checks the shape of the gp3 volume only; its limits are the cockroach library\'s', () => {
    const volume = { sizeGiB: 10, iops: 2000, throughputMiBps: 2000 };
    expect(deploymentConfig.safeParse({ ...DEFAULT_CONFIG, cockroach: { ...DEFAULT_CONFIG.cockroach, dataVolume: volume } }).success).toBe(true);
    const library = gp3VolumeProblems(volume);
    expect(library.length).toBe(2);
    expect(issuesOf({ cockroach: { dataVolume: volume } })).toEqual([
      { setting: 'cockroach.dataVolume.iops', value: 2000, message: library[0]?.message },
      { setting: 'cockroach.dataVolume.throughputMiBps', value: 2000, message: library[1]?.message },
    ]);
  });

  it('log retention: core\'s rule, under each setting', () => {
    const [problem] = logRetentionProblems('retentionInDays', 42);
    expect(deploymentConfig.safeParse({ ...DEFAULT_CONFIG, eks: { ...DEFAULT_CONFIG.eks, logRetentionDays: 42 } }).success).toBe(true);
    expect(issuesOf({ eks: { logRetentionDays: 42 }, network: { flowLogsRetentionDays: 42 }, cockroach: { operations: { logRetentionDays: 42 } } })).toEqual([
      { setting: 'cockroach.operations.logRetentionDays', value: 42, message: problem?.message },
      { setting: 'network.flowLogsRetentionDays', value: 42, message: problem?.message },
      { setting: 'eks.logRetentionDays', value: 42, message: problem?.message },
    ]);
  });

  it('the Ory rules are the ory library\'s, with the props named by their settings', () => {
    const cases: Array<[unknown, string, string]> = [
      [{ ory: { kratos: { memoryRequest: '1Gi', memoryLimit: '512Mi' } } }, 'ory.kratos.memoryRequest', oryMemoryProblems({ kratos: { memoryRequest: '1Gi', memoryLimit: '512Mi' } })[0]?.message.replace('kratos.memoryLimit', 'ory.kratos.memoryLimit') ?? ''],
      [{ domain: 'example.com', ory: { hydra: { issuerUrl: 'http://hydra.example.com/' } } }, 'ory.hydra.issuerUrl', oryUrlProblems({ domain: 'example.com', hydraIssuerUrl: 'http://hydra.example.com/' })[0]?.message ?? ''],
      [{ ory: { keto: { namespaces: ['documents', 'documents'] } } }, 'ory.keto.namespaces', ketoNamespaceProblems({ ketoNamespaces: ['documents', 'documents'] })[0]?.message ?? ''],
      [{ ory: { keto: { exposeReadApi: true } } }, 'ory.keto.exposeReadApi', oryPublicExposureProblems({ exposeKetoReadApi: true })[0]?.message ?? ''],
    ];
    for (const [overrides, setting, message] of cases) {
      expect(message).not.toBe('');
      expect(issuesOf(overrides).map((i) => `${i.setting}: ${i.message}`)).toEqual([`${setting}: ${message}`]);
    }
    const cidrs = Array.from({ length: 31 }, (_, i) => `198.51.${i}.0/24`);
    expect(issuesOf({ publicAccessCidrs: cidrs })).toEqual([{ setting: 'publicAccessCidrs', value: '31 CIDRs', message: oryPublicExposureProblems({ publicAccessCidrs: cidrs })[0]?.message }]);
  });

  it('each default is the owning library\'s', () => {
    expect(DEFAULT_CONFIG.cockroach.instanceType).toBe(DEFAULT_INSTANCE_TYPE);
    expect(DEFAULT_CONFIG.cockroach.dataVolume).toEqual(DEFAULT_DATA_VOLUME);
    expect([DEFAULT_CONFIG.cockroach.operations.logRetentionDays, DEFAULT_CONFIG.eks.logRetentionDays, DEFAULT_CONFIG.network.flowLogsRetentionDays]).toEqual([DEFAULT_LOG_RETENTION_DAYS, DEFAULT_LOG_RETENTION_DAYS, DEFAULT_LOG_RETENTION_DAYS]);
    for (const service of ['hydra', 'kratos', 'keto'] as const) expect(DEFAULT_CONFIG.ory[service]).toMatchObject(WORKLOAD_DEFAULTS);
  });
});

/**
 * `config` (otherwise deployable) must be refused with exactly the library's `problems`, each
 * under its setting; a prop a message names is named by its setting too (`renamed`).
 */
function expectReported(config: unknown, problems: readonly PropProblem[], settings: readonly string[], renamed: Readonly<Record<string, string>> = {}): void {
  expect(problems.length).toBeGreaterThan(0);
  const rename = (message: string) => Object.entries(renamed).reduce((text, [prop, setting]) => text.replaceAll(prop, setting), message);
  expect(issuesOf(config)).toEqual(problems.map((problem, i) => ({ setting: settings[i], value: problem.value, message: rename(problem.message) })));
}

describe('every construct rule is its library\'s; the schema holds the shape, the app reports the problems under their settings', () => {
  it('cockroach: instance type, SQL users, certificates, secrets, admin networks, license, drain', () => {
    expectReported({ cockroach: { instanceType: 't3.2xlarge' } }, productionInstanceTypeProblems('t3.2xlarge'), ['cockroach.instanceType']);
    expectReported({ cockroach: { sqlUsers: { hydra: 'root' } } }, sqlUserProblems({ ...DEFAULT_SQL_USERS, hydra: 'root' }), ['cockroach.sqlUsers.hydra']);
    expectReported({ cockroach: { certificates: { nodeValidityHours: 0 } } }, certificateValidityProblems({ nodeValidityHours: 0 }), ['cockroach.certificates.nodeValidityHours', 'cockroach.certificates.earlyRenewalHours'], {
      nodeValidityHours: 'cockroach.certificates.nodeValidityHours',
    });
    expectReported({ cockroach: { secretRecoveryWindowDays: 3 } }, secretRecoveryWindowProblems(3), ['cockroach.secretRecoveryWindowDays']);
    expectReported({ cockroach: { secretReaderArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] } }, secretReaderArnProblems(['arn:aws:sts::123456789012:assumed-role/Admin/me']), ['cockroach.secretReaderArns[0]']);
    expectReported({ cockroach: { operations: { assumableBy: ['arn:aws:iam::123456789012:user/*'] } } }, secretReaderArnProblems(['arn:aws:iam::123456789012:user/*'], 'operations.assumableBy'), ['cockroach.operations.assumableBy[0]']);
    expectReported({ cockroach: { adminCidrs: ['0.0.0.0/0'] } }, adminCidrProblems(['0.0.0.0/0']), ['cockroach.adminCidrs[0]']);
    expectReported({ cockroach: { licenseSecretArn: 'crl-0-abc' } }, licenseSecretArnProblems('crl-0-abc'), ['cockroach.licenseSecretArn']);
    expectReported({ namePrefix: 'X' }, namePrefixProblems('X'), ['namePrefix']);
    expectReported({ cockroach: { binarySha256: 'xyz' } }, cockroachReleaseProblems(DEFAULT_COCKROACH_VERSION, 'xyz'), ['cockroach.binarySha256']);
    expectReported({ cockroach: { drain: { initialWaitSeconds: 15 } } }, drainProblems({ ...DEFAULT_DRAIN_SETTINGS, initialWaitSeconds: 15 }), ['cockroach.drain.initialWaitSeconds']);
    // The schema no longer repeats the library's patterns: a malformed release reaches the library's rule.
    expect(deploymentConfig.safeParse({ ...DEFAULT_CONFIG, cockroach: { ...DEFAULT_CONFIG.cockroach, version: '25.4', binarySha256: 'xyz', licenseSecretArn: 'x' } }).success).toBe(true);
  });

  it('cockroach backups and alarms: schedule, bucket and thresholds', () => {
    expectReported({ cockroach: { backup: { incrementalCrontab: 'hourly' } } }, crontabProblems('x', 'hourly'), ['cockroach.backup.incrementalCrontab']);
    expectReported(
      { cockroach: { backup: { retentionDays: 0, objectLock: { mode: 'GOVERNANCE', days: 5 } } } },
      backupBucketProblems({ retentionDays: 0, noncurrentRetentionDays: 30, objectLock: { mode: 'GOVERNANCE', days: 5 } }),
      ['cockroach.backup.retentionDays', 'cockroach.backup.objectLock.days'],
    );
    expectReported({ monitoring: { dataVolumeFreeSpaceAlarmPercent: 100 } }, freeSpacePercentProblems('x', 100), ['monitoring.dataVolumeFreeSpaceAlarmPercent']);
    expectReported({ monitoring: { alarmSubscriptions: [{ protocol: 'sms', endpoint: '555' }] } }, alarmSubscriptionProblems([{ protocol: 'sms', endpoint: '555' }]), ['monitoring.alarmSubscriptions[0].endpoint']);
  });

  it('eks: the node group\'s sizes and root volume, the Kubernetes version', () => {
    const eks = DEFAULT_CONFIG.eks;
    expect(deploymentConfig.safeParse({ ...DEFAULT_CONFIG, eks: { ...eks, nodeRootVolumeSizeGiB: 8, nodeMaxSize: 451 } }).success).toBe(true);
    const group = { minSize: eks.nodeMinSize, desiredSize: eks.nodeDesiredSize, maxSize: eks.nodeMaxSize, rootVolumeSizeGiB: eks.nodeRootVolumeSizeGiB, httpPutResponseHopLimit: eks.nodeMetadataHopLimit };
    expectReported({ eks: { nodeRootVolumeSizeGiB: 8 } }, eksNodeGroupProblems({ ...group, rootVolumeSizeGiB: 8 }), ['eks.nodeRootVolumeSizeGiB']);
    expectReported({ eks: { nodeMaxSize: 451 } }, eksNodeGroupProblems({ ...group, maxSize: 451 }), ['eks.nodeMaxSize']);
    expectReported({ eks: { nodeMinSize: 3, nodeDesiredSize: 2 } }, eksNodeGroupProblems({ ...group, minSize: 3, desiredSize: 2 }), ['eks.nodeDesiredSize'], {
      'minSize <=': 'eks.nodeMinSize <=',
      '<= desiredSize <=': '<= eks.nodeDesiredSize <=',
      'maxSize and maxSize': 'eks.nodeMaxSize and eks.nodeMaxSize',
    });
    expectReported({ eks: { kubernetesVersion: '1.20' } }, eksKubernetesVersionProblems('1.20'), ['eks.kubernetesVersion']);
  });

  it('network: region and zones', () => {
    expectReported({ region: 'eu-west-9', availabilityZones: ['eu-west-9a', 'eu-west-9b', 'eu-west-9c'] }, placementProblems('eu-west-9', []), ['region']);
    expectReported({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1a'] }, placementProblems('us-east-1', ['us-east-1a', 'us-east-1b', 'us-east-1a']), ['availabilityZones[2]']);
  });

  it('network: the two VPCs\' blocks are disjoint, by the address-plan rule the multi-region mesh uses', () => {
    const oryVpc = { cidr: '10.10.128.0/17', publicSubnetCidrs: ['10.10.128.0/24', '10.10.129.0/24', '10.10.130.0/24'], privateSubnetCidrs: ['10.10.144.0/20', '10.10.160.0/20', '10.10.176.0/20'] };
    const plan = vpcCidrPlanProblems([
      { prop: 'cockroachVpc', region: 'us-east-1', role: 'cockroach', cidr: DEFAULT_CONFIG.network.cockroachVpc.cidr },
      { prop: 'oryVpc', region: 'us-east-1', role: 'ory', cidr: oryVpc.cidr },
    ]);
    expectReported({ network: { oryVpc } }, plan, ['network.oryVpc.cidr'], { cockroachVpc: 'network.cockroachVpc.cidr' });
  });

  it('ory: the pool and the replicas', () => {
    expect(deploymentConfig.safeParse({ ...DEFAULT_CONFIG, ory: { ...DEFAULT_CONFIG.ory, sql: { maxConns: 101, maxConnLifetimeSeconds: 9 } } }).success).toBe(true);
    expectReported({ ory: { sql: { maxConns: 101, maxConnLifetimeSeconds: 9 } } }, oryPoolProblems({ sqlMaxConns: 101, sqlMaxConnLifetimeSeconds: 9 }), ['ory.sql.maxConns', 'ory.sql.maxConnLifetimeSeconds']);
    expectReported({ ory: { keto: { replicas: 31 } } }, oryWorkloadProblems({ keto: { replicas: 31 } }), ['ory.keto.replicas']);
  });

  it('the defaults the app writes are its libraries\' exports', () => {
    const eks = DEFAULT_CONFIG.eks;
    expect([eks.nodeInstanceType, eks.nodeDesiredSize, eks.nodeMinSize, eks.nodeMaxSize, eks.nodeRootVolumeSizeGiB, eks.nodeMetadataHopLimit]).toEqual([
      EKS_NODE_GROUP_DEFAULTS.instanceType,
      EKS_NODE_GROUP_DEFAULTS.desiredSize,
      EKS_NODE_GROUP_DEFAULTS.minSize,
      EKS_NODE_GROUP_DEFAULTS.maxSize,
      EKS_NODE_GROUP_DEFAULTS.rootVolumeSizeGiB,
      EKS_NODE_GROUP_DEFAULTS.httpPutResponseHopLimit,
    ]);
    expect(eksNodeGroupProblems(EKS_NODE_GROUP_DEFAULTS)).toEqual([]);
    const ory = DEFAULT_CONFIG.ory;
    expect([ory.chartVersion, ory.chartRepository, ory.namespace, ory.loadBalancerControllerChartVersion, ory.keto.namespaces, ory.sql.maxConns]).toEqual([
      ORY_CHART_VERSION,
      ORY_CHART_REPOSITORY,
      DEFAULT_ORY_NAMESPACE,
      DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
      DEFAULT_KETO_NAMESPACES,
      DEFAULT_SQL_MAX_CONNS,
    ]);
    expect(oryPoolProblems({ sqlMaxConns: ory.sql.maxConns, sqlMaxConnLifetimeSeconds: ory.sql.maxConnLifetimeSeconds })).toEqual([]);
    expect([DEFAULT_CONFIG.network.natGateways, DEFAULT_CONFIG.namePrefix]).toEqual([DEFAULT_NAT_GATEWAY_MODE, DEFAULT_NAME_PREFIX]);
  });
});
