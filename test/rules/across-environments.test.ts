import { checkAcrossEnvironments, checkUnsetValues, UNSET_MARK } from '../../constructs/rules';
import { Environment, environments } from '../../lib/environments';

const dev = environments['usdfdev-prompt-processing'];
const copy = (change: (env: any) => void): Environment => {
  const env = structuredClone({ ...dev, name: 'summit-alerts' }) as any;
  change(env);
  return env;
};
/** Gives the copy its own Vault path, hosts and addresses (named by `site`, IPs from `firstIp`). */
const own = (env: any, site = 'summit', firstIp = 10) => {
  env.vaultPathPrefix = `secret/rubin/${site}`;
  env.host = `${site}.example.org`;
  env.schemaRegistry.ingress.host = `${site}-schemas.example.org`;
  env.externalListener.bootstrap = { host: `${site}-bootstrap.example.org`, ip: `198.51.100.${firstIp - 1}` };
  env.externalListener.brokers = env.externalListener.brokers.map((b: any, i: number) => ({ ...b, host: `${site}-${i}.example.org`, ip: `198.51.100.${firstIp + i}` }));
};

test('the environments of this project share nothing', () => {
  expect(checkAcrossEnvironments(Object.values(environments))).toEqual([]);
});

test('a copy that kept everything is refused for each address, host and path, naming the other', () => {
  const problems = checkAcrossEnvironments([dev, copy(() => undefined)]);
  const fields = problems.map((p) => p.field);
  expect(fields).toEqual(expect.arrayContaining(['externalListener.bootstrap.ip', 'externalListener.brokers[4].host', 'host', 'schemaRegistry.ingress.host', 'vaultPathPrefix']));
  expect(problems.every((p) => p.env === 'summit-alerts' && p.message.includes("environment usdfdev-prompt-processing's"))).toBe(true);
});

test.each([
  ['one IP on the same pool', (e: any) => { own(e); e.externalListener.brokers[2].ip = dev.externalListener.type === 'loadbalancer' ? dev.externalListener.brokers[0].ip : ''; }, 'externalListener.brokers[2].ip'],
  ['one broker host', (e: any) => { own(e); e.externalListener.brokers[1].host = (dev.externalListener as any).bootstrap.host; }, 'externalListener.brokers[1].host'],
  ['the Vault path', (e: any) => { own(e); e.vaultPathPrefix = dev.vaultPathPrefix; }, 'vaultPathPrefix'],
  ['the registry host', (e: any) => { own(e); e.schemaRegistry.ingress.host = dev.schemaRegistry.ingress.host; }, 'schemaRegistry.ingress.host'],
])('sharing %s is refused', (_what, change, field) => {
  expect(checkAcrossEnvironments([dev, copy(change)])).toEqual([expect.objectContaining({ env: 'summit-alerts', field })]);
});

test('the message names the shared address, its pool and the other environment', () => {
  const listener = dev.externalListener as any;
  const other = copy((e) => { own(e); e.externalListener.bootstrap.ip = listener.bootstrap.ip; });
  expect(checkAcrossEnvironments([dev, other])).toEqual([{
    env: 'summit-alerts', resource: 'Environment', field: 'externalListener.bootstrap.ip',
    message: `IP ${listener.bootstrap.ip} of MetalLB pool ${listener.addressPool} is also environment usdfdev-prompt-processing's; ` +
      "give this environment its own, or declare `replaces: 'usdfdev-prompt-processing'` if it takes over from it",
  }]);
});

test.each([
  ['externalListener.brokers[1].host', (e: any) => { e.externalListener.brokers[1].host = (dev.externalListener as any).brokers[1].host; }, `host ${(dev.externalListener as any).brokers[1].host}`],
  ['schemaRegistry.ingress.host', (e: any) => { e.schemaRegistry.ingress.host = dev.schemaRegistry.ingress!.host; }, `host ${dev.schemaRegistry.ingress!.host}`],
  ['host', (e: any) => { e.host = dev.host; }, `host ${dev.host}`],
  ['vaultPathPrefix', (e: any) => { e.vaultPathPrefix = dev.vaultPathPrefix; }, `Vault path ${dev.vaultPathPrefix}`],
])('sharing %s is refused, naming what is shared', (field, change, what) => {
  expect(checkAcrossEnvironments([dev, copy((e) => { own(e); change(e); })]).map((p) => [p.field, p.message.split(' is also ')[0]])).toEqual([[field, what]]);
});

test('the same IP on another MetalLB pool is not a conflict', () => {
  const other = copy((e) => { own(e); e.externalListener.addressPool = 'summit-pool'; e.externalListener.bootstrap.ip = (dev.externalListener as any).bootstrap.ip; });
  expect(checkAcrossEnvironments([dev, other])).toEqual([]);
});

test('an environment that declares it replaces the other may keep its values', () => {
  expect(checkAcrossEnvironments([dev, copy((e) => { e.replaces = dev.name; })])).toEqual([]);
  expect(checkAcrossEnvironments([copy((e) => { e.replaces = dev.name; }), dev])).toEqual([]);
});

