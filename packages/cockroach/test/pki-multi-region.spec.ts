import { describe, expect, it } from 'vitest';
import { App, Testing } from 'cdktf';
import { Template } from '@crdb-ory/core/testing';
import { CockroachPkiStack } from '../src';
import { COMMON, Json, policyNamed, resolved, synthPki } from './synth';

// Multi-region certificates (issue 24): one CA in the primary region, every region's node
// certificates with that region's names, secrets replicated to the regions that read them.
const PRIMARY = { region: 'us-east-1', networkStackName: 'network-us-east-1', namePrefix: 'crdb-ory' };
const SECONDARY = { region: 'us-east-2', networkStackName: 'network-us-east-2', namePrefix: 'crdb-ory-use2' };
const REGIONS = [PRIMARY, SECONDARY, { region: 'us-west-2', networkStackName: 'network-us-west-2', namePrefix: 'crdb-ory-usw2' }];
const json = synthPki({ nodeRegions: REGIONS });
const t = Template.fromJSON(json);
const net = (region: string): string => `data.terraform_remote_state.remote-state-network-${region}.outputs`;
const keyOf = (region: string): string => `\${aws_kms_key.${region}-kms-key.arn}`;
const secret = (prefix: string): Json => t.only('aws_secretsmanager_secret', prefix).config;

