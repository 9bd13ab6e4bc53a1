import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AwsPartition } from '@crdb-ory/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AWS_MANAGED_POLICY } from './aws-managed-policies';
import { invalidProp, requireIntegerInRange } from './prop-errors';
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
  /** @default 'm5.xlarge' */
  readonly instanceType?: string;
  /** Nodes the group starts with; later changes outside Terraform are kept (see README). @default 3 */
  readonly desiredSize?: number;
  /** @default 1 */
  readonly minSize?: number;
  /** @default 4 */
  readonly maxSize?: number;
  /** Size of the encrypted gp3 root volume, in GiB. @default 50 */
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

const NAME = 'EksManagedNodeGroup';

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
    const scaling = { minSize: props.minSize ?? 1, desiredSize: props.desiredSize ?? 3, maxSize: props.maxSize ?? 4 };
    validate(props, scaling);
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
        httpPutResponseHopLimit: props.httpPutResponseHopLimit ?? 1,
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.rootVolumeSizeGiB ?? 50, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
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
      releaseVersion: props.releaseVersion ?? new DataAwsSsmParameter(this, 'release-version', { name: eksAl2023ReleaseVersionParameter(minorVersionOf(props)) }).insecureValue,
      nodeRoleArn: this.nodeRole.role.arn,
      subnetIds: props.subnetIds,
      amiType: EKS_NODE_AMI_TYPE,
      capacityType: 'ON_DEMAND',
      instanceTypes: [props.instanceType ?? 'm5.xlarge'],
      scalingConfig: scaling,
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: [...this.nodeRole.attachments, ...(props.dependsOn ?? [])],
    });
  }
}

function validate(props: EksManagedNodeGroupProps, scaling: { minSize: number; desiredSize: number; maxSize: number }): void {
  for (const [prop, value] of Object.entries(scaling)) requireIntegerInRange(NAME, prop, value, 0, EKS_MAX_NODES_PER_NODE_GROUP);
  if (!(scaling.minSize <= scaling.desiredSize && scaling.desiredSize <= scaling.maxSize) || scaling.maxSize < 1) {
    invalidProp(NAME, 'minSize/desiredSize/maxSize', scaling, 'expected minSize <= desiredSize <= maxSize and maxSize >= 1');
  }
  const instanceType = props.instanceType ?? 'm5.xlarge';
  const typeProblems = nodeInstanceTypeProblems(instanceType, { nodes: scaling.desiredSize, workloadPods: 0 });
  if (typeProblems.length > 0) invalidProp(NAME, 'instanceType', instanceType, typeProblems.join('; '));
  requireIntegerInRange(NAME, 'rootVolumeSizeGiB', props.rootVolumeSizeGiB ?? 50, 20, 16384);
  const releaseProblem = props.releaseVersion === undefined ? undefined : eksReleaseVersionProblem(props.releaseVersion, minorVersionOf(props));
  if (releaseProblem) invalidProp(NAME, 'releaseVersion', props.releaseVersion, releaseProblem);
  if (![1, 2].includes(props.httpPutResponseHopLimit ?? 1)) {
    invalidProp(NAME, 'httpPutResponseHopLimit', props.httpPutResponseHopLimit, 'expected 1 or 2');
  }
}

function minorVersionOf(props: EksManagedNodeGroupProps): string {
  const version = props.kubernetesMinorVersion ?? props.kubernetesVersion;
  if (Token.isUnresolved(version)) invalidProp(NAME, 'kubernetesMinorVersion', version, 'expected the Kubernetes minor version (1.35) when kubernetesVersion is a Terraform reference: it names the AMI release parameter');
  return version;
}
