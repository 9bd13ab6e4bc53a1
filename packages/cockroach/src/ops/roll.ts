import type { SynthesizedStackJson } from '@crdb-ory/core';
import { join } from 'node:path';
import { type TerraformPlanJson, type TerraformShowState, outputChanges, stateValuesOf } from '@crdb-ory/core/terraform';
import { NodeRolloutAddresses, nodeRolloutAddresses, nodesRunningOldSettings } from '../cluster/node-rollout';
import { ClusterObservation, ClusterSqlObservation, NodeObservation, RollOptions } from './cluster-observation';
import { ClusterReport, parseClusterReport, parseStatusReport } from './node-commands';
import { NodeShell, runSqlOnNode } from './node-shell';
import { OperationStopped } from './operation-stopped';
import { RollStep, decideNextStep, plannedSteps } from './roll-decision';
import { nodeReplacementTargets, targetedPlanProblems } from './roll-targets';
import { TargetHealth, TargetHealthReader } from './target-health';
import { resourceChangesOf } from './terraform-driver';

/** The Terraform operations the roll needs (TerraformDriver in production). */
export interface RollTerraform {
  ensureInitialized(): void;
  outputs(): Record<string, unknown>;
  state(): TerraformShowState;
  planPlain(planFile: string): TerraformPlanJson;
  planTargeted(replace: readonly string[], targets: readonly string[], planFile: string): TerraformPlanJson;
  apply(planFile: string): void;
  commandLine(args: readonly string[]): string;
}

export interface RollDependencies {
  readonly terraform: RollTerraform;
  readonly nodes: NodeShell;
  /** The SQL load balancer's view of each node (`aws elbv2 describe-target-health`). */
  readonly targets: TargetHealthReader;
  /** The synthesized stack (`cdk.tf.json`): where the node addresses come from. */
  readonly stack: SynthesizedStackJson;
  /** Where saved plans go (a temp directory). */
  readonly workDir: string;
  readonly log: (line: string) => void;
  readonly sleep: (seconds: number) => Promise<void>;
  readonly now: () => number;
}

export interface RollSettings extends RollOptions {
  /** Observe and print every step (checking each node's targeted plan); change nothing. */
  readonly dryRun: boolean;
  /** How long a replaced node may take to boot, rejoin and answer /health?ready=1 with the new binary. @default 1800 */
  readonly readyTimeoutSeconds: number;
  /** How long the load balancer may take to report a replaced node's target healthy (registration, then its checks). @default 600 */
  readonly targetTimeoutSeconds: number;
  /** How long the cluster may take to have no under-replicated range after a node rejoined. @default 1800 */
  readonly rangesTimeoutSeconds: number;
  /** Seconds between polls while waiting. @default 15 */
  readonly pollSeconds: number;
}

export const DEFAULT_ROLL_SETTINGS: Omit<RollSettings, 'dryRun' | 'finalize' | 'drainWaitSeconds'> = { readyTimeoutSeconds: 1800, targetTimeoutSeconds: 600, rangesTimeoutSeconds: 1800, pollSeconds: 15 };


export interface RollResult {
  /** The steps taken (or, in a dry run, planned), the last being `done`. */
  readonly steps: readonly RollStep[];
  readonly summary: string;
}

/**
 * Rolls the `cockroach` stack's pending node changes one node at a time: observe, decide
 * (decideNextStep), act, observe again. Throws OperationStopped when the decision refuses or a step
 * fails; the cluster is then left as healthy as the failure allows, and the message says what
 * state it is in.
 */
export async function roll(deps: RollDependencies, settings: RollSettings): Promise<RollResult> {
  const runner = new Roll(deps, settings);
  return settings.dryRun ? runner.dryRun() : runner.run();
}

interface Observed {
  readonly observation: ClusterObservation;
  readonly addresses: readonly NodeRolloutAddresses[];
}

