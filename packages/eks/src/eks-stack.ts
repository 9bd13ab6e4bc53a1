import { AwsPartition, DEFAULT_LOG_RETENTION_DAYS, InstanceTypeOfferedCheck, OnDemandStandardVcpusInUse, ProductStack, type ProductStackProps, ServiceQuotaCheck, StateBackendConfig, awsPartitionOf, configureAwsProvider, onDemandVcpuQuotaOf, publishOutputs, throwIfProblems } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Annotations, Op } from 'cdktf';
import { Construct } from 'constructs';
import { EksApiAccess, NO_API_ACCESS_MESSAGE, PlanPrecondition, eksApiAccessProblems, hasOperatorApiAccess, operatorApiAccessPrecondition, warnNoOperatorApiAccess } from './api-access';
import { EksClusterAdmins } from './cluster-admins';
import { EksControlPlaneSecurityGroup } from './control-plane-security-group';
import { EksDeployerClusterAdmin } from './deployer-cluster-admin';
import { defaultEksClusterName } from './cluster-name';
import { EksAddonVersions, EksCoreAddons } from './eks-addons';
import { EksCluster } from './eks-cluster';
import { EKS_OUTPUTS, EKS_STACK_NAME } from './eks-outputs';
import { EKS_DEFAULT_KUBERNETES_VERSION, EksSupportType } from './kubernetes-versions';
import { LoadBalancerControllerRole } from './load-balancer-controller-role';
import { EksManagedNodeGroup } from './managed-node-group';
import { EksNodeGroupAlarms } from './node-group-alarms';
import { nodeGroupPeakVcpus, nodeGroupUpdateSurge } from './node-instance-type';
import { DEFAULT_DATABASE_PORT, EksNodeSecurityGroup } from './node-security-group';

export interface EksStackProps extends EksApiAccess {
  readonly stateBackend: StateBackendConfig;
  /** The stack's own name and those of the stacks it reads, where an app renames them (`ProductStackProps.stackNames`). @default the default names (`eks`, `network`) */
  readonly stackNames?: ProductStackProps['stackNames'];
  readonly region: string;
  /** Tags on every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Prefix of IAM role, security group, node group and (by default) cluster names. */
  readonly namePrefix: string;
  /**
   * EKS cluster name; the network stack must tag the Ory subnets for the same name.
   * @default `defaultEksClusterName(namePrefix)`: `<namePrefix>-ory`, and `ory` for the default prefix `crdb-ory`
   */
  readonly clusterName?: string;
  /** Kubernetes minor version, one of `EKS_KUBERNETES_VERSIONS` allowed for `supportType`. @default '1.35' */
  readonly kubernetesVersion?: string;
  /**
   * What EKS does when the version leaves standard support (`upgrade_policy`).
   * @default 'STANDARD' — EKS upgrades the cluster instead of billing extended support
   */
  readonly supportType?: EksSupportType;
  /** IAM role or user ARNs that get cluster-admin access entries. @default [] */
  readonly adminPrincipalArns?: readonly string[];
  /**
   * Give the IAM identity that runs the deploy (resolved at plan time: an assumed role's role
   * ARN, or the IAM user) a cluster-admin access entry, so that the same identity can deploy the
   * ory stack. The entry is an ordinary resource: a deploy by another identity moves it (the plan
   * shows it). With `false`, only `adminPrincipalArns` are admins.
   * @default true
   */
  readonly deployerClusterAdmin?: boolean;
  /** Retention of the control-plane logs, in days. @default 365 */
  readonly logRetentionInDays?: number;
  /** @default 'm5.xlarge' */
  readonly nodeInstanceType?: string;
  /** @default 3 (one per AZ) */
  readonly nodeDesiredSize?: number;
  /** @default 1 */
  readonly nodeMinSize?: number;
  /** @default 4 */
  readonly nodeMaxSize?: number;
  /** Root volume of each node, GiB. @default 50 */
  readonly nodeRootVolumeSizeGiB?: number;
  /** IMDSv2 hop limit of the nodes. @default 1 — pods off the host network cannot reach instance metadata */
  readonly nodeHttpPutResponseHopLimit?: 1 | 2;
  /**
   * EKS optimized AL2023 AMI release of the nodes (`1.35.0-20260115`), to pin one.
   * @default the recommended release AWS publishes for `kubernetesVersion`, read at plan time: a
   * deploy after AWS publishes a newer one patches the nodes, one node at a time
   */
  readonly nodeReleaseVersion?: string;
  /** @default every add-on at the newest version compatible with `kubernetesVersion` */
  readonly addonVersions?: EksAddonVersions;
  /**
   * Alarm (on the network stack's alarm topic) when a node of the node group fails its EC2
   * status checks.
   * @default true
   */
  readonly nodeGroupAlarms?: boolean;
  /**
   * On-Demand standard vCPUs the rest of the deployment runs (the CockroachDB nodes), added to the
   * node group's own peak in the plan-time vCPU quota check, since both draw on one quota.
   * @default 0
   */
  readonly otherOnDemandVcpus?: number;
}

