import { readDatabaseRegionsRecord } from '@crdb-ory/cockroach/multi-region';
import { readCdktfManifest } from '@crdb-ory/core';
import { CostQuantity, costTableProblems, readCostTable } from '@crdb-ory/deployment';
import { migrationWaitContainerName } from '@crdb-ory/ory';
import { COCKROACH_PORTS_INTERNAL, CRDB_ORY_PACK, StackDocument, evaluatePack } from '@crdb-ory/policy';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMultiRegionConfig } from '../src/config';
import { databaseRegionsOf, multiRegionPolicyContext, synthesizeMultiRegion } from '../src/synthesize';
import { regionOf, unpublishedParameters, unresolvedRemoteStates } from './stack-graph';

// One synthesis of the defaults for the whole file, through the policy gate, as `npm run synth:multi-region` does.
const config = resolveMultiRegionConfig(undefined);
const outdir = join(mkdtempSync(join(tmpdir(), 'crdb-ory-multi-region-')), 'cdktf.out');
const result = synthesizeMultiRegion(config, outdir);
const manifest = readCdktfManifest(outdir);
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];
const OTHERS = ['us-east-2', 'us-west-2'];

function stack(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(outdir, manifest.stacks[name]?.synthesizedStackPath ?? `missing-${name}`), 'utf8'));
}

function resources(name: string, type: string): Array<Record<string, any>> {
  return Object.values(stack(name)['resource']?.[type] ?? {});
}

/** Every secret-bearing argument (`secret_string*`, `*password*`, `*private_key*`, a Kubernetes Secret's `data`) whose value is a literal: no reference at all (a DSN names its host by reference and holds no password: certificate authentication). */
function literalSecrets(json: unknown, path = ''): string[] {
  if (Array.isArray(json)) return json.flatMap((item, i) => literalSecrets(item, `${path}[${i}]`));
  if (json === null || typeof json !== 'object') return [];
  return Object.entries(json as Record<string, unknown>).flatMap(([key, value]) => {
    const at = `${path}.${key}`;
    const secretBearing = /secret_string|password|private_key/i.test(key) || /kubernetes_secret_v1\.[^.]+\.data$/.test(at.replace(/^\.resource\./, ''));
    const literal = (v: unknown) => typeof v === 'string' && !v.includes('${');
    if (secretBearing && literal(value)) return [at];
    if (secretBearing && value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value as Record<string, unknown>).filter(([, v]) => literal(v)).map(([k]) => `${at}.${k}`);
    return literalSecrets(value, at);
  });
}

function dependencies(name: string): string[] {
  return [...(manifest.stacks[name]?.dependencies ?? [])].sort();
}

