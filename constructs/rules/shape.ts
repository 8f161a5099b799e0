import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Environment } from '../../environments/environment';
import type { Problem } from './problem';

/**
 * environments/environment.schema.json compiled ahead of time by ajv
 * (`npm run schema`): compiling it at run time would cost more than the rest of synth.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validator = require('../../environments/environment.validator.js') as ValidateFunction;

/**
 * The environment has the shape the `Environment` interface declares: the
 * compiler checks environment files, this checks values that did not pass
 * through it (JavaScript callers, casts, data built at run time). It runs
 * first, so the other rules and the constructs can trust the shape.
 */
export function checkShape(env: Environment): Problem[] {
  if (validator(env)) return [];
  const name = typeof (env as any)?.name === 'string' ? (env as any).name : '<unnamed environment>';
  return (validator.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => ({ env: name, resource: 'Environment', field: fieldPath(e), message: describe(e) }));
}

/** `/users/communityBrokers/0` → `users.communityBrokers[0]`; the root is `(environment)`. */
function fieldPath(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = error.keyword === 'required' ? [error.params.missingProperty] : error.keyword === 'additionalProperties' ? [error.params.additionalProperty] : [];
  const path = [...segments, ...extra].reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
  return path || '(environment)';
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required': return 'is missing; every environment must set it (see environments/environment.ts)';
    case 'additionalProperties': return 'is not a field of this object (misspelled?); the allowed fields are in environments/environment.ts';
    case 'enum': return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern': return `must match ${error.params.pattern} (a Kubernetes quantity such as '8', '500m', '32Gi' or '35Ti')`;
    case 'const': return `must be ${JSON.stringify(error.params.allowedValue)}`;
    default: return error.message ?? 'is invalid';
  }
}
