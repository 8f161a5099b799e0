import type { LocatedObject } from './manifests';
import type { FieldChange, ObjectChange, Plan, UnsafeChange } from './plan';
import { compareQuantities } from './quantity';

/** The first line of the comment: the GitHub workflow finds its own comment by it and updates it. */
export const PLAN_COMMENT_MARKER = '<!-- alert-stream-deploy plan -->';

/** One environment's part of a pull request's plan. */
export interface EnvironmentPlan {
  readonly env: string;
  readonly plan: Plan;
  /** Objects before and after the change (for what an added object holds, and the reminders). */
  readonly before: readonly LocatedObject[];
  readonly after: readonly LocatedObject[];
  /** True when the base had no output of the environment: everything is added. */
  readonly newEnvironment?: boolean;
}

type Obj = Record<string, any>;

/** Field differences shown per object; the rest are counted. */
const FIELDS_SHOWN = 8;

/** Inline code that survives any value: backticks and line breaks cannot end it early. */
function code(value: string): string {
  const text = value.replace(/[\r\n]+/g, ' ');
  const ticks = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return ticks.length > 1 ? `${ticks} ${text} ${ticks}` : `\`${text}\``;
}

function value(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return code(text.length > 100 ? `${text.slice(0, 97)}...` : text);
}

const labelOf = (o: Obj) => `${o.kind}/${o.metadata?.name}`;
const find = (objects: readonly LocatedObject[], label: string) => objects.find((l) => labelOf(l.object) === label)?.object;

/** What an added object holds that a reviewer must see: a user's ACLs, a topic's partitions and configs. */
function addedDetails(o: Obj | undefined): string[] {
  if (!o) return [];
  if (o.kind === 'KafkaUser') {
    const auth = o.spec?.authentication?.type ?? 'none';
    const acls = (o.spec?.authorization?.acls ?? []) as Obj[];
    return [
      `authentication ${code(auth)}; ${acls.length} ACL${acls.length === 1 ? '' : 's'}:`,
      ...acls.map((a) => `- ${(a.operations ?? [a.operation]).join(', ')} on ${a.resource?.type} ${code(String(a.resource?.name ?? '*'))}` +
        ` (${a.resource?.patternType ?? 'literal'}${a.host && a.host !== '*' ? `, host ${a.host}` : ''}${a.type === 'deny' ? ', DENY' : ''})`),
    ];
  }
  if (o.kind === 'KafkaTopic') {
    const config = Object.entries((o.spec?.config ?? {}) as Obj);
    return [`${o.spec?.partitions} partitions, ${o.spec?.replicas} replicas${config.length ? `; ${config.map(([k, v]) => `${k}=${v}`).map(code).join(', ')}` : '; no config of its own'}`];
  }
  return [];
}

function changeLines(change: ObjectChange, ep: EnvironmentPlan): string[] {
  const sign = { added: 'added', changed: 'changed', removed: 'removed' }[change.action];
  const head = `- **${sign}** ${code(change.object)}`;
  if (change.action === 'added') return [head, ...addedDetails(find(ep.after, change.object)).map((l) => `  ${l}`)];
  if (change.action === 'removed') return [head];
  const shown = change.fields.slice(0, FIELDS_SHOWN).map((f) => `  - ${code(f.path)}: ${value(f.before)} → ${value(f.after)}`);
  const more = change.fields.length - shown.length;
  return [head, ...shown, ...(more > 0 ? [`  - … and ${more} more (\`npm run plan -- --env ${ep.env} --from <base>\`)`] : [])];
}

/** The IP pinned beside a host: Strimzi's `loadBalancerIP`, or MetalLB's annotation on the listener's Service. */
function addressBeside(o: Obj): string | undefined {
  const ip = o.loadBalancerIP ?? o.annotations?.['metallb.io/loadBalancerIPs'];
  return typeof ip === 'string' ? ip : undefined;
}

/** Every host named in an object (Ingress rules, listener hosts, alternative names) with the IP beside it, if any. */
function hosts(o: Obj, found = new Map<string, string | undefined>()): Map<string, string | undefined> {
  // A list is walked as a map from its indexes, and no index is a host key.
  if (o !== null && typeof o === 'object') {
    for (const [k, v] of Object.entries(o)) {
      if ((k === 'host' || k === 'advertisedHost') && typeof v === 'string') found.set(v, found.get(v) ?? addressBeside(o));
      else if ((k === 'alternativeNames' || k === 'hosts') && Array.isArray(v)) v.filter((h) => typeof h === 'string').forEach((h) => found.set(h, found.get(h)));
      else hosts(v, found);
    }
  }
  return found;
}

