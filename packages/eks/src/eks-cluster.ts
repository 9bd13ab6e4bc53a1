import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsPartition, DEFAULT_LOG_RETENTION_DAYS, PropProblem, iamPolicyJson, logRetentionProblems, throwIfProblems } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { eksApiAccessProblems } from './api-access';
import { AWS_MANAGED_POLICY } from './aws-managed-policies';
import { EKS_SUPPORT_TYPES, EksSupportType, eksKubernetesVersionProblems } from './kubernetes-versions';
import { ServiceRole } from './service-role';

/** Control-plane log types EKS can send to CloudWatch Logs. */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export type EksLogType = (typeof EKS_LOG_TYPES)[number];

export interface EksClusterProps {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.35`: one of `EKS_KUBERNETES_VERSIONS` allowed for `supportType`. */
  readonly kubernetesVersion: string;
  /** Subnets of the control-plane ENIs: the VPC's private subnets, one per AZ. */
  readonly subnetIds: string[];
  /** IAM role name of the cluster. */
  readonly clusterRoleName: string;
  /**
   * CIDR blocks allowed to reach the public Kubernetes API endpoint.
   * @default [] — no public endpoint: the API is reachable from inside the VPC (and peered networks) only
   */
  readonly endpointPublicAccessCidrs?: readonly string[];
  /**
   * Additional security groups of the control-plane network interfaces (`vpc_config.security_group_ids`),
   * e.g. an `EksControlPlaneSecurityGroup` admitting operator networks to the private endpoint.
   * @default [] — only the cluster security group EKS creates
   */
  readonly securityGroupIds?: readonly string[];
  /**
   * What EKS does when `kubernetesVersion` leaves standard support (`upgrade_policy.support_type`):
   * `STANDARD` upgrades the cluster to the next version; `EXTENDED` keeps it, billed as extended support.
   * @default 'STANDARD' — no extended-support charges (EKS's own default is EXTENDED)
   */
  readonly supportType?: EksSupportType;
  /** Partition of the cluster's region (`awsPartitionOf(region)`), for managed policy ARNs. @default 'aws' */
  readonly partition?: AwsPartition;
  /**
   * Control-plane logs sent to CloudWatch Logs.
   * @default ['api', 'audit', 'authenticator']
   */
  readonly enabledClusterLogTypes?: readonly EksLogType[];
  /**
   * Retention of the control-plane log group, in days (a CloudWatch Logs retention period).
   * @default 365
   */
  readonly logRetentionInDays?: number;
  /**
   * Days KMS waits before deleting the secrets-encryption key after the stack is destroyed.
   * @default 30 — the longest window, to recover from an accidental destroy
   */
  readonly kmsKeyDeletionWindowInDays?: number;
}

/**
 * An EKS control plane, secure by default: Kubernetes Secrets envelope-encrypted with a KMS
 * key of its own (rotated yearly), control-plane logs in a log group with a retention, `API`
 * authentication with no implicit cluster-creator admin, private endpoint always on and a
 * public endpoint only for an explicit CIDR allow-list, and the `STANDARD` upgrade policy (no
 * extended-support billing). No self-managed add-ons are bootstrapped: the managed add-ons
 * replace them.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly kmsKey: KmsKey;
  readonly logGroup: CloudwatchLogGroup;
  readonly clusterRole: ServiceRole;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    throwIfProblems(this, eksClusterProblems(props));
    const publicCidrs = [...(props.endpointPublicAccessCidrs ?? [])];
    this.clusterRole = new ServiceRole(this, 'cluster-role', {
      roleName: props.clusterRoleName,
      description: `EKS control plane of ${props.clusterName}`,
      servicePrincipal: 'eks.amazonaws.com',
      allowTagSession: true,
      managedPolicyArns: { 'eks-cluster-policy': AWS_MANAGED_POLICY.eksCluster },
      partition: props.partition,
    });
    this.kmsKey = new KmsKey(this, 'secrets-key', {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${props.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.kmsKeyDeletionWindowInDays ?? 30,
    });
    new KmsAlias(this, 'secrets-key-alias', { name: `alias/eks/${props.clusterName}-secrets`, targetKeyId: this.kmsKey.keyId });
    // The key policy delegates to IAM, and AmazonEKSClusterPolicy grants no KMS use.
    const keyUse = new IamRolePolicy(this, 'secrets-key-use', {
      name: 'secrets-encryption',
      role: this.clusterRole.role.id,
      policy: iamPolicyJson([{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: this.kmsKey.arn }]),
    });
    // Created before the cluster, else EKS creates the group itself, without a retention.
    this.logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetentionInDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });
    this.cluster = new EksClusterResource(this, 'cluster', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: this.clusterRole.role.arn,
      bootstrapSelfManagedAddons: false,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.kmsKey.arn } },
      enabledClusterLogTypes: [...(props.enabledClusterLogTypes ?? ['api', 'audit', 'authenticator'])],
      upgradePolicy: { supportType: props.supportType ?? 'STANDARD' },
      vpcConfig: {
        subnetIds: props.subnetIds,
        ...(props.securityGroupIds?.length ? { securityGroupIds: [...props.securityGroupIds] } : {}),
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}),
      },
      kubernetesNetworkConfig: { ipFamily: 'ipv4' },
      dependsOn: [this.logGroup, keyUse, ...this.clusterRole.attachments],
    });
  }

  /** The security group EKS creates for the control plane and managed nodes. */
  get clusterSecurityGroupId(): string {
    return this.cluster.vpcConfig.clusterSecurityGroupId;
  }

  get certificateAuthorityData(): string {
    return this.cluster.certificateAuthority.get(0).data;
  }

  get oidcIssuerUrl(): string {
    return this.cluster.identity.get(0).oidc.get(0).issuer;
  }
}

/** Every reason EKS would refuse the cluster's props, each under its prop. */
export function eksClusterProblems(props: EksClusterProps): PropProblem[] {
  const supportType = props.supportType ?? 'STANDARD';
  const problems: PropProblem[] = [];
  if (!EKS_SUPPORT_TYPES.includes(supportType)) problems.push({ prop: 'supportType', value: supportType, message: `allowed: ${EKS_SUPPORT_TYPES.join(', ')}` });
  else problems.push(...eksKubernetesVersionProblems(props.kubernetesVersion, supportType));
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(props.clusterName)) {
    problems.push({ prop: 'clusterName', value: props.clusterName, message: 'expected 1-100 characters of letters, digits, "-" and "_", starting with a letter or digit' });
  }
  problems.push(...eksApiAccessProblems({ endpointPublicAccessCidrs: props.endpointPublicAccessCidrs }));
  const unknownLogTypes = (props.enabledClusterLogTypes ?? []).filter((type) => !EKS_LOG_TYPES.includes(type));
  if (unknownLogTypes.length > 0) problems.push({ prop: 'enabledClusterLogTypes', value: unknownLogTypes, message: `allowed: ${EKS_LOG_TYPES.join(', ')}` });
  problems.push(...logRetentionProblems('logRetentionInDays', props.logRetentionInDays ?? DEFAULT_LOG_RETENTION_DAYS));
  return problems;
}
