import { Ec2InstanceTypeFacts, ec2InstanceType, unknownInstanceTypeProblem } from '@crdb-ory/core';

/** The AMI type of the managed node group's nodes (Amazon Linux 2023, x86_64). */
export const EKS_NODE_AMI_TYPE = 'AL2023_x86_64_STANDARD';
/** The processor architecture of each AMI type EKS documents (`amiType` of CreateNodegroup). */
export const EKS_AMI_TYPE_ARCHITECTURE: Readonly<Record<string, string>> = {
  AL2023_x86_64_STANDARD: 'x86_64',
  AL2023_ARM_64_STANDARD: 'arm64',
};

/**
 * Pods every node runs whatever else it runs: the DaemonSets of the core add-ons (`EksCoreAddons`:
 * vpc-cni's aws-node, kube-proxy, eks-pod-identity-agent). They count against the node's pod limit.
 */
export const EKS_DAEMONSET_PODS_PER_NODE = 3;
/** Pods of the cluster's own add-ons besides the DaemonSets: coredns (2 replicas, the add-on's default). */
export const EKS_ADDON_PODS = 2;

/**
 * Pods the VPC CNI lets a node run (no prefix delegation, which this product does not turn on):
 * network interfaces × (IPv4 addresses per interface − 1) + 2. The formula of
 * awslabs/amazon-eks-ami `eni-max-pods.txt` ("# of ENI * (# of IPv4 per ENI - 1) + 2": the first
 * address of each interface is the node's own, +2 for the host-network pods) and the EKS User
 * Guide ("Choose an optimal Amazon EC2 node instance type").
 */
export function vpcCniMaxPods(type: Ec2InstanceTypeFacts): number {
  return type.maxNetworkInterfaces * (type.ipv4AddressesPerInterface - 1) + 2;
}

export interface NodeInstanceTypeNeeds {
  /** Nodes the pods spread over (the group's desired size). */
  readonly nodes: number;
  /** Pods the workloads put on the cluster besides the add-ons' (Ory's replicas, its jobs, controllers). */
  readonly workloadPods: number;
  /** @default EKS_NODE_AMI_TYPE */
  readonly amiType?: string;
}

/**
 * Why `instanceType` cannot be the node type, each a sentence naming what is allowed; none when
 * it can: it must exist, match the AMI's architecture, and run the add-ons' and workloads' pods.
 */
export function nodeInstanceTypeProblems(instanceType: string, needs: NodeInstanceTypeNeeds): string[] {
  const unknown = unknownInstanceTypeProblem(instanceType);
  if (unknown) return [`${unknown}; e.g. m5.xlarge`];
  const type = ec2InstanceType(instanceType)!;
  const amiType = needs.amiType ?? EKS_NODE_AMI_TYPE;
  const architecture = EKS_AMI_TYPE_ARCHITECTURE[amiType];
  const problems: string[] = [];
  if (architecture && !type.architectures.includes(architecture)) {
    problems.push(`is ${type.architectures.join('/')}, but the nodes run the ${amiType} AMI (${architecture}): choose an ${architecture} type such as m5.xlarge`);
  }
  const maxPods = vpcCniMaxPods(type);
  const free = Math.max(0, maxPods - EKS_DAEMONSET_PODS_PER_NODE) * needs.nodes;
  const needed = needs.workloadPods + EKS_ADDON_PODS;
  if (free < needed) {
    problems.push(
      `runs at most ${maxPods} pods per node (VPC CNI: ${type.maxNetworkInterfaces} network interfaces × (${type.ipv4AddressesPerInterface} addresses − 1) + 2), ${EKS_DAEMONSET_PODS_PER_NODE} of them the add-ons' DaemonSets, so ${needs.nodes} nodes hold ${free} more pods; Ory and coredns need ${needed}: choose a type with more network interfaces or addresses (m5.large runs 29 pods)`,
    );
  }
  return problems;
}

/**
 * Nodes a managed node group adds during an update, on top of its size: "the larger of up to
 * twice the number of Availability Zones the Auto Scaling group is deployed in, or the maximum
 * unavailable" (EKS User Guide, "Understand each phase of node updates", scale up phase).
 */
export function nodeGroupUpdateSurge(availabilityZones: number, maxUnavailable = 1): number {
  return Math.max(2 * availabilityZones, maxUnavailable);
}

/** The most On-Demand vCPUs the node group runs: at its maximum size, during an update. */
export function nodeGroupPeakVcpus(instanceType: string, maxSize: number, availabilityZones: number): number {
  const type = ec2InstanceType(instanceType);
  return type ? type.vcpus * (maxSize + nodeGroupUpdateSurge(availabilityZones)) : 0;
}
