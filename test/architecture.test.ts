/** Dependencies run one way: environments (data) → constructs → imports; lib and cli sit on top. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const sources = (dir: string): string[] => fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
/** The project folders a file imports from. */
const importedFolders = (file: string) => [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)]
  .map((m) => path.relative(root, path.resolve(root, path.dirname(file), m[1])).split(path.sep)[0]);

test.each([
  ['constructs', ['constructs', 'imports']],
  ['environments', ['constructs']],
  ['imports', ['imports']],
])('%s/ imports only from %j', (dir, allowed) => {
  const offending = sources(dir).flatMap((file) => importedFolders(file).filter((d) => !allowed.includes(d)).map((d) => `${file} -> ${d}/`));
  expect(offending).toEqual([]);
});

test('environments/ holds data only: each file one exported environment, nothing executed', () => {
  for (const file of sources('environments')) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    expect([file, [...text.matchAll(/^export /gm)].length]).toEqual([file, 1]);
    expect([file, /\bfunction\b|=>|\bclass\b/.test(text)]).toEqual([file, false]);
  }
});
