import { DEFAULT_DATA_VOLUME, DEFAULT_INSTANCE_TYPE, gp3VolumeProblems } from '@crdb-ory/cockroach';
import { DEFAULT_LOG_RETENTION_DAYS, logRetentionProblems } from '@crdb-ory/core';
import { WORKLOAD_DEFAULTS, ketoNamespaceProblems, oryMemoryProblems, oryPublicExposureProblems, oryUrlProblems } from '@crdb-ory/ory';
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
