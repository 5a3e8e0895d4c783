import { received } from '../app/errors';

// Kubernetes parses CronJob schedules with robfig/cron's standard parser: five fields, or a
// macro. General cron libraries accept a sixth (seconds) field and other dialects that the
// API server would refuse, so the rule is stated here as the API server applies it.
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELDS: readonly { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Why `schedule` is no schedule Kubernetes accepts, or undefined when it is one. */
export function cronScheduleProblem(schedule: unknown): string | undefined {
  const expected = "expected five fields (minute hour day-of-month month day-of-week, such as '0 3 * * *') or a macro such as @daily";
  if (typeof schedule !== 'string') return `got ${received(schedule)}; ${expected}`;
  const trimmed = schedule.trim();
  if (trimmed.startsWith('@')) return MACROS.includes(trimmed) ? undefined : `got ${received(schedule)}, an unknown macro; ${expected}`;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `got ${received(schedule)}, ${fields.length} field${fields.length === 1 ? '' : 's'}; ${expected}`;
  for (const [i, field] of fields.entries()) {
    const spec = FIELDS[i];
    if (!field.split(',').every((part) => validPart(part, spec))) {
      return `got ${received(schedule)}: the ${spec.name} field ${received(field)} is not *, a value ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''}, a range or a step; ${expected}`;
    }
  }
  return undefined;
}

function validPart(part: string, spec: (typeof FIELDS)[number]): boolean {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
  // `?` stands for `*` in the day fields only.
  if (range === '*' || (range === '?' && spec.name.startsWith('day'))) return true;
  const [from, to, more] = range.split('-');
  if (more !== undefined) return false;
  const low = value(from, spec);
  const high = to === undefined ? low : value(to, spec);
  return low !== undefined && high !== undefined && low <= high;
}

function value(text: string, spec: (typeof FIELDS)[number]): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= spec.min && n <= spec.max ? n : undefined;
}
