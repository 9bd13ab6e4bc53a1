import { oryRenewalPlanProblems, presentedCertificateParameters } from '@crdb-ory/cockroach/ops';
import { ORY_SERVICES } from '../src';
import { describe, expect, it } from 'vitest';
import { resourcesOfType, synthOry } from './support/synth-ory';

const TOPIC = '${data.terraform_remote_state.remote-state-network.outputs.alarm_topic_arn}';
const { json } = synthOry();
const parameters = json.resource.aws_ssm_parameter as Record<string, any>;
const releases = json.resource.helm_release as Record<string, any>;
const secrets = json.resource.kubernetes_secret_v1 as Record<string, any>;

describe('ory stack: the certificates each service presents, recorded and watched', () => {
  it.each(ORY_SERVICES)('%s: records the public certificates of its Secret (CA, client certificate; no key) in /<prefix>/ory/presented-certificates/<service>, after its release', (service) => {
    const [, parameter] = Object.entries(parameters).find(([, p]) => p.name === `/crdb-ory/ory/presented-certificates/${service}`)!;
    const [releaseName] = Object.entries(releases).find(([, r]) => r.name === service)!;
    const [, secret] = Object.entries(secrets).find(([, s]) => s.metadata.name === `${service}-secrets`)!;
    expect(parameter).toMatchObject({ type: 'String', tier: 'Standard', depends_on: [`helm_release.${releaseName}`] });
    // The two values the Secret holds as ca.crt and client.crt, joined: what the pods mount.
    const [secretName] = Object.entries(secrets).find(([, s]) => s === secret)!;
    expect(parameter.value).toBe(`\${join("\\n", [kubernetes_secret_v1.${secretName}.data["ca.crt"], kubernetes_secret_v1.${secretName}.data["client.crt"]])}`);
    expect(parameter.value).not.toMatch(/\.key|client\.key/);
  });

  it.each(ORY_SERVICES)('%s: alarms when a certificate it presents has fewer than 30 days left, or no CockroachDB node published it for 6 hours', (service) => {
    const alarm = resourcesOfType(json, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === `crdb-ory-ory-${service}-certificate-expiry`);
    expect(alarm).toMatchObject({
      namespace: 'CrdbOry/CockroachDB',
      metric_name: 'OryCertificateDaysToExpiry',
      dimensions: { ClusterName: 'crdb-ory', Service: service },
      statistic: 'Minimum',
      period: 3600,
      evaluation_periods: 6,
      comparison_operator: 'LessThanThreshold',
      threshold: 30,
      treat_missing_data: 'breaching',
      alarm_actions: [TOPIC],
    });
    expect(alarm.alarm_description).toMatch(/Runbook: docs\/operations\.md#alarm-ory-certificate-expiry$/);
  });

  it('takes another threshold, or none (the parameters stay: the renewal command checks them)', () => {
    const alarms = (props: Parameters<typeof synthOry>[0]) => resourcesOfType(synthOry(props).json, 'aws_cloudwatch_metric_alarm').filter((a) => a.metric_name === 'OryCertificateDaysToExpiry');
    expect(alarms({ certificateExpiryAlarmDays: 45 }).map((a) => a.threshold)).toEqual([45, 45, 45]);
    expect(alarms({ certificateExpiryAlarmDays: false })).toEqual([]);
    expect(Object.keys(synthOry({ certificateExpiryAlarmDays: false }).json.resource.aws_ssm_parameter)).toHaveLength(3);
    expect(() => synthOry({ certificateExpiryAlarmDays: 0 })).toThrow(/Invalid certificateExpiryAlarmDays 0: allowed are whole days from 1 to 365/);
  });
});

describe('what npm run renew-certificates reads from the synthesized ory stack', () => {
  it('finds each service\'s presented-certificate parameter', () => {
    expect(presentedCertificateParameters(json)).toEqual(Object.fromEntries(ORY_SERVICES.map((s) => [s, `/crdb-ory/ory/presented-certificates/${s}`])));
  });

  it('accepts a plan of a renewal: every Secret and release updated in place, the records updated', () => {
    const updates = [...Object.keys(secrets).map((n) => `kubernetes_secret_v1.${n}`), ...Object.keys(releases).filter((n) => ORY_SERVICES.includes(releases[n].name)).map((n) => `helm_release.${n}`), ...Object.keys(parameters).map((n) => `aws_ssm_parameter.${n}`)];
    const plan = { resource_changes: updates.map((address) => ({ address, type: address.split('.')[0]!, change: { actions: ['update'] } })) };
    expect(oryRenewalPlanProblems(plan)).toEqual([]);
    const replaced = { resource_changes: [{ address: Object.keys(secrets).map((n) => `kubernetes_secret_v1.${n}`)[0]!, type: 'kubernetes_secret_v1', change: { actions: ['delete', 'create'] } }] };
    expect(oryRenewalPlanProblems(replaced)).toHaveLength(1);
  });
});
