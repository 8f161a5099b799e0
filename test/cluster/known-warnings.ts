/**
 * API server warnings that the cluster tests accept, each for a stated reason. Every other
 * warning fails them. An entry matches one object (kind and name) and the warning's text.
 */
export interface KnownWarning {
  readonly kind: string;
  readonly name: string;
  readonly warning: RegExp;
  readonly reason: string;
}

const PHALANX_NAME = 'Phalanx\'s names (chart name and version, e.g. alert-database-ingester-1.0.0) are kept so Argo CD '
  + 'adopts the running Deployments; renaming them creates new Deployments (see constructs/alert-database-ingester.ts)';

export const KNOWN_WARNINGS: readonly KnownWarning[] = [
  { kind: 'Deployment', name: 'alert-database-ingester-1.0.0', warning: /^metadata\.name: .*a DNS label is recommended: \[must not contain dots\]$/, reason: PHALANX_NAME },
  { kind: 'Deployment', name: 'alert-database-server-1.0.0', warning: /^metadata\.name: .*a DNS label is recommended: \[must not contain dots\]$/, reason: PHALANX_NAME },
];

/** Whether this warning of this object is one of the accepted ones. */
export function isKnownWarning(object: Record<string, any>, warning: string): boolean {
  return KNOWN_WARNINGS.some((k) => k.kind === object.kind && k.name === object.metadata?.name && k.warning.test(warning));
}
