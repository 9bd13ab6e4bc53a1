import type { Row } from './database';
import { VerifyError, type FailureKind } from './errors';
import type { ReportGroup } from './settings';

/** The outcome of one step of one flow. */
export interface StepResult {
  /** The service, or `backups`. */
  readonly service: ReportGroup;
  readonly step: string;
  /** 1-based; preflight runs once, as iteration 1. */
  readonly iteration: number;
  readonly ok: boolean;
  readonly durationMs: number;
  /** The columns the step read, as the reference guide shows them. */
  readonly record?: readonly Row[];
  readonly error?: { readonly kind: FailureKind; readonly message: string; readonly likelyCause: string };
}

/** Receives each step result as it finishes (progress output). */
export type ProgressListener = (result: StepResult) => void;

/** Thrown after a failed step has been recorded: ends the flow, then cleanup runs. */
class StepFailed extends Error {}

const CLEANUP_PREFIX = 'cleanup: ';

export function isCleanupStep(step: string): boolean {
  return step.startsWith(CLEANUP_PREFIX);
}

/** Records timed steps of one flow and the cleanups they register. */
export class FlowRun {
  readonly results: StepResult[] = [];
  private readonly cleanups: Array<{ name: string; fn: () => Promise<Row[] | void> }> = [];

  constructor(
    readonly service: ReportGroup,
    readonly iteration: number,
    private readonly onResult: ProgressListener,
  ) {}

  /** Runs `fn` as step `name`; `fn` returns its value and, optionally, the rows to show. */
  async step<T>(name: string, fn: () => Promise<{ value: T; record?: Row[] }>): Promise<T> {
    const started = performance.now();
    try {
      const { value, record } = await fn();
      this.push({ step: name, ok: true, durationMs: performance.now() - started, ...(record ? { record } : {}) });
      return value;
    } catch (error) {
      const failure = error instanceof VerifyError ? error : new VerifyError('mismatch', (error as Error).message ?? String(error), 'unexpected error; see the message');
      this.push({ step: name, ok: false, durationMs: performance.now() - started, error: { kind: failure.kind, message: failure.message, likelyCause: failure.likelyCause } });
      throw new StepFailed(name);
    }
  }

  /** Registers what undoes a created object; runs in reverse order when the flow ends. */
  onCleanup(name: string, fn: () => Promise<Row[] | void>): void {
    this.cleanups.push({ name: CLEANUP_PREFIX + name, fn });
  }

  /** Runs `body`; a failed step ends it. Then the cleanups run (all of them, even if one fails) unless `keep`. */
  async execute(body: (run: FlowRun) => Promise<void>, keep: boolean): Promise<boolean> {
    let ok = true;
    try {
      await body(this);
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      ok = false;
    }
    if (!keep) {
      for (const cleanup of this.cleanups.reverse()) {
        await this.step(cleanup.name, async () => {
          const record = await cleanup.fn();
          return { value: undefined, ...(record ? { record } : {}) };
        }).catch((error: unknown) => {
          if (!(error instanceof StepFailed)) throw error;
          ok = false;
        });
      }
    }
    return ok;
  }

  private push(result: Omit<StepResult, 'service' | 'iteration'>): void {
    const full: StepResult = { service: this.service, iteration: this.iteration, ...result };
    this.results.push(full);
    this.onResult(full);
  }
}

/** The single row a step looks for; none (or several) is a rows-missing failure. */
export function expectOneRow(rows: readonly Row[], message: string, likelyCause: string): Row {
  const [row] = rows;
  if (!row || rows.length !== 1) throw new VerifyError('rows-missing', `${message}${rows.length > 1 ? ` (found ${rows.length} rows)` : ''}`, likelyCause);
  return row;
}

/** Fails a step with `kind` unless `condition` holds. */
export function expectThat(condition: boolean, kind: FailureKind, message: string, likelyCause: string): void {
  if (!condition) throw new VerifyError(kind, message, likelyCause);
}
