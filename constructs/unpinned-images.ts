import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { imagesOf, PINNED_IMAGE, setsImages } from './rules/image-digests';

/** checkov's check that images are pinned by digest. */
export const CHECKOV_IMAGE_DIGEST = 'CKV_K8S_43';

/**
 * Accepts checkov's digest check on each object below `scope` that sets an image not pinned by digest, with the
 * environment's reason (`imagesWithoutDigest`): the acceptance sits on the object, as every other does, and
 * goes away by itself once the image is pinned.
 */
export function acceptUnpinnedImages(scope: Construct, reason: string): void {
  for (const child of scope.node.findAll()) {
    // The kind first: toJson resolves the whole object, and most objects (users, topics, policies) set no image.
    if (!(child instanceof ApiObject) || !setsImages(child.kind)) continue;
    const unpinned = imagesOf(child.toJson()).filter(({ image }) => !PINNED_IMAGE.test(image));
    if (unpinned.length === 0) continue;
    child.metadata.addAnnotation(`checkov.io/skip-${CHECKOV_IMAGE_DIGEST}`, `${CHECKOV_IMAGE_DIGEST}=${reason}`);
  }
}
