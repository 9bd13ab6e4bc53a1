import type { SynthesizedStackJson } from '@crdb-ory/core';
import type { StackDocument } from './stack-document';

/** `error` fails synthesis; `warning` is reported in the review only. */
export type Severity = 'error' | 'warning';

/** One violation of a rule by one resource. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Terraform address, e.g. `aws_security_group.sql_1a2b3c4d`. */
  readonly address: string;
  /** Construct path, e.g. `cockroach/sql/security-group`; the address when unknown. */
  readonly constructPath: string;
  /** What is wrong, naming the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** What a rule reports about one resource, before the engine adds rule id and severity. */
export type Violation = Omit<Finding, 'ruleId' | 'severity'>;

/** A VPC the rules can recognize a source address as being inside of. */
export interface KnownVpc {
  /** Role the rules refer to: `cockroach` (the CockroachDB VPC) or `ory` (the Ory VPC). */
  readonly role: 'cockroach' | 'ory';
  /** Literal CIDR of the VPC, when known at synthesis (from configuration). */
  readonly cidr?: string;
  /**
   * Terraform expressions (without `${}`) whose value lies inside the VPC, e.g.
   * `data.terraform_remote_state.remote-state-network.outputs.cockroach_vpc_cidr`.
   */
  readonly references: readonly string[];
}

/**
 * A network the deployment explicitly declares as an operators' network (a VPN, a bastion), for
 * some ports only: e.g. `cockroach.adminCidrs` for the DB Console (8080). Rules accept a literal
 * CIDR inside it on those ports, never the internet, never other ports.
 */
export interface DeclaredAdminNetwork {
  readonly cidr: string;
  readonly ports: readonly number[];
  /** Where it was declared (the setting), shown in findings and docs. */
  readonly declaredBy: string;
}

/** Facts about the deployment the rules need; the app builds it from its configuration. */
export interface PolicyContext {
  readonly vpcs: readonly KnownVpc[];
  /** @default none */
  readonly adminNetworks?: readonly DeclaredAdminNetwork[];
  /**
   * Every stack of the app (this one included), for rules about how stacks read each other. The
   * gate fills it in from the app it is applied to. @default none: such rules see this stack alone
   */
  readonly appStacks?: readonly StackDocument[];
}

export const EMPTY_POLICY_CONTEXT: PolicyContext = { vpcs: [] };

/**
 * A policy rule: a pure check over one stack's resolved Terraform JSON. A rule that cannot
 * evaluate a value (an unresolved reference) reports a violation: rules fail closed.
 */
export interface PolicyRule {
  /** Stable id, `CRDB-<AREA>-<NNN>`; suppressions name it. */
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  check(stack: StackDocument, context: PolicyContext): Violation[];
}

/** A named, ordered set of rules applied together. */
export interface RulePack {
  readonly name: string;
  readonly rules: readonly PolicyRule[];
}

export type { SynthesizedStackJson };
