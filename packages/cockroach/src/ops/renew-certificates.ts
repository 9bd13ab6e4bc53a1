import type { SynthesizedStackJson } from '@crdb-ory/core';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { CommandRunner } from './command-runner';
import { NodeShell } from './node-shell';
import { OperationStopped } from './operation-stopped';
import type { TerraformPlanJson } from '@crdb-ory/core/terraform';
import { resourceChangesOf } from './terraform-driver';
import { RenewalRegion, ReplicaWait, awaitReplicas, refreshNodes, regionSecretArns, stringList } from './renewal-regions';

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
  const wait: ReplicaWait = {
    exec: deps.exec,
    primaryRegion: deps.region,
    log: deps.log,
    pollSeconds: deps.replicaWait?.pollSeconds ?? 5,
    timeoutSeconds: deps.replicaWait?.timeoutSeconds ?? DEFAULT_REPLICA_TIMEOUT_SECONDS,
    sleep: deps.replicaWait?.sleep ?? ((seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000))),
  };
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

  log('4. ory: planning');
  deps.ory.ensureInitialized();
  const oryPlanFile = join(deps.workDir, 'ory.tfplan');
  const oryPlan = deps.ory.planPlain(oryPlanFile);
  const problems = oryRenewalPlanProblems(oryPlan);
  if (problems.length > 0) {
    throw new OperationStopped(`stopped before changing Ory: its plan also changes ${problems.join('; ')}. CockroachDB already has the new certificates (Ory's current ones stay valid until they expire); apply ory with a reviewed \`cdktf deploy ory\`, then run this command again to verify.`);
  }
  const changes = resourceChangesOf(oryPlan);
  if (changes.length === 0) {
    log('   Ory already holds the certificates in Secrets Manager: nothing to roll');
  } else {
    log(`   applying ${changes.length} change(s): each release rolls its pods one at a time onto its renewed Secret, and the apply waits for every new pod to be ready (${deps.ory.commandLine(['apply', oryPlanFile])})`);
    try {
      deps.ory.apply(oryPlanFile);
    } catch (error) {
      throw new OperationStopped(`stopped: applying ory failed. A release whose rollout failed is rolled back by Helm (atomic): its pods keep the certificates they run, and its presented-certificate record (and its alarm) still show them. Fix the cause, then run the command again.\n${(error as Error).message}`);
    }
  }

  log('5. verifying');
  const after = resourceChangesOf(deps.ory.planPlain(join(deps.workDir, 'ory-after.tfplan')));
  if (after.length > 0) throw new OperationStopped(`stopped: after the apply, a plan of ory still changes ${after.join(', ')}`);
  const outputs = deps.cluster.outputs();
  for (const [service, parameter] of Object.entries(services)) {
    const presented = pemCertificates(awsText(deps, ['ssm', 'get-parameter', '--name', parameter, '--query', 'Parameter.Value', '--output', 'text'], `reading ${parameter}`));
    const secretArn = String(outputs[`${service}_client_secret_arn`] ?? '');
    const user = String(outputs[`${service}_sql_user`] ?? service);
    const secret = JSON.parse(awsText(deps, ['secretsmanager', 'get-secret-value', '--secret-id', secretArn, '--query', 'SecretString', '--output', 'text'], `reading ${service}'s client certificate secret`)) as Record<string, string>;
    const current = secret[`client.${user}.crt`] ?? '';
    if (!presented.some((pem) => samePem(pem, current))) {
      throw new OperationStopped(`stopped: ${service} does not present the client certificate in Secrets Manager (${parameter} holds another one): its release did not roll; look at \`helm history ${service} -n <namespace>\``);
    }
    log(`   ${service} presents its client certificate from Secrets Manager, valid until ${new X509Certificate(current).validTo}`);
  }
  log(`Done: the nodes and ${Object.keys(services).join(', ')} present the renewed certificates; their expiry alarms clear as the nodes publish (within the hour).`);
}

function awsText(deps: RenewalDependencies, args: string[], what: string): string {
  const result = deps.exec('aws', [...args, '--region', deps.region]);
  if (result.status !== 0) throw new OperationStopped(`stopped: ${what} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

function samePem(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}
