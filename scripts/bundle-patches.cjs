'use strict';
// What the bundle changes in the code it takes from dependencies (and in the generated imports), each for
// the speed of a synth and each held equal to the original by test/build.test.ts. scripts/build.cjs
// bundles with plugins(root). A patch whose original text is no longer there leaves the file as it is.
const fs = require('node:fs');
const { pruneK8s, pruneRoots } = require('./prune-k8s.cjs');

/**
 * cdk8s carries its own copy of `yaml`; when it is the very version the project uses,
 * bundle one copy instead of two (less to parse at every start).
 */
const oneYaml = (root) => ({
  name: 'one-yaml',
  setup(b) {
    const ours = require.resolve('yaml', { paths: [root] });
    const version = (p) => JSON.parse(fs.readFileSync(p, 'utf8')).version;
    b.onResolve({ filter: /^yaml$/ }, (args) => {
      const theirs = require.resolve('yaml/package.json', { paths: [args.resolveDir] });
      return version(theirs) === version(require.resolve('yaml/package.json', { paths: [root] })) ? { path: ours } : undefined;
    });
  },
});

/**
 * The code `cdk8s import` generates drops a converted object's (or map's) undefined fields with a reduce
 * that copies the object once per field: quadratic, and much of the garbage of a large synth. The
 * bundle gets the same result from one loop instead: same keys, same order (Object.keys is
 * Object.entries' order), a new object either way. The generated files stay as generated;
 * test/build.test.ts holds the loop equal to the reduce and checks that every occurrence is replaced.
 */
const QUADRATIC_FILTER = /Object\.entries\(([\w.]+)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}\), \{\}\)/g;
// (A key named __proto__ is defined, as the spread defines it, not assigned, which would set the prototype.)
const DEFINED_FIELDS_OF = `
function definedFieldsOf(o) {
  const out = {};
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = o[k];
    if (v === undefined) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
`;

/** A generated import's text with the quadratic filters replaced (unchanged when it has none). */
function linearFilters(text) {
  const replaced = text.replace(QUADRATIC_FILTER, 'definedFieldsOf($1)');
  return replaced === text ? text : `${replaced}${DEFINED_FIELDS_OF}`;
}

/**
 * cdk8s and constructs require `crypto` and `child_process` when they load, for functions a synth never
 * calls (hashed names, helm charts, YAML from a URL); loading those modules (and the streams, sockets
 * and ciphers they load in turn) is a few milliseconds of every start. Their requires get a stand-in that
 * loads the module on first use and forwards every property to it (test/build.test.ts holds it equal).
 * It says it is an ES module whose default export is the module, so TypeScript's `__importStar` and
 * `__importDefault` hand it back as it is instead of reading every export; and cdk8s' `_child_process`,
 * which copies `spawnSync` when it loads, reads it when it is used instead.
 */
const LAZY_BUILTINS = /^(node:)?(crypto|child_process)$/;
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: LAZY_BUILTINS }, (args) => (args.kind === 'require-call' && /[\\/]node_modules[\\/]/.test(args.importer)
      ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }
      : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: lazyModuleSource(args.path), loader: 'js' }));
  },
};

const EAGER_SPAWN_SYNC = 'spawnSync: child_process_1.spawnSync,';
/** cdk8s' `_child_process` with `spawnSync` read when used; the text as it is when cdk8s no longer has that line. */
function lateSpawnSync(text) {
  return text.replace(EAGER_SPAWN_SYNC, 'get spawnSync() { return child_process_1.spawnSync; },');
}

/** CommonJS exporting a stand-in for builtin `name` that requires it on first use. */
function lazyModuleSource(name) {
  return `let loaded;
const real = () => (loaded ??= require(${JSON.stringify(`node:${name}`)}));
module.exports = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? true : key === 'default' ? real() : real()[key]),
  has: (_, key) => key in real(),
  ownKeys: () => Reflect.ownKeys(real()),
  getOwnPropertyDescriptor: (_, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
    return descriptor && { ...descriptor, configurable: true };
  },
  getPrototypeOf: () => Reflect.getPrototypeOf(real()),
});
`;
}

/**
 * cdk8s resolves every value of every object through the app's resolvers, and for each value it looks up
 * the app from the object (a walk up the tree), builds a context object and copies the key path: at
 * N = 1 000 a seventh of all time, and much of the garbage. When the app has exactly cdk8s' three
 * built-in resolvers (ours does), the bundle runs their three checks inline instead, in the same order
 * and with the same replacements; they never read the key path, so it is not copied. Any other app goes
 * the original way. test/build.test.ts holds the two equal on random values, tokens and unions included.
 */
const RESOLVE_ORIGINAL = `function resolve(key, value, apiObject) {
    const resolvers = app_1.App.of(apiObject).resolvers;`;
