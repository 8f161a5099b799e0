// Renovate must see every image this project sets, with its digest where it is pinned: each image of every
// environment's output is found by one of renovate.json's regex managers in the file that sets it (an environment
// file, or a construct's default), so Renovate proposes the next tag and digest. JavaScript reads the managers'
// patterns as Renovate does (named groups, no flags).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imagesOf } from '../constructs/rules/image-digests';
import { environments } from '../lib/environments';
import { synthesizeEnvironment } from '../lib/synthesize';
import { allObjects } from './helpers';

const root = path.resolve(__dirname, '..');
interface Manager { managerFilePatterns: string[]; matchStrings: string[]; depNameTemplate: string }
const managers = (): Manager[] => JSON.parse(fs.readFileSync(path.join(root, 'renovate.json'), 'utf8')).customManagers;

/** Every file of the project a manager's patterns (`/regex/`) name. */
function filesOf(manager: Manager): string[] {
  const patterns = manager.managerFilePatterns.map((p) => new RegExp(p.slice(1, -1)));
  return ['environments', 'constructs'].flatMap((dir) => fs.readdirSync(path.join(root, dir)).map((f) => `${dir}/${f}`))
    .filter((f) => patterns.some((p) => p.test(f)));
}

/** What Renovate would track: `depName:currentValue[@currentDigest]` for each match in each file of each manager. */
function tracked(): Set<string> {
  const images = new Set<string>();
  for (const manager of managers()) {
    for (const file of filesOf(manager)) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const pattern of manager.matchStrings) {
        for (const m of text.matchAll(new RegExp(pattern, 'g'))) {
          const { currentValue, currentDigest } = m.groups!;
          images.add(`${manager.depNameTemplate}:${currentValue}${currentDigest ? `@${currentDigest}` : ''}`);
        }
      }
    }
  }
  return images;
}

test('every manager names files of the project', () => {
  for (const manager of managers()) expect({ manager: manager.depNameTemplate, files: filesOf(manager).length > 0 }).toEqual({ manager: manager.depNameTemplate, files: true });
});

test.each(Object.keys(environments))('%s: every image it runs is tracked by Renovate, digest included', (name) => {
  const images = allObjects(synthesizeEnvironment(environments[name as keyof typeof environments])).flatMap((o) => imagesOf(o as Record<string, any>).map((i) => i.image));
  const known = tracked();
  expect(images.length).toBeGreaterThan(0);
  expect(images.filter((image) => !known.has(image))).toEqual([]);
});

test('Kafbat by default runs its image pinned by digest', () => {
  expect([...tracked()].filter((i) => i.startsWith('ghcr.io/kafbat/kafka-ui:'))).toContainEqual(expect.stringMatching(/^ghcr\.io\/kafbat\/kafka-ui:v1\.5\.0@sha256:[a-f0-9]{64}$/));
});
