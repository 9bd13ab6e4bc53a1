import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EksManagedAddon } from './eks-addon';

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
    this.vpcCni = this.addon('vpc-cni', props.addonVersions?.vpcCni);
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

  private addon(addonName: string, addonVersion: string | undefined, dependsOn?: ITerraformDependable[]): EksAddon {
    return new EksManagedAddon(this, addonName, {
      clusterName: this.props.clusterName,
      kubernetesVersion: this.props.kubernetesVersion,
      addonName,
      ...(addonVersion ? { addonVersion } : {}),
      ...(dependsOn ? { dependsOn } : {}),
    }).addon;
  }
}
