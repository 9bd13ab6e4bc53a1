import type { SynthesizedStackJson } from '@crdb-ory/core';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { CommandRunner } from './command-runner';
import { NodeShell } from './node-shell';
import { OperationStopped } from './operation-stopped';
import type { TerraformPlanJson } from '@crdb-ory/core/terraform';
import { resourceChangesOf } from './terraform-driver';
import { RenewalOryTerraform, RenewalRegion, ReplicaWait, awaitReplicaArns, awaitReplicas, refreshNodes, regionSecretArns, replicaArnIn, stringList } from './renewal-regions';

/**
 * The one renewal command (`npm run renew-certificates`): a renewal reaches everything that
 * presents or trusts a certificate, in order, without an outage, and is verified:
 *
 * 1. `cockroach-pki`: a plan that re-issues what the tls provider's early-renewal window selects
 *    (a certificate within `earlyRenewalHours` of its end; the CA re-issued with the same key
 *    re-issues every leaf), applied as saved. Anything else in that plan (a private key replaced:
 *    with the CA's, a CA rotation no running node or pod would trust; a secret deleted) stops it.
 * 2. The nodes, one at a time: `refresh-certs.sh` (what the hourly timer runs) writes the new files
 *    and makes cockroach re-read them (SIGHUP, no restart); the node must answer /health?ready=1
 *    before the next.
 * 3. `ory`: a plan that changes only the Secrets, the releases and the presented-certificate
 *    records, applied as saved: each release upgrades its Deployment, which replaces one pod at a
 *    time (maxSurge 1, maxUnavailable 0, common-values.ts), and the apply waits for the rollout.
 * 4. Verified: a new plan of `ory` changes nothing, and the certificate each service's pods
 *    present (its presented-certificates parameter) is the one in Secrets Manager now.
 *
 * Why this order is safe, also when the CA itself is renewed: the CA certificate is re-issued
 * with the same private key and subject, so a leaf signed under the old CA certificate verifies
 * against the new one and the reverse (the test shows it with openssl); nodes and Ory may hold
 * either while the command runs. A new CA key is refused.
 */
export interface RenewalTerraform {
  ensureInitialized(): void;
  planPlain(planFile: string): TerraformPlanJson;
  apply(planFile: string): void;
  outputs(): Record<string, unknown>;
  commandLine(args: readonly string[]): string;
}

export interface RenewalDependencies {
  readonly pki: RenewalTerraform;
  readonly cluster: RenewalTerraform;
  readonly ory: RenewalTerraform;
  /** The synthesized `ory` stack: where the presented-certificate parameters are named. */
  readonly oryStack: SynthesizedStackJson;
  readonly nodes: NodeShell;
  /** The AWS CLI (the operator's identity: a reader of the client certificate secrets). */
  readonly exec: CommandRunner;
  readonly region: string;
  readonly workDir: string;
  readonly log: (line: string) => void;
  /**
   * The other regions of a multi-region cluster, in the order to renew them (the secondary
   * first): after the primary region's nodes, each region's nodes refresh once the replicas of
   * their secrets there have caught up (`awaitReplicas`).
   * @default none (one region)
   */
  readonly regions?: readonly RenewalRegion[];
  /** How the replica wait polls. @default every 5 s, for at most {@link DEFAULT_REPLICA_TIMEOUT_SECONDS} */
  readonly replicaWait?: Pick<ReplicaWait, 'pollSeconds' | 'timeoutSeconds' | 'sleep'>;
}

/** How long the renewal waits for a region's replica secrets to catch up, by default. */
export const DEFAULT_REPLICA_TIMEOUT_SECONDS = 600;

/** Each other region's nodes, after their replicas caught up; numbered on from the primary's nodes. */
export async function renewOtherRegions(deps: Pick<RenewalDependencies, 'exec' | 'region' | 'log' | 'regions' | 'replicaWait'>, primaryNodes: number): Promise<void> {
  let step = primaryNodes;
  const wait = replicaWaitOf(deps);
  const regions = deps.regions ?? [];
  for (const [i, r] of regions.entries()) {
    try {
      await awaitReplicas(wait, r);
      const first = step;
      await refreshNodes(r.nodes, r.instanceIds, { label: (n) => `node ${n} in ${r.region}`, step: (n) => `3.${first + n} ` }, deps.log);
    } catch (error) {
      if (!(error instanceof OperationStopped)) throw error;
      const done = [deps.region, ...regions.slice(0, i).map((d) => d.region)];
      const notDone = regions.slice(i).map((d) => d.region);
      throw new OperationStopped(`${error.message} Renewed already: every node in ${done.join(', ')}. Not done: ${[...notDone.map((region) => `the nodes in ${region}`), 'Ory'].join(', ')} (a new run re-applies nothing and continues: refreshing a node that holds its secrets' values changes nothing).`);
    }
    step += r.instanceIds.length;
  }
}

