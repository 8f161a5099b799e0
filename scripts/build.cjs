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
const { plugins } = require('./bundle-patches.cjs');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const MANIFEST = path.join(BUILD, 'manifest.json');
const ENTRIES = { main: 'main.ts', cli: 'cli/run.ts' };
/** The folder in build/ of the environment modules (one per environment file, apart from the bundles). */
const ENVIRONMENT_MODULES = 'env';
/** Read by every build, though no bundle imports them. */
const BUILD_INPUTS = ['scripts/build.cjs', 'scripts/environment-fast.cjs', 'scripts/bundle-patches.cjs', 'scripts/prune-k8s.cjs', 'scripts/environment-schema.js', 'scripts/environment-index.js', 'tsconfig.json', 'package.json'];
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
  const { currentEnvironmentSchema, environmentValidator, SCHEMA_FILE, VALIDATOR_FILE } = require('./environment-schema.js');
  // Generated again only when a file it is generated from, or the generator, changed (build/schema-inputs.json).
  const text = currentEnvironmentSchema();
  if (!fs.existsSync(path.join(ROOT, SCHEMA_FILE)) || read(SCHEMA_FILE).toString('utf8') !== text) {
    fs.mkdirSync(path.dirname(path.join(ROOT, SCHEMA_FILE)), { recursive: true });
    writeAtomic(path.join(ROOT, SCHEMA_FILE), text);
    log(`build: regenerated ${SCHEMA_FILE} (the Environment interface changed; commit it)\n`);
  }
  const { environmentEntries, environmentIndex, EnvironmentFileError, INDEX_FILE } = require('./environment-index.js');
  let index;
  let entries;
  try {
    entries = environmentEntries();
    index = environmentIndex(entries);
  } catch (error) {
    throw error instanceof EnvironmentFileError ? new CompileError(error.message) : error;
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
  // Written after the type check: a file with a type error is the compiler's message, not a registry change.
  const writeIndex = () => {
    if (!fs.existsSync(path.join(ROOT, INDEX_FILE)) || read(INDEX_FILE).toString('utf8') !== index) {
      writeAtomic(path.join(ROOT, INDEX_FILE), index);
      log(`build: rewrote ${INDEX_FILE} from the files in environments/ (commit it)\n`);
    }
  };
  return { writeIndex, entries };
}

/**
 * The bundles leave every environment file out: the registry's `require('../environments/<name>')` becomes
 * `require('./env/<name>.js')`, beside the bundle, a module of its own (written by writeEnvironmentModules),
 * so an edit of one environment file recompiles that file alone (scripts/environment-fast.cjs).
 */
const environmentsApart = {
  name: 'environments-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/environments\/[^/]+$/ }, (args) => (path.relative(ROOT, args.importer) === path.join('generated', 'environments.ts')
      ? { path: `./${ENVIRONMENT_MODULES}/${path.basename(args.path)}.js`, external: true }
      : undefined));
  },
};

/**
 * build/env/<name>.js for every environment the registry loads (data only), compiled by esbuild from the file
 * alone; returns what the manifest records of them (name -> exported constant and module).
 */
function writeEnvironmentModules(entries) {
  const { compileWithEsbuild } = require('./environment-fast.cjs');
  const dir = path.join(BUILD, ENVIRONMENT_MODULES);
  fs.mkdirSync(dir, { recursive: true });
  const recorded = {};
  for (const entry of entries.filter((e) => e.problem === undefined)) {
    const module = `build/${ENVIRONMENT_MODULES}/${entry.name}.js`;
    const text = read(entry.file);
    writeAtomic(path.join(ROOT, module), compileWithEsbuild(text.toString('utf8'), entry.file));
    // The hash of the text compiled, not of the file when the manifest is written: an edit in between is seen.
    recorded[entry.name] = { constant: entry.constant, module, source: sha256(text) };
  }
  for (const f of fs.readdirSync(dir)) if (!Object.values(recorded).some((r) => path.basename(r.module) === f)) fs.rmSync(path.join(dir, f), { force: true });
  return recorded;
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
  // Every environment file too, bundled or not: a type error in one is the compiler's `file:line: message`,
  // even where the registry leaves the file out for not being data only.
  const environmentFiles = listing('environments').filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, 'environments', f));
  const rootNames = [...Object.values(ENTRIES).map((f) => path.join(ROOT, f)), ...environmentFiles];
  const program = ts.createIncrementalProgram({ rootNames, options, host: ts.createIncrementalCompilerHost(options) });
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
      plugins: [environmentsApart, ...plugins(ROOT)],
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

