import { referenceOf } from '@crdb-ory/core';
import { isUnder } from './annotations';
import { NetworkSource, classifyCidr } from './network-sources';
import type { PolicyContext } from './rule';
import type { ResourceEntry, StackDocument } from './stack-document';
import { blocks, isTrue, show } from './values';

/** One ingress permission of a security group, whatever resource type declares it. */
export interface IngressPermission {
  readonly entry: ResourceEntry;
  /** Inclusive port range; `undefined` means every port (protocol -1, or ports not known at synthesis). */
  readonly ports?: { readonly from: number; readonly to: number };
  readonly sources: readonly NetworkSource[];
  /** Construct paths whose `declarePublicIngress` applies: the rule's and its security group's. */
  readonly ownerPaths: readonly string[];
}

/**
 * Every ingress permission of the stack, from inline `aws_security_group` ingress blocks,
 * `aws_security_group_rule` (type ingress) and `aws_vpc_security_group_ingress_rule`.
 */
export function ingressPermissions(stack: StackDocument, context: PolicyContext): IngressPermission[] {
  const cidrs = (value: unknown): NetworkSource[] => cidrValues(value).map((cidr) => classifyCidr(cidr, stack, context));
  const inline = stack.resources('aws_security_group').flatMap((entry) =>
    blocks(entry.config['ingress']).map((block) => ({
      entry,
      ports: portRange(block['protocol'], block['from_port'], block['to_port']),
      sources: [...cidrs(block['cidr_blocks']), ...cidrs(block['ipv6_cidr_blocks']), ...groups(block['security_groups']), ...selfSource(block['self']), ...prefixLists(block['prefix_list_ids'])],
      ownerPaths: [entry.constructPath],
    })),
  );
  const rules = stack
    .resources('aws_security_group_rule')
    .filter((entry) => entry.config['type'] === 'ingress')
    .map((entry) => ({
      entry,
      ports: portRange(entry.config['protocol'], entry.config['from_port'], entry.config['to_port']),
      sources: [
        ...cidrs(entry.config['cidr_blocks']),
        ...cidrs(entry.config['ipv6_cidr_blocks']),
        ...groups(entry.config['source_security_group_id']),
        ...selfSource(entry.config['self']),
        ...prefixLists(entry.config['prefix_list_ids']),
      ],
      ownerPaths: ownerPaths(stack, entry, entry.config['security_group_id']),
    }));
  const vpcRules = stack.resources('aws_vpc_security_group_ingress_rule').map((entry) => ({
    entry,
    ports: portRange(entry.config['ip_protocol'], entry.config['from_port'], entry.config['to_port']),
    sources: [
      ...cidrs(entry.config['cidr_ipv4']),
      ...cidrs(entry.config['cidr_ipv6']),
      ...groups(entry.config['referenced_security_group_id']),
      ...prefixLists(entry.config['prefix_list_id']),
    ],
    ownerPaths: ownerPaths(stack, entry, entry.config['security_group_id']),
  }));
  return [...inline, ...rules, ...vpcRules];
}

/** True when the permission admits traffic to `port`. */
export function coversPort(permission: IngressPermission, port: number): boolean {
  return !permission.ports || (permission.ports.from <= port && port <= permission.ports.to);
}

/** The ports of `candidates` the permission admits. */
export function coveredPorts(permission: IngressPermission, candidates: readonly number[]): number[] {
  return candidates.filter((port) => coversPort(permission, port));
}

/** Ports `declarePublicIngress` opened for this permission's rule or security group. */
export function declaredPublicPorts(stack: StackDocument, permission: IngressPermission): Set<number> {
  return new Set(
    stack.publicIngress
      .filter((declaration) => permission.ownerPaths.some((path) => isUnder(path, declaration.constructPath)))
      .flatMap((declaration) => declaration.ports),
  );
}

export function describePorts(permission: IngressPermission): string {
  if (!permission.ports) return 'all ports';
  return permission.ports.from === permission.ports.to ? `port ${permission.ports.from}` : `ports ${permission.ports.from}-${permission.ports.to}`;
}

function portRange(protocol: unknown, from: unknown, to: unknown): IngressPermission['ports'] {
  if (protocol === '-1' || protocol === 'all' || protocol === -1) return undefined;
  if (typeof from !== 'number' || typeof to !== 'number') return undefined;
  return { from, to };
}

function cidrValues(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function groups(value: unknown): NetworkSource[] {
  return cidrValues(value).map((group) => ({ kind: 'security-group', text: show(group) }));
}

function prefixLists(value: unknown): NetworkSource[] {
  return cidrValues(value).map((list) => ({ kind: 'prefix-list', text: show(list) }));
}

function selfSource(value: unknown): NetworkSource[] {
  return isTrue(value) ? [{ kind: 'security-group', text: 'self' }] : [];
}

function ownerPaths(stack: StackDocument, entry: ResourceEntry, groupId: unknown): string[] {
  const group = stack.referencedResource(referenceOf(groupId));
  return group ? [entry.constructPath, group.constructPath] : [entry.constructPath];
}
