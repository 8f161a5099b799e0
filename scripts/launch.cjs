'use strict';
// Runs a program of this project as the code in front of you says: `node scripts/launch.cjs main|cli [args]`.
// Before it runs build/<name>.bundle.js it checks build/manifest.json: every file the bundles were built from
// must still have the SHA-256 recorded there (an unchanged stat — size, times and inode — stands in for
// rehashing a file; a file changed too recently to trust its times is hashed). Anything else rebuilds first
// (scripts/build.cjs: type check, bundle; one line says so on a terminal), and a tree that does not compile is reported
// and nothing runs. When only environment files changed, each is compiled alone instead (scripts/environment-fast.cjs).
// V8's code cache is named by the bundle's SHA-256, so it is only ever used with the very bundle it came from.
// synth replays what an earlier run of the same program with the same arguments wrote, where that is all a run
// could do (scripts/synth-cache.cjs says when).
// For the benchmark's phase times only: reading the clock loads perf_hooks, which a synth does not need.
if (process.env.ALERT_STREAM_TIMINGS) globalThis[Symbol.for('alert-stream.loader-start')] = performance.now();
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const MANIFEST = path.join(BUILD, 'manifest.json');
const RACY_NS = 2_000_000_000n;

/** The manifest, when every file it lists (and every source folder's listing) is as it was built from; else undefined. */
function freshManifest() {
  const state = manifestState();
  return state && state.stale.length === 0 ? state.manifest : undefined;
}

/**
 * The manifest and the environment files (`environments/<name>.ts`) whose content is no longer the one it
 * records, when nothing else changed: every other file as recorded, every source folder's listing the same.
 * Undefined when anything else changed (or there is no manifest for this Node).
 */
function manifestState() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.node !== process.version) return undefined;
  let refreshed = false;
  const stale = [];
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  for (const [file, entry] of Object.entries(manifest.files)) {
    let stat;
    try {
      stat = fs.statSync(path.join(ROOT, file), { bigint: true });
    } catch {
      return undefined;
    }
    const key = `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`;
    if (entry.stat === key) continue;
    const hash = require('node:crypto').createHash('sha256').update(fs.readFileSync(path.join(ROOT, file))).digest('hex');
    if (hash !== entry.sha256) {
      // An environment file the bundles load as a module of its own (or that module, changed) may be
      // recompiled alone.
      const environment = /^(?:environments\/([^/]+)\.ts|build\/env\/([^/]+)\.js)$/.exec(file);
      const name = environment?.[1] ?? environment?.[2];
      if (name !== undefined && manifest.environments?.[name]?.module === `build/env/${name}.js`) {
        if (!stale.includes(`environments/${name}.ts`)) stale.push(`environments/${name}.ts`);
        continue;
      }
      return undefined;
    }
    // Same content, new times (a checkout, a touch): remember them, unless they are too recent to trust.
    const settled = nowNs - stat.mtimeNs >= RACY_NS && nowNs - stat.ctimeNs >= RACY_NS;
    entry.stat = settled ? key : null;
    refreshed = refreshed || settled;
  }
  for (const [dir, names] of Object.entries(manifest.dirs)) {
    let now;
    try {
      now = fs.readdirSync(path.join(ROOT, dir)).filter((f) => /\.(ts|js|cjs|json)$/.test(f)).sort();
    } catch {
      return undefined;
    }
    if (now.join('\n') !== names.join('\n')) return undefined;
  }
  if (refreshed) {
    try {
      const temp = `${MANIFEST}.${process.pid}.tmp`;
      fs.writeFileSync(temp, `${JSON.stringify(manifest, null, 1)}\n`);
      fs.renameSync(temp, MANIFEST);
    } catch {
      // A read-only build folder only costs the hashing next time.
    }
  }
  return { manifest, stale };
}

/**
 * The manifest to run with: the recorded one when nothing changed; when only environment files changed,
 * the one scripts/environment-fast.cjs returns after compiling them alone (undefined when it cannot decide
 * them, and then the full build runs).
 */
function currentManifest() {
  const state = manifestState();
  if (state === undefined) return undefined;
  if (state.stale.length === 0) return state.manifest;
  return require('./environment-fast.cjs').refresh(state.manifest, state.stale);
}

/**
 * The text of build/<name>.bundle.js, read through one descriptor and checked to be the bundle whose
 * SHA-256 the manifest records (its stat as recorded, or else its hash); undefined when the file is
 * another one by now (a build elsewhere replaced it after the manifest was read).
 */
function verifiedBundle(name, manifest) {
  const file = `build/${name}.bundle.js`;
  const fd = fs.openSync(path.join(ROOT, file), 'r');
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    const data = fs.readFileSync(fd);
    const same = manifest.files[file]?.stat === `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`
      || require('node:crypto').createHash('sha256').update(data).digest('hex') === manifest.bundles[name];
    return same ? data.toString('utf8') : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs the bundle in this process, with the code cache made for exactly this bundle (named by its
 * SHA-256, so no other source, not even one of the same length, is ever run with it). False when the
 * bundle on disk is no longer the manifest's.
 */
function runBundle(name, manifest) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const bundle = path.join(BUILD, `${name}.bundle.js`);
  const source = verifiedBundle(name, manifest);
  if (source === undefined) return false;
  const cacheFile = path.join(BUILD, `${name}.${manifest.bundles[name]}.${process.version}.cache`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache holds every function the run compiled, not just the top level.
    process.once('exit', () => {
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, cacheFile);
      } catch {
        // A read-only build folder only costs the compile time.
      }
    });
  }
  const module_ = { exports: {}, filename: bundle, id: bundle };
  script.runInThisContext()(module_.exports, Module.createRequire(bundle), module_, bundle, BUILD);
  return true;
}

