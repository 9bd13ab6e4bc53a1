import { type CriticalPath, criticalPaths, isTeardownStep, longestPath } from './critical-path';
import { UNHANDLED_GAPS } from './known-gaps';
import { type RehearsalPhase, type TaskTiming, phaseSpans, rehearsalCriticalPath } from './rehearsal-plan';
import { NOT_REHEARSED, REHEARSED_STACKS } from './rehearsed-stacks';
import { failedSteps } from './scenarios';
import type { EnvironmentResult } from './rehearse';
import type { RehearsalResult } from './rehearse';
import { REPLAN_STEP, type StackRehearsal } from './stack-rehearsal';

/** Columns of the stacks table: the deploy steps (the apply plans and applies in one process), what the teardown did before the destroy, the destroy. */
const COLUMNS = ['init', 'apply', REPLAN_STEP, 'teardown', 'destroy'] as const;

/** The one-line verdict, last line of the summary and of the report. */
export function rehearsalVerdict(result: RehearsalResult): string {
  const applied = result.stacks.filter((stack) => stack.mode === 'applied' && deployed(stack)).length;
  const seeded = result.stacks.filter((stack) => stack.mode === 'seeded' && deployed(stack)).length;
  const resources = result.stacks.reduce((sum, stack) => sum + (stack.resources ?? 0), 0);
  const drifted = result.stacks.filter((stack) => (stack.drift?.length ?? 0) > 0).map(label);
  const teardownFailed = result.stacks.filter((stack) => stack.steps.some((step) => (step.step === 'destroy' || step.step.startsWith('teardown')) && !step.ok)).map(label);
  const scenariosOff = result.scenarios.filter((scenario) => !scenario.ok).map((scenario) => scenario.scenario.name);
  const move = result.move ? (result.move.ok ? `moved from ${result.move.moved.length} baseline stacks with nothing flagged,` : 'move from the baseline NOT AS EXPECTED,') : 'no move,';
  const passed = rehearsalPassed(result);
  return [
    `rehearsal ${passed ? 'PASSED' : 'FAILED'}:`,
    `${result.environments.length} environments in one account,`,
    `${applied} stacks applied and ${seeded} seeded of ${result.environments.reduce((sum, environment) => sum + (environment.synthesizedStacks ?? REHEARSED_STACKS.length + NOT_REHEARSED.length), 0)},`,
    move,
    `${resources} resources,`,
    drifted.length === 0 ? 'no drift,' : `drift in ${drifted.join(', ')},`,
    teardownFailed.length === 0 ? 'teardown clean,' : `teardown FAILED in ${teardownFailed.join(', ')},`,
    result.leftovers === undefined ? 'what stays not checked,' : result.leftovers.problems.length === 0 ? 'what stays as the dry runs said,' : 'what stays NOT as the dry runs said,',
    `${result.scenarios.length - scenariosOff.length}/${result.scenarios.length} changed-config plan reviews as expected`,
    `(${result.seconds.toFixed(0)} s${criticalPathClause(result)})${result.error ? `; stopped: ${result.error}` : ''}`,
  ].join(' ');
}

export function rehearsalPassed(result: RehearsalResult): boolean {
  return (
    !result.error &&
    result.environments.every((environment) => environment.teardown?.ok === true) &&
    result.move?.ok === true &&
    result.stacks.every((stack) => stack.steps.every((step) => step.ok) && stack.steps.some((step) => step.step === 'destroy')) &&
    result.leftovers !== undefined &&
    result.leftovers.problems.length === 0 &&
    result.scenarios.every((scenario) => scenario.ok)
  );
}