/** What the change needs outside the repository, one line each. */
export function reminders(ep: EnvironmentPlan): string[] {
  const lines: string[] = [];
  for (const change of ep.plan.changes.filter((c) => c.action === 'added')) {
    const o = find(ep.after, change.object);
    const ref = o?.kind === 'KafkaUser' ? o.spec?.authentication?.password?.valueFrom?.secretKeyRef : undefined;
    if (ref) {
      lines.push(`${ep.env}: ${code(change.object)} reads its password from Secret ${code(ref.name)}, key ${code(ref.key)}: put the key in Vault ` +
        `(\`npm run secrets -- --env ${ep.env}\` lists every key) and see it reach the Secret before the sync, or the user stays NotReady`);
    }
  }
  for (const change of ep.plan.changes.filter((c) => c.action === 'changed')) {
    const grown = change.fields.filter((f: FieldChange) => /(^|\.)size$/.test(f.path) && typeof f.before === 'string' && typeof f.after === 'string' &&
      compareQuantities(f.before, f.after) === -1);
    if (grown.length === 0) continue;
    const o = find(ep.after, change.object);
    const classes = [...new Set([o?.spec?.storage?.class, ...((o?.spec?.storage?.volumes ?? []) as Obj[]).map((v) => v.class)].filter(Boolean))];
    lines.push(`${ep.env}: ${code(change.object)} grows its volumes (${grown.map((f) => `${f.before} → ${f.after}`).join(', ')}): StorageClass ` +
      `${classes.length ? classes.map(code).join(', ') : '(the default)'} must allow volume expansion (\`npm run validate -- --server\` checks allowVolumeExpansion)`);
  }
  const known = new Set<string>();
  for (const l of ep.before) hosts(l.object).forEach((_, h) => known.add(h));
  const next = new Map<string, string | undefined>();
  for (const l of ep.after) hosts(l.object, next);
  for (const [host, ip] of [...next].filter(([h]) => !known.has(h)).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${ep.env}: new host ${code(host)}: a DNS record must point it at ${ip ? code(ip) : 'its address'} before clients use it`);
  }
  return lines;
}

function unsafeLine(ep: EnvironmentPlan, u: UnsafeChange): string[] {
  return [
    `- ${u.allowed ? '**allowed**' : '**REFUSED**'} ${code(u.rule)} in ${ep.env}, ${code(u.object)}: ${value(u.before)} → ${value(u.after)}`,
    `  ${u.procedure}`,
  ];
}

/**
 * The plan of a change as a pull-request comment a reviewer reads in a minute: unsafe findings first,
 * then what the change needs outside the repository, then per environment and stage what is added,
 * changed and removed.
 */
export function formatPlanMarkdown(plans: readonly EnvironmentPlan[], base: string, notes: readonly string[] = []): string {
  const unsafe = plans.flatMap((ep) => ep.plan.unsafe.map((u) => ({ ep, u })));
  const refused = unsafe.filter(({ u }) => !u.allowed).length;
  const lines = [
    PLAN_COMMENT_MARKER,
    `## Plan against ${code(base)}: ${refused > 0 ? `${refused} unsafe change${refused === 1 ? '' : 's'} refused` : 'safe'}`,
    '',
    plans.map((ep) => `${ep.env}: ${['added', 'changed', 'removed'].map((a) => `${ep.plan.changes.filter((c) => c.action === a).length} ${a}`).join(', ')}`).join(' · '),
  ];
  if (unsafe.length > 0) lines.push('', '### Unsafe changes', '', ...unsafe.flatMap(({ ep, u }) => unsafeLine(ep, u)));
  if (refused > 0) lines.push('', `Refused changes fail CI until the change declares each in \`plan-allowances.yaml\` (rule, environment, object, reason, procedure followed).`);
  const outside = plans.flatMap(reminders);
  if (outside.length > 0) lines.push('', '### Needed outside the repository', '', ...outside.map((l) => `- ${l}`));
  if (notes.length > 0) lines.push('', ...notes.map((n) => `> ${n}`));
  for (const ep of plans) {
    lines.push('', `### ${ep.env}`);
    if (ep.newEnvironment) lines.push('', 'A new environment: everything is added.');
    if (ep.plan.changes.length === 0) {
      lines.push('', 'No changes.');
      continue;
    }
    for (const stage of [...new Set(ep.plan.changes.map((c) => c.stage))]) {
      lines.push('', `Stage ${stage}:`, '');
      for (const change of ep.plan.changes.filter((c) => c.stage === stage)) lines.push(...changeLines(change, ep));
    }
  }
  return `${lines.join('\n')}\n`;
}
