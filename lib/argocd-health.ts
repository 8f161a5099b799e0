import { toYaml } from '../constructs/yaml';

/**
 * Argo CD health checks for the kinds this deployment applies that Argo CD
 * has none for. Without one, Argo CD counts an object Healthy as soon as it
 * exists, so its sync wave passes at once and the next wave starts before the
 * operator has acted. Each script follows Argo CD's contract: `obj` is the
 * object, the script returns `{ status = <Healthy|Progressing|Degraded>, message = ... }`.
 * Argo CD runs them in gopher-lua (Lua 5.1); they use nothing newer.
 * The tests run each one in Lua (wasmoon) against the statuses the operators write.
 */
export interface HealthCheck {
  readonly group: string;
  readonly kind: string;
  /** Who writes the status the script reads, and what it looks like. */
  readonly source: string;
  readonly script: string;
  /**
   * The script uses Lua's standard libraries (`string`): Argo CD gives a script only `base`, `table` and
   * `package` unless `resource.customizations.useOpenLibs.<group>_<Kind>` is "true" (then the rest too).
   */
  readonly openLibs?: boolean;
}

/**
 * Custom kinds this project applies that need no check here: Argo CD ships one
 * (resource_customizations in the Argo CD repository), or the kind has no
 * status to wait for.
 */
export const NO_CHECK_NEEDED: Readonly<Record<string, string>> = {
  'kafka.strimzi.io/Kafka': 'built into Argo CD',
  'kafka.strimzi.io/KafkaTopic': 'built into Argo CD',
  'kafka.strimzi.io/KafkaUser': 'built into Argo CD',
  'keda.sh/ScaledObject': 'built into Argo CD',
  'keda.sh/TriggerAuthentication': 'no status: KEDA reads it when it scales',
  'monitoring.coreos.com/PodMonitor': 'no status: Prometheus Operator only reads it',
};

const lua = (...lines: string[]) => `${lines.join('\n')}\n`;

