import { describe, expect, it } from 'vitest';
import { type StackMove, moveResult } from '../src';

const moved = (stack: string, error?: string): StackMove => ({ stack, moved: true, steps: [{ step: `${stack} init`, ok: true, seconds: 1 }, { step: `${stack} apply`, ok: !error, seconds: 2 }], ...(error ? { error } : {}) });

describe('the move from the baseline, from the stacks\' moves as they ended', () => {
  it('lists the moved stacks and their steps in deploy order, whatever order they ended in, and passes with nothing flagged', () => {
    const result = moveResult([moved('cockroach'), { stack: 'eks', moved: false, steps: [] }, moved('state')]);
    expect(result.moved).toEqual(['state', 'cockroach']);
    expect(result.steps.map((step) => step.step)).toEqual(['state init', 'state apply', 'cockroach init', 'cockroach apply']);
    expect(result.ok).toBe(true);
  });

  it('fails on a stack whose move failed, and on a stack whose move never started', () => {
    expect(moveResult([moved('state'), moved('network', 'network: apply failed')])).toMatchObject({ ok: false, error: 'network: apply failed' });
    expect(moveResult([moved('state')], ['cockroach', 'eks'])).toMatchObject({ ok: false, error: 'not moved: cockroach, eks' });
  });
});