class Roll {
  private readonly addresses: NodeRolloutAddresses[];

  constructor(
    private readonly deps: RollDependencies,
    private readonly settings: RollSettings,
  ) {
    this.addresses = nodeRolloutAddresses(deps.stack);
    if (this.addresses.length === 0) throw new OperationStopped('the synthesized stack has no CockroachDB node (is this the cockroach stack\'s cdk.tf.json?)');
  }

  /** The Terraform addresses of node `node` (1-based). */
  private nodeAddresses(node: number): NodeRolloutAddresses {
    const addresses = this.addresses[node - 1];
    if (!addresses) throw new OperationStopped(`the synthesized stack has no CockroachDB node ${node}`);
    return addresses;
  }

  async dryRun(): Promise<RollResult> {
    this.deps.log('Dry run: nothing will be changed.');
    const { observation } = await this.observe(true);
    this.describe(observation);
    const steps = plannedSteps(observation, this.settings);
    this.deps.log('Steps:');
    for (const [i, step] of steps.entries()) {
      this.deps.log(`  ${i + 1}. ${this.describeStep(step)}`);
      if (step.kind === 'replace-node') {
        const problems = this.checkTargetedPlan(step.node, `dry-run-node-${step.node}.tfplan`);
        this.deps.log(problems.length === 0 ? '     targeted plan checked: it replaces this node only, its data volume untouched' : `     targeted plan REFUSED: ${problems.join('; ')}`);
      }
    }
    const last = steps[steps.length - 1];
    if (!last) throw new OperationStopped('the roll decided nothing (no step)');
    if (last.kind === 'refuse') throw new OperationStopped(`the roll would stop: ${last.reason}`);
    return { steps, summary: last.kind === 'done' ? last.summary : '' };
  }

  async run(): Promise<RollResult> {
    const steps: RollStep[] = [];
    let checkPlan = true;
    for (;;) {
      const { observation } = await this.observe(checkPlan);
      checkPlan = false;
      const step = decideNextStep(observation, this.settings);
      steps.push(step);
      if (step.kind === 'refuse') throw new OperationStopped(`stopped: ${step.reason}`);
      if (step.kind === 'done') {
        if (steps.some((s) => s.kind === 'replace-node')) this.refreshOutputs();
        this.deps.log(`Done: ${step.summary}`);
        return { steps, summary: step.summary };
      }
      this.deps.log(`Step ${steps.length}: ${this.describeStep(step)}`);
      await this.execute(step, observation);
    }
  }

  private async execute(step: RollStep, observation: ClusterObservation): Promise<void> {
    switch (step.kind) {
      case 'set-preserve-downgrade':
        await this.sql(observation, `SET CLUSTER SETTING cluster.preserve_downgrade_option = '${step.version}'`);
        return;
      case 'reset-preserve-downgrade':
        await this.sql(observation, 'RESET CLUSTER SETTING cluster.preserve_downgrade_option');
        return;
      case 'finalize':
        await this.finalize(observation, step.version);
        return;
      case 'replace-node':
        await this.replaceNode(step.node, step.instanceId, step.toVersion, step.drainWaitSeconds);
        return;
      default:
        return;
    }
  }

  /**
   * RESET lets CockroachDB finalize by itself (auto-upgrade, the default); where auto-upgrade is
   * off nothing happens, so after a while `SET CLUSTER SETTING version` finalizes explicitly.
   * Then waits until the cluster reports the new version.
   */
  private async finalize(observation: ClusterObservation, version: string): Promise<void> {
    await this.sql(observation, 'RESET CLUSTER SETTING cluster.preserve_downgrade_option');
    const coordinator = observation.nodes.find((n) => n.ready);
    if (!coordinator) throw new OperationStopped(`cannot finalize ${version}: no node is ready`);
    const versionNow = async (): Promise<string> => {
      const report = await this.clusterReport(coordinator.instanceId);
      return typeof report === 'string' ? report : report.clusterVersion;
    };
    for (let i = 0; i < 4; i++) {
      if ((await versionNow()) === version) return;
      await this.deps.sleep(this.settings.pollSeconds);
    }
    await this.sql(observation, `SET CLUSTER SETTING version = '${version}'`, 7200);
    await this.waitFor(this.settings.rangesTimeoutSeconds, `the cluster to report version ${version}`, async () => {
      const now = await versionNow();
      return now === version ? undefined : `cluster version ${now}`;
    });
  }

