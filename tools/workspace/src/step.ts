/** Runs one step of a long command, logging its title first and then `ok` with the seconds it took (a failure propagates). */
export async function step<T>(log: (line: string) => void, title: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`- ${title} ...`);
  const result = await action();
  log(`  ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
