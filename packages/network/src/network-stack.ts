import { DEFAULT_LOG_RETENTION_DAYS, DEFAULT_NAME_PREFIX, ProductStack, STATE_TAG_KEY, StateBackendConfig, configureAwsProvider, publishOutputs, stateAddress, throwIfProblems } from '@crdb-ory/core';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { AlarmSubscription, AlarmTopic } from './alarm-topic';
import { eksSubnetTags } from './eks-subnet-tags';
import { FlowLogsKey } from './flow-logs-key';
import { NETWORK_OUTPUTS, NETWORK_STACK_NAME, regionalNetworkOutputs } from './network-outputs';
import { PrivateZone } from './private-zone';
import { DEFAULT_NAT_GATEWAY_MODE, NatGatewayMode, vpcNatGateways } from './nat-gateway-mode';
import { NetworkAccountChecks } from './network-account-checks';
import { placementProblems } from './network-placement';
import { ProductVpc } from './product-vpc';
import { COCKROACH_NODE_INTERFACE_ENDPOINTS } from './vpc-endpoints';
import { VpcPeering } from './vpc-peering';

/** The CIDR layout of one VPC: its block and one public and one private subnet per AZ, in AZ order. */
export interface VpcCidrs {
  readonly cidr: string;
  readonly publicSubnetCidrs: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
}

export interface NetworkStackProps {
  /** Where the stack's state lives. */
  readonly stateBackend: StateBackendConfig;
  /**
   * Name of the stack (and its state key): API, never rename. A multi-region app gives each
   * region's network stack its own; such a stack publishes `regionalNetworkOutputs(stackName)`
   * (what the inter-region peering mesh reads, too).
   * @default NETWORK_STACK_NAME, publishing NETWORK_OUTPUTS
   */
  readonly stackName?: string;
  /** AWS region of both VPCs. */
  readonly region: string;
  /** The availability zones of `region`, in the order of every per-AZ list. */
  readonly availabilityZones: readonly string[];
  /** Layout of the CockroachDB VPC. */
  readonly cockroachVpc: VpcCidrs;
  /** Layout of the Ory (EKS) VPC. Must not overlap the CockroachDB VPC (they are peered). */
  readonly oryVpc: VpcCidrs;
  /** The private zone both VPCs resolve; the `cockroach` stack puts the load balancer's name in it. */
  readonly privateZoneName: string;
  /**
   * Other stacks associate more VPCs with the private zone (a multi-region app's global stack, with
   * every other region's VPCs): the zone ignores changes to its in-line VPC list (`PrivateZone.associatedElsewhere`).
   * @default false
   */
  readonly privateZoneAssociatedElsewhere?: boolean;
  /** The EKS cluster the Ory subnets are tagged for; must be the `eks` stack's cluster name. */
  readonly eksClusterName: string;
  /** Prefix of every resource name. @default 'crdb-ory' */
  readonly namePrefix?: string;
  /** Tags on every taggable resource (provider default tags). @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** NAT gateways of both VPCs (see `NatGatewayMode`). @default 'ory-per-az' (per AZ in the Ory VPC, one in the CockroachDB VPC: 4 Elastic IPs) */
  readonly natGateways?: NatGatewayMode;
  /**
   * Interface endpoints of the CockroachDB VPC, in every AZ, so the nodes reach the AWS APIs they
   * call without NAT and without depending on another AZ.
   * @default COCKROACH_NODE_INTERFACE_ENDPOINTS (ssm, ssmmessages, ec2messages, secretsmanager, monitoring)
   */
  readonly cockroachInterfaceEndpoints?: readonly string[];
  /** Days VPC flow logs are kept. @default 365 */
  readonly flowLogsRetentionDays?: number;
  /**
   * Who the alarm topic (every stack's alarms) notifies.
   * @default none, with a synthesis warning: alarms fire, nobody hears them
   */
  readonly alarmSubscriptions?: readonly AlarmSubscription[];
}

export const NO_ALARM_SUBSCRIBERS_WARNING =
  'Nobody is subscribed to the alarm topic (alarmSubscriptions is empty): every alarm of every stack publishes to it, and nobody is notified. Add an email address or an https/SQS/Lambda endpoint (monitoring.alarmSubscriptions).';

/**
 * The `network` stack: the CockroachDB VPC and the Ory VPC, peered for CockroachDB traffic,
 * a private zone both resolve, flow logs encrypted with a key of their own. Its name is the
 * state key other stacks read, so it is fixed (NETWORK_STACK_NAME, or one name per region).
 */
