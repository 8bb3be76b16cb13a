/**
 * Adds or removes a set of window listeners. All in the capture phase: events aimed at the window
 * itself reach them just the same, and element `error` events (failed loads), which do not bubble,
 * reach them only there.
 */
export function listen(w: Window, add: boolean, handlers: Record<string, (e: never) => void>): void {
  for (const type in handlers)
    w[add ? 'addEventListener' : 'removeEventListener'](type, handlers[type] as EventListener, true);
}
