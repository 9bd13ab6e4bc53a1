import { defineOutputsContract } from '@crdb-ory/core';

/** Stack name of the network stack: also its state key. API: never rename. */
export const NETWORK_STACK_NAME = 'network';

/**
 * The network stack's public outputs. Lists are ordered by availability zone (the order of
 * `availabilityZones`), so index i of every per-AZ list is the same AZ.
 */
export const NETWORK_OUTPUTS = defineOutputsContract(NETWORK_STACK_NAME, {
  availabilityZones: { type: 'list', description: 'The three availability zones, in the order of every per-AZ list.', example: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
  cockroachVpcId: { type: 'string', description: 'ID of the CockroachDB VPC.', example: 'vpc-0a1b2c3d4e5f60001' },
  cockroachVpcCidr: { type: 'string', description: 'IPv4 CIDR block of the CockroachDB VPC.', example: '10.10.0.0/16' },
  cockroachPrivateSubnetIds: { type: 'list', description: 'Private subnets of the CockroachDB VPC, one per AZ (nodes, internal load balancer).', example: ['subnet-0c0000000000000a1', 'subnet-0c0000000000000b1', 'subnet-0c0000000000000c1'] },
  cockroachPrivateSubnetCidrs: { type: 'list', description: 'CIDR blocks of the CockroachDB private subnets, one per AZ (fixed node IPs are derived from them).', example: ['10.10.10.0/24', '10.10.11.0/24', '10.10.12.0/24'] },
  cockroachPublicSubnetIds: { type: 'list', description: 'Public subnets of the CockroachDB VPC, one per AZ (NAT gateways only).', example: ['subnet-0c0000000000000a0', 'subnet-0c0000000000000b0', 'subnet-0c0000000000000c0'] },
  oryVpcId: { type: 'string', description: 'ID of the Ory (EKS) VPC.', example: 'vpc-0a1b2c3d4e5f60002' },
  oryVpcCidr: { type: 'string', description: 'IPv4 CIDR block of the Ory VPC.', example: '10.20.0.0/16' },
  oryPrivateSubnetIds: { type: 'list', description: 'Private subnets of the Ory VPC, one per AZ (EKS nodes and pods, internal load balancers).', example: ['subnet-0e0000000000000a1', 'subnet-0e0000000000000b1', 'subnet-0e0000000000000c1'] },
  oryPrivateSubnetCidrs: { type: 'list', description: 'CIDR blocks of the Ory private subnets, one per AZ.', example: ['10.20.16.0/20', '10.20.32.0/20', '10.20.48.0/20'] },
  oryPublicSubnetIds: { type: 'list', description: 'Public subnets of the Ory VPC, one per AZ (internet-facing load balancers, NAT gateways).', example: ['subnet-0e0000000000000a0', 'subnet-0e0000000000000b0', 'subnet-0e0000000000000c0'] },
  oryPublicSubnetCidrs: { type: 'list', description: 'CIDR blocks of the Ory public subnets, one per AZ (where the public load balancer\'s nodes are: the source of its traffic to pods).', example: ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24'] },
  vpcPeeringConnectionId: { type: 'string', description: 'Peering connection between the Ory VPC and the CockroachDB VPC.', example: 'pcx-0a1b2c3d4e5f60003' },
  privateZoneId: { type: 'string', description: 'Route 53 private hosted zone associated with both VPCs.', example: 'Z0123456789ABCDEFGHIJ' },
  privateZoneName: { type: 'string', description: 'Name of the private hosted zone; CockroachDB names (nodes, SQL load balancer) live under it.', example: 'crdb-ory.internal' },
  alarmTopicArn: { type: 'string', description: 'The SNS topic every alarm of every stack notifies (KMS-encrypted; CloudWatch of this account may publish). Subscribe to it once.', example: 'arn:aws:sns:us-east-1:123456789012:crdb-ory-alarms' },
  eksClusterName: { type: 'string', description: 'EKS cluster name the Ory subnets are tagged for (kubernetes.io/cluster/<name>).', example: 'ory' },
});

/**
 * What the inter-region peering mesh (`InterRegionPeeringMesh`, in the global stack) reads of a
 * region's network stack beyond `NETWORK_OUTPUTS`: the route tables that get a route to every
 * other region's CockroachDB VPC.
 */
export const NETWORK_MESH_OUTPUT_SPECS = {
  cockroachPrivateRouteTableIds: { type: 'list' as const, description: 'Route tables of the CockroachDB private subnets, one per AZ (the inter-region peering mesh routes to the other regions through them).', example: ['rtb-0c0000000000000a1', 'rtb-0c0000000000000b1', 'rtb-0c0000000000000c1'] },
};

/**
 * The outputs contract of one region's network stack in a multi-region app: `NETWORK_OUTPUTS`
 * plus `NETWORK_MESH_OUTPUT_SPECS`, under that stack's own name (one network stack per region).
 * The single-region app keeps `NETWORK_OUTPUTS`, unchanged.
 */
export function regionalNetworkOutputs(stackName: string) {
  return defineOutputsContract(stackName, { ...NETWORK_OUTPUTS.outputs, ...NETWORK_MESH_OUTPUT_SPECS });
}

/** The outputs contract of a region's network stack (`regionalNetworkOutputs`). */
export type RegionalNetworkOutputs = ReturnType<typeof regionalNetworkOutputs>;
