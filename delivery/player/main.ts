/** Entry of `dist/player/player.js`: scorm-again is loaded only for the standard the stub announces. */

import { startPlayer } from './player.js';
import type { SeedableApi } from './relay-api.js';

type ApiClass = new (settings: object) => SeedableApi;

// The local API never talks to a server: the stub relays every change to the LMS.
const SETTINGS = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };

startPlayer({
  win: window,
  async createApi(standard) {
    const Api =
      standard === 'scorm12'
        ? ((await import('scorm-again/scorm12/min')) as unknown as { Scorm12API: ApiClass }).Scorm12API
        : ((await import('scorm-again/scorm2004/min')) as unknown as { Scorm2004API: ApiClass }).Scorm2004API;
    return new Api(SETTINGS);
  },
});
