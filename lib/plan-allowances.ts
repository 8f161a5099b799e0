import { parseDocument } from 'yaml';
import { Plan, PLAN_RULES, PlanRule } from './plan';

/** The one reviewed place where a change declares the unsafe plan findings it makes on purpose. */
export const ALLOWANCES_FILE = 'plan-allowances.yaml';

/** One declared unsafe change: which environment, which rule, optionally which object, why, and how. */
export interface Allowance {
  readonly env: string;
  readonly rule: PlanRule;
  /** `Kind/name` as plan prints it; absent: every finding of the rule in the environment. */
  readonly object?: string;
  readonly reason: string;
  /** The procedure followed (docs/operations.md, or the manual's section). */
  readonly procedure: string;
}

const FIELDS = ['env', 'rule', 'object', 'reason', 'procedure'] as const;

/**
 * The allowances of the file's text (undefined or empty: none). Problems are one line each, naming the
 * file, the entry and the field; `environments` are the names an entry may use.
 */
export function parseAllowances(text: string | undefined, file: string, environments: readonly string[]): { allowances: Allowance[]; problems: string[] } {
  if (text === undefined || text.trim() === '') return { allowances: [], problems: [] };
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { allowances: [], problems: [`${file}: not valid YAML (${doc.errors[0].message.split('\n')[0]})`] };
  // A parsed document is null when it holds nothing (only comments, or `null`), never undefined.
  const root = doc.toJS() as unknown;
  if (root === null) return { allowances: [], problems: [] };
  // A map of `allowances` only, holding a list or nothing: a string or a list has index keys, and no other
  // value has a key `allowances`.
  const list = (root as Record<string, unknown>).allowances;
  if (Object.keys(root as object).some((k) => k !== 'allowances') || !(list === null || Array.isArray(list))) {
    return { allowances: [], problems: [`${file}: must be a map with one key, allowances: a list of {env, rule, object, reason, procedure}`] };
  }
  const allowances: Allowance[] = [];
  const problems: string[] = [];
  (list ?? []).forEach((entry: unknown, i: number) => {
    const where = `${file}: allowances[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${where}: must be a map of env, rule, object, reason, procedure`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(e).filter((k) => !(FIELDS as readonly string[]).includes(k))) problems.push(`${where}.${key}: unknown field; fields: ${FIELDS.join(', ')}`);
    for (const key of FIELDS) {
      if (key === 'object' && e[key] === undefined) continue;
      if (typeof e[key] !== 'string' || (e[key] as string).trim() === '') problems.push(`${where}.${key}: required, a non-empty string`);
    }
    if (typeof e.env === 'string' && e.env.trim() !== '' && !environments.includes(e.env)) problems.push(`${where}.env: unknown environment '${e.env}'; known: ${environments.join(', ')}`);
    if (typeof e.rule === 'string' && e.rule.trim() !== '' && !(e.rule in PLAN_RULES)) problems.push(`${where}.rule: unknown rule '${e.rule}'; rules: ${Object.keys(PLAN_RULES).join(', ')}`);
    if (problems.length === before) allowances.push(e as unknown as Allowance);
  });
  return { allowances, problems };
}

const sameTarget = (a: Allowance, b: Allowance) => a.env === b.env && a.rule === b.rule && a.object === b.object;

/**
 * The allowances a change declares: those of its file that the base's file does not hold. One that the
 * base holds was consumed by the change that added it and allows nothing again.
 */
export function addedAllowances(head: readonly Allowance[], base: readonly Allowance[]): { added: Allowance[]; inert: Allowance[] } {
  return {
    added: head.filter((a) => !base.some((b) => sameTarget(a, b))),
    inert: head.filter((a) => base.some((b) => sameTarget(a, b))),
  };
}

/**
 * The plan of one environment with the findings the allowances accept marked allowed (`--allow` rules
 * as well), and the allowances of that environment that accept nothing: a declaration must name a
 * finding the change really makes.
 */
export function applyAllowances(env: string, plan: Plan, allowances: readonly Allowance[]): { plan: Plan; unused: Allowance[] } {
  const mine = allowances.filter((a) => a.env === env);
  const matches = (a: Allowance, u: Plan['unsafe'][number]) => a.rule === u.rule && (a.object === undefined || a.object === u.object);
  return {
    plan: { ...plan, unsafe: plan.unsafe.map((u) => (u.allowed || !mine.some((a) => matches(a, u)) ? u : { ...u, allowed: true })) },
    unused: mine.filter((a) => !plan.unsafe.some((u) => matches(a, u))),
  };
}

/** One line for an allowance: where, what. */
export const describeAllowance = (a: Allowance) => `${a.env}: ${a.rule}${a.object ? ` on ${a.object}` : ''}`;
