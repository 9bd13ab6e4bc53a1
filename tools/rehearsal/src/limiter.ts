/**
 * How a task waits for a slot: `in turn`, first come first served; `last`, after every task
 * waiting in turn (for work nothing on the schedule's chains waits for: a stack's re-plan).
 */
export type SlotOrder = 'in turn' | 'last';

/** Runs a task in one of the limiter's slots. */
export type Slot = <T>(task: () => Promise<T>, order?: SlotOrder) => Promise<T>;

/**
 * Runs at most `size` tasks at a time; the others wait their turn in order, those that wait `last`
 * after all the others. (Waiting by the rehearsal's critical chain first was tried: on fake time
 * with main's step durations it gained nothing with 4 slots and lost 69 s with 3; letting the
 * re-plans, which no stack waits for, wait last gains 24 s of 771 with 4: docs/rehearsal.md.)
 */
export function limiter(size: number): Slot {
  let running = 0;
  const waiting: Array<{ readonly last: boolean; readonly start: () => void }> = [];
  return async (task, order = 'in turn') => {
    if (running < size) running++;
    // The slot is handed over when it frees (it stays counted), so no later caller takes it meanwhile.
    else await new Promise<void>((start) => waiting.push({ last: order === 'last', start }));
    try {
      return await task();
    } finally {
      const inTurn = waiting.findIndex((candidate) => !candidate.last);
      const next = waiting.splice(inTurn >= 0 ? inTurn : 0, 1)[0];
      if (next) next.start();
      else running--;
    }
  };
}
