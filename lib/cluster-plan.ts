/**
 * `plan --from cluster`: the environment's output compared with what a cluster runs. Reads each object
 * the repository's outputs name from the API server, and asks the server (server-side apply, `dryRun=All`,
 * nothing stored) what (a) the output Argo CD last synced and (b) this commit's output would make of it.
 * (a) against the live object is drift: what was changed behind the repository's back, which a sync puts
 * back. Live against (b) is the sync: the plan rules run against what runs, and the server's defaults
 * are on both sides, so a defaulted field never shows as a change.
 *
 * Async and free of command-line concerns: the caller connects the client and prints.
 */
import { ClusterClient, ClusterError } from './cluster-client';
import type { LocatedObject } from './manifests';
import { FieldChange, fieldChanges, Plan, planChanges, PlanRule } from './plan';
import { printable } from './printable';

/** The field manager Argo CD's application controller applies with. */
export const ARGOCD_FIELD_MANAGER = 'argocd-controller';

type Obj = Record<string, any>;

/** One object whose live state differs from the synced output. */
export interface DriftEntry {
  /** `Kind/name`. */
  readonly object: string;
  readonly stage: number;
  /** What differs: `before` is what the synced output puts there (server defaults included), `after` what the cluster has. */
  readonly fields: readonly FieldChange[];
  /** The object is in the synced output and not in the cluster (deleted by hand, or never synced): why. */
  readonly missing?: string;
  /** The synced output could not be compared: the server refuses it against what runs. */
  readonly unchecked?: string;
}

/** An object of the new output the API server refuses against what runs: the sync would fail on it. */
export interface Refusal {
  readonly object: string;
  readonly stage: number;
  readonly message: string;
}

export interface ClusterPlan extends Plan {
  readonly drift: readonly DriftEntry[];
  readonly refused: readonly Refusal[];
}

export interface ClusterPlanInput {
  /** The output Argo CD last synced (the repository's last synth); drift is measured against it. */
  readonly synced: readonly LocatedObject[];
  /** The output a sync would apply now (this commit's synth). */
  readonly next: readonly LocatedObject[];
  /** For an object without `metadata.namespace`: the environment's namespace. */
  readonly namespace: string;
  readonly allow?: readonly PlanRule[];
  /** The field manager of the dry runs: Argo CD's, so fields its last sync set and the output drops are dropped. @default ARGOCD_FIELD_MANAGER */
  readonly fieldManager?: string;
}

/** Metadata the API server or Argo CD writes, never the repository: not compared. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];
/** Argo CD's tracking marks and kubectl's client-side-apply record. */
const TRACKING_ANNOTATIONS = ['argocd.argoproj.io/tracking-id', 'kubectl.kubernetes.io/last-applied-configuration'];
/** Argo CD's default tracking label: compared only when the repository's object sets it itself. */
const TRACKING_LABEL = 'app.kubernetes.io/instance';

/**
 * An object as the cluster holds it, without what no repository writes: `status`, the server's metadata,
 * Argo CD's tracking annotations, and its tracking label unless `repo` (the repository's object) sets it.
 */
export function comparable(object: Obj, repo?: Obj): Obj {
  const copy = structuredClone(object);
  delete copy.status;
  const metadata = copy.metadata ?? {};
  for (const key of SERVER_METADATA) delete metadata[key];
  for (const key of TRACKING_ANNOTATIONS) delete metadata.annotations?.[key];
  if (repo?.metadata?.labels?.[TRACKING_LABEL] === undefined) delete metadata.labels?.[TRACKING_LABEL];
  for (const key of ['annotations', 'labels']) if (metadata[key] && Object.keys(metadata[key]).length === 0) delete metadata[key];
  return copy;
}

/** Argo CD hooks are deleted and created anew by every sync that runs them: their live object is a past run's. */
const isHook = (object: Obj) => object.metadata?.annotations?.['argocd.argoproj.io/hook'] !== undefined;