export interface RenewalSettings {
  /** Plan and check, print what would happen, change nothing. */
  readonly dryRun: boolean;
}

const CERTIFICATE_TYPES = ['tls_locally_signed_cert', 'tls_self_signed_cert'];

/** What a `cockroach-pki` plan would do, and why the renewal must not apply it (problems). */
export function pkiRenewalPlan(plan: TerraformPlanJson): { renewed: string[]; problems: string[] } {
  const renewed: string[] = [];
  const problems: string[] = [];
  for (const change of (plan.resource_changes ?? []).filter((c) => c.mode !== 'data')) {
    const actions = change.change.actions.join('+');
    if (actions === 'no-op' || actions === 'read') continue;
    const replaced = actions === 'delete+create' || actions === 'create+delete';
    if (CERTIFICATE_TYPES.includes(change.type) && replaced) renewed.push(change.address);
    else if (change.type === 'aws_secretsmanager_secret_version' && (actions === 'update' || replaced)) continue;
    else if (change.type === 'tls_private_key') {
      problems.push(`${change.address} (${actions}): a new private key${/(^|\.)ca_/.test(change.address) ? ', for the CA: a CA rotation, which no running node or Ory pod would trust (bundle the old and new CA first)' : ''}`);
    } else problems.push(`${change.address} (${actions})`);
  }
  return { renewed, problems };
}

/** The changes a renewal may make to the `ory` stack: the Secrets, the releases (rolling their pods) and the presented-certificate records. */
export function oryRenewalPlanProblems(plan: TerraformPlanJson): string[] {
  const allowed: Record<string, string[]> = { kubernetes_secret_v1: ['update'], helm_release: ['update'], aws_ssm_parameter: ['update', 'create'] };
  return (plan.resource_changes ?? [])
    .filter((c) => c.mode !== 'data' && !['no-op', 'read'].includes(c.change.actions.join('+')))
    .filter((c) => !(allowed[c.type] ?? []).includes(c.change.actions.join('+')))
    .map((c) => `${c.address} (${c.change.actions.join('+')})`);
}

/** The presented-certificate parameters of the synthesized `ory` stack, by service. */
export function presentedCertificateParameters(oryStack: SynthesizedStackJson): Record<string, string> {
  const parameters = Object.values((oryStack.resource?.['aws_ssm_parameter'] ?? {}) as Record<string, { name?: string }>);
  const names = parameters.map((p) => p.name ?? '').filter((name) => /\/ory\/presented-certificates\/[a-z]+$/.test(name));
  if (names.length === 0) throw new OperationStopped('the synthesized ory stack records no presented certificates (aws_ssm_parameter under /<prefix>/ory/presented-certificates/): synthesize it with this version');
  return Object.fromEntries(names.map((name) => [name.slice(name.lastIndexOf('/') + 1), name]));
}

/** The PEM certificates of a bundle, in order. */
export function pemCertificates(bundle: string): string[] {
  return [...bundle.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => `${m[0]}\n`);
}

