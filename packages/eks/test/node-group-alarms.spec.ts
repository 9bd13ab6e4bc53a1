import { describe, expect, it } from 'vitest';
import { Template } from '@crdb-ory/core/testing';
import { synthEks } from './synth';

describe('eks stack: node group health alarm', () => {
  const { json } = synthEks();
  const nodeGroup = Template.fromJSON(json).only('aws_eks_node_group').name;

  it("fires on the alarm topic when a node of the group fails its EC2 status checks, aggregated by the group's own Auto Scaling group", () => {
    expect(Template.fromJSON(json).only('aws_cloudwatch_metric_alarm').config).toMatchObject({
      alarm_name: 'crdb-ory-eks-node-status-check',
      namespace: 'AWS/EC2',
      metric_name: 'StatusCheckFailed',
      dimensions: { AutoScalingGroupName: `\${aws_eks_node_group.${nodeGroup}.resources[0].autoscaling_groups[0].name}` },
      statistic: 'Maximum',
      period: 60,
      evaluation_periods: 3,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      alarm_actions: ['${data.terraform_remote_state.remote-state-network.outputs.alarm_topic_arn}'],
      ok_actions: ['${data.terraform_remote_state.remote-state-network.outputs.alarm_topic_arn}'],
    });
    expect(Template.fromJSON(json).only('aws_cloudwatch_metric_alarm').config.alarm_description).toMatch(/Runbook: docs\/operations\.md#alarm-eks-node-status-check$/);
  });

  it('can be turned off', () => {
    expect(synthEks({ nodeGroupAlarms: false }).json.resource.aws_cloudwatch_metric_alarm).toBeUndefined();
  });
});