  /**
   * Drain, apply that node only, wait until it is ready with the new binary, until no range is
   * under-replicated, and until the load balancer reports its new target healthy (only then do
   * clients reach it, and only then may the next node go).
   */
  private async replaceNode(node: number, instanceId: string, toVersion: string, drainWaitSeconds: number): Promise<void> {
    const planFile = join(this.deps.workDir, `node-${node}.tfplan`);
    const problems = this.checkTargetedPlan(node, planFile);
    if (problems.length > 0) throw new OperationStopped(`stopped before touching node ${node}: its targeted plan is not a plain replacement of that node: ${problems.join('; ')}`);

    this.deps.log(`  node ${node}: draining (cockroach node drain --self, up to ${drainWaitSeconds} s)`);
    const drain = await this.deps.nodes.run(instanceId, ['drain', String(drainWaitSeconds)], drainWaitSeconds + 120);
    if (!drain.ok) {
      await this.undrain(node, instanceId);
      throw new OperationStopped(`stopped: draining node ${node} failed (${drain.status}): ${(drain.stderr || drain.stdout).trim()}. Nothing was replaced; the node was restarted to serve again.`);
    }

    this.deps.log(`  node ${node}: replacing its instance (${this.deps.terraform.commandLine(['apply', planFile])})`);
    try {
      this.deps.terraform.apply(planFile);
    } catch (error) {
      const current = this.instanceIds()[node - 1];
      if (current === instanceId) {
        await this.undrain(node, instanceId);
        throw new OperationStopped(`stopped: the apply for node ${node} failed before its instance was replaced; the node was restarted to serve again.\n${(error as Error).message}`);
      }
      throw new OperationStopped(
        `stopped: the apply for node ${node} failed after its instance ${instanceId} was removed. Finish it with \`${this.deps.terraform.commandLine(['apply', '-target=' + this.nodeAddresses(node).instance])}\` (plus its attachments), check the node rejoins, then run the roll again.\n${(error as Error).message}`,
      );
    }
    const replacement = this.instanceIds()[node - 1];
    if (!replacement || replacement === instanceId) throw new OperationStopped(`stopped: after the apply node ${node} still has instance ${instanceId}; check the stack's state`);

    this.deps.log(`  node ${node}: new instance ${replacement}; waiting until it is ready (/health?ready=1) and runs ${toVersion}`);
    await this.waitFor(this.settings.readyTimeoutSeconds, `node ${node} (${replacement}) to be ready with ${toVersion}`, async () => {
      const status = await this.deps.nodes.run(replacement, ['status'], 120);
      if (!status.ok) return `SSM: ${status.status} ${status.stderr.split('\n')[0] ?? ''}`.trim();
      const report = parseStatusReport(status.stdout);
      if (report.readyCode !== '200') return `/health?ready=1 answered ${report.readyCode}`;
      if (report.binaryVersion !== toVersion) return `it runs ${report.binaryVersion ?? 'an unknown version'}`;
      return undefined;
    });

    this.deps.log(`  node ${node}: rejoined; waiting until no range is under-replicated`);
    await this.waitFor(this.settings.rangesTimeoutSeconds, `the cluster to have node ${node} live and no under-replicated range`, async () => {
      const cluster = await this.clusterReport(replacement);
      if (typeof cluster === 'string') return cluster;
      const ip = this.nodeIps()[node - 1];
      const gossip = cluster.nodes.find((n) => n.address.split(':')[0] === ip);
      if (!gossip?.live) return `node ${node} is not live yet`;
      if (cluster.unavailableRanges > 0) return `${cluster.unavailableRanges} ranges unavailable`;
      if (cluster.underReplicatedRanges > 0) return `${cluster.underReplicatedRanges} ranges under-replicated`;
      return undefined;
    });

    this.deps.log(`  node ${node}: waiting until the load balancer reports it healthy (aws elbv2 describe-target-health)`);
    await this.waitFor(this.settings.targetTimeoutSeconds, `the load balancer to report node ${node} (${replacement}) healthy`, async () => {
      const target = this.targetHealth(this.deps.terraform.state(), node - 1, replacement);
      return target.state === 'healthy' ? undefined : `its target is ${target.state}${target.reason ? ` (${target.reason})` : ''}`;
    });
    this.deps.log(`  node ${node}: done`);
  }

