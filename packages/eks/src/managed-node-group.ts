import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AwsPartition, PropProblem, throwIfProblems } from '@crdb-ory/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AWS_MANAGED_POLICY } from './aws-managed-policies';
import { integerInRangeProblems } from './prop-problems';
import { EKS_NODE_AMI_TYPE, nodeInstanceTypeProblems } from './node-instance-type';
import { ServiceRole } from './service-role';

export interface EksManagedNodeGroupProps {
  readonly clusterName: string;
  /** Kubernetes version of the nodes: the cluster's, so a cluster upgrade is followed by a rolling node upgrade. */
  readonly kubernetesVersion: string;
  /**
   * The minor version in the name of the AMI release parameter (`1.35`): the configured version,
   * known at synthesis, where `kubernetesVersion` is the cluster's attribute.
   * @default `kubernetesVersion` (required when that is a Terraform reference and `releaseVersion` is not given)
   */
  readonly kubernetesMinorVersion?: string;
  /**
   * The EKS optimized AL2023 AMI release of the nodes (`1.35.0-20260115`). A new value is a node
   * group update that replaces the nodes one at a time (`update_config.max_unavailable = 1`,
   * respecting PodDisruptionBudgets).
   * @default the recommended release AWS publishes for `kubernetesMinorVersion`
   * ({@link eksAl2023ReleaseVersionParameter}, read at plan time): each `cdktf deploy eks` after AWS
   * publishes a newer release patches the nodes
   */
  readonly releaseVersion?: string;
  /** Subnets the nodes spread across, one per AZ (private). */
  readonly subnetIds: string[];
  /** Security groups of the nodes: the cluster security group and the node security group. */
  readonly securityGroupIds: string[];
  /** IAM role name of the nodes. */
  readonly nodeRoleName: string;
  /** Node group name. */
  readonly nodeGroupName: string;
  /** @default EKS_NODE_GROUP_DEFAULTS.instanceType ('m5.xlarge') */
  readonly instanceType?: string;
  /** Nodes the group starts with; later changes outside Terraform are kept (see README). @default EKS_NODE_GROUP_DEFAULTS.desiredSize (3, one per AZ) */
  readonly desiredSize?: number;
  /** @default EKS_NODE_GROUP_DEFAULTS.minSize (1) */
  readonly minSize?: number;
  /** @default EKS_NODE_GROUP_DEFAULTS.maxSize (4) */
  readonly maxSize?: number;
  /** Size of the encrypted gp3 root volume, in GiB ({@link EKS_NODE_ROOT_VOLUME_LIMITS}). @default EKS_NODE_GROUP_DEFAULTS.rootVolumeSizeGiB (50) */
  readonly rootVolumeSizeGiB?: number;
  /**
   * IMDSv2 PUT response hop limit. 1 keeps the instance metadata (and the node role's
   * credentials) away from pods that are not on the host network; 2 lets such pods use it.
   * @default 1 — pods get AWS credentials from EKS Pod Identity only
   */
  readonly httpPutResponseHopLimit?: 1 | 2;
  /** Partition of the cluster's region (`awsPartitionOf(region)`), for managed policy ARNs. @default 'aws' */
  readonly partition?: AwsPartition;
  /** Resources the nodes need before they can join (CNI, kube-proxy add-ons). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The SSM parameter AWS publishes with the recommended EKS optimized AL2023 (x86_64, standard) AMI
 * release for a Kubernetes version (https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html:
 * `/aws/service/eks/optimized-ami/<kubernetes-version>/amazon-linux-2023/x86_64/standard/recommended/`,
 * sub-parameter `release_version`; terraform-aws-modules' eks-managed-node-group reads the same
 * one for `use_latest_ami_release_version`).
 */
export function eksAl2023ReleaseVersionParameter(kubernetesVersion: string): string {
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/x86_64/standard/recommended/release_version`;
}

/** Why `releaseVersion` cannot be the AMI release of nodes of `kubernetesVersion` (undefined: it can). */
export function eksReleaseVersionProblem(releaseVersion: string, kubernetesVersion: string): string | undefined {
  const match = /^(\d+\.\d+)\.\d+-\d{8}$/.exec(releaseVersion);
  if (match && match[1] === kubernetesVersion) return undefined;
  return `expected an EKS AL2023 AMI release of Kubernetes ${kubernetesVersion}, like ${kubernetesVersion}.0-20260115`;
}

/** EKS quota "Nodes per managed node group" (default; adjustable by request). The construct allows no more. */
export const EKS_MAX_NODES_PER_NODE_GROUP = 450;

/** The node group of the reference architecture (design section 2): m5.xlarge, three nodes (one per AZ), min 1, max 4. */
export const EKS_NODE_GROUP_DEFAULTS = {
  instanceType: 'm5.xlarge',
  desiredSize: 3,
  minSize: 1,
  maxSize: 4,
  rootVolumeSizeGiB: 50,
  httpPutResponseHopLimit: 1,
} as const;

/** The root volume: at least the AL2023 EKS AMI's 20 GiB, at most what gp3 allows (16 TiB). */
export const EKS_NODE_ROOT_VOLUME_LIMITS = { min: 20, max: 16384 } as const;

/** The props of {@link eksNodeGroupProblems}, defaults filled. */
export type EksNodeGroupSettings = Required<Pick<EksManagedNodeGroupProps, 'instanceType' | 'desiredSize' | 'minSize' | 'maxSize' | 'rootVolumeSizeGiB' | 'httpPutResponseHopLimit'>>;

/**
 * Every reason EKS would refuse the node group's sizes, root volume and metadata hop limit (the
 * instance type and the release have their own rules: {@link nodeInstanceTypeProblems},
 * {@link eksReleaseVersionProblem}), each under its prop.
 */
export function eksNodeGroupProblems(s: Omit<EksNodeGroupSettings, 'instanceType'>): PropProblem[] {
  const quota = `EKS allows ${EKS_MAX_NODES_PER_NODE_GROUP} nodes per managed node group (default quota)`;
  const sizes = (['minSize', 'desiredSize', 'maxSize'] as const).flatMap((prop) => integerInRangeProblems(prop, s[prop], 0, EKS_MAX_NODES_PER_NODE_GROUP, quota));
  if (sizes.length === 0 && (!(s.minSize <= s.desiredSize && s.desiredSize <= s.maxSize) || s.maxSize < 1)) {
    sizes.push({ prop: 'desiredSize', value: { minSize: s.minSize, desiredSize: s.desiredSize, maxSize: s.maxSize }, message: 'expected minSize <= desiredSize <= maxSize and maxSize >= 1' });
  }
  const { min, max } = EKS_NODE_ROOT_VOLUME_LIMITS;
  return [
    ...sizes,
    ...integerInRangeProblems('rootVolumeSizeGiB', s.rootVolumeSizeGiB, min, max, `at least ${min} GiB (the AL2023 EKS AMI), at most ${max} (gp3)`),
    ...([1, 2].includes(s.httpPutResponseHopLimit) ? [] : [{ prop: 'httpPutResponseHopLimit', value: s.httpPutResponseHopLimit, message: 'expected 1 (pods cannot reach instance metadata) or 2' }]),
  ];
}

/**
 * A managed node group of Amazon Linux 2023 nodes spread over the given subnets, with a
 * launch template that requires IMDSv2, encrypts the root volume and sets no SSH key. Updates
 * replace one node at a time: a Kubernetes version, a launch template change and a new AMI
 * release (`release_version`, by default the latest AWS publishes) alike.
 */
export class EksManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly nodeRole: ServiceRole;

  constructor(scope: Construct, id: string, props: EksManagedNodeGroupProps) {
    super(scope, id);
    const d = EKS_NODE_GROUP_DEFAULTS;
    const settings: EksNodeGroupSettings = {
      instanceType: props.instanceType ?? d.instanceType,
      desiredSize: props.desiredSize ?? d.desiredSize,
      minSize: props.minSize ?? d.minSize,
      maxSize: props.maxSize ?? d.maxSize,
      rootVolumeSizeGiB: props.rootVolumeSizeGiB ?? d.rootVolumeSizeGiB,
      httpPutResponseHopLimit: props.httpPutResponseHopLimit ?? d.httpPutResponseHopLimit,
    };
    throwIfProblems(this, problemsOf(this, props, settings));
    const scaling = { minSize: settings.minSize, desiredSize: settings.desiredSize, maxSize: settings.maxSize };
    this.nodeRole = new ServiceRole(this, 'node-role', {
      roleName: props.nodeRoleName,
      description: `Worker nodes of EKS cluster ${props.clusterName}`,
      servicePrincipal: 'ec2.amazonaws.com',
      managedPolicyArns: {
        'worker-node-policy': AWS_MANAGED_POLICY.eksWorkerNode,
        'cni-policy': AWS_MANAGED_POLICY.eksCni,
        'ecr-pull-policy': AWS_MANAGED_POLICY.ecrPullOnly,
      },
      partition: props.partition,
    });
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${props.nodeGroupName}-nodes`,
      description: `Nodes of EKS node group ${props.nodeGroupName}: IMDSv2, encrypted root volume`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: props.securityGroupIds,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: settings.httpPutResponseHopLimit,
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: settings.rootVolumeSizeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: { Name: `${props.nodeGroupName}-node` },
      })),
    });
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.nodeGroupName,
      version: props.kubernetesVersion,
      releaseVersion: props.releaseVersion ?? new DataAwsSsmParameter(this, 'release-version', { name: eksAl2023ReleaseVersionParameter(minorVersionOf(this, props)) }).insecureValue,
      nodeRoleArn: this.nodeRole.role.arn,
      subnetIds: props.subnetIds,
      amiType: EKS_NODE_AMI_TYPE,
      capacityType: 'ON_DEMAND',
      instanceTypes: [settings.instanceType],
      scalingConfig: scaling,
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: [...this.nodeRole.attachments, ...(props.dependsOn ?? [])],
    });
  }
}

function problemsOf(scope: Construct, props: EksManagedNodeGroupProps, s: EksNodeGroupSettings): PropProblem[] {
  const typeProblems = nodeInstanceTypeProblems(s.instanceType, { nodes: s.desiredSize, workloadPods: 0 }).map((message) => ({ prop: 'instanceType', value: s.instanceType, message }));
  const release = props.releaseVersion === undefined ? undefined : eksReleaseVersionProblem(props.releaseVersion, minorVersionOf(scope, props));
  return [...eksNodeGroupProblems(s), ...typeProblems, ...(release ? [{ prop: 'releaseVersion', value: props.releaseVersion, message: release }] : [])];
}

function minorVersionOf(scope: Construct, props: EksManagedNodeGroupProps): string {
  const version = props.kubernetesMinorVersion ?? props.kubernetesVersion;
  if (Token.isUnresolved(version)) {
    throwIfProblems(scope, [{ prop: 'kubernetesMinorVersion', value: version, message: 'expected the Kubernetes minor version (1.35) when kubernetesVersion is a Terraform reference: it names the AMI release parameter' }]);
  }
  return version;
}
