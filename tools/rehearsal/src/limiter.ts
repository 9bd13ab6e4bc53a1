/** Runs a task in one of the limiter's slots; among the waiting, a lower `priority` goes first, then the earlier. */
export type Slot = <T>(task: () => Promise<T>, priority?: number) => Promise<T>;

/** Runs at most `size` tasks at a time; the others wait their turn, by priority (default 0, lower first), then in order. */
export function limiter(size: number): Slot {
  let running = 0;
  const waiting: Array<{ readonly priority: number; readonly start: () => void }> = [];
  return async (task, priority = 0) => {
    if (running < size) running++;
    else {
      // After every waiting task of the same or a lower priority: stable within a priority. The
      // slot is handed over when it frees (it stays counted), so no later caller takes it meanwhile.
      await new Promise<void>((start) => {
        const at = waiting.findIndex((other) => other.priority > priority);
        waiting.splice(at < 0 ? waiting.length : at, 0, { priority, start });
      });
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next.start();
      else running--;
    }
  };
}
