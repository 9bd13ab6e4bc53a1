import type { PropProblem } from './validation-error';

/** Retention values CloudWatch Logs accepts, in days (CloudWatch Logs API, PutRetentionPolicy, retentionInDays). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The product's retention of every log group it creates (flow logs, EKS control plane, node operations): one year. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;

/** The problem with a log retention prop, if CloudWatch Logs would refuse it. */
export function logRetentionProblems(prop: string, days: number): PropProblem[] {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days) ? [] : [{ prop, value: days, message: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}` }];
}
