import { scaledEnvironment } from '../bench/scaled-environments';
import { environments } from '../lib/environments';
import { PARALLEL_FROM, Program, renderEnvironment, shareOf, threadsFor } from '../lib/parallel-synthesis';
import { constructStages, prepareStages, renderManifest, synthesizeEnvironment } from '../lib/synthesize';

const dev = environments['usdfdev-prompt-processing'];
const large = scaledEnvironment(dev, { label: 'large', topics: dev.topics.length + 60, users: 120 });
const program: Program = { launcher: 'scripts/launch.cjs', file: 'build/main.bundle.js', source: '' };

describe('a share of the objects: every count-th, from its index', () => {
  test.each([...Object.values(environments), large])('$name: two shares, taken in turn, are the objects and YAML of one', (env) => {
    const prepared = prepareStages(constructStages(env));
    const whole = shareOf(prepared, { index: 0, count: 1 });
    const [even, odd] = [0, 1].map((index) => shareOf(prepareStages(constructStages(env)), { index, count: 2 }));
    expect(even.objects.length).toBe(Math.ceil(whole.objects.length / 2));
    expect(whole.objects.map((_, i) => [even, odd][i % 2].objects[Math.floor(i / 2)])).toEqual(whole.objects);
    expect(whole.yaml.map((_, i) => [even, odd][i % 2].yaml[Math.floor(i / 2)])).toEqual(whole.yaml);
    expect(whole.yaml).toEqual(whole.objects.map((o) => renderManifest({ stage: 0, id: 'secrets', fileName: '', objects: [o] })));
  });
});

describe('renderEnvironment: the files synth writes', () => {
  test.each([...Object.values(environments), large])('$name: in one thread, the stage files of synthesizeEnvironment', (env) => {
    const files = renderEnvironment(env, undefined, undefined);
    expect(files).toEqual(new Map(synthesizeEnvironment(env).map((m) => [m.fileName, renderManifest(m)])));
  });

  test('refuses an environment whose rules fail, before building anything', () => {
    expect(() => renderEnvironment({ ...dev, topics: [...dev.topics, dev.topics[0]] }, undefined, undefined)).toThrow(/usdfdev-prompt-processing/);
  });
});

describe('threadsFor: a second thread only where it pays', () => {
  /** dev with community brokers added until it has `total` topics and users. */
  const sized = (total: number) => {
    const { communityBrokers, developers, readWrite, writeOnly } = dev.users;
    const extra = total - dev.topics.length - communityBrokers.length - developers.length - readWrite.length - writeOnly.length;
    return { ...dev, users: { ...dev.users, communityBrokers: [...communityBrokers, ...Array.from({ length: extra }, (_, i) => `extra-broker-${i}`)] } };
  };
  test('one thread below PARALLEL_FROM topics and users, two from it', () => {
    expect(threadsFor(sized(PARALLEL_FROM - 1), program, undefined)).toBe(1);
    expect(threadsFor(sized(PARALLEL_FROM), program, undefined)).toBe(2);
  });

  test('one thread without the built program (tests, the cli), or with ALERT_STREAM_THREADS=1; 2 forces two', () => {
    expect(threadsFor(large, undefined, undefined)).toBe(1);
    expect(threadsFor(large, program, '1')).toBe(1);
    expect(threadsFor(dev, program, '2')).toBe(2);
  });
});
