/** One reason an environment cannot be deployed. */
export interface Problem {
  /** Environment name. */
  readonly env: string;
  /** The object concerned, as `Kind/name`. */
  readonly resource: string;
  /** Path of the offending field in the environment file, e.g. `externalListener.brokers[2].ip`. */
  readonly field: string;
  /** What is wrong, and how to fix it. */
  readonly message: string;
}

/** Longest quotation of user input in a problem line. */
export const MAX_QUOTE = 100;

/**
 * A value as a problem line shows it: strings in quotes, anything else as JSON or its name (`NaN`),
 * and at most `max` characters of it, so a huge value cannot make a huge line.
 */
export function quote(value: unknown, max = MAX_QUOTE): string {
  const text = typeof value === 'string' ? value
    : typeof value === 'number' || typeof value === 'bigint' ? String(value)
    // JSON has no undefined, function or symbol: those are shown by name.
    : JSON.stringify(value) ?? String(value);
  const shown = text.length > max ? `${text.slice(0, max)}…(${text.length} characters)` : text;
  return typeof value === 'string' ? `'${shown}'` : shown;
}

/** Any single word longer than this in a problem line is cut, whichever rule wrote it. */
const MAX_WORD = MAX_QUOTE + 40;

/** One line: `<env>: <Kind/name> <field>: <message>`. */
export function formatProblem(problem: Problem): string {
  const line = `${problem.env}: ${problem.resource} ${problem.field}: ${problem.message}`;
  return line.replace(new RegExp(`[^\\s]{${MAX_WORD + 1},}`, 'g'), (word) => `${word.slice(0, MAX_QUOTE)}…(${word.length} characters)`);
}

/** Thrown when an environment breaks a rule; carries every problem found, not just the first. */
export class EnvironmentError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'EnvironmentError';
  }
}
