import { DEFAULT_LOG_RETENTION_DAYS } from '@crdb-ory/core';
import { DEFAULT_NAT_GATEWAY_MODE, NAT_GATEWAY_MODES, NatGatewayMode } from '@crdb-ory/network';
import { z } from 'zod';
import { cidrBlock, dnsName } from './primitives';

export const vpcConfig = z.strictObject({
  /** The VPC's IPv4 CIDR block. */
  cidr: cidrBlock,
  /** One public subnet per AZ, in AZ order (load balancers, NAT gateways). */
  publicSubnetCidrs: z.array(cidrBlock),
  /** One private subnet per AZ, in AZ order (every workload). */
  privateSubnetCidrs: z.array(cidrBlock),
});

export const networkConfig = z.strictObject({
  cockroachVpc: vpcConfig,
  oryVpc: vpcConfig,
  /**
   * `ory-per-az` (default): one NAT gateway per AZ in the Ory VPC and one in the CockroachDB VPC,
   * whose nodes reach AWS through VPC endpoints (4 Elastic IPs: fits the default quota of 5).
   * `per-az`: one per AZ in both VPCs (6 Elastic IPs: needs a quota increase). `single`: one per
   * VPC (2; the Ory VPC's egress then depends on one AZ). See docs/network.md.
   */
  natGateways: z.enum(NAT_GATEWAY_MODES as [NatGatewayMode, ...NatGatewayMode[]]),
  /** Retention of VPC flow logs in CloudWatch Logs, in days: one of the periods CloudWatch Logs accepts (core's logRetentionProblems). */
  flowLogsRetentionDays: z.number(),
  /** The private Route 53 zone both VPCs resolve; the CockroachDB load balancer's stable name lives in it. */
  privateZoneName: dnsName,
});

export type VpcConfig = z.infer<typeof vpcConfig>;
export type NetworkConfig = z.infer<typeof networkConfig>;

export const NETWORK_DEFAULTS: NetworkConfig = {
  cockroachVpc: {
    cidr: '10.10.0.0/16',
    publicSubnetCidrs: ['10.10.0.0/24', '10.10.1.0/24', '10.10.2.0/24'],
    privateSubnetCidrs: ['10.10.10.0/24', '10.10.11.0/24', '10.10.12.0/24'],
  },
  oryVpc: {
    cidr: '10.20.0.0/16',
    publicSubnetCidrs: ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24'],
    // EKS pods take VPC addresses (VPC CNI): the private subnets are large.
    privateSubnetCidrs: ['10.20.16.0/20', '10.20.32.0/20', '10.20.48.0/20'],
  },
  natGateways: DEFAULT_NAT_GATEWAY_MODE,
  flowLogsRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
  privateZoneName: 'crdb-ory.internal',
};
