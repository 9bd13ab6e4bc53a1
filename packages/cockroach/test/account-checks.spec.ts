import { Template } from '@crdb-ory/core/testing';
import { describe, expect, it } from 'vitest';
import { synthCluster } from './synth';

describe('cockroach stack: plan-time account checks', () => {
  it('checks that the instance type is offered in the zones the network stack publishes', () => {
    const offerings = Template.fromJSON(synthCluster({ instanceType: 'r6i.2xlarge' })).onlyDataSource('aws_ec2_instance_type_offerings').config;
    expect(offerings.location_type).toBe('availability-zone');
    expect(offerings.filter).toEqual([
      { name: 'instance-type', values: ['r6i.2xlarge'] },
      { name: 'location', values: expect.stringContaining('data.terraform_remote_state.remote-state-network.outputs.availability_zones') },
    ]);
    expect(offerings.lifecycle.postcondition[0].error_message).toMatch(/^cockroach\.instanceType "r6i\.2xlarge" is not offered in \$\{join\(/);
  });

  it("checks the On-Demand standard vCPU quota for the nodes plus the rest of the deployment's", () => {
    const template = Template.fromJSON(synthCluster({ otherOnDemandVcpus: 40 }));
    const quota = template.onlyDataSource('aws_servicequotas_service_quota').config;
    expect(quota).toMatchObject({ service_code: 'ec2', quota_code: 'L-1216C47A' });
    const needed = template.onlyLocal('node-vcpus_needed');
    expect(needed.value).toBe('64');
    const inUse = template.onlyLocal('vcpus-in-use_vcpus');
    expect(quota.lifecycle.postcondition[0].condition).toBe(`\${(self.value >= (local.${inUse.name} + tonumber(local.${needed.name})))}`);
    expect(quota.lifecycle.postcondition[0].error_message).toContain('cockroach.instanceType "m6i.2xlarge": 3 nodes need 24 On-Demand standard vCPUs, and the EKS nodes up to 40 (at a node update), and ${tostring(local.');
  });

  it("counts the account's other running On-Demand instances, leaving out those in the deployment's two VPCs (the nodes and the EKS nodes)", () => {
    const template = Template.fromJSON(synthCluster({ otherOnDemandVcpus: 40 }));
    const own = template.onlyDataSource('aws_instances', 'vcpus-in-use_own').config;
    expect(own).toMatchObject({
      instance_state_names: ['pending', 'running'],
      filter: [{ name: 'vpc-id', values: ['${data.terraform_remote_state.remote-state-network.outputs.cockroach_vpc_id}', '${data.terraform_remote_state.remote-state-network.outputs.ory_vpc_id}'] }],
    });
    expect(template.onlyDataSource('aws_instances', 'vcpus-in-use_not-on-demand').config).toMatchObject({ filter: [{ name: 'instance-lifecycle', values: ['spot', 'scheduled', 'capacity-block'] }] });
    expect(template.onlyDataSource('aws_instances', 'vcpus-in-use_running').config).toEqual({ instance_state_names: ['pending', 'running'] });
  });

  it('refuses an instance type EC2 does not have, and a repeated admin network', () => {
    expect(() => synthCluster({ instanceType: 'm6i.3xlarge' })).toThrow('instanceType = "m6i.3xlarge": is not an EC2 instance type');
    expect(() => synthCluster({ adminCidrs: ['10.99.0.0/16', '10.99.0.0/16'] })).toThrow('adminCidrs[1] = "10.99.0.0/16": is listed twice (also at index 0)');
  });
});
