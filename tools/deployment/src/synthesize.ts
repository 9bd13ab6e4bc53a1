import { CDKTF_MANIFEST_FILE, type CdktfManifest, readCdktfManifest } from '@crdb-ory/core';
import { ConfigurationFingerprint, SYNTHESIS_RECORD_FILE, writeSynthesisRecord } from '@crdb-ory/core/configuration-source';
import { DATABASE_REGIONS_RECORD_FILE, writeDatabaseRegionsRecord } from '@crdb-ory/cockroach/multi-region';
import { CRDB_ORY_PACK, type PolicyContext, PolicyGate, StackPolicyReport } from '@crdb-ory/policy';
import { App, TerraformStack } from 'cdktf';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Where synthesis writes the roles' IAM policies, inside the output folder. */
export const ACCESS_DIR = 'access';

/** What an app synthesizes: its stacks, what the policy gate knows of the deployment, the roles' policies. */
export interface StackSynthesis {
  /** Adds every stack of the deployment to `app`. */
  readonly build: (app: App) => void;
  /** What the policy rules need to know about the deployment (its VPCs, its declared admin networks). */
  readonly policyContext: PolicyContext;
  /** The IAM policies of the environment's roles, by file name, written to `<outdir>/access`. @default none */
  readonly accessPolicies?: (app: App) => Record<string, unknown>;
  /** Which configuration the stacks came from, recorded next to the manifest (see `synthesizeStacks`). @default none: any previous record goes */
  readonly configuration?: ConfigurationFingerprint;
  /**
   * The regions the Ory databases should have, the primary first and the secondary second (a
   * multi-region deployment), recorded next to the manifest for `crdb-ory-cockroach regions`
   * (database-regions-record.ts). @default none: any previous record goes
   */
  readonly databaseRegions?: readonly string[];
}

export interface SynthesisResult {
  /** The policy gate's report of every stack (findings below error severity, suppressions). */
  readonly policy: readonly StackPolicyReport[];
  /** Warnings the stacks raised at synthesis (`Annotations.addWarning`), e.g. a missing license key. */
  readonly warnings: readonly SynthesisWarning[];
  /** Every stack written, in the app's order. */
  readonly stacks: readonly SynthesizedStackSummary[];
  /** The folder the stacks went to (`<outdir>/stacks`). */
  readonly stacksDir: string;
  /** The folder of the roles' IAM policies (`<outdir>/access`, see `StackSynthesis.accessPolicies`). */
  readonly accessDir: string;
}

export interface SynthesisWarning {
  readonly stackName: string;
  readonly constructPath: string;
  readonly message: string;
}

export interface SynthesizedStackSummary {
  readonly name: string;
  /** Number of Terraform resources in the stack's JSON. */
  readonly resources: number;
}

/** The synthesis output this app owns inside `outdir` (with `configuration.json`); anything else there (`.terraform/`, lock files, review.md) is left alone. */
const MANIFEST = CDKTF_MANIFEST_FILE;
const STACKS = 'stacks';

/**
 * Synthesizes every stack into a scratch folder next to `outdir`, then moves the results into
 * `outdir`: each stack's files replace the previous ones, `manifest.json` last. Everything else
 * in `outdir` stays (cdktf's `.terraform/` and `.terraform.lock.hcl` in a stack folder, the
 * review report). The policy gate runs on every stack during synthesis; a failure (policy
 * violation, validation error) leaves the previous output untouched: nothing half-synthesized.
 * With a `configuration`, `configuration.json` next to the manifest records it (without, any
 * previous record goes: the commands that read the output then refuse it).
 */