/** `cdktf.out/rehearsal.md`. */
export function renderRehearsalReport(result: RehearsalResult, context: { readonly config: string }): string {
  const lines = [
    '# Deploy rehearsal against a local AWS emulator',
    '',
    `Configuration \`${context.config}\`, moto ${result.motoVersion} on 127.0.0.1, real \`terraform\` with hashicorp/aws 5.100.0. Synthesis ${result.synthesisSeconds.toFixed(1)} s, rehearsal ${result.seconds.toFixed(0)} s.`,
    `${result.environments.length} environments side by side in the emulator's one account${result.leftovers?.regions && result.leftovers.regions.length > 1 ? ` (regions ${result.leftovers.regions.join(', ')})` : ''}: ${result.environments.map((e) => `\`${e.name}\` (${e.description})`).join('; ')}.`,
    `The first environment was first deployed as \`main\` deployed it (the baseline: ${result.move ? 'tools/rehearsal/baseline' : 'not reached'}), along the stack graph, then moved onto this version (below), each stack as soon as the stacks it depends on were moved; every other environment was deployed from this version. ` +
      'Every stack ran `init` and `apply` (which plans and applies in one process) as soon as the stacks it depends on (`manifest.json`) were applied, and then a `plan -detailed-exitcode` that must show no changes, beside the stacks that depend on it. `network` and later stacks keep their state in the emulator\'s S3 (the bucket their state stack created) and read each other through `terraform_remote_state`. At the end each environment was torn down by the teardown command (`npm run teardown -- --yes`), dependants first.',
    '',
    '## Stacks',
    '',
    `| environment | stack | result | resources | ${COLUMNS.join(' s | ')} s | drift |`,
    `|---|---|---|---|${COLUMNS.map(() => '---|').join('')}---|`,
    ...result.stacks.map(stackRow),
    ...notRehearsedRows(result.environments),
    '',
    ...criticalPathSection(result),
    ...teardownSection(result),
    ...failures(result.stacks),
    ...accountCheckStops(result),
    '## Emulator gaps',
    '',
    'Fixed in the launcher (`tools/rehearsal/moto/launcher.py`, one function each):',
    '',
    ...result.fixes.map((fix) => `- ${fix}`),
    '',
    'Left out of or replaced in the scratch copy (the synthesized stacks are unchanged):',
    '',
    ...adaptationLines(result.stacks),
    '',
    'What the emulator cannot prove:',
    '',
    ...UNHANDLED_GAPS.map((gap) => `- ${gap}`),
    '',
    ...moveSection(result),
    ...scenarioSection(result),
    rehearsalVerdict(result),
    '',
  ];
  return lines.join('\n');
}

/** `; longest path 700 s (<task> → ... → <task>); deploy critical path 420 s (staging: state → network → cockroach)`: the whole rehearsal's and the longest stack deploy over every environment; empty without either. */
function criticalPathClause(result: RehearsalResult): string {
  const longest = longestPath(stackCriticalPaths(result, 'deploy'));
  const overall = rehearsalCriticalPath(result.timings ?? []);
  return [
    ...(overall ? [`; longest path ${overall.seconds.toFixed(0)} s${longestPathCpu(result)} (${overall.path.map((task) => task.id).join(' → ')})`] : []),
    ...(longest ? [`; deploy critical path ${longest.seconds.toFixed(0)} s (${longest.environment}: ${longest.path.join(' → ')})`] : []),
  ].join('');
}

/** The timings of the tasks on the longest path through the rehearsal, in its order. */
function longestPathTimings(result: RehearsalResult): TaskTiming[] {
  const overall = rehearsalCriticalPath(result.timings ?? []);
  return (overall?.path ?? []).flatMap((task) => result.timings?.find((timing) => timing.task.id === task.id) ?? []);
}

/** `, 95 CPU-s`: what the longest path's terraform processes used of its time, where measured. */
function longestPathCpu(result: RehearsalResult): string {
  const timings = longestPathTimings(result);
  if (timings.length === 0 || timings.every((timing) => timing.ownCpuSeconds === undefined)) return '';
  return `, ${timings.reduce((sum, timing) => sum + (timing.ownCpuSeconds ?? 0), 0).toFixed(0)} CPU-s`;
}

