import { App, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ProductStack, defineOutputsContract, publishOutputs, remoteStateId, terraformOutputName } from '../src';

const UPSTREAM = defineOutputsContract('upstream', {
  vpcId: { type: 'string', description: 'The VPC.', example: 'vpc-1' },
  subnetIds: { type: 'list', description: 'Subnets.', example: ['subnet-1'] },
  sqlPort: { type: 'number', description: 'Port.', example: 26257 },
});

function synthJson(build: (app: App) => ProductStack): Record<string, any> {
  const app = Testing.app();
  return JSON.parse(Testing.synth(build(app)));
}

describe('outputs contract', () => {
  it('names Terraform outputs in snake_case', () => {
    expect(terraformOutputName('cockroachVpcId')).toBe('cockroach_vpc_id');
    expect(terraformOutputName('clusterOidcIssuerUrl')).toBe('cluster_oidc_issuer_url');
  });

  it('rejects keys that are not camelCase', () => {
    expect(() => defineOutputsContract('x', { vpc_id: { type: 'string', description: 'd', example: 'e' } })).toThrow(/camelCase/);
  });

  it('publishes every output with its description', () => {
    const json = synthJson((app) => {
      const stack = new ProductStack(app, 'upstream', { stateBackend: { type: 'local' } });
      publishOutputs(stack, UPSTREAM, { vpcId: 'vpc-real', subnetIds: ['a', 'b'], sqlPort: 26257 });
      return stack;
    });
    expect(json.output.vpc_id).toEqual({ value: 'vpc-real', description: 'The VPC.', sensitive: false });
    expect(json.output.subnet_ids.value).toEqual(['a', 'b']);
    expect(Object.keys(json.output).sort()).toEqual(['sql_port', 'subnet_ids', 'vpc_id']);
  });

  it('refuses a value the contract does not declare', () => {
    const app = Testing.app();
    const stack = new ProductStack(app, 'upstream', { stateBackend: { type: 'local' } });
    const values = { vpcId: 'v', subnetIds: [], sqlPort: 1, stray: 'x' };
    expect(() => publishOutputs(stack, UPSTREAM, values)).toThrow(/"stray", which its outputs contract does not declare/);
  });
});

describe('remote state wiring', () => {
  it('reads upstream outputs from the local state file of that stack', () => {
    let refs: Record<string, unknown> = {};
    const json = synthJson((app) => {
      const stack = new ProductStack(app, 'downstream', { stateBackend: { type: 'local' } });
      const upstream = stack.readUpstream(UPSTREAM);
      refs = { ...upstream };
      publishOutputs(stack, defineOutputsContract('downstream', { copied: { type: 'string', description: 'c', example: 'e' } }), { copied: upstream.vpcId });
      return stack;
    });
    const id = remoteStateId('upstream');
    expect(json.data.terraform_remote_state[id]).toEqual({ backend: 'local', config: { path: '../../../terraform.upstream.tfstate' } });
    expect(json.output.copied.value).toBe(`\${data.terraform_remote_state.${id}.outputs.vpc_id}`);
    expect(Object.keys(refs)).toEqual(['vpcId', 'subnetIds', 'sqlPort']);
    expect(json.terraform.backend.local.path).toBe('../../../terraform.downstream.tfstate');
  });

  it('reads from S3 with the same key layout the backend writes, with native locking on', () => {
    const backend = { type: 's3', bucket: 'state-bucket', region: 'us-east-1', keyPrefix: 'crdb-ory/' } as const;
    const json = synthJson((app) => {
      const stack = new ProductStack(app, 'downstream', { stateBackend: backend });
      publishOutputs(stack, defineOutputsContract('downstream', { copied: { type: 'list', description: 'c', example: [] } }), { copied: stack.readUpstream(UPSTREAM).subnetIds });
      return stack;
    });
    expect(json.terraform.backend.s3).toEqual({ bucket: 'state-bucket', key: 'crdb-ory/downstream.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true });
    expect(json.data.terraform_remote_state[remoteStateId('upstream')]).toEqual({
      backend: 's3',
      config: { bucket: 'state-bucket', key: 'crdb-ory/upstream.tfstate', region: 'us-east-1' },
    });
  });
});
