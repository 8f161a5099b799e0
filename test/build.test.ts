/** scripts/bundle-patches.cjs (and prune-k8s.cjs): what the bundle changes in dependencies and generated code, held equal to the originals. */
import fc from 'fast-check';
import * as childProcess from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { inspect } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inlineResolvers, lateSpawnSync, lazyModuleSource, linearFilters, sortKeysInPlace } = require('../scripts/bundle-patches.cjs') as {
  inlineResolvers: (text: string) => string;
  sortKeysInPlace: (text: string) => string;
  lateSpawnSync: (text: string) => string;
  lazyModuleSource: (name: string) => string;
  linearFilters: (text: string) => string;
};

const root = path.resolve(__dirname, '..');
const QUADRATIC = 'return Object.entries(o).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
/** The filter as `cdk8s import` generates it, and as the bundle has it. */
 
const [generated, bundled] = [QUADRATIC, linearFilters(QUADRATIC)].map((body) => new Function('o', body) as (o: object) => object);
const REMAINING = /Object\.entries\([\w.]+\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}\), \{\}\)/;

describe('the linear filter of undefined fields the bundle puts in generated imports', () => {
  test('is not the generated text, and gives what the generated reduce gives (property)', () => {
    expect(linearFilters(QUADRATIC)).not.toContain('reduce');
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '0', '10', '1.5', 'toString'));
    const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 2 }));
    fc.assert(fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), (entries) => {
      const input: Record<string, unknown> = {};
      for (const [k, v] of entries) Object.defineProperty(input, k, { value: v, enumerable: true, writable: true, configurable: true });
      const [a, b] = [generated(input), bundled(input)];
      expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
      expect(Object.entries(b)).toEqual(Object.entries(a));
      expect(b).not.toBe(input);
    }), { numRuns: 2000 });
  });

  test.each([
    ...fs.readdirSync(path.join(root, 'imports')).filter((f) => f.endsWith('.ts')).map((f) => path.join('imports', f)),
    'node_modules/cdk8s-plus-28/lib/imports/k8s.js',
  ])('%s: every such filter is replaced', (file) => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    expect(text).toMatch(REMAINING);
    expect(linearFilters(text)).not.toMatch(REMAINING);
  });

  test('text without the filter is left as it is', () => {
    const text = 'export const x = Object.entries(y).reduce((a, b) => a, {});';
    expect(linearFilters(text)).toBe(text);
  });
});

// Node's own loader and cache: jest gives tests a registry of its own, which would hand back the same copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NodeModule = require('node:module') as {
  Module: new (id: string) => { filename: string; paths: string[]; loaded: boolean; exports: Record<string, any>; _compile(text: string, file: string): void };
  _cache: Record<string, unknown>;
  _load(request: string, parent: null, isMain: boolean): any;
  _nodeModulePaths(dir: string): string[];
};

/** `text` compiled by Node as if it were `file`; put in Node's cache first with `cached`, where requires of the file find it. */
function compileAsFile(file: string, text: string, cached = false): Record<string, any> {
  const module_ = new NodeModule.Module(file);
  module_.filename = file;
  module_.paths = NodeModule._nodeModulePaths(path.dirname(file));
  if (cached) NodeModule._cache[file] = module_;
  module_._compile(text, file);
  module_.loaded = true;
  return module_.exports;
}

/** The require a bundled module is given (the stand-ins below load through it). */
const requireModule = createRequire(__filename);

describe('the stand-in the bundle gives node_modules for crypto and child_process', () => {
  /** The stand-in module's exports, and whether it has loaded the real module yet. */
  function standIn(name: string) {
    let loads = 0;
    const module_ = { exports: {} as Record<string | symbol, unknown> };
    const require_ = (id: string) => { loads += 1; return requireModule(id); };
    new Function('module', 'require', lazyModuleSource(name))(module_, require_);
    return { exports: module_.exports, loads: () => loads };
  }

  test.each(['crypto', 'child_process'])('%s: nothing is loaded until it is used; then it is the real module, loaded once', (name) => {
    const lazy = standIn(name);
    expect(lazy.loads()).toBe(0);
    // What TypeScript's __importStar and __importDefault ask first: the stand-in itself is the namespace.
    expect(lazy.exports.__esModule).toBe(true);
    expect(lazy.loads()).toBe(0);
    const real = requireModule(`node:${name}`);
    expect(Reflect.ownKeys(lazy.exports)).toEqual(Reflect.ownKeys(real));
    for (const key of Reflect.ownKeys(real)) {
      expect(lazy.exports[key]).toBe(real[key]);
      expect(key in lazy.exports).toBe(true);
      expect(Object.getOwnPropertyDescriptor(lazy.exports, key)?.value).toBe(Object.getOwnPropertyDescriptor(real, key)?.value);
    }
    expect('no such export' in lazy.exports).toBe(false);
    expect(Object.getPrototypeOf(lazy.exports)).toBe(Object.getPrototypeOf(real));
    expect(lazy.exports.default).toBe(real);
    expect(lazy.loads()).toBe(1);
  });

  test('a call through it works as on the module itself', () => {
    const crypto = standIn('crypto').exports as unknown as typeof import('node:crypto');
    expect(crypto.createHash('sha256').update('x').digest('hex')).toBe(nodeCrypto.createHash('sha256').update('x').digest('hex'));
    expect({ ...crypto }).toEqual({ ...requireModule('node:crypto') });
  });
});

