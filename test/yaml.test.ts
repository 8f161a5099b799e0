import fc from 'fast-check';
import { dump } from 'js-yaml';
import { parse, Schema } from 'yaml';
import { environments } from '../lib/environments';
import { synthesizeEnvironment } from '../lib/synthesize';
import { toYaml } from '../constructs/yaml';
import { blockScalar, lineScalar } from '../constructs/yaml-scalars';

const OPTIONS = { lineWidth: -1, noRefs: true, quotingType: '"' } as const;
/** What the `yaml` library reads as a non-string under YAML 1.1 or 1.2. */
const implicit = ['yaml-1.1', 'core'].flatMap((schema) => new Schema({ schema }).tags).filter((t) => t.default && t.test && t.tag !== 'tag:yaml.org,2002:str');
const readsAsNonString = (s: string) => implicit.some((t) => (t.test as RegExp).test(s));

/** Characters that change how YAML reads a scalar, and some that do not. */
const tricky = fc.constantFrom(
  'a', 'Z', '0', '9', '-', '_', '.', '/', ':', '#', ' ', "'", '"', '\\', '\t', '\n', '{', '}', '[', ']', ',', '&', '*', '!',
  '|', '>', '%', '@', '`', '?', '=', '~', 'é', '☃', '\u0000', '\u00a0', 'e', 'x', 'o', 'n', 'y',
);
const words = fc.constantFrom(
  'true', 'False', 'yes', 'No', 'on', 'OFF', 'y', 'null', 'Null', '~', '', '1e3', '0x1F', '0o17', '017', '1_000', '1:20', '.inf', '-.Inf',
  '.NaN', '2026-11-25', '3.14', '-1', '+1', '<<', '=', 'sasquatch', 'kafka.strimzi.io/v1', 'CN=kafka-admin', '- a', 'a: b', 'a #b', '#a',
);
const string = fc.oneof(words, fc.array(tricky, { maxLength: 12 }).map((cs) => cs.join('')), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(string, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(string, tie('value'), { maxKeys: 5 }),
}));

describe('toYaml writes what js-yaml writes', () => {
  test('for random documents, byte for byte (property)', () => {
    fc.assert(fc.property(fc.dictionary(string, value, { maxKeys: 6 }), (doc) => {
      // The one deliberate difference, tested below: strings YAML 1.1 reads as numbers are quoted.
      fc.pre(!JSON.stringify(doc).split('"').some(readsAsNonString));
      expect(toYaml(doc)).toBe(dump(doc, OPTIONS));
    }), { numRuns: 3000 });
  });

  test('for every synthesized object of every environment', () => {
    for (const env of Object.values(environments)) {
      for (const object of synthesizeEnvironment(env).flatMap((m) => m.objects)) expect(toYaml(object)).toBe(dump(object, OPTIONS));
    }
  });

  test('for the values it hands back to js-yaml (multi-line strings beyond ASCII, -0, long keys, undefined)', () => {
    for (const doc of [{ a: 'x\ny', b: [{ c: 'p\nq\n' }] }, { a: 'é\ny\t' }, { n: -0 }, { ['k'.repeat(2000)]: 1 }, { a: undefined, b: [undefined, 1] }]) {
      expect(toYaml(doc)).toBe(dump(doc, OPTIONS));
    }
  });

  // Names, labels and paths skip js-yaml (constructs/yaml.ts PLAIN_SAFE): the answer must still be js-yaml's.
  test('for strings of letters, digits and _./- as keys and values, js-yaml quoting what it quotes (property)', () => {
    const expected = (s: string, dumped: string) => (dumped === s && readsAsNonString(s) ? `"${s}"` : dumped);
    const name = fc.oneof(
      fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./-]{0,20}$/),
      fc.constantFrom('true', 'False', 'TRUE', 'yes', 'No', 'on', 'OFF', 'y', 'N', 'null', 'Null', 'NULL', '_', '/', 'e0', 'E1', 'x1', 'o7', 'inf', 'nan', 'NaN'),
    );
    fc.assert(fc.property(name, (s) => {
      expect(toYaml({ k: s })).toBe(`k: ${expected(s, dump({ k: s }, OPTIONS).slice(3, -1))}\n`);
      expect(toYaml({ [s]: 0 })).toBe(`${expected(s, dump({ [s]: 0 }, OPTIONS).slice(0, -4))}: 0\n`);
    }), { numRuns: 3000 });
  });

  test('a string YAML 1.1 reads as a number is double-quoted, where js-yaml leaves it plain', () => {
    for (const s of ['.', '1.', '0b101', '1:20', '1_000', 'e0']) {
      expect(toYaml({ a: s })).toBe(`a: "${s}"\n`);
      expect(toYaml({ [s]: 1 })).toBe(`"${s}": 1\n`);
      expect(parse(toYaml({ a: s, [s]: s }), { version: '1.1' })).toEqual({ a: s, [s]: s });
    }
  });

  // Documents with a multi-line string are js-yaml's output whole (block scalars depend on depth), as before.
  test('what it writes reads back as the same value under YAML 1.2 and 1.1 rules (property)', () => {
    const plain = fc.oneof(fc.array(tricky.filter((c) => c !== '\u0000' && c !== '\n'), { maxLength: 10 }).map((cs) => cs.join('')), words, fc.integer(), fc.boolean());
    fc.assert(fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9./-]{0,10}$/), fc.oneof(plain, fc.array(plain, { maxLength: 3 })), { maxKeys: 5 }), (doc) => {
      const text = toYaml(doc);
      expect(parse(text, { version: '1.2' })).toEqual(doc);
      expect(parse(text, { version: '1.1' })).toEqual(doc);
    }), { numRuns: 2000 });
  });
});