export function synthesizeStacks(outdir: string, synthesis: StackSynthesis): SynthesisResult {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const scratch = mkdtempSync(join(dirname(target), `.${basename(target)}.synth-`));
  try {
    // No construct stack traces: a production synth never reads them, and capturing a trace
    // for every construct was the largest cost of synthesis (they also put machine paths into
    // manifest.json).
    const app = new App({ outdir: scratch, skipValidation: false, stackTraces: false });
    synthesis.build(app);
    const gate = new PolicyGate(CRDB_ORY_PACK, synthesis.policyContext).applyTo(app);
    app.synth();
    const manifest = readManifest(scratch);
    const order = app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id);
    writeAccessPolicies(join(scratch, ACCESS_DIR), synthesis.accessPolicies?.(app) ?? {});
    const result = { policy: gate.results(), warnings: synthesisWarnings(manifest), stacks: stackSummaries(scratch, manifest, order), stacksDir: join(target, STACKS), accessDir: join(target, ACCESS_DIR) };
    // Which configuration the stacks came from: `roll` and `restore` refuse stacks synthesized from another one.
    if (synthesis.configuration) writeSynthesisRecord(scratch, synthesis.configuration);
    if (synthesis.databaseRegions) writeDatabaseRegionsRecord(scratch, synthesis.databaseRegions);
    moveInto(scratch, target, manifest);
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Where to synthesize: `--outdir <dir>` (the Nx targets pass it, so the declared outputs match),
 * else `CDKTF_OUTDIR` (what `cdktf synth` sets), else `cdktf.out` in the working directory. Only
 * `--outdir` is read: whatever else a caller passes is left to it (not strict).
 */
export function defaultOutdir(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): string {
  const { outdir } = parseArgs({ args: [...argv], options: { outdir: { type: 'string' } }, strict: false, allowPositionals: true }).values;
  return resolve((typeof outdir === 'string' ? outdir : '') || env['CDKTF_OUTDIR'] || 'cdktf.out');
}

type Manifest = CdktfManifest;

function readManifest(dir: string): Manifest {
  return readCdktfManifest(dir);
}

function synthesisWarnings(manifest: Manifest): SynthesisWarning[] {
  return Object.entries(manifest.stacks).flatMap(([stackName, stack]) =>
    stack.annotations.filter((a) => a.level === '@cdktf/warn').map((a) => ({ stackName, constructPath: a.constructPath, message: a.message })),
  );
}

/** Resource counts of every stack, in the app's order (the deploy order). */
function stackSummaries(dir: string, manifest: Manifest, order: readonly string[]): SynthesizedStackSummary[] {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const entries = Object.entries(manifest.stacks).sort(([a], [b]) => rank(a) - rank(b));
  return entries.map(([name, stack]) => {
    const json = JSON.parse(readFileSync(join(dir, stack.synthesizedStackPath), 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    const resources = Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    return { name, resources };
  });
}

/**
 * Moves the synthesized files from `scratch` into `target`, replacing the files of the same
 * name one by one (a rename replaces a file atomically), then the manifest. Synthesized
 * files of stacks the app no longer has are removed; their folders keep any other file.
 */
function moveInto(scratch: string, target: string, manifest: Manifest): void {
  const previous = existingStackFiles(target);
  mkdirSync(join(target, STACKS), { recursive: true });
  for (const name of Object.keys(manifest.stacks)) {
    const from = join(scratch, STACKS, name);
    const to = join(target, STACKS, name);
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) replace(join(from, entry), join(to, entry));
  }
  for (const [name, files] of previous) {
    if (name in manifest.stacks) continue;
    for (const file of files) rmSync(join(target, STACKS, name, file), { recursive: true, force: true });
  }
  replace(join(scratch, ACCESS_DIR), join(target, ACCESS_DIR));
  // The record goes with the stacks it describes; without one (a synthesis that did not say its configuration), none may stay behind.
  for (const record of [SYNTHESIS_RECORD_FILE, DATABASE_REGIONS_RECORD_FILE]) {
    if (existsSync(join(scratch, record))) renameSync(join(scratch, record), join(target, record));
    else rmSync(join(target, record), { force: true });
  }
  renameSync(join(scratch, MANIFEST), join(target, MANIFEST));
}

function writeAccessPolicies(dir: string, policies: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  for (const [file, policy] of Object.entries(policies)) writeFileSync(join(dir, file), `${JSON.stringify(policy, null, 2)}\n`);
}

/** The files the previous synthesis wrote, by stack (from its manifest), so stale ones can go. */
function existingStackFiles(target: string): Map<string, string[]> {
  const files = new Map<string, string[]>();
  let manifest: Manifest;
  try {
    manifest = readManifest(target);
  } catch {
    return files;
  }
  for (const [name, stack] of Object.entries(manifest.stacks)) files.set(name, [basename(stack.synthesizedStackPath), 'assets']);
  return files;
}

/** Renames `from` over `to`; a folder (assets) replaces the previous folder as a whole. */
function replace(from: string, to: string): void {
  if (statSync(from).isDirectory()) rmSync(to, { recursive: true, force: true });
  renameSync(from, to);
}
