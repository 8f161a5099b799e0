import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/** No two ingress rules (plain or Gafaelfawr) claim the same host and path. */
export function checkIngressRoutes(env: Environment, objects: readonly Record<string, any>[]): Problem[] {
  const owner = new Map<string, string>();
  const problems: Problem[] = [];
  for (const o of objects) {
    if (o.kind !== 'Ingress' && o.kind !== 'GafaelfawrIngress') continue;
    const resource = `${o.kind}/${o.metadata.name}`;
    const spec = o.kind === 'Ingress' ? o.spec : o.template?.spec;
    (spec?.rules ?? []).forEach((rule: any, i: number) => (rule.http?.paths ?? []).forEach((path: any, j: number) => {
      const route = `${rule.host ?? '*'}${path.path ?? '/'}`;
      const first = owner.get(route);
      if (first !== undefined) {
        problems.push({
          env: env.name, resource, field: `rules[${i}].http.paths[${j}]`,
          message: `route ${route} is also served by ${first}; give one of them another host or path`,
        });
      } else {
        owner.set(route, resource);
      }
    }));
  }
  return problems;
}
