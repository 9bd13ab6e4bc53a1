import { ProductStack, StateBackendConfig, configureAwsProvider, publishOutputs } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Op } from 'cdktf';
import { Construct } from 'constructs';
import { EksClusterAdmins } from './cluster-admins';
import { EksAddonVersions, EksCoreAddons } from './eks-addons';
import { EksCluster } from './eks-cluster';
import { EKS_OUTPUTS, EKS_STACK_NAME } from './eks-outputs';
import { LoadBalancerControllerRole } from './load-balancer-controller-role';
import { EksManagedNodeGroup } from './managed-node-group';
import { EksNodeSecurityGroup } from './node-security-group';

export interface EksStackProps {
  readonly stateBackend: StateBackendConfig;
  readonly region: string;
  /** Tags on every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Prefix of IAM role, security group and node group names. */
  readonly namePrefix: string;
  /** @default 'ory' — the name the network stack tags the Ory subnets for */
  readonly clusterName?: string;
  /** Kubernetes minor version, in EKS standard support. @default '1.35' */
  readonly kubernetesVersion?: string;
  /** IAM role or user ARNs that get cluster-admin access entries. @default [] — nobody can use kubectl until one is added */
  readonly adminPrincipalArns?: readonly string[];
  /** CIDR blocks allowed to the public API endpoint. @default [] — private endpoint only */
  readonly endpointPublicAccessCidrs?: readonly string[];
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
  /** @default every add-on at the newest version compatible with `kubernetesVersion` */
  readonly addonVersions?: EksAddonVersions;
}

const SQL_PORT = 26257;

/**
 * The `eks` stack: the cluster that runs Ory, in the Ory VPC's private subnets, with a managed
 * node group of three nodes (one per AZ), the core add-ons, admin access entries and the Load
 * Balancer Controller's Pod Identity role. Publishes EKS_OUTPUTS for the Ory stack.
 */
export class EksStack extends ProductStack {
  readonly cluster: EksCluster;
  readonly nodeGroup: EksManagedNodeGroup;
  readonly nodeSecurityGroup: EksNodeSecurityGroup;

  /** The stack's id is always `eks`: it is the state key downstream stacks read (EKS_OUTPUTS). */
  constructor(scope: Construct, props: EksStackProps) {
    super(scope, EKS_STACK_NAME, { stateBackend: props.stateBackend });
    configureAwsProvider(this, { region: props.region, tags: props.tags });
    const network = this.readUpstream(NETWORK_OUTPUTS);
    const clusterName = props.clusterName ?? 'ory';
    const kubernetesVersion = props.kubernetesVersion ?? '1.35';
    const names = resourceNames(props.namePrefix);

    this.cluster = new EksCluster(this, 'cluster', {
      clusterName,
      kubernetesVersion,
      subnetIds: network.oryPrivateSubnetIds,
      clusterRoleName: names.clusterRole,
      endpointPublicAccessCidrs: props.endpointPublicAccessCidrs ?? [],
      logRetentionInDays: props.logRetentionInDays ?? 365,
    });
    const cluster = this.cluster.cluster;
    requireSubnetsTaggedFor(this.cluster, network.eksClusterName, clusterName);
    new EksClusterAdmins(this, 'admins', { clusterName: cluster.name, principalArns: props.adminPrincipalArns ?? [] });

    this.nodeSecurityGroup = new EksNodeSecurityGroup(this, 'node-security-group', {
      vpcId: network.oryVpcId,
      name: names.nodeSecurityGroup,
      databaseCidrBlocks: [network.cockroachVpcCidr],
      databasePort: SQL_PORT,
    });
    this.nodeGroup = this.addNodesAndAddons(props, network.oryPrivateSubnetIds, names);
    const loadBalancerController = new LoadBalancerControllerRole(this, 'load-balancer-controller', {
      clusterName: cluster.name,
      roleName: names.loadBalancerControllerRole,
    });
    this.publish(loadBalancerController);
  }

  /** Networking add-ons, then the nodes, then coredns: nodes join a cluster that has a CNI. */
  private addNodesAndAddons(props: EksStackProps, subnetIds: string[], names: ResourceNames): EksManagedNodeGroup {
    const cluster = this.cluster.cluster;
    const addons = new EksCoreAddons(this, 'addons', { clusterName: cluster.name, kubernetesVersion: cluster.version, addonVersions: props.addonVersions });
    const nodeGroup = new EksManagedNodeGroup(this, 'node-group', {
      clusterName: cluster.name,
      kubernetesVersion: cluster.version,
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
      dependsOn: addons.beforeNodes,
    });
    addons.addCoreDns(nodeGroup.nodeGroup);
    return nodeGroup;
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
    nodeGroup: `${namePrefix}-eks-default`,
    loadBalancerControllerRole: `${namePrefix}-eks-lbc`,
  } as const;
}

/**
 * The load balancer controller finds subnets by their `kubernetes.io/cluster/<name>` tag, which
 * the network stack sets from its own idea of the cluster name: refuse to plan on a mismatch.
 */
function requireSubnetsTaggedFor(cluster: EksCluster, taggedName: string, clusterName: string): void {
  cluster.cluster.addOverride('lifecycle.precondition', [
    {
      condition: Op.eq(taggedName, clusterName),
      error_message: `The network stack tagged the Ory subnets for another EKS cluster name than "${clusterName}": deploy the network stack with the same eks.clusterName.`,
    },
  ]);
}
