import type { OutputsContract } from './outputs-contract';

/** The synthesized Terraform JSON of one stack (`cdktf.out/stacks/<stack>/cdk.tf.json`). */
export interface SynthesizedStackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  readonly provider?: Record<string, unknown>;
  readonly terraform?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** One `assert` block of a `terraform test` run. */
export interface TerraformTestAssertion {
  /** HCL expression that must be true after the mocked apply, naming real addresses (`aws_lb.sql_1234.internal`). */
  readonly condition: string;
  readonly errorMessage: string;
}

/**
 * Values a mocked provider returns for computed attributes, by resource or data source type,
 * then attribute (`mock_resource` / `mock_data` `defaults` in `terraform test`). Needed where
 * the provider validates a computed value that feeds another resource (an ARN, an id prefix,
 * a version): the random strings of a bare `mock_provider` fail those checks.
 */
export type MockDefaults = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The outcome of a stack check other than Terraform's (e.g. rendering the stack's Helm releases). */
export interface StackCheckResult {
  readonly ok: boolean;
  /** One line for the review's stack summary, e.g. `rendered by Helm 3.17.2: 41 manifests, lint clean`. */
  readonly summary: string;
  /** Further lines for the report (what was not covered, failures). */
  readonly details?: readonly string[];
}

/** A check the offline review runs on a stack's synthesized JSON besides Terraform's; a failed one fails the review. */
export interface StackCheck {
  /** Short name in the report, e.g. `helm`. */
  readonly name: string;
  run(stack: SynthesizedStackJson): Promise<StackCheckResult>;
}

/**
 * What the offline review (`npm run review`) needs to know about a stack beyond its JSON:
 * the contracts of the upstream stacks it reads (their examples become `override_data`) and
 * the properties to assert after a mocked apply. Each stack package exports one.
 */
export interface StackReview {
  readonly stackName: string;
  /** Contracts of every stack this one reads through remote state. */
  readonly upstream: readonly OutputsContract[];
  /** The stack's own outputs contract, if it publishes one. */
  readonly outputs?: OutputsContract;
  /** `mock_resource` defaults of the mocked aws provider. @default none */
  readonly mockResources?: MockDefaults;
  /** `mock_data` defaults of the mocked aws provider. @default none */
  readonly mockData?: MockDefaults;
  /**
   * Values of data sources other than remote state, by address, for the mocked apply
   * (`override_data`): `{ 'data.aws_availability_zones.available': { names: [...] } }`.
   * @default none: other data sources get the mocked provider's generated values
   */
  readonly overrideData?: (stack: SynthesizedStackJson) => Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Addresses of resources or data sources whose preconditions must stop the plan of this
   * stack's JSON: a deliberate plan-time stop (the eks stack when nobody can reach its API). The
   * mocked run is then a `plan` that expects exactly these failures (`expect_failures`); the
   * assertions, which need an apply, do not run. @default none: a mocked apply with the assertions
   */
  readonly expectedPlanFailures?: (stack: SynthesizedStackJson) => readonly string[];
  /** Assertions built from the synthesized JSON, so they can name the addresses cdktf generated. */
  assertions(stack: SynthesizedStackJson): TerraformTestAssertion[];
  /** Checks besides Terraform's, run and printed by the review. @default none */
  readonly checks?: readonly StackCheck[];
}