describe('the multi-region app\'s synthesis', () => {
  it('produces the global stacks and every region\'s stacks, the backup stacks in the primary and the secondary region only, no public DNS stack without a domain', () => {
    expect(result.stacks.map((s) => s.name).sort()).toEqual(
      ['state', 'cockroach-pki', 'inter-region', 'ory-shared-secrets', 'cockroach-backup-us-east-1', 'cockroach-backup-us-east-2', ...REGIONS.flatMap((r) => [`network-${r}`, `cockroach-${r}`, `eks-${r}`, `ory-${r}`])].sort(),
    );
  });

  it('puts each region\'s stacks in that region, and the global ones in the primary region', () => {
    for (const region of REGIONS) for (const kind of ['network', 'cockroach', 'eks']) expect(stack(`${kind}-${region}`)['provider']['aws'][0].region, `${kind}-${region}`).toBe(region);
    for (const name of ['state', 'cockroach-pki', 'inter-region', 'cockroach-backup-us-east-1', 'ory-shared-secrets']) expect(stack(name)['provider']['aws'][0].region, name).toBe('us-east-1');
    expect(stack('cockroach-backup-us-east-2')['provider']['aws'][0].region).toBe('us-east-2');
    for (const region of REGIONS) expect(stack(`ory-${region}`)['provider']['aws'][0].region, `ory-${region}`).toBe(region);
  });

  it('declares the dependencies of exactly each stack\'s reads, plus the order the other regions\' nodes join in', () => {
    expect(dependencies('inter-region')).toEqual(REGIONS.map((r) => `network-${r}`));
    // The PKI reads every region's network (each region's node certificates carry its names and IPs).
    expect(dependencies('cockroach-pki')).toEqual(REGIONS.map((r) => `network-${r}`));
    expect(dependencies('cockroach-backup-us-east-1')).toEqual(['cockroach-backup-us-east-2', 'network-us-east-1']);
    expect(dependencies('cockroach-backup-us-east-2')).toEqual([]);
    expect(dependencies('ory-shared-secrets')).toEqual([]);
    expect(dependencies('cockroach-us-east-1')).toEqual(['cockroach-backup-us-east-1', 'cockroach-pki', 'network-us-east-1']);
    for (const region of OTHERS) {
      expect(dependencies(`cockroach-${region}`)).toEqual(['cockroach-backup-us-east-1', 'cockroach-backup-us-east-2', 'cockroach-pki', 'cockroach-us-east-1', 'inter-region', `network-${region}`]);
    }
    for (const region of REGIONS) {
      expect(dependencies(`eks-${region}`)).toEqual([`network-${region}`]);
      expect(dependencies(`ory-${region}`)).toEqual(['cockroach-pki', `cockroach-${region}`, `eks-${region}`, `network-${region}`, 'ory-shared-secrets', ...(region === 'us-east-1' ? [] : ['ory-us-east-1'])].sort());
      expect(dependencies(`network-${region}`)).toEqual([]);
    }
  });

  it('reads each region\'s network, cockroach and eks state under that region\'s stack names', () => {
    const reads = (name: string) => Object.keys(stack(name)['data']?.['terraform_remote_state'] ?? {}).sort();
    expect(reads('ory-us-west-2')).toEqual(['remote-state-cockroach-us-west-2', 'remote-state-eks-us-west-2', 'remote-state-network-us-west-2']);
    expect(reads('cockroach-us-east-2')).toEqual(['remote-state-cockroach-backup-us-east-1', 'remote-state-cockroach-backup-us-east-2', 'remote-state-network-us-east-2']);
  });

  it('peers the three CockroachDB VPCs in a full mesh from the global stack, each side in its own region', () => {
    const connections = resources('inter-region', 'aws_vpc_peering_connection').map((c) => [c['provider'], c['peer_region']]);
    expect(connections).toEqual([
      ['aws.us-east-1', 'us-east-2'],
      ['aws.us-east-1', 'us-west-2'],
      ['aws.us-east-2', 'us-west-2'],
    ]);
    expect(resources('inter-region', 'aws_route')).toHaveLength(3 * 2 * 3);
  });

  it('starts every node with one join list that spans the regions, more than one node of each, and the multi-region --max-offset', () => {
    for (const region of REGIONS) {
      // Each node's boot script is a local of its stack (the instance's user_data_base64 gzips it).
      const userData = Object.values(stack(`cockroach-${region}`)['locals'] as Record<string, unknown>).map(String).filter((text) => text.includes('JOIN_ADDRESSES='));
      expect(userData).toHaveLength(3);
      for (const script of userData) {
        const join = /JOIN_ADDRESSES='([^']*)'/.exec(script)?.[1] ?? '';
        for (const [i, subnet] of ['10.10.10.0/24', '10.11.10.0/24', '10.12.10.0/24', '10.10.11.0/24', '10.11.12.0/24'].entries()) expect(join, `${region} join ${i}`).toContain(`"${subnet}"`);
        expect(join.split(',').filter((address) => address.includes(':26257'))).toHaveLength(9);
        expect(script).toMatch(/MAX_OFFSET='250ms'/);
      }
    }
  });

  it('opens 26257 on each region\'s nodes by CIDR from the other regions\' CockroachDB VPCs only (ingress and egress), never by security group', () => {
    const cidrs: Record<string, string> = { 'us-east-1': '10.10.0.0/16', 'us-east-2': '10.11.0.0/16', 'us-west-2': '10.12.0.0/16' };
    for (const region of REGIONS) {
      for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
        const crossRegion = resources(`cockroach-${region}`, type).filter((r) => /inter-region peering/.test(String(r['description'])));
        expect(crossRegion.map((r) => [r['cidr_ipv4'], r['from_port'], r['to_port'], r['ip_protocol']]).sort()).toEqual(
          REGIONS.filter((r) => r !== region).map((r) => [cidrs[r], 26257, 26257, 'tcp']).sort(),
        );
        for (const rule of crossRegion) {
          expect(rule['referenced_security_group_id']).toBeUndefined();
          expect(rule['security_group_id']).toMatch(/aws_security_group\.security-groups_nodes_/);
        }
      }
    }
  });

  it('passes the policy gate on every stack, with every region\'s VPCs declared (and fails closed without them)', () => {
    expect(result.policy.flatMap((report) => report.findings.filter((f) => f.severity === 'error'))).toEqual([]);
    const context = multiRegionPolicyContext(config);
    const document = new StackDocument('cockroach-us-east-2', stack('cockroach-us-east-2') as never);
    expect(evaluatePack(document, CRDB_ORY_PACK, context).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const undeclared = evaluatePack(document, CRDB_ORY_PACK, { ...context, vpcs: context.vpcs.filter((vpc) => vpc.cidr !== '10.10.0.0/16') });
    expect(undeclared.findings.map((f) => f.ruleId)).toContain(COCKROACH_PORTS_INTERNAL.id);
  });

  it('names the other regions\' IAM roles apart from the primary region\'s (IAM names are per account, not per region)', () => {
    const roleNames = REGIONS.flatMap((region) => [...resources(`cockroach-${region}`, 'aws_iam_role'), ...resources(`eks-${region}`, 'aws_iam_role')].map((r) => String(r['name'])));
    expect(new Set(roleNames).size).toBe(roleNames.length);
  });

  it('records the regions the Ory databases should have next to the stacks, primary then secondary, for `npm run regions`', () => {
    expect(readDatabaseRegionsRecord(outdir)).toEqual(REGIONS);
    const reordered = { ...config, regions: [...config.regions].reverse(), secondaryRegion: 'us-west-2' };
    expect(databaseRegionsOf(reordered)).toEqual(['us-east-1', 'us-west-2', 'us-east-2']);
  });
});

