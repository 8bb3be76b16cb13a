import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PackagerError } from '../errors.js';

/** Where the CLI finds the Gatekeeper: `COURSEGATE_URL` / `COURSEGATE_API_KEY`, else the config file. */
export interface CliConfig {
  url: string;
  apiKey: string;
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'coursegate', 'config.json');
}

/** Reads the CLI configuration; environment variables win over `~/.config/coursegate/config.json`. */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const file = configFilePath(env);
  let fromFile: Partial<CliConfig> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new PackagerError('not_configured', `${file} is not valid JSON`);
    }
    // Valid JSON is not yet a configuration: `null`, a list or `{"url": 8787}` would fail later, nameless.
    const wellFormed =
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      ['url', 'apiKey'].every((k) => {
        const v = (parsed as Record<string, unknown>)[k];
        return v === undefined || typeof v === 'string';
      });
    if (!wellFormed)
      throw new PackagerError(
        'not_configured',
        `${file} must hold a JSON object with "url" and "apiKey" strings`,
      );
    fromFile = parsed as Partial<CliConfig>;
  }
  const url = (env.COURSEGATE_URL || fromFile.url || '').replace(/\/$/, '');
  const apiKey = env.COURSEGATE_API_KEY || fromFile.apiKey || '';
  if (!url || !apiKey)
    throw new PackagerError(
      'not_configured',
      `Set COURSEGATE_URL and COURSEGATE_API_KEY, or write them to ${file} ("coursegate admin init --save-config" does)`,
    );
  return { url, apiKey };
}

/** Saves the configuration file, readable by its owner only (it holds an API key). */
export function saveCliConfig(config: CliConfig, env: NodeJS.ProcessEnv = process.env): string {
  const file = configFilePath(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}
