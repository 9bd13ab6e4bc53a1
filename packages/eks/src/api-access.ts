import { Ipv4Cidr, PropProblem, cidrListProblems, cidrsOverlap, isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';
import { Annotations, Fn, Op, TerraformLocal, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

/**
 * How operators (people, pipelines, the `ory` stack's kubernetes and helm providers) reach the
 * Kubernetes API of the cluster. Both empty means nobody can: the endpoint is private and its
 * security groups admit only the cluster itself.
 */
export interface EksApiAccess {
  /**
   * Networks routed into the cluster's VPC (a VPN, a bastion's subnet, a peered or transit
   * network) allowed to the private API endpoint on TCP 443, through a control-plane security
   * group of their own.
   * @default [] — nothing outside the cluster reaches the private endpoint
   */
  readonly endpointPrivateAccessCidrs?: readonly string[];
  /**
   * Public addresses allowed to a public API endpoint (the private endpoint stays on for the nodes).
   * @default [] — no public endpoint
   */
  readonly endpointPublicAccessCidrs?: readonly string[];
}

/** EKS quota "Public endpoint access CIDR ranges per cluster" (not adjustable). */
export const EKS_MAX_PUBLIC_ACCESS_CIDRS = 40;
/** One ingress rule per CIDR; the default quota of inbound rules per security group is 60. */
export const EKS_MAX_PRIVATE_ACCESS_CIDRS = 60;

/** Address ranges that are not public: EKS refuses them on the public endpoint. */
export const NON_PUBLIC_IPV4_RANGES: ReadonlyArray<{ readonly cidr: string; readonly name: string }> = [
  { cidr: '0.0.0.0/8', name: '"this network"' },
  { cidr: '10.0.0.0/8', name: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', name: 'shared address space (carrier-grade NAT)' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'link-local' },
  { cidr: '172.16.0.0/12', name: 'private (RFC 1918)' },
  { cidr: '192.168.0.0/16', name: 'private (RFC 1918)' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved' },
];

export type EksApiAccessProp = keyof EksApiAccess;

/** Every problem with the endpoint access lists, each under its list or entry (`endpointPublicAccessCidrs[2]`); none when AWS will accept them. */
export function eksApiAccessProblems(access: EksApiAccess): PropProblem[] {
  const publicCidrs = access.endpointPublicAccessCidrs ?? [];
  const privateCidrs = access.endpointPrivateAccessCidrs ?? [];
  const problems: PropProblem[] = [];
  if (publicCidrs.length > EKS_MAX_PUBLIC_ACCESS_CIDRS) {
    problems.push({ prop: 'endpointPublicAccessCidrs', value: `${publicCidrs.length} CIDRs`, message: `lists ${publicCidrs.length} CIDRs; EKS allows at most ${EKS_MAX_PUBLIC_ACCESS_CIDRS} per cluster (a quota that cannot be raised)` });
  }
  if (privateCidrs.length > EKS_MAX_PRIVATE_ACCESS_CIDRS) {
    problems.push({ prop: 'endpointPrivateAccessCidrs', value: `${privateCidrs.length} CIDRs`, message: `lists ${privateCidrs.length} CIDRs; each is a rule of one security group, which allows at most ${EKS_MAX_PRIVATE_ACCESS_CIDRS} inbound rules (default quota): summarize them into fewer blocks` });
  }
  problems.push(...cidrProblems('endpointPublicAccessCidrs', publicCidrs, publicEndpointProblem));
  problems.push(...cidrProblems('endpointPrivateAccessCidrs', privateCidrs, privateEndpointProblem));
  for (const prop of ['endpointPublicAccessCidrs', 'endpointPrivateAccessCidrs'] as const) {
    problems.push(...cidrListProblems(access[prop] ?? []).map((problem) => ({ prop: `${prop}[${problem.index}]`, value: problem.value, message: problem.message })));
  }
  return problems;
}

/** True when at least one network may reach the Kubernetes API. */
export function hasOperatorApiAccess(access: EksApiAccess): boolean {
  return (access.endpointPublicAccessCidrs ?? []).length + (access.endpointPrivateAccessCidrs ?? []).length > 0;
}

/** What to set when nobody can reach the API: the synthesis warning and the plan-time error. */
export const NO_API_ACCESS_MESSAGE =
  'Nobody can reach the Kubernetes API of the EKS cluster: its endpoint is private and admits only the cluster itself, so kubectl and the ory stack (kubernetes and helm providers) time out from everywhere. ' +
  'Set endpointPrivateAccessCidrs (networks routed into the Ory VPC allowed to the private endpoint on 443: a VPN, a bastion, a peered network) or endpointPublicAccessCidrs (a public endpoint limited to those addresses); ' +
  'in crdb-ory.config.json these are eks.endpointPrivateAccessCidrs and eks.endpointPublicAccessCidrs. Then deploy the eks stack, then ory.';

/** Apps (construct roots) whose missing API access has been reported by one of their stacks. */
const reportedApps = new WeakSet<IConstruct>();

/**
 * Warns at synthesis (`message` on `scope`) that nobody can reach the Kubernetes API, once per
 * app: the eks stack and the ory stack both stop at plan time for this one gap, and a user must
 * read about it once. The first stack of the app to report it carries the warning (the eks stack
 * in an app that has one); an app with only the ory stack still gets it.
 */
export function warnNoOperatorApiAccess(scope: Construct, message: string): void {
  const app = scope.node.root;
  if (reportedApps.has(app)) return;
  reportedApps.add(app);
  Annotations.of(scope).addWarning(message);
}

/** A Terraform precondition: `condition` (HCL) must hold, else the plan stops with `errorMessage`. */
export interface PlanPrecondition {
  readonly condition: string;
  readonly errorMessage: string;
}

/**
 * The precondition "some network can reach the Kubernetes API", for a resource of `scope`'s
 * stack. The access lists are declared as the local `kubernetes_api_access`, which the condition
 * reads (Terraform rejects conditions on constants), so a plan review shows what was configured.
 * When both lists are empty, the plan stops there, before anything is created.
 */
export function operatorApiAccessPrecondition(scope: Construct, access: EksApiAccess): PlanPrecondition {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(API_ACCESS_LOCAL);
  const local =
    existing instanceof TerraformLocal
      ? existing
      : new TerraformLocal(stack, API_ACCESS_LOCAL, {
          endpoint_public_access_cidrs: [...(access.endpointPublicAccessCidrs ?? [])],
          endpoint_private_access_cidrs: [...(access.endpointPrivateAccessCidrs ?? [])],
        });
  const count = (key: string) => Fn.lengthOf(Fn.lookup(local.asAnyMap, key));
  return {
    condition: Op.gte(Op.add(count('endpoint_public_access_cidrs'), count('endpoint_private_access_cidrs')), 1) as unknown as string,
    errorMessage: NO_API_ACCESS_MESSAGE,
  };
}

const API_ACCESS_LOCAL = 'kubernetes_api_access';

function cidrProblems(prop: EksApiAccessProp, cidrs: readonly string[], check: (cidr: Ipv4Cidr) => string | undefined): PropProblem[] {
  return cidrs.flatMap((text, index) => {
    const parsed = parseIpv4Cidr(text);
    const message = isIpv4Cidr(parsed) ? check(parsed) : `${parsed.error}; expected an IPv4 CIDR block like 198.51.100.0/24`;
    return message ? [{ prop: `${prop}[${index}]`, value: text, message }] : [];
  });
}

function publicEndpointProblem(cidr: Ipv4Cidr): string | undefined {
  const reserved = NON_PUBLIC_IPV4_RANGES.find((range) => cidrsOverlap(cidr, parsedRange(range.cidr)));
  if (!reserved) return undefined;
  if (cidr.prefixLength === 0) return 'would open the public API endpoint to the whole internet; list the public addresses of the machines that run kubectl and the deploys';
  return `includes ${reserved.cidr} (${reserved.name}), which EKS refuses on the public endpoint; private networks reach the private endpoint through endpointPrivateAccessCidrs`;
}

function privateEndpointProblem(cidr: Ipv4Cidr): string | undefined {
  return cidr.prefixLength === 0 ? 'would admit every address to the private API endpoint; list the networks (VPN, bastion, peered network) that administer the cluster' : undefined;
}

function parsedRange(text: string): Ipv4Cidr {
  const parsed = parseIpv4Cidr(text);
  if (!isIpv4Cidr(parsed)) throw new Error(`bad built-in range ${text}`);
  return parsed;
}
