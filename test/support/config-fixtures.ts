import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { inject } from 'inversify';
import { FloePlugin, PluginMetadata, PluginType } from '../../src';

export class Connection {
  @IsString() host = 'localhost';
  @IsInt() @Min(1) @Max(65535) port = 5432;
  @IsOptional() @IsString() user?: string;
}

export class Replica {
  @IsString() host = 'replica';
  @IsInt() @Min(1) @Max(65535) port = 5433;
}

/** A schema with top-level, nested and array settings, all with defaults. */
export class DuckDBConfig {
  @IsInt() @Min(1) threads = 4;
  @IsString() path = ':memory:';
  @IsObject() @ValidateNested() @Type(() => Connection) connection = new Connection();
  @IsArray() @ValidateNested({ each: true }) @Type(() => Replica) replicas: Replica[] = [];
  @IsOptional() @IsBoolean() readOnly?: boolean;
}

/** A schema that cannot be satisfied by its defaults: `token` is required. */
export class TokenConfig {
  @IsString() token!: string;
}

const meta = { version: '1.0.0', apiVersion: '1.0' };

@FloePlugin({ ...meta, type: PluginType.Compute, name: 'duckdb', configSchema: DuckDBConfig })
export class DuckDBPlugin extends PluginMetadata {
  constructor(@inject(DuckDBConfig) readonly config: DuckDBConfig) {
    super();
  }
}

/** Shares DuckDBConfig with DuckDBPlugin: each must receive its own settings. */
@FloePlugin({ ...meta, type: PluginType.Compute, name: 'motherduck', configSchema: DuckDBConfig })
export class MotherDuckPlugin extends PluginMetadata {
  constructor(@inject(DuckDBConfig) readonly config: DuckDBConfig) {
    super();
  }
}

@FloePlugin({ ...meta, type: PluginType.Secrets, name: 'token', configSchema: TokenConfig })
export class TokenPlugin extends PluginMetadata {
  constructor(@inject(TokenConfig) readonly config: TokenConfig) {
    super();
  }
}

@FloePlugin({ ...meta, type: PluginType.Storage, name: 'plain' })
export class PlainPlugin extends PluginMetadata {}