test('a third environment sharing a value that one replaced is told the first owner', () => {
  const successor = copy((e) => { e.name = 'usdfdev-successor'; e.replaces = dev.name; });
  const third = copy((e) => { own(e); e.vaultPathPrefix = dev.vaultPathPrefix; });
  expect(checkAcrossEnvironments([dev, successor, third]).map((p) => [p.env, p.field, p.message.split('; ')[0]])).toEqual([
    ['summit-alerts', 'vaultPathPrefix', `Vault path ${dev.vaultPathPrefix} is also environment usdfdev-prompt-processing's`],
  ]);
});

test('two files that claim one name are compared like any two: the name is no pass', () => {
  // A file that spread production's values under production's name used to be skipped as "the same environment".
  const problems = checkAcrossEnvironments([dev, structuredClone(dev)]);
  expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['host', 'vaultPathPrefix', 'externalListener.bootstrap.ip', 'schemaRegistry.ingress.host']));
  expect(problems.every((p) => p.env === dev.name)).toBe(true);
});

test('one environment may use one host in two of its own fields', () => {
  const reused = copy((e) => { own(e); e.schemaRegistry.ingress.host = e.host; });
  expect(checkAcrossEnvironments([dev, reused])).toEqual([]);
});

const listenerOf = (env: Environment) => env.externalListener as any;
test.each([
  ['its web host as a broker host', (e: any) => { e.externalListener.brokers[0].host = dev.host; }, 'externalListener.brokers[0].host', `host ${dev.host}`],
  ['its registry host as the web host', (e: any) => { e.host = dev.schemaRegistry.ingress!.host; }, 'host', `host ${dev.schemaRegistry.ingress!.host}`],
  ['its bootstrap host as the registry host', (e: any) => { e.schemaRegistry.ingress.host = listenerOf(dev).bootstrap.host; }, 'schemaRegistry.ingress.host', `host ${listenerOf(dev).bootstrap.host}`],
  ['a broker host as the bootstrap host', (e: any) => { e.externalListener.bootstrap.host = listenerOf(dev).brokers[2].host; }, 'externalListener.bootstrap.host', `host ${listenerOf(dev).brokers[2].host}`],
])('a host of another environment in another field is refused: %s', (_what, change, field, what) => {
  expect(checkAcrossEnvironments([dev, copy((e) => { own(e); change(e); })]).map((p) => [p.field, p.message.split(' is also ')[0]])).toEqual([[field, what]]);
});

test('a broker without a pinned IP or host, a listener without a bootstrap, an environment without hosts or Vault path: nothing claimed', () => {
  const unpinned = (site: string, firstIp: number) => copy((e) => {
    own(e, site, firstIp);
    e.name = `${site}-alerts`;
    delete e.externalListener.brokers[0].ip;
    delete e.externalListener.brokers[1].host;
    delete e.externalListener.bootstrap;
    delete e.schemaRegistry.ingress;
    delete e.host;
    delete e.vaultPathPrefix;
  });
  expect(checkAcrossEnvironments([unpinned('summit', 10), unpinned('base', 50)])).toEqual([]);
});

test('an environment without an external listener or schema registry (refused by the shape rule) is compared without failing', () => {
  const without = copy((e) => { own(e); delete e.externalListener; delete e.schemaRegistry; });
  expect(checkAcrossEnvironments([dev, without])).toEqual([]);
});

test('an unnamed or absent environment, or one that is itself a marked value, is still reported', () => {
  expect(checkUnsetValues(undefined as any)).toEqual([]);
  expect(checkUnsetValues({ name: 7, host: `${UNSET_MARK}a host` } as any)).toEqual([
    { env: '<unnamed environment>', resource: 'Environment', field: 'host', message: 'is not set yet: a host' },
  ]);
  expect(checkUnsetValues({ host: `${UNSET_MARK}a host` } as any)).toEqual([
    { env: '<unnamed environment>', resource: 'Environment', field: 'host', message: 'is not set yet: a host' },
  ]);
  expect(checkUnsetValues(`${UNSET_MARK}everything` as any)).toEqual([
    { env: '<unnamed environment>', resource: 'Environment', field: '(environment)', message: 'is not set yet: everything' },
  ]);
});

test('values the scaffold marked are reported, each by field, before anything else', () => {
  const marked = copy((e) => { e.vaultPathPrefix = `${UNSET_MARK}a path`; e.externalListener.brokers[0].ip = `${UNSET_MARK}an IP`; });
  expect(checkUnsetValues(marked)).toEqual([
    { env: 'summit-alerts', resource: 'Environment', field: 'vaultPathPrefix', message: 'is not set yet: a path' },
    { env: 'summit-alerts', resource: 'Environment', field: 'externalListener.brokers[0].ip', message: 'is not set yet: an IP' },
  ]);
  expect(checkUnsetValues(dev)).toEqual([]);
});