function stackCriticalPaths(result: RehearsalResult, phase: 'deploy' | 'teardown'): CriticalPath[] {
  return criticalPaths(
    result.stacks.map((stack) => ({ environment: stack.environment, name: stack.name, dependencies: stack.dependencies ?? [], steps: stack.steps })),
    phase,
  );
}

/** Each stack's critical path, deploy and teardown, and the wall time of each phase. */
function criticalPathSection(result: RehearsalResult): string[] {
  const deploy = stackCriticalPaths(result, 'deploy');
  const teardown = stackCriticalPaths(result, 'teardown');
  const spans = phaseSpans(result.timings ?? []);
  const overall = rehearsalCriticalPath(result.timings ?? []);
  const spanLine = PHASES.flatMap(([phase, label]) => {
    const span = spans[phase];
    return span ? [`${label} from ${span.start.toFixed(0)} s to ${span.end.toFixed(0)} s (${(span.end - span.start).toFixed(0)} s)`] : [];
  });
  return [
    '## Critical paths',
    '',
    'Each stack\'s own terraform time (its steps, not the time it waited for one of the terraform slots), and its critical path: for the deploy, its own time plus the longest critical path of the stacks it depends on (`manifest.json`); for the teardown, plus the longest of the stacks that depend on it (destroyed first). The move of the first environment onto this version is not in these: its steps are in its own table, and in the longest path through the whole rehearsal below.',
    '',
    ...(spanLine.length > 0
      ? [
          `The phases overlap: each task starts as soon as what it needs exists (docs/rehearsal.md). Wall spans, in seconds from the rehearsal's start: ${spanLine.join('; ')}.`,
          '',
        ]
      : []),
    ...terraformTimeLine(result),
    ...(overall ? [`Longest path through the whole rehearsal (each task's own terraform time, along what it waits for): ${overall.seconds.toFixed(0)} s, ${overall.path.map((task) => `${task.id} (${ownOf(result, task.id).toFixed(0)} s)`).join(' → ')}.`, ''] : []),
    ...longestPathSteps(result),
    ...commandTypeTable(result),
    '| environment | stack | deploy s | deploy critical path s | path | teardown s | teardown critical path s | path |',
    '|---|---|---|---|---|---|---|---|',
    ...deploy.map((path, i) => {
      const down = teardown[i];
      return `| ${path.environment} | ${path.stack} | ${path.ownSeconds.toFixed(1)} | ${path.seconds.toFixed(1)} | ${path.path.join(' → ')} | ${down ? `${down.ownSeconds.toFixed(1)} | ${down.seconds.toFixed(1)} | ${down.path.join(' → ')}` : '- | - | -'} |`;
    }),
    '',
  ];
}

/** Terraform's own time summed per phase (every process, whatever ran beside it) and the CPU it took: comparable across machines and loads. */
function terraformTimeLine(result: RehearsalResult): string[] {
  const sum = (steps: ReadonlyArray<{ readonly seconds: number }>) => steps.reduce((total, step) => total + step.seconds, 0);
  const deploy = sum(result.stacks.flatMap((stack) => stack.steps.filter((step) => !isTeardownStep(step))));
  const teardown = sum(result.stacks.flatMap((stack) => stack.steps.filter(isTeardownStep)));
  const move = sum(result.move?.steps ?? []);
  const scenarios = sum(result.scenarios.flatMap((scenario) => scenario.steps));
  const cpu = result.cpu ? ` CPU: ${result.cpu.terraform.toFixed(0)} s for the terraform processes (with their providers) and the python helpers, ${result.cpu.emulator.toFixed(0)} s for the emulator.` : '';
  return [
    `Terraform time summed over every step: deploy ${deploy.toFixed(0)} s, move ${move.toFixed(0)} s, changed-configuration plans ${scenarios.toFixed(0)} s, teardown ${teardown.toFixed(0)} s: ${(deploy + move + scenarios + teardown).toFixed(0)} s in all, in ${result.seconds.toFixed(0)} s of wall time.${cpu}`,
    '',
  ];
}

