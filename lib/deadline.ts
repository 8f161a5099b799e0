/** How long a command waits for one server by default: Vault, a Kubernetes API server. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

/** Thrown when a server gave no (complete) answer in time. */
export class DeadlineError extends Error {}

/**
 * The promise's outcome, or DeadlineError(`message`) once `ms` passed: no server can make a command wait
 * longer. The timer never keeps the process alive and is cleared when the promise settles first.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(message)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * `--timeout <seconds>`: a positive number of seconds (fractions allowed), or the reason it is not one.
 * Undefined gives the default.
 */
export function parseTimeout(value: string | undefined): { ms: number } | { error: string } {
  if (value === undefined) return { ms: DEFAULT_TIMEOUT_SECONDS * 1000 };
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0) || seconds > 3600) return { error: `--timeout takes seconds, a number above 0 and at most 3600 (got '${value.slice(0, 40)}')` };
  return { ms: Math.round(seconds * 1000) };
}