export const HEALTH_CHECKS: readonly HealthCheck[] = [
  {
    group: 'kafka.strimzi.io',
    kind: 'KafkaNodePool',
    source: 'Strimzi 0.51 (KafkaNodePoolStatus): it writes observedGeneration, nodeIds, replicas and roles when it reconciles the pool\'s Kafka resource, and conditions when something is wrong. Only those conditions make a pool unhealthy: a change Strimzi has not reconciled (or refused and reverted) is reported in the message, and the Kafka resource\'s health in the next wave waits for it.',
    script: lua(
      'local hs = {}',
      '-- Strimzi fills in a pool only while reconciling its Kafka resource, which comes in a later wave:',
      '-- a new pool without status must not hold its wave, or the cluster would never be created.',
      'if obj.status == nil then',
      '  hs.status = "Healthy"',
      '  hs.message = "Not reconciled yet: Strimzi reports a node pool once its Kafka resource exists"',
      '  return hs',
      'end',
      'if obj.status.conditions ~= nil then',
      '  for _, condition in ipairs(obj.status.conditions) do',
      '    if (condition.type == "Ready" and condition.status == "False") or (condition.type == "NotReady" and condition.status == "True") then',
      '      hs.status = "Degraded"',
      '      hs.message = (condition.reason or condition.type) .. ": " .. (condition.message or "")',
      '      return hs',
      '    end',
      '  end',
      'end',
      '-- Strimzi reconciles a pool only with its Kafka resource (a later wave), and keeps an older',
      '-- observedGeneration when it refuses a change (a scale-down of brokers that still hold replicas,',
      '-- which it reverts): waiting here would hold the sync forever, and adding a broker would wait for',
      '-- the address the Kafka wave brings. The Kafka resource\'s own health reports the reconciliation.',
      'if obj.metadata.generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < obj.metadata.generation) then',
      '  hs.status = "Healthy"',
      '  hs.message = "Generation " .. obj.metadata.generation .. " applied; Strimzi reconciles it with the Kafka resource (see its status)"',
      '  return hs',
      'end',
      'local wanted = obj.spec.replicas or 0',
      'local assigned = 0',
      'if obj.status.nodeIds ~= nil then assigned = #obj.status.nodeIds end',
      'if assigned ~= wanted then',
      '  hs.status = "Healthy"',
      '  hs.message = assigned .. " of " .. wanted .. " nodes assigned; Strimzi reconciles the rest with the Kafka resource (see its status)"',
      '  return hs',
      'end',
      'hs.status = "Healthy"',
      'hs.message = "Nodes " .. table.concat(obj.status.nodeIds or {}, ", ")',
      'return hs',
    ),
  },
  {
    group: 'roundtable.lsst.codes',
    kind: 'StrimziSchemaRegistry',
    openLibs: true,
    source: 'strimzi-registry-operator 0.7.1, a kopf operator with one create handler (`create_registry`): kopf keeps the handler\'s progress in annotation ' +
      '`kopf.zalando.org/create_registry` (retries, message, `"failure":true` once it gives up) and writes `kopf.zalando.org/last-handled-configuration` ' +
      'when the create is handled. The CRD has no status field, so annotations are all there is.',
    script: lua(
      'local hs = {}',
      'local annotations = obj.metadata.annotations or {}',
      'local progress = annotations["kopf.zalando.org/create_registry"]',
      'if progress ~= nil and string.find(progress, \'"failure":%s*true\') ~= nil then',
      '  hs.status = "Degraded"',
      '  local message = string.match(progress, \'"message":%s*"([^"]*)"\')',
      '  hs.message = "strimzi-registry-operator gave up: " .. (message or "see its log")',
      '  return hs',
      'end',
      'if annotations["kopf.zalando.org/last-handled-configuration"] ~= nil then',
      '  hs.status = "Healthy"',
      '  hs.message = "Created by strimzi-registry-operator (it applies later spec changes only when the registry is recreated)"',
      '  return hs',
      'end',
      'hs.status = "Progressing"',
      'if progress ~= nil then',
      '  local message = string.match(progress, \'"message":%s*"([^"]*)"\')',
      '  local retries = string.match(progress, \'"retries":%s*(%d+)\')',
      '  hs.message = "strimzi-registry-operator is retrying (" .. (retries or "?") .. "): " .. (message or "")',
      'else',
      '  hs.message = "Waiting for strimzi-registry-operator to create the registry"',
      'end',
      'return hs',
    ),
  },
  {
    group: 'ricoberger.de',
    kind: 'VaultSecret',
    source: 'vault-secrets-operator v1.26.0 (ricoberger.de/v1alpha1; Phalanx pins its chart 2.7.0, and the CRD of that tag in ../shared/crds lists the condition in its printer columns): ' +
      'one condition, `SecretCreated`, set on every reconcile of a new generation with its observedGeneration: ' +
      'True (reason Created or Updated) once the Secret is written, False (FetchFailed, CreateFailed, UpdateFailed, MergeFailed, InvalidResource) with the error. ' +
      'Phalanx does not install the operator in the USDF environments and which one runs there cannot be read from Phalanx: an operator older than the conditions would leave the wave Progressing, so confirm its version with USDF.',
    script: lua(
      'local hs = {}',
      'if obj.status ~= nil and obj.status.conditions ~= nil then',
      '  for _, condition in ipairs(obj.status.conditions) do',
      '    if condition.type == "SecretCreated" then',
      '      if condition.observedGeneration ~= nil and obj.metadata.generation ~= nil and condition.observedGeneration < obj.metadata.generation then',
      '        break',
      '      end',
      '      if condition.status == "True" then',
      '        hs.status = "Healthy"',
      '      else',
      '        hs.status = "Degraded"',
      '      end',
      '      hs.message = (condition.reason or "") .. ": " .. (condition.message or "")',
      '      return hs',
      '    end',
      '  end',
      'end',
      'hs.status = "Progressing"',
      'hs.message = "Waiting for vault-secrets-operator to write the Secret"',
      'return hs',
    ),
  },
  {
    group: 'gafaelfawr.lsst.io',
    kind: 'GafaelfawrIngress',
    source: 'Gafaelfawr (gafaelfawr.lsst.io/v1alpha1), a kopf operator: its create/update handler returns `status.create` — type ResourceCreated, ' +
      'status True (reason Created or Updated) or False (reason Failed), message, observedGeneration. It returns nothing when an update leaves ' +
      'the Ingress as it was, so an older observedGeneration after a success is not a wait.',
    script: lua(
      'local hs = {}',
      'local create = obj.status and obj.status.create',
      'if create == nil then',
      '  hs.status = "Progressing"',
      '  hs.message = "Waiting for Gafaelfawr to write the Ingress"',
      '  return hs',
      'end',
      'local stale = create.observedGeneration ~= nil and obj.metadata.generation ~= nil and create.observedGeneration < obj.metadata.generation',
      'if create.status == "True" then',
      '  hs.status = "Healthy"',
      'elseif create.status == "False" and not stale then',
      '  hs.status = "Degraded"',
      'else',
      '  hs.status = "Progressing"',
      'end',
      'hs.message = (create.reason or "") .. ": " .. (create.message or "")',
      'return hs',
    ),
  },
];

/** The Argo CD ConfigMap key of a check: `resource.customizations.health.<group>_<Kind>`. */
export const healthKey = (check: Pick<HealthCheck, 'group' | 'kind'>) => `resource.customizations.health.${check.group}_${check.kind}`;

/**
 * The argo-cd chart's `configs.cm` entries of every check (key -> value), as
 * `npm run phalanx` writes them into Phalanx's applications/argocd/values-<env>.yaml.
 */
export function healthConfigEntries(): ReadonlyArray<readonly [string, string]> {
  return HEALTH_CHECKS.flatMap((c): Array<readonly [string, string]> => [
    [healthKey(c), c.script],
    // Without it Argo CD runs the script without `string`, and a call to it makes the health Unknown.
    ...(c.openLibs ? [[`resource.customizations.useOpenLibs.${c.group}_${c.kind}`, 'true'] as const] : []),
  ]);
}

/**
 * docs/argocd-health.yaml: the checks as values of Phalanx's `argocd`
 * application (the argo-cd chart's `configs.cm`), for review; `npm run phalanx`
 * writes them into each enabled environment's values-<env>.yaml there.
 */
export function renderArgoCdHealthValues(): string {
  const header = [
    '# Generated by `npm run docs` from lib/argocd-health.ts; a test fails when it is stale.',
    '# Argo CD health checks for the kinds this deployment applies that Argo CD has none for, so their sync',
    '# waves wait for the operators. `npm run phalanx` writes them into applications/argocd/values-<env>.yaml',
    '# of each environment it enables (only those: every other Phalanx environment keeps its Argo CD as it is).',
    ...HEALTH_CHECKS.map((c) => `# ${c.group}/${c.kind}: ${c.source}`),
  ];
  const cm = Object.fromEntries(healthConfigEntries());
  return `${header.join('\n')}\n${toYaml({ 'argo-cd': { configs: { cm } } })}`;
}
