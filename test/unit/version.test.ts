import { FLOE_PLUGIN_API_VERSION, InvalidVersionError, isCompatible, parseApiVersion, PluginError } from '../../src';

describe('parseApiVersion', () => {
  it.each([
    ['1.0', { major: 1, minor: 0, patch: 0 }],
    ['1.2.3', { major: 1, minor: 2, patch: 3 }],
    ['0.0', { major: 0, minor: 0, patch: 0 }],
    ['10.20.30', { major: 10, minor: 20, patch: 30 }],
  ])('parses %s', (input, expected) => {
    expect(parseApiVersion(input)).toEqual(expected);
  });

  it('answers a version it has parsed before with the same frozen value, and keeps answering past its memory', () => {
    const first = parseApiVersion('3.4');
    expect(parseApiVersion('3.4')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    for (let minor = 0; minor < 600; minor++)
      expect(parseApiVersion(`7.${minor}`)).toEqual({ major: 7, minor, patch: 0 });
    expect(parseApiVersion('3.4')).toEqual({ major: 3, minor: 4, patch: 0 });
    expect(() => parseApiVersion('7.01')).toThrow(InvalidVersionError);
  });

  it.each([
    '',
    '1',
    '1.0.0.0',
    ' 1.0',
    '1.0 ',
    '1.0.',
    '01.2',
    '1.02',
    '1.0.x',
    '-1.0',
    'v1.0',
    '=1.0',
    '1.0.0-beta',
    '1.0.0+b',
    'a.b',
    '1..0',
    '99999999999999999999.0',
  ])('refuses %j with InvalidVersionError', (input) => {
    let caught: unknown;
    try {
      parseApiVersion(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidVersionError);
    expect(PluginError.is(caught, 'VERSION_INVALID')).toBe(true);
    expect((caught as InvalidVersionError).version).toBe(input);
  });

  it.each([undefined, null, 1, 1.0, {}, ['1', '0'], Symbol('v')])('refuses the non-string %p', (input) => {
    expect(() => parseApiVersion(input as unknown as string)).toThrow(InvalidVersionError);
  });
});

describe('isCompatible', () => {
  it.each([
    ['1.0', '1.0', true],
    ['1.0', '1.3', true],
    ['1.3', '1.3', true],
    ['1.3.9', '1.3.0', true],
    ['1.4', '1.3', false],
    ['2.0', '1.9', false],
    ['1.0', '2.0', false],
    ['0.1', '0.2', true],
  ])('plugin %s on platform %s is %s', (plugin, platform, expected) => {
    expect(isCompatible(plugin, platform)).toBe(expected);
  });

  it('compares against the platform API version by default', () => {
    expect(FLOE_PLUGIN_API_VERSION).toBe('1.0');
    expect(isCompatible('1.0')).toBe(true);
    expect(isCompatible('1.1')).toBe(false);
  });

  it('throws InvalidVersionError for a malformed version on either side', () => {
    expect(() => isCompatible('1.x', '1.0')).toThrow(InvalidVersionError);
    expect(() => isCompatible('1.0', 'latest')).toThrow(InvalidVersionError);
  });
});