  /**
   * A targeted apply leaves the stack's outputs (node_instance_ids, nodes_pending_replacement) as
   * they were. Once every node is done, a plain plan must change outputs only; then it is applied,
   * so the outputs describe the nodes again. Anything else is left for a reviewed deploy.
   */
  private refreshOutputs(): void {
    const planFile = join(this.deps.workDir, 'outputs.tfplan');
    const plan = this.deps.terraform.planPlain(planFile);
    const resources = resourceChangesOf(plan);
    if (resources.length > 0) {
      this.deps.log(`Note: a plain plan now also changes resources (${resources.join(', ')}); the stack's outputs are refreshed by the next \`cdktf deploy cockroach\`.`);
      return;
    }
    if (outputChanges(plan).length === 0) return;
    this.deps.log(`Refreshing the stack's outputs (${outputChanges(plan).join(', ')}): a plain apply that changes no resource`);
    this.deps.terraform.apply(planFile);
  }

  private checkTargetedPlan(node: number, planFile: string): string[] {
    const addresses = this.nodeAddresses(node);
    const targets = nodeReplacementTargets(this.deps.stack, addresses);
    const plan = this.deps.terraform.planTargeted(targets.replace, targets.targets, planFile.startsWith('/') ? planFile : join(this.deps.workDir, planFile));
    return targetedPlanProblems(plan, addresses, targets);
  }

  private async undrain(node: number, instanceId: string): Promise<void> {
    const restart = await this.deps.nodes.run(instanceId, ['restart'], 600);
    this.deps.log(restart.ok ? `  node ${node}: restarted (a restart ends the drain)` : `  node ${node}: restart FAILED (${restart.status}); restart it by hand: sudo systemctl restart cockroach`);
  }

  private async sql(observation: ClusterObservation, statement: string, timeoutSeconds = 600): Promise<void> {
    const coordinator = observation.nodes.find((n) => n.ready);
    if (!coordinator) throw new OperationStopped('stopped: no ready node to run SQL on');
    this.deps.log(`  on node ${coordinator.node}: ${statement}`);
    const result = await runSqlOnNode(this.deps.nodes, coordinator.instanceId, statement, timeoutSeconds);
    if (!result.ok) throw new OperationStopped(`stopped: \`${statement}\` failed on node ${coordinator.node} (${result.status}): ${(result.stderr || result.stdout).trim()}`);
  }

  private async waitFor(timeoutSeconds: number, what: string, check: () => Promise<string | undefined>): Promise<void> {
    const deadline = this.deps.now() + timeoutSeconds * 1000;
    let last = '';
    for (;;) {
      const problem = await check();
      if (problem === undefined) return;
      if (problem !== last) this.deps.log(`    waiting: ${problem}`);
      last = problem;
      if (this.deps.now() >= deadline) throw new OperationStopped(`stopped: waited ${timeoutSeconds} s for ${what}; last: ${problem}. The roll does not continue to the next node; fix this node, then run the roll again.`);
      await this.deps.sleep(this.settings.pollSeconds);
    }
  }

