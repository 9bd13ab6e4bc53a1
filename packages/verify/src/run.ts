import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { CertificateFigure } from './certificate-expiry';
import { CERTIFICATES_STEP, runCertificateCheck } from './certificate-check';
import { runBackupCheck, type BackupSummary } from './backup-check';
import type { BackupTarget, ServiceTarget, VerifyConfig } from './config';
import { FlowRun, isCleanupStep, type ProgressListener, type StepResult } from './flow';
import type { FlowContext } from './flow-context';
import { runHydraFlow } from './hydra-check';
import { runKetoFlow } from './keto-check';
import { runKratosFlow } from './kratos-check';
import { latencyStats, type LatencyStats } from './percentiles';
import { connectStep, runPreflight } from './preflight';
import type { ServiceName } from './settings';

const FLOWS: Record<ServiceName, (run: FlowRun, ctx: FlowContext) => Promise<void>> = {
  hydra: runHydraFlow,
  kratos: runKratosFlow,
  keto: runKetoFlow,
};

/** A certificate the verifier saw, and the check group that saw it. */
export interface SeenCertificateFigure extends CertificateFigure {
  readonly service: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly results: readonly StepResult[];
  /** Every certificate seen, once per endpoint (the first group that saw it), with its days until expiry. */
  readonly certificates: readonly SeenCertificateFigure[];
  /** What the backup check found, when it ran. */
  readonly backups?: BackupSummary;
  /** Per service flow (`hydra`) and per step (`hydra: api: ...`), over the iterations that passed. */
  readonly latency: Readonly<Record<string, LatencyStats>>;
}

function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

interface GroupOutcome {
  readonly ok: boolean;
  readonly results: StepResult[];
  readonly certificates: CertificateFigure[];
}

async function verifyService(target: ServiceTarget, config: VerifyConfig, onResult: ProgressListener): Promise<GroupOutcome> {
  const preflight = new FlowRun(target.service, 1, onResult);
  let db: pg.Client | undefined;
  const preflightOk = await preflight.execute(async (run) => {
    db = await runPreflight(run, target, config.timeoutMs);
  }, config.keep);
  const results = [...preflight.results];
  const certificates: CertificateFigure[] = [];
  if (!preflightOk || !db) return { ok: false, results, certificates };
  const connection = db;
  // Its own run: an expiring certificate fails the verification but does not stop the flow.
  const expiry = new FlowRun(target.service, 1, onResult);
  let ok = await expiry.execute((run) => runCertificateCheck(run, { db: target.db, connection, urls: Object.values(target.urls) }, config.certExpiryMinDays, config.timeoutMs, certificates), config.keep);
  results.push(...expiry.results);
  try {
    for (let iteration = 1; iteration <= config.repeat; iteration++) {
      const run = new FlowRun(target.service, iteration, onResult);
      const ctx: FlowContext = { target, db, timeoutMs: config.timeoutMs, runId: newRunId(), ketoNamespace: config.ketoNamespace, ketoVerifierId: config.ketoVerifierId, kratosIdentitySchemaId: config.kratosIdentitySchemaId };
      ok = (await run.execute((r) => FLOWS[target.service](r, ctx), config.keep)) && ok;
      results.push(...run.results);
      if (!ok) break; // a broken deployment does not get clearer by repeating
    }
  } finally {
    await db.end().catch(() => undefined);
  }
  return { ok, results, certificates };
}

/** The cluster's backups: connect (verify-full), the connection's certificates, then the schedule and its jobs. */
async function verifyBackups(target: BackupTarget, config: VerifyConfig, onResult: ProgressListener): Promise<GroupOutcome & { summary?: BackupSummary }> {
  const connect = new FlowRun('backups', 1, onResult);
  let db: pg.Client | undefined;
  const connected = await connect.execute(async (run) => {
    db = await connectStep(run, target.db, config.timeoutMs);
  }, config.keep);
  const results = [...connect.results];
  const certificates: CertificateFigure[] = [];
  if (!connected || !db) return { ok: false, results, certificates };
  const connection = db;
  const summary: { value?: BackupSummary } = {};
  try {
    const expiry = new FlowRun('backups', 1, onResult);
    let ok = await expiry.execute((run) => runCertificateCheck(run, { db: target.db, connection, urls: [] }, config.certExpiryMinDays, config.timeoutMs, certificates), config.keep);
    results.push(...expiry.results);
    const check = new FlowRun('backups', 1, onResult);
    ok = (await check.execute((run) => runBackupCheck(run, target, connection, config.timeoutMs, summary), config.keep)) && ok;
    results.push(...check.results);
    return { ok, results, certificates, ...(summary.value ? { summary: summary.value } : {}) };
  } finally {
    await connection.end().catch(() => undefined);
  }
}

/** Each certificate once per endpoint, attributed to the first group that saw it. */
function distinctCertificates(seen: ReadonlyArray<{ service: string; figures: readonly CertificateFigure[] }>): SeenCertificateFigure[] {
  const out: SeenCertificateFigure[] = [];
  for (const { service, figures } of seen) {
    for (const figure of figures) {
      if (!out.some((o) => o.endpoint === figure.endpoint && o.fingerprint256 === figure.fingerprint256)) out.push({ service, ...figure });
    }
  }
  return out;
}

/** Per-flow and per-step latency percentiles over the iterations in which every flow step passed. */
export function summarizeLatency(results: readonly StepResult[]): Record<string, LatencyStats> {
  const flows = new Map<string, number[]>();
  const steps = new Map<string, number[]>();
  const byIteration = new Map<string, StepResult[]>();
  for (const r of results) {
    if (r.service === 'backups' || r.step.startsWith('preflight') || r.step === CERTIFICATES_STEP) continue; // checks, not flow steps
    const key = `${r.service}#${r.iteration}`;
    byIteration.set(key, [...(byIteration.get(key) ?? []), r]);
  }
  for (const iteration of byIteration.values()) {
    if (!iteration.every((r) => r.ok)) continue;
    const service = iteration[0].service;
    const flowSteps = iteration.filter((r) => !isCleanupStep(r.step));
    flows.set(service, [...(flows.get(service) ?? []), flowSteps.reduce((sum, r) => sum + r.durationMs, 0)]);
    for (const r of iteration) {
      const key = `${service}: ${r.step}`;
      steps.set(key, [...(steps.get(key) ?? []), r.durationMs]);
    }
  }
  return Object.fromEntries([...flows, ...steps].map(([key, samples]) => [key, latencyStats(samples)]));
}

/** Runs preflight and the flow of every configured service; never throws for a failed check. */
export async function runVerification(config: VerifyConfig, onResult: ProgressListener = () => undefined): Promise<VerifyReport> {
  const results: StepResult[] = [];
  const seen: Array<{ service: string; figures: readonly CertificateFigure[] }> = [];
  let ok = true;
  for (const target of config.services) {
    const outcome = await verifyService(target, config, onResult);
    results.push(...outcome.results);
    seen.push({ service: target.service, figures: outcome.certificates });
    ok = ok && outcome.ok;
  }
  let backups: BackupSummary | undefined;
  if (config.backups) {
    const outcome = await verifyBackups(config.backups, config, onResult);
    results.push(...outcome.results);
    seen.push({ service: 'backups', figures: outcome.certificates });
    backups = outcome.summary;
    ok = ok && outcome.ok;
  }
  return { ok, results, certificates: distinctCertificates(seen), ...(backups ? { backups } : {}), latency: summarizeLatency(results) };
}
