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

/** One line: `<env>: <Kind/name> <field>: <message>`. */
export function formatProblem(problem: Problem): string {
  return `${problem.env}: ${problem.resource} ${problem.field}: ${problem.message}`;
}

/** Thrown when an environment breaks a rule; carries every problem found, not just the first. */
export class EnvironmentError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'EnvironmentError';
  }
}
