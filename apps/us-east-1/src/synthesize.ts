import type { ConfigurationFingerprint } from '@crdb-ory/core/configuration-source';
import { type DeploymentConfig, type SynthesisResult, synthesizeStacks } from '@crdb-ory/deployment';
import type { App } from 'cdktf';
import { accessPolicies } from './access-policies';
import { policyContext } from '@crdb-ory/deployment';
import { buildStacks } from './stacks';

export type { SynthesisResult, SynthesisWarning, SynthesizedStackSummary } from '@crdb-ory/deployment';
export { defaultOutdir } from '@crdb-ory/deployment';

/** Adds stacks to the app; `buildStacks` in production. */
export type StackBuilder = (app: App, config: DeploymentConfig) => void;

/** Synthesizes this app's stacks from `config` into `outdir` (`synthesizeStacks`: the policy gate on every stack, nothing half-written). */
export function synthesizeAll(config: DeploymentConfig, outdir: string, build: StackBuilder = buildStacks, configuration?: ConfigurationFingerprint): SynthesisResult {
  return synthesizeStacks(outdir, { build: (app) => build(app, config), policyContext: policyContext(config), accessPolicies: (app) => accessPolicies(app, config), configuration });
}
