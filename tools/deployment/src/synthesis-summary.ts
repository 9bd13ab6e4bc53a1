import { isAbsolute, relative } from 'node:path';
import type { SynthesisResult } from './synthesize';

/** The line `npm run synth` ends with: `synthesized 6 stacks into cdktf.out/stacks in 0.7 s (resources per stack: state 7, ...)`. */
export function synthesisSummary(result: Pick<SynthesisResult, 'stacks' | 'stacksDir'>, seconds: number, cwd = process.cwd()): string {
  const inside = relative(cwd, result.stacksDir);
  const where = inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : result.stacksDir;
  const perStack = result.stacks.map((stack) => `${stack.name} ${stack.resources}`).join(', ');
  return `synthesized ${result.stacks.length} stacks into ${where} in ${seconds.toFixed(1)} s (resources per stack: ${perStack})`;
}
