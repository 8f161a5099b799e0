#!/usr/bin/env node
// npm run crds -- [--into <dir>] [--timeout <seconds>] [--origin <url>]
//
// Fetches every CRD that cdk8s.yaml names (its `crds:` list: upstream URL and SHA-256 pin) into <dir>
// (default: ~/.cache/alert-stream-deploy/crds, or $ALERT_STREAM_CRDS_CACHE), for a user with network
// access who has no ../shared/crds: `--into ../shared/crds` makes the folder `npm run import`, the tests
// and CI read. A file already there with the pinned hash is not fetched again. A file whose bytes do not
// match its pin is not written. Every request is bounded by --timeout (default 30 s).
/* global fetch, AbortSignal */
// --origin replaces the scheme and host of every URL (a mirror; the test serves ../shared/crds on 127.0.0.1).
// Exit 0: every file there and matching its pin; 1: a file did not match its pin; 2: could not run
// (usage, cdk8s.yaml unreadable, a request failed or timed out). One line per problem, never a stack trace.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const USAGE = 'Usage: npm run crds -- [--into <dir>] [--timeout <seconds>] [--origin <url>]';

/** The `crds:` entries of cdk8s.yaml: { import, file, url, sha256, ... }. Throws one line. */
export function pinnedCrds(root = ROOT) {
  const file = path.join(root, 'cdk8s.yaml');
  let config;
  try {
    config = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cdk8s.yaml: cannot be read: ${error.message.split('\n')[0]}`, { cause: error });
  }
  const crds = config?.crds;
  if (!Array.isArray(crds) || crds.length === 0) throw new Error('cdk8s.yaml: has no crds: list of pinned CRDs');
  for (const [i, entry] of crds.entries()) {
    for (const key of ['file', 'url', 'sha256']) {
      if (typeof entry?.[key] !== 'string' || entry[key] === '') throw new Error(`cdk8s.yaml: crds[${i}] has no ${key}`);
    }
    if (!/^[0-9a-f]{64}$/.test(entry.sha256)) throw new Error(`cdk8s.yaml: crds[${i}] (${entry.file}): sha256 is not 64 hex digits`);
    if (path.basename(entry.file) !== entry.file) throw new Error(`cdk8s.yaml: crds[${i}]: file ${entry.file} must be a bare file name`);
  }
  return crds;
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function main(argv) {
  let args;
  try {
    args = parseArgs({ args: argv, options: { into: { type: 'string' }, timeout: { type: 'string' }, origin: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (error) {
    process.stderr.write(`crds: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const timeout = Number(args.timeout ?? 30);
  if (!(timeout > 0)) {
    process.stderr.write(`crds: --timeout must be a positive number of seconds, not ${args.timeout}\n`);
    return 2;
  }
  const into = path.resolve(args.into ?? process.env.ALERT_STREAM_CRDS_CACHE ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'alert-stream-deploy', 'crds'));
  let crds;
  try {
    crds = pinnedCrds();
  } catch (error) {
    process.stderr.write(`crds: ${error.message}\n`);
    return 2;
  }
  fs.mkdirSync(into, { recursive: true });
  let fetched = 0;
  let mismatched = 0;
  let failed = 0;
  for (const crd of crds) {
    const target = path.join(into, crd.file);
    if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === crd.sha256) continue;
    const url = args.origin ? new URL(new URL(crd.url).pathname, args.origin).toString() : crd.url;
    let bytes;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeout * 1000), redirect: 'follow' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const reason = error.name === 'TimeoutError' ? `no answer within ${timeout} s` : (error.cause?.message ?? error.message);
      process.stderr.write(`crds: ${crd.file}: could not fetch ${url}: ${reason}\n`);
      failed++;
      continue;
    }
    const got = sha256(bytes);
    if (got !== crd.sha256) {
      process.stderr.write(`crds: ${crd.file}: ${url} has sha256 ${got}, but cdk8s.yaml pins ${crd.sha256}; not written\n`);
      mismatched++;
      continue;
    }
    const temp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, target);
    fetched++;
  }
  const ok = crds.length - mismatched - failed;
  process.stdout.write(`crds: ${ok} of ${crds.length} CRDs in ${into} match their pins (${fetched} fetched, ${ok - fetched} already there)\n`);
  if (mismatched > 0) return 1;
  return failed > 0 ? 2 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error) => {
    process.stderr.write(`crds: ${error.message}\n`);
    process.exitCode = 2;
  });
}
