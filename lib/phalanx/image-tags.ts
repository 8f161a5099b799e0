import { parsedYaml } from './parsed-yaml';
import type { UmbrellaFolder } from './change';
import type { ImageValue } from './values';

/**
 * Ordering of two image tags of one repository: numbers compared as numbers
 * when the tags have the same shape (`v4.2.0` < `v4.10.0`, `w.2026.28` <
 * `w.2026.30`); undefined when they cannot be ordered (`latest`, `v4.2` against
 * `4.2.1`, or one tag with two digests).
 */
export function compareTags(a: string, b: string): number | undefined {
  if (a === b) return 0;
  // A digest (`tag@sha256:…`) orders nothing: the tags decide, and one tag with two digests cannot be ordered.
  const [ta, tb] = [a.split('@')[0], b.split('@')[0]];
  if (ta === tb) return undefined;
  const pa = ta.split(/(\d+)/);
  const pb = tb.split(/(\d+)/);
  if (pa.length !== pb.length || pa.length === 1) return undefined;
  for (let i = 0; i < pa.length; i++) {
    if (i % 2 === 0) {
      if (pa[i] !== pb[i]) return undefined;
    } else if (Number(pa[i]) !== Number(pb[i])) {
      return Number(pa[i]) < Number(pb[i]) ? -1 : 1;
    }
  }
  return undefined;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const at = (value: unknown, path: readonly string[]): unknown => path.reduce<unknown>((v, k) => (isMapping(v) ? v[k] : undefined), value);
function read(umbrella: UmbrellaFolder, file: string): unknown {
  const text = umbrella.read(file);
  if (text === undefined) return undefined;
  try {
    return parsedYaml(text);
  } catch {
    return undefined; // a file that does not parse is refused, with its name, by the edit that reads it
  }
}

/**
 * The tag Phalanx runs now for `image` in `env` (as Helm merges the values:
 * values-<env>.yaml over the umbrella's values.yaml over the sub-chart's), if
 * the sub-chart is there with the same repository; Renovate may have bumped it.
 */
export function phalanxTag(umbrella: UmbrellaFolder, subchart: string, env: string, image: ImageValue): string | undefined {
  const layers = [read(umbrella, `values-${env}.yaml`), read(umbrella, 'values.yaml')].map((v) => at(v, [subchart]));
  layers.push(read(umbrella, `charts/${subchart}/values.yaml`));
  const repository = layers.map((l) => at(l, [image.key, 'image', 'repository'])).find((r) => r !== undefined);
  const tag = layers.map((l) => at(l, [image.key, 'image', 'tag'])).find((t) => t !== undefined && t !== null);
  if (repository !== image.repository || tag === undefined) return undefined;
  return String(tag);
}

/** One image whose tag in Phalanx is newer than this project's (or cannot be ordered against it). */
export interface TagConflict {
  readonly env: string;
  readonly image: ImageValue;
  readonly phalanx: string;
  readonly ours: string;
  /** Whether Phalanx's tag is newer; false when the two cannot be ordered. */
  readonly newer: boolean;
}

/** Every image of the environments in `names` whose tag in Phalanx is newer than ours, or not comparable to it. */
export function tagConflicts(umbrella: UmbrellaFolder, subchart: string, names: readonly string[], images: readonly ImageValue[]): TagConflict[] {
  const conflicts: TagConflict[] = [];
  for (const env of names) {
    for (const image of images) {
      const ours = image.tags.get(env);
      const phalanx = phalanxTag(umbrella, subchart, env, image);
      if (ours === undefined || phalanx === undefined || phalanx === ours) continue;
      const order = compareTags(phalanx, ours);
      if (order === undefined || order > 0) conflicts.push({ env, image, phalanx, ours, newer: order !== undefined });
    }
  }
  return conflicts;
}

/** The images with Phalanx's newer tags taken (for `--take-newer-tags`), the default tag chosen again. */
export function withTags(images: readonly ImageValue[], taken: readonly TagConflict[]): ImageValue[] {
  return images.map((image) => {
    const mine = taken.filter((t) => t.image.key === image.key);
    if (mine.length === 0) return image;
    const tags = new Map(image.tags);
    for (const t of mine) tags.set(t.env, t.phalanx);
    const counts = new Map<string, number>();
    for (const tag of tags.values()) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    const defaultTag = [...counts.entries()].reduce((best, next) => (next[1] > best[1] ? next : best))[0];
    return { ...image, tags, defaultTag };
  });
}

/** One line per conflict: the environment, the image and both tags, and what to do. */
export function tagConflictLines(conflicts: readonly TagConflict[]): string[] {
  return conflicts.map((c) => (c.newer
    ? `${c.env}: image ${c.image.repository}: Phalanx runs ${c.phalanx} (Renovate?), newer than ${c.ours} of environments/${c.env}.ts; set ${c.phalanx} there, or run again with --take-newer-tags to keep Phalanx's`
    : `${c.env}: image ${c.image.repository}: Phalanx runs ${c.phalanx} and environments/${c.env}.ts says ${c.ours}, which cannot be ordered; set the one you mean in environments/${c.env}.ts`));
}
