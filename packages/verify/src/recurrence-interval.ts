/**
 * How often a CockroachDB schedule runs, from its `recurrence` (the crontab string given at
 * `CREATE SCHEDULE`, in UTC): the longest time between two consecutive runs, in minutes. Understood:
 * the descriptors @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly, and standard
 * five-field expressions (minute hour day-of-month month day-of-week) with `*`, lists, ranges,
 * steps and month/day names; day-of-month and day-of-week both restricted means either matches,
 * as in cron. Anything else (seconds or year fields, L, W, #, ?) is not understood: undefined.
 */
export function recurrenceIntervalMinutes(recurrence: string): number | undefined {
  const text = recurrence.trim().toLowerCase();
  const descriptor = DESCRIPTORS[text];
  if (descriptor) return recurrenceIntervalMinutes(descriptor);
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const parsed = {
    minutes: parseField(minute, 0, 59),
    hours: parseField(hour, 0, 23),
    doms: parseField(dom, 1, 31),
    months: parseField(month, 1, 12, MONTHS),
    dows: sundayAsZero(parseField(dow, 0, 7, DAYS)),
  };
  if (!parsed.minutes || !parsed.hours || !parsed.doms || !parsed.months || !parsed.dows) return undefined;
  return longestGap({ ...parsed, domRestricted: dom !== '*', dowRestricted: dow !== '*' } as Schedule);
}

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Schedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly doms: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly dows: ReadonlySet<number>;
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
}

/** `*`, `a`, `a-b`, `*\/n`, `a-b/n`, `a/n`, comma lists; names where given (`jan`, `mon`). */
function parseField(field: string, min: number, max: number, names: readonly string[] = []): Set<number> | undefined {
  const values = new Set<number>();
  const value = (token: string): number | undefined => {
    const named = names.indexOf(token);
    if (named >= 0) return named + (min === 1 ? 1 : 0);
    return /^\d+$/.test(token) ? Number(token) : undefined;
  };
  for (const part of field.split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const [, range = '', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      const start = value(a);
      const end = b === undefined ? (stepText === undefined ? start : max) : value(b);
      if (start === undefined || end === undefined) return undefined;
      from = start;
      to = end;
    }
    if (step < 1 || from < min || to > max || from > to) return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Day of week 7 is Sunday, as 0 is. */
function sundayAsZero(days: Set<number> | undefined): Set<number> | undefined {
  if (days?.delete(7)) days.add(0);
  return days;
}

const MINUTE_MS = 60_000;

/** The longest gap between consecutive runs over two years (a leap year included), in minutes. */
function longestGap(schedule: Schedule): number | undefined {
  const start = Date.UTC(2024, 0, 1);
  const end = Date.UTC(2026, 0, 8);
  let previous: number | undefined;
  let longest = 0;
  for (let day = start; day < end; day += 1440 * MINUTE_MS) {
    const date = new Date(day);
    if (!schedule.months.has(date.getUTCMonth() + 1) || !dayMatches(schedule, date)) continue;
    for (const hour of [...schedule.hours].sort((a, b) => a - b)) {
      for (const minute of [...schedule.minutes].sort((a, b) => a - b)) {
        const run = day + (hour * 60 + minute) * MINUTE_MS;
        if (previous !== undefined) longest = Math.max(longest, (run - previous) / MINUTE_MS);
        previous = run;
      }
    }
  }
  return longest > 0 ? longest : undefined;
}

function dayMatches(schedule: Schedule, date: Date): boolean {
  const dom = schedule.doms.has(date.getUTCDate());
  const dow = schedule.dows.has(date.getUTCDay());
  if (schedule.domRestricted && schedule.dowRestricted) return dom || dow;
  return dom && dow;
}