/** The phases in the order they begin, as the report names them. */
const PHASES: ReadonlyArray<[RehearsalPhase, string]> = [
  ['deploy', 'deploy of every environment'],
  ['move', 'move of the first environment onto this version'],
  ['scenarios', 'changed-configuration plans'],
  ['teardown', 'teardowns'],
];

/**
 * The longest path's steps, each with its wall seconds split into the CPU its terraform process
 * and providers used and the rest, the time it waited: for the provider's waiters and the
 * emulator's answers, or for a core (the CPU-s are what the machine's load cannot change).
 */
function longestPathSteps(result: RehearsalResult): string[] {
  const rows = longestPathTimings(result).flatMap((timing) => (timing.steps ?? []).map((step) => ({ task: timing.task.id, step })));
  if (rows.length === 0 || rows.every(({ step }) => step.cpuSeconds === undefined)) return [];
  const wall = rows.reduce((sum, { step }) => sum + step.seconds, 0);
  const cpu = rows.reduce((sum, { step }) => sum + (step.cpuSeconds ?? 0), 0);
  return [
    `The longest path step by step: of its ${wall.toFixed(0)} s, its terraform processes (with their providers) used ${cpu.toFixed(0)} CPU-s; the other ${(wall - cpu).toFixed(0)} s they waited (for the provider's waiters and the emulator's answers, or for a core).`,
    '',
    '| task | step | wall s | CPU s | waiting s |',
    '|---|---|---|---|---|',
    ...rows.map(({ task, step }) => `| ${task} | ${step.step} | ${step.seconds.toFixed(1)} | ${step.cpuSeconds === undefined ? '-' : step.cpuSeconds.toFixed(1)} | ${step.cpuSeconds === undefined ? '-' : Math.max(0, step.seconds - step.cpuSeconds).toFixed(1)} |`),
    '',
  ];
}

/** Every terraform process of the rehearsal by command type (`commandType`): how many, their wall seconds and CPU. */
function commandTypeTable(result: RehearsalResult): string[] {
  const byType = new Map<string, { count: number; seconds: number; cpu: number }>();
  for (const command of result.commands ?? []) {
    const known = byType.get(command.command) ?? { count: 0, seconds: 0, cpu: 0 };
    byType.set(command.command, { count: known.count + 1, seconds: known.seconds + command.seconds, cpu: known.cpu + (command.cpuSeconds ?? 0) });
  }
  if (byType.size === 0) return [];
  const rows = [...byType].sort(([, a], [, b]) => b.cpu - a.cpu);
  const total = rows.reduce((sum, [, row]) => ({ count: sum.count + row.count, seconds: sum.seconds + row.seconds, cpu: sum.cpu + row.cpu }), { count: 0, seconds: 0, cpu: 0 });
  return [
    'Terraform processes by command (each with its providers; CPU per process from /proc):',
    '',
    '| command | processes | wall s | CPU s | CPU s per process |',
    '|---|---|---|---|---|',
    ...[...rows, ['all', total] as const].map(([command, row]) => `| ${command} | ${row.count} | ${row.seconds.toFixed(0)} | ${row.cpu.toFixed(1)} | ${(row.cpu / row.count).toFixed(2)} |`),
    '',
  ];
}

function ownOf(result: RehearsalResult, id: string): number {
  return result.timings?.find((timing) => timing.task.id === id)?.ownSeconds ?? 0;
}

function label(stack: StackRehearsal): string {
  return `${stack.environment}/${stack.name}`;
}

function deployed(stack: StackRehearsal): boolean {
  return stack.steps.some((step) => step.step === REPLAN_STEP && step.ok);
}

