/** Installs CRDs from ../shared/crds into a test API server and waits until each is served. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

/** The CRDs beside the project (`../shared/crds`), read in place, never copied. */
export const SHARED_CRDS = path.resolve(__dirname, '..', '..', '..', 'shared', 'crds');

export async function installCrds(kubeconfigPath: string, files: readonly string[]): Promise<void> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const objects = kc.makeApiClient(k8s.KubernetesObjectApi);
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const names: string[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(SHARED_CRDS, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      await objects.create(crd);
      names.push(crd.metadata.name);
    }
  }
  const deadline = Date.now() + 60_000;
  for (const name of names) {
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not established within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