const RESOLVE_FAST = `const BUILT_IN_RESOLVE = [LazyResolver.prototype.resolve, ImplicitTokenResolver.prototype.resolve, NumberStringUnionResolver.prototype.resolve];
function builtInResolversOnly(resolvers) {
    return resolvers.length === 3 && resolvers.every((r, i) => r.resolve === BUILT_IN_RESOLVE[i]);
}
function resolveBuiltIn(value, apiObject) {
    if (value == null) {
        return value;
    }
    if (value instanceof lazy_1.Lazy) {
        return resolve([], value.produce(), apiObject);
    }
    if (typeof (value.resolve) === 'function') {
        return resolve([], value.resolve(), apiObject);
    }
    if (value.constructor !== Object && NumberStringUnionResolver.TYPES.includes(typeof (value.value))) {
        return resolve([], { value: value.value }, apiObject);
    }
    if (Array.isArray(value)) {
        return value.map((x) => resolveBuiltIn(x, apiObject));
    }
    if (value.constructor == Object) {
        const result = {};
        const keys = Object.keys(value);
        for (let i = 0; i < keys.length; i++) {
            result[keys[i]] = resolveBuiltIn(value[keys[i]], apiObject);
        }
        return result;
    }
    return value;
}
function resolve(key, value, apiObject) {
    const resolvers = app_1.App.of(apiObject).resolvers;
    if (builtInResolversOnly(resolvers)) {
        return resolveBuiltIn(value, apiObject);
    }`;

/**
 * cdk8s sanitizes every object by copying it with its keys sorted: `Object.keys(obj).sort()` allocates
 * work arrays on every call, a sixth of all memory a large synth allocates. The bundle sorts the (fresh)
 * key list in place by insertion, comparing as the default sort does (UTF-16 code units), for the short
 * lists objects have; a long one still goes to Array.prototype.sort. It walks the list by index: a
 * for-of allocates an iterator result per key until V8 optimizes the function, and most of a synth runs
 * before it does. test/build.test.ts holds the two equal.
 */
const SORT_ORIGINAL = 'const keys = sortKeys ? Object.keys(obj).sort() : Object.keys(obj);\n    for (const key of keys) {\n';
const SORT_IN_PLACE = `function sortedKeys(keys) {
    if (keys.length > 24) {
        return keys.sort();
    }
    for (let i = 1; i < keys.length; i++) {
        const key = keys[i];
        let j = i - 1;
        while (j >= 0 && keys[j] > key) {
            keys[j + 1] = keys[j];
            j--;
        }
        keys[j + 1] = key;
    }
    return keys;
}
`;

/** cdk8s' lib/_util.js sorting keys without allocating; the text as it is when cdk8s changed it. */
function sortKeysInPlace(text) {
  return text.includes(SORT_ORIGINAL)
    ? `${text.replace(SORT_ORIGINAL, 'const keys = sortKeys ? sortedKeys(Object.keys(obj)) : Object.keys(obj);\n    for (let i = 0; i < keys.length; i++) {\n        const key = keys[i];\n')}\n${SORT_IN_PLACE}`
    : text;
}

/** cdk8s' lib/resolve.js with the built-in resolvers inlined; the text as it is when cdk8s changed it. */
function inlineResolvers(text) {
  return text.includes(RESOLVE_ORIGINAL) ? text.replace(RESOLVE_ORIGINAL, RESOLVE_FAST) : text;
}


/**
 * cdk8s-plus-28's Kubernetes classes, pruned to what constructs/k8s.ts exports and the L2 modules of
 * constructs/plus.ts reference (whole if either's shape is unexpected).
 */
function pruneToConstructs(text, root) {
  const roots = pruneRoots(root);
  return (roots && pruneK8s(require('typescript'), text, roots)) ?? text;
}

/** The text patches, by the file they apply to, in the order they apply (the pruning before the filters). */
const PATCHES = [
  { file: /[\\/]node_modules[\\/]cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js$/, patch: pruneToConstructs },
  // Our imports/ (TypeScript) and the Kubernetes classes cdk8s-plus ships (compiled JavaScript).
  { file: /[\\/]imports[\\/][^\\/]+\.(ts|js)$/, patch: linearFilters },
  { file: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/]_child_process\.js$/, patch: lateSpawnSync },
  { file: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/]_util\.js$/, patch: sortKeysInPlace },
  { file: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/]resolve\.js$/, patch: inlineResolvers },
];

/**
 * Every patch of a file in one onLoad: esbuild takes the first onLoad that answers for a file, so two
 * plugins patching the same file would silently apply only one.
 */
const patches = (root) => ({
  name: 'patches',
  setup(b) {
    b.onLoad({ filter: new RegExp(PATCHES.map((p) => p.file.source).join('|')) }, (args) => {
      const matching = PATCHES.filter((p) => p.file.test(args.path));
      if (matching.length === 0) return undefined;
      const text = matching.reduce((patched, p) => p.patch(patched, root), fs.readFileSync(args.path, 'utf8'));
      return { contents: text, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
});

/** The esbuild plugins of the bundles. */
const plugins = (root) => [oneYaml(root), lazyBuiltins, patches(root)];

module.exports = { inlineResolvers, lateSpawnSync, lazyModuleSource, linearFilters, plugins, sortKeysInPlace };