describe("cdk8s' _child_process in the bundle", () => {
  const file = path.join(root, 'node_modules', 'cdk8s', 'lib', '_child_process.js');

  test('reads spawnSync when it is used, and gives the real one', () => {
    const text = fs.readFileSync(file, 'utf8');
    const late = lateSpawnSync(text);
    expect(late).not.toBe(text);
    let loads = 0;
    const lazy = { exports: {} as Record<string, unknown> };
    new Function('module', 'require', lazyModuleSource('child_process'))(lazy, (id: string) => { loads += 1; return requireModule(id); });
    const module_ = { exports: {} as { _child_process: { spawnSync: unknown } } };
    new Function('exports', 'require', 'module', late)(module_.exports, (id: string) => (id === 'child_process' ? lazy.exports : requireModule(id)), module_);
    expect(loads).toBe(0);
    expect(module_.exports._child_process.spawnSync).toBe(childProcess.spawnSync);
    expect(loads).toBe(1);
  });
});

describe("cdk8s' resolve in the bundle, with the built-in resolvers inlined", () => {
  const cdk8sDir = path.join(root, 'node_modules', 'cdk8s');
  const resolveFile = path.join(cdk8sDir, 'lib', 'resolve.js');
  const forgetCdk8s = () => {
    for (const key of Object.keys(NodeModule._cache)) if (key.startsWith(cdk8sDir + path.sep)) delete NodeModule._cache[key];
  };

  const utilFile = path.join(cdk8sDir, 'lib', '_util.js');
  /** Puts `file`, changed by `patch`, in Node's cache, where cdk8s' own requires find it. */
  const preload = (file: string, patch: (text: string) => string) => compileAsFile(file, patch(fs.readFileSync(file, 'utf8')), true);

  /** A fresh copy of cdk8s, its lib/resolve.js and lib/_util.js patched as the bundle has them, or as shipped. */
  function cdk8sCopy(patched: boolean) {
    forgetCdk8s();
    if (patched) {
      preload(utilFile, sortKeysInPlace);
      preload(resolveFile, inlineResolvers);
    }
    return {
      cdk8s: NodeModule._load(path.join(cdk8sDir, 'lib', 'index.js'), null, false),
      resolveModule: NodeModule._load(resolveFile, null, false),
      util: NodeModule._load(utilFile, null, false),
    };
  }

  type Copy = ReturnType<typeof cdk8sCopy>;
  /**
   * Node's Object, not the test's: jest runs tests in a realm of their own, and cdk8s tells plain data by
   * `value.constructor === Object`, so the test's objects would not be plain data to it.
   */
  const MainObject: ObjectConstructor = NodeModule._load('node:util', null, false).constructor;
  /** A value as a recipe, built in each copy with that copy's classes. */
  type Recipe =
    | { leaf: unknown }
    | { list: Recipe[] }
    | { map: Array<[string, Recipe]> }
    | { lazy: Recipe }
    | { token: Recipe }
    | { union: number | string }
    | { instance: true };

  class NotPlain { public readonly x = 1; }

  function build(recipe: Recipe, copy: Copy): unknown {
    if ('leaf' in recipe) return recipe.leaf;
    if ('list' in recipe) return recipe.list.map((r) => build(r, copy));
    if ('map' in recipe) return MainObject.fromEntries(recipe.map.map(([k, r]) => [k, build(r, copy)]));
    if ('lazy' in recipe) return copy.cdk8s.Lazy.any({ produce: () => build(recipe.lazy, copy) });
    if ('token' in recipe) return { resolve: () => build(recipe.token, copy) };
    if ('union' in recipe) return new (class Union { public constructor(public readonly value: number | string) {} })(recipe.union);
    return new NotPlain();
  }

  const { recipe } = fc.letrec<{ recipe: Recipe }>((tie) => ({
    recipe: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      fc.record({ leaf: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)) }),
      fc.record({ list: fc.array(tie('recipe'), { maxLength: 4 }) }),
      fc.record({ map: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'value', 'resolve', 'constructor', 'x'), tie('recipe')), { maxLength: 4 }) }),
      fc.record({ lazy: tie('recipe') }),
      fc.record({ token: tie('recipe') }),
      fc.record({ union: fc.oneof(fc.integer(), fc.string()) }),
      fc.constant({ instance: true as const })),
  }));

  /** What resolve gives for the recipe in a copy's app (with `resolvers`, if any): the value, or the error's text. */
  function resolved(copy: Copy, value: Recipe, resolvers?: (copy: Copy) => unknown[]) {
    const app = new copy.cdk8s.App({ outdir: '.', resolvers: resolvers?.(copy) });
    const object = new copy.cdk8s.ApiObject(new copy.cdk8s.Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    // Compared as text: an unresolved function or instance is another object in each copy, with the same shape.
    try {
      return inspect({ value: copy.resolveModule.resolve([], build(value, copy), object) }, { depth: null });
    } catch (error) {
      return inspect({ error: String(error) });
    }
  }

  afterAll(forgetCdk8s);

  test("the shipped function is the one patched, and the app's built-in resolvers are the patched module's own", () => {
    const text = fs.readFileSync(resolveFile, 'utf8');
    expect(inlineResolvers(text)).not.toBe(text);
    const patched = cdk8sCopy(true);
    expect(patched.resolveModule.resolve.toString()).toContain('builtInResolversOnly');
    const app = new patched.cdk8s.App({ outdir: '.' });
    expect(app.resolvers.map((r: object) => r.constructor)).toEqual([
      patched.resolveModule.LazyResolver, patched.resolveModule.ImplicitTokenResolver, patched.resolveModule.NumberStringUnionResolver,
    ]);
  });

  test('gives what cdk8s gives: lazy values, tokens, unions, plain data and other objects (property)', () => {
    const [shipped, patched] = [cdk8sCopy(false), cdk8sCopy(true)];
    fc.assert(fc.property(recipe, (value) => {
      expect(resolved(patched, value)).toEqual(resolved(shipped, value));
    }), { numRuns: 1500 });
  });

  test("the test's maps are plain data to cdk8s", () => {
    expect(MainObject).not.toBe(Object);
    const copy = cdk8sCopy(false);
    const object = new copy.cdk8s.ApiObject(new copy.cdk8s.Chart(new copy.cdk8s.App({ outdir: '.' }), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    const lazyInMap = build({ map: [['a', { lazy: { leaf: 1 } }]] }, copy);
    expect(copy.resolveModule.resolve([], lazyInMap, object)).toEqual({ a: 1 });
  });

  test("sanitizeValue sorts keys as cdk8s' own does: code-unit order, numeric-looking keys as text, long lists too (property)", () => {
    expect(sortKeysInPlace(fs.readFileSync(utilFile, 'utf8'))).not.toBe(fs.readFileSync(utilFile, 'utf8'));
    const [shipped, patched] = [cdk8sCopy(false), cdk8sCopy(true)];
    expect(patched.util.sanitizeValue.toString()).toContain('sortedKeys');
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('10', '9', '0', '01', 'a', 'B', 'é', '\u{1F600}', '_', ''));
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.constant(null),
        fc.array(fc.tuple(key, tie('tree')), { maxLength: 12 }).map((pairs) => MainObject.fromEntries(pairs)), fc.array(tie('tree'), { maxLength: 3 }),
        // More keys than the bundle sorts by insertion.
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 25, maxLength: 40 }).map((keys) => MainObject.fromEntries(keys.map((k) => [k, 1])))),
    }));
    fc.assert(fc.property(tree, fc.boolean(), (value, sortKeys) => {
      expect(JSON.stringify(patched.util.sanitizeValue(value, { sortKeys }))).toBe(JSON.stringify(shipped.util.sanitizeValue(value, { sortKeys })));
    }), { numRuns: 3000 });
  });

  test('an app with resolvers of its own is resolved as cdk8s does, key paths included', () => {
    const [shipped, patched] = [cdk8sCopy(false), cdk8sCopy(true)];
    const keyRecorder = (copy: Copy) => [{ resolve: (context: { key: string[]; value: unknown; replaceValue(v: unknown): void }) => {
      if (context.value === 'where') context.replaceValue(context.key.join('/'));
    } }, ...new copy.cdk8s.App({ outdir: '.' }).resolvers];
    const value: Recipe = { map: [['a', { list: [{ leaf: 'x' }, { map: [['b', { leaf: 'where' }]] }] }]] };
    expect(resolved(patched, value, keyRecorder)).toEqual(inspect({ value: { a: ['x', { b: 'a/1/b' }] } }, { depth: null }));
    expect(resolved(shipped, value, keyRecorder)).toEqual(resolved(patched, value, keyRecorder));
    fc.assert(fc.property(recipe, (v) => {
      expect(resolved(patched, v, keyRecorder)).toEqual(resolved(shipped, v, keyRecorder));
    }), { numRuns: 300 });
  });
});

