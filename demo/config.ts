import { portFromEnv } from '../gatekeeper/config.js';

/** What `npm start`'s demo takes from the environment, besides the Gatekeeper's own configuration. */
export interface DemoConfig {
  /** Port of the demo LMS (fs storage); null when `COURSEGATE_DEMO=off`. */
  port: number | null;
}

/** The demo LMS listens two ports above the API by default (the content origin takes the one between). */
export function loadDemoConfig(apiPort: number, env: NodeJS.ProcessEnv = process.env): DemoConfig {
  if (env.COURSEGATE_DEMO === 'off') return { port: null };
  return {
    port: portFromEnv(env.COURSEGATE_DEMO_PORT, apiPort === 0 ? 0 : apiPort + 2, 'COURSEGATE_DEMO_PORT'),
  };
}
