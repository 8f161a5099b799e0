import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError, schedulingReport } from '../constructs/rules';
import type { Environment } from '../lib/environments';
import { renderManifest, synthesizeEnvironment } from '../lib/synthesize';
import { FileFinding, ManifestFile, validateManifests } from '../lib/validate';
import { Io, knownEnvironmentNames, parseCommand } from './command';
import { runServerValidation } from './validate-server';
import { DEFAULT_TIMEOUT_SECONDS, parseTimeout } from '../lib/deadline';
import { printable } from '../lib/printable';
import { InputError, loadCrdCatalog } from './crds';

const usage = (names: readonly string[]) => `Usage: npm run validate -- [--env <name>]... [--crds <dir>] [--dir <dist dir>]
       npm run validate -- --server [--kubeconfig <file>] [--context <name>] [--timeout <s>] [--env <name>]... [--dir <dist dir>]

Validates every object of each environment (all by default): custom resources
against the CRD schemas in --crds (default ../shared/crds; any folder of CRD
YAML, e.g. \`kubectl get crd -o yaml\` from a live cluster), core objects against
the Kubernetes schemas, and the rules that span objects. Without --dir the
environment is synthesized in memory; with it, <dir>/<env>/*.yaml is read.

With --server, every object is sent instead to a cluster's API server as a
server-side apply dry run (dryRun=All, fieldValidation=Strict), in stage order:
that cluster's CRD versions, CEL rules, admission webhooks and policies decide.
Nothing is changed; the user needs permission to patch the objects. The cluster
is the kubeconfig's current context (--kubeconfig, else $KUBECONFIG, else
~/.kube/config), or --context. Each request (credentials included) waits at
most --timeout seconds (default ${DEFAULT_TIMEOUT_SECONDS}).
Exit code: 0 valid, 1 findings, 2 could not check (usage, input, cluster unusable).

Environments: ${names.join(', ')}`;

/**
 * Runs `validate`; returns the exit code (0 valid, 1 findings, 2 usage, unreadable input or
 * unusable cluster). Offline it finishes at once; with --server it answers later.
 */
export function runValidate(argv: readonly string[], io: Io): number | Promise<number> {
  const parsed = parseCommand('validate', argv, io, {
    env: { type: 'string', multiple: true }, crds: { type: 'string' }, dir: { type: 'string' },
    server: { type: 'boolean' }, kubeconfig: { type: 'string' }, context: { type: 'string' }, timeout: { type: 'string' },
  }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  const requested = args.env ?? names;
  if (!knownEnvironmentNames('validate', requested, registry, io)) return 2;
  if (args.server) {
    if (args.crds) {
      io.stderr('validate: --crds is for offline validation; with --server the cluster\'s own CRDs decide\n');
      return 2;
    }
    const environments = requested.map((name) => registry[name]);
    const timeout = parseTimeout(args.timeout);
    if ('error' in timeout) {
      io.stderr(`validate: ${timeout.error}\n`);
      return 2;
    }
    return runServerValidation(environments, { dir: args.dir, kubeconfig: args.kubeconfig, context: args.context, timeoutMs: timeout.ms }, io);
  }
  if (args.kubeconfig || args.context || args.timeout) {
    io.stderr(`validate: --kubeconfig, --context and --timeout need --server\n\n${usage(names)}\n`);
    return 2;
  }
  const crdDir = args.crds ?? path.join('..', 'shared', 'crds');
  let catalog;
  try {
    catalog = loadCrdCatalog(crdDir);
  } catch (error) {
    io.stderr(`validate: ${(error as Error).message}\n`);
    return 2;
  }

  let errors = 0;
  for (const name of requested) {
    const env = registry[name];
    let files;
    try {
      files = environmentFiles(args.dir, env, io);
    } catch (error) {
      io.stderr(`validate: ${(error as Error).message}\n`);
      return 2;
    }
    if (!Array.isArray(files)) {
      errors += files.problems;
      continue;
    }
    const findings = validateManifests(env, files, catalog);
    for (const f of findings) io.stdout(`${formatFinding(f)}\n`);
    const envErrors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - envErrors;
    errors += envErrors;
    const where = args.dir ? path.join(args.dir, name) : 'synthesized in memory';
    io.stdout(`${name}: ${files.length} files (${where}), ${envErrors} errors, ${warnings} warnings; ` +
      `schemas: ${catalog.kinds.length} CRD versions from ${crdDir} and Kubernetes 1.33\n`);
    const { requiredNodes, explanation } = schedulingReport(env);
    io.stdout(`${name}: the Kafka pods need at least ${requiredNodes} schedulable node${requiredNodes === 1 ? '' : 's'} (${explanation})\n`);
  }
  return errors > 0 ? 1 : 0;
}

/** `file: Kind/name path: message` */
export function formatFinding(f: FileFinding): string {
  // Names, paths and messages come from the files and the server: printable, one line each.
  return printable(`${f.file}: ${f.severity === 'warning' ? 'warning: ' : ''}${f.object} ${f.path}: ${f.message}`, 1000);
}

/** The environment's stage files, synthesized in memory. */
/**
 * The manifest files of one environment: read from `<dir>/<env>`, or synthesized in memory. A broken
 * environment's problems are printed (one line each) and counted instead, since that is a finding;
 * anything else (an unreadable folder) is the usage error the caller reports and exits 2 with.
 */
export function environmentFiles(dir: string | undefined, env: Environment, io: Io): ManifestFile[] | { readonly problems: number } {
  try {
    return dir ? readEnvironmentFolder(dir, env.name) : synthesizedFiles(env);
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    io.stdout(`${error.message}\n`);
    return { problems: error.problems.length };
  }
}

function synthesizedFiles(env: Environment): ManifestFile[] {
  return synthesizeEnvironment(env).map((m) => ({ path: path.join(env.name, m.fileName), text: renderManifest(m) }));
}

/** The stage files of <dir>/<env>/, sorted (stage order); InputError when there are none. */
function readEnvironmentFolder(dir: string, name: string): ManifestFile[] {
  const folder = path.join(dir, name);
  let entries: string[];
  try {
    const named = fs.readdirSync(folder, { withFileTypes: true }).filter((f) => /\.ya?ml$/.test(f.name));
    const notFiles = named.filter((f) => !f.isFile());
    if (notFiles.length > 0) throw new InputError(`${path.join(folder, notFiles[0].name)} is not a file; a manifest folder holds only manifest files`);
    entries = named.map((f) => f.name).sort();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (run \`npm run synth -- --env ${name} --out ${dir}\` first)`);
  }
  if (entries.length === 0) throw new InputError(`${folder} has no manifests (run \`npm run synth -- --env ${name} --out ${dir}\` first)`);
  return entries.map((f) => ({ path: path.join(folder, f), text: fs.readFileSync(path.join(folder, f), 'utf8') }));
}
