import { type Expression, cidrContains, containsExpression, describeExpression, isIpv4Cidr, parseIpv4Cidr, referenceOfTraversal, wholeExpression } from '@crdb-ory/core';
import type { DeclaredAdminNetwork, KnownVpc, PolicyContext } from './rule';
import type { StackDocument } from './stack-document';

/** Where traffic allowed by an ingress source can come from, as far as synthesis can tell. */
export type NetworkSource =
  | { readonly kind: 'world'; readonly text: string }
  | { readonly kind: 'cidr'; readonly text: string }
  | { readonly kind: 'vpc'; readonly role: KnownVpc['role']; readonly text: string }
  | { readonly kind: 'security-group'; readonly text: string }
  | { readonly kind: 'prefix-list'; readonly text: string }
  | { readonly kind: 'unknown'; readonly text: string };

const WORLD = new Set(['0.0.0.0/0', '::/0']);

/**
 * Classifies one CIDR value (literal or `${...}` reference). A reference is evaluable when it
 * names a known VPC's CIDR (or an element of it), or a same-stack `aws_vpc`/`aws_subnet`
 * whose `cidr_block` is a literal; anything else is `unknown` and rules fail closed on it.
 */
export function classifyCidr(value: unknown, stack: StackDocument, context: PolicyContext): NetworkSource {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value !== 'string') return { kind: 'unknown', text };
  const expression = wholeExpression(value);
  if (expression === undefined) return containsExpression(value) ? { kind: 'unknown', text } : classifyLiteral(value, context);
  const vpc = knownVpcOf(expression, context);
  if (vpc) return { kind: 'vpc', role: vpc.role, text };
  const literal = sameStackCidr(expression, stack);
  if (literal !== undefined) return { ...classifyLiteral(literal, context), text: `${text} (= ${literal})` };
  return { kind: 'unknown', text };
}

/** The known VPC a literal CIDR lies in, if any. */
export function vpcContaining(cidrText: string, context: PolicyContext): KnownVpc | undefined {
  const inner = parseIpv4Cidr(cidrText);
  if (!isIpv4Cidr(inner)) return undefined;
  return context.vpcs.find((vpc) => {
    if (!vpc.cidr) return false;
    const outer = parseIpv4Cidr(vpc.cidr);
    return isIpv4Cidr(outer) && cidrContains(outer, inner);
  });
}

/**
 * The declared admin network that admits `source` on every one of `ports`, if any: only a
 * literal CIDR (never a reference, never the internet) inside a declared network.
 */
export function declaredAdminNetworkFor(source: NetworkSource, ports: readonly number[], context: PolicyContext): DeclaredAdminNetwork | undefined {
  if (source.kind !== 'cidr' && source.kind !== 'vpc') return undefined;
  const inner = parseIpv4Cidr(source.text);
  if (!isIpv4Cidr(inner) || inner.prefixLength === 0) return undefined;
  return (context.adminNetworks ?? []).find((network) => {
    const outer = parseIpv4Cidr(network.cidr);
    return isIpv4Cidr(outer) && outer.prefixLength > 0 && cidrContains(outer, inner) && ports.every((port) => network.ports.includes(port));
  });
}

function classifyLiteral(text: string, context: PolicyContext): NetworkSource {
  if (WORLD.has(text.trim())) return { kind: 'world', text };
  const vpc = vpcContaining(text, context);
  return vpc ? { kind: 'vpc', role: vpc.role, text } : { kind: 'cidr', text };
}

/** A known VPC's CIDR reference, or one element of it (`element(ref, i)`, `ref[i]`). */
function knownVpcOf(expression: Expression, context: PolicyContext): KnownVpc | undefined {
  const candidates = [expression];
  if (expression.kind === 'call' && expression.name === 'element' && expression.args[0]) candidates.push(expression.args[0]);
  const last = expression.kind === 'traversal' ? expression.steps[expression.steps.length - 1] : undefined;
  if (expression.kind === 'traversal' && last?.kind === 'index') candidates.push({ ...expression, steps: expression.steps.slice(0, -1) });
  if (expression.kind === 'access' && expression.steps.length === 1 && expression.steps[0]?.kind === 'index') candidates.push(expression.target);
  const texts = candidates.map(describeExpression);
  return context.vpcs.find((vpc) => texts.some((candidate) => vpc.references.includes(candidate)));
}

function sameStackCidr(expression: Expression, stack: StackDocument): string | undefined {
  const reference = expression.kind === 'traversal' ? referenceOfTraversal(expression) : undefined;
  if (!reference || !['aws_vpc', 'aws_subnet'].includes(reference.type) || reference.attribute.join() !== 'cidr_block') return undefined;
  const cidr = stack.referencedResource(reference)?.config['cidr_block'];
  return typeof cidr === 'string' && !containsExpression(cidr) ? cidr : undefined;
}