export class NetworkStack extends ProductStack {
  readonly cockroachVpc: ProductVpc;
  readonly oryVpc: ProductVpc;
  readonly peering: VpcPeering;
  readonly privateZone: PrivateZone;
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, props: NetworkStackProps) {
    const stackName = props.stackName ?? NETWORK_STACK_NAME;
    super(scope, stackName, { stateBackend: props.stateBackend });
    const ownState = stateAddress(props.stateBackend, stackName);
    configureAwsProvider(this, { region: props.region, tags: { ...props.tags, [STATE_TAG_KEY]: ownState } });
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    throwIfProblems(this, placementProblems(props.region, props.availabilityZones));
    const natGateways = props.natGateways ?? DEFAULT_NAT_GATEWAY_MODE;
    new NetworkAccountChecks(this, 'account-checks', { region: props.region, availabilityZones: props.availabilityZones, natGateways, stateAddress: ownState });
    const flowLogsKey = new FlowLogsKey(this, 'flow-logs-key', { aliasName: `${prefix}-flow-logs` });
    const shared = {
      region: props.region,
      availabilityZones: props.availabilityZones,
      flowLogsRetentionDays: props.flowLogsRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      flowLogsKmsKeyArn: flowLogsKey.key.arn,
    };
    const nat = vpcNatGateways(natGateways);
    this.cockroachVpc = new ProductVpc(this, 'cockroach-vpc', {
      ...shared,
      ...vpcLayout(props.cockroachVpc),
      name: `${prefix}-cockroach`,
      natGateways: nat.cockroach,
      interfaceEndpoints: props.cockroachInterfaceEndpoints ?? COCKROACH_NODE_INTERFACE_ENDPOINTS,
    });
    this.oryVpc = new ProductVpc(this, 'ory-vpc', {
      ...shared,
      ...vpcLayout(props.oryVpc),
      natGateways: nat.ory,
      name: `${prefix}-ory`,
      publicSubnetTags: eksSubnetTags(props.eksClusterName, 'public'),
      privateSubnetTags: eksSubnetTags(props.eksClusterName, 'private'),
    });
    this.peering = new VpcPeering(this, 'ory-to-cockroach-peering', {
      name: `${prefix}-ory-to-cockroach`,
      requester: peeredSide(this.oryVpc),
      accepter: peeredSide(this.cockroachVpc),
    });
    this.privateZone = new PrivateZone(this, 'private-zone', {
      zoneName: props.privateZoneName,
      vpcIds: [this.cockroachVpc.vpc.id, this.oryVpc.vpc.id],
      associatedElsewhere: props.privateZoneAssociatedElsewhere,
    });
    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', { topicName: `${prefix}-alarms`, kmsKeyAlias: `${prefix}-alarms`, subscriptions: props.alarmSubscriptions });
    if ((props.alarmSubscriptions ?? []).length === 0) Annotations.of(this).addWarning(NO_ALARM_SUBSCRIBERS_WARNING);
    this.publish(props);
  }

  private publish(props: NetworkStackProps): void {
    const ids = (subnets: { id: string }[]) => subnets.map((s) => s.id);
    const cidrs = (subnets: { cidrBlock: string }[]) => subnets.map((s) => s.cidrBlock);
    const values = {
      availabilityZones: [...props.availabilityZones],
      cockroachVpcId: this.cockroachVpc.vpc.id,
      cockroachVpcCidr: this.cockroachVpc.vpc.cidrBlock,
      cockroachPrivateSubnetIds: ids(this.cockroachVpc.privateSubnets),
      cockroachPrivateSubnetCidrs: cidrs(this.cockroachVpc.privateSubnets),
      cockroachPublicSubnetIds: ids(this.cockroachVpc.publicSubnets),
      oryVpcId: this.oryVpc.vpc.id,
      oryVpcCidr: this.oryVpc.vpc.cidrBlock,
      oryPrivateSubnetIds: ids(this.oryVpc.privateSubnets),
      oryPrivateSubnetCidrs: cidrs(this.oryVpc.privateSubnets),
      oryPublicSubnetIds: ids(this.oryVpc.publicSubnets),
      oryPublicSubnetCidrs: cidrs(this.oryVpc.publicSubnets),
      vpcPeeringConnectionId: this.peering.connection.id,
      privateZoneId: this.privateZone.zone.zoneId,
      privateZoneName: this.privateZone.zone.name,
      alarmTopicArn: this.alarmTopic.topic.arn,
      eksClusterName: props.eksClusterName,
    };
    if (props.stackName === undefined) publishOutputs(this, NETWORK_OUTPUTS, values);
    else publishOutputs(this, regionalNetworkOutputs(props.stackName), { ...values, cockroachPrivateRouteTableIds: this.cockroachVpc.privateRouteTables.map((table) => table.id) });
  }
}

function vpcLayout(cidrs: VpcCidrs) {
  return { cidrBlock: cidrs.cidr, publicSubnetCidrs: cidrs.publicSubnetCidrs, privateSubnetCidrs: cidrs.privateSubnetCidrs };
}

/** Only the private tier routes to the peer: workloads live there, public subnets hold load balancers and NAT. */
function peeredSide(vpc: ProductVpc) {
  return { vpcId: vpc.vpc.id, cidrBlock: vpc.vpc.cidrBlock, routeTableIds: vpc.privateRouteTables.map((t) => t.id) };
}
