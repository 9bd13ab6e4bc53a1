import { oryRenewalPlanProblems, presentedCertificateParameters } from '@crdb-ory/cockroach/ops';
import { ORY_SERVICES } from '../src';
import { assert, describe, expect, it } from 'vitest';
import { Template } from '@crdb-ory/core/testing';
import { synthOry } from './support/synth-ory';

const TOPIC = '${data.terraform_remote_state.remote-state-network.outputs.alarm_topic_arn}';
const { json } = synthOry();
const template = Template.fromJSON(json);
const parameters = template.findResources('aws_ssm_parameter');
const releases = template.findResources('helm_release');
const secrets = template.findResources('kubernetes_secret_v1');

describe('ory stack: the certificates each service presents, recorded and watched', () => {
  it.each(ORY_SERVICES)('%s: records the public certificates of its Secret (CA, client certificate; no key) in /<prefix>/ory/presented-certificates/<service>, after its release', (service) => {
    const parameter = template.only('aws_ssm_parameter', { name: `/crdb-ory/ory/presented-certificates/${service}` }).config;
    const release = template.only('helm_release', { name: service });
    const secret = template.only('kubernetes_secret_v1', { metadata: { name: `${service}-secrets` } });
    expect(parameter).toMatchObject({ type: 'String', tier: 'Standard', depends_on: [`helm_release.${release.name}`] });
    // The two values the Secret holds as ca.crt and client.crt, joined: what the pods mount.
    const secretName = secret.name;
    expect(parameter.value).toBe(`\${join("\\n", [kubernetes_secret_v1.${secretName}.data["ca.crt"], kubernetes_secret_v1.${secretName}.data["client.crt"]])}`);
    expect(parameter.value).not.toMatch(/\.key|client\.key/);
  });

  it.each(ORY_SERVICES)('%s: alarms when a certificate it presents has fewer than 30 days left, or no CockroachDB node published it for 6 hours', (service) => {
    const alarm = template.only('aws_cloudwatch_metric_alarm', { alarm_name: `crdb-ory-ory-${service}-certificate-expiry` }).config;
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
    const alarms = (props: Parameters<typeof synthOry>[0]) => Template.fromJSON(synthOry(props).json).all('aws_cloudwatch_metric_alarm').filter((a) => a.metric_name === 'OryCertificateDaysToExpiry');
    expect(alarms({ certificateExpiryAlarmDays: 45 }).map((a) => a.threshold)).toEqual([45, 45, 45]);
    expect(alarms({ certificateExpiryAlarmDays: false })).toEqual([]);
    expect(Object.keys(synthOry({ certificateExpiryAlarmDays: false }).json.resource.aws_ssm_parameter)).toHaveLength(3);
    expect(() => synthOry({ certificateExpiryAlarmDays: 0 })).toThrow(/certificateExpiryAlarmDays = 0: allowed are whole days from 1 to 365/);
  });
});

describe('what npm run renew-certificates reads from the synthesized ory stack', () => {
  it('finds each service\'s presented-certificate parameter', () => {
    expect(presentedCertificateParameters(json)).toEqual(Object.fromEntries(ORY_SERVICES.map((s) => [s, `/crdb-ory/ory/presented-certificates/${s}`])));
  });

  it('accepts a plan of a renewal: every Secret and release updated in place, the records updated', () => {
    const updates = [...Object.keys(secrets).map((n) => `kubernetes_secret_v1.${n}`), ...Object.keys(releases).filter((n) => ORY_SERVICES.includes(releases[n].name)).map((n) => `helm_release.${n}`), ...Object.keys(parameters).map((n) => `aws_ssm_parameter.${n}`)];
    const plan = { resource_changes: updates.map((address) => ({ address, type: address.split('.')[0], change: { actions: ['update'] } })) };
    expect(oryRenewalPlanProblems(plan)).toEqual([]);
    const [firstSecret] = Object.keys(secrets);
    assert.exists(firstSecret, 'a kubernetes_secret_v1 resource');
    const replaced = { resource_changes: [{ address: `kubernetes_secret_v1.${firstSecret}`, type: 'kubernetes_secret_v1', change: { actions: ['delete', 'create'] } }] };
    expect(oryRenewalPlanProblems(replaced)).toHaveLength(1);
  });
});
