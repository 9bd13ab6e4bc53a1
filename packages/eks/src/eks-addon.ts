import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export interface EksManagedAddonProps {
  readonly clusterName: string;
  /** EKS add-on name, e.g. `vpc-cni`. */
  readonly addonName: string;
  /** Kubernetes version the add-on version must be compatible with (the cluster's). */
  readonly kubernetesVersion: string;
  /**
   * Pinned add-on version, e.g. `v1.20.4-eksbuild.1`.
   * @default the most recent version EKS publishes for `kubernetesVersion`, resolved at plan time
   */
  readonly addonVersion?: string;
  /** What must exist before the add-on (coredns: the nodes). @default the cluster only */
  readonly dependsOn?: ITerraformDependable[];
  /** The add-on's configuration values (its JSON schema: `aws eks describe-addon-configuration`). @default none: the add-on's defaults */
  readonly configurationValues?: Readonly<Record<string, unknown>>;
}

/**
 * A managed EKS add-on at a pinned version, or at the newest version compatible with the
 * cluster's Kubernetes version. Terraform owns the configuration: conflicts are overwritten.
 */
export class EksManagedAddon extends Construct {
  readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: EksManagedAddonProps) {
    super(scope, id);
    this.addon = new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: props.addonVersion ?? this.mostRecentVersion(props),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...(props.configurationValues ? { configurationValues: JSON.stringify(props.configurationValues) } : {}),
      ...(props.dependsOn ? { dependsOn: props.dependsOn } : {}),
    });
  }

  private mostRecentVersion(props: EksManagedAddonProps): string {
    return new DataAwsEksAddonVersion(this, 'version', {
      addonName: props.addonName,
      kubernetesVersion: props.kubernetesVersion,
      mostRecent: true,
    }).version;
  }
}
