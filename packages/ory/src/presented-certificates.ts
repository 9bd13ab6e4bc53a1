import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { CLUSTER_METRIC, NODE_METRICS_NAMESPACE, oryCertificateMetricDimensions, oryPresentedCertificateParameterName } from '@crdb-ory/cockroach';
import { ProductAlarm } from '@crdb-ory/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { OryServiceName } from './ory-ports';

export interface PresentedCertificatesProps {
  /** The environment's name prefix: the parameters' path and the cluster dimension of the metric (the cockroach stack's). */
  readonly namePrefix: string;
  /** Per service: the public certificates its Secret holds (CA and client certificate, PEM) and the release whose pods read them. */
  readonly services: Readonly<Record<OryServiceName, { readonly certificates: string; readonly release: ITerraformDependable }>>;
  /** Alarm when a service's first certificate to expire has fewer days left; `false`: no alarms. */
  readonly expiryAlarmDays: number | false;
  /** The network stack's alarm topic. */
  readonly topicArn: string;
}

/**
 * What Ory presents to CockroachDB, watched: per service, a String SSM parameter
 * (`/<prefix>/ory/presented-certificates/<service>`, ory-certificates.ts) holding the public
 * certificates of its Secret, written after its release, so only once the pods have rolled onto
 * that content (the release waits for the rollout; an apply that fails leaves the parameter as it
 * was). Every CockroachDB node reads them and publishes the days left (`OryCertificateDaysToExpiry`),
 * and an alarm per service fires below the threshold, or when no node has published for 6 hours.
 * A renewal in Secrets Manager alone does not clear it: it clears when Ory presents the new
 * certificate.
 */
export class PresentedCertificates extends Construct {
  readonly parameters: Record<OryServiceName, SsmParameter>;
  readonly alarms: ProductAlarm[] = [];

  constructor(scope: Construct, id: string, props: PresentedCertificatesProps) {
    super(scope, id);
    const services = Object.keys(props.services) as OryServiceName[];
    this.parameters = Object.fromEntries(
      services.map((service) => [
        service,
        new SsmParameter(this, `${service}-parameter`, {
          name: oryPresentedCertificateParameterName(props.namePrefix, service),
          type: 'String',
          tier: 'Standard',
          description: `The certificates Ory ${service} presents to CockroachDB (its CA and client certificate; public, no key), written after its pods rolled onto them.`,
          value: props.services[service].certificates,
          dependsOn: [props.services[service].release],
        }),
      ]),
    ) as Record<OryServiceName, SsmParameter>;
    if (props.expiryAlarmDays === false) return;
    for (const service of services) {
      this.alarms.push(
        new ProductAlarm(this, `${service}-certificate-expiry`, {
          alarmName: `${props.namePrefix}-ory-${service}-certificate-expiry`,
          topicArn: props.topicArn,
          summary: `A certificate Ory ${service} presents to CockroachDB (its client certificate or CA, as its pods run it) expires in less than ${props.expiryAlarmDays} days, or no CockroachDB node published it for 6 hours.`,
          runbookAnchor: 'alarm-ory-certificate-expiry',
          namespace: NODE_METRICS_NAMESPACE,
          metricName: CLUSTER_METRIC.oryCertificateDaysToExpiry,
          dimensions: oryCertificateMetricDimensions(props.namePrefix, service),
          statistic: 'Minimum',
          period: 3600,
          evaluationPeriods: 6,
          comparisonOperator: 'LessThanThreshold',
          threshold: props.expiryAlarmDays,
          treatMissingData: 'breaching',
        }),
      );
    }
  }
}