describe('the multi-region app\'s private names', () => {
  it('gives each region a zone of its own name, which ignores its in-line VPC list (others are associated from the global stack)', () => {
    const zones = REGIONS.map((region) => resources(`network-${region}`, 'aws_route53_zone')[0]);
    expect(zones.map((zone) => zone?.['name'])).toEqual(['crdb-ory.internal', 'us-east-2.crdb-ory.internal', 'us-west-2.crdb-ory.internal']);
    for (const zone of zones) expect(zone?.['lifecycle']).toEqual({ ignore_changes: ['vpc'] });
  });

  it('associates every region\'s zone with both VPCs of every other region, each with its VPC\'s region', () => {
    const associations = resources('inter-region', 'aws_route53_zone_association').map((a) => [/remote-state-(network-[a-z0-9-]+)\.outputs\.private_zone_id/.exec(a['zone_id'])?.[1], a['vpc_region'], /outputs\.(cockroach|ory)_vpc_id/.exec(a['vpc_id'])?.[1], /remote-state-network-([a-z0-9-]+)\.outputs/.exec(a['vpc_id'])?.[1]]);
    expect(associations.sort()).toEqual(
      REGIONS.flatMap((zone) => REGIONS.filter((r) => r !== zone).flatMap((vpc) => ['cockroach', 'ory'].map((name) => [`network-${zone}`, vpc, name, vpc]))).sort(),
    );
  });
});

