import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { awsPartitionOf } from '@crdb-ory/core';
import { Construct } from 'constructs';

/**
 * The interface endpoints the CockroachDB nodes use, so that every AWS API they call stays in
 * their own AZ without NAT: SSM Run Command and Session Manager (`ssm`, `ssmmessages`,
 * `ec2messages`: the SSM Agent's three endpoints, "Improve the security of EC2 instances by using
 * VPC endpoints for Systems Manager"), Secrets Manager (certificates, `shell-common.ts`) and
 * CloudWatch metrics (`monitoring`, `metrics-script.ts`). S3 (backups, Amazon Linux packages) goes
 * through the gateway endpoint. KMS and STS are not called by the nodes: Secrets Manager and S3
 * use KMS on their behalf, and the instance profile's credentials come from instance metadata.
 */
export const COCKROACH_NODE_INTERFACE_ENDPOINTS: readonly string[] = ['ssm', 'ssmmessages', 'ec2messages', 'secretsmanager', 'monitoring'];

export interface VpcEndpointsProps {
  /** `Name` tag prefix. */
  readonly name: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  /** One subnet per AZ for the interface endpoints' network interfaces (the private tier). */
  readonly subnetIds: readonly string[];
  /** Route tables the S3 gateway endpoint is added to (the private tier's). */
  readonly routeTableIds: readonly string[];
  /** AWS services with an interface endpoint in every subnet, by their PrivateLink short name (`ssm`, `secretsmanager`...). @default none */
  readonly interfaceServices?: readonly string[];
}

/**
 * An S3 gateway endpoint on the given route tables (no hourly charge), and an interface endpoint
 * with private DNS in each AZ for each listed service, behind a security group that admits HTTPS
 * from the VPC only. With private DNS on, the services' public names resolve to the endpoint in
 * the caller's own AZ: no change to the callers, no NAT, no cross-AZ dependency.
 */
export class VpcEndpoints extends Construct {
  readonly s3: VpcEndpoint;
  readonly interfaceEndpoints: VpcEndpoint[];
  readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    this.s3 = new VpcEndpoint(this, 's3', {
      vpcId: props.vpcId,
      serviceName: endpointServiceName(props.region, 's3'),
      vpcEndpointType: 'Gateway',
      routeTableIds: [...props.routeTableIds],
      tags: { Name: `${props.name}-s3` },
    });
    const services = props.interfaceServices ?? [];
    if (services.length === 0) {
      this.interfaceEndpoints = [];
      return;
    }
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-vpc-endpoints`,
      description: `Interface endpoints of ${props.name}: HTTPS from the VPC`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-vpc-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'https-from-vpc', {
      securityGroupId: securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidrBlock,
      description: 'AWS API calls from the VPC to its interface endpoints',
    });
    this.securityGroup = securityGroup;
    this.interfaceEndpoints = services.map(
      (service) =>
        new VpcEndpoint(this, service, {
          vpcId: props.vpcId,
          serviceName: endpointServiceName(props.region, service),
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: [...props.subnetIds],
          securityGroupIds: [securityGroup.id],
          tags: { Name: `${props.name}-${service}` },
        }),
    );
  }
}

/**
 * `com.amazonaws.<region>.<service>`; in the China partition `cn.com.amazonaws.<region>.<service>`
 * (AWS PrivateLink Guide, "AWS services that integrate with AWS PrivateLink"; the China regions'
 * documentation lists the `cn.` prefix), except S3, whose gateway endpoint keeps `com.amazonaws`.
 */
export function endpointServiceName(region: string, service: string): string {
  const prefix = awsPartitionOf(region) === 'aws-cn' && service !== 's3' ? 'cn.com.amazonaws' : 'com.amazonaws';
  return `${prefix}.${region}.${service}`;
}
