import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EksManagedAddon } from './eks-addon';
import { throwIfProblems } from '@crdb-ory/core';

/**
 * The VPC CNI's configuration: its network policy agent on, so the cluster enforces Kubernetes
 * NetworkPolicies (without it they are accepted and ignored). EKS User Guide, "Restrict Pod network
 * traffic with Kubernetes network policies", step 2: the add-on's configuration value
 * `"enableNetworkPolicy": "true"` (VPC CNI 1.14 or later, Kubernetes 1.25 or later). Pods start in
 * the default "standard" mode (allowed until their policies are in place, a moment after start):
 * "strict" mode would deny every pod of the cluster, CoreDNS included, until a policy admits it.
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' } as const;

/** Pinned versions of the core add-ons; an omitted one resolves to the newest compatible version. */
export interface EksAddonVersions {
  readonly vpcCni?: string;
  readonly kubeProxy?: string;
  readonly eksPodIdentityAgent?: string;
  readonly coredns?: string;
}

export interface EksCoreAddonsProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** @default every add-on at the most recent version EKS publishes for `kubernetesVersion` */
  readonly addonVersions?: EksAddonVersions;
}

/**
 * The add-ons nodes need before they can become Ready: networking (vpc-cni, kube-proxy) and
 * the Pod Identity agent, all DaemonSets, so they are created with the cluster and before the
 * nodes. coredns is a Deployment that cannot schedule without nodes: `addCoreDns` after them.
 */
export class EksCoreAddons extends Construct {
  readonly vpcCni: EksAddon;
  readonly kubeProxy: EksAddon;
  readonly podIdentityAgent: EksAddon;
  private readonly props: EksCoreAddonsProps;

  constructor(scope: Construct, id: string, props: EksCoreAddonsProps) {
    super(scope, id);
    this.props = props;
    const vpcCni = props.addonVersions?.vpcCni;
    const version = vpcCni ? /^v(\d+)\.(\d+)\./.exec(vpcCni) : undefined;
    if (vpcCni && (!version || Number(version[1]) < 1 || (Number(version[1]) === 1 && Number(version[2]) < 14))) {
      throwIfProblems(this, [{ prop: 'addonVersions.vpcCni', value: vpcCni, message: 'expected v1.14.0-eksbuild.3 or later (like v1.20.4-eksbuild.1): the network policy agent, which enforces the Ory namespace\'s NetworkPolicies, needs VPC CNI 1.14' }]);
    }
    this.vpcCni = this.addon('vpc-cni', props.addonVersions?.vpcCni, undefined, VPC_CNI_CONFIGURATION);
    this.kubeProxy = this.addon('kube-proxy', props.addonVersions?.kubeProxy);
    this.podIdentityAgent = this.addon('eks-pod-identity-agent', props.addonVersions?.eksPodIdentityAgent);
  }

  /** The add-ons the nodes must find when they join. */
  get beforeNodes(): ITerraformDependable[] {
    return [this.vpcCni, this.kubeProxy, this.podIdentityAgent];
  }

  /** Adds coredns once `nodes` exist. */
  addCoreDns(nodes: ITerraformDependable): EksAddon {
    return this.addon('coredns', this.props.addonVersions?.coredns, [nodes]);
  }

  private addon(addonName: string, addonVersion: string | undefined, dependsOn?: ITerraformDependable[], configurationValues?: Readonly<Record<string, unknown>>): EksAddon {
    return new EksManagedAddon(this, addonName, {
      clusterName: this.props.clusterName,
      kubernetesVersion: this.props.kubernetesVersion,
      addonName,
      ...(addonVersion ? { addonVersion } : {}),
      ...(dependsOn ? { dependsOn } : {}),
      ...(configurationValues ? { configurationValues } : {}),
    }).addon;
  }
}
