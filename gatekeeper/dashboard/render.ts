import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DashboardContext } from './dashboard-types.js';

/** Renders a JSX page as a whole HTML document. hono/jsx escapes every value it interpolates. */
export async function render(c: DashboardContext, page: Child, status: ContentfulStatusCode = 200) {
  const html = await String(page);
  return c.html(`<!doctype html>${html}`, status);
}
