import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Environment } from '../alert-stream-props';
import { Problem, quote } from './problem';

/**
 * generated/environment.schema.json compiled ahead of time by ajv (the build regenerates it
 * whenever the interface changes): compiling it at run time would cost more than the rest of synth.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validator = require('../../generated/environment.validator.js') as ValidateFunction;

/**
 * The environment has the shape the `Environment` interface declares, with the format or range of
 * every value (constructs/types.ts): the compiler checks the structure of environment files, this
 * checks every value, and values that did not pass through the compiler at all (JavaScript callers,
 * casts, JSON files). It runs first, so the other rules and the constructs can trust the shape.
 */
export function checkShape(env: Environment): Problem[] {
  if (validator(env)) return [];
  const name = typeof (env as any)?.name === 'string' ? quote((env as any).name, 60).slice(1, -1) : '<unnamed environment>';
  const seen = new Set<string>();
  // Stryker disable next-line ArrayDeclaration: ajv sets errors whenever validation fails
  return (validator.errors ?? [])
    // `if` repeats what its `then` says; a discriminated union reports its chosen branch only.
    .filter((e) => e.keyword !== 'if')
    .map((e) => ({ env: name, resource: 'Environment', field: fieldPath(e), message: describe(explained(e, env)) }))
    // One line per field: a value of the wrong type is not also out of range.
    .filter((p) => !seen.has(p.field) && seen.add(p.field));
}

/**
 * The error with the value it is about and the schema of that value: what ajv's `verbose` option would
 * add, looked up only when there are errors (the verbose validator is twice the size, loaded at every start).
 */
function explained(error: ErrorObject, env: unknown): ErrorObject {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schema = require('../../generated/environment.schema.json');
  // Stryker disable next-line OptionalChaining: an error's paths lead only through values and schemas that exist
  const step = (node: any, key: string) => node?.[key];
  const data = pointerKeys(error.instancePath).reduce(step, env);
  // The keyword's own schema is the last key: the parent schema is the one above it.
  const parentSchema = pointerKeys(error.schemaPath).slice(0, -1).reduce(step, schema);
  return { ...error, data, parentSchema };
}

/**
 * The keys of a JSON pointer, each as it is spelled: `/a/b~1c` (an instancePath) and `#/a/b~1c` (a schemaPath,
 * always `#/…`) are `a`, `b/c`. Free-form keys (pod labels such as `app.kubernetes.io/name`) may hold '/'
 * (escaped ~1) and '~' (escaped ~0); ~1 first, so `~01` stays the key `~1`.
 */
function pointerKeys(pointer: string): string[] {
  return pointer.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/users/communityBrokers/0` → `users.communityBrokers[0]`; the root is `(environment)`. */
function fieldPath(error: ErrorObject): string {
  const segments = pointerKeys(error.instancePath);
  const extra = error.keyword === 'required' ? [error.params.missingProperty] : error.keyword === 'additionalProperties' ? [error.params.additionalProperty] : [];
  const path = [...segments, ...extra].reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${quote(s, 60).slice(1, -1)}` : quote(s, 60).slice(1, -1)), '');
  return path || '(environment)';
}

/** What the value's type says it is, from its documentation: "a DNS host name: …". */
function expected(error: ErrorObject): string {
  // Stryker disable next-line OptionalChaining,StringLiteral: ajv (verbose) always gives the parent schema, and every checked type has a description (a test)
  const documented = String((error.parentSchema as { description?: string } | undefined)?.description ?? '');
  const description = documented.replace(/`/g, '').replace(/\.$/, '');
  // Stryker disable next-line StringLiteral: every checked type has a description (test/rules/shape.test.ts)
  return description ? description.charAt(0).toLowerCase() + description.slice(1) : 'valid';
}

function range(error: ErrorObject): string {
  const schema = (error.parentSchema ?? {}) as { minimum?: number; maximum?: number };
  // Stryker disable next-line StringLiteral: every integer of the schema has both bounds (test/rules/shape.test.ts)
  const [minimum, maximum] = [schema.minimum ?? '-∞', schema.maximum ?? '∞'];
  return `${minimum} to ${maximum}`;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required': return 'is missing; every environment must set it (see constructs/alert-stream-props.ts)';
    case 'additionalProperties': return 'is not a field of this object (misspelled?); the allowed fields are in constructs/alert-stream-props.ts';
    case 'enum': return `${quote(error.data)} is not allowed; must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    // Stryker disable next-line all: ajv reports const only inside an if, whose errors checkShape drops
    case 'const': return `must be ${JSON.stringify(error.params.allowedValue)}`;
    case 'pattern': return `${quote(error.data)} is not ${expected(error)}`;
    case 'minimum':
    case 'maximum':
      if (!Number.isFinite(error.data)) return `${quote(error.data)} is not a whole number ${range(error)} (${expected(error)})`;
      return `${quote(error.data)} is out of range: must be ${range(error)} (${expected(error)})`;
    case 'type':
      if (error.params.type === 'integer' && typeof error.data === 'number') {
        return `${quote(error.data)} is not a whole number ${range(error)} (${expected(error)})`;
      }
      if (typeof error.data === 'number' && !Number.isFinite(error.data)) return `${quote(error.data)} is not a number this field can hold`;
      return `must be ${error.params.type}, not ${quote(error.data)}`;
    // Stryker disable next-line all: the generated validator emits only the keywords above (test/rules/shape.test.ts lists them)
    default: return error.message ?? 'is invalid';
  }
}
