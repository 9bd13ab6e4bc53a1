import type { SynthesizedStackJson } from '@crdb-ory/core';
import type { TerraformPlanJson } from '@crdb-ory/core/terraform';
import { createHash } from 'node:crypto';
import { publishedParameterName } from '@crdb-ory/core/contract';
import { namePrefixOfOperationsRole } from '../cockroach-names';
import { COCKROACH_PKI_STACK_NAME } from '../cockroach-pki-outputs';
import { CommandRunner } from './command-runner';
import { parseStatusReport } from './node-commands';
import { NodeShell } from './node-shell';
import { OperationStopped } from './operation-stopped';
import { regionRollOrder } from './roll-regions';

/**
 * A region of a multi-region cluster other than the primary, as the renewal reaches it: its nodes
 * read the replicas of their secrets there (`CockroachPkiStack` `nodeRegions`), so they refresh only
 * once the replicas hold what the primary secrets hold.
 */
export interface RenewalRegion {
  readonly region: string;
  /** `namePrefix` of the region's `cockroach` stack: the PKI publishes the region's outputs under it, in the region. */
  readonly namePrefix: string;
  /** The region's nodes' instance ids, in node order (its `cockroach` stack's `node_instance_ids`). */
  readonly instanceIds: readonly string[];
  /** SSM Run Command in that region. */
  readonly nodes: NodeShell;
  /**
   * The region's `ory-<region>` stack: its Ory reads the replicas of the client certificate secrets
   * in the region, so it is re-applied (as the primary region's `ory`) once they hold the renewed
   * values. @default not reached (the operator applies it: docs/operations.md)
   */
  readonly ory?: RenewalOry;
}

/** An `ory` stack the renewal re-applies and verifies. */
export interface RenewalOry {
  /** Terraform in the synthesized stack's folder, as the region's operations role. */
  readonly terraform: RenewalOryTerraform;
  /** The synthesized stack: where its presented-certificate parameters are named. */
  readonly stack: SynthesizedStackJson;
}

/** What the renewal does with an `ory` stack's Terraform (renew-certificates.ts `RenewalTerraform`). */
export interface RenewalOryTerraform {
  ensureInitialized(): void;
  planPlain(planFile: string): TerraformPlanJson;
  apply(planFile: string): void;
  commandLine(args: readonly string[]): string;
}

/**
 * The stacks in the order the renewal reaches their nodes: the primary region first (its secrets
 * are the ones the PKI apply writes, and its nodes read them directly), then the others in the
 * order given (the secondary first, as the configuration lists it), each once its replicas caught
 * up. The opposite of the roll's order, and for a reason of its own: a renewal changes no
 * leaseholder; the replicas only ever lag behind the primary. Refuses what the roll refuses (a
 * region twice, a primary region no stack is in).
 */
export function renewalRegionOrder<T extends { readonly region: string }>(stacks: readonly T[], primaryRegion: string): T[] {
  const rollOrder = regionRollOrder(stacks, primaryRegion);
  return [...rollOrder.slice(-1), ...rollOrder.slice(0, -1)];
}

/**
 * A region's cockroach stack as the renewal reaches it, from what was applied: its nodes
 * (`node_instance_ids`) and its `namePrefix` (from `operations_role_arn`, `<prefix>-cockroach-operator`),
 * under which the PKI published that region's outputs.
 */
export function renewalRegionOf(stack: { readonly region: string; readonly stackDir: string; readonly outputs: Readonly<Record<string, unknown>>; readonly nodes: NodeShell }): RenewalRegion {
  const roleArn = String(stack.outputs['operations_role_arn'] ?? '');
  const namePrefix = namePrefixOfOperationsRole(roleArn);
  if (!namePrefix) throw new OperationStopped(`${stack.stackDir}: operations_role_arn "${roleArn}" is not a role named <namePrefix>-cockroach-operator: apply this version of the stack first`);
  return { region: stack.region, namePrefix, instanceIds: stringList(stack.outputs['node_instance_ids'], `node_instance_ids of ${stack.stackDir}`), nodes: stack.nodes };
}

/** A non-empty list of non-empty strings (a stack output), or a stop saying to apply the stack. */
export function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === '')) throw new OperationStopped(`${what} is missing: apply the stack first`);
  return value as string[];
}

export interface ReplicaWait {
  /** The AWS CLI (the operator: a reader of the certificate secrets, as who applies cockroach-pki is). */
  readonly exec: CommandRunner;
  readonly primaryRegion: string;
  readonly pollSeconds: number;
  readonly timeoutSeconds: number;
  readonly sleep: (seconds: number) => Promise<void>;
  readonly log: (line: string) => void;
}

/**
 * The secrets a region's nodes read there: its node secrets and root's client secret, as the PKI
 * published their replica ARNs in that region (`/<namePrefix>/cockroach-pki/...`, SSM parameters).
 */
