import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanCheckout, TEST_TARGETS, cleanCheckout, shippedExecutables } from '../../src';

/**
 * Every command the repository ships (each package's `bin`, each npm script of the root
 * package.json), run from a clean checkout: a copy of the committed tree with the installed
 * node_modules linked in and no build output anywhere (see `cleanCheckout`). Each runs in a
 * harmless mode: `--help`, a dry run, the Nx task graph instead of the tasks, or its real
 * offline behaviour. A new bin or script fails the first test until it has a row here.
 */
const ROOT = resolve(__dirname, '../../../..');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Harmless {
  /** Arguments after `npm run <script> --` or after the bin. `{out}` is a scratch folder. */
  readonly args: readonly string[];
  /** What proves it ran (beyond exit status 0). */
  readonly check: (run: Run) => void;
}

const graphOf = (tasks: readonly string[]): Harmless => ({
  args: ['--graph=stdout'],
  check: (run) => {
    for (const task of tasks) expect(run.stdout).toContain(`"${task}"`);
  },
});
const usage = (pattern: RegExp): Harmless => ({ args: ['--help'], check: (run) => expect(run.stdout).toMatch(pattern) });

const HARMLESS: Readonly<Record<string, Harmless>> = {
  'bin:crdb-ory-cockroach': usage(/^Usage: crdb-ory-cockroach <command>/),
  'bin:crdb-ory-verify': usage(/^Usage: crdb-ory-verify \[options\]/),
  'script:synth': { args: ['--outdir', '{out}/cdktf.out'], check: (run) => expect(run.stdout).toMatch(/^synthesized \d+ stacks into /) },
  // The multi-region app, for real: its global and per-region stacks.
  'script:synth:multi-region': { args: ['--outdir', '{out}/multi-region'], check: (run) => expect(run.stdout).toMatch(/^synthesized 18 stacks into .*inter-region \d+, cockroach-us-east-1 \d+/) },
  // cdktf-cli's own synth of the app, for real: a user sees each warning they must act on once, and nothing else.
  'script:cdktf': {
    args: ['synth'],
    check: (run) => {
      expect(run.stdout).toContain('Generated Terraform code for the stacks');
      expect(noticeLines(`${run.stdout}\n${run.stderr}`)).toEqual([
        expect.stringMatching(/^WARN \[cockroach\]: No CockroachDB license secret/),
        expect.stringMatching(/^WARN \[eks\]: Nobody can reach the Kubernetes API/),
        expect.stringMatching(/^WARN \[network\]: Nobody is subscribed to the alarm topic/),
        expect.stringMatching(/^WARN \[ory\]: Ory runs in NON-PRODUCTION mode/),
      ]);
    },
  },
  // The prerequisites check runs for real; Nx then prints the task graph of every test target instead of running it.
  'script:test': {
    args: ['--graph=stdout'],
    check: (run) => {
      for (const target of TEST_TARGETS) expect(run.stdout).toMatch(new RegExp(`"@crdb-ory/[a-z0-9-]+:${target}"`));
    },
  },
  'script:roll': usage(/^Usage: crdb-ory-cockroach roll/),
  'script:restore': usage(/^Usage: crdb-ory-cockroach restore/),
  'script:renew-certificates': usage(/^Usage: crdb-ory-cockroach renew-certificates/),
  'script:regions': usage(/^Usage: crdb-ory-cockroach regions/),
  'script:decommission-region': usage(/^Usage: crdb-ory-cockroach decommission-region/),
  'script:typecheck': graphOf(['@crdb-ory/verify:typecheck', '@crdb-ory/us-east-1:typecheck']),
  'script:lint': graphOf(['@crdb-ory/verify:lint', '@crdb-ory/us-east-1:lint']),
  // A benchmark of `npm run synth` (covered above), by hand on a quiet machine: its usage only.
  'script:bench:synth': usage(/^usage: node scripts\/bench-synth\.mjs/),
  'script:review': graphOf(['@crdb-ory/us-east-1:review']),
  'script:plan-review': usage(/^Usage: npm run plan-review/),
  'script:publishing:sync-manifests': { args: ['--check'], check: (run) => expect(run.stdout).toContain('Every package manifest is up to date.') },
  // Builds every package from the clean tree, versions and writes the changelog in dry-run mode.
  'script:release:dry-run': { args: [], check: (run) => expect(`${run.stdout}${run.stderr}`).toContain('The "dryRun" flag means no changes were made') },
  'script:e2e:registry': graphOf(['@crdb-ory/publishing:e2e-registry']),
  'script:rehearse': usage(/^usage: npm run rehearse/),
  'script:teardown': usage(/^Usage: npm run teardown -- \(--dry-run \| --yes\)/),
};

