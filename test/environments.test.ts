import { environmentNames, environments, isEnvironmentName } from '../lib/environments';

describe('environment registry', () => {
  test.each(environmentNames)('%s is registered under its own name', (name) => {
    expect(environments[name].name).toBe(name);
  });

  test('knows both USDF environments', () => {
    expect(environmentNames).toEqual(expect.arrayContaining(['usdfdev-prompt-processing', 'usdfprod-prompt-processing']));
  });

  test('isEnvironmentName refuses unknown names and inherited keys', () => {
    expect(isEnvironmentName('usdfdev-prompt-processing')).toBe(true);
    expect(isEnvironmentName('usdfdev')).toBe(false);
    expect(isEnvironmentName('toString')).toBe(false);
  });
});
