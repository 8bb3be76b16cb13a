/**
 * What the gated SCORM launch page and the gated cmi5 launch page render alike: the config element's JSON
 * and the notice styles the stub's view (`view.ts`) relies on. Pure, for Node and Workers.
 */

/** JSON that cannot end its `<script>` element or open a comment inside it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** CSS for `#coursegate` and the `.cg-notice` blocks `showNotice` writes into it. */
export const NOTICE_CSS = `#coursegate{padding:2rem;max-width:40rem;margin:auto}
.cg-notice{border-left:4px solid #b3261e;padding:0 1rem}
.cg-notice h1{font-size:1.4rem}
.cg-notice h1:focus{outline:2px solid #1a5fb4;outline-offset:2px}
.cg-notice button{font:inherit;padding:.5rem 1rem}`;