const label = (o: Obj) => `${o.kind}/${o.metadata?.name}`;
const keyOf = (o: Obj) => `${o.apiVersion?.split('/').slice(0, -1).join('/')}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** Stage of an object: its file's `000N-` prefix, else its sync wave (as lib/plan.ts counts it). */
function stageOf({ file, object }: LocatedObject): number {
  const prefix = /(?:^|[/\\])(\d{4})-[^/\\]*$/.exec(file)?.[1];
  return prefix ? Number(prefix) : Number(object.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
}

/** The object with the environment's namespace where it names none (the outputs name it; Phalanx renders it in). */
function placed(located: LocatedObject, namespace: string): LocatedObject {
  if (located.object.metadata?.namespace) return located;
  return { ...located, object: { ...located.object, metadata: { ...located.object.metadata, namespace } } };
}

/**
 * The new object laid over the live one, lists replaced whole: what an apply roughly makes of it. Used only
 * when the server refuses the dry run, so that the rules still compare the refused change with what runs.
 */
function overlay(live: unknown, next: unknown): unknown {
  if (live === null || next === null || typeof live !== 'object' || typeof next !== 'object' || Array.isArray(live) || Array.isArray(next)) return next;
  const merged: Obj = { ...(live as Obj) };
  for (const [key, value] of Object.entries(next as Obj)) merged[key] = overlay((live as Obj)[key], value);
  return merged;
}

const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What a client-side apply (`kubectl apply`, Argo CD's default) also does: every map key its last apply
 * wrote (`kubectl.kubernetes.io/last-applied-configuration`) that the new object leaves out is deleted.
 * A server-side apply dry run cannot see that: those fields belong to an Update manager, not to the
 * applier. Lists are left as the server merged them.
 */
export function withoutDropped(applied: Obj, lastApplied: Obj, next: Obj): Obj {
  const result = structuredClone(applied);
  const walk = (target: Obj, last: Obj, now: Obj) => {
    for (const [key, value] of Object.entries(last)) {
      if (!(key in target)) continue;
      if (!(key in now)) delete target[key];
      else if (isMap(value) && isMap(now[key]) && isMap(target[key])) walk(target[key], value, now[key]);
    }
  };
  walk(result, lastApplied, next);
  return result;
}

/** The live object's client-side apply record, when it has a readable one. */
function lastApplied(live: Obj): Obj | undefined {
  const text = live.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (typeof text !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isMap(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compares the outputs with the cluster. Every request is the client's (bounded by its timeout); a cluster
 * that cannot be used, or a user who may not read or dry-run an object, is a ClusterError.
 */
export async function planAgainstCluster(client: ClusterClient, input: ClusterPlanInput): Promise<ClusterPlan> {
  const fieldManager = input.fieldManager ?? ARGOCD_FIELD_MANAGER;
  const synced = new Map(input.synced.map((l) => placed(l, input.namespace)).map((l) => [keyOf(l.object), l]));
  const next = new Map(input.next.map((l) => placed(l, input.namespace)).map((l) => [keyOf(l.object), l]));
  const keys = [...new Set([...next.keys(), ...synced.keys()])];

  const dryRun = async (object: Obj): Promise<{ refused: string } | { applied: Obj }> => {
    const result = await client.apply(object, { dryRun: true, force: true, fieldManager });
    const rejection = result.rejection;
    if (rejection?.code === 403 || rejection?.code === 401) {
      throw new ClusterError(`the cluster refused a server-side dry run of ${label(object)} (${rejection.code} ${rejection.reason || 'Forbidden'}): ${printable(rejection.message, 200)}; ` +
        'plan --from cluster needs get and patch on every kind of the output');
    }
    return rejection ? { refused: printable(`${rejection.reason ? `${rejection.code} ${rejection.reason}` : `HTTP ${rejection.code}`}: ${rejection.message}`, 300) } : { applied: result.applied! };
  };

  const drift: DriftEntry[] = [];
  const refused: Refusal[] = [];
  const before: LocatedObject[] = [];
  const after: LocatedObject[] = [];
  for (const key of keys) {
    const s = synced.get(key);
    const n = next.get(key);
    const ref = (n ?? s)!;
    const served = await client.serves(ref.object);
    const live = served ? await client.read(ref.object) : undefined;
    const hook = isHook(ref.object);

    if (s && !hook) {
      const entry = { object: label(s.object), stage: stageOf(s) };
      if (!live) {
        drift.push({ ...entry, fields: [], missing: served ? 'not in the cluster' : `the cluster does not serve ${s.object.apiVersion} ${s.object.kind}` });
      } else {
        const result = await dryRun(s.object);
        if ('refused' in result) drift.push({ ...entry, fields: [], unchecked: `the API server refuses the synced output against what runs (${result.refused})` });
        else {
          const record = lastApplied(live);
          const synced = record ? withoutDropped(result.applied, record, s.object) : result.applied;
          const fields = fieldChanges(comparable(synced, s.object), comparable(live, s.object));
          if (fields.length > 0) drift.push({ ...entry, fields });
        }
      }
    }

    if (live) before.push({ file: ref.file, object: hook && s ? s.object : comparable(live, ref.object) });
    if (!n) continue;
    if (hook) {
      // Deleted and created anew from the manifest by the sync: the change is the manifest's.
      after.push(n);
      continue;
    }
    if (!served) {
      refused.push({ object: label(n.object), stage: stageOf(n), message: `the cluster does not serve ${n.object.apiVersion} ${n.object.kind}: install its CustomResourceDefinition first` });
      after.push(n);
      continue;
    }
    const result = await dryRun(n.object);
    if ('refused' in result) {
      refused.push({ object: label(n.object), stage: stageOf(n), message: result.refused });
      after.push({ file: n.file, object: live ? overlay(comparable(live, n.object), n.object) as Obj : n.object });
    } else {
      const record = live && lastApplied(live);
      after.push({ file: n.file, object: comparable(record ? withoutDropped(result.applied, record, n.object) : result.applied, n.object) });
    }
  }
  drift.sort((a, b) => a.stage - b.stage || a.object.localeCompare(b.object));
  refused.sort((a, b) => a.stage - b.stage || a.object.localeCompare(b.object));
  return { ...planChanges(before, after, input.allow ?? []), drift, refused };
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

/** The drift section: per object, each field as `repository says -> cluster has`, and the objects missing. */
export function formatDrift(env: string, synced: string, drift: readonly DriftEntry[]): string {
  if (drift.length === 0) return `drift: none (the cluster holds ${env}'s output of ${synced} as synced)\n`;
  const lines = [`drift: the cluster differs from ${env}'s output of ${synced} (a sync puts the repository's side back):`];
  for (const d of drift) {
    if (d.missing) lines.push(`  - ${d.object}: ${d.missing}`);
    else if (d.unchecked) lines.push(`  ? ${d.object}: ${d.unchecked}`);
    else {
      lines.push(`  ~ ${d.object}`);
      for (const f of d.fields) lines.push(`      ${f.path}: repository ${show(f.before)}, cluster ${show(f.after)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The objects a sync would fail on. */
export function formatRefused(refused: readonly Refusal[]): string {
  if (refused.length === 0) return '';
  return `${['refused by the API server (the sync would fail on these):', ...refused.map((r) => `  REFUSED ${r.object}: ${r.message}`)].join('\n')}\n`;
}