/** The Ory subnets, one per availability zone: the node group spans three zones. */
const AZ_COUNT = 3;

/**
 * The `eks` stack: the cluster that runs Ory, in the Ory VPC's private subnets, with a managed
 * node group of three nodes (one per AZ), the core add-ons, admin access entries (the listed
 * principals and, by default, the deployer), operator access to the API (private endpoint from
 * listed networks, public endpoint for listed addresses) and the Load Balancer Controller's Pod
 * Identity role. Publishes EKS_OUTPUTS for the Ory stack. With no operator access at all it
 * warns at synthesis and its plan stops at the cluster's precondition, before anything is created.
 */
export class EksStack extends ProductStack {
  readonly cluster: EksCluster;
  readonly nodeGroup: EksManagedNodeGroup;
  readonly nodeSecurityGroup: EksNodeSecurityGroup;
  readonly controlPlaneSecurityGroup: EksControlPlaneSecurityGroup;
  /** The deployer's cluster-admin entry; undefined with `deployerClusterAdmin: false`. */
  readonly deployerAdmin?: EksDeployerClusterAdmin;

  /** The stack's id is `eks` (or the name `stackNames` gives it): it is the state key downstream stacks read (EKS_OUTPUTS). */
  constructor(scope: Construct, props: EksStackProps) {
    super(scope, EKS_STACK_NAME, { stateBackend: props.stateBackend, stackNames: props.stackNames });
    configureAwsProvider(this, { region: props.region, tags: props.tags });
    const network = this.readUpstream(NETWORK_OUTPUTS);
    const clusterName = props.clusterName ?? defaultEksClusterName(props.namePrefix);
    const names = resourceNames(props.namePrefix);
    const partition = awsPartitionOf(props.region);
    const access = apiAccessOf(this, props);

    this.controlPlaneSecurityGroup = new EksControlPlaneSecurityGroup(this, 'control-plane-security-group', {
      vpcId: network.oryVpcId,
      name: names.controlPlaneSecurityGroup,
      apiClientCidrs: access.endpointPrivateAccessCidrs,
    });
    this.cluster = new EksCluster(this, 'cluster', {
      clusterName,
      kubernetesVersion: props.kubernetesVersion ?? EKS_DEFAULT_KUBERNETES_VERSION,
      supportType: props.supportType,
      subnetIds: network.oryPrivateSubnetIds,
      clusterRoleName: names.clusterRole,
      endpointPublicAccessCidrs: access.endpointPublicAccessCidrs,
      securityGroupIds: [this.controlPlaneSecurityGroup.securityGroup.id],
      logRetentionInDays: props.logRetentionInDays ?? DEFAULT_LOG_RETENTION_DAYS,
      partition,
    });
    const cluster = this.cluster.cluster;
    cluster.lifecycle = {
      precondition: [subnetsTaggedFor(network.eksClusterName, clusterName), operatorApiAccessPrecondition(this, access)],
    };
    if (!hasOperatorApiAccess(access)) warnNoOperatorApiAccess(this, EKS_NO_API_ACCESS_WARNING);
    this.deployerAdmin = this.addAdmins(props, cluster.name, partition);

    this.nodeSecurityGroup = new EksNodeSecurityGroup(this, 'node-security-group', {
      vpcId: network.oryVpcId,
      name: names.nodeSecurityGroup,
      databaseCidrBlocks: [network.cockroachVpcCidr],
      databasePort: DEFAULT_DATABASE_PORT,
    });
    this.nodeGroup = this.addNodesAndAddons(props, network.oryPrivateSubnetIds, names, partition);
    this.checkAccount(props, network);
    if (props.nodeGroupAlarms ?? true) {
      new EksNodeGroupAlarms(this, 'node-group-alarms', { nodeGroup: this.nodeGroup.nodeGroup, alarmName: `${props.namePrefix}-eks-node-status-check`, topicArn: network.alarmTopicArn });
    }
    const loadBalancerController = new LoadBalancerControllerRole(this, 'load-balancer-controller', {
      clusterName: cluster.name,
      roleName: names.loadBalancerControllerRole,
      partition,
    });
    this.publish(loadBalancerController);
  }

