/** Runs a task in one of the limiter's slots. */
export type Slot = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Runs at most `size` tasks at a time; the others wait their turn in order. (Waiting by the
 * rehearsal's critical chain first was tried: on fake time with main's step durations it gained
 * nothing with 4 slots and lost 69 s with 3, docs/rehearsal.md.)
 */
export function limiter(size: number): Slot {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running < size) running++;
    // The slot is handed over when it frees (it stays counted), so no later caller takes it meanwhile.
    else await new Promise<void>((start) => waiting.push(start));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