describe("cdk8s-plus-28's Kubernetes classes in the bundle: only those constructs/k8s.ts exports and the L2 modules use", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { exportedNames, kubeReferences, l2Modules, pruneK8s, pruneRoots } = require('../scripts/prune-k8s.cjs') as {
    exportedNames: (text: string) => string[] | undefined;
    kubeReferences: (libDir: string, modules: readonly string[]) => string[];
    l2Modules: (text: string) => string[];
    pruneK8s: (ts: unknown, text: string, roots: readonly string[]) => string | undefined;
    pruneRoots: (root: string) => string[] | undefined;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript');
  const libDir = path.join(root, 'node_modules', 'cdk8s-plus-28', 'lib');
  const file = path.join(libDir, 'imports', 'k8s.js');
  const shippedText = fs.readFileSync(file, 'utf8');
  const l1 = exportedNames(fs.readFileSync(path.join(root, 'constructs', 'k8s.ts'), 'utf8'))!;
  const modules = l2Modules(fs.readFileSync(path.join(root, 'constructs', 'plus.ts'), 'utf8'));
  const roots = pruneRoots(root)!;

  const load = (text: string) => compileAsFile(file, text);

  test('constructs/k8s.ts names the classes the constructs use; constructs/plus.ts the L2 modules', () => {
    expect(l1).toEqual(['IntOrString', 'KubeDeployment', 'KubeIngress', 'KubeJob', 'KubeNetworkPolicy', 'KubePodDisruptionBudget', 'KubeService', 'Quantity']);
    expect(modules).toEqual(['config-map', 'namespace', 'network-policy', 'pod', 'service-account']);
  });

  test('the classes kept are those, and every one the L2 modules and the modules they require reference', () => {
    const l2 = kubeReferences(libDir, modules);
    // pod.js (required by network-policy.js) creates a KubePod, base.js (required by all) requires role.js.
    expect(kubeReferences(libDir, ['network-policy'])).toEqual(expect.arrayContaining(['IntOrString', 'KubeNamespace', 'KubeNetworkPolicy', 'KubePod', 'KubeRole']));
    expect(l2).toEqual(expect.arrayContaining(['KubeConfigMap', 'KubeNetworkPolicy', 'KubeServiceAccount']));
    expect(roots).toEqual([...new Set([...l1, ...l2])]);
    // What the modules use of the package is all in constructs/plus.ts and constructs/k8s.ts (else the pruning would not know it).
    const sources = ['constructs', 'lib', 'cli'].flatMap((dir) => fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)));
    const importers = sources.filter((f) => /from 'cdk8s-plus-28/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(importers.sort()).toEqual([path.join('constructs', 'k8s.ts'), path.join('constructs', 'plus.ts')]);
  });

  test('the pruned module exports each of them and what they call, each exactly as shipped', () => {
    const [shipped, pruned] = [load(shippedText), load(pruneK8s(ts, shippedText, roots)!)];
    const kept = Object.keys(pruned);
    expect(kept).toEqual(expect.arrayContaining(roots));
    expect(kept.length).toBeLessThan(Object.keys(shipped).length / 3);
    for (const name of kept) {
      expect(String(pruned[name])).toBe(String(shipped[name]));
      if (typeof shipped[name] === 'function') {
        const statics = (value: any) => Object.fromEntries(Reflect.ownKeys(value).filter((k) => !['prototype', 'length', 'name'].includes(String(k))).map((k) => [String(k), typeof value[k] === 'function' ? String(value[k]) : value[k]]));
        expect(statics(pruned[name])).toEqual(statics(shipped[name]));
      }
    }
    // What a kept class calls is kept: each toJson_ helper its source names.
    for (const name of kept) {
      for (const called of String(pruned[name]).match(/toJson_\w+/g) ?? []) expect(kept).toContain(called);
    }
  });

  test('a name the module does not define leaves it whole (undefined: the bundle takes the shipped text)', () => {
    expect(pruneK8s(ts, shippedText, [...roots, 'KubeNoSuchThing'])).toBeUndefined();
    expect(exportedNames('export * from "elsewhere";')).toBeUndefined();
  });
});
