import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemoConfig } from '../../demo/config.js';
import { loadConfig } from '../../gatekeeper/config.js';
import { ROOT } from '../helpers/paths.js';

/** The `NAME=value` lines of `examples/gatekeeper.env` that are not commented out. */
function exampleEnv(): Record<string, string> {
  const text = readFileSync(join(ROOT, 'examples/gatekeeper.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('examples/gatekeeper.env', () => {
  it("names every variable the Gatekeeper and npm start's demo read", () => {
    const source = ['gatekeeper/config.ts', 'demo/config.ts']
      .map((f) => readFileSync(join(ROOT, f), 'utf8'))
      .join('\n');
    const read = new Set(source.match(/COURSEGATE_[A-Z0-9_]+/g));
    const documented = readFileSync(join(ROOT, 'examples/gatekeeper.env'), 'utf8');
    const missing = [...read].filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(documented));
    expect(missing).toEqual([]);
  });

  it('shows the real defaults: starting from it is the same as starting with no environment', () => {
    expect(loadConfig(exampleEnv())).toEqual(loadConfig({}));
  });
});

describe('loadConfig', () => {
  it.each([
    [{ COURSEGATE_PORT: 'http' }, /COURSEGATE_PORT must be a port number, got "http"/],
    [{ COURSEGATE_CONTENT_PORT: '70000' }, /COURSEGATE_CONTENT_PORT must be a port number/],
    [{ COURSEGATE_SESSION_TTL: '90000' }, /COURSEGATE_SESSION_TTL must be a number in \(0, 86400\]/],
    [{ COURSEGATE_LAUNCH_RATE_PER_ADDRESS: '-1' }, /COURSEGATE_LAUNCH_RATE_PER_ADDRESS must be/],
    [{ COURSEGATE_RETENTION_DAYS: 'forever' }, /COURSEGATE_RETENTION_DAYS must be/],
    [{ COURSEGATE_STORAGE: 'ftp' }, /COURSEGATE_STORAGE must be fs or s3, got "ftp"/],
    [{ COURSEGATE_STORAGE: 's3' }, /COURSEGATE_CONTENT_URL is required when COURSEGATE_STORAGE=s3/],
    [
      { COURSEGATE_PUBLIC_URL: 'https://gk.example', COURSEGATE_CONTENT_URL: 'https://gk.example:8443' },
      /COURSEGATE_CONTENT_URL \(https:\/\/gk.example:8443\) must be on another host than COURSEGATE_PUBLIC_URL/,
    ],
    [{ COURSEGATE_PUBLIC_URL: 'http://127.0.0.1:8787' }, /must be on another host/],
    [{ COURSEGATE_CONTENT_URL: 'cdn.example' }, /COURSEGATE_CONTENT_URL is not a URL: "cdn.example"/],
    [
      { COURSEGATE_TRUSTED_PROXIES: '10.0.0.1, proxy.lan' },
      /COURSEGATE_TRUSTED_PROXIES must list IP addresses.*"proxy.lan"/,
    ],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('keeps content on another host than the API by default, and drops trailing slashes', () => {
    const config = loadConfig({ COURSEGATE_PORT: '9000', COURSEGATE_PUBLIC_URL: 'https://gk.example/' });
    expect(config.publicUrl).toBe('https://gk.example');
    expect(config.contentUrl).toBe('http://127.0.0.1:9001');
    expect(new URL(config.contentUrl).host).not.toBe(new URL(config.publicUrl).host);
  });

  it('believes X-Forwarded-For from no proxy unless COURSEGATE_TRUSTED_PROXIES lists them', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ COURSEGATE_TRUSTED_PROXIES: ' 10.0.0.1, ::1 ' }).trustedProxies).toEqual([
      '10.0.0.1',
      '::1',
    ]);
  });

  it('points at the built browser assets beside the sources unless told otherwise', () => {
    expect(loadConfig({}).assetsDir).toBe(join(ROOT, 'dist'));
    expect(loadConfig({ COURSEGATE_ASSETS_DIR: '/srv/coursegate/dist' }).assetsDir).toBe(
      '/srv/coursegate/dist',
    );
  });
});

describe('loadDemoConfig (npm start)', () => {
  it('puts the demo LMS two ports above the API, and off when told', () => {
    expect(loadDemoConfig(9000, {}).port).toBe(9002);
    expect(loadDemoConfig(0, {}).port).toBe(0);
    expect(loadDemoConfig(9000, { COURSEGATE_DEMO: 'off' }).port).toBeNull();
    expect(() => loadDemoConfig(9000, { COURSEGATE_DEMO_PORT: 'x' })).toThrow(
      /COURSEGATE_DEMO_PORT must be a port/,
    );
  });
});
