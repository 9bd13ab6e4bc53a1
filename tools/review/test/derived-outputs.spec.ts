import { defineOutputsContract, type SynthesizedStackJson } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { arnOf, awsLocationOf, deriveUpstreamValues, relocate, upstreamInputs } from '../src';

describe('AWS values of a stack\'s location', () => {
  it('reads the region from the aws provider and derives the partition', () => {
    expect(awsLocationOf({ provider: { aws: [{ region: 'eu-west-1' }] } })).toEqual({ region: 'eu-west-1', partition: 'aws' });
    expect(awsLocationOf({ provider: { aws: [{ region: 'cn-north-1' }] } })).toEqual({ region: 'cn-north-1', partition: 'aws-cn' });
    expect(awsLocationOf({ provider: { aws: [{ region: 'us-gov-west-1' }] } }).partition).toBe('aws-us-gov');
    expect(awsLocationOf(undefined)).toEqual({ region: 'us-east-1', partition: 'aws' });
  });

  it('moves an example to another region and partition', () => {
    expect(relocate('arn:aws:eks:us-east-1:123456789012:cluster/ory', { region: 'cn-north-1', partition: 'aws-cn' })).toBe('arn:aws-cn:eks:cn-north-1:123456789012:cluster/ory');
    expect(relocate(['https://x.gr7.us-east-1.eks.amazonaws.com'], { region: 'eu-west-1', partition: 'aws' })).toEqual(['https://x.gr7.eu-west-1.eks.amazonaws.com']);
  });

  it('builds the ARNs AWS gives named resources', () => {
    const where = { region: 'eu-west-1', partition: 'aws' };
    expect(arnOf('aws_eks_cluster', { name: 'idp' }, where)).toBe('arn:aws:eks:eu-west-1:123456789012:cluster/idp');
    expect(arnOf('aws_iam_role', { name: 'r' }, where)).toBe('arn:aws:iam::123456789012:role/r');
    expect(arnOf('aws_lb', { name: 'sql', load_balancer_type: 'network' }, where)).toBe('arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/sql/0a1b2c3d4e5f6000');
    expect(arnOf('aws_kms_key', {}, where)).toBeUndefined();
  });
});

const NET = defineOutputsContract('net', {
  zoneName: { type: 'string', description: 'zone', example: 'crdb-ory.internal' },
  clusterName: { type: 'string', description: 'cluster', example: 'ory' },
  vpcId: { type: 'string', description: 'vpc', example: 'vpc-0example' },
  subnetCidrs: { type: 'list', description: 'cidrs', example: ['10.10.10.0/24'] },
});
const DB = defineOutputsContract('db', {
  sqlHost: { type: 'string', description: 'host', example: 'sql.crdb-ory.internal' },
  nodeIps: { type: 'list', description: 'ips', example: ['10.10.10.10'] },
  clusterArn: { type: 'string', description: 'arn', example: 'arn:aws:eks:us-east-1:123456789012:cluster/ory' },
  endpoint: { type: 'string', description: 'computed', example: 'https://x.us-east-1.example' },
});
const net: SynthesizedStackJson = {
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: { aws_route53_zone: { z: { name: 'db.acme.internal' } }, aws_subnet: { a: { cidr_block: '10.30.10.0/24' } }, aws_vpc: { v: {} } },
  output: {
    zone_name: { value: '${aws_route53_zone.z.name}' },
    cluster_name: { value: 'idp' },
    vpc_id: { value: '${aws_vpc.v.id}' },
    subnet_cidrs: { value: ['${aws_subnet.a.cidr_block}'] },
  },
};
const db: SynthesizedStackJson = {
  provider: { aws: [{ region: 'eu-west-1' }] },
  data: { terraform_remote_state: { 'remote-state-net': { backend: 'local', config: { path: 'net.tfstate' } } } },
  resource: { aws_eks_cluster: { c: { name: '${data.terraform_remote_state.remote-state-net.outputs.cluster_name}' } } },
  output: {
    sql_host: { value: 'sql.${data.terraform_remote_state.remote-state-net.outputs.zone_name}' },
    node_ips: { value: ['${cidrhost(element(data.terraform_remote_state.remote-state-net.outputs.subnet_cidrs, 0), 10)}'] },
    cluster_arn: { value: '${aws_eks_cluster.c.arn}' },
    endpoint: { value: '${aws_eks_cluster.c.endpoint}' },
  },
};

