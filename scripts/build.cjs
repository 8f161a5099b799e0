'use strict';
// Builds the programs into build/ when the launcher (scripts/launch.cjs) finds them stale:
//   1. generated/environment.schema.json and its compiled validator, from the Environment interface;
//   2. a type check of everything the programs import (the compiler's `file:line: message` on failure);
//   3. one esbuild bundle per program: main.ts -> build/main.bundle.js, cli/run.ts -> build/cli.bundle.js;
//   4. build/manifest.json, last: the SHA-256 of every file the bundles were built from, which is what the
//      launcher compares before it runs a bundle.
// `node scripts/build.cjs` builds now (`--force`: even when nothing changed).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { exportedNames, pruneK8s } = require('./prune-k8s.cjs');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const MANIFEST = path.join(BUILD, 'manifest.json');
const ENTRIES = { main: 'main.ts', cli: 'cli/run.ts' };
/** Read by every build, though no bundle imports them. */
const BUILD_INPUTS = ['scripts/build.cjs', 'scripts/prune-k8s.cjs', 'scripts/environment-schema.js', 'scripts/environment-index.js', 'tsconfig.json', 'package.json'];
/**
 * npm's record of exactly which packages are installed (name, version, integrity): the key for everything
 * the bundles take from node_modules, instead of hashing each of its files at every start.
 */
const INSTALLED_PACKAGES = 'node_modules/.package-lock.json';
/** A file changed this recently may change again within the file system's time resolution: hash it next time. */
const RACY_NS = 2_000_000_000n;

class CompileError extends Error {}

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const read = (file) => fs.readFileSync(path.join(ROOT, file));

/** `size:mtime:ctime:inode`, or null when the file changed too recently to trust its times. */
function statKey(file, nowNs) {
  const s = fs.statSync(path.join(ROOT, file), { bigint: true });
  if (nowNs - s.mtimeNs < RACY_NS || nowNs - s.ctimeNs < RACY_NS) return null;
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
}

/** The record of one input: its content hash, and its stat key as a shortcut for the next check. */
function record(file, nowNs) {
  return { sha256: sha256(read(file)), stat: statKey(file, nowNs) };
}

/** Source folders whose listing is part of the key: a file added there may be picked up by a build. */
function listing(dir) {
  return fs.readdirSync(path.join(ROOT, dir)).filter((f) => /\.(ts|js|cjs|json)$/.test(f)).sort();
}

/** Writes a file so that no reader ever sees half of it. */
function writeAtomic(file, data) {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

/**
 * Keeps generated/ in step with the Environment interface: the schema is regenerated when the files it is
 * generated from changed since the last check (their hashes are kept in build/), and the validator is
 * recompiled whenever it was not compiled from exactly the schema beside it (its header holds the schema's hash).
 */
function ensureGenerated(nowNs, log) {
  const { environmentSchema, environmentValidator, SCHEMA_FILE, VALIDATOR_FILE } = require('./environment-schema.js');
  const keyFile = path.join(BUILD, 'schema-inputs.json');
  let known;
  try {
    known = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
  } catch {
    known = undefined;
  }
  const unchanged = known && Object.entries(known.files).every(([f, h]) => fs.existsSync(path.join(ROOT, f)) && sha256(read(f)) === h)
    && fs.existsSync(path.join(ROOT, SCHEMA_FILE)) && sha256(read(SCHEMA_FILE)) === known.schema;
  if (!unchanged) {
    const { text, sourceFiles } = environmentSchema();
    if (!fs.existsSync(path.join(ROOT, SCHEMA_FILE)) || read(SCHEMA_FILE).toString('utf8') !== text) {
      fs.mkdirSync(path.dirname(path.join(ROOT, SCHEMA_FILE)), { recursive: true });
      writeAtomic(path.join(ROOT, SCHEMA_FILE), text);
      log(`build: regenerated ${SCHEMA_FILE} (the Environment interface changed; commit it)\n`);
    }
    fs.mkdirSync(BUILD, { recursive: true });
    writeAtomic(keyFile, JSON.stringify({ files: Object.fromEntries(sourceFiles.map((f) => [f, sha256(read(f))])), schema: sha256(read(SCHEMA_FILE)) }));
  }
  const { environmentIndex, EnvironmentFileError, INDEX_FILE } = require('./environment-index.js');
  let index;
  try {
    index = environmentIndex();
  } catch (error) {
    throw error instanceof EnvironmentFileError ? new CompileError(error.message) : error;
  }
  if (!fs.existsSync(path.join(ROOT, INDEX_FILE)) || read(INDEX_FILE).toString('utf8') !== index) {
    writeAtomic(path.join(ROOT, INDEX_FILE), index);
    log(`build: rewrote ${INDEX_FILE} from the files in environments/ (commit it)\n`);
  }
  const schemaText = read(SCHEMA_FILE).toString('utf8');
  // Compiled anew at every build and compared whole: the validator that runs is exactly the one this
  // schema compiles to, whatever was done to the file (its header names the schema it came from).
  const validatorPath = path.join(ROOT, VALIDATOR_FILE);
  const validator = environmentValidator(schemaText);
  if (!fs.existsSync(validatorPath) || fs.readFileSync(validatorPath, 'utf8') !== validator) {
    writeAtomic(validatorPath, validator);
    log(`build: recompiled ${VALIDATOR_FILE} from ${SCHEMA_FILE} (commit it)\n`);
  }
  void nowNs;
}

/** `file:line: message` for each compiler error. */
function formatDiagnostics(ts, diagnostics) {
  return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file) return `error TS${d.code}: ${message}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.relative(ROOT, d.file.fileName)}:${line + 1}: ${message}`;
  });
}

