import { SynthesizedStackJson, cidrContains, isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';
import { NON_PUBLIC_IPV4_RANGES } from '@crdb-ory/eks';
import { PolicyContext, StackDocument, blocks, describePorts, firstBlock, ingressPermissions, isObject, isTrue, show } from '@crdb-ory/policy';

/** Something a network outside the product's VPCs can reach, found in the synthesized JSON. */
export interface Exposure {
  readonly stackName: string;
  /** What answers: `port 443 of the EKS API`, `ports 4444, 4433 of Hydra, Kratos (public)`. */
  readonly what: string;
  /** The sources allowed, as configured. */
  readonly from: readonly string[];
  /** Whether a source is on the internet (not a private, shared or reserved range): anyone there can try. */
  readonly internet: boolean;
  /** The resource that opens it. */
  readonly via: string;
}

const ALB = 'alb.ingress.kubernetes.io';
const WORLD = '0.0.0.0/0';
const NON_PUBLIC = NON_PUBLIC_IPV4_RANGES.map((range) => parseIpv4Cidr(range.cidr)).filter(isIpv4Cidr);

/** True unless `cidr` lies inside a private, shared, loopback, link-local or reserved range (a reference is assumed public). */
export function isInternetCidr(cidr: string): boolean {
  const parsed = parseIpv4Cidr(cidr.trim());
  if (!isIpv4Cidr(parsed)) return !/^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/.test(cidr.trim());
  return !NON_PUBLIC.some((range) => cidrContains(range, parsed));
}

/**
 * Everything the stacks open to networks outside the product's own VPCs (`context.vpcs`), and
 * from where: security group ingress from other CIDRs, internet-facing load balancers (AWS's own,
 * and those the AWS Load Balancer Controller creates for an Ingress or a Service), and a public
 * EKS API endpoint. Traffic between the product's VPCs and between security groups is not listed.
 */
export function exposureOf(stacks: ReadonlyArray<{ readonly name: string; readonly json: SynthesizedStackJson }>, context: PolicyContext): Exposure[] {
  return stacks.flatMap(({ name, json }) => {
    const document = new StackDocument(name, json);
    return [...securityGroupIngress(document, context), ...loadBalancers(document), ...eksEndpoints(document), ...kubernetesIngresses(document), ...kubernetesServices(document)];
  });
}

function exposure(stackName: string, what: string, from: readonly string[], via: string): Exposure {
  return { stackName, what, from, internet: from.some(isInternetCidr), via };
}

function securityGroupIngress(document: StackDocument, context: PolicyContext): Exposure[] {
  return ingressPermissions(document, context).flatMap((permission) => {
    const outside = permission.sources.filter((source) => source.kind === 'world' || source.kind === 'cidr').map((source) => source.text);
    return outside.length > 0 ? [exposure(document.stackName, describePorts(permission), outside, permission.entry.address)] : [];
  });
}

function loadBalancers(document: StackDocument): Exposure[] {
  return document
    .resources('aws_lb')
    .filter((lb) => !isTrue(lb.config['internal']))
    .map((lb) => ({ ...exposure(document.stackName, `internet-facing ${show(lb.config['load_balancer_type'] ?? 'application')} load balancer ${show(lb.config['name'] ?? lb.name)}`, ['(its security groups and listeners)'], lb.address), internet: true }));
}

function eksEndpoints(document: StackDocument): Exposure[] {
  return document.resources('aws_eks_cluster').flatMap((cluster) => {
    const vpc = firstBlock(cluster.config['vpc_config']);
    if (!vpc || !isTrue(vpc['endpoint_public_access'])) return [];
    const cidrs = Array.isArray(vpc['public_access_cidrs']) && vpc['public_access_cidrs'].length > 0 ? vpc['public_access_cidrs'].map(show) : [WORLD];
    return [exposure(document.stackName, 'port 443 of the Kubernetes API (public endpoint)', cidrs, cluster.address)];
  });
}

function annotations(entry: { config: Record<string, unknown> }): Record<string, unknown> {
  const metadata = firstBlock(entry.config['metadata']);
  return isObject(metadata?.['annotations']) ? metadata['annotations'] : {};
}

/** An Ingress the AWS Load Balancer Controller turns into an internet-facing ALB (`scheme: internet-facing`; its default is internal). */
function kubernetesIngresses(document: StackDocument): Exposure[] {
  return document.resources('kubernetes_ingress_v1', 'kubernetes_ingress').flatMap((ingress) => {
    const notes = annotations(ingress);
    if (notes[`${ALB}/scheme`] !== 'internet-facing') return [];
    const services = blocks(firstBlock(ingress.config['spec'])?.['rule']).flatMap((rule) =>
      blocks(firstBlock(rule['http'])?.['path']).map((path) => {
        const service = firstBlock(firstBlock(path['backend'])?.['service']);
        return `${show(service?.['name'])}${typeof rule['host'] === 'string' ? ` (${rule['host']})` : ''}`;
      }),
    );
    const listeners = listenPorts(notes[`${ALB}/listen-ports`]);
    const cidrs = typeof notes[`${ALB}/inbound-cidrs`] === 'string' ? String(notes[`${ALB}/inbound-cidrs`]).split(',').map((c) => c.trim()) : [WORLD];
    return [exposure(document.stackName, `${listeners} of ${services.join(', ')} (internet-facing ALB)`, cidrs, ingress.address)];
  });
}

function listenPorts(value: unknown): string {
  try {
    const ports = (JSON.parse(String(value)) as Array<Record<string, number>>).flatMap((listener) => Object.entries(listener).map(([protocol, port]) => `${protocol} ${port}`));
    return ports.length > 0 ? ports.join(', ') : 'HTTP 80';
  } catch {
    return 'HTTP 80';
  }
}

/** A Service of type LoadBalancer that is not marked internal (the in-tree and the controller's annotations). */
function kubernetesServices(document: StackDocument): Exposure[] {
  return document.resources('kubernetes_service_v1', 'kubernetes_service').flatMap((service) => {
    const spec = firstBlock(service.config['spec']);
    const notes = annotations(service);
    const internal = notes['service.beta.kubernetes.io/aws-load-balancer-scheme'] === 'internal' || isTrue(notes['service.beta.kubernetes.io/aws-load-balancer-internal']);
    if (spec?.['type'] !== 'LoadBalancer' || internal) return [];
    const ports = blocks(spec['port']).map((port) => show(port['port']));
    const ranges = Array.isArray(spec['load_balancer_source_ranges']) && spec['load_balancer_source_ranges'].length > 0 ? spec['load_balancer_source_ranges'].map(show) : [WORLD];
    return [exposure(document.stackName, `ports ${ports.join(', ')} of service ${show(firstBlock(service.config['metadata'])?.['name'])} (internet-facing load balancer)`, ranges, service.address)];
  });
}
