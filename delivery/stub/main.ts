/** Entry of `dist/stub/stub.js` (an IIFE in the gated package's launch page): starts the launch at once. */
import { startStub } from './stub.js';

void startStub({ win: window });