/**
 * Type-checks what the programs import. A failure is remembered with the hashes of the files checked, so an
 * unchanged broken tree reports the same errors without checking again.
 */
function typeCheck() {
  const failedFile = path.join(BUILD, 'typecheck-failed.json');
  try {
    const failed = JSON.parse(fs.readFileSync(failedFile, 'utf8'));
    if (Object.entries(failed.files).every(([f, h]) => fs.existsSync(path.join(ROOT, f)) && sha256(read(f)) === h)) throw new CompileError(failed.errors.join('\n'));
  } catch (error) {
    if (error instanceof CompileError) throw error;
  }
  let ts;
  try {
    ts = require('typescript');
  } catch {
    throw new CompileError('cannot type-check the sources: the TypeScript compiler is not installed (run `npm ci`)');
  }
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const options = { ...config.options, noEmit: true, incremental: true, tsBuildInfoFile: path.join(BUILD, 'typecheck.tsbuildinfo') };
  const program = ts.createIncrementalProgram({ rootNames: Object.values(ENTRIES).map((f) => path.join(ROOT, f)), options, host: ts.createIncrementalCompilerHost(options) });
  const errors = formatDiagnostics(ts, [
    ...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(),
    ...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics(),
  ]);
  if (errors.length > 0) {
    const files = program.getSourceFiles().map((f) => path.relative(ROOT, f.fileName)).filter((f) => !f.startsWith('..') && !f.startsWith('node_modules'));
    writeAtomic(failedFile, JSON.stringify({ files: Object.fromEntries(files.map((f) => [f, sha256(read(f))])), errors }));
    throw new CompileError(errors.join('\n'));
  }
  fs.rmSync(failedFile, { force: true });
  program.emit(); // with noEmit, this writes only the incremental state (build/typecheck.tsbuildinfo)
}

/**
 * cdk8s carries its own copy of `yaml`; when it is the very version the project uses,
 * bundle one copy instead of two (less to parse at every start).
 */
const oneYaml = {
  name: 'one-yaml',
  setup(b) {
    const ours = require.resolve('yaml', { paths: [ROOT] });
    const version = (p) => JSON.parse(fs.readFileSync(p, 'utf8')).version;
    b.onResolve({ filter: /^yaml$/ }, (args) => {
      const theirs = require.resolve('yaml/package.json', { paths: [args.resolveDir] });
      return version(theirs) === version(require.resolve('yaml/package.json', { paths: [ROOT] })) ? { path: ours } : undefined;
    });
  },
};

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

