import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { Suppression, isUnder, publicIngressIn, suppressionsIn } from './annotations';
import { EMPTY_POLICY_CONTEXT, Finding, PolicyContext, RulePack } from './rule';
import { StackDocument } from './stack-document';
import type { SynthesizedStackJson } from '@crdb-ory/core';

/** The outcome of a pack on one stack. */
export interface StackPolicyReport {
  readonly stackName: string;
  readonly pack: string;
  readonly rulesEvaluated: number;
  /** Findings not covered by a suppression. Errors among them fail synthesis. */
  readonly findings: readonly Finding[];
  /** Findings a suppression covered, with the suppression's reason. */
  readonly suppressed: ReadonlyArray<Finding & { readonly reason: string }>;
  /** Every suppression declared in the stack, used or not. */
  readonly suppressions: readonly Suppression[];
}

/** Runs every rule of `pack` over a stack's JSON; suppressions apply to a construct and its children. */
export function evaluatePack(
  document: StackDocument,
  pack: RulePack,
  context: PolicyContext = EMPTY_POLICY_CONTEXT,
  suppressions: readonly Suppression[] = [],
): StackPolicyReport {
  const all: Finding[] = pack.rules.flatMap((rule) =>
    rule.check(document, context).map((violation) => ({ ruleId: rule.id, severity: rule.severity, ...violation })),
  );
  const findings: Finding[] = [];
  const suppressed: Array<Finding & { reason: string }> = [];
  for (const finding of all) {
    const suppression = suppressions.find((s) => s.ruleId === finding.ruleId && isUnder(finding.constructPath, s.constructPath));
    if (suppression) suppressed.push({ ...finding, reason: suppression.reason });
    else findings.push(finding);
  }
  return { stackName: document.stackName, pack: pack.name, rulesEvaluated: pack.rules.length, findings, suppressed, suppressions: [...suppressions] };
}

/** Evaluates `pack` on a construct-tree stack: its resolved JSON plus its suppressions and declarations. */
export function evaluateStack(stack: TerraformStack, pack: RulePack, context: PolicyContext = EMPTY_POLICY_CONTEXT): StackPolicyReport {
  const json = stack.toTerraform() as SynthesizedStackJson;
  const document = new StackDocument(stack.node.id, json, publicIngressIn(stack));
  return evaluatePack(document, pack, context, suppressionsIn(stack));
}

/** Collects the report of every stack the gate checked during `app.synth()`. */
export class PolicyGate {
  private readonly reports = new Map<string, StackPolicyReport>();
  private appStacks?: StackDocument[];
  private scope?: IConstruct;

  constructor(
    readonly pack: RulePack,
    readonly context: PolicyContext = EMPTY_POLICY_CONTEXT,
  ) {}

  /**
   * Adds the pack as a validation to every stack under `scope` (call after the stacks are
   * built). Synthesis then fails on any error-severity finding, naming rule, resource and fix.
   * Every validation failure of those stacks (the gate's and any construct's) is thrown as one
   * {@link StackValidationError}; unlike cdktf's own error it never suggests skipping validation.
   */
  applyTo(scope: IConstruct): this {
    this.scope = scope;
    for (const stack of scope.node.findAll().filter(TerraformStack.isStack)) {
      stack.node.addValidation({ validate: () => this.validate(stack) });
      stack.runAllValidations = () => throwOnValidationErrors(stack);
    }
    return this;
  }

  private documentsOfTheApp(): StackDocument[] {
    this.appStacks ??= this.scope ? stackDocumentsOf(this.scope) : [];
    return this.appStacks;
  }

  /** Reports of the stacks validated so far, in stack order. */
  results(): StackPolicyReport[] {
    return [...this.reports.values()];
  }

  private validate(stack: TerraformStack): string[] {
    const report = evaluateStack(stack, this.pack, { ...this.context, appStacks: this.documentsOfTheApp() });
    this.reports.set(report.stackName, report);
    const errors = report.findings.filter((finding) => finding.severity === 'error');
    return errors.length > 0 ? [formatViolations(report.stackName, errors)] : [];
  }
}

/** The resolved JSON of every stack of the app, once (validation runs after every stack is prepared). */
export function stackDocumentsOf(scope: IConstruct): StackDocument[] {
  return scope.node.findAll().filter(TerraformStack.isStack).map((stack) => new StackDocument(stack.node.id, stack.toTerraform() as SynthesizedStackJson));
}

/** A stack failed validation: the policy gate or another construct's check. Nothing was written. */
export class StackValidationError extends Error {
  constructor(
    readonly stackName: string,
    readonly failures: readonly string[],
  ) {
    super(`Stack "${stackName}" failed validation; fix the configuration or the code:\n  ${failures.join('\n  ')}`);
    this.name = 'StackValidationError';
  }
}

function throwOnValidationErrors(stack: TerraformStack): void {
  const failures = stack.node.findAll().flatMap((construct) => construct.node.validate().map((message) => `[${construct.node.path}] ${message}`));
  if (failures.length > 0) throw new StackValidationError(stack.node.id, failures);
}

/** The synthesis error text: one block per finding, with the rule id, resource and fix. */
export function formatViolations(stackName: string, findings: readonly Finding[]): string {
  const lines = findings.map(
    (f) => `  ${f.ruleId} ${f.address} (${f.constructPath}): ${f.message}\n    fix: ${f.fix}\n    or suppress: suppressRule(<construct>, '${f.ruleId}', '<reason>')`,
  );
  return `policy gate: ${findings.length} violation(s) in stack "${stackName}":\n${lines.join('\n')}`;
}
