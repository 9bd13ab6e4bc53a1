import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { DEFAULT_LOG_RETENTION_DAYS, PropProblem, throwIfProblems } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { VpcEndpoints } from './vpc-endpoints';
import { VpcFlowLogs } from './vpc-flow-logs';

/**
 * NAT gateways of one VPC. `per-az`: one NAT gateway (and Elastic IP) per AZ, each private
 * subnet leaves through its own AZ (an AZ outage takes out only that AZ's egress). `single`: one
 * NAT gateway in the first AZ shared by all private subnets (a third of the hourly cost and one
 * Elastic IP; internet egress of every AZ depends on the first AZ).
 */
export type VpcNatGateways = 'per-az' | 'single';

export const ANYWHERE_IPV4 = '0.0.0.0/0';

export interface ProductVpcProps {
  /** `Name` tag of the VPC, and prefix of the names of its subnets, gateways and flow logs. */
  readonly name: string;
  /** IPv4 CIDR block of the VPC. */
  readonly cidrBlock: string;
  /** Availability zones, one public and one private subnet in each, in this order. */
  readonly availabilityZones: readonly string[];
  /** One CIDR block per AZ, in AZ order: load balancers and NAT gateways only. */
  readonly publicSubnetCidrs: readonly string[];
  /** One CIDR block per AZ, in AZ order: every workload. */
  readonly privateSubnetCidrs: readonly string[];
  /** AWS region of the VPC (names its endpoint services). */
  readonly region: string;
  /** NAT gateways for the private subnets' egress. @default 'per-az' (one per AZ, no cross-AZ dependency) */
  readonly natGateways?: VpcNatGateways;
  /**
   * AWS services reached through an interface endpoint in every AZ (`VpcEndpoints`), by
   * PrivateLink short name. An S3 gateway endpoint is always there (it has no hourly charge).
   * @default none
   */
  readonly interfaceEndpoints?: readonly string[];
  /** Days the flow logs are kept in CloudWatch Logs. @default 365 */
  readonly flowLogsRetentionDays?: number;
  /** KMS key that encrypts the flow logs' log group. @default none: CloudWatch Logs' own server-side encryption */
  readonly flowLogsKmsKeyArn?: string;
  /** Extra tags on the public subnets (for example the EKS load balancer role). @default none */
  readonly publicSubnetTags?: Readonly<Record<string, string>>;
  /** Extra tags on the private subnets. @default none */
  readonly privateSubnetTags?: Readonly<Record<string, string>>;
}

/**
 * A VPC laid out the same way for both halves of the product: a public and a private subnet
 * in each AZ, an internet gateway for the public tier, NAT gateways for the private tier, a
 * default security group stripped of every rule, and flow logs. Public subnets never assign
 * public IPs on launch: nothing but load balancers and NAT gateways belongs there.
 */
export class ProductVpc extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  /** One route table per private subnet, in AZ order (each may route through a different NAT gateway). */
  readonly privateRouteTables: RouteTable[];
  readonly natGateways: NatGateway[];
  readonly endpoints: VpcEndpoints;
  readonly flowLogs: VpcFlowLogs;

  constructor(scope: Construct, id: string, props: ProductVpcProps) {
    super(scope, id);
    throwIfProblems(this, subnetsPerAzProblems(props));
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidrBlock,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${props.name}-default-no-rules` },
    });
    this.publicSubnets = this.subnets(props, 'public', props.publicSubnetCidrs, props.publicSubnetTags);
    this.privateSubnets = this.subnets(props, 'private', props.privateSubnetCidrs, props.privateSubnetTags);
    const internetGateway = this.routePublicSubnets(props.name);
    this.natGateways = this.createNatGateways(props.name, props.natGateways ?? 'per-az', internetGateway);
    this.privateRouteTables = this.routePrivateSubnets(props.name);
    this.endpoints = new VpcEndpoints(this, 'endpoints', {
      name: props.name,
      region: props.region,
      vpcId: this.vpc.id,
      vpcCidrBlock: this.vpc.cidrBlock,
      subnetIds: this.privateSubnets.map((subnet) => subnet.id),
      routeTableIds: this.privateRouteTables.map((table) => table.id),
      interfaceServices: props.interfaceEndpoints,
    });
    this.flowLogs = new VpcFlowLogs(this, 'flow-logs', {
      vpcId: this.vpc.id,
      name: props.name,
      retentionInDays: props.flowLogsRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      ...(props.flowLogsKmsKeyArn ? { kmsKeyArn: props.flowLogsKmsKeyArn } : {}),
    });
  }

  private subnets(props: ProductVpcProps, tier: 'public' | 'private', cidrs: readonly string[], extraTags: Readonly<Record<string, string>> = {}): Subnet[] {
    return props.availabilityZones.map(
      (az, i) =>
        new Subnet(this, `${tier}-subnet-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: cidrs[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-${tier}-${az}`, Tier: tier, ...extraTags },
        }),
    );
  }

  private routePublicSubnets(name: string): InternetGateway {
    const gateway = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: { Name: name } });
    const table = new RouteTable(this, 'public-route-table', { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, 'public-default-route', { routeTableId: table.id, destinationCidrBlock: ANYWHERE_IPV4, gatewayId: gateway.id });
    this.publicSubnets.forEach((subnet, i) => new RouteTableAssociation(this, `public-route-table-association-${i}`, { subnetId: subnet.id, routeTableId: table.id }));
    return gateway;
  }

  /** NAT gateways and their addresses need the internet gateway first (AWS documents the ordering). */
  private createNatGateways(name: string, mode: VpcNatGateways, internetGateway: InternetGateway): NatGateway[] {
    const hosts = mode === 'single' ? this.publicSubnets.slice(0, 1) : this.publicSubnets;
    return hosts.map((subnet, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: `${name}-nat-${i}` }, dependsOn: [internetGateway] });
      return new NatGateway(this, `nat-gateway-${i}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        tags: { Name: `${name}-nat-${i}` },
        dependsOn: [internetGateway],
      });
    });
  }

  private routePrivateSubnets(name: string): RouteTable[] {
    return this.privateSubnets.map((subnet, i) => {
      const table = new RouteTable(this, `private-route-table-${i}`, { vpcId: this.vpc.id, tags: { Name: `${name}-private-${i}` } });
      const nat = this.natGateways[Math.min(i, this.natGateways.length - 1)];
      new Route(this, `private-default-route-${i}`, { routeTableId: table.id, destinationCidrBlock: ANYWHERE_IPV4, natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-route-table-association-${i}`, { subnetId: subnet.id, routeTableId: table.id });
      return table;
    });
  }
}

/** One subnet of each tier per availability zone, and at least one zone. */
export function subnetsPerAzProblems(props: Pick<ProductVpcProps, 'availabilityZones' | 'publicSubnetCidrs' | 'privateSubnetCidrs'>): PropProblem[] {
  const azs = props.availabilityZones.length;
  if (azs === 0) return [{ prop: 'availabilityZones', value: [], message: 'is empty; list at least one availability zone' }];
  return (['publicSubnetCidrs', 'privateSubnetCidrs'] as const).flatMap((prop) =>
    props[prop].length === azs ? [] : [{ prop, value: props[prop], message: `has ${props[prop].length} entries; it needs one per availability zone, ${azs} in all` }],
  );
}
