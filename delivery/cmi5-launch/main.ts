/** Entry of `dist/cmi5-launch/cmi5-launch.js` (inlined in the gated cmi5 launch page): starts at once. */
import { startCmi5Launch } from './launch-page.js';

void startCmi5Launch({ win: window });
