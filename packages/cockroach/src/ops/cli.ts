import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USAGE_EXIT_CODE, UsageError, withUsageErrors } from '@crdb-ory/core/command-line';
import { OptionSpec, parseOptions, usageOf } from './cli-args';
import { runCommand, sleep } from './command-runner';
import { DEFAULT_SESSION_POLL_SECONDS, commaList, openOperatorStacks, operatorSession, stackSelection } from './operator-stacks';
import { restore } from './restore';
import { RestoreMode } from './restore-sql';
import { nodeRolloutAddresses } from '../cluster/node-rollout';
import { desiredRegionsProblems } from '../multi-region/region-convergence';
import { DATABASE_REGIONS_RECORD_FILE, readDatabaseRegionsRecord } from '../multi-region/database-regions-record';
import { synthesisOutdirOf } from '@crdb-ory/core/configuration-source';
import { DEFAULT_ROLL_SETTINGS, instanceAttribute, roll } from './roll';
import { rollRegions } from './roll-regions';
import { DEFAULT_REPLICA_TIMEOUT_SECONDS, renewCertificates } from './renew-certificates';
import { renewalRegionOf, renewalRegionOrder } from './renewal-regions';
import { DEFAULT_COCKROACH_STACK_DIR, DEFAULT_ORY_STACK_DIR, DEFAULT_PKI_STACK_DIR, readStackDir } from './stack-dir';
import { AwsTargetHealth } from './target-health';
import { NodeRegionSql, convergeRegions } from './converge-regions';
import { DEFAULT_DECOMMISSION_TIMEOUT_SECONDS, NodeDecommissionCluster, decommissionRegion } from './decommission-region';
import { TerraformDriver } from './terraform-driver';


const COMMON: OptionSpec[] = [
  { name: 'stack-dir', kind: 'string', help: `the synthesized cockroach stack (default ${DEFAULT_COCKROACH_STACK_DIR}, after \`npm run synth\`)` },
  { name: 'region', kind: 'string', help: "AWS region of the nodes (default: the stack's provider region)" },
  {
    name: 'poll-interval',
    kind: 'interval',
    help: `seconds between checks while waiting, a fraction allowed, e.g. 0.5 (default ${DEFAULT_ROLL_SETTINGS.pollSeconds} for roll, ${DEFAULT_SESSION_POLL_SECONDS} for restore and renew-certificates)`,
  },
];

/** The options of a command that works on several regions' cockroach stacks (roll, renew-certificates). */
function stacksOptions(primaryIs: string): OptionSpec[] {
  return [
    {
      name: 'primary-region',
      kind: 'string',
      help: `with several --stack-dir stacks (a multi-region cluster, each region's cockroach stack, comma-separated): the primary region, ${primaryIs} (default: the first stack's region)`,
    },
    {
      name: 'aws-profile',
      kind: 'string',
      help: "one AWS CLI profile per --stack-dir stack, comma-separated, in the same order: each assumes that stack's operations role (each region has its own) (default: your current credentials for every stack)",
    },
  ];
}

const ROLL_OPTIONS: OptionSpec[] = [
  { name: 'dry-run', kind: 'flag', help: 'print what the roll would do, checking each node\'s targeted plan; change nothing' },
  { name: 'yes', kind: 'flag', help: 'required to change anything (drain and replace nodes, change cluster settings)' },
  { name: 'finalize', kind: 'flag', help: 'finalize a major-version upgrade once every node runs the new binary (cannot be undone)' },
  { name: 'drain-wait', kind: 'seconds', help: 'cockroach node drain --drain-wait (default: what the cluster\'s server.shutdown.* settings need, plus 60; a shorter one is refused)' },
  { name: 'ready-timeout', kind: 'seconds', help: `how long a replaced node may take to be ready (default ${DEFAULT_ROLL_SETTINGS.readyTimeoutSeconds})` },
  { name: 'target-timeout', kind: 'seconds', help: `how long the load balancer may take to report a replaced node healthy (default ${DEFAULT_ROLL_SETTINGS.targetTimeoutSeconds})` },
  { name: 'ranges-timeout', kind: 'seconds', help: `how long ranges may stay under-replicated after a node rejoined (default ${DEFAULT_ROLL_SETTINGS.rangesTimeoutSeconds})` },
  ...stacksOptions('rolled last'),
  ...COMMON,
];

