import { isDeepStrictEqual } from 'node:util';
import { toYaml } from '../../constructs/yaml';
import { escapeForHelm } from './escape';

/**
 * One template for several instances of an object (the same object in every
 * environment, or every object of a kind that is a list in the values): what is
 * equal in all instances stays literal, what differs is a value slot. Generic:
 * nothing here knows a kind or a field.
 */
export type Skeleton =
  | { readonly t: 'literal'; readonly value: unknown }
  | { readonly t: 'map'; readonly entries: ReadonlyArray<{ readonly key: string; readonly node: Skeleton; readonly optional: boolean }> }
  | { readonly t: 'seq'; readonly items: ReadonlyArray<{ readonly key: string; readonly node: Skeleton }> }
  | { readonly t: 'slot' };

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The skeleton of `instances` (at least one). */
export function unify(instances: readonly unknown[]): Skeleton {
  const [first] = instances;
  if (instances.every((i) => isDeepStrictEqual(i, first))) return { t: 'literal', value: first };
  if (instances.every(isMapping)) {
    const keys = [...new Set(instances.flatMap((i) => Object.keys(i)))];
    const entries = keys.map((key) => {
      const present = instances.filter((i) => key in i);
      const optional = present.length < instances.length;
      return { key, optional, node: optional ? { t: 'slot' as const } : unify(present.map((i) => i[key])) };
    });
    // A mapping that could render with no key at all (every key optional) would print null, not {}: one value instead.
    if (entries.every((e) => e.optional)) return { t: 'slot' };
    return { t: 'map', entries };
  }
  if (instances.every(Array.isArray) && instances.every((i) => i.length === (first as unknown[]).length) && (first as unknown[]).length > 0) {
    const arrays = instances as unknown[][];
    const names = arrays[0].map((_, index) => {
      const name = isMapping(arrays[0][index]) ? arrays[0][index].name : undefined;
      return typeof name === 'string' && arrays.every((a) => isMapping(a[index]) && a[index].name === name) ? name : String(index);
    });
    // Values keys of the items: their common name, else their position (when names would repeat).
    const keys = new Set(names).size === names.length ? names : names.map((_, index) => String(index));
    return { t: 'seq', items: keys.map((key, index) => ({ key, node: unify(arrays.map((a) => a[index])) })) };
  }
  return { t: 'slot' };
}

/** The values an instance gives the skeleton's slots: a tree of mappings whose leaves are the slots' values. */
export function slotValues(node: Skeleton, instance: unknown): Record<string, unknown> | undefined {
  if (node.t === 'literal' || node.t === 'slot') return undefined;
  const out: Record<string, unknown> = {};
  if (node.t === 'map') {
    const record = instance as Record<string, unknown>;
    for (const { key, node: child, optional } of node.entries) {
      if (child.t === 'slot') {
        if (!optional || key in record) out[key] = record[key];
      } else if (child.t !== 'literal') {
        out[key] = slotValues(child, record[key]) ?? {};
      }
    }
  } else {
    const array = instance as unknown[];
    node.items.forEach(({ key, node: child }, index) => {
      if (child.t === 'slot') out[key] = array[index];
      else if (child.t !== 'literal') out[key] = slotValues(child, array[index]) ?? {};
    });
  }
  return out;
}

/** How a template reads the values of one instance: `index <root> "a" "b"`. */
const access = (root: string, path: readonly string[]) => (path.length === 0 ? root : `(index ${root} ${path.map((p) => JSON.stringify(p)).join(' ')})`);

/** `text` indented by `level` two-space steps, line by line. */
const indent = (text: string, level: number) => text.replace(/\n$/, '').split('\n').map((l) => `${'  '.repeat(level)}${l}`);

/**
 * A slot's expression. Values never hold template text, so a value made of
 * strings with placeholders (the namespace, the host) is passed through `tpl`
 * with the placeholders as Helm expressions (see `valueWithExpressions`).
 */
function slotExpression(expression: string, templated: boolean): string {
  return templated ? `{{ tpl (toJson ${expression}) $ }}` : `{{ toJson ${expression} }}`;
}

/**
 * The template text (lines) of a mapping skeleton at `level`, reading slots
 * from `root` at `path`. `isTemplated(path)` says whether the slot at that
 * path holds placeholders in some instance.
 */
export function templateLines(node: Skeleton, level: number, root: string, path: readonly string[], isTemplated: (path: readonly string[]) => boolean): string[] {
  if (node.t !== 'map') throw new Error('templateLines: an object is a mapping');
  const lines: string[] = [];
  for (const { key, node: child, optional } of node.entries) {
    const keyText = toYaml({ [key]: 0 }).replace(/: 0\n$/, '');
    const childPath = [...path, key];
    if (child.t === 'literal') lines.push(...indent(escapeForHelm(toYaml({ [key]: child.value })), level));
    else if (child.t === 'slot') {
      const line = `${'  '.repeat(level)}${keyText}: ${slotExpression(access(root, childPath), isTemplated(childPath))}`;
      if (optional) lines.push(`${'  '.repeat(level)}{{- if hasKey ${access(root, path)} ${JSON.stringify(key)} }}`, line, `${'  '.repeat(level)}{{- end }}`);
      else lines.push(line);
    } else {
      lines.push(`${'  '.repeat(level)}${keyText}:`, ...childLines(child, level + 1, root, childPath, isTemplated));
    }
  }
  return lines;
}

function childLines(node: Skeleton, level: number, root: string, path: readonly string[], isTemplated: (path: readonly string[]) => boolean): string[] {
  if (node.t === 'map') return templateLines(node, level, root, path, isTemplated);
  if (node.t !== 'seq') throw new Error('childLines: a literal or slot is written by its key');
  const lines: string[] = [];
  for (const { key, node: item } of node.items) {
    const itemPath = [...path, key];
    if (item.t === 'literal') lines.push(...indent(escapeForHelm(toYaml([item.value])), level));
    else if (item.t === 'slot') lines.push(`${'  '.repeat(level)}- ${slotExpression(access(root, itemPath), isTemplated(itemPath))}`);
    else lines.push(`${'  '.repeat(level)}-`, ...childLines(item, level + 1, root, itemPath, isTemplated));
  }
  return lines;
}

/** The paths of every slot of a skeleton (relative to it). */
export function slotPaths(node: Skeleton, path: readonly string[] = []): string[][] {
  if (node.t === 'slot') return [[...path]];
  if (node.t === 'map') return node.entries.flatMap((e) => slotPaths(e.node, [...path, e.key]));
  if (node.t === 'seq') return node.items.flatMap((i) => slotPaths(i.node, [...path, i.key]));
  return [];
}

/** Counts of literal leaves and slots: how much of the instances one template shares. */
export function sharedShare(node: Skeleton): { literal: number; slots: number } {
  const leaves = (value: unknown): number => (isMapping(value) ? Object.values(value).reduce<number>((n, v) => n + leaves(v), 0) : Array.isArray(value) ? value.reduce<number>((n, v) => n + leaves(v), 0) : 1);
  if (node.t === 'literal') return { literal: leaves(node.value), slots: 0 };
  if (node.t === 'slot') return { literal: 0, slots: 1 };
  const children = node.t === 'map' ? node.entries.map((e) => e.node) : node.items.map((i) => i.node);
  return children.map(sharedShare).reduce((a, b) => ({ literal: a.literal + b.literal, slots: a.slots + b.slots }), { literal: 0, slots: 0 });
}