describe('cockroach-pki stack across regions (nodeRegions)', () => {
  it('keeps one CA and issues every region\'s three nodes a certificate carrying that region\'s names and IPs', () => {
    expect(t.all('tls_self_signed_cert')).toHaveLength(1);
    expect(t.all('tls_locally_signed_cert')).toHaveLength(9 + 5);
    for (const { region } of REGIONS) {
      for (const i of [0, 1, 2]) {
        const request = t.only('tls_cert_request', `${region}-node-${i + 1}-cert_request_`).config;
        expect(request.dns_names).toEqual([`node-${i + 1}.\${${net(region)}.private_zone_name}`, `sql.\${${net(region)}.private_zone_name}`, 'localhost']);
        expect(request.ip_addresses).toEqual([`\${cidrhost(element(${net(region)}.cockroach_private_subnet_cidrs, ${i}), 10)}`, '127.0.0.1']);
        expect(t.only('tls_locally_signed_cert', `${region}-node-${i + 1}-cert_`).config.ca_private_key_pem).toBe(`\${${t.only('tls_private_key', 'ca_key').address}.private_key_pem}`);
      }
    }
    // Each region's network stack is read; the single-region `network` stack is not.
    expect(Object.keys(json.data.terraform_remote_state).sort()).toEqual(REGIONS.map((r) => `remote-state-network-${r.region}`));
  });

  it('names each region\'s node secrets by region, readable only by that region\'s node role, replicated into that region with its own KMS key', () => {
    expect(secret('us-east-1-node-1-secret_')).toMatchObject({ name: 'crdb-ory/cockroach/us-east-1/node-1', kms_key_id: '${aws_kms_key.kms-key.arn}' });
    expect(secret('us-east-1-node-1-secret_').replica).toBeUndefined();
    expect(secret('us-east-2-node-3-secret_')).toMatchObject({ name: 'crdb-ory/cockroach/us-east-2/node-3', kms_key_id: '${aws_kms_key.kms-key.arn}', replica: [{ region: 'us-east-2', kms_key_id: keyOf('us-east-2') }] });
    const deny = policyNamed(json, 'aws_secretsmanager_secret_policy', 'us-east-2-node-3-secret_policy_')[0];
    expect(deny?.Condition.ArnNotLike['aws:PrincipalArn'][0]).toBe('arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.caller.account_id}:role/crdb-ory-use2-cockroach-node-3');
  });

  it('replicates every client secret to every other region; root is readable by all nine node roles', () => {
    for (const user of ['root', 'hydra', 'kratos', 'keto', 'verifier']) {
      expect(secret(`client-${user}-secret_`).replica).toEqual([
        { region: 'us-east-2', kms_key_id: keyOf('us-east-2') },
        { region: 'us-west-2', kms_key_id: keyOf('us-west-2') },
      ]);
    }
    const readers = policyNamed(json, 'aws_secretsmanager_secret_policy', 'client-root-secret_policy_')[0]?.Condition.ArnNotLike['aws:PrincipalArn'] as string[];
    expect(readers.filter((arn) => arn.includes('-cockroach-node-')).map((arn) => arn.slice(arn.lastIndexOf('/') + 1))).toEqual(
      REGIONS.flatMap((r) => [1, 2, 3].map((n) => `${r.namePrefix}-cockroach-node-${n}`)),
    );
  });

  it('creates each replica region\'s key in that region (a provider for it), rotated, with the PKI alias there', () => {
    expect(json.provider.aws.map((p: Json) => [p.alias, p.region])).toEqual([[undefined, 'us-east-1'], ['us-east-2', 'us-east-2'], ['us-west-2', 'us-west-2']]);
    for (const region of ['us-east-2', 'us-west-2']) {
      expect(t.only('aws_kms_key', `${region}-kms-key`).config).toMatchObject({ provider: `aws.${region}`, enable_key_rotation: true, deletion_window_in_days: 30 });
      expect(t.only('aws_kms_alias', `${region}-kms-alias`).config).toMatchObject({ provider: `aws.${region}`, name: 'alias/crdb-ory-cockroach-pki' });
    }
  });

  it('publishes each region\'s outputs in that region under its namePrefix: the replicas\' ARNs there and that region\'s key', () => {
    const published = (region: string, output: string): Json => t.only('aws_ssm_parameter', `${region}-published_published-cockroach-pki-${output}_`).config;
    expect(published('us-east-2', 'node_secret_arns')).toMatchObject({
      name: '/crdb-ory-use2/cockroach-pki/node_secret_arns',
      provider: 'aws.us-east-2',
      insecure_value: `\${jsonencode([${[1, 2, 3].map((n) => `replace(${t.only('aws_secretsmanager_secret', `us-east-2-node-${n}-secret_`).address}.arn, ":secretsmanager:us-east-1:", ":secretsmanager:us-east-2:")`).join(', ')}])}`,
    });
    expect(published('us-west-2', 'kms_key_arn')).toMatchObject({ name: '/crdb-ory-usw2/cockroach-pki/kms_key_arn', insecure_value: `\${jsonencode(aws_kms_key.us-west-2-kms-key.arn)}` });
    // The primary region's outputs, as in a single region: its own nodes, the primary key.
    expect(t.only('aws_ssm_parameter', 'published-cockroach-pki-node_secret_arns').config.name).toBe('/crdb-ory/cockroach-pki/node_secret_arns');
    expect(json.output.node_secret_arns.value).toEqual([1, 2, 3].map((n) => `\${${t.only('aws_secretsmanager_secret', `us-east-1-node-${n}-secret_`).address}.arn}`));
  });

  it('grants a reader in a replica region the replica and that region\'s key, through Secrets Manager there', () => {
    const stack = new CockroachPkiStack(Testing.app(), { ...COMMON, nodeRegions: REGIONS });
    const [read, decrypt] = resolved(stack, stack.clientSecrets['hydra']?.grantRead('us-west-2')) as Json[];
    const hydra = Template.fromJSON(json).only('aws_secretsmanager_secret', 'client-hydra-secret_').address;
    expect(read?.Resource).toEqual([`\${replace(${hydra}.arn, ":secretsmanager:us-east-1:", ":secretsmanager:us-west-2:")}`]);
    expect(decrypt?.Resource).toEqual([keyOf('us-west-2')]);
    expect(decrypt?.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['secretsmanager.us-west-2.amazonaws.com'] } });
    expect((resolved(stack, stack.clientSecrets['hydra']?.grantRead('us-east-1')) as Json[]).map((s) => s.Resource)).toEqual([[`\${${hydra}.arn}`], ['${aws_kms_key.kms-key.arn}']]);
    expect(() => stack.nodeSecretsByRegion['us-east-1']?.[0]?.arnIn('us-east-2')).toThrow(/has no replica in us-east-2/);
  });

  it('refuses regions that cannot work, naming the setting', () => {
    const bad = (nodeRegions: typeof REGIONS): (() => App) => () => {
      const app = Testing.app();
      new CockroachPkiStack(app, { ...COMMON, nodeRegions });
      return app;
    };
    expect(bad(REGIONS.slice(1))).toThrow(/nodeRegions = \["us-east-2","us-west-2"\]: must list the primary region us-east-1/);
    expect(bad([PRIMARY, { ...SECONDARY, namePrefix: 'crdb-ory' }])).toThrow(/nodeRegions\[1\]\.namePrefix = "crdb-ory": is also another region's/);
    expect(bad([{ ...PRIMARY, namePrefix: 'other' }, SECONDARY])).toThrow(/nodeRegions\[0\]\.namePrefix = "other": must be this stack's namePrefix \(crdb-ory\)/);
    expect(bad([PRIMARY, { ...SECONDARY, networkStackName: 'network-us-east-1' }])).toThrow(/nodeRegions\[1\]\.networkStackName = "network-us-east-1": is also another region's/);
  });
});
