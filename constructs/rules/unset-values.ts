import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/** How `npm run new-env` marks a value that must be set before the environment can synthesize. */
export const UNSET_MARK = 'SET ME: ';

/** Every value still marked by the scaffold: reported alone, before the shape (which would refuse it too). */
export function checkUnsetValues(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const name = typeof env?.name === 'string' ? env.name : '<unnamed environment>';
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string' && value.startsWith(UNSET_MARK)) {
      problems.push({ env: name, resource: 'Environment', field: at || '(environment)', message: `is not set yet: ${value.slice(UNSET_MARK.length)}` });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k);
    }
  };
  walk(env, '');
  return problems;
}