/** One row per stack no environment rehearses: `every` for a stack every environment has. */
function notRehearsedRows(environments: readonly EnvironmentResult[]): string[] {
  // An environment result that names none is the single-region app's.
  const of = (environment: EnvironmentResult) => environment.notRehearsed ?? NOT_REHEARSED;
  const names = [...new Set(environments.flatMap((environment) => of(environment).map((stack) => stack.name)))];
  return names.map((name) => {
    const holders = environments.filter((environment) => of(environment).some((stack) => stack.name === name));
    const why = of(holders[0] as EnvironmentResult).find((stack) => stack.name === name)?.why ?? '';
    return `| ${holders.length === environments.length && environments.length > 1 ? 'every' : holders.map((environment) => environment.name).join(', ')} | ${name} | not rehearsed: ${why} | | ${COLUMNS.map(() => '').join(' | ')} | |`;
  });
}

function stackRow(stack: StackRehearsal): string {
  const seconds = COLUMNS.map((column) => {
    const steps = stack.steps.filter((candidate) => (column === 'teardown' ? candidate.step.startsWith('teardown ') : candidate.step === column));
    if (steps.length === 0) return '-';
    return `${steps.reduce((sum, step) => sum + step.seconds, 0).toFixed(1)}${steps.every((step) => step.ok) ? '' : ' FAILED'}`;
  });
  const result = stack.steps.every((step) => step.ok) ? (stack.mode === 'seeded' ? 'seeded (stand-ins, see below)' : 'applied') : 'FAILED';
  const drift = stack.drift === undefined ? '-' : stack.drift.length === 0 ? 'none' : stack.drift.join(', ');
  return `| ${stack.environment} | ${stack.name} | ${result} | ${stack.resources ?? '-'} | ${seconds.join(' | ')} | ${drift} |`;
}

function teardownSection(result: RehearsalResult): string[] {
  const lines = ['## Teardown', ''];
  for (const environment of result.environments) {
    const teardown = environment.teardown;
    const done = teardown === undefined ? 'not run' : teardown.ok ? 'done' : `FAILED${teardown.notStarted.length > 0 ? `; not torn down: ${teardown.notStarted.join(', ')}` : ''}`;
    lines.push(`- \`${environment.name}\`${environment.deleteData ? ' (`--delete-data`)' : ''}: ${done}. ${teardown?.costSummary ?? ''}`.trimEnd());
    for (const stack of result.stacks.filter((s) => s.environment === environment.name)) {
      for (const step of stack.steps.filter((s) => s.step.startsWith('teardown ') && s.ok && s.detail)) lines.push(`  - ${stack.name}, ${step.step.replace('teardown ', '')}: ${step.detail}`);
    }
  }
  lines.push('');
  const check = result.leftovers;
  lines.push(
    check === undefined
      ? 'What stays was not checked: a teardown did not finish.'
      : check.problems.length === 0
        ? `What stays, listed in the emulator's account afterwards, is exactly what the teardowns' dry runs said would stay (${check.expected} items: kept buckets and keys, final snapshots, keys pending deletion, secrets in their recovery window), and nothing else of any kind the stacks create.`
        : `What stays is NOT what the dry runs said:\n\n${check.problems.map((problem) => `- ${problem}`).join('\n')}`,
    '',
  );
  return lines;
}

function failures(stacks: readonly StackRehearsal[]): string[] {
  const failed = stacks.flatMap((stack) => stack.steps.filter((step) => !step.ok).map((step) => ({ stack: label(stack), step })));
  if (failed.length === 0) return [];
  return ['## Failures', '', ...failed.flatMap(({ stack, step }) => [`### ${stack}: ${step.step}`, '', '```', step.detail ?? '', '```', '']), ''];
}

/** The plans that stopped at a plan-time account check, as they had to, with what they said. */
function accountCheckStops(result: RehearsalResult): string[] {
  const stops = [
    ...result.stacks.flatMap((stack) => stack.steps.filter((step) => step.ok && /must stop|stops at a quota/.test(step.step)).map((step) => ({ where: `${label(stack)}, ${step.step}`, detail: step.detail ?? '' }))),
    ...result.scenarios.flatMap((s) => s.steps.filter((step) => step.ok && /must stop/.test(step.step)).map((step) => ({ where: `${s.scenario.name}: ${step.step}`, detail: step.detail ?? '' }))),
  ];
  if (stops.length === 0) return [];
  return ['## Plan-time checks that stopped a plan, as expected', '', ...stops.flatMap((stop) => [`- ${stop.where}:`, '', `  > ${stop.detail}`, '']), ''];
}

