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
    // Stryker disable next-line ArrayDeclaration: an element that is not a rule has no http paths, so it adds no route.
    const rules: any[] = spec?.rules ?? [];
    rules.forEach((rule, i) => (rule.http?.paths ?? []).forEach((path: any, j: number) => {
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
