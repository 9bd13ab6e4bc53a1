import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { CertificateFigure } from './certificate-expiry';
import { CERTIFICATES_STEP, runCertificateCheck } from './certificate-check';
import { runBackupCheck, type BackupSummary } from './backup-check';
import type { BackupTarget, DatabaseRegionsTarget, ServiceTarget, VerifyConfig } from './config';
import { runDatabaseRegionsCheck, type DatabaseRegionsSummary } from './database-regions-check';
import { FlowRun, isCleanupStep, type ProgressListener, type StepResult } from './flow';
import type { FlowContext } from './flow-context';
import { runHydraFlow } from './hydra-check';
import { runKetoFlow } from './keto-check';
import { runKratosFlow } from './kratos-check';
import { latencyStats, type LatencyStats } from './percentiles';
import { connectStep, runPreflight } from './preflight';
import { crossRegionGroup, REGIONS_GROUP, type ServiceName } from './settings';

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
  /** What the regions check found, when it ran (`--database-regions`). */
  readonly databaseRegions?: DatabaseRegionsSummary;
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
  const urls = (target.regions ?? [{ urls: target.urls }]).flatMap((r) => Object.values(r.urls));
  let ok = await expiry.execute((run) => runCertificateCheck(run, { db: target.db, connection, urls }, config.certExpiryMinDays, config.timeoutMs, certificates), config.keep);
  results.push(...expiry.results);
  try {
    for (let iteration = 1; iteration <= config.repeat; iteration++) {
      for (const hop of flowHops(target)) {
        const run = new FlowRun(hop.group, iteration, onResult);
        const ctx: FlowContext = { target: { ...target, urls: hop.writeUrls }, db, timeoutMs: config.timeoutMs, runId: newRunId(), ketoNamespace: config.ketoNamespace, ketoVerifierId: config.ketoVerifierId, kratosIdentitySchemaId: config.kratosIdentitySchemaId, ...(hop.readUrls ? { readUrls: hop.readUrls } : {}) };
        const passed = await run.execute((r) => FLOWS[target.service](r, ctx), config.keep);
        ok = passed && ok;
        results.push(...run.results);
        if (!passed) break; // the regions after a failed one would only repeat it
      }
      if (!ok) break; // a broken deployment does not get clearer by repeating
    }
  } finally {
    await db.end().catch(() => undefined);
  }
  return { ok, results, certificates };
}

/** One run of a service's flow: where it writes, where it reads back, and the group its steps report under. */
interface FlowHop {
  readonly group: ServiceName | ReturnType<typeof crossRegionGroup>;
  readonly writeUrls: Readonly<Record<string, string>>;
  readonly readUrls?: Readonly<Record<string, string>>;
}

/**
 * The flows of a service: one through its endpoints; across regions, a ring (each region writes
 * and the next one, the last's being the first, reads back), so every region's every endpoint is
 * exercised once as writer and once as reader, with as many flows as regions.
 */
export function flowHops(target: ServiceTarget): FlowHop[] {
  const regions = target.regions;
  if (!regions || regions.length < 2) return [{ group: target.service, writeUrls: target.urls }];
  return regions.map((from, i) => {
    const to = regions[(i + 1) % regions.length] ?? from;
    return { group: crossRegionGroup(target.service, from.region, to.region), writeUrls: from.urls, readUrls: to.urls };
  });
}

/** The databases' regions: connect (verify-full), then SHOW DATABASES against the expected regions. */
async function verifyDatabaseRegions(target: DatabaseRegionsTarget, config: VerifyConfig, onResult: ProgressListener): Promise<GroupOutcome & { summary?: DatabaseRegionsSummary }> {
  const connect = new FlowRun(REGIONS_GROUP, 1, onResult);
  let db: pg.Client | undefined;
  const connected = await connect.execute(async (run) => {
    db = await connectStep(run, target.db, config.timeoutMs);
  }, config.keep);
  const results = [...connect.results];
  if (!connected || !db) return { ok: false, results, certificates: [] };
  const connection = db;
  const summary: { value?: DatabaseRegionsSummary } = {};
  try {
    const check = new FlowRun(REGIONS_GROUP, 1, onResult);
    const ok = await check.execute((run) => runDatabaseRegionsCheck(run, target, connection, config.timeoutMs, summary), config.keep);
    results.push(...check.results);
    return { ok, results, certificates: [], ...(summary.value ? { summary: summary.value } : {}) };
  } finally {
    await connection.end().catch(() => undefined);
  }
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
    if (r.service === 'backups' || r.service === REGIONS_GROUP || r.step.startsWith('preflight') || r.step === CERTIFICATES_STEP) continue; // checks, not flow steps
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
  let databaseRegions: DatabaseRegionsSummary | undefined;
  if (config.databaseRegions) {
    const outcome = await verifyDatabaseRegions(config.databaseRegions, config, onResult);
    results.push(...outcome.results);
    databaseRegions = outcome.summary;
    ok = ok && outcome.ok;
  }
  return { ok, results, certificates: distinctCertificates(seen), ...(backups ? { backups } : {}), ...(databaseRegions ? { databaseRegions } : {}), latency: summarizeLatency(results) };
}
