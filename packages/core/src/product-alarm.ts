import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';

/** The runbook every alarm links to; each alarm names its own section. */
export const RUNBOOK_PATH = 'docs/operations.md';

/** The runbook link an alarm description ends with: `Runbook: docs/operations.md#<anchor>`. */
export function runbookLink(anchor: string): string {
  return `Runbook: ${RUNBOOK_PATH}#${anchor}`;
}

/** Reads the runbook anchor back from an alarm description (tests and the review use it). */
export function runbookAnchorOf(description: string): string | undefined {
  return new RegExp(`Runbook: ${RUNBOOK_PATH.replace('.', '\\.')}#([a-z0-9-]+)$`).exec(description)?.[1];
}

export interface ProductAlarmProps extends Omit<CloudwatchMetricAlarmConfig, 'alarmDescription' | 'okActions' | 'insufficientDataActions'> {
  /** The SNS topic operators subscribe to (the network stack's `alarm_topic_arn`); notified on ALARM and OK. */
  readonly topicArn: string;
  /** What firing means, in one or two sentences. */
  readonly summary: string;
  /** The alarm's section in `docs/operations.md` (a heading's anchor). */
  readonly runbookAnchor: string;
}

/**
 * A CloudWatch alarm of this product: it notifies the one alarm topic when it fires and when it
 * recovers (plus any `alarmActions` given, such as EC2 recovery), and its description says what
 * it means and where its runbook entry is.
 */
export class ProductAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ProductAlarmProps) {
    super(scope, id);
    const { topicArn, summary, runbookAnchor, alarmActions, ...config } = props;
    if (!/^[a-z0-9-]+$/.test(runbookAnchor)) throw new Error(`ProductAlarm ${id}: runbookAnchor "${runbookAnchor}" must be a heading anchor (a-z, 0-9, -).`);
    const description = `${summary} ${runbookLink(runbookAnchor)}`;
    if (description.length > 1024) throw new Error(`ProductAlarm ${id}: the description is ${description.length} characters; CloudWatch allows 1024.`);
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      ...config,
      alarmDescription: description,
      alarmActions: [topicArn, ...((alarmActions as string[] | undefined) ?? [])],
      okActions: [topicArn],
    });
  }
}