  private async observe(checkPlan: boolean): Promise<Observed> {
    const terraform = this.deps.terraform;
    if (checkPlan) terraform.ensureInitialized();
    const state = terraform.state();
    const pending = new Set(nodesRunningOldSettings(state, this.addresses));
    const targetVersion = wantedVersion(state, this.nodeAddresses(1));
    const planClean = checkPlan ? resourceChangesOf(terraform.planPlain(join(this.deps.workDir, 'plain.tfplan'))).length === 0 : true;
    const ids = this.instanceIds(state);
    const nodes: NodeObservation[] = [];
    for (const addresses of this.addresses) {
      const instanceId = ids[addresses.node - 1] ?? '';
      const status = await this.deps.nodes.run(instanceId, ['status'], 120);
      const report = status.ok ? parseStatusReport(status.stdout) : undefined;
      const loadBalancerTarget = this.targetHealth(state, addresses.node - 1, instanceId);
      nodes.push({ node: addresses.node, instanceId, pending: pending.has(addresses.node), ready: report?.readyCode === '200', binaryVersion: report?.binaryVersion, loadBalancerTarget });
    }
    const coordinator = nodes.find((n) => n.ready);
    const report = coordinator ? await this.clusterReport(coordinator.instanceId) : undefined;
    const cluster: ClusterSqlObservation | undefined = typeof report === 'object' ? report : undefined;
    const ips = this.nodeIps(state);
    const withGossip = nodes.map((n) => {
      const gossip = cluster && (report as ClusterReport).nodes.find((g) => g.address.split(':')[0] === ips[n.node - 1]);
      return cluster ? { ...n, live: gossip ? gossip.live : undefined, draining: gossip?.draining ?? false } : n;
    });
    const otherNodes = cluster ? (report as ClusterReport).nodes.filter((g) => !ips.includes(g.address.split(':')[0] ?? '')).map(({ nodeId, address, buildTag, live, draining }) => ({ nodeId, address, buildTag, live, draining })) : undefined;
    return { observation: { targetVersion, planClean, nodes: withGossip, cluster, ...(otherNodes && otherNodes.length > 0 ? { otherNodes } : {}) }, addresses: this.addresses };
  }

