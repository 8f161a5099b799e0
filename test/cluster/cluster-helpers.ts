import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { formatFinding } from '../../cli/validate';
import type { Environment } from '../../environments';
import { ApplyResult, ClusterClient } from '../../lib/cluster-client';
import { synthesizedObjects } from '../../lib/plan';
import { resultFindings } from '../../lib/server-validate';
import type { LocatedObject } from '../../lib/validate';
import { SHARED_CRDS } from '../helpers';
import { isKnownWarning } from './known-warnings';

/** Applies every CustomResourceDefinition of ../shared/crds and waits until each is established and served. */
export async function installSharedCrds(client: ClusterClient): Promise<number> {
  const crds = fs.readdirSync(SHARED_CRDS).filter((f) => /\.ya?ml$/.test(f)).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(SHARED_CRDS, f), 'utf8')).map((d) => d.toJS()))
    .filter((doc) => doc?.kind === 'CustomResourceDefinition');
  for (const crd of crds) {
    const result = await client.apply(crd, { dryRun: false });
    if (result.rejection) throw new Error(`CRD ${crd.metadata.name}: ${result.rejection.message}`);
  }
  for (const crd of crds) {
    await waitFor(`CRD ${crd.metadata.name} established and served`, async () => {
      const live = await client.read(crd);
      const established = (live?.status?.conditions ?? []).some((c: Record<string, string>) => c.type === 'Established' && c.status === 'True');
      if (!established) return false;
      for (const version of crd.spec.versions.filter((v: Record<string, unknown>) => v.served)) {
        if (!(await client.serves({ apiVersion: `${crd.spec.group}/${version.name}`, kind: crd.spec.names.kind, metadata: { name: 'x' } }))) return false;
      }
      return true;
    });
  }
  return crds.length;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Creates a namespace (no controller-manager runs here to create any). */
export async function createNamespace(client: ClusterClient, name: string): Promise<void> {
  const result = await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false });
  if (result.rejection) throw new Error(`namespace ${name}: ${result.rejection.message}`);
}

/**
 * The environment's objects, in stage order, moved into `namespace`: every environment writes
 * to `sasquatch`, and each gets a namespace of its own here so that one does not update another's
 * objects (namespaces cannot be deleted without a controller-manager).
 */
export function environmentObjects(env: Environment, namespace: string): LocatedObject[] {
  return inNamespace(synthesizedObjects(env), namespace);
}

export function inNamespace(objects: readonly LocatedObject[], namespace: string): LocatedObject[] {
  return objects.map(({ file, object }) => ({ file, object: { ...object, metadata: { ...object.metadata, namespace } } }));
}

/** An applied object with what the server said of it. */
export interface Applied {
  readonly located: LocatedObject;
  readonly result: ApplyResult;
}

/** Applies each object in order (stopping at nothing) and returns every answer. */
export async function applyAll(client: ClusterClient, objects: readonly LocatedObject[], dryRun: boolean): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const located of objects) applied.push({ located, result: await client.apply(located.object, { dryRun }) });
  return applied;
}

/**
 * Every rejection and every warning but the known ones (known-warnings.ts), one line each in
 * the finding format (`file: Kind/name /path: message`).
 */
export function problems(env: string, applied: readonly Applied[]): string[] {
  return applied.flatMap(({ located, result }) => {
    const unknownWarnings = result.warnings.filter((w) => !isKnownWarning(located.object, w));
    return resultFindings(`${env}/${located.file}`, located.object, { ...result, warnings: unknownWarnings }).map(formatFinding);
  });
}

/** How many warnings were known ones. */
export function knownWarningCount(applied: readonly Applied[]): number {
  return applied.reduce((n, { located, result }) => n + result.warnings.filter((w) => isKnownWarning(located.object, w)).length, 0);
}
