import { cockroachClusterRule } from '../cockroach-nodes';
import { problemAt } from '../declare-rule';
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
export const COCKROACH_ALARMS = cockroachClusterRule({
  id: 'CRDB-MON-001',
  description: 'A stack with CockroachDB nodes alarms (with an alarm action) on every node instance and on every SQL (26257) target group.',
  fix: 'keep the CockroachStack alarms (the default: on the network stack\'s alarm topic), or suppress CRDB-MON-001 on the stack with the reason (config: monitoring.enabled false with disabledReason)',
  check(stack, nodes) {
    const unwatchedNodes = nodes
      .filter((node) => alarmsOn(stack, 'InstanceId', `\${${node.address}.id}`).length === 0)
      .map((node) => problemAt(node, 'no alarm with an action watches this CockroachDB node (dimension InstanceId)'));
    const unwatchedTargets = stack
      .resources('aws_lb_target_group')
      .filter((group) => group.config['port'] === SQL_PORT && alarmsOn(stack, 'TargetGroup', `\${${group.address}.arn_suffix}`).length === 0)
      .map((group) => problemAt(group, 'no alarm with an action watches the health of the CockroachDB SQL targets (dimension TargetGroup)'));
    return [...unwatchedNodes, ...unwatchedTargets];
  },
});
