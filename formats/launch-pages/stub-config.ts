/** The stub's configuration, embedded by the packager in the gated package's launch page (protocol/launch-page.ts). */
import { CONFIG_ELEMENT_ID, type StubConfig } from '../../protocol/launch-page.js';

export { CONFIG_ELEMENT_ID, type StubConfig };

/** Reads and checks the config; undefined when it is missing or malformed. */
export function readConfig(doc: Document): StubConfig | undefined {
  try {
    const c = JSON.parse(doc.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '') as Partial<StubConfig>;
    if (
      typeof c.gatekeeper === 'string' &&
      /^https?:\/\//.test(c.gatekeeper) &&
      typeof c.token === 'string' &&
      (c.standard === 'scorm12' || c.standard === 'scorm2004') &&
      (c.entry === undefined || typeof c.entry === 'string')
    ) {
      return c as StubConfig;
    }
  } catch {}
  return undefined;
}
