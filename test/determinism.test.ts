import { environments } from '../lib/environments';
import { renderManifest, synthesizeEnvironment } from '../lib/synthesize';

test.each(Object.values(environments))('$name synthesizes byte-identical output twice', (env) => {
  const render = () => synthesizeEnvironment(env).map((m) => `# ${m.fileName}\n${renderManifest(m)}`).join('');
  const first = render();
  expect(render()).toBe(first);
  expect(first.length).toBeGreaterThan(0);
});