  /** The listed admins, and the deployer's entry unless turned off. */
  private addAdmins(props: EksStackProps, clusterName: string, partition: AwsPartition): EksDeployerClusterAdmin | undefined {
    const adminPrincipalArns = props.adminPrincipalArns ?? [];
    new EksClusterAdmins(this, 'admins', { clusterName, principalArns: adminPrincipalArns, partition });
    if (props.deployerClusterAdmin === false) {
      if (adminPrincipalArns.length === 0) Annotations.of(this).addWarning(EKS_NO_ADMIN_WARNING);
      return undefined;
    }
    return new EksDeployerClusterAdmin(this, 'deployer-admin', { clusterName, otherAdminPrincipalArns: adminPrincipalArns, partition });
  }

  /** Networking add-ons, then the nodes, then coredns: nodes join a cluster that has a CNI. */
  private addNodesAndAddons(props: EksStackProps, subnetIds: string[], names: ResourceNames, partition: AwsPartition): EksManagedNodeGroup {
    const cluster = this.cluster.cluster;
    const addons = new EksCoreAddons(this, 'addons', { clusterName: cluster.name, kubernetesVersion: cluster.version, addonVersions: props.addonVersions });
    const nodeGroup = new EksManagedNodeGroup(this, 'node-group', {
      clusterName: cluster.name,
      kubernetesVersion: cluster.version,
      kubernetesMinorVersion: props.kubernetesVersion ?? EKS_DEFAULT_KUBERNETES_VERSION,
      releaseVersion: props.nodeReleaseVersion,
      subnetIds,
      securityGroupIds: [this.cluster.clusterSecurityGroupId, this.nodeSecurityGroup.securityGroup.id],
      nodeRoleName: names.nodeRole,
      nodeGroupName: names.nodeGroup,
      instanceType: props.nodeInstanceType,
      desiredSize: props.nodeDesiredSize,
      minSize: props.nodeMinSize,
      maxSize: props.nodeMaxSize,
      rootVolumeSizeGiB: props.nodeRootVolumeSizeGiB,
      httpPutResponseHopLimit: props.nodeHttpPutResponseHopLimit,
      partition,
      dependsOn: addons.beforeNodes,
    });
    addons.addCoreDns(nodeGroup.nodeGroup);
    return nodeGroup;
  }