const ROLL_SUMMARY = `Rolls pending node changes of the cockroach stack (version, instance type, boot settings) one node at a time:
drain the node, replace its instance alone, wait until it is ready, until no range is under-replicated and until the
load balancer reports it healthy.
Major-version upgrades set cluster.preserve_downgrade_option first and are finalized only with --finalize.
Refuses and stops when the cluster is not healthy, before and between nodes.
A multi-region cluster: --stack-dir names every region's cockroach stack, comma-separated; the regions are rolled one
after another, the primary region last, one node at a time in the whole cluster (every other region's nodes must be
live and not draining before a node goes).`;

const RESTORE_OPTIONS: OptionSpec[] = [
  { name: 'database', kind: 'string', help: 'the Ory databases to restore, comma-separated: hydra, kratos, keto (default: all three)' },
  {
    name: 'mode',
    kind: 'string',
    help: 'side-by-side (default: restore as <db>_restored, nothing live changes) or replace (restore as <db>_restoring, check, then swap it in by renaming, keeping the live one as <db>_before_restore; stop Ory first)',
  },
  { name: 'from-cluster', kind: 'string', help: "the cluster id whose backups to restore (default: this cluster's); see --list" },
  { name: 'as-of', kind: 'string', help: "restore the state at this time, e.g. '2026-03-01 14:30:00+00' (default: the latest backup); it must lie inside the backups (--list)" },
  { name: 'list', kind: 'flag', help: 'list the cluster ids that have backups in the bucket and the times a restore can reach, and stop' },
  { name: 'drop-previous', kind: 'flag', help: 'drop the databases a replace restore kept (<db>_before_restore), once the restored ones are checked' },
  { name: 'from-bucket', kind: 'string', help: "restore from this bucket instead of the stack's (e.g. the secondary region's replica when the primary region is lost); with --bucket-region" },
  { name: 'bucket-region', kind: 'string', help: 'the region of --from-bucket' },
  { name: 'skip-localities-check', kind: 'flag', help: "RESTORE WITH skip_localities_check: restore multi-region databases although a region of the backup has no live node (after losing a region)" },
  { name: 'dry-run', kind: 'flag', help: 'print the statements; change nothing' },
  { name: 'yes', kind: 'flag', help: 'required by --mode replace and --drop-previous' },
  { name: 'timeout', kind: 'seconds', help: 'how long one RESTORE may run (default 21600)' },
  ...COMMON,
];

const RESTORE_SUMMARY = `Restores Ory databases from the backup bucket (RESTORE DATABASE ... FROM '<backup>' IN '<collection>'), as root on a
ready node through SSM Run Command: side by side or in place, from this cluster's backups or another's
(a new cluster taking over the data of an old one). Every restored database gets the owners and grants
the bootstrap gives and is checked before anything live changes; a replace keeps the live databases
until --drop-previous.`;

const RENEW_OPTIONS: OptionSpec[] = [
  { name: 'dry-run', kind: 'flag', help: 'plan cockroach-pki and check the plan, print every step; change nothing' },
  { name: 'yes', kind: 'flag', help: 'required to change anything (apply cockroach-pki and ory, refresh the nodes)' },
  { name: 'pki-stack-dir', kind: 'string', help: `the synthesized cockroach-pki stack (default ${DEFAULT_PKI_STACK_DIR})` },
  {
    name: 'ory-stack-dir',
    kind: 'string',
    help: `the synthesized ory stack (default ${DEFAULT_ORY_STACK_DIR}); with several --stack-dir stacks, one ory stack per region, comma-separated in the same order (each region's Ory reads the replicas there and is re-applied once they caught up), or one: the primary region's only`,
  },
  { name: 'replica-timeout', kind: 'seconds', help: `with several --stack-dir stacks: how long a region's replica secrets may take to hold the renewed values (default ${DEFAULT_REPLICA_TIMEOUT_SECONDS})` },
  ...stacksOptions('renewed first'),
  ...COMMON,
];

