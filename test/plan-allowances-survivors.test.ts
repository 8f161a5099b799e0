/** The edges of reading plan-allowances.yaml and of matching its entries (test/plan-allowances.test.ts has the rest). */
import { addedAllowances, Allowance, parseAllowances } from '../lib/plan-allowances';

const ENVS = ['dev', 'prod'];
const MUST_BE_A_MAP = 'f.yaml: must be a map with one key, allowances: a list of {env, rule, object, reason, procedure}';
const entry = (over: Partial<Allowance> = {}): Allowance => ({
  env: 'prod', rule: 'storage-decrease', object: 'KafkaNodePool/kafka', reason: 'r', procedure: 'p', ...over,
});

describe('parseAllowances', () => {
  test('a file of nothing but Unicode spaces (a non-breaking space, an ideographic space) is an empty file', () => {
    // YAML would read either as a string, not as nothing.
    for (const text of ['\u00a0', '\u3000\n']) {
      expect([text, parseAllowances(text, 'f.yaml', ENVS)]).toEqual([text, { allowances: [], problems: [] }]);
    }
  });

  test('YAML that does not parse is one line: the parser\'s first line, whole', () => {
    expect(parseAllowances('allowances: [', 'f.yaml', ENVS)).toEqual({
      allowances: [],
      problems: ['f.yaml: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 14:)'],
    });
  });

  test('a file of comments only, or an allowances key holding nothing, allows nothing; a second key beside a good list is refused', () => {
    for (const text of ['# none yet\n', 'allowances:\n']) {
      expect([text, parseAllowances(text, 'f.yaml', ENVS)]).toEqual([text, { allowances: [], problems: [] }]);
    }
    expect(parseAllowances('allowances: []\nnote: x\n', 'f.yaml', ENVS)).toEqual({ allowances: [], problems: [MUST_BE_A_MAP] });
  });

  test.each([['abc'], ['""'], ['[]'], ['[allowances]'], ['true'], ['{}'], ['allowances: abc']])('%s is not a map of allowances', (text) => {
    expect(parseAllowances(text, 'f.yaml', ENVS)).toEqual({ allowances: [], problems: [MUST_BE_A_MAP] });
  });

  test('an empty entry (null) must be a map', () => {
    for (const text of ['allowances: [null]\n', 'allowances:\n  -\n']) {
      expect([text, parseAllowances(text, 'f.yaml', ENVS)]).toEqual([text, { allowances: [], problems: ['f.yaml: allowances[0]: must be a map of env, rule, object, reason, procedure'] }]);
    }
  });

  test('an env or rule of spaces is only missing, not also unknown', () => {
    expect(parseAllowances('allowances: [{env: " ", rule: "  ", reason: r, procedure: p}]\n', 'f.yaml', ENVS)).toEqual({
      allowances: [],
      problems: ['f.yaml: allowances[0].env: required, a non-empty string', 'f.yaml: allowances[0].rule: required, a non-empty string'],
    });
  });
});

describe('addedAllowances', () => {
  test('the same environment and object under another rule is another declaration', () => {
    const other = entry({ rule: 'topic-removal' });
    expect(addedAllowances([other], [entry()])).toEqual({ added: [other], inert: [] });
  });

  test('an entry the base holds anywhere among others is inert; one it does not hold is added', () => {
    const base = [entry({ env: 'dev' }), entry(), entry({ object: 'KafkaNodePool/controller' })];
    const fresh = entry({ object: 'KafkaNodePool/other' });
    expect(addedAllowances([entry({ reason: 'again' }), fresh], base)).toEqual({ added: [fresh], inert: [entry({ reason: 'again' })] });
  });
});
