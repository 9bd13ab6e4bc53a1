import type { SynthesizedStackJson } from '@crdb-ory/core';

/** What an extra check gets: one synthesized stack. */
export interface StackCheckInput {
  readonly stackName: string;
  readonly json: SynthesizedStackJson;
  /** The synthesized stack folder (`cdktf.out/stacks/<stack>`); read it, never write to it. */
  readonly stackDir: string;
}

/** The outcome of an extra check, as the report shows it. */
export interface StackCheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** One line, shown in the stack's row and in the console summary (`4 releases rendered, lint clean`). */
  readonly summary: string;
  /** More lines for the stack's section of the report. @default none */
  readonly details?: readonly string[];
}

/**
 * A check of a synthesized stack beyond Terraform's mocked apply, e.g. rendering the Helm
 * releases of the ory stack with the real charts. Register it with the review (`checks`); its
 * summary joins the stack's line, and a failure fails the review.
 */
export interface StackCheck {
  /** Short name: `helm template`. */
  readonly name: string;
  /** The stacks it applies to. */
  readonly stackNames: readonly string[];
  run(input: StackCheckInput): Promise<StackCheckResult>;
}

/** Runs the checks that apply to a stack; a check that throws is a failed check, with its message. */
export async function runStackChecks(checks: readonly StackCheck[], input: StackCheckInput): Promise<StackCheckResult[]> {
  const applicable = checks.filter((check) => check.stackNames.includes(input.stackName));
  return Promise.all(
    applicable.map(async (check) => {
      try {
        return await check.run(input);
      } catch (error) {
        return { name: check.name, ok: false, summary: `crashed: ${(error as Error).message}` };
      }
    }),
  );
}