describe('deriveUpstreamValues: what each stack will publish', () => {
  const values = deriveUpstreamValues(new Map([['net', net], ['db', db]]), [NET, DB]);

  it('derives what the configuration determines, through resources and other stacks\' outputs', () => {
    expect(values.get('net')).toEqual({
      zone_name: { value: 'db.acme.internal', origin: 'derived' },
      cluster_name: { value: 'idp', origin: 'derived' },
      vpc_id: { value: 'vpc-0example', origin: 'example' },
      subnet_cidrs: { value: ['10.30.10.0/24'], origin: 'derived' },
    });
    expect(values.get('db')).toEqual({
      sql_host: { value: 'sql.db.acme.internal', origin: 'derived' },
      node_ips: { value: ['10.30.10.10'], origin: 'derived' },
      cluster_arn: { value: 'arn:aws:eks:eu-west-1:123456789012:cluster/idp', origin: 'derived' },
      endpoint: { value: 'https://x.eu-west-1.example', origin: 'example' },
    });
  });

  it('mocks a downstream stack\'s remote state with them', () => {
    const [input] = upstreamInputs(db, [NET], values);
    expect(input?.outputs).toEqual({ zone_name: 'db.acme.internal', cluster_name: 'idp', vpc_id: 'vpc-0example', subnet_cidrs: ['10.30.10.0/24'] });
    expect(input?.derived).toEqual(['zone_name', 'cluster_name', 'subnet_cidrs']);
  });

  it("evaluates through core's one expression parser: a legacy `.0` index and a `%%{` escape derive a value, not the example", () => {
    const first = { ...db, output: { ...db.output, sql_host: { value: '${cidrhost(data.terraform_remote_state.remote-state-net.outputs.subnet_cidrs.0, 5)}' }, endpoint: { value: '100%%{x}' } } };
    const derived = deriveUpstreamValues(new Map([['net', net], ['db', first]]), [NET, DB]).get('db');
    expect(derived?.['sql_host']).toEqual({ value: '10.30.10.5', origin: 'derived' });
    expect(derived?.['endpoint']).toEqual({ value: '100%{x}', origin: 'derived' });
  });

  it('falls back to the contract examples in the reading stack\'s region when the upstream is not synthesized', () => {
    const [input] = upstreamInputs({ ...db, provider: { aws: [{ region: 'ap-south-1' }] } }, [NET]);
    expect(input?.outputs['zone_name']).toBe('crdb-ory.internal');
    expect(input?.derived).toEqual([]);
  });
});

describe('outputs published as SSM parameters', () => {
  const PUBLISHER = defineOutputsContract('keys', { secretArn: { type: 'string', description: 'A secret.', example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf' }, port: { type: 'number', description: 'A port.', example: 26257 } }, { channel: 'ssm-parameters' });
  const keys: SynthesizedStackJson = { provider: { aws: [{ region: 'eu-west-1' }] }, output: { secret_arn: { value: '${aws_secretsmanager_secret.s.arn}' }, port: { value: 26000 } }, resource: { aws_secretsmanager_secret: { s: { name: 'acme/x' } } } };
  const reader: SynthesizedStackJson = {
    provider: { aws: [{ region: 'eu-west-1' }] },
    data: { aws_ssm_parameter: { 'published-keys-port': { name: '/acme/keys/port' }, 'al2023-ami': { name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' } } },
    output: { port_plus: { value: '${jsondecode(data.aws_ssm_parameter.published-keys-port.insecure_value)}' } },
  };

  it('mocks each published parameter a stack reads with the JSON of what the publisher will write, and leaves other parameters alone', () => {
    const values = deriveUpstreamValues(new Map([['keys', keys], ['reader', reader]]), [PUBLISHER]);
    expect(upstreamInputs(reader, [PUBLISHER], values)).toEqual([
      { channel: 'ssm-parameters', dataSource: 'keys', contract: PUBLISHER, parameters: { port: 'published-keys-port' }, outputs: { port: 26000 }, derived: ['port'] },
    ]);
    expect(values.get('keys')?.['secret_arn']).toEqual({ value: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/x-AbCdEf', origin: 'derived' });
  });

  it('derives what a reader computes from a published parameter (jsondecode of its JSON)', () => {
    const readerContract = defineOutputsContract('reader', { portPlus: { type: 'number', description: 'p', example: 1 } });
    const values = deriveUpstreamValues(new Map([['keys', keys], ['reader', reader]]), [PUBLISHER, readerContract]);
    expect(values.get('reader')?.['port_plus']).toEqual({ value: 26000, origin: 'derived' });
  });
});