  private async clusterReport(instanceId: string): Promise<ClusterReport | string> {
    const result = await this.deps.nodes.run(instanceId, ['cluster'], 300);
    if (!result.ok) return `cluster query on ${instanceId}: ${result.status} ${(result.stderr.split('\n')[0] ?? '').trim()}`;
    try {
      return parseClusterReport(result.stdout);
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** The node's target in the SQL target group (the group's ARN from its target attachment in state). */
  private targetHealth(state: TerraformShowState, index: number, instanceId: string): TargetHealth {
    const addresses = this.nodeAddresses(index + 1);
    const targetGroupArn = attachmentAttribute(state, addresses, 'target_group_arn');
    if (!targetGroupArn) return { state: 'unknown', reason: `${addresses.targetAttachment} has no target_group_arn in the state` };
    return this.deps.targets.health(targetGroupArn, instanceId);
  }

  /** From state, not the outputs: a targeted apply does not update outputs. */
  private instanceIds(state: TerraformShowState = this.deps.terraform.state()): string[] {
    return instanceAttribute(state, this.addresses, 'id');
  }

  private nodeIps(state: TerraformShowState = this.deps.terraform.state()): string[] {
    return instanceAttribute(state, this.addresses, 'private_ip');
  }

  private describe(observation: ClusterObservation): void {
    const c = observation.cluster;
    this.deps.log(
      c
        ? `Cluster: version ${c.clusterVersion}, cluster.preserve_downgrade_option '${c.preserveDowngradeOption}', ${c.underReplicatedRanges} under-replicated and ${c.unavailableRanges} unavailable ranges; configured version ${observation.targetVersion}`
        : `Cluster: no node answered SQL; configured version ${observation.targetVersion}`,
    );
    for (const n of observation.nodes) {
      this.deps.log(
        `  node ${n.node} ${n.instanceId}: ${n.binaryVersion ?? 'version unknown'}, ${n.ready ? 'ready' : 'NOT ready'}${n.live === false ? ', NOT live' : ''}${n.draining ? ', draining' : ''}, load balancer target ${n.loadBalancerTarget?.state ?? 'not asked'}${n.pending ? ', pending replacement' : ', current'}`,
      );
    }
    const others = observation.otherNodes ?? [];
    if (others.length > 0) {
      this.deps.log(`  outside this stack (other regions' stacks): ${others.map((o) => `node ${o.nodeId} ${o.address} ${o.buildTag || 'version unknown'}${o.live ? '' : ', NOT live'}${o.draining ? ', draining' : ''}`).join('; ')}`);
    }
  }

  private describeStep(step: RollStep): string {
    switch (step.kind) {
      case 'set-preserve-downgrade':
        return `SET CLUSTER SETTING cluster.preserve_downgrade_option = '${step.version}' (before the first node moves: the upgrade can be rolled back until it is finalized)`;
      case 'reset-preserve-downgrade':
        return `RESET CLUSTER SETTING cluster.preserve_downgrade_option (was '${step.version}'; every node runs the cluster's version)`;
      case 'finalize':
        return `finalize the upgrade to v${step.version}: RESET CLUSTER SETTING cluster.preserve_downgrade_option (CockroachDB then finalizes; where auto-upgrade is off, SET CLUSTER SETTING version = '${step.version}'), wait until the cluster reports v${step.version} (cannot be undone)`;
      case 'replace-node': {
        const targets = nodeReplacementTargets(this.deps.stack, this.nodeAddresses(step.node));
        return [
          `node ${step.node} (${step.instanceId}, ${step.fromVersion ?? 'version unknown'} -> ${step.toVersion}):`,
          `drain it (cockroach node drain --self --drain-wait=${step.drainWaitSeconds}s);`,
          `apply it alone (${this.deps.terraform.commandLine(['plan', ...targets.replace.map((a) => `-replace=${a}`), ...targets.targets.map((a) => `-target=${a}`)])}, then apply that plan);`,
          `wait until it is ready (/health?ready=1) running ${step.toVersion};`,
          'wait until no range is under-replicated;',
          'wait until the load balancer reports it healthy',
        ].join(' ');
      }
      case 'done':
        return `done: ${step.summary}`;
      case 'refuse':
        return `STOP: ${step.reason}`;
    }
  }
}

/** An attribute (`id`, `private_ip`) of each node's instance, in node order, from state. */
export function instanceAttribute(state: TerraformShowState, nodes: readonly NodeRolloutAddresses[], attribute: string): string[] {
  return nodes.map((node) => {
    const value = stateValuesOf(state, node.instance)?.[attribute];
    if (typeof value !== 'string') throw new OperationStopped(`${node.instance} has no ${attribute} in the state (has the stack been applied?)`);
    return value;
  });
}

/** An attribute of a node's target group attachment in state (undefined when absent). */
function attachmentAttribute(state: TerraformShowState, node: NodeRolloutAddresses, attribute: string): string | undefined {
  const value = stateValuesOf(state, node.targetAttachment)?.[attribute];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The version the configuration wants (node 1's settings record: every node has the same). */
function wantedVersion(state: TerraformShowState, node: NodeRolloutAddresses): string {
  const version = (stateValuesOf(state, node.settings)?.['output'] as Record<string, unknown> | undefined)?.['cockroach_version'];
  if (typeof version !== 'string') throw new OperationStopped(`${node.settings} has no cockroach_version in the state (apply the stack first)`);
  return version;
}
