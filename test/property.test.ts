/**
 * Property: whatever an environment file says, synth either writes objects
 * that validate against the real schemas, or refuses with named problems.
 * It never crashes. fast-check generates random mutations of the real
 * environments: a field deleted, replaced by a value of another type, a
 * number nudged, a list grown, shrunk or emptied.
 */
import fc from 'fast-check';
import { EnvironmentError } from '../constructs/rules';
import { Environment, environments } from '../lib/environments';
import { validateObjects } from '../lib/schema-validation';
import { synthesizeEnvironment } from '../lib/synthesize';
import { allObjects, sharedCrdCatalog } from './helpers';

type Path = (string | number)[];

/** Every path into the object, containers included. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function get(root: any, path: Path): any {
  return path.reduce((node, key) => node?.[key], root);
}

type Mutation =
  | { kind: 'delete' }
  | { kind: 'replace'; value: unknown }
  | { kind: 'nudge'; by: number }
  | { kind: 'grow' }
  | { kind: 'shrink' }
  | { kind: 'empty' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('replace' as const), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', '0', '-1', '35T', 'x'.repeat(300), '134.79.23.299', '*')) }),
  fc.record({ kind: fc.constant('nudge' as const), by: fc.integer({ min: -50, max: 50 }) }),
  fc.constant({ kind: 'grow' as const }),
  fc.constant({ kind: 'shrink' as const }),
  fc.constant({ kind: 'empty' as const }),
);

function apply(env: Environment, path: Path, mutation: Mutation): Environment {
  const copy: any = structuredClone(env);
  if (path.length === 0) return copy;
  const parent = get(copy, path.slice(0, -1));
  // An earlier mutation may have removed or replaced the parent: nothing to change then.
  if (parent === null || typeof parent !== 'object') return copy;
  const key = path[path.length - 1];
  const current = parent[key];
  switch (mutation.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1); else delete parent[key];
      break;
    case 'replace': parent[key] = mutation.value; break;
    case 'nudge': parent[key] = typeof current === 'number' ? current + mutation.by : mutation.by; break;
    case 'grow': if (Array.isArray(current) && current.length > 0) current.push(structuredClone(current[0])); break;
    case 'shrink': if (Array.isArray(current)) current.pop(); break;
    case 'empty': parent[key] = Array.isArray(current) ? [] : typeof current === 'string' ? '' : {}; break;
  }
  return copy;
}

const bases = Object.values(environments);
const scenario = fc.integer({ min: 0, max: bases.length - 1 }).chain((i) => {
  const base = bases[i];
  const all = paths(base);
  return fc.tuple(fc.constant(base), fc.array(fc.tuple(fc.constantFrom(...all), mutationArb), { minLength: 1, maxLength: 3 }));
});

test('synth succeeds with valid objects or fails with named problems, never crashes', () => {
  const catalog = sharedCrdCatalog();
  fc.assert(fc.property(scenario, ([base, mutations]) => {
    const env = mutations.reduce((e, [path, m]) => apply(e, path, m), base);
    let objects;
    try {
      objects = allObjects(synthesizeEnvironment(env));
    } catch (error) {
      expect(error).toBeInstanceOf(EnvironmentError);
      for (const p of (error as EnvironmentError).problems) {
        expect(p.resource).toMatch(/\S/);
        expect(p.field).toMatch(/\S/);
        expect(p.message).toMatch(/\S/);
      }
      return;
    }
    expect(validateObjects(objects, catalog).filter((f) => f.severity === 'error')).toEqual([]);
  }), { numRuns: Number(process.env.FC_RUNS ?? 150), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261123 });
});
