import { Writable } from 'node:stream';
import type * as Winston from 'winston';
import { transports } from 'winston';
import type * as Logging from '../../src/logging';
import { createDefaultLogger, createSilentLogger } from '../../src';

describe('the default logger', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is quiet by default: warnings and errors only', () => {
    delete process.env.FLOE_LOG_LEVEL;
    expect(createDefaultLogger().level).toBe('warn');
  });

  it('takes its level from FLOE_LOG_LEVEL, ignoring unknown levels', () => {
    process.env.FLOE_LOG_LEVEL = 'debug';
    expect(createDefaultLogger().level).toBe('debug');
    process.env.FLOE_LOG_LEVEL = 'loud';
    expect(createDefaultLogger().level).toBe('warn');
    expect(createDefaultLogger({ level: 'error' }).level).toBe('error');
  });

  it('writes every level to stderr, never stdout', () => {
    const [transport] = createDefaultLogger().transports;
    expect(transport).toBeInstanceOf(transports.Console);
    const stderrLevels = (transport as unknown as { stderrLevels: Record<string, boolean> }).stderrLevels;
    for (const level of ['error', 'warn', 'info', 'debug']) expect(stderrLevels[level]).toBe(true);
  });

  it('formats an entry as one readable line with its structured fields', () => {
    const logger = createDefaultLogger({ format: 'text' });
    const line = logger.format.transform({
      level: 'warn',
      message: 'plugin failed',
      plugin: 'floe.computes:duckdb',
      durationMs: 12,
    }) as Record<symbol, string>;
    const text = line[Symbol.for('message')];
    expect(text).toMatch(/floe warn: plugin failed plugin=floe\.computes:duckdb durationMs=12$/);
  });

  it('formats JSON when asked', () => {
    const logger = createDefaultLogger({ format: 'json' });
    const line = logger.format.transform({ level: 'info', message: 'm', event: 'plugin.started' }) as Record<
      symbol,
      string
    >;
    expect(JSON.parse(line[Symbol.for('message')])).toMatchObject({
      level: 'info',
      message: 'm',
      event: 'plugin.started',
    });
  });

  it('offers a silent logger', () => {
    expect(createSilentLogger().silent).toBe(true);
  });
});

describe('the silent logger', () => {
  /** Loads the logging module afresh, telling whether winston was loaded. */
  function fresh(): { create: typeof createSilentLogger; winstonLoaded: () => boolean } {
    let loaded = false;
    let create: typeof createSilentLogger | undefined;
    jest.isolateModules(() => {
      jest.doMock('winston', () => {
        loaded = true;
        return jest.requireActual('winston');
      });
      ({ createSilentLogger: create } = jest.requireActual<typeof Logging>('../../src/logging'));
    });
    return { create: create as typeof createSilentLogger, winstonLoaded: () => loaded };
  }

  it('drops entries without loading winston', () => {
    const { create, winstonLoaded } = fresh();
    const logger = create();
    expect(logger.silent).toBe(true);
    expect(logger.error('lost', { plugin: 'p' })).toBe(logger);
    expect(logger.info('lost')).toBe(logger);
    expect(logger.log('debug', 'lost')).toBe(logger);
    expect(winstonLoaded()).toBe(false);
  });

  it('is a winston logger as soon as it is used as one: its level, transports, and silent turned off', () => {
    const { create, winstonLoaded } = fresh();
    const logger = create();
    expect(logger.level).toBe('info');
    expect(winstonLoaded()).toBe(true);
    expect(logger).toBeInstanceOf(jest.requireActual<typeof Winston>('winston').Logger);
    const lines: string[] = [];
    expect(logger.transports).toHaveLength(1);
    const [console] = logger.transports as unknown as { stderrLevels: Record<string, boolean> }[];
    expect(Object.keys(console.stderrLevels).sort()).toEqual([
      'debug',
      'error',
      'http',
      'info',
      'silly',
      'verbose',
      'warn',
    ]);
    logger.clear();
    logger.add(
      new transports.Stream({
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      }),
    );
    logger.info('dropped while silent');
    logger.silent = false;
    expect(logger.silent).toBe(false);
    logger.info('written', { plugin: 'p' });
    logger.debug('below the level');
    expect(lines.map((line) => JSON.parse(line) as object)).toEqual([
      { level: 'info', message: 'written', plugin: 'p' },
    ]);
    expect('transports' in logger).toBe(true);
    // Its own properties are the winston logger's, and changing them changes it.
    expect(Object.keys(logger)).toContain('silent');
    Object.defineProperty(logger, 'tag', { value: 'floe', configurable: true, enumerable: true });
    expect((logger as unknown as { tag: string }).tag).toBe('floe');
    expect(delete (logger as unknown as { tag?: string }).tag).toBe(true);
    expect('tag' in logger).toBe(false);
    expect(Object.getOwnPropertyDescriptor(logger, 'tag')).toBeUndefined();
  });
});