const RENEW_SUMMARY = `Renews the CockroachDB certificates that are due and brings them everywhere, in order: applies cockroach-pki
(only certificate re-issues and their secret versions), refreshes each node one at a time (SIGHUP, then
/health?ready=1), applies ory (only its Secrets, releases and presented-certificate records: each release
rolls its pods one at a time), then verifies that every Ory service presents the certificate in Secrets Manager.
A multi-region cluster: --stack-dir names every region's cockroach stack, comma-separated (and --aws-profile a profile
for each); after the primary region's nodes, each other region's nodes are refreshed one at a time once the replicas
of their secrets in that region hold the renewed values. Every stack is read and every session checked first.`;

const REGIONS_OPTIONS: OptionSpec[] = [
  {
    name: 'regions',
    kind: 'string',
    help: "the regions the Ory databases should have, comma-separated, the primary region first and the secondary second, e.g. us-east-1,us-east-2,us-west-2 (default: the configuration's, which the multi-region app's synthesis records next to --stack-dir's stacks; given as well, it must agree)",
  },
  {
    name: 'ahead-of-configuration',
    kind: 'flag',
    help: "with --regions: converge to them although the configuration's regions differ (removing a region: the configuration drops it only after its stacks are destroyed; docs/operations.md, \"Remove a region\")",
  },
  { name: 'dry-run', kind: 'flag', help: 'print the regions as the cluster reports them and the statements that converge them; change nothing' },
  { name: 'yes', kind: 'flag', help: 'required to change anything (apply the statements one at a time)' },
  ...COMMON,
];

const REGIONS_SUMMARY = `Converges the regions of the Ory databases (hydra, kratos, keto) to the configuration's regions (or --regions), as root on a ready node through SSM:
observes the cluster regions (SHOW REGIONS FROM CLUSTER) and each database's primary and secondary region, regions and
survival goal (SHOW DATABASES), decides the statements (SET PRIMARY REGION, ADD REGION, SURVIVE REGION FAILURE once three
regions exist, SET SECONDARY REGION; for a region no longer listed SURVIVE ZONE FAILURE when fewer than three remain,
then DROP REGION), applies one, and observes again. Refuses a region that has no live node, and stops at the first
refusal or failure, saying what it applied.`;

const DECOMMISSION_OPTIONS: OptionSpec[] = [
  { name: 'remove-region', kind: 'string', help: 'the region whose nodes are decommissioned (the nodes whose --locality has region=<it>), e.g. us-west-2 (required); --stack-dir names a stack of a region that stays' },
  { name: 'dry-run', kind: 'flag', help: "print the nodes, run CockroachDB's pre-flight checks (cockroach node decommission --dry-run) and print the steps; change nothing" },
  { name: 'yes', kind: 'flag', help: 'required to change anything (decommission the nodes)' },
  { name: 'replicas-timeout', kind: 'seconds', help: `how long the replicas may take to move off the region's nodes (default ${DEFAULT_DECOMMISSION_TIMEOUT_SECONDS})` },
  ...COMMON,
];

const DECOMMISSION_SUMMARY = `Decommissions the CockroachDB nodes of a region that is being removed, as root on a ready node of --stack-dir (a region
that stays) through SSM: observes every node (cockroach node status --decommission), the Ory databases' regions (SHOW
DATABASES) and the ranges, decides, applies one step and observes again: cockroach node decommission <the region's node
ids> --wait=none (all at once), waits until they hold no replica, then cockroach node decommission <ids> (--wait=all), after
which their membership is decommissioned and the region's stacks may be destroyed. Refuses while an Ory database still has
the region (run regions first), when a database with the REGION survival goal would keep fewer than 3 regions, when fewer
than 3 live nodes would stay, when ranges are under-replicated or unavailable, or when a node of the region is not live;
stops at the first refusal or failure, saying what it applied.`;