const SYNTH_CACHE = path.join(BUILD, 'synth-cache');

/**
 * Readies the synth cache (scripts/synth-cache.cjs) for a run of the program `manifest` records: the run's key, and
 * the hook main.ts hands what it wrote to. Undefined when the cache is off.
 */
function startSynthRun(manifest) {
  const cache = require('./synth-cache.cjs');
  if (!cache.enabled()) return undefined;
  const run = { key: cache.cacheKey(manifest, process.argv.slice(2)), result: undefined };
  globalThis[Symbol.for('alert-stream.synth-record')] = (result) => {
    run.result = result;
  };
  return run;
}

/** Replays the cache's entry for the run when one applies: true once its output is written and printed. */
function replaySynth(run) {
  const stdout = run && require('./synth-cache.cjs').replay(SYNTH_CACHE, run.key);
  if (stdout === undefined) return false;
  writeOut(stdout);
  return true;
}

/** Records what the run wrote, when it succeeded and handed it over. */
function recordSynth(run) {
  if (run?.result === undefined || (process.exitCode ?? 0) !== 0) return;
  require('./synth-cache.cjs').record(SYNTH_CACHE, run.key, run.result);
}

/** Whether part of stdout went to Node's stream (the descriptor would block), which the process must wait for. */
let stdoutStreamed = false;

/**
 * Writes to stdout's descriptor (as synth does); a reader that has gone ends the program quietly, and a stdout that
 * cannot be written is said in one line (the output folders are written by then), exit 1.
 */
function writeOut(text) {
  const bytes = Buffer.from(text);
  let offset = 0;
  try {
    while (offset < bytes.length) offset += fs.writeSync(1, bytes, offset);
  } catch (error) {
    if (error.code === 'EPIPE') process.exit(0);
    if (error.code !== 'EAGAIN') {
      process.stderr.write(`synth: the output is written, but standard output cannot be (${error.code ?? error.message})\n`);
      process.exit(1);
    }
    stdoutStreamed = true;
    process.stdout.write(bytes.subarray(offset));
  }
}

/** Whether the program ends when its main function returns (the cli's `secrets --check` awaits a Vault server). */
function synchronous(name) {
  return name === 'main';
}

function main() {
  const name = process.argv[2];
  if (name !== 'main' && name !== 'cli') {
    process.stderr.write('usage: node scripts/launch.cjs main|cli [arguments]\n');
    process.exit(2);
  }
  // The program sees the arguments after the program name, as if it had been started directly.
  process.argv.splice(2, 1);
  // A reader that stops early (`| head`) is not an error of ours: stop quietly, as other tools do.
  // (synth writes to the descriptors directly and handles this itself; touching the streams costs time.)
  for (const stream of name === 'main' ? [] : [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const manifest = currentManifest();
  const synthRun = manifest && name === 'main' ? startSynthRun(manifest) : undefined;
  if (replaySynth(synthRun)) {
    // (Unless stdout would block and a stream still holds part of the text: then the process ends when it is written.)
    if (!stdoutStreamed) process.exit(0);
    return;
  }
  if (manifest && runBundle(name, manifest)) {
    recordSynth(synthRun);
    // Nothing is left to wait for once a synchronous program returns (writes to files, pipes and terminals
    // are synchronous on Linux); exiting now skips tearing down the heap, a tenth of a small run.
    if (process.platform === 'linux' && synchronous(name)) process.exit();
    return;
  }
  const { build, CompileError } = require('./build.cjs');
  const command = name === 'main' ? 'synth' : process.argv[2] ?? 'cli';
  // A person at a terminal is told why the first run after `npm ci` (or a change of the code) takes a while.
  if (process.stderr.isTTY) process.stderr.write(`${command}: building the program first (type check and bundle: up to a minute after npm ci or a change of the code)\n`);
  build().then((built) => {
    const builtRun = name === 'main' ? startSynthRun(built) : undefined;
    if (runBundle(name, built)) {
      recordSynth(builtRun);
      return;
    }
    process.stderr.write(`${command}: build/${name}.bundle.js was replaced as it started (another build ran at the same time); run the command again\n`);
    process.exitCode = 1;
  }, (error) => {
    if (error instanceof CompileError) {
      process.stderr.write(`${command}: the sources do not compile; nothing was written.\n${error.message}\n`);
    } else {
      process.stderr.write(`${command}: could not build the program: ${error.message}\n`);
    }
    process.exitCode = 1;
  });
}

module.exports = { currentManifest, freshManifest, manifestState, verifiedBundle };

if (require.main === module) main();
