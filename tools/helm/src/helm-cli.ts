import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { helmBinary } from './helm-binary';
import { Manifest, parseManifests } from './manifests';

const run = promisify(execFile);

export interface HelmChartInput {
  /** Path of the chart package (`.tgz`) or folder. */
  readonly chart: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** Values files' contents, in order (later files win, as `-f a -f b`). */
  readonly values: readonly string[];
  /** Kubernetes version the templates see (`.Capabilities.KubeVersion`). @default Helm's own default */
  readonly kubeVersion?: string;
}

export interface HelmTemplateResult {
  readonly manifests: readonly Manifest[];
  /** The raw multi-document output of `helm template`. */
  readonly text: string;
}

export interface HelmLintResult {
  readonly ok: boolean;
  /** `[ERROR]`, `[WARNING]` and `[INFO]` lines of `helm lint`. */
  readonly messages: readonly string[];
  readonly output: string;
}

/** Runs Helm with its config, cache and data homes in a scratch folder: nothing of the user's Helm setup is read. */
async function helm(args: readonly string[], scratch: string): Promise<{ ok: boolean; output: string }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: scratch,
    HELM_CONFIG_HOME: join(scratch, 'config'),
    HELM_CACHE_HOME: join(scratch, 'cache'),
    HELM_DATA_HOME: join(scratch, 'data'),
    KUBECONFIG: join(scratch, 'no-kubeconfig'),
  };
  try {
    const { stdout, stderr } = await run(helmBinary().path, [...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? failed.message}` };
  }
}

async function withValuesFiles<T>(input: HelmChartInput, fn: (args: string[], scratch: string) => Promise<T>): Promise<T> {
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-helm-'));
  try {
    const args = input.values.flatMap((content, i) => {
      const file = join(scratch, `values-${i}.yaml`);
      writeFileSync(file, content);
      return ['-f', file];
    });
    return await fn([...args, '--namespace', input.namespace, ...(input.kubeVersion ? ['--kube-version', input.kubeVersion] : [])], scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `helm version`: e.g. `v3.17.2`. */
export async function helmVersion(): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-helm-'));
  try {
    const result = await helm(['version', '--template', '{{.Version}}'], scratch);
    if (!result.ok) throw new Error(`helm version failed: ${result.output}`);
    return result.output.trim();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `helm template` of a chart with the given values; the output parsed into manifests (hooks included). Throws with Helm's message on failure. */
export async function helmTemplate(input: HelmChartInput): Promise<HelmTemplateResult> {
  return withValuesFiles(input, async (args, scratch) => {
    const result = await helm(['template', input.releaseName, input.chart, ...args], scratch);
    if (!result.ok) throw new Error(`helm template ${input.releaseName} ${input.chart} failed:\n${result.output}`);
    return { manifests: parseManifests(result.output), text: result.output };
  });
}

/** `helm lint --strict` (warnings fail) of a chart with the given values. */
export async function helmLint(input: HelmChartInput): Promise<HelmLintResult> {
  return withValuesFiles(input, async (args, scratch) => {
    const result = await helm(['lint', input.chart, '--strict', ...args], scratch);
    const messages = result.output.split('\n').filter((line) => /^\[(ERROR|WARNING|INFO)\]/.test(line.trim())).map((line) => line.trim());
    return { ok: result.ok, messages, output: result.output };
  });
}
