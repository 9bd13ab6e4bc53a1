import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMirrorCliConfig } from './cli-config';
import { AWS_PROVIDER, ProviderRequirement, findProviderMirror } from './provider-mirror';
import { TerraformResult, runTerraform, terraformAvailable } from './terraform-cli';

/**
 * A throw-away Terraform working directory holding one synthesized stack, initialized offline
 * from the provider mirror. Fails loudly (never skips) when terraform or the mirror is missing.
 */
export class OfflineStackDir {
  readonly dir: string;
  private readonly cliConfigFile: string;

  constructor(stackJson: string, providers: readonly ProviderRequirement[] = [AWS_PROVIDER]) {
    if (!terraformAvailable()) throw new Error('terraform is not on PATH: install Terraform 1.11 to run the offline checks.');
    const mirror = findProviderMirror(providers[0]);
    if (!mirror) {
      throw new Error(`No filesystem mirror of ${providers.map((p) => `${p.namespace}/${p.type} ${p.version}`).join(', ')} found; set TF_PROVIDER_MIRROR to the folder that holds registry.terraform.io/.`);
    }
    this.dir = mkdtempSync(join(tmpdir(), 'crdb-ory-tf-'));
    writeFileSync(join(this.dir, 'cdk.tf.json'), stackJson);
    this.cliConfigFile = writeMirrorCliConfig(this.dir, mirror, providers);
  }

  run(args: readonly string[]): TerraformResult {
    return runTerraform(args, { cwd: this.dir, cliConfigFile: this.cliConfigFile });
  }

  /** `terraform init -backend=false`, then `terraform validate` if init worked. */
  initAndValidate(): TerraformResult {
    const init = this.run(['init', '-backend=false', '-input=false']);
    return init.ok ? this.run(['validate']) : init;
  }

  writeFile(name: string, content: string): void {
    writeFileSync(join(this.dir, name), content);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One `assert` of a `terraform test` run: an HCL condition over real resource addresses. */
export interface MockedApplyAssertion {
  readonly condition: string;
  readonly errorMessage: string;
}

/** Attribute values the mocked provider returns for a resource type, where random strings fail validation (ARNs). */
export type MockResourceDefaults = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * A `terraform test` file that applies the stack against a mocked AWS provider (no cloud, no
 * credentials) and checks `assertions` on the result.
 */
export function mockedApplyTestFile(assertions: readonly MockedApplyAssertion[], mockResources: MockResourceDefaults = {}): string {
  const mocks = Object.entries(mockResources).map(
    ([type, defaults]) => `  mock_resource ${hclString(type)} {\n    defaults = {\n${Object.entries(defaults).map(([k, v]) => `      ${k} = ${hclString(v)}`).join('\n')}\n    }\n  }`,
  );
  const asserts = assertions.map((a) => `  assert {\n    condition     = ${a.condition}\n    error_message = ${hclString(a.errorMessage)}\n  }`);
  return ['mock_provider "aws" {', ...mocks, '}', '', 'run "mocked_apply" {', '  command = apply', '', ...asserts, '}', ''].join('\n');
}

function hclString(text: string): string {
  return JSON.stringify(text).replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);
}
