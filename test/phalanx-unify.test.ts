import { parse } from 'yaml';
import { defaultsOf, overlayOf } from '../lib/phalanx/subchart';
import { slotValues, templateLines, unify } from '../lib/phalanx/unify';

/** What helm would print for a slot, read here from the values tree: enough to check the template's shape without helm (the tools tier renders with helm). */
function render(lines: string[], values: unknown): unknown {
  const text = lines.join('\n')
    .replace(/\n\s*\{\{- if hasKey (\(index \$v(?: "[^"]*")+\)|\$v) "([^"]+)" \}\}\n([^\n]*)\n\s*\{\{- end \}\}/g, (_, parent: string, key: string, line: string) => {
      const at = lookup(values, [...(parent.match(/"([^"]*)"/g) ?? []).map((p) => JSON.parse(p))]);
      return at && typeof at === 'object' && key in at ? `\n${line}` : '';
    })
    .replace(/\{\{ toJson \(index \$v((?: "[^"]*")+)\) \}\}/g, (_, parts: string) => JSON.stringify(lookup(values, parts.match(/"([^"]*)"/g)!.map((p) => JSON.parse(p)))));
  return parse(text);
}
const lookup = (value: unknown, path: string[]) => path.reduce<any>((v, k) => v?.[k], value);

describe('unify: one template for several instances', () => {
  const dev = { kind: 'KafkaNodePool', metadata: { name: 'kafka', annotations: { ids: '[3,4]' } }, spec: { replicas: 2, roles: ['broker'], storage: { size: '1Ti' }, resources: { cpu: '2' } } };
  const prod = { kind: 'KafkaNodePool', metadata: { name: 'kafka', annotations: { ids: '[5,6,7]' } }, spec: { replicas: 3, roles: ['broker'], storage: { size: '35Ti', class: 'weka' }, resources: { cpu: '2' } } };

  test('what the instances share stays literal, what differs is a slot; a key only some have is optional', () => {
    const skeleton = unify([dev, prod]);
    const lines = templateLines(skeleton, 0, '$v', [], () => false);
    const text = lines.join('\n');
    expect(text).toContain('kind: KafkaNodePool');
    expect(text).toContain('  name: kafka');
    expect(text).toContain('  roles:\n    - broker');
    expect(text).toContain('  replicas: {{ toJson (index $v "spec" "replicas") }}');
    expect(text).toContain('    {{- if hasKey (index $v "spec" "storage") "class" }}');
    expect(slotValues(skeleton, prod)).toEqual({ metadata: { annotations: { ids: '[5,6,7]' } }, spec: { replicas: 3, storage: { size: '35Ti', class: 'weka' } } });
    expect(slotValues(skeleton, dev)).toEqual({ metadata: { annotations: { ids: '[3,4]' } }, spec: { replicas: 2, storage: { size: '1Ti' } } });
    for (const instance of [dev, prod]) expect(render(lines, slotValues(skeleton, instance))).toEqual(instance);
  });

  test('lists of one length are unified item by item (keyed by their common name), others are one value', () => {
    const a = { containers: [{ name: 'c', image: 'x', args: ['--a'] }] };
    const b = { containers: [{ name: 'c', image: 'x', args: ['--a', '--b'] }] };
    const skeleton = unify([a, b]);
    expect(slotValues(skeleton, b)).toEqual({ containers: { c: { args: ['--a', '--b'] } } });
    for (const instance of [a, b]) expect(render(templateLines(skeleton, 0, '$v', [], () => false), slotValues(skeleton, instance))).toEqual(instance);
  });

  test('a mapping whose every key is optional is one value (it must render {}, not null)', () => {
    expect(unify([{ a: {} }, { a: { x: 1 } }])).toEqual({ t: 'map', entries: [{ key: 'a', optional: false, node: { t: 'slot' } }] });
  });
});

describe('defaults and what each environment sets', () => {
  test('a leaf defaults to the value most environments give; mappings merge; a mapping is never a leaf default', () => {
    const trees = [{ a: 1, b: { c: 'x' }, m: { k: 1 } }, { a: 2, b: { c: 'x' }, m: 'flat' }, { a: 2, b: { c: 'y' }, m: { k: 2 } }];
    expect(defaultsOf(trees)).toEqual({ a: 2, b: { c: 'x' } });
    expect(trees.map((t) => overlayOf(t, defaultsOf(trees)))).toEqual([{ a: 1, m: { k: 1 } }, { m: 'flat' }, { b: { c: 'y' }, m: { k: 2 } }]);
  });
});
