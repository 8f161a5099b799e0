// Images pinned by digest in Phalanx values: the tag carries the digest (`tag@sha256:…`), as Renovate writes it.
import { compareTags } from '../lib/phalanx/image-tags';
import { splitImage } from '../lib/phalanx/values';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'1'.repeat(64)}`;

test('an image pinned by digest splits into its repository and its tag with the digest', () => {
  expect(splitImage(`ghcr.io/kafbat/kafka-ui:v1.5.0@${D1}`, 'x')).toEqual(['ghcr.io/kafbat/kafka-ui', `v1.5.0@${D1}`]);
  expect(splitImage(`registry.example.org:5000/a/b:1.2@${D1}`, 'x')).toEqual(['registry.example.org:5000/a/b', `1.2@${D1}`]);
  expect(splitImage('lsstdm/x:w.2026.28', 'x')).toEqual(['lsstdm/x', 'w.2026.28']);
});

test.each([`lsstdm/x@${D1}`, 'lsstdm/x', `registry.example.org:5000/a/b@${D1}`])('%s has no tag: refused, naming where', (image) => {
  expect(() => splitImage(image, 'usdfdev: Deployment/x container x')).toThrow(`usdfdev: Deployment/x container x: image ${image} has no tag; give it one (repository:tag) so Phalanx values and Renovate can carry it`);
});

test('tags with digests are ordered by their tags; one tag with two digests cannot be ordered', () => {
  expect(compareTags(`v1.10.0@${D1}`, `v1.9.3@${D2}`)).toBe(1);
  expect(compareTags(`v1.9.3@${D2}`, 'v1.10.0')).toBe(-1);
  expect(compareTags(`v1.5.0@${D1}`, `v1.5.0@${D1}`)).toBe(0);
  expect(compareTags(`v1.5.0@${D1}`, `v1.5.0@${D2}`)).toBeUndefined();
  expect(compareTags(`v1.5.0@${D1}`, 'v1.5.0')).toBeUndefined();
});
