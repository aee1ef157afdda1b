import { transports } from 'winston';
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
