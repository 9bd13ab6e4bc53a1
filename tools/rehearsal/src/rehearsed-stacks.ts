import type { StackJson } from './emulator-overrides';
import { Adaptation, dropResources, replaceWithStandIns } from './stack-adaptations';

/** How one stack takes part in the rehearsal. */
export interface RehearsedStack {
  readonly name: string;
  /** `applied`: everything applies for real; `seeded`: part of it is stand-ins (see `prepare`). */
  readonly mode: 'applied' | 'seeded';
  /** The scratch copy's configuration: the synthesized stack, adapted where the emulator or this machine cannot run it. */
  readonly prepare: (stack: StackJson) => { stack: StackJson; adaptations: Adaptation[] };
  /**
   * The first stack whose instances draw on the On-Demand vCPU quota: in the emulator's fresh
   * account its first plan must stop at the plan-time vCPU check, and the operator step that check
   * asks for (a quota increase) runs before it deploys.
   */
  readonly firstToNeedVcpus?: boolean;
  /** Its plan-time vCPU check reads the On-Demand vCPU quota: in the fresh account it deploys only after the increase. */
  readonly drawsOnVcpus?: boolean;
}

const TLS_RESOURCES = ['tls_private_key', 'tls_self_signed_cert', 'tls_cert_request', 'tls_locally_signed_cert'];
const EKS_APIS_MOTO_LACKS = ['aws_eks_addon', 'aws_eks_access_entry', 'aws_eks_access_policy_association', 'aws_eks_pod_identity_association'];

const asSynthesized = (stack: StackJson): { stack: StackJson; adaptations: Adaptation[] } => ({ stack, adaptations: [] });

/** The AWS stacks, in the README's deploy order (the rehearsal deploys them along the stack graph). */
export const REHEARSED_STACKS: readonly RehearsedStack[] = [
  { name: 'state', mode: 'applied', prepare: asSynthesized },
  { name: 'network', mode: 'applied', prepare: asSynthesized },
  {
    name: 'cockroach-pki',
    mode: 'seeded',
    prepare: (stack) => replaceWithStandIns(stack, TLS_RESOURCES, 'the hashicorp/tls provider is not installable here: its keys and certificates are stand-in strings; the KMS key, the secrets, their versions and policies apply for real'),
  },
  { name: 'cockroach-backup', mode: 'applied', prepare: asSynthesized },
  { name: 'cockroach', mode: 'applied', prepare: asSynthesized, firstToNeedVcpus: true, drawsOnVcpus: true },
  {
    name: 'eks',
    mode: 'applied',
    drawsOnVcpus: true,
    prepare: (stack) => dropResources(stack, EKS_APIS_MOTO_LACKS, ['aws_eks_addon_version'], 'moto 5.2.1 has no EKS add-on, add-on version, access-entry or Pod Identity API'),
  },
];

/** Stacks the rehearsal cannot run here, and why. */
export const NOT_REHEARSED: ReadonlyArray<{ readonly name: string; readonly why: string }> = [
  { name: 'ory', why: 'its kubernetes, helm and random providers are not installable here, and there is no Kubernetes API to apply to' },
];
