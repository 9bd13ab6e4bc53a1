import { type CdktfManifest, localStatePath, parsePublishedParameterName, readCdktfManifest, s3StateKey, type S3StateBackendConfig } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ACCESS, stackJson, synthesizeTo } from './helpers';

function manifestOf(outdir: string): CdktfManifest {
  return readCdktfManifest(outdir);
}

/**
 * The upstream stacks a synthesized stack reads, from its JSON alone: every
 * `terraform_remote_state` (matched to a stack by its state path or key), every SSM parameter
 * another stack publishes (`/<prefix>/<stack>/<output>`), and the stack that creates the bucket
 * of its S3 backend.
 */
function upstreamReadsOf(outdir: string, stack: string, stackNames: readonly string[]): string[] {
  const json = stackJson(outdir, stack);
  const reads = Object.values<any>(json.data?.terraform_remote_state ?? {}).map((read) => {
    const name =
      read.backend === 'local'
        ? stackNames.find((candidate) => localStatePath(candidate) === read.config.path)
        : stackNames.find((candidate) => s3StateKey({ keyPrefix: read.config.key.replace(/\/[^/]*$/, '') } as S3StateBackendConfig, candidate) === read.config.key);
    if (!name) throw new Error(`${stack} reads remote state ${JSON.stringify(read.config)}, which is no stack of the app`);
    return name;
  });
  // The SSM parameters an upstream stack publishes (core's ssm-parameters channel): `/<prefix>/<stack>/<output>`, written by that stack.
  const published = Object.values<any>(json.data?.aws_ssm_parameter ?? {}).flatMap((read) => {
    const name = parsePublishedParameterName(String(read.name))?.stackName;
    return name && stackNames.includes(name) ? [name] : [];
  });
  reads.push(...published);
  const backendBucket = json.terraform?.backend?.s3?.bucket;
  const bucketStack = backendBucket
    ? stackNames.find((candidate) => Object.values<any>(stackJson(outdir, candidate).resource?.aws_s3_bucket ?? {}).some((bucket) => bucket.bucket === backendBucket))
    : undefined;
  return [...new Set([...(bucketStack ? [bucketStack] : []), ...reads])].sort();
}

const CONFIGS: Record<string, unknown> = {
  defaults: undefined,
  's3 backend': { stateBackend: { type: 's3', bucket: 'acme-tfstate', keyPrefix: 'idp/prod' }, eks: OPERATOR_ACCESS },
  'backups off': { cockroach: { backup: { enabled: false, disabledReason: 'a test environment' } }, eks: OPERATOR_ACCESS },
};

describe('the stack graph in manifest.json', () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    it(`declares exactly each stack's upstream reads (${name})`, () => {
      const outdir = synthesizeTo(config);
      const { stacks } = manifestOf(outdir);
      const names = Object.keys(stacks);
      const declared = Object.fromEntries(names.map((stack) => [stack, [...(stacks[stack]?.dependencies ?? [])].sort()]));
      const read = Object.fromEntries(names.map((stack) => [stack, upstreamReadsOf(outdir, stack, names)]));
      expect(declared).toEqual(read);
      expect(Object.values(declared).some((deps) => deps.length > 0)).toBe(true);
    });
  }

  it('is the deploy order of the design: network after state, then cockroach-pki, cockroach-backup and eks, then cockroach, then ory', () => {
    const { stacks } = manifestOf(synthesizeTo(CONFIGS['s3 backend']));
    expect(Object.fromEntries(Object.entries(stacks).map(([stack, { dependencies }]) => [stack, [...dependencies].sort()]))).toEqual({
      state: [],
      network: ['state'],
      'cockroach-pki': ['network', 'state'],
      'cockroach-backup': ['network', 'state'],
      eks: ['network', 'state'],
      cockroach: ['cockroach-backup', 'cockroach-pki', 'network', 'state'],
      ory: ['cockroach', 'cockroach-pki', 'eks', 'network', 'state'],
    });
  });
});
