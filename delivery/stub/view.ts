/** The stub's only UI: a status line while checking, an accessible notice when refused, the player frame when allowed. */
import { PLAYER_FRAME_ID } from '../../protocol/launch-page.js';
import type { Notice } from '../../protocol/refusals.js';

function clear(doc: Document): HTMLElement {
  const main = doc.getElementById('coursegate') ?? doc.body;
  main.textContent = '';
  return main;
}

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text = '',
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  e.textContent = text;
  return e;
}

export function showStatus(doc: Document, text: string): void {
  const p = el(doc, 'p', text);
  p.setAttribute('role', 'status');
  clear(doc).append(p);
}

/**
 * Shows a refusal: an alert region whose heading takes focus, so screen readers announce it and keyboard
 * users start there; with `onRetry`, a "Try again" button.
 */
export function showNotice(doc: Document, notice: Notice, onRetry?: () => void): void {
  const box = el(doc, 'div');
  box.setAttribute('role', 'alert');
  box.className = 'cg-notice';
  const h = el(doc, 'h1', notice.title);
  h.tabIndex = -1;
  box.append(h, el(doc, 'p', notice.text));
  if (onRetry) {
    const b = el(doc, 'button', 'Try again');
    b.type = 'button';
    b.addEventListener('click', onRetry);
    box.append(b);
  }
  clear(doc).append(box);
  // A refusal leaves nothing of the content origin in the page: the page's early player frame goes too.
  doc.getElementById(PLAYER_FRAME_ID)?.remove();
  h.focus();
}

/**
 * Fills the page with the player frame; no referrer, so an LMS URL carrying learner data never reaches the
 * content origin. The page's own hidden player frame, when it has one, is shown and navigated instead:
 * `replace`, so the LMS's history gains no entry; to the player it already holds, only the fragment
 * changes and the page stays (the player reads the launch on `hashchange`); before that page has
 * arrived, once it has loaded.
 */
export function showPlayer(doc: Document, src: string): HTMLIFrameElement {
  const early = doc.getElementById(PLAYER_FRAME_ID) as HTMLIFrameElement | null;
  // The frame's WindowProxy: the same object whatever page the frame holds.
  const w = early?.contentWindow;
  if (early && w) {
    clear(doc);
    const hand = () => w.location.replace(src);
    try {
      // Still its initial about:blank (readable from here): the player's page is on its way, and a
      // navigation now could lose to it (Chromium keeps one that waits for its new process). Once loaded.
      if (w.location.href) early.addEventListener('load', hand, { once: true });
    } catch {
      hand();
    }
    early.hidden = false;
    return early;
  }
  const f = el(doc, 'iframe');
  f.title = doc.title || 'Course';
  f.referrerPolicy = 'no-referrer';
  f.allow = 'fullscreen; autoplay';
  f.setAttribute('style', 'position:fixed;inset:0;width:100%;height:100%;border:0');
  f.src = src;
  clear(doc).append(f);
  return f;
}
