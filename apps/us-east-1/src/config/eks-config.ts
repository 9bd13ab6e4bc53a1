import { z } from 'zod';
import { LOG_RETENTION_DAYS } from './network-config';
import { iamPrincipalArn, instanceType, resourceName } from './primitives';

const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an EKS add-on version like v1.20.4-eksbuild.1');

/** Pinned add-on versions; an omitted add-on gets the newest version EKS publishes for `kubernetesVersion`. */
export const eksAddonVersionsConfig = z.strictObject({
  vpcCni: addonVersion.optional(),
  kubeProxy: addonVersion.optional(),
  eksPodIdentityAgent: addonVersion.optional(),
  coredns: addonVersion.optional(),
});

/** Settings of the `eks` stack. The public API endpoint follows the top-level `publicAccessCidrs`. */
export const eksConfig = z.strictObject({
  /** EKS cluster name. */
  clusterName: resourceName,
  /** Kubernetes minor version, in EKS standard support. */
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version like 1.33'),
  /** IAM roles or users that get cluster-admin through access entries; nobody else can use kubectl. */
  adminPrincipalArns: z.array(iamPrincipalArn),
  /** Retention of the control-plane logs (api, audit, authenticator) in CloudWatch Logs, in days. */
  logRetentionDays: z
    .number()
    .refine((days) => LOG_RETENTION_DAYS.includes(days), `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}`),
  addonVersions: eksAddonVersionsConfig,
  /** Worker node instance type. */
  nodeInstanceType: instanceType,
  /** Worker nodes the group starts with (one per AZ). Changes after creation are left to operators. */
  nodeDesiredSize: z.number().int().min(1),
  nodeMinSize: z.number().int().min(1),
  nodeMaxSize: z.number().int().min(1),
  /** Encrypted gp3 root volume of each node, in GiB. */
  nodeRootVolumeSizeGiB: z.number().int().min(20, 'must be at least 20 GiB (the AL2023 EKS AMI)').max(16384),
  /** IMDSv2 hop limit: 1 keeps instance metadata away from pods; 2 lets pods off the host network use it. */
  nodeMetadataHopLimit: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 (pods cannot reach instance metadata) or 2' }),
});

export type EksConfig = z.infer<typeof eksConfig>;

export const EKS_DEFAULTS: EksConfig = {
  clusterName: 'ory',
  kubernetesVersion: '1.35',
  adminPrincipalArns: [],
  logRetentionDays: 365,
  addonVersions: {},
  nodeInstanceType: 'm5.xlarge',
  nodeDesiredSize: 3,
  nodeMinSize: 1,
  nodeMaxSize: 4,
  nodeRootVolumeSizeGiB: 50,
  nodeMetadataHopLimit: 1,
};