const COMMANDS = `Usage: crdb-ory-cockroach <command> [options]
Commands:
  roll                  roll pending node changes one node at a time (see: roll --help)
  restore               restore Ory databases from the backups (see: restore --help)
  renew-certificates    renew due certificates and roll them onto the nodes and Ory (see: renew-certificates --help)
  regions               converge the Ory databases' regions and survival goal (see: regions --help)
  decommission-region   decommission the nodes of a region being removed (see: decommission-region --help)
`;

type Options = Record<string, string | number | boolean>;

/** A command of the CLI: its usage and what it runs with its options read. */
interface Subcommand {
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly run: (options: Options, out: (text: string) => void) => Promise<number>;
}

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  roll: { summary: ROLL_SUMMARY, options: ROLL_OPTIONS, run: rollCommand },
  restore: { summary: RESTORE_SUMMARY, options: RESTORE_OPTIONS, run: restoreCommand },
  'renew-certificates': { summary: RENEW_SUMMARY, options: RENEW_OPTIONS, run: renewCommand },
  regions: { summary: REGIONS_SUMMARY, options: REGIONS_OPTIONS, run: regionsCommand },
  'decommission-region': { summary: DECOMMISSION_SUMMARY, options: DECOMMISSION_OPTIONS, run: decommissionCommand },
};

