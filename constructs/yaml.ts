import { dump, DumpOptions } from 'js-yaml';
import { Schema } from 'yaml';
import { blockScalar, lineScalar } from './yaml-scalars';

/**
 * js-yaml, not the `yaml` package cdk8s uses: it writes the same documents four times faster, and it
 * quotes every string a YAML 1.1 reader (Argo CD, kubectl) could take for a boolean or number.
 */
const OPTIONS: DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"' };

/** The one reason to hand a document back to js-yaml whole: a value this writer does not lay out itself. */
class NotSimple extends Error {}

/**
 * One object as a YAML document, byte for byte what js-yaml's `dump` writes with OPTIONS (test/yaml.test.ts
 * holds the two equal on random documents), except that a string js-yaml leaves plain but a YAML 1.1 reader
 * would take for something else (`.`, `e0`, `1_000`, `0b1`; the `yaml` library's schemas decide) is double-quoted. The block layout of mappings and
 * sequences is written here, and scalars of printable ASCII (constructs/yaml-scalars.ts ports js-yaml's
 * choice of style), integers, booleans and null; any other scalar is js-yaml's own answer, asked once
 * per distinct value. A document with a value neither can write alone (a multi-line string with other
 * characters, whose block style depends on its depth; a long key; -0) is dumped by js-yaml whole.
 */
export function toYaml(object: unknown): string {
  try {
    return `${node(object, 0, true)}\n`;
  } catch (error) {
    if (error instanceof NotSimple) return dump(object, OPTIONS);
    throw error;
  }
}

const valueScalars = new Map<unknown, string>();
const keyScalars = new Map<string, string>();

function node(value: unknown, level: number, compact: boolean): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : sequence(value, level, compact);
  if (value !== null && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) throw new NotSimple();
    return mapping(value as Record<string, unknown>, level, compact);
  }
  // A block scalar's indentation depends on its depth, so it is not one text per value.
  if (typeof value === 'string' && value.includes('\n')) return blockScalar(value, level) ?? notSimple();
  return valueScalar(value);
}

function notSimple(): never {
  throw new NotSimple();
}

/** A new line and the indentation of a level (cached: every line of a manifest starts with one). */
const lineStarts: string[] = [];
const lineStart = (level: number) => (lineStarts[level] ??= `\n${'  '.repeat(level)}`);

/**
 * Whether node() wrote `value` as a block on the lines below (a non-empty list, or a mapping with a defined
 * value: node() writes an empty one `{}`), so its key takes no space after the colon. Decided from the
 * value and that one answer, not by reading the text's first character: that would flatten the text built
 * so far at every level.
 */
function isBlock(value: unknown, text: string): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && typeof value === 'object' && text !== '{}';
}

// Indexed loops: a for-of allocates an iterator result per element until V8 optimizes the function,
// and most of a synth runs before it does.
function mapping(object: Record<string, unknown>, level: number, compact: boolean): string {
  let result = '';
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = object[key];
    if (value === undefined) continue; // js-yaml leaves such pairs out
    const child = node(value, level + 1, false);
    result += `${!compact || result !== '' ? lineStart(level) : ''}${keyScalar(key)}${isBlock(value, child) ? ':' : ': '}${child}`;
  }
  return result || '{}';
}

/** Items are written compact (a mapping's first pair on the dash's line), so none starts on a line below. */
function sequence(items: readonly unknown[], level: number, compact: boolean): string {
  let result = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const child = node(item === undefined ? null : item, level + 1, true);
    result += `${!compact || result !== '' ? lineStart(level) : ''}- ${child}`;
  }
  return result;
}

/** The tests by which the `yaml` library reads a plain scalar as something other than a string, YAML 1.1 and 1.2. */
let implicitTags: RegExp[] | undefined;

/** Whether a reader of YAML 1.1 or 1.2 (by the `yaml` library's own schemas) takes this plain scalar for a non-string. */
function readsAsNonString(text: string): boolean {
  implicitTags ??= (['yaml-1.1', 'core'] as const).flatMap((schema) => new Schema({ schema }).tags)
    .filter((t) => t.default && t.test && t.tag !== 'tag:yaml.org,2002:str').map((t) => t.test as RegExp);
  return implicitTags.some((test) => test.test(text));
}

/**
 * Strings js-yaml always writes plain, unless a schema reads them as something else: a letter, `_` or `/`
 * first, then only letters, digits and `_./-` (no indicator, space, `:` or `#`), and short enough to be a
 * plain key. Most names and labels of a manifest are such; for them no js-yaml call is needed
 * (test/yaml.test.ts holds this equal to js-yaml's answer).
 */
const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./-]{0,1000}$/;

/**
 * `text`, double-quoted where js-yaml left the string plain but a YAML 1.1 reader takes it for something
 * else (js-yaml reads YAML 1.2: `.`, `1_0`, `0b1`, `e0` are numbers to a YAML 1.1 reader).
 */
const quotedIfAmbiguous = (value: unknown, text: string) => (typeof value === 'string' && text === value && readsAsNonString(value) ? `"${value}"` : text);

/** A scalar as js-yaml writes it as a mapping value or sequence item (the same at any depth when it is one line). */
function valueScalar(value: unknown): string {
  if (Object.is(value, -0)) throw new NotSimple(); // a Map key cannot tell it from 0
  let text = valueScalars.get(value);
  if (text === undefined) {
    text = quotedIfAmbiguous(value, typeof value === 'string' && PLAIN_SAFE.test(value) ? value : dumpedValue(value));
    valueScalars.set(value, text);
  }
  return text;
}

/** js-yaml's text for a one-line scalar value. */
function dumpedValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  // js-yaml writes an integer with toString(10) (-0 never gets here: see valueScalar).
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  const own = typeof value === 'string' && !value.includes('\n') ? lineScalar(value, false) : undefined;
  if (own !== undefined) return own;
  if (!(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null)) throw new NotSimple();
  if (typeof value === 'string' && /[\n\r]/.test(value)) throw new NotSimple();
  const pair = dump({ k: value }, OPTIONS);
  if (!pair.startsWith('k: ') || pair.indexOf('\n') !== pair.length - 1) throw new NotSimple();
  return pair.slice(3, -1);
}

/** A mapping key as js-yaml writes it. */
function keyScalar(key: string): string {
  let text = keyScalars.get(key);
  if (text === undefined) {
    text = quotedIfAmbiguous(key, PLAIN_SAFE.test(key) ? key : dumpedKey(key));
    keyScalars.set(key, text);
  }
  return text;
}

/** js-yaml's text for a one-line mapping key. */
function dumpedKey(key: string): string {
  if (/[\n\r]/.test(key)) throw new NotSimple();
  const own = lineScalar(key, true);
  if (own !== undefined) return own;
  const pair = dump({ [key]: 0 }, OPTIONS);
  if (!pair.endsWith(': 0\n') || pair.startsWith('?') || pair.indexOf('\n') !== pair.length - 1) throw new NotSimple();
  return pair.slice(0, -4);
}