/** The lines of a command's output a user reads as a warning or an error (terminal control codes removed). */
const TERMINAL_CONTROL = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
function noticeLines(output: string): string[] {
  return output
    .replace(TERMINAL_CONTROL, '\n')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /\b(warn|warning|error|err!)\b|ENOTFOUND/i.test(line));
}

let checkout: CleanCheckout;
let scratch: string;
beforeAll(() => {
  checkout = cleanCheckout(ROOT);
  scratch = mkdtempSync(join(tmpdir(), 'shipped-executables-'));
}, 120_000);
afterAll(() => {
  checkout?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** This machine's environment (the tools on PATH and what they need) without what Nx and npm set for the task running this test. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NX_|INIT_CWD$|VITEST|TEST$|NODE_ENV$|FORCE_COLOR$)/i.test(key)));
  // A Terraform CLI config this machine names but does not have makes terraform warn on every call: not the project's noise.
  if (env['TF_CLI_CONFIG_FILE'] && !existsSync(env['TF_CLI_CONFIG_FILE'])) delete env['TF_CLI_CONFIG_FILE'];
  return { ...env, NX_DAEMON: 'false', NO_COLOR: '1' };
}

/** Runs in the clean checkout as a user would: no Nx daemon, no cache (the copy has none), no state of the task running this test. */
function runIn(command: string, args: readonly string[]): Run {
  const env = userEnvironment();
  const run = spawnSync(command, [...args], { cwd: checkout.dir, env, encoding: 'utf8', timeout: 600_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout ?? '', stderr: `${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

function buildOutputs(dir: string, depth = 0): string[] {
  if (depth > 4) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name === '.git') return [];
    const path = join(dir, entry.name);
    return entry.name === 'dist' || entry.name === 'out-tsc' ? [relative(checkout.dir, path)] : buildOutputs(path, depth + 1);
  });
}

describe('the clean checkout the commands run in', () => {
  it('covers every bin and every npm script the repository ships, and nothing else', () => {
    expect(Object.keys(HARMLESS).sort()).toEqual(shippedExecutables(ROOT).map((e) => e.id).sort());
  });

  it('has no build output, and every workspace package resolves into the copy, never into this checkout', () => {
    expect(buildOutputs(checkout.dir)).toEqual([]);
    const links = join(checkout.dir, 'node_modules', '@crdb-ory');
    const packages = readdirSync(links);
    expect(packages.length).toBeGreaterThan(5);
    for (const name of packages) expect(realpathSync(join(links, name)).startsWith(`${checkout.dir}/`), name).toBe(true);
    expect(existsSync(join(checkout.dir, 'node_modules', '.cache'))).toBe(false);
  });

  it('installs with `npm ci` printing no warning (the locked tree has no unmet peer dependency)', () => {
    const run = runIn('npm', ['ci', '--dry-run', '--ignore-scripts', '--offline', '--no-audit', '--no-fund']);
    expect(run.status, run.stderr).toBe(0);
    // npm writes its warnings to stderr ("npm warn ..."); stdout lists the packages ("add process-warning 5.1.1").
    expect(noticeLines(run.stderr)).toEqual([]);
  });
});

describe('every shipped command runs from a clean checkout, with no build output', () => {
  it.each(Object.keys(HARMLESS))('%s', (id) => {
    const harmless = HARMLESS[id] as Harmless;
    const args = harmless.args.map((arg) => arg.replace('{out}', scratch));
    const [kind, name] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
    const run = kind === 'bin' ? runIn(join(checkout.dir, 'node_modules', '.bin', name), args) : runIn('npm', ['run', '--silent', name, '--', ...args]);
    expect(run.status, `${id} ${args.join(' ')} exited ${run.status}:\n${run.stderr}\n${run.stdout.slice(-4000)}`).toBe(0);
    harmless.check(run);
  });
});