export async function renewCertificates(deps: RenewalDependencies, settings: RenewalSettings): Promise<void> {
  const { log } = deps;
  const services = presentedCertificateParameters(deps.oryStack);

  log('1. cockroach-pki: planning (the tls provider re-issues certificates inside their early-renewal window)');
  deps.pki.ensureInitialized();
  const pkiPlanFile = join(deps.workDir, 'pki.tfplan');
  const pki = pkiRenewalPlan(deps.pki.planPlain(pkiPlanFile));
  if (pki.problems.length > 0) {
    throw new OperationStopped(`stopped before changing anything: the cockroach-pki plan also does what a renewal must not: ${pki.problems.join('; ')}. Review and apply it with \`cdktf deploy cockroach-pki\` first, or fix the configuration.`);
  }
  log(pki.renewed.length > 0 ? `   re-issues ${pki.renewed.length}: ${pki.renewed.join(', ')}` : '   nothing is due for renewal; the nodes and Ory are brought to the certificates in Secrets Manager');
  deps.cluster.ensureInitialized();
  const instanceIds = stringList(deps.cluster.outputs()['node_instance_ids'], 'node_instance_ids of the cockroach stack');
  // Before anything changes: every other region's replica ARNs, as the PKI published them there.
  const replicas = (deps.regions ?? []).map((r) => regionSecretArns(deps.exec, r).length);

  if (settings.dryRun) {
    log(`2. would apply that plan (${deps.pki.commandLine(['apply', pkiPlanFile])})`);
    instanceIds.forEach((id, i) => log(`3.${i + 1} would refresh node ${i + 1} (${id}): refresh-certs.sh, SIGHUP, wait for /health?ready=1`));
    let step = instanceIds.length;
    for (const [i, r] of (deps.regions ?? []).entries()) {
      log(`   ${r.region}: would wait (at most ${deps.replicaWait?.timeoutSeconds ?? DEFAULT_REPLICA_TIMEOUT_SECONDS} s) until the ${replicas[i]} replicas its nodes read there (published under /${r.namePrefix}/) hold the renewed values, then:`);
      r.instanceIds.forEach((id, n) => log(`3.${step + n + 1} would refresh node ${n + 1} in ${r.region} (${id}): refresh-certs.sh, SIGHUP, wait for /health?ready=1`));
      step += r.instanceIds.length;
    }
    log(`4. would plan and apply ory (only its Secrets, releases and presented-certificate records; each release rolls one pod at a time), then verify that ${Object.keys(services).join(', ')} present the certificates in Secrets Manager`);
    for (const r of (deps.regions ?? []).filter((region) => region.ory)) {
      log(`   ${r.region}: would wait until the replicas of the client certificate secrets there hold the renewed values, then plan, apply and verify ory-${r.region} the same way`);
    }
    log('Dry run: nothing was changed.');
    return;
  }

  if (pki.renewed.length > 0) {
    log(`2. cockroach-pki: applying (${deps.pki.commandLine(['apply', pkiPlanFile])})`);
    deps.pki.apply(pkiPlanFile);
  } else {
    log('2. cockroach-pki: nothing to apply');
  }

  await refreshNodes(deps.nodes, instanceIds, { label: (n) => `node ${n}`, step: (n) => `3.${n} ` }, log);
  await renewOtherRegions(deps, instanceIds.length);

  const primaryOry: OryTarget = { label: 'ory', name: 'Ory', region: deps.region, terraform: deps.ory, stack: deps.oryStack, step: '4' };
  await renewOry(deps, primaryOry, 'CockroachDB already has the new certificates (Ory\'s current ones stay valid until they expire)');
  const withOry = (deps.regions ?? []).filter((r) => r.ory);
  for (const [i, r] of withOry.entries()) {
    const target: OryTarget = { label: `ory-${r.region}`, name: `Ory in ${r.region} (ory-${r.region})`, region: r.region, terraform: r.ory?.terraform ?? deps.ory, stack: r.ory?.stack ?? deps.oryStack, step: `4.${i + 2}` };
    const done = [primaryOry, ...withOry.slice(0, i).map((d) => ({ label: `ory-${d.region}` }))].map((t) => t.label);
    const notDone = withOry.slice(i).map((d) => `ory-${d.region}`);
    const sofar = `Renewed already: every node, and ${done.join(', ')}. Not done: ${notDone.join(', ')} (a new run re-applies nothing and continues).`;
    try {
      // The region's Ory reads the replicas of the client certificate secrets there (CockroachPkiStack: a replica in each other region).
      log(`${target.step} ${target.label}: waiting until the replicas of ${Object.keys(presentedCertificateParameters(target.stack)).join(', ')}'s client certificate secrets in ${r.region} hold the renewed values`);
      await awaitReplicaArns(replicaWaitOf(deps), r.region, Object.keys(presentedCertificateParameters(target.stack)).map((service) => replicaArnIn(clientSecretArn(deps, service), deps.region, r.region)), { readBy: 'its Ory reads', before: `applying ${target.label}` });
      await renewOry(deps, target, `${sofar} Ory in ${r.region} keeps its current certificates until it is applied`);
    } catch (error) {
      if (!(error instanceof OperationStopped) || error.message.includes('Renewed already')) throw error;
      throw new OperationStopped(`${error.message} ${sofar}`);
    }
  }
  const everyOry = [primaryOry.label, ...withOry.map((r) => `ory-${r.region}`)];
  log(`Done: the nodes and ${Object.keys(services).join(', ')} present the renewed certificates${withOry.length > 0 ? ` in ${everyOry.join(', ')}` : ''}; their expiry alarms clear as the nodes publish (within the hour).`);
}

/** An `ory` stack the renewal re-applies: the primary region's, or another region's `ory-<region>`. */
interface OryTarget {
  /** The stack's name (`ory`, `ory-us-east-2`). */
  readonly label: string;
  /** How messages name it (`Ory`, `Ory in us-east-2 (ory-us-east-2)`). */
  readonly name: string;
  readonly region: string;
  readonly terraform: RenewalOryTerraform;
  readonly stack: SynthesizedStackJson;
  /** The log's step number (`4`, `4.2`). */
  readonly step: string;
}

