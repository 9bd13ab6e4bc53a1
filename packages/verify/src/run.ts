import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { ServiceTarget, VerifyConfig } from './config';
import { FlowRun, isCleanupStep, type ProgressListener, type StepResult } from './flow';
import type { FlowContext } from './flow-context';
import { runHydraFlow } from './hydra-check';
import { runKetoFlow } from './keto-check';
import { runKratosFlow } from './kratos-check';
import { latencyStats, type LatencyStats } from './percentiles';
import { runPreflight } from './preflight';
import type { ServiceName } from './settings';

const FLOWS: Record<ServiceName, (run: FlowRun, ctx: FlowContext) => Promise<void>> = {
  hydra: runHydraFlow,
  kratos: runKratosFlow,
  keto: runKetoFlow,
};

export interface VerifyReport {
  readonly ok: boolean;
  readonly results: readonly StepResult[];
  /** Per service flow (`hydra`) and per step (`hydra: api: ...`), over the iterations that passed. */
  readonly latency: Readonly<Record<string, LatencyStats>>;
}

function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

async function verifyService(target: ServiceTarget, config: VerifyConfig, onResult: ProgressListener): Promise<{ ok: boolean; results: StepResult[] }> {
  const preflight = new FlowRun(target.service, 1, onResult);
  let db: pg.Client | undefined;
  const preflightOk = await preflight.execute(async (run) => {
    db = await runPreflight(run, target, config.timeoutMs);
  }, config.keep);
  const results = [...preflight.results];
  if (!preflightOk || !db) return { ok: false, results };
  let ok = true;
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
  return { ok, results };
}

/** Per-flow and per-step latency percentiles over the iterations in which every flow step passed. */
export function summarizeLatency(results: readonly StepResult[]): Record<string, LatencyStats> {
  const flows = new Map<string, number[]>();
  const steps = new Map<string, number[]>();
  const byIteration = new Map<string, StepResult[]>();
  for (const r of results) {
    if (r.step.startsWith('preflight')) continue;
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
  let ok = true;
  for (const target of config.services) {
    const outcome = await verifyService(target, config, onResult);
    results.push(...outcome.results);
    ok = ok && outcome.ok;
  }
  return { ok, results, latency: summarizeLatency(results) };
}