/**
 * Removes the code caches of other bundles than `bundles` (name -> SHA-256): they can never be used again,
 * being named by their bundle's whole SHA-256 (names of 16 hex digits are an earlier layout's).
 */
function removeOtherCaches(bundles) {
  const keep = new Set(Object.values(bundles));
  for (const f of fs.readdirSync(BUILD)) {
    const m = /^[a-z]+\.([0-9a-f]{16}|[0-9a-f]{64})\.v[\d.]+\.cache$/.exec(f);
    if (m && !keep.has(m[1])) fs.rmSync(path.join(BUILD, f), { force: true });
  }
}

/** Builds everything and writes the manifest; throws CompileError (already formatted) when the sources do not compile. */
async function build(log = (text) => process.stderr.write(text)) {
  fs.mkdirSync(BUILD, { recursive: true });
  const nowNs = () => BigInt(Date.now()) * 1_000_000n;
  const { writeIndex, entries } = ensureGenerated(nowNs(), log);
  typeCheck();
  writeIndex();
  const inputs = await bundle();
  const environments = writeEnvironmentModules(entries);
  const outputs = [...Object.keys(ENTRIES).map((name) => `build/${name}.bundle.js`), ...Object.values(environments).map((e) => e.module)];
  // Every environment file, bundled or not: one left out of the bundle (not data only) is still an input
  // of the registry, whose recorded problem must follow the file's text.
  const environmentFiles = listing('environments').filter((f) => f.endsWith('.ts')).map((f) => `environments/${f}`);
  const files = [...new Set([...inputs, ...environmentFiles, ...BUILD_INPUTS, ...outputs, ...(fs.existsSync(path.join(ROOT, INSTALLED_PACKAGES)) ? [INSTALLED_PACKAGES] : [])])].sort();
  const time = nowNs();
  const manifest = {
    node: process.version,
    files: Object.fromEntries(files.map((f) => [f, record(f, time)])),
    environments: Object.fromEntries(Object.entries(environments).map(([name, { constant, module }]) => [name, { constant, module }])),
    dirs: Object.fromEntries([...new Set([...inputs, ...environmentFiles].map((f) => path.dirname(f)))].sort().map((d) => [d, listing(d)])),
    bundles: Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, sha256(read(`build/${name}.bundle.js`))])),
  };
  for (const [name, { source }] of Object.entries(environments)) {
    const file = `environments/${name}.ts`;
    if (manifest.files[file].sha256 !== source) manifest.files[file] = { sha256: source, stat: null };
  }
  removeOtherCaches(manifest.bundles);
  writeAtomic(MANIFEST, `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

module.exports = { build, CompileError, ENTRIES, INSTALLED_PACKAGES, MANIFEST, removeOtherCaches, ROOT, RACY_NS, sha256 };

if (require.main === module) {
  const force = process.argv.includes('--force');
  const launch = require('./launch.cjs');
  if (!force && launch.freshManifest()) process.exit(0);
  build().then(() => process.exit(0), (error) => {
    process.stderr.write(error instanceof CompileError ? `build: the sources do not compile; nothing was built.\n${error.message}\n` : `build: ${error.stack}\n`);
    process.exit(1);
  });
}
