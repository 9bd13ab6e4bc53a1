import { PropProblem, cidrListProblems, isIpv4Cidr, logRetentionProblems, parseIpv4Cidr } from '@crdb-ory/core';
import { BackupScheduleSettings, backupScheduleProblems } from '../backup/backup-schedule';
import { namePrefixProblems } from '../cockroach-names';
import { secretReaderArnProblems } from '../pki/secret-read-policy';
import { SqlUserNames, sqlUserProblems } from '../sql-users';
import { cockroachReleaseProblems } from './cockroach-release';
import { DataVolumeSettings, gp3VolumeProblems } from './data-volume';
import { DrainSettings, drainProblems } from './drain-settings';
import { productionInstanceTypeProblems } from './instance-type';

/** The `CockroachStack` settings its rules check, defaults filled (each named by its prop). */
export interface CockroachStackSettings {
  readonly namePrefix: string;
  readonly sqlUsers: SqlUserNames;
  readonly cockroachVersion: string;
  readonly cockroachSha256: string;
  readonly instanceType: string;
  readonly dataVolume: DataVolumeSettings;
  readonly cache: string;
  readonly maxSqlMemory: string;
  readonly adminCidrs: readonly string[];
  readonly deregistrationDelaySeconds: number;
  readonly drain: DrainSettings;
  readonly backupSchedule: BackupScheduleSettings | false;
  readonly operations: { readonly assumableBy: readonly string[]; readonly logRetentionDays: number };
  readonly licenseSecretArn?: string;
}

/** The load balancer's deregistration delay AWS accepts, in seconds. */
export const DEREGISTRATION_DELAY_LIMITS = { min: 0, max: 3600 } as const;

export const SECRETS_MANAGER_SECRET_ARN_PATTERN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

/** Every rule of the `CockroachStack` props, each problem under its prop: the stack throws them all at once. */
export function cockroachStackProblems(s: CockroachStackSettings): PropProblem[] {
  return [
    ...(s.backupSchedule ? backupScheduleProblems(s.backupSchedule) : []),
    ...namePrefixProblems(s.namePrefix),
    ...sqlUserProblems(s.sqlUsers),
    ...drainProblems(s.drain),
    ...cockroachReleaseProblems(s.cockroachVersion, s.cockroachSha256),
    ...productionInstanceTypeProblems(s.instanceType),
    ...gp3VolumeProblems(s.dataVolume),
    ...logRetentionProblems('operations.logRetentionDays', s.operations.logRetentionDays),
    ...memoryFractionProblems('cache', s.cache),
    ...memoryFractionProblems('maxSqlMemory', s.maxSqlMemory),
    ...adminCidrProblems(s.adminCidrs),
    ...cidrListProblems(s.adminCidrs).map((problem) => ({ prop: `adminCidrs[${problem.index}]`, value: problem.value, message: problem.message })),
    ...secretReaderArnProblems(s.operations.assumableBy, 'operations.assumableBy'),
    ...licenseSecretArnProblems(s.licenseSecretArn),
    ...deregistrationDelayProblems(s.deregistrationDelaySeconds),
  ];
}

/** `--cache` and `--max-sql-memory`: a fraction of RAM above 0, at most .5 (the two together must leave room for the rest). */
export function memoryFractionProblems(prop: string, value: string): PropProblem[] {
  const fraction = Number(value);
  return /^0?\.\d+$/.test(value) && fraction > 0 && fraction <= 0.5 ? [] : [{ prop, value, message: 'allowed is a fraction of RAM like .25 (above 0, at most .5)' }];
}

/**
 * Each declared admin network (`adminCidrs`): a valid IPv4 CIDR of /8 or smaller (the DB Console
 * is never open to the internet), under `<prop>[i]`. The list as a whole follows core's CIDR-list
 * rule (`cidrListProblems`).
 */
export function adminCidrProblems(cidrs: readonly string[], prop = 'adminCidrs'): PropProblem[] {
  return cidrs.flatMap((cidr, i) => {
    const parsed = parseIpv4Cidr(cidr);
    if (!isIpv4Cidr(parsed)) return [{ prop: `${prop}[${i}]`, value: cidr, message: parsed.error }];
    return parsed.prefixLength < 8 ? [{ prop: `${prop}[${i}]`, value: cidr, message: 'the DB Console is never open to the internet; allowed are private networks of /8 or smaller' }] : [];
  });
}

export function licenseSecretArnProblems(arn: string | undefined, prop = 'licenseSecretArn'): PropProblem[] {
  return arn === undefined || SECRETS_MANAGER_SECRET_ARN_PATTERN.test(arn) ? [] : [{ prop, value: arn, message: 'allowed is a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)' }];
}

function deregistrationDelayProblems(seconds: number): PropProblem[] {
  const { min, max } = DEREGISTRATION_DELAY_LIMITS;
  return Number.isInteger(seconds) && seconds >= min && seconds <= max ? [] : [{ prop: 'deregistrationDelaySeconds', value: seconds, message: `allowed are whole seconds from ${min} to ${max}` }];
}
