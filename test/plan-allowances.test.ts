import { addedAllowances, Allowance, applyAllowances, describeAllowance, parseAllowances } from '../lib/plan-allowances';
import { Plan, PLAN_RULES, UnsafeChange } from '../lib/plan';

const ENVS = ['dev', 'prod'];
const entry = (over: Partial<Allowance> = {}): Allowance => ({
  env: 'prod', rule: 'storage-decrease', object: 'KafkaNodePool/kafka', reason: 'disks were over-provisioned', procedure: 'docs/operations.md, Shrink storage', ...over,
});
const unsafe = (over: Partial<UnsafeChange> = {}): UnsafeChange => ({
  rule: 'storage-decrease', object: 'KafkaNodePool/kafka', before: '35Ti', after: '30Ti', procedure: 'p', allowed: false, ...over,
});
const plan = (...u: UnsafeChange[]): Plan => ({ changes: [], unsafe: u });

describe('parseAllowances', () => {
  test('no file, an empty file, or an empty list: nothing allowed, no problem', () => {
    for (const text of [undefined, '', '  \n', '# nothing\n', 'allowances: []\n', 'allowances:\n']) {
      expect([text, parseAllowances(text, 'f.yaml', ENVS)]).toEqual([text, { allowances: [], problems: [] }]);
    }
  });

  test('a complete entry is read as written; object is optional', () => {
    const text = 'allowances:\n  - env: prod\n    rule: storage-decrease\n    object: KafkaNodePool/kafka\n    reason: r\n    procedure: p\n  - env: dev\n    rule: topic-removal\n    reason: r2\n    procedure: p2\n';
    expect(parseAllowances(text, 'f.yaml', ENVS)).toEqual({
      allowances: [
        { env: 'prod', rule: 'storage-decrease', object: 'KafkaNodePool/kafka', reason: 'r', procedure: 'p' },
        { env: 'dev', rule: 'topic-removal', reason: 'r2', procedure: 'p2' },
      ],
      problems: [],
    });
  });

  test.each([
    ['- env: prod\n', 'f.yaml: must be a map with one key, allowances: a list of {env, rule, object, reason, procedure}'],
    ['allowances: {env: prod}\n', 'f.yaml: must be a map with one key, allowances: a list of {env, rule, object, reason, procedure}'],
    ['allowances: []\nextra: 1\n', 'f.yaml: must be a map with one key, allowances: a list of {env, rule, object, reason, procedure}'],
    ['7\n', 'f.yaml: must be a map with one key, allowances: a list of {env, rule, object, reason, procedure}'],
    ['allowances: 7\n', 'f.yaml: must be a map with one key, allowances: a list of {env, rule, object, reason, procedure}'],
    ['allowances: [3]\n', 'f.yaml: allowances[0]: must be a map of env, rule, object, reason, procedure'],
    ['allowances: [[]]\n', 'f.yaml: allowances[0]: must be a map of env, rule, object, reason, procedure'],
    ['allowances: [{env: prod, rule: storage-decrease, procedure: p}]\n', 'f.yaml: allowances[0].reason: required, a non-empty string'],
    ['allowances: [{env: prod, rule: storage-decrease, reason: " ", procedure: p}]\n', 'f.yaml: allowances[0].reason: required, a non-empty string'],
    ['allowances: [{env: prod, rule: storage-decrease, reason: r}]\n', 'f.yaml: allowances[0].procedure: required, a non-empty string'],
    ['allowances: [{rule: storage-decrease, reason: r, procedure: p}]\n', 'f.yaml: allowances[0].env: required, a non-empty string'],
    ['allowances: [{env: prod, reason: r, procedure: p}]\n', 'f.yaml: allowances[0].rule: required, a non-empty string'],
    ['allowances: [{env: prod, rule: storage-decrease, object: 3, reason: r, procedure: p}]\n', 'f.yaml: allowances[0].object: required, a non-empty string'],
    ['allowances: [{env: summit, rule: storage-decrease, reason: r, procedure: p}]\n', "f.yaml: allowances[0].env: unknown environment 'summit'; known: dev, prod"],
    ['allowances: [{env: prod, rule: everything, reason: r, procedure: p}]\n', `f.yaml: allowances[0].rule: unknown rule 'everything'; rules: ${Object.keys(PLAN_RULES).join(', ')}`],
    ['allowances: [{env: prod, rule: storage-decrease, reason: r, procedure: p, until: never}]\n', 'f.yaml: allowances[0].until: unknown field; fields: env, rule, object, reason, procedure'],
  ])('%j is refused: %s', (text, message) => {
    const { allowances, problems } = parseAllowances(text, 'f.yaml', ENVS);
    expect(allowances).toEqual([]);
    expect(problems).toEqual([message]);
  });

  test('YAML that does not parse is one line with the parser\'s first line', () => {
    expect(parseAllowances('allowances: [', 'f.yaml', ENVS)).toEqual({ allowances: [], problems: [expect.stringMatching(/^f\.yaml: not valid YAML \([^\n]+\)$/)] });
  });

  test('empty env and rule are both named', () => {
    expect(parseAllowances('allowances: [{env: "", rule: "", reason: r, procedure: p}]\n', 'f.yaml', ENVS).problems)
      .toEqual(['f.yaml: allowances[0].env: required, a non-empty string', 'f.yaml: allowances[0].rule: required, a non-empty string']);
  });

  test('every problem of every entry is listed; the good entries stay', () => {
    const text = 'allowances:\n  - {env: x, rule: y, reason: r, procedure: p}\n  - {env: prod, rule: storage-decrease, reason: r, procedure: p}\n';
    const { allowances, problems } = parseAllowances(text, 'f.yaml', ENVS);
    expect(problems.map((p) => p.split(':').slice(0, 2).join(':'))).toEqual(['f.yaml: allowances[0].env', 'f.yaml: allowances[0].rule']);
    expect(allowances).toEqual([{ env: 'prod', rule: 'storage-decrease', reason: 'r', procedure: 'p' }]);
  });
});

