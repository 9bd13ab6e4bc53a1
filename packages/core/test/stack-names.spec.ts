import { TerraformOutput, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ProductStack, defineOutputsContract, remoteStateId } from '../src';

const NETWORK = defineOutputsContract('network', { vpcId: { type: 'string', description: 'The VPC.', example: 'vpc-1' } });
const local = { stateBackend: { type: 'local' } } as const;

describe('ProductStack stackNames: an app names the stacks its own way (one per region)', () => {
  it('takes its own name from the map and reads each upstream stack under its mapped name, as its dependency', () => {
    const app = Testing.app();
    const stackNames = { network: 'network-us-east-2', cluster: 'cluster-us-east-2' };
    const network = new ProductStack(app, 'network', { ...local, stackNames });
    const cluster = new ProductStack(app, 'cluster', { ...local, stackNames });
    const outputs = cluster.readUpstream(NETWORK);
    expect([network.stackName, network.node.id, cluster.stackName]).toEqual(['network-us-east-2', 'network-us-east-2', 'cluster-us-east-2']);
    expect(cluster.upstreamReads).toEqual([{ stackName: 'network-us-east-2', channel: 'remote-state' }]);
    expect(cluster.node.tryFindChild(remoteStateId('network-us-east-2'))).toBeDefined();
    new TerraformOutput(cluster, 'vpc', { value: outputs.vpcId });
    expect(JSON.parse(Testing.synth(cluster))['output']['vpc']['value']).toBe('${data.terraform_remote_state.remote-state-network-us-east-2.outputs.vpc_id}');
    expect(cluster.stackNameOf('eks')).toBe('eks');
    cluster.prepareStack();
    expect(cluster.dependencies).toEqual([network]);
  });

  it('keeps every default name without a map', () => {
    const app = Testing.app();
    const cluster = new ProductStack(app, 'cluster', local);
    cluster.readUpstream(NETWORK);
    expect([cluster.stackName, cluster.upstreamReads[0]?.stackName, cluster.contractOf(NETWORK)]).toEqual(['cluster', 'network', NETWORK]);
  });
});