describe('the multi-region app\'s stack graph', () => {
  const all = Object.fromEntries(Object.keys(manifest.stacks).map((name) => [name, stack(name)]));

  it('reads every remote state from a stack of this app, in the same state backend', () => {
    expect(Object.values(all).some((json) => json['data']?.['terraform_remote_state'])).toBe(true);
    expect(unresolvedRemoteStates(all)).toEqual([]);
  });

  it('reads every SSM parameter some stack of this app publishes in the reader\'s region', () => {
    expect(Object.values(all).some((json) => Object.values(json['data']?.['aws_ssm_parameter'] ?? {}).some((p: any) => !String(p.name).startsWith('/aws/')))).toBe(true);
    expect(unpublishedParameters(all)).toEqual([]);
  });

  it('catches a read of a stack that is not there, and of a parameter published in another region only', () => {
    const withoutReplica = Object.fromEntries(Object.entries(all).filter(([name]) => name !== 'cockroach-backup-us-east-2'));
    expect(unresolvedRemoteStates(withoutReplica)).toEqual([expect.stringMatching(/^cockroach-backup-us-east-1: remote-state-cockroach-backup-us-east-2 /), expect.stringMatching(/^cockroach-us-east-2: /), expect.stringMatching(/^cockroach-us-west-2: /)]);
    const pki = all['cockroach-pki'] as Record<string, any>;
    const primaryOnly = { ...pki, resource: { ...pki['resource'], aws_ssm_parameter: Object.fromEntries(Object.entries(pki['resource']['aws_ssm_parameter']).filter(([, p]: [string, any]) => p.provider === undefined)) } };
    expect(unpublishedParameters({ ...all, 'cockroach-pki': primaryOnly })).toEqual(expect.arrayContaining([expect.stringMatching(/^cockroach-us-east-2: reads us-east-2 \/crdb-ory-us-east-2\/cockroach-pki\//), expect.stringMatching(/^ory-us-west-2: reads us-west-2 /)]));
  });
});

describe('the multi-region app\'s PKI', () => {
  it('issues three node certificates per region and publishes its parameters in every region, under that region\'s name prefix', () => {
    const pki = stack('cockroach-pki');
    const prefixes: Record<string, string> = { 'us-east-1': 'crdb-ory', 'us-east-2': 'crdb-ory-us-east-2', 'us-west-2': 'crdb-ory-us-west-2' };
    const parameters = Object.values(pki['resource']['aws_ssm_parameter'] as Record<string, any>).map((p) => [regionOf(pki, p), p.name]);
    for (const region of REGIONS) expect(parameters.filter(([r, name]) => r === region && String(name).startsWith(`/${prefixes[region]}/cockroach-pki/`)), region).toHaveLength(8);
    expect(resources('cockroach-pki', 'tls_locally_signed_cert').filter((c) => (c['allowed_uses'] as string[]).includes('server_auth'))).toHaveLength(9);
  });
});

describe('the multi-region app\'s Ory', () => {
  it('shares one set of Ory secrets, replicated to every other Ory region, and reads it in each region by name', () => {
    const [secret] = resources('ory-shared-secrets', 'aws_secretsmanager_secret');
    expect((secret?.['replica'] as Array<{ region: string }>).map((r) => r.region).sort()).toEqual(OTHERS);
    for (const region of REGIONS) {
      const reads = Object.values(stack(`ory-${region}`)['data']['aws_secretsmanager_secret_version'] as Record<string, any>).map((r) => r.secret_id);
      expect(reads, region).toContain(secret?.['name']);
      expect(stack(`ory-${region}`)['resource']['random_password'], region).toBeUndefined();
    }
  });

  it('writes no secret value into any synthesized stack (write-only shared secrets, no private key, no generated password)', () => {
    const [version] = resources('ory-shared-secrets', 'aws_secretsmanager_secret_version');
    expect(version?.['secret_string']).toBeUndefined();
    expect(String(version?.['secret_string_wo'])).toMatch(/ephemeral\.aws_secretsmanager_random_password\./);
    // The check itself finds a literal.
    expect(literalSecrets({ resource: { aws_secretsmanager_secret_version: { v: { secret_string: 'hunter2' } }, kubernetes_secret_v1: { k: { data: { dsn: 'x', key: '${a.b}' } } } } })).toEqual(['.resource.aws_secretsmanager_secret_version.v.secret_string', '.resource.kubernetes_secret_v1.k.data.dsn']);
    for (const name of Object.keys(manifest.stacks)) {
      const text = JSON.stringify(stack(name));
      expect(text, name).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
      expect(literalSecrets(stack(name)), name).toEqual([]);
      expect(Object.keys(stack(name)['resource']?.['random_password'] ?? {}), name).toEqual([]);
    }
  });

  it('runs Ory\'s migrations in the primary region only; every other region\'s pods wait for them', () => {
    for (const region of REGIONS) {
      for (const service of ['hydra', 'kratos', 'keto'] as const) {
        const values = (stack(`ory-${region}`)['resource']['helm_release'][service]['values'] as string[]).join('\n');
        const migrates = /automigration:\s*\n\s*enabled: (true|false)/.exec(values)?.[1];
        expect(migrates, `${region} ${service}`).toBe(region === 'us-east-1' ? 'true' : 'false');
        expect(values.includes(migrationWaitContainerName(service)), `${region} ${service}`).toBe(region !== 'us-east-1');
      }
    }
  });

  it('leaves the public names to the public DNS stack: no region writes records of its own', () => {
    for (const region of REGIONS) expect(Object.keys(stack(`ory-${region}`)['resource']['aws_route53_record'] ?? {}), region).toEqual([]);
  });
});

describe('the multi-region app\'s backups', () => {
  it('replicates the primary region\'s bucket to the secondary region\'s backup stack', () => {
    const [replication] = resources('cockroach-backup-us-east-1', 'aws_s3_bucket_replication_configuration');
    const rule = (replication?.['rule'] as Array<Record<string, any>>)[0];
    expect(rule?.['destination'][0]?.['bucket'] ?? rule?.['destination']?.['bucket']).toBe('${data.terraform_remote_state.remote-state-cockroach-backup-us-east-2.outputs.bucket_arn}');
    expect(resources('cockroach-backup-us-east-2', 'aws_s3_bucket')).toHaveLength(1);
    // The replica has no schedule of its own to watch.
    expect(resources('cockroach-backup-us-east-2', 'aws_cloudwatch_metric_alarm')).toEqual([]);
  });

  it('points every region\'s backup schedule at the primary region\'s bucket in its region, with the key usable through S3 there', () => {
    for (const region of REGIONS) {
      const text = JSON.stringify(stack(`cockroach-${region}`));
      expect(text, region).toMatch(/AWS_REGION=us-east-1/);
      expect(text, region).not.toMatch(/AWS_REGION=us-(east-2|west-2)/);
      const writes = resources(`cockroach-${region}`, 'aws_iam_role_policy').filter((p) => p['name'] === 'write-backups');
      expect(writes, region).toHaveLength(3);
      for (const policy of writes) expect(String(policy['policy']), region).toContain('s3.us-east-1.amazonaws.com');
    }
  });

  it('lets the surviving regions\' nodes read the replica (bucket and key, in its region), never write it', () => {
    expect(resources('cockroach-us-east-1', 'aws_iam_role_policy').filter((p) => p['name'] === 'read-backup-replica')).toEqual([]);
    for (const region of OTHERS) {
      const reads = resources(`cockroach-${region}`, 'aws_iam_role_policy').filter((p) => p['name'] === 'read-backup-replica');
      expect(reads, region).toHaveLength(3);
      for (const policy of reads) {
        const text = String(policy['policy']);
        expect(text).toContain('remote-state-cockroach-backup-us-east-2.outputs.bucket_arn');
        expect(text).toContain('s3.us-east-2.amazonaws.com');
        expect(text).not.toMatch(/s3:PutObject|s3:DeleteObject|kms:GenerateDataKey/);
      }
    }
  });
});

describe('docs/multi-region.md\'s monthly cost of the defaults', () => {
  /** What each row counts in the synthesized defaults (tools/deployment/src/cost-table.ts). */
  const QUANTITY: Readonly<Record<string, CostQuantity>> = {
    'NAT gateway hours': 'natGatewayHours',
    'Public IPv4 addresses (the NAT gateways\' Elastic IPs)': 'publicIpv4Addresses',
    'Interface endpoint hours (per endpoint per AZ)': 'interfaceEndpointHours',
    'S3 gateway endpoints': 'gatewayEndpoints',
    'Network Load Balancer hours (CockroachDB SQL, one per region)': 'networkLoadBalancerHours',
    'EC2 m6i.2xlarge (CockroachDB nodes)': 'cockroachNodeHours',
    'EC2 m5.xlarge (EKS nodes, desired size)': 'eksNodeHours',
    'EBS gp3 storage, GB (data 9 × 500, roots 9 × 20 and 9 × 50)': 'gp3StorageGb',
    'EBS gp3 IOPS above 3,000 (9 data volumes × 3,000)': 'gp3IopsAbove3000',
    'EBS gp3 throughput above 125 MiB/s (9 data volumes × 125)': 'gp3ThroughputAbove125',
    'EKS control plane hours (standard support)': 'eksControlPlaneHours',
    'KMS customer managed keys': 'kmsKeys',
    'Secrets Manager secrets': 'secrets',
    'Secrets Manager replica secrets (each billed as a secret)': 'secretReplicas',
    'CloudWatch standard alarms': 'alarms',
    'CloudWatch dashboards': 'dashboards',
    'Route 53 hosted zones (private)': 'hostedZones',
  };
  const everyResource = (type: string) => Object.keys(manifest.stacks).flatMap((name) => resources(name, type));

  it('counts every line item as the synthesized stacks hold it, multiplies each row out and adds them up', () => {
    const table = readCostTable(readFileSync(join(__dirname, '../../../docs/multi-region.md'), 'utf8'), '## What the defaults cost per month');
    expect(table.rows.length).toBe(Object.keys(QUANTITY).length);
    expect(costTableProblems(table, QUANTITY, everyResource)).toEqual([]);
  });

  it('finds a quantity the stacks do not hold, a row not multiplied out and a wrong total', () => {
    const table = readCostTable(readFileSync(join(__dirname, '../../../docs/multi-region.md'), 'utf8'), '## What the defaults cost per month');
    const rows = table.rows.map((row) => (row.item === 'NAT gateway hours' ? { ...row, quantity: row.quantity - 1 } : row));
    expect(costTableProblems({ rows, total: table.total + 1 }, QUANTITY, everyResource)).toEqual([
      '"NAT gateway hours": the table says 11, the synthesized stacks hold 12',
      '"NAT gateway hours": 11 × 730 × 0.045 is 361.35, not 394.2',
      'the rows add up to 5456.80, not 5457.8',
    ]);
  });
});