/** The primary client certificate secret of `service` (the primary region's cockroach stack's output). */
function clientSecretArn(deps: RenewalDependencies, service: string): string {
  return String(deps.cluster.outputs()[`${service}_client_secret_arn`] ?? '');
}

function replicaWaitOf(deps: Pick<RenewalDependencies, 'exec' | 'region' | 'log' | 'replicaWait'>): ReplicaWait {
  return {
    exec: deps.exec,
    primaryRegion: deps.region,
    log: deps.log,
    pollSeconds: deps.replicaWait?.pollSeconds ?? 5,
    timeoutSeconds: deps.replicaWait?.timeoutSeconds ?? DEFAULT_REPLICA_TIMEOUT_SECONDS,
    sleep: deps.replicaWait?.sleep ?? ((seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000))),
  };
}

/**
 * Plans `target` (only its Secrets, releases and presented-certificate records may change), applies
 * the plan, plans again (nothing left), and checks that each service presents the client certificate
 * its Secret was built from: the secret in the target's region (the primary's, or its replica there).
 */
async function renewOry(deps: RenewalDependencies, target: OryTarget, beforeOry: string): Promise<void> {
  const { log } = deps;
  const services = presentedCertificateParameters(target.stack);
  const file = (name: string) => join(deps.workDir, `${target.label}${name}.tfplan`);
  log(target.step === '4' ? '4. ory: planning' : `${target.step} ${target.label}: planning`);
  target.terraform.ensureInitialized();
  const oryPlanFile = file('');
  const oryPlan = target.terraform.planPlain(oryPlanFile);
  const problems = oryRenewalPlanProblems(oryPlan);
  if (problems.length > 0) {
    throw new OperationStopped(`stopped before changing ${target.name}: its plan also changes ${problems.join('; ')}. ${beforeOry}; apply ${target.label} with a reviewed \`cdktf deploy ${target.label}\`, then run this command again to verify.`);
  }
  const changes = resourceChangesOf(oryPlan);
  if (changes.length === 0) {
    log(`   ${target.name} already holds the certificates in Secrets Manager: nothing to roll`);
  } else {
    log(`   applying ${changes.length} change(s): each release rolls its pods one at a time onto its renewed Secret, and the apply waits for every new pod to be ready (${target.terraform.commandLine(['apply', oryPlanFile])})`);
    try {
      target.terraform.apply(oryPlanFile);
    } catch (error) {
      throw new OperationStopped(`stopped: applying ${target.label} failed. A release whose rollout failed is rolled back by Helm (atomic): its pods keep the certificates they run, and its presented-certificate record (and its alarm) still show them. Fix the cause, then run the command again.\n${(error as Error).message}`);
    }
  }

  log(target.step === '4' ? '5. verifying' : `${target.step}.1 ${target.label}: verifying`);
  const after = resourceChangesOf(target.terraform.planPlain(file('-after')));
  if (after.length > 0) throw new OperationStopped(`stopped: after the apply, a plan of ${target.label} still changes ${after.join(', ')}`);
  const outputs = deps.cluster.outputs();
  for (const [service, parameter] of Object.entries(services)) {
    const presented = pemCertificates(awsText(deps, target.region, ['ssm', 'get-parameter', '--name', parameter, '--query', 'Parameter.Value', '--output', 'text'], `reading ${parameter}`));
    const secretArn = replicaArnIn(clientSecretArn(deps, service), deps.region, target.region);
    const user = String(outputs[`${service}_sql_user`] ?? service);
    const secret = JSON.parse(awsText(deps, target.region, ['secretsmanager', 'get-secret-value', '--secret-id', secretArn, '--query', 'SecretString', '--output', 'text'], `reading ${service}'s client certificate secret`)) as Record<string, string>;
    const current = secret[`client.${user}.crt`] ?? '';
    if (!presented.some((pem) => samePem(pem, current))) {
      throw new OperationStopped(`stopped: ${service} does not present the client certificate in Secrets Manager (${parameter} holds another one): its release did not roll; look at \`helm history ${service} -n <namespace>\``);
    }
    log(`   ${service}${target.region === deps.region ? '' : ` in ${target.region}`} presents its client certificate from Secrets Manager, valid until ${new X509Certificate(current).validTo}`);
  }
}

function awsText(deps: RenewalDependencies, region: string, args: string[], what: string): string {
  const result = deps.exec('aws', [...args, '--region', region]);
  if (result.status !== 0) throw new OperationStopped(`stopped: ${what} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

function samePem(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}
