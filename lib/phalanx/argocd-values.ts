import { Document, isMap, parseDocument, Scalar } from 'yaml';
import { healthConfigEntries } from '../argocd-health';

/** Where the argo-cd chart reads its ConfigMap entries in Phalanx's applications/argocd values. */
const CM_PATH = ['argo-cd', 'configs', 'cm'] as const;

/**
 * Phalanx's applications/argocd/values-<env>.yaml with this project's health
 * checks under `argo-cd.configs.cm` (added, or replaced where an earlier run
 * wrote them); every other line stays as it was. `text` undefined: the file is
 * new. Throws one line naming the file when it cannot be edited in place.
 */
export function withHealthChecks(text: string | undefined, file: string): string {
  const doc = text === undefined ? new Document({}) : parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file}: not valid YAML (${doc.errors[0].message.split('\n')[0]}); fix it before running phalanx`);
  if (text !== undefined && doc.contents !== null && !isMap(doc.contents)) throw new Error(`${file}: not a map of values; fix it before running phalanx`);
  for (let depth = 1; depth <= CM_PATH.length; depth++) {
    const node = doc.getIn(CM_PATH.slice(0, depth), true);
    if (node !== undefined && node !== null && !isMap(node)) {
      throw new Error(`${file}: ${CM_PATH.slice(0, depth).join('.')} is not a map, so the Argo CD health checks cannot be added under ${CM_PATH.join('.')}`);
    }
  }
  for (const [key, value] of healthConfigEntries()) {
    const scalar = new Scalar(value);
    if (value.includes('\n')) scalar.type = Scalar.BLOCK_LITERAL;
    else scalar.type = Scalar.QUOTE_DOUBLE;
    doc.setIn([...CM_PATH, key], scalar);
  }
  return doc.toString({ lineWidth: 0 });
}
