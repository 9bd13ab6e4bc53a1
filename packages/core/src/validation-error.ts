import type { IConstruct } from 'constructs';

/**
 * One problem with a construct's props (or a library's settings): which prop, its value, and what
 * is allowed. Libraries return these from their rules; constructs throw them as one
 * {@link ValidationError}; the app maps each `prop` to its setting path in the configuration.
 */
export interface PropProblem {
  /** The prop, in the construct's terms: `dataVolumeIops`, `hydra.memoryRequest`, `publicAccessCidrs[2]`. */
  readonly prop: string;
  readonly value: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** `prop = value: message`, the line every library error and the app's report use. */
export function formatPropProblem(problem: PropProblem): string {
  return `${problem.prop} = ${showValue(problem.value)}: ${problem.message}`;
}

/**
 * Invalid props of one construct, all reported at once, naming the construct path (as aws-cdk's
 * `ValidationError` does). The one error type of the libraries for bad input. The policy gate's
 * `StackValidationError` is a different concept: findings over a synthesized stack, not props.
 */
export class ValidationError extends Error {
  constructor(
    /** The construct path (`cockroach/node-1`); for a construct not created yet, the path it would have. */
    readonly constructPath: string,
    readonly problems: readonly PropProblem[],
  ) {
    super(`Invalid props of ${constructPath}:\n${problems.map((p) => `  - ${formatPropProblem(p)}`).join('\n')}`);
    this.name = 'ValidationError';
  }
}

/** Throws a {@link ValidationError} for `scope` (a construct, or the path it will have) when there are problems. */
export function throwIfProblems(scope: IConstruct | string, problems: readonly PropProblem[]): void {
  if (problems.length > 0) throw new ValidationError(typeof scope === 'string' ? scope : scope.node.path, problems);
}

/** The path a construct `id` will have under `scope`, for checks that run before it exists. */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

function showValue(value: unknown): string {
  // JSON.stringify turns Infinity and NaN into "null", which would hide the problem.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}