  /** Plan-time checks against the account: the node type is offered in the Ory subnets' zones, and the vCPU quota holds the nodes at their peak. */
  private checkAccount(props: EksStackProps, network: { availabilityZones: string[]; cockroachVpcId: string; oryVpcId: string }): void {
    const availabilityZones = network.availabilityZones;
    const instanceType = props.nodeInstanceType ?? 'm5.xlarge';
    new InstanceTypeOfferedCheck(this, 'node-type-offered', { setting: 'eks.nodeInstanceType', instanceType, availabilityZones });
    const quota = onDemandVcpuQuotaOf(instanceType);
    if (!quota) return;
    const maxSize = props.nodeMaxSize ?? 4;
    const peak = nodeGroupPeakVcpus(instanceType, maxSize, AZ_COUNT);
    const others = props.otherOnDemandVcpus ?? 0;
    const inUse = new OnDemandStandardVcpusInUse(this, 'vcpus-in-use', { deploymentVpcIds: [network.cockroachVpcId, network.oryVpcId] });
    new ServiceQuotaCheck(this, 'node-vcpus', {
      quota,
      region: props.region,
      needed: peak + others,
      usedByOthers: inUse.vcpus,
      what: `eks.nodeInstanceType "${instanceType}" with eks.nodeMaxSize ${maxSize} runs up to ${peak} On-Demand standard vCPUs (${maxSize} nodes plus the ${nodeGroupUpdateSurge(AZ_COUNT)} a node update adds)${others > 0 ? ` and the CockroachDB nodes ${others}` : ''}`,
      alternative: 'or choose a smaller eks.nodeInstanceType or eks.nodeMaxSize',
    });
  }

  private publish(loadBalancerController: LoadBalancerControllerRole): void {
    const cluster = this.cluster.cluster;
    publishOutputs(this, EKS_OUTPUTS, {
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      clusterEndpoint: cluster.endpoint,
      clusterCertificateAuthorityData: this.cluster.certificateAuthorityData,
      clusterOidcIssuerUrl: this.cluster.oidcIssuerUrl,
      clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
      nodeSecurityGroupId: this.nodeSecurityGroup.securityGroup.id,
      nodeRoleArn: this.nodeGroup.nodeRole.role.arn,
      loadBalancerControllerRoleArn: loadBalancerController.role.arn,
    });
  }
}

export type ResourceNames = ReturnType<typeof resourceNames>;

/** Names of the stack's resources, from the deployment's prefix. */
export function resourceNames(namePrefix: string) {
  return {
    clusterRole: `${namePrefix}-eks-cluster`,
    nodeRole: `${namePrefix}-eks-node`,
    nodeSecurityGroup: `${namePrefix}-eks-node`,
    controlPlaneSecurityGroup: `${namePrefix}-eks-control-plane`,
    nodeGroup: `${namePrefix}-eks-default`,
    loadBalancerControllerRole: `${namePrefix}-eks-lbc`,
  } as const;
}

/** Synthesis warning of a stack nobody can reach: the plan stops at the cluster's precondition. */
export const EKS_NO_API_ACCESS_WARNING = `${NO_API_ACCESS_MESSAGE} Until then \`cdktf deploy eks\` (and \`cdktf deploy ory\`) stop at plan time, before anything is created.`;

/** Synthesis warning of a stack with no admin access entry at all. */
export const EKS_NO_ADMIN_WARNING =
  'Nobody is cluster-admin: adminPrincipalArns is empty and deployerClusterAdmin is false, so kubectl and the ory stack get Unauthorized. List the roles that administer the cluster in adminPrincipalArns (eks.adminPrincipalArns).';

/** The access lists, checked: each problem names the prop, the value and what is allowed. */
function apiAccessOf(stack: Construct, props: EksStackProps): Required<EksApiAccess> {
  const access = { endpointPublicAccessCidrs: props.endpointPublicAccessCidrs ?? [], endpointPrivateAccessCidrs: props.endpointPrivateAccessCidrs ?? [] };
  throwIfProblems(stack, eksApiAccessProblems(access));
  return access;
}

/**
 * The load balancer controller finds subnets by their `kubernetes.io/cluster/<name>` tag, which
 * the network stack sets from its own idea of the cluster name: refuse to plan on a mismatch.
 */
function subnetsTaggedFor(taggedName: string, clusterName: string): PlanPrecondition {
  return {
    condition: Op.eq(taggedName, clusterName) as unknown as string,
    errorMessage: `The network stack tagged the Ory subnets for another EKS cluster name than "${clusterName}": deploy the network stack with the same eks.clusterName.`,
  };
}