const linearImports = {
  name: 'linear-imports',
  setup(b) {
    // Our imports/ (TypeScript) and the Kubernetes classes cdk8s-plus ships (compiled JavaScript), those
    // pruned to what constructs/k8s.ts exports (scripts/prune-k8s.cjs; whole if its shape is unexpected).
    b.onLoad({ filter: /[\\/]imports[\\/][^\\/]+\.(ts|js)$/ }, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      if (/[\\/]node_modules[\\/]cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js$/.test(args.path)) {
        const roots = exportedNames(fs.readFileSync(path.join(ROOT, 'constructs', 'k8s.ts'), 'utf8'));
        text = (roots && pruneK8s(require('typescript'), text, roots)) ?? text;
      }
      return { contents: linearFilters(text), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

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
    b.onLoad({ filter: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/]_child_process\.js$/ }, (args) => ({
      contents: lateSpawnSync(fs.readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
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

const fastResolve = {
  name: 'fast-resolve',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/]_util\.js$/ }, (args) => ({
      contents: sortKeysInPlace(fs.readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]node_modules[\\/]cdk8s[\\/]lib[\\/]resolve\.js$/ }, (args) => ({
      contents: inlineResolvers(fs.readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/** Bundles the programs; returns the project files they were built from. */
async function bundle() {
  const esbuild = require('esbuild');
  const staging = fs.mkdtempSync(path.join(BUILD, '.staging-'));
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [`${name}.bundle`, file])),
      outdir: staging,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      sourcemap: 'linked',
      plugins: [oneYaml, linearImports, lazyBuiltins, fastResolve],
      // The docs command transpiles environment files with the TypeScript compiler, a dev dependency;
      // `validate --server` imports the Kubernetes client (an ES module, large) at run time, only then.
      external: ['typescript', '@kubernetes/client-node'],
      metafile: true,
      logLevel: 'silent',
    });
    for (const file of fs.readdirSync(staging)) fs.renameSync(path.join(staging, file), path.join(BUILD, file));
    // (Stand-ins of another namespace, such as lazy-builtin:crypto, are written by this file.)
    return Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.startsWith('lazy-builtin:'));
  } catch (error) {
    const lines = (error.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
    throw new CompileError(lines.length > 0 ? lines.join('\n') : error.message);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Builds everything and writes the manifest; throws CompileError (already formatted) when the sources do not compile. */
async function build(log = (text) => process.stderr.write(text)) {
  fs.mkdirSync(BUILD, { recursive: true });
  const nowNs = () => BigInt(Date.now()) * 1_000_000n;
  ensureGenerated(nowNs(), log);
  typeCheck();
  const inputs = await bundle();
  const outputs = Object.keys(ENTRIES).map((name) => `build/${name}.bundle.js`);
  const files = [...new Set([...inputs, ...BUILD_INPUTS, ...outputs, ...(fs.existsSync(path.join(ROOT, INSTALLED_PACKAGES)) ? [INSTALLED_PACKAGES] : [])])].sort();
  const time = nowNs();
  const manifest = {
    node: process.version,
    files: Object.fromEntries(files.map((f) => [f, record(f, time)])),
    dirs: Object.fromEntries([...new Set(inputs.map((f) => path.dirname(f)))].sort().map((d) => [d, listing(d)])),
    bundles: Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, sha256(read(`build/${name}.bundle.js`))])),
  };
  // Code caches of earlier bundles can never be used again (they are named by their bundle's whole SHA-256;
  // names of 16 hex digits are an earlier layout's).
  const keep = new Set(Object.values(manifest.bundles));
  for (const f of fs.readdirSync(BUILD)) {
    const m = /^[a-z]+\.([0-9a-f]{16}|[0-9a-f]{64})\.v[\d.]+\.cache$/.exec(f);
    if (m && !keep.has(m[1])) fs.rmSync(path.join(BUILD, f), { force: true });
  }
  writeAtomic(MANIFEST, `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

module.exports = { build, CompileError, ENTRIES, inlineResolvers, INSTALLED_PACKAGES, lateSpawnSync, sortKeysInPlace, lazyModuleSource, linearFilters, MANIFEST, ROOT, RACY_NS, sha256 };

if (require.main === module) {
  const force = process.argv.includes('--force');
  const launch = require('./launch.cjs');
  if (!force && launch.freshManifest()) process.exit(0);
  build().then(() => process.exit(0), (error) => {
    process.stderr.write(error instanceof CompileError ? `build: the sources do not compile; nothing was built.\n${error.message}\n` : `build: ${error.stack}\n`);
    process.exit(1);
  });
}
