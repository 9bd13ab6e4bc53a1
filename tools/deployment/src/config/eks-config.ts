import { DEFAULT_LOG_RETENTION_DAYS } from '@crdb-ory/core';
import { EKS_DEFAULT_KUBERNETES_VERSION, EKS_NODE_GROUP_DEFAULTS, EKS_SUPPORT_TYPES, EksSupportType } from '@crdb-ory/eks';
import { z } from 'zod';
import { cidrBlock, instanceType, resourceName } from './primitives';

const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an EKS add-on version like v1.20.4-eksbuild.1');

/** Pinned add-on versions; an omitted add-on gets the newest version EKS publishes for `kubernetesVersion`. */
export const eksAddonVersionsConfig = z.strictObject({
  vpcCni: addonVersion.optional(),
  kubeProxy: addonVersion.optional(),
  eksPodIdentityAgent: addonVersion.optional(),
  coredns: addonVersion.optional(),
});

/** Shape only: the sizes EKS accepts are the eks library's rule (eksNodeGroupProblems, eks-rules.ts). */
const nodeCount = z.number().int();

/** Settings of the `eks` stack. */
export const eksConfig = z.strictObject({
  /**
   * EKS cluster name (unique per account and region; its log group and secrets key alias derive
   * from it). Unset: `<namePrefix>-ory`, and `ory` for the default prefix `crdb-ory`.
   */
  clusterName: resourceName.optional(),
  /** Kubernetes minor version; which ones EKS supports is checked against the EKS version table (eks-rules). */
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version like 1.35'),
  /** What EKS does when the version leaves standard support: STANDARD upgrades it, EXTENDED bills extended support. */
  supportType: z.enum(EKS_SUPPORT_TYPES as [EksSupportType, ...EksSupportType[]]),
  /** Networks routed into the Ory VPC (VPN, bastion, peered network) allowed to the private API endpoint on 443. */
  endpointPrivateAccessCidrs: z.array(cidrBlock),
  /** Public addresses allowed to a public API endpoint; empty: no public endpoint. */
  endpointPublicAccessCidrs: z.array(cidrBlock),
  /** IAM roles or users that get cluster-admin through access entries (what each may be is the eks library's rule, clusterAdminProblems). */
  adminPrincipalArns: z.array(z.string()),
  /** The IAM identity that runs `cdktf deploy eks` (resolved at plan time) gets a cluster-admin access entry. */
  deployerClusterAdmin: z.boolean(),
  /** Retention of the control-plane logs (api, audit, authenticator) in CloudWatch Logs, in days: one of the periods CloudWatch Logs accepts (core's logRetentionProblems). */
  logRetentionDays: z.number(),
  addonVersions: eksAddonVersionsConfig,
  /** Worker node instance type. */
  nodeInstanceType: instanceType,
  /** Worker nodes the group starts with (one per AZ). Changes after creation are left to operators. */
  nodeDesiredSize: nodeCount,
  nodeMinSize: nodeCount,
  nodeMaxSize: nodeCount,
  /** Encrypted gp3 root volume of each node, in GiB (20 to 16384: the eks library's EKS_NODE_ROOT_VOLUME_LIMITS). */
  nodeRootVolumeSizeGiB: z.number().int(),
  /** IMDSv2 hop limit: 1 keeps instance metadata away from pods; 2 lets pods off the host network use it. An enumeration, so its shape. */
  nodeMetadataHopLimit: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 (pods cannot reach instance metadata) or 2' }),
  /**
   * Pin the nodes' EKS optimized AL2023 AMI release (`1.35.0-20260115`); unset: the release AWS
   * recommends for `kubernetesVersion`, read at plan time (each deploy after a new release patches
   * the nodes, one at a time). Checked against `kubernetesVersion` (eks-rules).
   */
  nodeReleaseVersion: z.string().optional(),
});

export type EksConfig = z.infer<typeof eksConfig>;

export const EKS_DEFAULTS: EksConfig = {
  kubernetesVersion: EKS_DEFAULT_KUBERNETES_VERSION,
  supportType: 'STANDARD',
  endpointPrivateAccessCidrs: [],
  endpointPublicAccessCidrs: [],
  adminPrincipalArns: [],
  deployerClusterAdmin: true,
  logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
  addonVersions: {},
  nodeInstanceType: EKS_NODE_GROUP_DEFAULTS.instanceType,
  nodeDesiredSize: EKS_NODE_GROUP_DEFAULTS.desiredSize,
  nodeMinSize: EKS_NODE_GROUP_DEFAULTS.minSize,
  nodeMaxSize: EKS_NODE_GROUP_DEFAULTS.maxSize,
  nodeRootVolumeSizeGiB: EKS_NODE_GROUP_DEFAULTS.rootVolumeSizeGiB,
  nodeMetadataHopLimit: EKS_NODE_GROUP_DEFAULTS.httpPutResponseHopLimit,
};
