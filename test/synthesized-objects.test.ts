// The plan compares an earlier output parsed from its files with synthesizedObjects(), which skips writing and
// parsing YAML: the two must be the same data, or an unchanged tree would plan changes.
import { environments } from '../lib/environments';
import { parseManifests } from '../lib/manifests';
import { synthesizedObjects } from '../lib/plan';
import { renderManifest, synthesizeEnvironment } from '../lib/synthesize';

describe.each(Object.keys(environments))('%s', (name) => {
  test('synthesizedObjects is exactly what its rendered files parse back to, file by file', () => {
    const env = environments[name as keyof typeof environments];
    const parsed = synthesizeEnvironment(env).flatMap((m) => parseManifests([{ path: m.fileName, text: renderManifest(m) }]).objects);
    expect(parsed.length).toBeGreaterThan(0);
    expect(synthesizedObjects(env)).toEqual(parsed);
  });
});
