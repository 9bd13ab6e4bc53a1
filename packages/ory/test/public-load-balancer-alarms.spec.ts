import { assert, describe, expect, it } from 'vitest';
import { Template } from '@crdb-ory/core/testing';
import { synthOry } from './support/synth-ory';

const CIDRS = ['203.0.113.0/24'];
const TOPIC = '${data.terraform_remote_state.remote-state-network.outputs.alarm_topic_arn}';
/** The load balancer's alarms (the certificate alarms are presented-certificates.spec.ts's). */
const lbAlarms = (json: Record<string, any>): any[] => Template.fromJSON(json).all('aws_cloudwatch_metric_alarm').filter((a) => a.alarm_name.includes('-ory-public-'));

describe('ory stack: alarms on the public load balancer', () => {
  it('exist only when there is a public load balancer', () => {
    expect(lbAlarms(synthOry().json)).toEqual([]);
    expect(synthOry().json.data?.aws_lb).toBeUndefined();
  });

  const { json } = synthOry({ domain: 'example.com', publicAccessCidrs: CIDRS });
  const [lbData] = Object.entries<any>(json.data.aws_lb);
  assert.exists(lbData, 'an aws_lb data source');
  const [lbName, lb] = lbData;

  it('find the ALB the controller created by the tags it writes, after the Ingresses (which wait for it)', () => {
    expect(lb.tags).toEqual({ 'elbv2.k8s.aws/cluster': '${data.terraform_remote_state.remote-state-eks.outputs.cluster_name}', 'ingress.k8s.aws/stack': 'crdb-ory-ory' });
    const ingresses = Object.keys(json.resource.kubernetes_ingress_v1).map((name) => `kubernetes_ingress_v1.${name}`);
    expect(lb.depends_on).toEqual(ingresses);
    for (const ingress of Template.fromJSON(json).all('kubernetes_ingress_v1')) {
      expect(ingress.wait_for_load_balancer).toBe(true);
      expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/group.name']).toBe('crdb-ory-ory');
    }
  });

  it('cover every target group of that ALB (Metrics Insights): any unhealthy target, or a service with no healthy one', () => {
    const alarms = lbAlarms(json).sort((a, b) => b.alarm_name.localeCompare(a.alarm_name));
    const schema = `FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) WHERE LoadBalancer = '\${data.aws_lb.${lbName}.arn_suffix}'`;
    expect(alarms.map((a) => [a.alarm_name, a.metric_query[0].expression, a.comparison_operator, a.threshold])).toEqual([
      ['crdb-ory-ory-public-unhealthy-targets', `SELECT MAX(UnHealthyHostCount) ${schema}`, 'GreaterThanThreshold', 0],
      ['crdb-ory-ory-public-no-healthy-targets', `SELECT MIN(HealthyHostCount) ${schema}`, 'LessThanThreshold', 1],
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({ evaluation_periods: 3, alarm_actions: [TOPIC], ok_actions: [TOPIC] });
      expect(alarm.metric_query[0]).toMatchObject({ period: 60, return_data: true });
      expect(alarm.alarm_description).toMatch(/Runbook: docs\/operations\.md#alarm-ory-public-[a-z-]+$/);
    }
  });

  it('can be turned off', () => {
    expect(lbAlarms(synthOry({ publicAccessCidrs: CIDRS, publicLoadBalancerAlarms: false }).json)).toEqual([]);
  });
});
