import { type AccountUniqueName, accountUniqueNames, unclassifiedResourceTypes } from '@crdb-ory/core';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stackJson, synthesizeTo, withOperatorAccess } from './helpers';

const ACCOUNT = '123456789012';

/** Every optional resource on: public exposure with a domain, alarm subscribers, Object Lock, an S3 backend... */
function everything(namePrefix: string): unknown {
  return withOperatorAccess({
    namePrefix,
    domain: 'example.com',
    publicAccessCidrs: ['203.0.113.0/24'],
    stateBackend: { type: 's3', bucket: `${namePrefix}-tfstate-${ACCOUNT}-us-east-1` },
    eks: { adminPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/admin`] },
    monitoring: { alarmSubscriptions: [{ protocol: 'email', endpoint: 'ops@example.com' }] },
    cockroach: {
      adminCidrs: ['10.98.0.0/16'],
      licenseSecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:license-AbCdEf`,
      secretReaderArns: [`arn:aws:iam::${ACCOUNT}:role/reader`],
      backup: { objectLock: { mode: 'GOVERNANCE', days: 30 } },
    },
    ory: { keto: { exposeReadApi: true } },
  });
}

function namesOf(config: unknown): Array<AccountUniqueName & { stack: string }> {
  const outdir = synthesizeTo(config);
  return readdirSync(join(outdir, 'stacks')).flatMap((stack) => accountUniqueNames(stackJson(outdir, stack)).map((name) => ({ ...name, stack })));
}

/** `<type> <name>` of every name AWS would refuse (or reuse) a second time in the same account and region. */
function keys(names: ReadonlyArray<AccountUniqueName>): Set<string> {
  return new Set(names.map((name) => `${name.type} ${name.name}`));
}

describe('two environments in one account and region', () => {
  for (const [label, config] of [
    ['the defaults', (prefix: string) => withOperatorAccess({ namePrefix: prefix })],
    ['every optional resource', everything],
  ] as const) {
    it(`share no account-unique name (${label}, prefixes crdb-ory and staging)`, () => {
      const production = namesOf(config('crdb-ory'));
      const staging = namesOf(config('staging'));
      const shared = [...keys(production)].filter((key) => keys(staging).has(key));
      expect(shared).toEqual([]);
      expect(staging.length).toBeGreaterThan(40);
      // Every name of the non-default prefix derives from it (the default prefix keeps the EKS cluster name `ory`).
      expect(staging.filter((name) => !name.name.includes('staging')).map((name) => `${name.address}.${name.attribute} = ${name.name}`)).toEqual([]);
    });
  }

  it('classifies every resource type the stacks synthesize (unique per account or not)', () => {
    const outdir = synthesizeTo(everything('crdb-ory'));
    const unclassified = readdirSync(join(outdir, 'stacks')).flatMap((stack) => unclassifiedResourceTypes(stackJson(outdir, stack)).map((type) => `${stack}: ${type}`));
    expect(unclassified).toEqual([]);
  });

  it('keeps the names an existing deployment with the default prefix has: EKS cluster ory, its log group and key alias', () => {
    const names = namesOf(withOperatorAccess({ namePrefix: 'crdb-ory' }));
    const eks = names.filter((name) => name.stack === 'eks').map((name) => name.name);
    expect(eks).toEqual(expect.arrayContaining(['ory', '/aws/eks/ory/cluster', 'alias/eks/ory-secrets']));
    const staging = namesOf(withOperatorAccess({ namePrefix: 'staging' })).filter((name) => name.stack === 'eks').map((name) => name.name);
    expect(staging).toEqual(expect.arrayContaining(['staging-ory', '/aws/eks/staging-ory/cluster', 'alias/eks/staging-ory-secrets']));
    const explicit = namesOf(withOperatorAccess({ namePrefix: 'staging', eks: { clusterName: 'ory' } })).filter((name) => name.stack === 'eks').map((name) => name.name);
    expect(explicit).toContain('ory');
  });

  it('covers the names issue 21 and 20 added, each from the prefix: the state key alias, the operations role, log group, key and documents, the published and read SSM parameters, the bootstrap status and Ory\'s presented certificates', () => {
    const staging = namesOf(everything('staging'));
    expect(staging.map((name) => `${name.stack} ${name.type} ${name.name}`)).toEqual(
      expect.arrayContaining([
        'state aws_kms_alias alias/staging-tfstate',
        'cockroach aws_iam_role staging-cockroach-operator',
        'cockroach aws_cloudwatch_log_group /staging/cockroach/operations',
        'cockroach aws_kms_alias alias/staging-cockroach-operations',
        'cockroach aws_ssm_document staging-cockroach-session',
        'cockroach aws_ssm_document staging-cockroach-port-forwarding',
        'cockroach aws_ssm_parameter /staging/cockroach/bootstrap-status',
        'cockroach-pki aws_ssm_parameter /staging/cockroach-pki/ca_certificate_pem',
        'ory aws_ssm_parameter /staging/ory/presented-certificates/hydra',
        'ory aws_ssm_parameter /staging/ory/presented-certificates/kratos',
        'ory aws_ssm_parameter /staging/ory/presented-certificates/keto',
      ]),
    );
    const outdir = synthesizeTo(everything('staging'));
    for (const stack of readdirSync(join(outdir, 'stacks'))) {
      const json = stackJson(outdir, stack) as { data?: Record<string, Record<string, { name?: unknown }>>; terraform?: { backend?: { s3?: { kms_key_id?: unknown } } } };
      // What a stack reads back (another stack's published outputs) is under the same prefix; AWS's own public parameters (/aws/service/...)
      // are not the environment's, and a name taken from an upstream output (`${...}`) is that stack's, checked above.
      const reads = Object.values(json.data?.['aws_ssm_parameter'] ?? {}).map((read) => String(read.name)).filter((name) => !name.startsWith('/aws/service/') && !name.startsWith('${'));
      expect(reads.filter((name) => !name.startsWith('/staging/')), stack).toEqual([]);
      const stateKey = json.terraform?.backend?.s3?.kms_key_id;
      if (stateKey !== undefined) expect(stateKey, stack).toBe('alias/staging-tfstate');
    }
  });
});
