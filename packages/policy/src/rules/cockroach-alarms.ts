import { cockroachNodeInstances } from '../cockroach-nodes';
import type { PolicyRule, Violation } from '../rule';
import type { ResourceEntry, StackDocument } from '../stack-document';
import { isObject } from '../values';

const SQL_PORT = 26257;

/** Alarms whose dimension `dimension` references `${<address>.<attribute>}` and that notify someone. */
function alarmsOn(stack: StackDocument, dimension: string, reference: string): ResourceEntry[] {
  return stack.resources('aws_cloudwatch_metric_alarm').filter((alarm) => {
    const dimensions = alarm.config['dimensions'];
    const actions = alarm.config['alarm_actions'];
    return isObject(dimensions) && dimensions[dimension] === reference && Array.isArray(actions) && actions.length > 0;
  });
}

/** CRDB-MON-001: a CockroachDB cluster has alarms with actions on each node and on its SQL load balancer's targets. */
export const COCKROACH_ALARMS: PolicyRule = {
  id: 'CRDB-MON-001',
  description: 'A stack with CockroachDB nodes alarms (with an alarm action) on every node instance and on every SQL (26257) target group.',
  severity: 'error',
  check(stack) {
    const nodes = cockroachNodeInstances(stack);
    if (nodes.length === 0) return [];
    const fix = 'keep the CockroachStack alarms (the default: on the network stack\'s alarm topic), or suppress CRDB-MON-001 on the stack with the reason (config: monitoring.enabled false with disabledReason)';
    const violations: Violation[] = nodes
      .filter((node) => alarmsOn(stack, 'InstanceId', `\${${node.address}.id}`).length === 0)
      .map((node) => stack.violation(node, 'no alarm with an action watches this CockroachDB node (dimension InstanceId)', fix));
    const targetGroups = stack.resources('aws_lb_target_group').filter((group) => group.config['port'] === SQL_PORT);
    for (const group of targetGroups) {
      if (alarmsOn(stack, 'TargetGroup', `\${${group.address}.arn_suffix}`).length === 0) {
        violations.push(stack.violation(group, 'no alarm with an action watches the health of the CockroachDB SQL targets (dimension TargetGroup)', fix));
      }
    }
    return violations;
  },
};
