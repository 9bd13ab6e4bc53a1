import { stackRule, type LocatedProblem, type StackRuleDeclaration } from './declare-rule';
import type { PolicyRule } from './rule';
import type { ResourceEntry, StackDocument } from './stack-document';

const LOCAL_REFERENCE = /local\.([A-Za-z0-9_-]+)/g;

/**
 * The text of an instance's user data: a literal `user_data`, or the locals that `user_data` /
 * `user_data_base64` (e.g. `${base64gzip(local.x)}`) reference, as cdktf writes them. Empty when
 * it comes from anywhere else (a data source, a variable): such an instance is not recognized.
 */
export function userDataText(stack: StackDocument, instance: ResourceEntry): string {
  const locals = (stack.json['locals'] ?? {}) as Record<string, unknown>;
  return ['user_data', 'user_data_base64']
    .map((key) => instance.config[key])
    .filter((value): value is string => typeof value === 'string')
    .map((value) => {
      const referenced = [...value.matchAll(LOCAL_REFERENCE)].map((match) => locals[match[1] ?? '']).filter((local): local is string => typeof local === 'string');
      return referenced.length > 0 ? referenced.join('\n') : value.includes('${') ? '' : value;
    })
    .join('\n');
}

/** The instances that run a CockroachDB node: their user data starts `cockroach start`. */
export function cockroachNodeInstances(stack: StackDocument): ResourceEntry[] {
  return stack.resources('aws_instance').filter((instance) => /cockroach start\b/.test(userDataText(stack, instance)));
}

/**
 * A rule about a CockroachDB cluster: `check` sees the stack's node instances, and a stack
 * without any passes.
 */
export function cockroachClusterRule(declaration: Omit<StackRuleDeclaration, 'check'> & { check(stack: StackDocument, nodes: readonly ResourceEntry[]): readonly LocatedProblem[] }): PolicyRule {
  return stackRule({
    ...declaration,
    check: (stack) => {
      const nodes = cockroachNodeInstances(stack);
      return nodes.length === 0 ? [] : declaration.check(stack, nodes);
    },
  });
}