export function regionSecretArns(exec: CommandRunner, r: RenewalRegion): string[] {
  const read = (output: string): unknown => JSON.parse(aws(exec, r.region, ['ssm', 'get-parameter', '--name', publishedParameterName(r.namePrefix, COCKROACH_PKI_STACK_NAME, output), '--query', 'Parameter.Value', '--output', 'text'], `reading the cockroach-pki outputs published in ${r.region}`));
  const nodes = read('nodeSecretArns');
  const root = read('rootClientSecretArn');
  if (!Array.isArray(nodes) || typeof root !== 'string') throw new OperationStopped(`the cockroach-pki outputs in ${r.region} (under /${r.namePrefix}/) are not what this version publishes: apply cockroach-pki first`);
  return [...(nodes as string[]), root];
}

/**
 * Waits until every replica in `r.region` holds the value its primary secret holds: Secrets Manager
 * replicates asynchronously ("Replicate AWS Secrets Manager secrets across Regions"), and a node
 * that refreshed from a replica that had not caught up would keep its old certificate. Compared by
 * SHA-256 of the SecretString, never printed; the primary's ARN is the replica's with the primary
 * region (same page). Stops when the replicas have not caught up within the timeout.
 */
export async function awaitReplicas(wait: ReplicaWait, r: RenewalRegion): Promise<void> {
  await awaitReplicaArns(wait, r.region, regionSecretArns(wait.exec, r), { readBy: 'its nodes read', before: 'refreshing the nodes' });
}

/** The ARN of `primaryArn`'s replica in `region` (Secrets Manager: the same ARN with the replica's region). */
export function replicaArnIn(primaryArn: string, primaryRegion: string, region: string): string {
  return primaryArn.replace(`:secretsmanager:${primaryRegion}:`, `:secretsmanager:${region}:`);
}

/** awaitReplicas for the replica secrets `replicas` in `region`; `what` says who reads them (`its nodes read`) and what waits (`refreshing the nodes`). */
export async function awaitReplicaArns(wait: ReplicaWait, region: string, replicas: readonly string[], what: { readonly readBy: string; readonly before: string }): Promise<void> {
  const r = { region };
  const digest = (arn: string, region: string): string =>
    createHash('sha256').update(aws(wait.exec, region, ['secretsmanager', 'get-secret-value', '--secret-id', arn, '--query', 'SecretString', '--output', 'text'], `reading ${arn}`)).digest('hex');
  const primary = new Map(replicas.map((arn) => [arn, digest(replicaArnIn(arn, r.region, wait.primaryRegion), wait.primaryRegion)]));
  const deadline = Date.now() + wait.timeoutSeconds * 1000;
  for (;;) {
    const behind = replicas.filter((arn) => digest(arn, r.region) !== primary.get(arn));
    if (behind.length === 0) {
      wait.log(`   ${r.region}: the ${replicas.length} replicas ${what.readBy} hold the renewed values`);
      return;
    }
    if (Date.now() >= deadline) {
      throw new OperationStopped(`stopped before ${what.before} in ${r.region}: ${behind.length} replica secret(s) there still hold other values than in ${wait.primaryRegion} after ${wait.timeoutSeconds} s (${behind.join(', ')}). Look at the secrets' replication status (aws secretsmanager describe-secret --region ${wait.primaryRegion}), then run the command again.`);
    }
    await wait.sleep(wait.pollSeconds);
  }
}

/** How `refreshNodes` names node `n` in messages (`node 2`, `node 2 in us-east-2`) and its log line (`3.2 `). */
export interface NodeLabels {
  readonly label: (node: number) => string;
  readonly step: (node: number) => string;
}

/** Refreshes the nodes one at a time (refresh-certs.sh, SIGHUP), each answering /health?ready=1 before the next. */
export async function refreshNodes(nodes: NodeShell, instanceIds: readonly string[], names: NodeLabels, log: (line: string) => void): Promise<void> {
  const { label } = names;
  for (const [i, instanceId] of instanceIds.entries()) {
    const node = i + 1;
    const refresh = await nodes.run(instanceId, ['refresh-certs'], 300);
    if (!refresh.ok) throw new OperationStopped(`stopped at ${label(node)} (${instanceId}): refreshing its certificates failed (${refresh.status}): ${(refresh.stderr || refresh.stdout).trim()}. The nodes before it hold the new certificates; the hourly timer retries this one. Fix it, then run the command again.`);
    const status = await nodes.run(instanceId, ['status'], 120);
    const ready = status.ok ? parseStatusReport(status.stdout).readyCode : '000';
    if (ready !== '200') throw new OperationStopped(`stopped after ${label(node)} (${instanceId}): it does not answer /health?ready=1 (${ready}) after re-reading its certificates. Look at its log (journalctl -u cockroach) before going on.`);
    log(`${names.step(node)}${label(node)} (${instanceId}): ${lastLine(refresh.stderr) || 'certificates refreshed'}; ready`);
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.replace(/^cockroach-cert-refresh: /, '') ?? '';
}

function aws(exec: CommandRunner, region: string, args: string[], what: string): string {
  const result = exec('aws', [...args, '--region', region]);
  if (result.status !== 0) throw new OperationStopped(`stopped: ${what} failed: ${result.stderr.trim()}`);
  return result.stdout.replace(/\n$/, '');
}
