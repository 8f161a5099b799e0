import { DEFAULT_SCHEMA } from 'js-yaml';

/**
 * How js-yaml 4 (dumper.js: writeScalar, chooseScalarStyle, blockHeader, indentString) writes a string,
 * with the options constructs/yaml.ts uses (no line width, double quotes, YAML 1.1 compatibility), for
 * the strings manifests hold: printable ASCII, and line feeds. Anything else is left to js-yaml
 * (undefined here). Calling js-yaml's `dump` for each distinct scalar was the largest part of writing a
 * small environment's YAML. test/yaml.test.ts holds every answer equal to js-yaml's.
 */

/** js-yaml's DEPRECATED_BOOLEANS_SYNTAX and DEPRECATED_BASE60_SYNTAX: double-quoted as they are. */
const YAML_1_1_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const YAML_1_1_BASE_60 = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;

/** The schema's implicit types (null, bool, int, float, timestamp, merge): js-yaml quotes a string any of them resolves. */
const implicitTypes = (DEFAULT_SCHEMA as unknown as { compiledImplicit: ReadonlyArray<{ resolve(text: string): boolean }> }).compiledImplicit;

const SPACE = 0x20;
const COLON = 0x3a;
const SHARP = 0x23;
/** Indicators a plain scalar may not start with (isPlainSafeFirst). */
const NOT_FIRST = new Set([...'-?:,[]{}#&*!|=>\'"%@`'].map((c) => c.charCodeAt(0)));

const printableAscii = (c: number) => c >= SPACE && c <= 0x7e;

/**
 * isPlainSafe(c, prev, inblock = true) for printable ASCII `c` (js-yaml writes every pair in block context):
 * its last clause, `:` then a non-space, adds nothing here (only `#` fails the first, and the second allows it).
 */
const plainSafe = (c: number, prev: number) =>
  (c !== SHARP && !(prev === COLON && c === SPACE))
  || (printableAscii(prev) && prev !== SPACE && c === SHARP);

/**
 * A one-line string as js-yaml writes it as a value or key: plain, or double-quoted. Undefined for a
 * character other than printable ASCII, and for a key js-yaml would write as an explicit pair (over 1024).
 */
export function lineScalar(text: string, isKey: boolean): string | undefined {
  if (text.length === 0) return '""';
  if (YAML_1_1_BOOLEANS.has(text) || YAML_1_1_BASE_60.test(text)) return `"${text}"`;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  let plain = printableAscii(first) && first !== SPACE && !NOT_FIRST.has(first) && last !== SPACE && last !== COLON;
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!printableAscii(c)) return undefined;
    plain = plain && plainSafe(c, prev);
    prev = c;
  }
  const written = plain && !implicitTypes.some((type) => type.resolve(text)) ? text : `"${text.replace(/["\\]/g, '\\$&')}"`;
  return isKey && written.length > 1024 ? undefined : written;
}

/**
 * A string with line feeds as js-yaml writes it as a value at `level` (its nesting: 1 for a top-level
 * pair's value): a literal block, `|` with the chomping of its final line feeds, each non-empty line
 * indented two spaces per level. Undefined for a character other than printable ASCII or a line feed.
 */
export function blockScalar(text: string, level: number): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!printableAscii(c) && c !== 0x0a) return undefined;
  }
  const indentIndicator = /^\n* /.test(text) ? '2' : '';
  const clip = text.endsWith('\n');
  const keep = clip && (text[text.length - 2] === '\n' || text === '\n');
  const indent = '  '.repeat(Math.max(1, level));
  const lines = text.split(/(?<=\n)/).map((line) => (line.length > 0 && line !== '\n' ? `${indent}${line}` : line)).join('');
  return `|${indentIndicator}${keep ? '+' : clip ? '' : '-'}\n${lines.endsWith('\n') ? lines.slice(0, -1) : lines}`;
}