function adaptationLines(stacks: readonly StackRehearsal[]): string[] {
  const lines = [...new Set(stacks.flatMap((stack) => stack.adaptations.map((a) => `- ${stack.name}: ${a.kind === 'dropped' ? 'dropped' : 'stand-ins for'} ${a.count} \`${a.type}\`: ${a.why}`)))];
  return lines.length > 0 ? lines : ['- nothing'];
}

function moveSection(result: RehearsalResult): string[] {
  const move = result.move;
  if (!move) return ['## Moving the baseline onto this version', '', 'Not reached.', ''];
  return [
    '## Moving the baseline onto this version',
    '',
    'In each stack whose configuration changed, as soon as it was deployed and the stacks it depends on were moved: `init -migrate-state -force-copy`, `plan`, plan-review of that plan, `apply` of it, and a re-plan that must be empty (CHANGELOG.md, Unreleased). plan-review must flag nothing.',
    '',
    '| stack | plan (add/change/destroy/replace) | steps |',
    '|---|---|---|',
    ...move.moved.map((stack) => {
      const review = move.reviews.find((candidate) => candidate.stack === stack);
      const counts = review ? `${review.counts.adds}/${review.counts.changes}/${review.counts.destroys}/${review.counts.replacements}` : '-';
      const steps = move.steps.filter((step) => step.step.startsWith(`${stack} `)).map((step) => `${step.step.slice(stack.length + 1)} ${step.seconds.toFixed(1)} s${step.ok ? '' : ' FAILED'}`);
      return `| ${stack} | ${counts} | ${steps.join(', ')} |`;
    }),
    '',
    `Flagged by plan-review: ${move.flagged.length === 0 ? 'nothing' : move.flagged.map((flag) => `\`${flag}\``).join(', ')}. ${move.ok ? 'As expected.' : `**Not as expected**${move.error ? `: ${move.error}` : ''}.`}`,
    ...move.steps.filter((step) => !step.ok).flatMap((step) => ['', `### ${step.step}`, '', '```', step.detail ?? '', '```']),
    '',
  ];
}

function scenarioSection(result: RehearsalResult): string[] {
  if (result.scenarios.length === 0) return ['## Changed configurations', '', 'Not run.', ''];
  return [
    `## Changed configurations, planned against the rehearsed state of \`${result.environments[0]?.name ?? ''}\``,
    '',
    'Each one is synthesized, every stack whose configuration changed is planned against the state the rehearsal applied, and `plan-review` reviews the real plans. The flags must be exactly the expected ones.',
    '',
    '| change | stacks planned | plan (add/change/destroy/replace) | flagged by plan-review | as expected |',
    '|---|---|---|---|---|',
    ...result.scenarios.map((s) => {
      const counts = s.reviews.map((review) => `${review.stack} ${review.counts.adds}/${review.counts.changes}/${review.counts.destroys}/${review.counts.replacements}`).join(', ');
      const flagged = s.flagged.length === 0 ? 'nothing' : s.flagged.map((flag) => `\`${flag}\``).join('<br>');
      return `| ${s.scenario.description} | ${s.planned.join(', ') || 'none'} | ${counts || '-'} | ${flagged} | ${s.ok ? 'yes' : `**NO**${s.error ? `: ${s.error}` : ''}`} |`;
    }),
    '',
    ...result.scenarios.flatMap((s) => failedSteps(s).flatMap((step) => [`${s.scenario.name}, ${step.step}, failed:`, '', '```', step.detail ?? '', '```', ''])),
  ];
}
