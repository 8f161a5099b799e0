import type { EnvVar } from './k8s';
import type { VaultBackedSecret } from './vault-secret';
import type { BucketName, HttpUrl, StorageRegion } from './types';

/** The S3 (compatible) storage of the alert archive. */
export interface AlertArchiveStorage {
  /** S3 endpoint, e.g. `https://sdfdatas3.slac.stanford.edu/`. */
  readonly endpointUrl: HttpUrl;
  readonly alertBucket: BucketName;
  readonly schemaBucket: BucketName;
  /**
   * Region the S3 client signs requests for. Required even off AWS: without
   * it the ingester fails with `SignatureDoesNotMatch` (DMTN-214, Alert Archive).
   * @default 'us-east-1'
   */
  readonly region?: StorageRegion;
}

/**
 * The S3 variables of the archive's containers. The access keys come from
 * the Vault-backed Secret (keys `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
 */
export function s3Environment(storage: AlertArchiveStorage, secret: VaultBackedSecret, reader: string): EnvVar[] {
  const region = storage.region ?? 'us-east-1';
  const fromSecret = (name: string): EnvVar => {
    const ref = secret.keyRef(name, reader);
    return { name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } };
  };
  return [
    { name: 'AWS_ENDPOINT_URL', value: storage.endpointUrl },
    // boto3 reads AWS_DEFAULT_REGION; AWS_REGION is the name newer AWS SDKs use.
    { name: 'AWS_DEFAULT_REGION', value: region },
    { name: 'AWS_REGION', value: region },
    fromSecret('AWS_ACCESS_KEY_ID'),
    fromSecret('AWS_SECRET_ACCESS_KEY'),
  ];
}