describe('addedAllowances: a declaration is consumed by the change that adds it', () => {
  test('entries the base already holds allow nothing again (also with other wording)', () => {
    const old = entry();
    const added = entry({ rule: 'topic-removal', object: 'KafkaTopic/x' });
    expect(addedAllowances([{ ...old, reason: 'reworded' }, added], [old])).toEqual({ added: [added], inert: [{ ...old, reason: 'reworded' }] });
  });
  test('the same rule for another environment or object is another declaration', () => {
    const base = [entry()];
    const others = [entry({ env: 'dev' }), entry({ object: 'KafkaNodePool/controller' }), entry({ object: undefined })];
    expect(addedAllowances(others, base)).toEqual({ added: others, inert: [] });
  });
});

describe('applyAllowances', () => {
  test('an entry allows the findings of its environment, rule and object only', () => {
    const findings = [unsafe(), unsafe({ object: 'KafkaNodePool/controller' }), unsafe({ rule: 'topic-removal', object: 'KafkaNodePool/kafka' })];
    const result = applyAllowances('prod', plan(...findings), [entry(), entry({ env: 'dev', object: 'KafkaNodePool/controller' })]);
    expect(result.plan.unsafe.map((u) => u.allowed)).toEqual([true, false, false]);
    expect(result.unused).toEqual([]);
  });
  test('without object, every finding of the rule in the environment', () => {
    const result = applyAllowances('prod', plan(unsafe(), unsafe({ object: 'KafkaNodePool/controller' })), [entry({ object: undefined })]);
    expect(result.plan.unsafe.map((u) => u.allowed)).toEqual([true, true]);
  });
  test('an entry of this environment that matches no finding is unused; other environments are not judged here', () => {
    const stale = entry({ rule: 'topic-removal' });
    const result = applyAllowances('prod', plan(unsafe()), [stale, entry({ env: 'dev', rule: 'user-removal' })]);
    expect(result.unused).toEqual([stale]);
    expect(result.plan.unsafe[0].allowed).toBe(false);
  });
  test('a finding already allowed (--allow) stays allowed', () => {
    expect(applyAllowances('prod', plan(unsafe({ allowed: true })), []).plan.unsafe[0].allowed).toBe(true);
  });
  test('describeAllowance names environment, rule and object', () => {
    expect(describeAllowance(entry())).toBe('prod: storage-decrease on KafkaNodePool/kafka');
    expect(describeAllowance(entry({ object: undefined }))).toBe('prod: storage-decrease');
  });
});