/** The CLI; returns the exit code: 0 done, 1 stopped or refused, 2 usage error. */
export async function main(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(t), err: (text: string) => void = (t) => process.stderr.write(t)): Promise<number> {
  const [command = '', ...args] = argv;
  const subcommand = Object.hasOwn(SUBCOMMANDS, command) ? SUBCOMMANDS[command] : undefined;
  const usage = subcommand ? usageOf(command, subcommand.summary, subcommand.options) : COMMANDS;
  return withUsageErrors({ command: 'crdb-ory-cockroach', usage, err }, async () => {
    try {
      if (subcommand && args.includes('--help')) {
        out(usage);
        return 0;
      }
      if (subcommand) return await subcommand.run(parseOptions(args, subcommand.options), out);
      if (command === '--help' || command === 'help' || argv.length === 0) {
        out(COMMANDS);
        return argv.length === 0 ? USAGE_EXIT_CODE : 0;
      }
      throw new UsageError(`unknown command "${command}"`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      err(`crdb-ory-cockroach ${command}: ${(error as Error).message}\n`);
      return 1;
    }
  });
}

/** Whether this is a dry run; neither --dry-run nor --yes is a usage error saying why (`refusal`). */
function dryRunOrYes(options: Options, refusal: string): boolean {
  const dryRun = options['dry-run'] === true;
  if (!dryRun && options['yes'] !== true) throw new UsageError(refusal);
  return dryRun;
}

async function rollCommand(options: Options, out: (text: string) => void): Promise<number> {
  const dryRun = dryRunOrYes(options, 'the roll drains and replaces nodes: run it with --dry-run to see what it would do, then with --yes');
  const selection = stackSelection(options, DEFAULT_COCKROACH_STACK_DIR, 'rolled');
  const pollSeconds = Number(options['poll-interval'] ?? DEFAULT_ROLL_SETTINGS.pollSeconds);
  const workDir = mkdtempSync(join(tmpdir(), 'crdb-ory-roll-'));
  const log = (line: string): void => out(`${line}\n`);
  const settings = {
    dryRun,
    finalize: options['finalize'] === true,
    ...(options['drain-wait'] === undefined ? {} : { drainWaitSeconds: Number(options['drain-wait']) }),
    readyTimeoutSeconds: Number(options['ready-timeout'] ?? DEFAULT_ROLL_SETTINGS.readyTimeoutSeconds),
    targetTimeoutSeconds: Number(options['target-timeout'] ?? DEFAULT_ROLL_SETTINGS.targetTimeoutSeconds),
    rangesTimeoutSeconds: Number(options['ranges-timeout'] ?? DEFAULT_ROLL_SETTINGS.rangesTimeoutSeconds),
    pollSeconds,
  };
  try {
    // Every stack is read and its session checked before anything changes.
    const stacks = openOperatorStacks(selection, pollSeconds, log).map((s, i) => {
      const stackWorkDir = join(workDir, String(i));
      mkdirSync(stackWorkDir);
      return { region: s.region, stackDir: s.stackDir, deps: { terraform: s.terraform, nodes: s.nodes, targets: new AwsTargetHealth(s.region, s.exec), stack: s.stack.json, workDir: stackWorkDir, log, sleep, now: () => Date.now() } };
    });
    const [first] = stacks;
    if (!first) throw new UsageError('--stack-dir names no stack');
    const results = stacks.length === 1 ? [await roll(first.deps, settings)] : await rollRegions(stacks, selection.primaryRegion ?? first.region, settings, log);
    if (dryRun) log(`Dry run complete: ${results.reduce((sum, r) => sum + r.steps.length, 0)} step(s); run again with --yes to do them.`);
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function restoreCommand(options: Options, out: (text: string) => void): Promise<number> {
  const mode = String(options['mode'] ?? 'side-by-side');
  if (mode !== 'side-by-side' && mode !== 'replace') throw new UsageError(`--mode "${mode}": allowed are side-by-side and replace`);
  const dryRun = options['dry-run'] === true;
  const dropPrevious = options['drop-previous'] === true;
  if (mode === 'replace' && !dryRun && options['yes'] !== true) {
    throw new UsageError('--mode replace swaps the restored databases in for the live ones: stop Ory first, run with --dry-run to see the statements, then with --yes');
  }
  if (dropPrevious && !dryRun && options['yes'] !== true) throw new UsageError('--drop-previous drops the databases a replace restore kept: run with --dry-run to see them, then with --yes');
  const stack = readStackDir(String(options['stack-dir'] ?? DEFAULT_COCKROACH_STACK_DIR));
  const region = String(options['region'] ?? stack.region);
  const terraform = new TerraformDriver(stack.dir, runCommand);
  const { outputs, nodes } = operatorSession(terraform, runCommand, region, Number(options['poll-interval'] ?? DEFAULT_SESSION_POLL_SECONDS), (line) => out(`${line}\n`));
  const databases = String(options['database'] ?? 'hydra,kratos,keto').split(',').map((db) => db.trim()).filter(Boolean);
  await restore(
    { nodes, outputs, instanceIds: instanceAttribute(terraform.state(), nodeRolloutAddresses(stack.json), 'id'), region, log: (line) => out(`${line}\n`) },
    {
      databases,
      mode: mode as RestoreMode,
      fromClusterId: options['from-cluster'] === undefined ? undefined : String(options['from-cluster']),
      asOf: options['as-of'] === undefined ? undefined : String(options['as-of']),
      list: options['list'] === true,
      dropPrevious,
      dryRun,
      timeoutSeconds: Number(options['timeout'] ?? 21600),
      skipLocalitiesCheck: options['skip-localities-check'] === true,
      fromBucket: options['from-bucket'] === undefined ? undefined : String(options['from-bucket']),
      fromBucketRegion: options['bucket-region'] === undefined ? undefined : String(options['bucket-region']),
    },
  );
  return 0;
}

async function renewCommand(options: Options, out: (text: string) => void): Promise<number> {
  const dryRun = dryRunOrYes(options, 'the renewal applies cockroach-pki and ory and refreshes every node: run it with --dry-run to see what it would do, then with --yes');
  const selection = stackSelection(options, DEFAULT_COCKROACH_STACK_DIR, 'renewed');
  if (selection.stackDirs.length === 1 && options['replica-timeout'] !== undefined) throw new UsageError('--replica-timeout applies to the other regions\' replica secrets: give every region\'s cockroach stack in --stack-dir, comma-separated');
  const log = (line: string): void => out(`${line}\n`);
  const oryDirs = commaList(options['ory-stack-dir'] ?? DEFAULT_ORY_STACK_DIR);
  if (oryDirs.length !== 1 && oryDirs.length !== selection.stackDirs.length) {
    throw new UsageError(`--ory-stack-dir "${oryDirs.join(',')}": give one ory stack per --stack-dir stack, in the same order (${selection.stackDirs.length}: ${selection.stackDirs.join(', ')}), or the primary region's only`);
  }
  const pki = readStackDir(String(options['pki-stack-dir'] ?? DEFAULT_PKI_STACK_DIR));
  const oryStacks = oryDirs.map((dir) => readStackDir(dir));
  const pollSeconds = Number(options['poll-interval'] ?? DEFAULT_SESSION_POLL_SECONDS);
  // Every region's stack is read and its session checked before anything changes.
  const opened = openOperatorStacks(selection, pollSeconds, log).map((stack, i) => ({ ...stack, ory: oryStacks.length > 1 ? oryStacks[i] : undefined }));
  const [primary, ...others] = opened.length === 1 ? opened : renewalRegionOrder(opened, selection.primaryRegion ?? opened[0]?.region ?? '');
  if (!primary) throw new UsageError('--stack-dir names no stack');
  const ory = primary.ory ?? oryStacks[0];
  if (!ory) throw new UsageError('--ory-stack-dir names no stack');
  for (const s of [primary, ...others]) if (s.ory && s.ory.region !== s.region) throw new UsageError(`--ory-stack-dir ${s.ory.dir} is in ${s.ory.region}, but its --stack-dir ${s.stackDir} in ${s.region}: give the ory stacks in the order of --stack-dir`);
  if (others.length > 0) log(`Regions in renewal order (the primary region ${primary.region} first): ${[primary, ...others].map((s) => `${s.region} (${s.stackDir})`).join(', ')}`);
  if (others.length > 0 && oryStacks.length === 1) log(`Ory: only ${ory.dir} is re-applied; Ory in ${others.map((s) => s.region).join(', ')} is not (give one --ory-stack-dir per --stack-dir to renew it too, or apply each region's ory stack after this command: docs/operations.md)`);
  const regions = others.map((s) => ({ ...renewalRegionOf(s), ...(s.ory ? { ory: { terraform: new TerraformDriver(s.ory.dir, s.exec), stack: s.ory.json } } : {}) }));
  const workDir = mkdtempSync(join(tmpdir(), 'crdb-ory-renew-'));
  try {
    await renewCertificates(
      {
        pki: new TerraformDriver(pki.dir, primary.exec),
        cluster: primary.terraform,
        ory: new TerraformDriver(ory.dir, primary.exec),
        oryStack: ory.json,
        nodes: primary.nodes,
        exec: primary.exec,
        region: primary.region,
        workDir,
        log,
        regions,
        replicaWait: { pollSeconds: Math.min(pollSeconds, 5), timeoutSeconds: Number(options['replica-timeout'] ?? DEFAULT_REPLICA_TIMEOUT_SECONDS), sleep },
      },
      { dryRun },
    );
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function regionsCommand(options: Options, out: (text: string) => void): Promise<number> {
  const dryRun = dryRunOrYes(options, 'the command alters the Ory databases: run it with --dry-run to see the statements, then with --yes');
  const stackDir = String(options['stack-dir'] ?? DEFAULT_COCKROACH_STACK_DIR);
  const flagged = options['regions'] === undefined ? undefined : String(options['regions']).split(',').map((r) => r.trim());
  if (flagged) {
    const problems = desiredRegionsProblems({ regions: flagged });
    if (problems.length > 0) throw new UsageError(`--regions "${String(options['regions'])}": ${problems.join('; ')}`);
  }
  // The configuration's regions, as the multi-region app's synthesis recorded them next to the stacks.
  const recordFile = join(stackDir, '..', '..', DATABASE_REGIONS_RECORD_FILE);
  const recorded = readDatabaseRegionsRecord(synthesisOutdirOf(stackDir));
  if (!flagged && !recorded) {
    throw new UsageError(`--regions is required: the regions the Ory databases should have, the primary first, e.g. --regions us-east-1,us-east-2,us-west-2
(without it the regions come from the configuration, through the multi-region app's synthesis: --stack-dir cdktf.out/multi-region/stacks/cockroach-<region> after \`npm run synth:multi-region\`; ${recordFile} does not exist)`);
  }
  const stack = readStackDir(stackDir);
  const ahead = options['ahead-of-configuration'] === true;
  if (ahead && !flagged) throw new UsageError('--ahead-of-configuration goes with --regions: the regions to converge to instead of the configuration\'s');
  if (flagged && recorded && flagged.join(',') !== recorded.join(',') && !ahead) {
    throw new UsageError(`--regions "${flagged.join(',')}" disagrees with the configuration, whose regions are ${recorded.join(',')} (${recordFile}, the primary first): change the configuration and synthesize again (npm run synth:multi-region), or run without --regions (while removing a region, before its stacks are destroyed: add --ahead-of-configuration)`);
  }
  const regions = flagged ?? recorded ?? [];
  const problems = desiredRegionsProblems({ regions });
  if (problems.length > 0) throw new UsageError(`${recordFile}: ${problems.join('; ')}`);
  const region = String(options['region'] ?? stack.region);
  const terraform = new TerraformDriver(stack.dir, runCommand);
  const log = (line: string): void => out(`${line}\n`);
  if (!flagged) log(`Desired regions (from the configuration, ${recordFile}): ${regions.join(', ')}`);
  else if (recorded && flagged.join(',') !== recorded.join(',')) log(`Desired regions (--regions, ahead of the configuration's ${recorded.join(', ')}): ${regions.join(', ')}`);
  const { nodes } = operatorSession(terraform, runCommand, region, Number(options['poll-interval'] ?? DEFAULT_SESSION_POLL_SECONDS), log);
  if (dryRun) log('Dry run: nothing will be changed.');
  const sql = new NodeRegionSql(nodes, instanceAttribute(terraform.state(), nodeRolloutAddresses(stack.json), 'id'), log);
  await convergeRegions({ sql, log }, { desired: { regions }, dryRun });
  return 0;
}

async function decommissionCommand(options: Options, out: (text: string) => void): Promise<number> {
  const dryRun = dryRunOrYes(options, "the command decommissions a region's nodes (permanently): run it with --dry-run to see the nodes and steps, then with --yes");
  if (options['remove-region'] === undefined) throw new UsageError('--remove-region is required: the region whose nodes are decommissioned, e.g. --remove-region us-west-2');
  const removed = String(options['remove-region']);
  const problems = desiredRegionsProblems({ regions: [removed] });
  if (problems.length > 0) throw new UsageError(`--remove-region "${removed}": ${problems.join('; ')}`);
  const stack = readStackDir(String(options['stack-dir'] ?? DEFAULT_COCKROACH_STACK_DIR));
  const region = String(options['region'] ?? stack.region);
  if (region === removed) throw new UsageError(`--remove-region "${removed}" is the region of --stack-dir ${stack.dir}: the commands run on that stack's nodes, so name the cockroach stack of a region that stays`);
  const pollSeconds = Number(options['poll-interval'] ?? DEFAULT_SESSION_POLL_SECONDS);
  const terraform = new TerraformDriver(stack.dir, runCommand);
  const log = (line: string): void => out(`${line}\n`);
  const { nodes } = operatorSession(terraform, runCommand, region, pollSeconds, log);
  const cluster = new NodeDecommissionCluster(nodes, instanceAttribute(terraform.state(), nodeRolloutAddresses(stack.json), 'id'), log);
  await decommissionRegion(
    { cluster, log, sleep, now: () => Date.now() },
    { region: removed, dryRun, pollSeconds, replicasTimeoutSeconds: Number(options['replicas-timeout'] ?? DEFAULT_DECOMMISSION_TIMEOUT_SECONDS) },
  );
  return 0;
}
