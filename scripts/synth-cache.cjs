'use strict';
// The synth cache: what a successful `npm run synth` wrote, replayed when nothing it was built from has changed.
// A run of the same program (the bundle's and every environment module's SHA-256, from the launcher's verified
// manifest), with the same arguments, working directory, CDK8S_OUTDIR and Node, writes the same files: the entry
// is named by the SHA-256 of exactly those. It is replayed only where the run could not have done anything else:
// each folder it writes must be absent or already hold exactly those files (otherwise synth compares the new output
// with the earlier one, warns, or with --strict refuses, and only a real run can say what). Files a run read
// besides the program (`--environment-file`) are recorded by their SHA-256, and the entry applies only while each
// still has it. Runs that printed a warning or failed are never recorded. An entry carries the SHA-256 of its own
// content, so a damaged one is a miss. ALERT_STREAM_SYNTH_CACHE=off runs synth every time.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const FORMAT = 'alert-stream synth cache 2';
/** Entries kept: the newest, by time of writing (a few environments and output folders each). */
const KEEP = 24;

const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Whether the cache is in use for this process (not when timing phases or debugging: those want a real run). */
function enabled(env = process.env) {
  return env.ALERT_STREAM_SYNTH_CACHE !== 'off' && !env.ALERT_STREAM_TIMINGS && !env.ALERT_STREAM_DEBUG;
}

/**
 * The entry's name: the SHA-256 of everything a run's output depends on. The manifest's files are the sources and
 * modules the programs were built from (each by its recorded SHA-256, which the launcher has just checked), its
 * bundles and environment modules are the code that runs.
 */
function cacheKey(manifest, argv, { cwd = process.cwd(), env = process.env, node = process.version } = {}) {
  const files = Object.keys(manifest.files).sort().map((f) => [f, manifest.files[f].sha256]);
  return sha256(JSON.stringify([
    FORMAT, node, cwd, [...argv], env.CDK8S_OUTDIR ?? null,
    files, manifest.bundles, manifest.environments ?? null, manifest.dirs ?? null,
  ]));
}

const entryFile = (dir, key) => path.join(dir, `${key}.json`);

/** The recorded result for this key, checked against its own SHA-256; undefined when absent, damaged or another key's. */
function readEntry(dir, key) {
  let entry;
  try {
    entry = JSON.parse(fs.readFileSync(entryFile(dir, key), 'utf8'));
  } catch {
    return undefined;
  }
  const result = entry?.result;
  if (entry?.key !== key || typeof entry.sha256 !== 'string' || result === null || typeof result !== 'object') return undefined;
  if (sha256(JSON.stringify(result)) !== entry.sha256) return undefined;
  if (typeof result.outdir !== 'string' || typeof result.stdout !== 'string' || result.folders === null || typeof result.folders !== 'object') return undefined;
  if (result.inputs === null || typeof result.inputs !== 'object') return undefined;
  return result;
}

/** Whether every file the run read (path as given, relative to the working directory) still has the SHA-256 it had. */
function inputsUnchanged(inputs) {
  for (const [file, hash] of Object.entries(inputs)) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    if (sha256(text) !== hash) return false;
  }
  return true;
}

/** 'absent', 'same' (exactly these files, nothing else), or 'other' (anything else, an unreadable folder included). */
function folderState(folder, files) {
  let present;
  try {
    present = fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  } catch (error) {
    return error.code === 'ENOENT' ? 'absent' : 'other';
  }
  const names = Object.keys(files);
  if (present.length !== names.length) return 'other';
  try {
    for (const name of names) if (fs.readFileSync(path.join(folder, name), 'utf8') !== files[name]) return 'other';
  } catch {
    return 'other';
  }
  return 'same';
}

/**
 * Writes the recorded result as the run would have (each folder staged in full beside its target, then renamed in,
 * as cli/output.ts does) and returns its stdout text; undefined, with nothing written, when there is no usable entry
 * or an output folder holds anything but exactly the recorded files (then synth must run).
 */
function replay(dir, key) {
  const result = readEntry(dir, key);
  if (result === undefined || !inputsUnchanged(result.inputs)) return undefined;
  const { outdir, folders } = result;
  const toWrite = [];
  for (const name of Object.keys(folders)) {
    const state = folderState(path.join(outdir, name), folders[name]);
    if (state === 'other') return undefined;
    if (state === 'absent') toWrite.push(name);
  }
  const staged = [];
  try {
    fs.mkdirSync(outdir, { recursive: true });
    for (const name of toWrite) {
      const temp = path.join(outdir, `.${name}.tmp-${process.pid}`);
      if (fs.existsSync(temp)) fs.rmSync(temp, { recursive: true, force: true });
      fs.mkdirSync(temp);
      staged.push({ temp, target: path.join(outdir, name) });
      for (const [file, content] of Object.entries(folders[name])) {
        fs.mkdirSync(path.dirname(path.join(temp, file)), { recursive: true });
        fs.writeFileSync(path.join(temp, file), content);
      }
    }
    // The targets were absent a moment ago; one that appeared since (another run) makes this a miss, as it is.
    for (const { temp, target } of staged) fs.renameSync(temp, target);
  } catch {
    for (const { temp } of staged) fs.rmSync(temp, { recursive: true, force: true });
    return undefined;
  }
  return result.stdout;
}

/** Records a successful run's result under its key (written whole, then renamed), and keeps only the newest entries. */
function record(dir, key, result) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const plain = { outdir: result.outdir, stdout: result.stdout, folders: {}, inputs: {} };
    for (const [name, files] of result.folders) plain.folders[name] = Object.fromEntries(files);
    for (const [file, text] of result.inputs) plain.inputs[file] = sha256(text);
    const text = JSON.stringify({ key, sha256: sha256(JSON.stringify(plain)), result: plain });
    const temp = `${entryFile(dir, key)}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, entryFile(dir, key));
    const entries = fs.readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.json$/.test(f))
      .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { f } of entries.slice(KEEP)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // A read-only build folder only costs the next run its time.
  }
}

module.exports = { cacheKey, enabled, folderState, readEntry, record, replay, KEEP };