describe("constructs/yaml-scalars: js-yaml's choice of scalar style, ported", () => {
  const ascii = fc.oneof(
    tricky.filter((c) => c >= ' ' && c <= '~'),
    fc.constantFrom('\n', '\n', ' ', ':', '#', '-', '"', '\\', '0', '.'),
  );
  const text = fc.oneof(words, fc.array(ascii, { maxLength: 16 }).map((cs) => cs.join('')), fc.string({ maxLength: 10 }));
  const isAscii = (s: string) => [...s].every((c) => c >= ' ' && c <= '~');

  test('a one-line string as a value and as a key: what js-yaml writes, or left to it when not ASCII (property)', () => {
    fc.assert(fc.property(text.filter((s) => !s.includes('\n')), (s) => {
      const [value, key] = [lineScalar(s, false), lineScalar(s, true)];
      expect(value === undefined).toBe(!isAscii(s));
      if (value !== undefined) expect(value).toBe(dump({ k: s }, OPTIONS).slice(3, -1));
      if (key !== undefined) expect(`${key}: 0\n`).toBe(dump({ [s]: 0 }, OPTIONS));
    }), { numRuns: 5000 });
  });

  test('a key js-yaml writes as an explicit pair (over 1024 characters written) is left to it', () => {
    expect(lineScalar('k'.repeat(1024), true)).toBe('k'.repeat(1024));
    expect(lineScalar('"'.repeat(600), true)).toBeUndefined();
    expect(dump({ ['"'.repeat(600)]: 0 }, OPTIONS).startsWith('? ')).toBe(true);
  });

  test('a multi-line string at any depth, in mappings and lists: what js-yaml writes (property)', () => {
    const path = fc.array(fc.constantFrom('map', 'list'), { maxLength: 4 });
    fc.assert(fc.property(text.filter((s) => s.includes('\n')), path, (s, nesting) => {
      expect(blockScalar(s, 1) === undefined).toBe(!isAscii(s.replace(/\n/g, '')));
      const doc = { top: nesting.reduce<unknown>((inner, kind) => (kind === 'map' ? { k: inner } : [inner, 'x']), s) };
      expect(toYaml(doc)).toBe(dump(doc, OPTIONS));
    }), { numRuns: 4000 });
  });

  test('the block headers: indentation indicator and chomping, as js-yaml writes them', () => {
    for (const s of ['\n', 'a\n', 'a', 'a\n\n', ' a\nb', '\n\n a', 'a\n\nb\n']) {
      expect(toYaml({ k: s })).toBe(dump({ k: s }, OPTIONS));
      expect(toYaml({ k: [{ j: s }] })).toBe(dump({ k: [{ j: s }] }, OPTIONS));
    }
    expect(blockScalar(' a\nb', 2)).toBe('|2-\n     a\n    b');
    // A document that is one string: js-yaml indents it as if one level down.
    expect(`${blockScalar('a\nb', 0)}\n`).toBe(dump('a\nb', OPTIONS));
  });
});
